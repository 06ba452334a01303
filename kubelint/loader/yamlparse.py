"""YAML to plain data, keeping the parsed nodes for positions.

libyaml (through PyYAML's C composer) builds the node graph with a line/column mark on
every node; turning nodes into plain data here is cheap and fully under our control:
no Python object is ever constructed from a tag, aliases are expanded within a budget
(a "billion laughs" document is refused), and duplicate keys are recorded.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kubelint.loader.scalars import (
    AMBIGUOUS_BOOLEANS,
    BOOL,
    FLOAT,
    INT,
    MAX_DEPTH,
    MERGE,
    NULL,
    NUMBER_STARTS,
    PLAIN_TAGS,
    STR,
    TRUE,
    UNUSUAL_KEY,
    number_tag,
    to_float,
    to_int,
)
from kubelint.model import KeyPath

try:  # libyaml is bundled in PyYAML's wheels; the pure-Python composer is a slow fallback
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - exercised only without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_STR, _INT, _FLOAT, _BOOL, _NULL, _MERGE = STR, INT, FLOAT, BOOL, NULL, MERGE
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

#: Nodes that alias expansion may add beyond this floor, or beyond ALIAS_RATIO times the
#: nodes written out in the document, whichever is larger. The same ratio bounds the
#: characters of scalars aliases add (beyond ALIAS_CHARS_FLOOR): one long scalar repeated by
#: many short aliases costs no nodes but copies the text into every later stage.
ALIAS_FLOOR = 10_000
ALIAS_RATIO = 10
ALIAS_CHARS_FLOOR = 1_000_000


class _Loader(_BaseLoader):
    """The safe loader with go-yaml v2's plain scalar resolution (see scalars.PLAIN_TAGS).

    The composer asks the resolver about every node; PyYAML's general resolver spends more
    time there than libyaml spends parsing. kubelint registers no path resolvers, so the
    two calls the composer makes around every node do nothing, and do it as functions
    written in C (whose result the composer ignores): a Python method that does nothing
    still costs the composer a frame per node, some 5% of composing.
    """

    descend_resolver = staticmethod(operator.is_)  # type: ignore[assignment]
    ascend_resolver = staticmethod(tuple)  # type: ignore[assignment]

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                tag = PLAIN_TAGS.get(value)
                if tag is not None:
                    return tag
                if value[:1] in _NUMBER_STARTS:
                    return number_tag(value)
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


_NUMBER_STARTS = frozenset(NUMBER_STARTS)
_NOTHING_SHARED: frozenset[KeyPath] = frozenset()
#: What may stand before an anchor (``&name``): a line break, white space or a flow
#: indicator. A ``&`` inside a word (``?a=1&b=2`` in a URL) is no anchor, nor is a
#: shell's ``&&`` in a command line.
_BEFORE_ANCHOR = frozenset(" \t\r\n[{,:")


def _may_anchor(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` may hold an anchor: a ``&`` that begins a token.

    Found with ``str.find`` (a scan of the text as fast as it gets): most documents hold
    no ``&`` at all, most of the others only inside URLs. A false yes only costs a walk.
    """
    index = text.find("&", start, end)
    while index != -1:
        after = text[index + 1 : index + 2]
        # An anchor's name follows at once: ``& x`` and a shell's ``&&`` name none.
        if (index == 0 or text[index - 1] in _BEFORE_ANCHOR) and after.strip() and after != "&":
            return True
        index = text.find("&", index + 1, end)
    return False


class ParseError(Exception):
    """A YAML document kubelint cannot read, with the 1-based position of the problem."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


_unusual = UNUSUAL_KEY.search


class _Converter:
    """Turns one document's node graph into plain data."""

    __slots__ = (
        "ambiguous",
        "char_budget",
        "chars",
        "depth",
        "direct",
        "duplicates",
        "expanded",
        "merges",
        "seen",
        "unusual_keys",
    )

    def __init__(self, written_chars: int) -> None:
        self.seen: set[int] = set()
        self.direct = 0  #: entries of collections written out in the document
        self.expanded = 0  #: entries added again by aliases
        self.chars = 0  #: characters of scalar values, aliases expanded
        self.char_budget = max(ALIAS_CHARS_FLOOR, ALIAS_RATIO * written_chars)
        self.depth = 0
        self.duplicates: list[int] = []
        self.ambiguous: list[int] = []  #: offsets of plain `y`/`n` read as booleans
        self.unusual_keys = False  #: a key with an UNUSUAL_KEY character, or not a string
        self.merges = False  #: a merge key (``<<``) was met

    def _refuse(self, node: Node, what: str) -> ParseError:
        return ParseError(
            f"aliases expand to too {what} (a 'billion laughs' document?); refusing to expand them",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
        )

    def _too_deep(self, node: Node) -> ParseError:
        return ParseError(
            f"nested more than {MAX_DEPTH} levels deep; kubelint refuses such input",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
        )

    def convert(self, node: Node) -> Any:
        cls = type(node)
        if cls is ScalarNode:
            text = node.value
            self.chars += len(text)
            if self.chars > self.char_budget:
                raise self._refuse(node, "much text")
            return text if node.tag == _STR else self._scalar(node, text)
        # A collection met again is an alias (and so is everything inside it, since
        # converting it the first time converted all it holds): count what it adds.
        key = id(node)
        if key in self.seen:
            self.expanded += len(node.value)
            if self.expanded > max(ALIAS_FLOOR, ALIAS_RATIO * self.direct):
                raise self._refuse(node, "many nodes")
        else:
            self.seen.add(key)
            self.direct += len(node.value)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._too_deep(node)
        if cls is MappingNode:
            result: Any = self._mapping(node)  # type: ignore[arg-type]
        else:
            result = self._sequence(node)
        self.depth -= 1
        return result

    def _scalar(self, node: Node, text: str) -> Any:
        """The value of a scalar that is not tagged as a string."""
        tag = node.tag
        if tag == _INT:
            return to_int(text)
        if tag == _BOOL:
            if text in AMBIGUOUS_BOOLEANS and not getattr(node, "style", None):
                self.ambiguous.append(node.start_mark.index)
            return text in TRUE or text.lower() in ("true", "yes", "on")
        if tag == _NULL:
            return None
        if tag == _FLOAT:
            return to_float(text)
        # timestamps, binary and custom tags stay text, as in the API server's JSON
        return text

    def _text(self, node: Node) -> str:
        """A plain string scalar's text (most values), counted like :meth:`convert` does,
        without the general call."""
        text: str = node.value
        self.chars += len(text)
        if self.chars > self.char_budget:
            raise self._refuse(node, "much text")
        return text

    def _sequence(self, node: Node) -> list[Any]:
        convert, text = self.convert, self._text
        return [
            text(item) if type(item) is ScalarNode and item.tag == _STR else convert(item)
            for item in node.value
        ]

    def _mapping(self, node: MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merged: dict[Any, Any] | None = None
        convert = self.convert
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.merges = True
                merged = self._merge_sources(value_node, merged)
                continue
            if key_node.tag == _STR:
                key = key_node.value
                # Keys count too: `{*a: 1}` repeats a long scalar as cheaply as `[*a]`.
                self.chars += len(key)
                if self.chars > self.char_budget:
                    raise self._refuse(key_node, "much text")
                # Most keys are one word: isalnum() answers for them without the regex.
                if not self.unusual_keys and not key.isalnum() and _unusual(key) is not None:
                    self.unusual_keys = True
            else:
                key = self.other_key(key_node)
            if key in result:
                self.duplicates.append(key_node.start_mark.index)
            if type(value_node) is ScalarNode and value_node.tag == _STR:
                text = value_node.value  # most values: the work of _text, inline
                self.chars += len(text)
                if self.chars > self.char_budget:
                    raise self._refuse(value_node, "much text")
                result[key] = text
            else:
                result[key] = convert(value_node)
        if merged:
            for key, value in merged.items():
                result.setdefault(key, value)
        return result

    def other_key(self, key_node: Node) -> str:
        """A mapping key that is not written as a string, as the text it stands for."""
        self.unusual_keys = True
        key: Any = self.convert(key_node)
        if isinstance(key, str):
            return key
        # Written as JSON (as YAML would write it), never as a Python repr:
        # kubelint.secrets.redact finds credentials in the JSON form.
        return "" if key is None else json.dumps(key, ensure_ascii=False, default=str)

    def _merge_sources(self, value_node: Node, merged: dict[Any, Any] | None) -> dict[Any, Any]:
        merged = dict(merged or {})
        sources = value_node.value if type(value_node) is SequenceNode else [value_node]
        for source in sources:
            data = self.convert(source)
            if isinstance(data, dict):
                for key, value in data.items():
                    merged.setdefault(key, value)
        return merged


class _AliasFreeConverter(_Converter):
    """The converter for a text without any ``&``: it holds no anchor, so no alias, and
    nothing is expanded. Such a document cannot exceed the alias budgets (its scalars are
    at most the text written), so they are not counted: most manifests are read here,
    about a third faster. Data, duplicate keys, ambiguous booleans, unusual keys, merges
    and the depth limit are exactly those of :class:`_Converter`."""

    __slots__ = ()

    def convert(self, node: Node) -> Any:
        cls = type(node)
        if cls is ScalarNode:
            return node.value if node.tag == _STR else self._scalar(node, node.value)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._too_deep(node)
        if cls is MappingNode:
            result: Any = self._mapping(node)  # type: ignore[arg-type]
        else:
            result = self._sequence(node)
        self.depth -= 1
        return result

    def _sequence(self, node: Node) -> list[Any]:
        convert = self.convert
        return [
            item.value if type(item) is ScalarNode and item.tag == _STR else convert(item)
            for item in node.value
        ]

    def _mapping(self, node: MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merged: dict[Any, Any] | None = None
        convert = self.convert
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == _STR:
                key = key_node.value
                if not self.unusual_keys and not key.isalnum() and _unusual(key) is not None:
                    self.unusual_keys = True
            elif tag == _MERGE:
                self.merges = True
                merged = self._merge_sources(value_node, merged)
                continue
            else:
                key = self.other_key(key_node)
            if key in result:
                self.duplicates.append(key_node.start_mark.index)
            if type(value_node) is ScalarNode and value_node.tag == _STR:
                result[key] = value_node.value
            else:
                result[key] = convert(value_node)
        if merged:
            for key, value in merged.items():
                result.setdefault(key, value)
        return result


def _references(root: Node) -> dict[int, int]:
    """How many times each node of a document is reached (more than once: an anchor's)."""
    counts: dict[int, int] = {}
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        key = id(node)
        if key in counts:
            counts[key] += 1  # an alias: what it holds was counted the first time
            continue
        counts[key] = 1
        if type(node) is MappingNode:
            for pair in node.value:
                stack.extend(pair)
        elif type(node) is SequenceNode:
            stack.extend(node.value)
    return counts


class _SharedPaths:
    """Finds the key paths of a document whose text is used in more than one place."""

    def __init__(self, root: Node) -> None:
        self.counts = _references(root)
        self.keys = _Converter(root.end_mark.index - root.start_mark.index)
        self.found: set[KeyPath] = set()

    def walk(self, node: Node, data: Any, path: KeyPath) -> None:
        if self.counts[id(node)] > 1:
            self.found.add(path)  # an anchored node or an alias of one: all of it is shared
            return
        if type(node) is SequenceNode and isinstance(data, list):
            for index, (item, value) in enumerate(zip(node.value, data, strict=True)):
                self.walk(item, value, (*path, index))
        elif type(node) is MappingNode and isinstance(data, dict):
            self._mapping(node, data, path)

    def _mapping(self, node: MappingNode, data: dict[str, Any], path: KeyPath) -> None:
        entries: dict[str, tuple[Node, Node]] = {}
        merges = False
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges = True
            elif key_node.tag == _STR:
                entries[key_node.value] = (key_node, value_node)  # the last duplicate wins
            else:
                entries[self.keys.other_key(key_node)] = (key_node, value_node)
        for key, (key_node, value_node) in entries.items():
            if self.counts[id(key_node)] > 1:
                self.found.add((*path, key))
            elif key in data:
                self.walk(value_node, data[key], (*path, key))
        if merges:
            # Keys the mapping does not set itself came from the merged mappings.
            self.found.update((*path, key) for key in data if key not in entries)


def shared_paths(root: Node, data: Any) -> frozenset[KeyPath]:
    """The key paths of a document (``data``, converted from ``root``) that an edit must
    not touch: a node that is anchored and aliased (at every place it appears), and a key
    that a merge key (``<<``) brought in. Paths inside those are not listed."""
    finder = _SharedPaths(root)
    finder.walk(root, data, ())
    return frozenset(finder.found)


def item_shared_paths(shared: frozenset[KeyPath], index: int) -> frozenset[KeyPath]:
    """The shared paths of the ``index``-th item of a ``kind: List`` document, relative
    to the item (``()`` when the whole item is shared)."""
    prefix: KeyPath = ("items", index)
    out: set[KeyPath] = set()
    for path in shared:
        if path[:2] == prefix:
            out.add(path[2:])
        elif prefix[: len(path)] == path:
            out.add(())
    return frozenset(out)


#: One parsed document: its node, its data, the offsets of duplicate keys and of ambiguous
#: booleans, whether some key is unusual, and its shared paths (see :func:`parse_documents`).
ParsedDocument = tuple[Node, Any, list[int], list[int], bool, frozenset[KeyPath]]


def parse_documents(text: str, name: str) -> Iterator[ParsedDocument]:
    """Yield ``(node, data, duplicate_key_offsets, ambiguous_boolean_offsets, unusual_keys,
    shared_paths)`` per document (``unusual_keys``: a key has an :data:`UNUSUAL_KEY`
    character or is not a string; ``shared_paths``: see :func:`shared_paths`).

    Ambiguous booleans are plain ``y``/``Y``/``n``/``N`` scalars, read as booleans as the
    cluster reads them.

    Raises :class:`ParseError` at the first document that cannot be read; the documents
    before it have been yielded already.
    """
    loader = _Loader(text)
    # An alias needs an anchor, and an anchor is written with ``&``.
    anchors = "&" in text
    converter_class = _Converter if anchors else _AliasFreeConverter
    try:
        while True:
            try:
                if not loader.check_node():
                    return
                node = loader.get_node()
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                problem = exc.problem or exc.context or "invalid YAML"
                if exc.context and exc.problem:
                    problem = f"{problem} ({exc.context})"
                raise ParseError(
                    problem,
                    mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None,
                ) from None
            except yaml.YAMLError as exc:
                raise ParseError(str(exc).splitlines()[0], None, None) from None
            except RecursionError:
                raise ParseError("document is nested too deeply", None, None) from None
            if node is None:
                continue
            converter = converter_class(node.end_mark.index - node.start_mark.index)
            try:
                data = converter.convert(node)
            except RecursionError:
                raise ParseError(
                    "document is nested too deeply",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                ) from None
            # Aliases need an anchor (``&``); a merge key may also merge an inline mapping.
            shared: frozenset[KeyPath] = (
                shared_paths(node, data)
                if converter.merges
                or (anchors and _may_anchor(text, node.start_mark.index, node.end_mark.index))
                else _NOTHING_SHARED
            )
            yield (
                node,
                data,
                converter.duplicates,
                converter.ambiguous,
                converter.unusual_keys,
                shared,
            )
    finally:
        loader.dispose()
