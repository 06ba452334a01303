"""Key paths to positions and back, walking the parsed node graph on demand.

Only findings need positions, so nothing is indexed up front: a lookup walks from the
object's root node along the path, which costs a few steps per finding. For very large
inputs the loader keeps no nodes at all; :func:`reparse` rebuilds one object's node from
the source text when a finding needs it.
"""

from __future__ import annotations

from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kubelint.model import KeyPath


def _key_text(node: Node) -> str:
    return str(node.value) if type(node) is ScalarNode else ""


def locate(root: Node, path: KeyPath) -> tuple[int, int, KeyPath]:
    """1-based (line, column) of ``path`` under ``root`` and the part of it that exists.

    A mapping entry is located at its key; a missing entry at its nearest existing parent.
    """
    mark = root.start_mark
    node: Any = root
    found: list[str | int] = []
    for part in path:
        if type(node) is MappingNode:
            entry = None
            for key_node, value_node in node.value:  # the last duplicate wins, as in the API
                if _key_text(key_node) == str(part):
                    entry = (key_node, value_node)
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
        if type(node) is MappingNode:
            for key_node, value_node in node.value:
                if key_node.start_mark.index <= offset < key_node.end_mark.index:
                    path.append(_key_text(key_node))
                    return tuple(path)
                if (
                    value_node.start_mark.index
                    <= offset
                    < max(value_node.end_mark.index, value_node.start_mark.index + 1)
                ):
                    path.append(_key_text(key_node))
                    node = value_node
                    break
            else:
                return tuple(path)
        elif type(node) is SequenceNode:
            for index, item in enumerate(node.value):
                if (
                    item.start_mark.index
                    <= offset
                    < max(item.end_mark.index, item.start_mark.index + 1)
                ):
                    path.append(index)
                    node = item
                    break
            else:
                return tuple(path)
        else:
            return tuple(path)


def reparse(text: str, doc_range: tuple[int, int], item_index: int | None) -> Any:
    """The node of the object whose document root spans ``doc_range`` in ``text``.

    The document is parsed again from the start of its first line, so columns come out as
    in the whole file while lines and character offsets count from that line start (see
    K8sObject, which adds them back). For a ``kind: List`` item, the item's node.
    """
    from kubelint.loader.yamlparse import _Loader

    start, end = doc_range
    line_start = text.rfind("\n", 0, start) + 1
    loader = _Loader(text[line_start:end])
    try:
        node: Any = loader.get_single_node()
    finally:
        loader.dispose()
    if item_index is not None:
        for key, value in node.value:
            if type(key) is ScalarNode and key.value == "items" and type(value) is SequenceNode:
                node = value.value[item_index]
    return node
