"""Key paths to positions and back, walking the parsed node graph on demand.

Only findings need positions, so nothing is indexed up front: a lookup walks from the
object's root node along the path, which costs a few steps per finding. For very large
inputs the loader keeps no nodes at all; :func:`reparse` rebuilds one object's node from
the source text when a finding needs it.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any

from kubelint.model import KeyPath, Source

if TYPE_CHECKING:
    from yaml.error import Mark
    from yaml.nodes import Node, SequenceNode

# PyYAML's node classes are imported where nodes are walked: a node exists only once
# PyYAML has been loaded, and a run read by the compiled reader (loader.fastread) never
# loads it.


def _key_text(node: Node) -> str:
    from yaml.nodes import ScalarNode

    return str(node.value) if type(node) is ScalarNode else ""


def locate(root: Node, path: KeyPath) -> tuple[int, int, KeyPath]:
    """1-based (line, column) of ``path`` under ``root`` and the part of it that exists.

    A mapping entry is located at its key; a missing entry at its nearest existing parent.
    """
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    mark = root.start_mark
    node: Any = root
    found: list[str | int] = []
    for part in path:
        if type(node) is MappingNode:
            wanted = str(part)
            entry = None
            # The last duplicate wins, as in the API: searched from the end. A key that is
            # no scalar has the text "" (see _key_text, inlined: a call per key costs more
            # than the comparison).
            for pair in reversed(node.value):
                key_node = pair[0]
                if (key_node.value if type(key_node) is ScalarNode else "") == wanted:
                    entry = pair
                    break
            if entry is None:
                break
            mark, node = entry[0].start_mark, entry[1]
        elif type(node) is SequenceNode and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
        found.append(part)
    return mark.line + 1, mark.column + 1, tuple(found)


def path_at_offset(root: Node, offset: int) -> KeyPath:
    """The key path of the innermost node whose text contains ``offset``."""
    path: list[str | int] = []
    node: Any = root
    while True:
        step = _child_at(node, offset)
        if step is None:
            return tuple(path)
        part, node = step
        path.append(part)
        if node is None:
            return tuple(path)


def _child_at(node: Any, offset: int) -> tuple[str | int, Any] | None:
    """The key (or index) of the child of ``node`` whose text holds ``offset``, and the
    child's node (None when ``offset`` is in the key itself); None when no child holds it."""
    from yaml.nodes import MappingNode, SequenceNode

    if type(node) is MappingNode:
        for key_node, value_node in node.value:
            if key_node.start_mark.index <= offset < key_node.end_mark.index:
                return _key_text(key_node), None
            if _holds(value_node, offset):
                return _key_text(key_node), value_node
    elif type(node) is SequenceNode:
        for index, item in enumerate(node.value):
            if _holds(item, offset):
                return index, item
    return None


def _holds(node: Node, offset: int) -> bool:
    # An empty node (a value left out) holds the one character where it starts.
    start = node.start_mark.index
    return start <= offset < max(node.end_mark.index, start + 1)


class NodeLocator:
    """Positions from an object's parsed node, kept in memory."""

    __slots__ = ("node",)

    def __init__(self, node: Node) -> None:
        self.node = node

    def locate(self, path: KeyPath) -> tuple[int, int, KeyPath]:
        """1-based (line, column) of ``path`` and the part of it that exists."""
        return locate(self.node, path)

    def path_at(self, offset: int) -> KeyPath:
        """The key path of the innermost node whose text contains ``offset``."""
        return path_at_offset(self.node, offset)

    def span(self) -> tuple[int, int]:
        """The character range of the node."""
        return self.node.start_mark.index, self.node.end_mark.index

    def list_items(self) -> list[NodeLocator]:
        """The items of a ``kind: List`` object (see :func:`list_items_node`)."""
        items = list_items_node(self.node)
        return [NodeLocator(item) for item in items.value] if items is not None else []

    def release(self) -> None:
        """Nothing to let go: the node cannot be rebuilt without the document's range."""


class ReparseLocator:
    """Positions of an object whose node was not kept: its document is parsed again when
    a position is needed (very large inputs, documents after a broken one, context)."""

    __slots__ = ("document", "item_index", "node", "source")

    def __init__(self, source: Source, document: tuple[int, int], item_index: int | None) -> None:
        self.source = source
        #: Character range of the document's root node in the source.
        self.document = document
        self.item_index = item_index
        self.node: Node | None = None

    def _node(self) -> tuple[Node, int, int]:
        """The node, and how many characters and lines its marks count short of the file's."""
        source = self.source
        line = source.position(self.document[0])[0]
        if self.node is None:
            self.node = reparse(source.text, self.document, self.item_index, source.line_starts)
        return self.node, source.line_starts[line - 1], line - 1

    def locate(self, path: KeyPath) -> tuple[int, int, KeyPath]:
        """1-based (line, column) of ``path`` in the file and the part of it that exists."""
        node, _, lines = self._node()
        line, column, found = locate(node, path)
        return line + lines, column, found

    def path_at(self, offset: int) -> KeyPath:
        """The key path of the innermost node whose text contains ``offset`` of the file."""
        node, delta, _ = self._node()
        return path_at_offset(node, offset - delta)

    def release(self) -> None:
        """Drop the re-parsed node: it is parsed again if asked once more."""
        self.node = None


def list_items_node(node: Any) -> SequenceNode | None:
    """The ``items`` sequence of a ``kind: List`` node, found as its data was built.

    The last ``items`` key wins (as for every duplicate key); without one, the first merge
    source (``<<``) that has it, searched depth first. Anchors can make the graph cyclic,
    so every mapping is visited at most once.
    """
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    seen: set[int] = set()
    stack: list[Any] = [node]
    while stack:
        current = stack.pop()
        if type(current) is not MappingNode or id(current) in seen:
            continue
        seen.add(id(current))
        found: SequenceNode | None = None
        sources: list[Any] = []
        for key, value in current.value:
            if type(key) is not ScalarNode:
                continue
            if key.value == "items" and key.tag != _MERGE and type(value) is SequenceNode:
                found = value
            elif key.tag == _MERGE:
                sources.extend(value.value if type(value) is SequenceNode else [value])
        if found is not None:
            return found
        stack.extend(reversed(sources))
    return None


_MERGE = "tag:yaml.org,2002:merge"


def _directives(text: str, line_starts: list[int], line: int) -> str:
    """The ``%`` directive lines right before the document whose first line is ``line``.

    Looks back over the ``---`` line, comments and blank lines only, so the cost is the
    length of that header. ``line`` is 0-based, ``line_starts`` the file's line index.
    """
    found: list[str] = []
    while line > 0:
        line -= 1
        text_of_line = text[line_starts[line] : line_starts[line + 1]].rstrip(
            "\r\n\x85\u2028\u2029"
        )
        stripped = text_of_line.strip()
        if stripped.startswith("%"):
            found.append(text_of_line)
        elif stripped and not stripped.startswith(("#", "---")):
            break
    return "".join(line_text + "\n" for line_text in reversed(found))


def reparse(
    text: str, doc_range: tuple[int, int], item_index: int | None, line_starts: list[int]
) -> Any:
    """The node of the object whose document root spans ``doc_range`` in ``text``.

    The document is parsed again from the start of its first line (``line_starts`` is the
    file's line index), so
    columns come out as in the whole file while lines and character offsets count from that
    line start (see ReparseLocator, which adds them back). Directives before the document
    (``%TAG``) are parsed with it and their lines taken off the marks again. For a
    ``kind: List`` item, the item's node.
    """
    from kubelint.loader.yamlparse import _Loader

    start, end = doc_range
    line = bisect.bisect_right(line_starts, start) - 1
    line_start = line_starts[line]
    prefix = _directives(text, line_starts, line)
    body = text[line_start:end]
    if prefix and not body.startswith("---"):
        prefix += "---\n"
    loader = _Loader(prefix + body)
    try:
        node: Any = loader.get_single_node()
    finally:
        loader.dispose()
    if prefix:
        _shift_marks(node, prefix.count("\n"), len(prefix))
    if item_index is not None:
        items = list_items_node(node)
        if items is not None:
            node = items.value[item_index]
    return node


def _shift_marks(root: Node, lines: int, chars: int) -> None:
    """Take ``lines`` and ``chars`` off the marks of every node under ``root`` (once each).

    libyaml's marks are read-only: each node gets new ones.
    """
    from yaml.nodes import MappingNode, SequenceNode

    seen: set[int] = set()
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.start_mark = _shifted(node.start_mark, lines, chars)
        node.end_mark = _shifted(node.end_mark, lines, chars)
        if type(node) is MappingNode:
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif type(node) is SequenceNode:
            stack.extend(node.value)


def _shifted(mark: Any, lines: int, chars: int) -> Mark:
    from yaml.error import Mark

    return Mark(mark.name, mark.index - chars, mark.line - lines, mark.column, "", 0)
