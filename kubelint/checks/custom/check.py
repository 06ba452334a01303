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

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kubelint.cel.engine import EvalError, Program
from kubelint.cel.errors import cause
from kubelint.cel.paths import expression_path
from kubelint.checks.base import CheckDoc, CheckMeta
from kubelint.checks.custom.spec import GROUP, Spec
from kubelint.model import Context, Finding, K8sObject
from kubelint.redaction import redact


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
