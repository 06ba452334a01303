"""SARIF ``fixes`` (SARIF 2.1.0 §3.55): each fixable finding's fix as text replacements.

The replacements are what the editing engine (:mod:`kubelint.edit`) writes for that one
fix, run on the finding's file: the engine's new text is compared with the file's, line by
line, and each changed run of lines becomes one replacement, trimmed to the characters
that change. Applied to the file, the replacements give exactly the engine's text.

A fix is left out when the engine refuses it, and when any replacement would carry a value
that redaction hides (a Secret's data, an env value, a credential): a code scanning alert
must not copy a secret, as it holds no source snippets for the same reason.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from kubelint.edit import apply
from kubelint.fixes import fixable
from kubelint.model import Fix, K8sObject, Report, Result
from kubelint.redaction import find_tokens, redact, secret_values

_BOM = "\ufeff"
#: What the description of each kind of fix ends with.
SAFETY = {"safe": "(safe)", "unsafe": "(unsafe: may change behaviour)"}


@dataclass(frozen=True)
class Replacement:
    """Characters ``start`` to ``end`` of a text (0-based) replaced by ``text``."""

    start: int
    end: int
    text: str


def replacements(old: str, new: str) -> list[Replacement]:
    """The replacements, in order and apart, that turn ``old`` into ``new``: one per run
    of changed lines (difflib), trimmed to the characters that change."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    starts = [0, *accumulate(len(line) for line in old_lines)]
    new_starts = [0, *accumulate(len(line) for line in new_lines)]
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    found = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            found.append(
                _trimmed(old, starts[i1], starts[i2], new[new_starts[j1] : new_starts[j2]])
            )
    return found


def _trimmed(old: str, start: int, end: int, text: str) -> Replacement:
    """``old[start:end]`` -> ``text`` without the characters both begin and end with (never
    cutting a ``\r\n`` in two: a region's ends are positions of whole characters)."""
    deleted = old[start:end]
    prefix = _shared(deleted, text)
    if prefix and old[start + prefix - 1 : start + prefix + 1] == "\r\n":
        prefix -= 1
    deleted, text, start = deleted[prefix:], text[prefix:], start + prefix
    suffix = _shared(deleted[::-1], text[::-1])
    end = start + len(deleted) - suffix
    if suffix and old[end - 1 : end + 1] == "\r\n":
        suffix, end = suffix - 1, end + 1
    return Replacement(start, end, text[: len(text) - suffix])


def _shared(first: str, second: str) -> int:
    """How many characters ``first`` and ``second`` begin with alike."""
    for index, (a, b) in enumerate(zip(first, second, strict=False)):
        if a != b:
            return index
    return min(len(first), len(second))


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of ``offset`` in ``text``; a line ends
    after its ``\\n``, so the offset after a file's last line break is on a line of its
    own."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def region(text: str, replacement: Replacement) -> dict[str, int]:
    """The SARIF region of ``replacement`` in ``text``, by line and column."""
    start_line, start_column = position(text, replacement.start)
    end_line, end_column = position(text, replacement.end)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


@dataclass
class _File:
    """One linted file: its text (without byte order mark), objects and hidden values."""

    text: str
    objects: list[K8sObject]
    hidden: frozenset[str] = field(default_factory=frozenset)


class SarifFixes:
    """The SARIF fixes of a report's findings, worked out once per finding; what each file
    needs (its objects and the values it must not show) once per file."""

    def __init__(self, report: Report) -> None:
        self._objects = {id(item.source): item.objects for item in report.retained}
        self._files: dict[int, _File | None] = {}

    def fixes(self, result: Result, artifact: dict[str, str]) -> list[dict[str, Any]]:
        """The SARIF ``fixes`` of ``result`` (``[]`` when it has none that applies)."""
        kind = fixable(result)
        obj, fix = result.document, result.fix
        if kind == "no" or obj is None or fix is None:
            return []
        file = self._file(obj)
        part = fix if kind == "unsafe" else fix.part(unsafe=False)
        if file is None or part is None:
            return []
        done = apply(file.text, file.objects, [(obj, part)])
        if done.applied != [part]:
            return []
        changes = replacements(file.text, done.text)
        if not changes or any(_shows(file.hidden, change.text) for change in changes):
            return []
        return [_fix(part, kind, artifact, file.text, changes)]

    def _file(self, obj: K8sObject) -> _File | None:
        key = id(obj.source)
        if key not in self._files:
            objects = self._objects.get(key)
            text = obj.source.text
            self._files[key] = (
                _File(text.removeprefix(_BOM), objects, secret_values(o.data for o in objects))
                if objects
                else None
            )
        return self._files[key]


def _fix(
    part: Fix, kind: str, artifact: dict[str, str], text: str, changes: list[Replacement]
) -> dict[str, Any]:
    return {
        "description": {"text": f"{redact(part.description)} {SAFETY[kind]}"},
        "artifactChanges": [
            {
                "artifactLocation": artifact,
                "replacements": [
                    {"deletedRegion": region(text, c), "insertedContent": {"text": c.text}}
                    for c in changes
                ],
            }
        ],
    }


def _shows(hidden: frozenset[str], text: str) -> bool:
    """Whether ``text`` holds a hidden value or a credential shape."""
    return bool(find_tokens(text)) or any(value in text for value in hidden)
