"""A custom check: one CEL condition that every manifest of its kinds must meet.

The expression is judged on the manifest as written (``object``), the way a
ValidatingAdmissionPolicy judges a CREATE of it: ``true`` passes; ``false`` is a finding
with the configured message. An expression that cannot be evaluated on an object (a field
it reads is missing, a value of another type) is a finding too, saying so: a security
linter fails closed, so a typo in a field name never passes silently. So is a result
other than a bool.

A finding prints the configured message and, for those two cases, a fixed phrase naming
the cause: never a value of the manifest (the engine's own error text can quote the whole
object, so it is not shown).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kubelint.cel.engine import EvalError, Program
from kubelint.cel.paths import expression_path
from kubelint.checks.base import CheckDoc, CheckMeta
from kubelint.checks.custom.spec import GROUP, Spec
from kubelint.model import Context, Finding, K8sObject
from kubelint.redaction import redact

#: Causes of an evaluation error, told from the engine's text by a fragment of it; the
#: first that matches names the cause (the text itself may quote the manifest's values).
_CAUSES = (
    ("Index error", "a list index is out of range"),
    ("No matching overload", "a value has another type than the expression expects"),
    ("SELECT to non-message", "it reads a field of a value that is not a mapping"),
    ("Iteration budget", "it exceeds the evaluation budget"),
    ("divide by zero", "it divides by zero"),
    ("modulus by zero", "it divides by zero"),
    ("overflow", "a number overflows"),
    ("regular expression", "a regular expression is invalid"),
    ("Non-CEL value", "the manifest holds a value CEL cannot represent"),
    ("out of range", "a value is out of range"),
    ("INVALID_ARGUMENT", "a value cannot be converted or parsed"),
    ("OUT_OF_RANGE", "a value is out of range"),
)
_MISSING_KEY = re.compile(r'Key not found in map : "([^"\n]*)"')


@dataclass(frozen=True)
class CustomCheck:
    """A check of ``checks.custom``: its metadata, documentation and compiled condition."""

    meta: CheckMeta
    doc: CheckDoc = field(repr=False)
    spec: Spec = field(repr=False)
    program: Program = field(repr=False)

    def check(self, obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
        """A finding when the condition does not hold on ``obj`` (or cannot be judged)."""
        try:
            verdict = self.program.evaluate({"object": obj.data})
        except (RuntimeError, TypeError, ValueError):
            # The engine could not turn the result into Python data (an optional value).
            verdict = _NOT_READABLE
        if verdict is True:
            return
        explained = self.spec.message + explanation(verdict, self.spec.expression)
        yield Finding(expression_path(self.spec.expression), explained)


class _Unreadable:
    """A result the engine cannot hand over."""


_NOT_READABLE = _Unreadable()


def explanation(verdict: Any, expression: str) -> str:
    """What a finding adds to the message: nothing for ``false``, else why the condition
    could not be judged (without any value of the manifest)."""
    if verdict is False:
        return ""
    if isinstance(verdict, EvalError):
        return f" (the expression could not be evaluated: {cause(verdict, expression)})"
    return f" (the expression gives {_type_name(verdict)}, not true or false)"


def cause(error: EvalError, expression: str) -> str:
    """The cause of an evaluation error in a fixed phrase (a missing field is named when
    the expression itself names it)."""
    if error.unavailable is not None:
        return f"{error.unavailable} cannot be evaluated offline"
    missing = _MISSING_KEY.search(error.message)
    if missing is not None:
        key = missing.group(1)
        named = re.search(rf"(?<![\w$]){re.escape(key)}(?![\w$])", expression) if key else None
        return f"the manifest has no field '{key}'" if named else "a field it reads is missing"
    for fragment, phrase in _CAUSES:
        if fragment in error.message:
            return phrase
    return "the engine reports an error"


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    names = {bool: "a bool", int: "a number", float: "a number", str: "a string"}
    for kind, name in names.items():
        if type(value) is kind:
            return name
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, _Unreadable):
        return "an optional value"
    return "a value of another type"


def build(spec: Spec, program: Program) -> CustomCheck:
    """The check a spec describes, with its compiled expression.

    Its texts come from the configuration and are shown by ``--list-checks``,
    ``--explain`` and SARIF rules: they are redacted like every output.
    """
    summary = redact(spec.summary or spec.message)
    meta = CheckMeta(
        id=spec.id,
        summary=summary,
        severity=spec.severity,
        remediation=redact(spec.hint) or "change the manifest so that the expression holds",
        kinds=frozenset(spec.kinds),
        groups=(GROUP,),
        # A kustomize patch holds only what it changes: a condition on what it leaves out
        # would fail on every patch.
        judges_absence=True,
        since="-",
    )
    return CustomCheck(meta, _doc(spec, summary), spec, program)


def _doc(spec: Spec, summary: str) -> CheckDoc:
    kinds = ", ".join(f"`{kind}`" for kind in spec.kinds) or "every kind"
    judged = (
        f"A custom check of `.kubelint.yaml` (`checks.custom`). It judges objects of "
        f"{kinds}: an object for which the expression below is false gets a finding "
        "with the configured message; so does one on which it cannot be evaluated (a "
        "missing field, a value of another type) or gives anything but a bool."
    )
    description = redact(spec.description)
    return CheckDoc(
        title=summary,
        what="\n\n".join(part for part in (description, judged) if part),
        sections=(("Expression", f"```cel\n{redact(spec.expression).strip()}\n```"),),
    )
