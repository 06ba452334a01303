"""Edits applied to plain data: what the text must parse to after the engine is done."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any

from kubelint.model import Edit, KeyPath

_MISSING = object()


class EditError(ValueError):
    """An edit that cannot apply to the data (a key under a scalar, a list item missing)."""


def get_path(data: Any, path: KeyPath) -> Any:
    """The value at ``path``, or :data:`_MISSING` when some part of it is absent."""
    node = data
    for part in path:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return _MISSING
    return node


def missing(value: Any) -> bool:
    """Whether :func:`get_path` found nothing."""
    return value is _MISSING


def same(first: Any, second: Any) -> bool:
    """Equal as data: ``1`` is not ``1.0`` nor ``True``, and NaN equals NaN."""
    return _canonical(first) == _canonical(second)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr, allow_nan=True)


def is_noop(data: Any, edit: Edit) -> bool:
    """Whether ``edit`` leaves ``data`` as it is (the value is set, the key gone, the item
    in the list already)."""
    found = get_path(data, edit.path)
    if edit.operation == "delete":
        return missing(found)
    if edit.operation == "append":
        return isinstance(found, list) and any(same(item, edit.value) for item in found)
    return not missing(found) and same(found, edit.value)


def apply_to_data(data: Any, edits: Iterable[Edit]) -> Any:
    """A copy of ``data`` with ``edits`` applied in order; ``data`` is left alone.

    ``set`` creates missing parent mappings (a parent that is null counts as missing),
    ``delete`` of a missing entry does nothing, and ``append`` adds a value to a list
    (created when missing or null) unless an equal value is in it already, so that applying
    the same edits twice changes nothing. Raises :class:`EditError` for an edit that
    cannot apply (a key under a scalar, a list index out of range, an empty path).
    """
    result = copy.deepcopy(data)
    for edit in edits:
        if not edit.path:
            raise EditError("an edit needs a key path")
        if edit.operation == "delete":
            _delete(result, edit.path)
        elif edit.operation == "append":
            _append(result, edit.path, edit.value)
        else:
            parent = _parent(result, edit.path[:-1])
            _put(parent, edit.path[-1], copy.deepcopy(edit.value))
    return result


def _parent(data: Any, path: KeyPath) -> Any:
    """The collection at ``path``, creating missing (or null) mappings on the way."""
    node = data
    for part in path:
        child = _child(node, part)
        if child is None or missing(child):
            child = {}
            _put(node, part, child)
        node = child
    return node


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict) and isinstance(part, str):
        return node.get(part, _MISSING)
    if isinstance(node, list) and isinstance(part, int):
        if 0 <= part < len(node):
            return node[part]
        raise EditError("the list item is missing")
    raise EditError(
        "the value there is not a mapping"
        if isinstance(part, str)
        else "the value there is not a list"
    )


def _put(node: Any, part: str | int, value: Any) -> None:
    if isinstance(node, dict) and isinstance(part, str):
        node[part] = value
    elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        node[part] = value
    else:
        raise EditError(
            "the value there is not a mapping"
            if isinstance(part, str)
            else "the list item is missing"
        )


def _delete(data: Any, path: KeyPath) -> None:
    parent = get_path(data, path[:-1])
    part = path[-1]
    if isinstance(parent, dict) and isinstance(part, str):
        parent.pop(part, None)
    elif isinstance(parent, list) and isinstance(part, int) and 0 <= part < len(parent):
        del parent[part]


def _append(data: Any, path: KeyPath, value: Any) -> None:
    found = get_path(data, path)
    if missing(found) or found is None:
        _put(_parent(data, path[:-1]), path[-1], [copy.deepcopy(value)])
    elif isinstance(found, list):
        if not any(same(item, value) for item in found):
            found.append(copy.deepcopy(value))
    else:
        raise EditError("the value to append to is not a list")
