"""What the API server refuses in a policy or a binding before it ever evaluates one: such
a policy never takes effect, so kubelint names it in a notice instead of evaluating the
part of it that happens to be well formed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_FAILURE_POLICIES = frozenset({"Fail", "Ignore"})
_ACTIONS = frozenset({"Deny", "Warn", "Audit"})


def policy_refusal(spec: Mapping[str, Any]) -> str | None:
    """Why the API server refuses a ValidatingAdmissionPolicy's spec, or None."""
    failure = spec.get("failurePolicy")
    if failure is not None and (not isinstance(failure, str) or failure not in _FAILURE_POLICIES):
        return "failurePolicy must be Fail or Ignore"
    kind = spec.get("paramKind")
    if kind is not None and not (
        isinstance(kind, dict)
        and isinstance(kind.get("apiVersion"), str)
        and isinstance(kind.get("kind"), str)
    ):
        return "paramKind must be a mapping with apiVersion and kind"
    for field, keys in (
        ("validations", ("expression",)),
        ("variables", ("name", "expression")),
        ("matchConditions", ("name", "expression")),
    ):
        problem = _entries_problem(spec.get(field), field, keys)
        if problem is not None:
            return problem
    return None


def _entries_problem(value: Any, field: str, keys: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, list):
        return f"{field} must be a list"
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            return f"{field}[{index}] must be a mapping"
        for key in keys:
            text = entry.get(key)
            if not isinstance(text, str) or not text.strip():
                got = "missing" if text is None else f"a {type(text).__name__}, not a string"
                return f"{field}[{index}].{key} must be a non-empty string ({got})"
    return None


def binding_refusal(spec: Mapping[str, Any]) -> str | None:
    """Why the API server refuses a binding's ``validationActions``, or None."""
    actions = spec.get("validationActions")
    if not isinstance(actions, list) or not actions:
        return "validationActions must list Deny, Warn or Audit"
    if not all(isinstance(a, str) and a in _ACTIONS for a in actions):
        return "validationActions may only hold Deny, Warn and Audit"
    if len(set(actions)) != len(actions):
        return "validationActions must not repeat a value"
    if "Deny" in actions and "Warn" in actions:
        return "validationActions must not hold both Deny and Warn"
    return None
