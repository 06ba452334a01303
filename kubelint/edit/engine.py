"""The editing engine: fixes of findings applied to a file's text, each checked by
reading the text back.

Each edit becomes one splice made from the parse nodes of its object's document (see
:mod:`kubelint.edit.splice`); the document is parsed again after every edit, so that the
next edit of the same fix sees the parent mapping the first one created. A fix whose
document does not read back as the data the edits describe (:func:`apply_to_data`) is
undone and refused, and so is every fix when the whole file does not read back so.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import Node

from kubelint.edit.data import EditError, apply_to_data, is_noop, same
from kubelint.edit.splice import Document, Refused, detect_style, splice
from kubelint.loader.documents import load_source
from kubelint.loader.positions import list_items_node
from kubelint.loader.yamlparse import ParseError, parse_documents
from kubelint.model import Edit, Fix, K8sObject, crosses_shared, format_path

_BOM = "\ufeff"
#: Line breaks other than ``\n`` and ``\r\n``: libyaml honours them, the splices do not.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")


@dataclass
class Applied:
    """What :func:`apply` did: the new text, the fixes in it, and the fixes left out with
    the reason for each."""

    text: str
    applied: list[Fix] = field(default_factory=list)
    refused: list[tuple[Fix, str]] = field(default_factory=list)


@dataclass
class _State:
    """The text being edited and where each document's root node is in it."""

    text: str
    #: [start of the root node's first line, end of the root node] per document.
    ranges: list[list[int]]
    #: Document number of each object (by id).
    slot: dict[int, int]
    #: The data each object must read back as.
    expected: dict[int, Any]
    #: The edits made so far, per object.
    made: dict[int, list[Edit]]

    def shift(self, document: int, delta: int) -> None:
        """Move the ranges after a splice in ``document`` that added ``delta`` characters."""
        self.ranges[document][1] += delta
        for later in self.ranges[document + 1 :]:
            later[0] += delta
            later[1] += delta


def apply(
    text: str, objects: Sequence[K8sObject], fixes: Sequence[tuple[K8sObject, Fix]]
) -> Applied:
    """Apply ``fixes`` (each with the object its edits are relative to) to ``text``.

    ``text`` is the text the ``objects`` (all the objects of the file, in order) were
    loaded from, with or without a leading byte order mark (kept). The result differs from
    ``text`` only in the spans the edits change. Fixes are applied in order; one is
    refused, and changes nothing, when it cannot be applied exactly (see
    :func:`refusal`), when it overlaps a fix applied before it, or when its document does
    not read back as the data its edits describe.
    """
    bom = text.startswith(_BOM)
    body = text[1:] if bom else text
    result = Applied(text)
    why = _file_refusal(body, objects)
    state = None if why else _start(body, objects)
    if state is None:
        result.refused = [(fix, why or "the objects are not those of the text") for _, fix in fixes]
        return result
    for obj, fix in fixes:
        reason = refusal(obj, fix, state)
        if reason is None:
            reason = _apply_fix(state, obj, fix)
        if reason is None:
            result.applied.append(fix)
        else:
            result.refused.append((fix, reason))
    if result.applied and not _reads_back(state, objects):
        result.refused = [(fix, "the file did not read back as expected") for _, fix in fixes]
        result.applied = []
        return result
    result.text = (_BOM if bom else "") + state.text
    return result


def _file_refusal(text: str, objects: Sequence[K8sObject]) -> str | None:
    if any(brk in text for brk in _OTHER_BREAKS) or "\r" in text.replace("\r\n", ""):
        return "the file uses line breaks other than LF and CRLF"
    if not objects:
        return "the file holds no objects"
    return None


def _start(text: str, objects: Sequence[K8sObject]) -> _State | None:
    """The documents of ``text`` and the object each fix is about; None when the objects
    cannot be matched to them (the text does not parse, or is not theirs)."""
    try:
        parsed = [(document[0], document[1]) for document in parse_documents(text, "")]
    except ParseError:
        return None
    roots = [root for root, _ in parsed]
    ranges = [[_line_start(text, r.start_mark.index), r.end_mark.index] for r in roots]
    starts = [root.start_mark.index for root in roots]
    slot: dict[int, int] = {}
    for obj in objects:
        # The last document that starts before the object ends holds it (a whole document
        # starts inside the object's text, a List holds its item's).
        index = bisect.bisect_left(starts, obj.text_end) - 1
        root = roots[index] if index >= 0 else None
        if root is None or not (
            root.start_mark.index <= obj.text_start < root.end_mark.index
            or obj.text_start <= root.start_mark.index
        ):
            return None
        data = parsed[index][1]
        if obj.item_index is not None:
            items = data.get("items") if isinstance(data, dict) else None
            data = items[obj.item_index] if isinstance(items, list) else None
        if not same(data, obj.data):
            return None
        slot[id(obj)] = index
    expected = {id(obj): obj.data for obj in objects}
    return _State(text, ranges, slot, expected, {})


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def refusal(obj: K8sObject, fix: Fix, state: _State) -> str | None:
    """Why ``fix`` of ``obj`` must not be applied; None when it may be tried."""
    if id(obj) not in state.slot:
        return "the object is not one of the file's"
    if obj.helm_source is not None:
        return "the object was rendered by Helm: fix the template instead"
    start, end = state.ranges[state.slot[id(obj)]]
    if "{{" in state.text[start:end]:
        return "the object's text holds template markup"
    if not fix.edits:
        return "the fix has no edits"
    for edit in fix.edits:
        shown = format_path(edit.path) or "the object"
        if not edit.path:
            return "an edit of the whole object"
        if crosses_shared(obj, edit.path):
            return f"{shown} is shared with other fields through a YAML anchor, alias or merge key"
        others = [e for e in fix.edits if e is not edit] + state.made.get(id(obj), [])
        if any(other != edit and other.overlaps(edit) for other in others):
            return f"{shown} is edited by another fix too"
    return None


def _apply_fix(state: _State, obj: K8sObject, fix: Fix) -> str | None:
    """Make the edits of ``fix``; undo them and say why when they do not read back."""
    saved_text, saved_ranges = state.text, [list(r) for r in state.ranges]
    try:
        expected = apply_to_data(state.expected[id(obj)], fix.edits)
        if not _is_object(expected):
            raise Refused("the object would lose its apiVersion or kind")
        for edit in fix.edits:
            _apply_edit(state, obj, edit)
        if not same(_document(state, obj)[1], expected):
            raise Refused("the edited text did not read back as the edits describe")
    except (Refused, EditError, ParseError) as exc:
        state.text, state.ranges = saved_text, saved_ranges
        return exc.reason if isinstance(exc, Refused) else str(exc)
    state.expected[id(obj)] = expected
    state.made.setdefault(id(obj), []).extend(fix.edits)
    return None


def _apply_edit(state: _State, obj: K8sObject, edit: Edit) -> None:
    doc, data = _document(state, obj)
    if is_noop(data, edit):
        return
    start, end, replacement = splice(doc, edit)
    state.text = state.text[:start] + replacement + state.text[end:]
    state.shift(state.slot[id(obj)], len(replacement) - (end - start))


def _document(state: _State, obj: K8sObject) -> tuple[Document, Any]:
    """The parse of ``obj``'s document in the current text: its node and its data."""
    base, end = state.ranges[state.slot[id(obj)]]
    text = state.text
    parsed = list(parse_documents(text[base:end], ""))
    if len(parsed) != 1:
        raise Refused("the document no longer reads as one document")
    node: Node = parsed[0][0]
    data: Any = parsed[0][1]
    if obj.item_index is not None:
        items = list_items_node(node)
        if items is None or not isinstance(data, dict):
            raise Refused("the list item is no longer there")
        node = items.value[obj.item_index]
        data = data["items"][obj.item_index]
    newline = "\r\n" if "\r\n" in text[base:end] else "\n"
    return Document(text, base, node, detect_style(text, base, node, newline)), data


def _is_object(data: Any) -> bool:
    return isinstance(data, dict) and all(
        isinstance(data.get(key), str) and data[key] for key in ("apiVersion", "kind")
    )


def _reads_back(state: _State, objects: Sequence[K8sObject]) -> bool:
    """Whether the whole new text loads as the objects with their edits, and nothing else."""
    first = objects[0]
    loaded = load_source(first.source.display, state.text.encode("utf-8"))
    if loaded.errors or len(loaded.objects) != len(objects):
        return False
    return all(
        same(new.data, state.expected[id(old)]) and new.item_index == old.item_index
        for new, old in zip(loaded.objects, objects, strict=True)
    )
