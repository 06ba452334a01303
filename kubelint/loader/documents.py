"""One source (file or standard input) to Kubernetes objects, errors and notices."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from kubelint.loader.source import DecodeError, SourceFile, decode
from kubelint.loader.yamlparse import ParseError, parse_documents
from kubelint.model import InputProblem, K8sObject

_HELM_SOURCE_RE = re.compile(r"^#\s*Source:\s*(\S.*?)\s*$", re.MULTILINE)

UNRENDERED_TEMPLATE = "unrendered Helm template: pipe `helm template` output into kubelint"


@dataclass
class LoadedFile:
    source: SourceFile
    objects: list[K8sObject] = field(default_factory=list)
    errors: list[InputProblem] = field(default_factory=list)
    notices: list[InputProblem] = field(default_factory=list)
    #: Non-empty documents that are not Kubernetes objects (values files, CI configs, ...).
    skipped: int = 0


#: Files that look like objects but configure tools, not the cluster.
_TOOL_API_GROUPS = ("kustomize.config.k8s.io/",)


def _is_object(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("apiVersion"), str)
        and isinstance(data.get("kind"), str)
        and bool(data["apiVersion"])
        and bool(data["kind"])
        and not data["apiVersion"].startswith(_TOOL_API_GROUPS)
    )


def _is_list(data: dict[str, Any]) -> bool:
    return data["kind"].endswith("List") and isinstance(data.get("items"), list)


def _is_helm_template(display: str) -> bool:
    return "templates" in PurePath(display).parts


def load_source(
    display: str,
    raw: bytes,
    *,
    default_namespace: str = "default",
    reported: bool = True,
    low_memory: bool = False,
) -> LoadedFile:
    """Read one source; never raises for bad input (problems are returned).

    With ``low_memory`` no parse nodes are kept: an object re-parses its document when a
    finding needs a position (for very large inputs, where nodes would take 50 times the
    size of the text).
    """
    try:
        text = decode(raw)
    except DecodeError as exc:
        result = LoadedFile(SourceFile(display, "", reported))
        result.errors.append(InputProblem(display, exc.line, exc.column, str(exc)))
        return result
    source = SourceFile(display, text, reported)
    result = LoadedFile(source)
    if "{{" in text and _is_helm_template(display):
        result.notices.append(InputProblem(display, None, None, UNRENDERED_TEMPLATE))
        return result

    helm_sources = _helm_sources(text)
    previous_end = 0
    doc_index = -1
    try:
        for node, data, duplicates in parse_documents(text, display):
            doc_index += 1
            start = previous_end
            end = node.end_mark.index
            previous_end = end
            added = len(result.objects)
            if data is None or data == "" or data == {} or data == []:
                continue
            if not _is_object(data):
                result.skipped += 1
                continue
            helm = None
            for offset, name in helm_sources:
                if start <= offset < node.start_mark.index:
                    helm = name
            if _is_list(data):
                items = data["items"]
                item_nodes = _items_node(node)
                for index, item in enumerate(items):
                    if not _is_object(item) or item_nodes is None:
                        result.skipped += 1
                        continue
                    item_node = item_nodes[index]
                    item_dups = tuple(
                        off
                        for off in duplicates
                        if item_node.start_mark.index <= off < item_node.end_mark.index
                    )
                    result.objects.append(
                        K8sObject(
                            item,
                            source,
                            doc_index,
                            index,
                            helm,
                            default_namespace,
                            item_node,
                            item_node.start_mark.index,
                            item_node.end_mark.index,
                            item_dups,
                        )
                    )
                if low_memory:
                    _drop_nodes(result.objects[added:], node)
                continue
            result.objects.append(
                K8sObject(
                    data,
                    source,
                    doc_index,
                    None,
                    helm,
                    default_namespace,
                    node,
                    start,
                    end,
                    tuple(duplicates),
                )
            )
            if low_memory:
                _drop_nodes(result.objects[added:], node)
    except ParseError as exc:
        message = f"invalid YAML: {exc.message}"
        if "{{" in text:
            message += " (is this an unrendered template? pipe `helm template` output instead)"
        result.errors.append(InputProblem(display, exc.line, exc.column, message))
    if result.objects:
        # Text after the last document (trailing comments) belongs to the last object.
        last = result.objects[-1]
        if last.item_index is None:
            last.text_end = len(text)
    return result


def _drop_nodes(objects: list[K8sObject], document: Any) -> None:
    """Keep only where the document is; it is parsed again if a position is needed."""
    for obj in objects:
        obj.node = None
        obj.reparse_range = (document.start_mark.index, document.end_mark.index)


def _helm_sources(text: str) -> list[tuple[int, str]]:
    """Offsets and template names of ``# Source: chart/templates/x.yaml`` comment lines."""
    found = []
    pos = text.find("Source:")
    while pos != -1:
        line_start = text.rfind("\n", 0, pos) + 1
        match = _HELM_SOURCE_RE.match(text, line_start)
        if match:
            found.append((line_start, match.group(1)))
        pos = text.find("Source:", pos + 7)
    return found


def _items_node(node: Any) -> list[Any] | None:
    for key_node, value_node in node.value:
        if key_node.value == "items" and hasattr(value_node, "value"):
            return list(value_node.value)
    return None
