"""``checks.custom`` in ``.kubelint.yaml``: the checks a repository writes in CEL.

Each entry is validated twice when the configuration is read, before any manifest: by
:data:`SECTION_SCHEMA` (with the rest of the file), then by :func:`problems` (ids that
clash, expressions that do not compile). A run therefore never starts with a custom check
it cannot evaluate.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kubelint.cel.engine import CompileError, EngineMissing, Program, compile_expression
from kubelint.checks.base import Check
from kubelint.model import SEVERITIES, KeyPath

#: Check ids: lowercase words of letters and digits joined by dashes, like kubelint's own.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: The group (and family) of every custom check.
GROUP = "custom"
#: Group names kubelint defines whatever the checks (``all``, ``default``), and ours.
RESERVED = ("all", "default", GROUP)
#: What an expression may name: the manifest, as written.
VARIABLES = ("object",)
DEFAULT_SEVERITY = "warning"

_TEXT = {"type": "string", "minLength": 1}

ENTRY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "expression", "message"],
    "additionalProperties": False,
    "properties": {
        "id": {
            "type": "string",
            "pattern": ID_PATTERN,
            "description": "the check's id: lowercase letters, digits and dashes",
        },
        "severity": {
            "enum": list(SEVERITIES),
            "description": f"severity of its findings (default: {DEFAULT_SEVERITY})",
        },
        "kinds": {
            "type": "array",
            "items": _TEXT,
            "description": "kinds the check judges (default: every kind)",
        },
        "expression": {
            **_TEXT,
            "description": "CEL condition every object must meet; `object` is the manifest",
        },
        "message": {**_TEXT, "description": "what a finding says"},
        "summary": {**_TEXT, "description": "one line for --list-checks (default: message)"},
        "hint": {**_TEXT, "description": "how to fix a finding"},
        "description": {**_TEXT, "description": "what the check is for (--explain, SARIF)"},
    },
}

SECTION_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": ENTRY_SCHEMA,
    "description": "checks written in CEL (see docs/custom-checks.md)",
}


@dataclass(frozen=True)
class Spec:
    """One entry of ``checks.custom``, as written (its texts with whitespace runs folded)."""

    id: str
    expression: str
    message: str
    severity: str = DEFAULT_SEVERITY
    kinds: tuple[str, ...] = ()
    summary: str = ""
    hint: str = ""
    description: str = ""

    @classmethod
    def of(cls, entry: Mapping[str, Any]) -> Spec:
        """The spec of an entry :data:`ENTRY_SCHEMA` accepts."""
        return cls(
            id=entry["id"],
            expression=entry["expression"],
            message=_line(entry["message"]),
            severity=entry.get("severity", DEFAULT_SEVERITY),
            kinds=tuple(dict.fromkeys(entry.get("kinds") or ())),
            summary=_line(entry.get("summary", "")),
            hint=_line(entry.get("hint", "")),
            description=str(entry.get("description", "")).strip(),
        )


def _line(text: str) -> str:
    """One line: a folded YAML scalar keeps its final newline, a finding has none."""
    return " ".join(str(text).split())


def compile_spec(spec: Spec) -> Program:
    """The compiled expression (cached per run). Raises CompileError or EngineMissing."""
    return compile_expression(spec.expression, VARIABLES)


def problems(settings: Any, available: Mapping[str, Check]) -> Iterator[tuple[KeyPath, str]]:
    """What is wrong with a schema-valid ``checks.custom`` list beyond its schema, as
    (key path inside the list, message): an id another check or a group has, an id given
    twice, an expression that does not compile, a CEL engine that is not installed.

    ``available`` holds the checks kubelint has without the custom ones (built-in and
    plugins) by id.
    """
    if not isinstance(settings, list) or not settings:
        return
    groups = _group_names(available)
    seen: set[str] = set()
    for index, entry in enumerate(settings):
        spec = Spec.of(entry)
        clash = _clash(spec.id, available, groups, seen)
        if clash:
            yield (index, "id"), clash
        seen.add(spec.id)
        try:
            compile_spec(spec)
        except EngineMissing as exc:
            yield (), f"custom checks need the CEL engine, which is missing here: {exc}"
            return
        except CompileError as exc:
            yield (index, "expression"), compile_message(exc)


def _group_names(available: Mapping[str, Check]) -> set[str]:
    names = set(RESERVED)
    for check in available.values():
        names.update(check.meta.all_groups)
    return names


def _clash(check_id: str, available: Mapping[str, Check], groups: set[str], seen: set[str]) -> str:
    if check_id in seen:
        return f"two custom checks have the id '{check_id}'"
    if check_id in available:
        other = available[check_id].meta
        what = "built-in check" if other.family else "check of a plugin"
        return f"'{check_id}' is the id of a {what}: give the custom check another id"
    if check_id in groups:
        return f"'{check_id}' names a group of checks: give the custom check another id"
    return ""


def compile_message(error: CompileError) -> str:
    """A compile error, with its place inside the expression (line and column)."""
    message = error.message.replace(" (in container '')", "")
    where = f" at line {error.line}, column {error.column} of the expression" if error.line else ""
    if error.undeclared:
        return (
            f"the expression names something custom checks do not have{where}: {message} "
            "(an expression can name only `object`, the manifest)"
        )
    return f"the expression does not compile{where}: {message}"
