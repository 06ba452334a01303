"""Edits of a YAML file that holds no Kubernetes object (a Helm chart's ``values.yaml``).

The same splices as for manifests (:mod:`kubelint.edit.splice`): only the edited lines
change, and the new text must read back as the data the edits describe. Used to show
suggestions; kubelint writes no such file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kubelint.edit.data import EditError, apply_to_data, is_noop, same
from kubelint.edit.render import Style, block_lines
from kubelint.edit.splice import Document, Refused, detect_style, splice
from kubelint.loader.yamlparse import ParseError, parse_documents
from kubelint.model import Edit

_BOM = "\ufeff"


def edit_mapping_file(text: str, edits: Sequence[Edit]) -> str:
    """``text`` (one YAML mapping, or nothing but comments) with ``edits`` made.

    Raises :class:`Refused` when the text is not one mapping, an edit cannot be made
    there, or the result does not read back as the edits describe.
    """
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    data = read_mapping(body)
    try:
        expected = apply_to_data({} if data is None else data, edits)
    except EditError as exc:
        raise Refused(str(exc)) from None
    if data is None:
        body = _appended(body, expected)
    else:
        for edit in edits:
            body = _one(body, edit)
    if not same(read_mapping(body), expected):
        raise Refused("the edited values did not read back as the edits describe")
    return bom + body


def read_mapping(text: str) -> dict[str, Any] | None:
    """The mapping ``text`` holds; None when it holds no document at all. Raises
    :class:`Refused` when it holds something else or is not valid YAML."""
    try:
        documents = list(parse_documents(text, ""))
    except ParseError as exc:
        raise Refused(f"it is not valid YAML ({exc.message})") from None
    if not documents:
        return None
    if len(documents) != 1 or not isinstance(documents[0][1], dict):
        raise Refused("it does not hold one mapping")
    mapping: dict[str, Any] = documents[0][1]
    return mapping


def _one(text: str, edit: Edit) -> str:
    node, data = next(iter(parse_documents(text, "")))[:2]
    if is_noop(data, edit):
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    doc = Document(text, 0, node, detect_style(text, 0, node, newline))
    start, end, replacement = splice(doc, edit)
    return text[:start] + replacement + text[end:]


def _appended(text: str, values: dict[str, Any]) -> str:
    """``values`` written in block style after ``text`` (comments only, or empty)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    return text + "".join(line + newline for line in block_lines(values, 0, Style()))
