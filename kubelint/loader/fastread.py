"""The compiled read path: YAML text to plain data and a position table (csrc/fastread.c).

The pure-Python path (yamlparse.py) composes a node graph through PyYAML, one Node and
two Mark objects per YAML node, then converts it. The compiled reader builds the same
data straight from libyaml's events and keeps each node's position as seven numbers in
one buffer; :class:`TableLocator` answers from it what NodeLocator answers from nodes.

It reads the common case only. A text with an anchor, an alias, a tag, a merge key, a
key that is not a plain string, deep nesting or any YAML error is refused as a whole
(:func:`read` returns None) and read the pure-Python way, errors included. Without a C
compiler at install time, or with ``KUBELINT_PURE_PYTHON`` set, everything is read that
way. Tests hold both paths to identical data, positions and errors on every fixture.
"""

from __future__ import annotations

import os
from array import array
from typing import Any, NamedTuple

from kubelint.loader.scalars import (
    MAX_DEPTH,
    MERGE_KEY,
    NUMBER_STARTS,
    UNUSUAL_KEY_CHARS,
    WORDS,
    is_text,
    plain_number,
)
from kubelint.model import KeyPath, Locator

try:
    from kubelint.loader import _fastread  # type: ignore[attr-defined]
except ImportError:  # built without a C compiler: the pure-Python path reads everything
    _fastread = None

# Fields of one record of the table (see csrc/fastread.c).
_KIND, _START, _END, _LINE, _COLUMN, _NEXT, _KEY = range(7)
_FIELDS = 7
_SEQUENCE, _MAPPING = 1, 2


def available() -> bool:
    """Whether the compiled reader is built and not switched off."""
    return _fastread is not None and not os.environ.get("KUBELINT_PURE_PYTHON")


class ReadDocument(NamedTuple):
    """One document read: by the compiled reader, or by the pure path (documents.py)."""

    data: Any
    #: Character offsets of the root node's first and last character (+1) in the text.
    start: int
    end: int
    #: A TableLocator here; a NodeLocator when the pure-Python path read the document.
    locator: Locator
    duplicates: list[int]
    ambiguous: list[int]
    unusual_keys: bool


def read(text: str) -> list[ReadDocument] | None:
    """The documents of ``text``, or None when it is for the pure-Python path."""
    if not available():
        return None
    try:
        documents = _fastread.read(
            text,
            WORDS,
            plain_number,
            is_text,
            MERGE_KEY,
            NUMBER_STARTS,
            UNUSUAL_KEY_CHARS,
            MAX_DEPTH,  # deeper is refused: the pure path then reports it as too deep
        )
    except (UnicodeError, ValueError, OverflowError):
        # Text libyaml cannot be given (never from a decoded file): the pure path says why.
        return None
    if documents is None:
        return None
    out = []
    for data, start, end, table, keys, duplicates, ambiguous, unusual in documents:
        positions = array("i")
        positions.frombytes(table)
        out.append(
            ReadDocument(
                data,
                start,
                end,
                TableLocator(positions, keys, 0),
                duplicates,
                ambiguous,
                unusual,
            )
        )
    return out


class TableLocator:
    """Positions of one object from its document's position table.

    The table holds one record per node in document order (a mapping's key and value
    follow each other); ``root`` is the object's record. Walks cost a few steps per
    finding, as NodeLocator's do.
    """

    __slots__ = ("keys", "root", "table")

    def __init__(self, table: array[int], keys: list[str], root: int) -> None:
        self.table = table
        self.keys = keys
        self.root = root

    def _children(self, record: int) -> list[int]:
        table = self.table
        child = record + 1
        stop = table[record * _FIELDS + _NEXT]
        found = []
        while child < stop:
            found.append(child)
            child = table[child * _FIELDS + _NEXT]
        return found

    def _key(self, record: int) -> str:
        index = self.table[record * _FIELDS + _KEY]
        return self.keys[index] if index >= 0 else ""

    def locate(self, path: KeyPath) -> tuple[int, int, KeyPath]:
        """1-based (line, column) of ``path`` and the part of it that exists.

        A mapping entry is located at its key, a missing one at its nearest parent.
        """
        table = self.table
        record = mark = self.root
        found: list[str | int] = []
        for part in path:
            kind = table[record * _FIELDS + _KIND]
            if kind == _MAPPING:
                wanted = str(part)
                children = self._children(record)
                # The last duplicate wins, as in the API: searched from the end.
                keys = children[-2::-2]
                entry = next((key for key in keys if self._key(key) == wanted), None)
                if entry is None:
                    break
                mark, record = entry, table[entry * _FIELDS + _NEXT]
            elif kind == _SEQUENCE and isinstance(part, int) and part >= 0:
                children = self._children(record)
                if part >= len(children):
                    break
                mark = record = children[part]
            else:
                break
            found.append(part)
        base = mark * _FIELDS
        return table[base + _LINE] + 1, table[base + _COLUMN] + 1, tuple(found)

    def path_at(self, offset: int) -> KeyPath:
        """The key path of the innermost node whose text contains ``offset``."""
        path: list[str | int] = []
        record: int | None = self.root
        while record is not None:
            step = self._child_at(record, offset)
            if step is None:
                break
            part, record = step
            path.append(part)
        return tuple(path)

    def _child_at(self, record: int, offset: int) -> tuple[str | int, int | None] | None:
        table = self.table
        kind = table[record * _FIELDS + _KIND]
        children = self._children(record)
        if kind == _MAPPING:
            for key, value in zip(children[::2], children[1::2], strict=True):
                if table[key * _FIELDS + _START] <= offset < table[key * _FIELDS + _END]:
                    return self._key(key), None
                if self._holds(value, offset):
                    return self._key(key), value
        elif kind == _SEQUENCE:
            for index, item in enumerate(children):
                if self._holds(item, offset):
                    return index, item
        return None

    def _holds(self, record: int, offset: int) -> bool:
        # An empty node (a value left out) holds the one character where it starts.
        start = self.table[record * _FIELDS + _START]
        return start <= offset < max(self.table[record * _FIELDS + _END], start + 1)

    def span(self) -> tuple[int, int]:
        """The character range of the object's node."""
        base = self.root * _FIELDS
        return self.table[base + _START], self.table[base + _END]

    def list_items(self) -> list[TableLocator]:
        """The items of a ``kind: List`` object: the last ``items`` key's sequence."""
        table = self.table
        if table[self.root * _FIELDS + _KIND] != _MAPPING:
            return []
        children = self._children(self.root)
        for key in children[-2::-2]:
            value = table[key * _FIELDS + _NEXT]
            if self._key(key) == "items" and table[value * _FIELDS + _KIND] == _SEQUENCE:
                return [TableLocator(table, self.keys, item) for item in self._children(value)]
        return []

    def release(self) -> None:
        """Nothing to let go: the table is small."""
