"""One edit of one object turned into one text change (a splice), from the parse nodes.

A splice replaces ``text[start:end]`` and nothing else: what is around it stays
byte for byte. Whatever this module cannot do exactly it refuses (:class:`Refused`); the
engine checks every result by reading the text again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kubelint.edit.render import (
    Style,
    block_lines,
    flow,
    inline,
    is_collection,
    render_scalar,
)
from kubelint.model import Edit, KeyPath

_NULL = "tag:yaml.org,2002:null"
#: ``text[start:end]`` is replaced by the string.
Splice = tuple[int, int, str]


class Refused(Exception):
    """An edit the engine will not make, with the reason shown to users."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Step:
    """One part of a key path found in the nodes: the collection holding it, the key's
    node (None for a list item) and the value's node."""

    container: Node
    key: Node | None
    node: Node


@dataclass(frozen=True)
class Document:
    """The parse of the text around one object: its node (marks count from ``base``)."""

    text: str
    base: int
    node: Node
    style: Style

    def at(self, mark: Mark) -> int:
        """The offset in :attr:`text` of a mark of the nodes."""
        return self.base + int(mark.index)


def splice(doc: Document, edit: Edit) -> Splice:
    """The text change that makes ``edit`` on the object of ``doc`` (not a no-op edit)."""
    chain, rest = walk(doc.node, edit.path)
    if edit.operation == "set":
        return _set(doc, chain, rest, edit.value)
    if edit.operation == "delete":
        if rest:
            raise Refused("there is nothing to delete")
        return _delete(doc, chain)
    target = chain[-1].node if chain else doc.node
    if rest or _is_null(target):
        return _set(doc, chain, rest, [edit.value])
    if type(target) is not SequenceNode:
        raise Refused("the value to append to is not a list")
    return _append(doc, target, edit.value)


def walk(root: Node, path: KeyPath) -> tuple[list[Step], KeyPath]:
    """The steps of ``path`` that exist under ``root``, and the parts that do not."""
    node = root
    chain: list[Step] = []
    for index, part in enumerate(path):
        if type(node) is MappingNode:
            found = [
                (key, value)
                for key, value in node.value
                if type(key) is ScalarNode and isinstance(part, str) and key.value == part
            ]
            if len(found) > 1:
                raise Refused("the key is written twice")
            if not found:
                return chain, path[index:]
            step = Step(node, found[0][0], found[0][1])
        elif type(node) is SequenceNode:
            if not isinstance(part, int) or not 0 <= part < len(node.value):
                raise Refused("the list item is missing")
            step = Step(node, None, node.value[part])
        else:
            return chain, path[index:]
        chain.append(step)
        node = step.node
    return chain, ()


def _flow(node: Node) -> bool:
    """Whether a collection is written in flow style (``{}``, ``[]``)."""
    return bool(getattr(node, "flow_style", False))


def _is_null(node: Node) -> bool:
    return type(node) is ScalarNode and node.tag == _NULL


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    found = text.find("\n", offset)
    return len(text) if found == -1 else found + 1


def content_end(doc: Document, node: Node) -> int:
    """Where the last character of ``node``'s own text is (block collections end at the
    next token, block scalars after their trailing line breaks: both are walked back)."""
    while type(node) in (MappingNode, SequenceNode) and not _flow(node) and node.value:
        last = node.value[-1]
        node = last[1] if type(node) is MappingNode else last
    end = doc.at(node.end_mark)
    if type(node) is ScalarNode and node.style in ("|", ">"):
        start = doc.at(node.start_mark)
        while end > start and doc.text[end - 1] in " \t\r\n":
            end -= 1
    return end


def _placeholder(node: Node) -> bool:
    """An empty flow mapping (``{}``), often a placeholder to fill."""
    return type(node) is MappingNode and not node.value and _flow(node)


def _empty(node: Node) -> bool:
    """A value left out (``key:`` with nothing after it)."""
    return type(node) is ScalarNode and node.value == "" and not node.style


def _colon(doc: Document, key: Node) -> int:
    """The offset just after the ``:`` that follows a block mapping key."""
    text = doc.text
    index = doc.at(key.end_mark)
    while index < len(text) and text[index] in " \t":
        index += 1
    if index >= len(text) or text[index] != ":":
        raise Refused("the key is not a simple key")
    return index + 1


def _lines(doc: Document, lines: list[str], after_break: bool) -> str:
    """``lines`` as text to insert: after a line break, or at the end of a last line."""
    newline = doc.style.newline
    body = newline.join(lines)
    return body + newline if after_break else newline + body


def _insert_lines(doc: Document, offset: int, lines: list[str]) -> Splice:
    after_break = offset == 0 or doc.text[offset - 1] == "\n"
    return offset, offset, _lines(doc, lines, after_break)


def _set(doc: Document, chain: list[Step], rest: KeyPath, value: Any) -> Splice:
    if not rest:
        return _replace(doc, chain[-1], value)
    if not all(isinstance(part, str) for part in rest):
        raise Refused("the list item to set is missing")
    nested = value
    for part in reversed(rest[1:]):
        nested = {part: nested}
    parent = chain[-1].node if chain else doc.node
    if type(parent) is MappingNode:
        if _placeholder(parent) and chain and chain[-1].key and not _flow(chain[-1].container):
            # `securityContext: {}` in a block mapping: filled in as a block, as people do.
            return _replace(doc, chain[-1], {rest[0]: nested})
        if parent.flow_style or not parent.value:
            return _flow_add(doc, parent, str(rest[0]), nested)
        column = parent.value[0][0].start_mark.column
        offset = _line_end(doc.text, content_end(doc, parent))
        style = _style_at(doc, parent)
        return _insert_lines(doc, offset, block_lines({rest[0]: nested}, column, style))
    if _is_null(parent) and chain:
        return _replace(doc, chain[-1], {rest[0]: nested})
    raise Refused("the value there is not a mapping")


def _flow_add(doc: Document, mapping: MappingNode, key: str, value: Any) -> Splice:
    as_json = doc.style.json
    written_key = flow(key, as_json) if as_json else render_scalar(key, True)
    entry = f"{written_key}: {flow(value, as_json)}"
    if not mapping.value:
        offset = doc.at(mapping.start_mark) + 1
        return offset, offset, entry
    last_key, last_value = mapping.value[-1]
    return _flow_insert(doc, mapping, doc.at(last_key.start_mark), last_value, entry)


def _flow_insert(doc: Document, container: Node, last_start: int, last: Node, item: str) -> Splice:
    """``item`` added after the last item of a flow collection: on a line of its own,
    indented like the last one, when that one stands on a line of its own."""
    text = doc.text
    end = content_end(doc, last)
    line_start = _line_start(text, last_start)
    own_line = line_start > doc.at(container.start_mark) and not text[line_start:last_start].strip()
    if own_line:
        return end, end, "," + doc.style.newline + text[line_start:last_start] + item
    return end, end, ", " + item


def _replace(doc: Document, step: Step, value: Any) -> Splice:
    """Replace the value of one mapping entry or list item."""
    node = step.node
    start, end = doc.at(node.start_mark), content_end(doc, node)
    block = _placeholder(node) and isinstance(value, dict) and step.key is not None
    if _flow(step.container) or (_flow(node) and not block):
        return start, end, flow(value, doc.style.json)
    block_scalar = type(node) is ScalarNode and node.style in ("|", ">")
    if type(node) is ScalarNode and not block_scalar and not is_collection(value):
        return (start, end, " " + inline(value)) if _empty(node) else (start, end, inline(value))
    if step.key is None:
        if is_collection(value):
            raise Refused("a list item would become a block")
        return start, end, inline(value)
    colon = _colon(doc, step.key)
    stop, rest = _entry_rest(doc, colon, start, colon if _empty(node) else max(end, colon))
    if not is_collection(value):
        return colon, stop, " " + inline(value) + rest + _break_after(doc, stop)
    style = _style_at(doc, step.container)
    column = step.key.start_mark.column
    column += style.step if isinstance(value, dict) else style.seq_offset
    lines = block_lines(value, column, style)
    return colon, stop, rest + _lines(doc, lines, False) + _break_after(doc, stop)


def _entry_rest(doc: Document, colon: int, start: int, end: int) -> tuple[int, str]:
    """Where the text an entry's new value replaces ends, and what of the key's line stays
    after the value: its comment (a value that ran over more lines goes with the comment of
    its last line), without the line break."""
    text = doc.text
    key_line_end = _line_end(text, colon)
    if end < key_line_end or start >= key_line_end:
        rest = text[end:key_line_end] if end < key_line_end else text[colon:key_line_end]
        stop = max(key_line_end, _line_end(text, end))
    else:  # a scalar over several lines, from the key's line on
        rest, stop = "", _line_end(text, end)
    return stop, rest.rstrip("\r\n")


def _break_after(doc: Document, stop: int) -> str:
    """The line break that ended the replaced text (none at the end of a last line without
    one)."""
    return doc.style.newline if doc.text[stop - 1 : stop] == "\n" else ""


def _delete(doc: Document, chain: list[Step]) -> Splice:
    step = chain[-1]
    container = step.container
    items: list[Any] = container.value
    index = next(i for i, item in enumerate(items) if _item_node(container, item) is step.node)
    if _flow(container):
        return _flow_remove(doc, container, index)
    if len(items) == 1:
        if len(chain) < 2:
            raise Refused("the object would be left empty")
        return _emptied(doc, chain[-2], step, index)
    if step.key is None or type(container) is not MappingNode:
        return _block_remove_item(doc, step.node)
    return _block_remove_entry(doc, container, index)


def _emptied(doc: Document, parent: Step, step: Step, index: int) -> Splice:
    """The removal of the only entry of a block collection, which becomes ``{}`` or
    ``[]`` (left empty, it would read as null): comments between stay."""
    mapping = type(step.container) is MappingNode
    empty: Any = {} if mapping else []
    if parent.key is None or _flow(parent.container):
        return _replace(doc, parent, empty)
    if mapping:
        start, stop, _ = _block_remove_entry(doc, step.container, index)  # type: ignore[arg-type]
    else:
        start, stop, _ = _block_remove_item(doc, step.node)
    colon = _colon(doc, parent.key)
    if _line_end(doc.text, colon) > start:
        return _replace(doc, parent, empty)
    return colon, stop, " " + inline(empty) + doc.text[colon:start]


def _item_node(container: Node, item: Any) -> Node:
    return item[1] if type(container) is MappingNode else item  # type: ignore[no-any-return]


def _item_start(doc: Document, container: Node, item: Any) -> int:
    first = item[0] if type(container) is MappingNode else item
    return doc.at(first.start_mark)


def _flow_remove(doc: Document, container: Node, index: int) -> Splice:
    items: list[Any] = container.value
    if len(items) == 1:
        empty = "{}" if type(container) is MappingNode else "[]"
        return doc.at(container.start_mark), doc.at(container.end_mark), empty
    if index + 1 < len(items):
        start = _item_start(doc, container, items[index])
        return start, _item_start(doc, container, items[index + 1]), ""
    previous = content_end(doc, _item_node(container, items[index - 1]))
    return previous, content_end(doc, _item_node(container, items[index])), ""


def _block_remove_entry(doc: Document, mapping: MappingNode, index: int) -> Splice:
    """The removal of the lines of a block mapping's entry (its first key may share the
    line of a list item's dash: the next key moves up to its place)."""
    text = doc.text
    key, value = mapping.value[index]
    start = doc.at(key.start_mark)
    line_start = _line_start(text, start)
    line_end = _line_end(text, content_end(doc, value))
    if not text[line_start:start].strip():
        return _whole_lines(text, line_start, line_end)
    # The first key of a list item (``- name: x``): the next key moves up to its place.
    if index != 0 or len(mapping.value) < 2:
        raise Refused("the entry shares its line with another")
    following = doc.at(mapping.value[1][0].start_mark)
    following_line = _line_start(text, following)
    if text[line_end:following_line].strip() or text[following_line:following].strip():
        raise Refused("a comment between the entries would move")
    return start, following, ""


def _dash(doc: Document, item: Node) -> int:
    """The offset of the ``-`` of a block sequence item."""
    text = doc.text
    index = doc.at(item.start_mark) - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    if index < 0 or text[index] != "-":
        raise Refused("the list item is not written as '- item'")
    return index


def _block_remove_item(doc: Document, item: Node) -> Splice:
    text = doc.text
    dash = _dash(doc, item)
    line_start = _line_start(text, dash)
    if text[line_start:dash].strip():
        raise Refused("the list item shares its line with another")
    return _whole_lines(text, line_start, _line_end(text, content_end(doc, item)))


def _whole_lines(text: str, start: int, stop: int) -> Splice:
    """The removal of the lines ``text[start:stop]``; when they are the last ones and the
    text ends without a line break, the break before them goes too (none is added)."""
    if stop == len(text) and not text.endswith("\n") and start > 0:
        start -= 2 if text[start - 2 : start] == "\r\n" else 1
    return start, stop, ""


def _append(doc: Document, sequence: SequenceNode, value: Any) -> Splice:
    if sequence.flow_style or not sequence.value:
        written = flow(value, doc.style.json)
        if not sequence.value:
            offset = doc.at(sequence.start_mark) + 1
            return offset, offset, written
        last = sequence.value[-1]
        return _flow_insert(doc, sequence, doc.at(last.start_mark), last, written)
    dash = _dash(doc, sequence.value[0])
    column = dash - _line_start(doc.text, dash)
    offset = _line_end(doc.text, content_end(doc, sequence))
    return _insert_lines(doc, offset, block_lines([value], column, doc.style))


def detect_style(text: str, base: int, root: Node, newline: str) -> Style:
    """The indentation the object's text uses (two spaces, sequences indented, when it
    shows none)."""
    step, seq = _measure(text, base, root)
    step = step or 2
    as_json = (
        type(root) is MappingNode
        and bool(root.flow_style)
        and any(type(key) is ScalarNode and key.style == '"' for key, _ in root.value)
    )
    return Style(step, step if seq is None else seq, newline, as_json)


def _style_at(doc: Document, node: Node) -> Style:
    """The indentation of the text around ``node``: what its own entries do, else what
    the object does (siblings are copied before cousins)."""
    step, seq = _measure(doc.text, doc.base, node)
    return Style(
        doc.style.step if step is None else step,
        doc.style.seq_offset if seq is None else seq,
        doc.style.newline,
        doc.style.json,
    )


def _measure(text: str, base: int, root: Node) -> tuple[int | None, int | None]:
    """How far the first nested block mapping under ``root`` is indented from its key,
    and how far the first block sequence is (None when there is none)."""
    step: int | None = None
    seq: int | None = None
    seen: set[int] = set()
    stack = [root]
    while stack and (step is None or seq is None):
        node = stack.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if type(node) is SequenceNode:
            stack.extend(node.value)
        if type(node) is not MappingNode or node.flow_style:
            continue
        for key, value in node.value:
            stack.append(value)
            if not value.value or getattr(value, "flow_style", True):
                continue
            if type(value) is MappingNode and step is None:
                found = value.value[0][0].start_mark.column - key.start_mark.column
                step = found if found > 0 else None
            elif type(value) is SequenceNode and seq is None:
                seq = _dash_column(text, base, value.value[0], key.start_mark.column)
    return step, seq


def _dash_column(text: str, base: int, item: Node, key_column: int) -> int | None:
    index = base + item.start_mark.index - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    if index < 0 or text[index] != "-":
        return None
    found = index - _line_start(text, index) - key_column
    return found if found >= 0 else None
