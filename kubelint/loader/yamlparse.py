"""YAML to plain data, keeping the parsed nodes for positions.

libyaml (through PyYAML's C composer) builds the node graph with a line/column mark on
every node; turning nodes into plain data here is cheap and fully under our control:
no Python object is ever constructed from a tag, aliases are expanded within a budget
(a "billion laughs" document is refused), and duplicate keys are recorded.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml is bundled in PyYAML's wheels; the pure-Python composer is a slow fallback
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - exercised only without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

#: Nodes that alias expansion may add beyond this floor, or beyond ALIAS_RATIO times the
#: nodes written out in the document, whichever is larger.
ALIAS_FLOOR = 10_000
ALIAS_RATIO = 10


_WILDCARD = tuple(_BaseLoader.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {
    first: tuple(resolvers) + _WILDCARD
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    if first is not None
}


class _Loader(_BaseLoader):
    """The safe loader with a lean tag resolver (same tags, no path-resolver bookkeeping).

    The composer asks the resolver about every node; PyYAML's general resolver spends more
    time there than libyaml spends parsing. kubelint registers no path resolvers.
    """

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                    if regexp.match(value):
                        return str(tag)
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


class ParseError(Exception):
    """A YAML document kubelint cannot read, with the 1-based position of the problem."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _int(text: str) -> Any:
    value = text.replace("_", "")
    sign = 1
    if value[:1] in "+-":
        if value[0] == "-":
            sign = -1
        value = value[1:]
    try:
        if value == "0":
            return 0
        if value.startswith("0b"):
            return sign * int(value[2:], 2)
        if value.startswith("0x"):
            return sign * int(value[2:], 16)
        if value.startswith("0o"):
            return sign * int(value[2:], 8)
        if value.startswith("0"):
            return sign * int(value, 8)
        if ":" in value:
            total = 0
            for part in value.split(":"):
                total = total * 60 + int(part)
            return sign * total
        return sign * int(value)
    except ValueError:
        return text


def _float(text: str) -> Any:
    value = text.replace("_", "").lower()
    if value in (".inf", "+.inf"):
        return math.inf
    if value == "-.inf":
        return -math.inf
    if value == ".nan":
        return math.nan
    try:
        return float(value)
    except ValueError:
        return text


class _Converter:
    """Turns one document's node graph into plain data."""

    __slots__ = ("direct", "duplicates", "expanded", "seen")

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.direct = 0  #: entries of collections written out in the document
        self.expanded = 0  #: entries added again by aliases
        self.duplicates: list[int] = []

    def convert(self, node: Node) -> Any:
        cls = type(node)
        if cls is ScalarNode:
            tag = node.tag
            if tag == _STR:
                return node.value
            if tag == _INT:
                return _int(node.value)
            if tag == _BOOL:
                return node.value.lower() in ("true", "yes", "on")
            if tag == _NULL:
                return None
            if tag == _FLOAT:
                return _float(node.value)
            # timestamps, binary and custom tags stay text, as in the API server's JSON
            return node.value
        # A collection met again is an alias (and so is everything inside it, since
        # converting it the first time converted all it holds): count what it adds.
        key = id(node)
        if key in self.seen:
            self.expanded += len(node.value)
            if self.expanded > max(ALIAS_FLOOR, ALIAS_RATIO * self.direct):
                raise ParseError(
                    "aliases expand to too many nodes (a 'billion laughs' document?); "
                    "refusing to expand them",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                )
        else:
            self.seen.add(key)
            self.direct += len(node.value)
        if cls is MappingNode:
            return self._mapping(node)  # type: ignore[arg-type]
        convert = self.convert
        return [convert(item) for item in node.value]

    def _mapping(self, node: MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merged: dict[Any, Any] | None = None
        convert = self.convert
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged = self._merge_sources(value_node, merged)
                continue
            if key_node.tag == _STR:
                key = key_node.value
            else:
                key = convert(key_node)
                if not isinstance(key, str):
                    # Written as JSON (as YAML would write it), never as a Python repr:
                    # kubelint.secrets.redact finds credentials in the JSON form.
                    key = "" if key is None else json.dumps(key, ensure_ascii=False, default=str)
            if key in result:
                self.duplicates.append(key_node.start_mark.index)
            result[key] = convert(value_node)
        if merged:
            for key, value in merged.items():
                result.setdefault(key, value)
        return result

    def _merge_sources(self, value_node: Node, merged: dict[Any, Any] | None) -> dict[Any, Any]:
        merged = dict(merged or {})
        sources = value_node.value if type(value_node) is SequenceNode else [value_node]
        for source in sources:
            data = self.convert(source)
            if isinstance(data, dict):
                for key, value in data.items():
                    merged.setdefault(key, value)
        return merged


def parse_documents(text: str, name: str) -> Iterator[tuple[Node, Any, list[int]]]:
    """Yield ``(node, data, duplicate_key_offsets)`` for each document of ``text``.

    Raises :class:`ParseError` at the first document that cannot be read; the documents
    before it have been yielded already.
    """
    loader = _Loader(text)
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
            converter = _Converter()
            try:
                data = converter.convert(node)
            except RecursionError:
                raise ParseError(
                    "document is nested too deeply",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                ) from None
            yield node, data, converter.duplicates
    finally:
        loader.dispose()
