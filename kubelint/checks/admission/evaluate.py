"""A ValidatingAdmissionPolicy applied to one manifest, as the API server applies it to a
CREATE of that manifest: match, params, ``matchConditions``, ``variables``,
``validations``, ``failurePolicy`` and the binding's ``validationActions``.

The object is judged as written: no defaulting or mutating admission runs first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from kubelint.cel.engine import CompileError, EngineMissing, EvalError, compile_expression
from kubelint.cel.errors import cause
from kubelint.cel.library import authorizer_value
from kubelint.cel.paths import expression_path
from kubelint.cel.variables import TooLarge, define, inline
from kubelint.checks.admission.matching import (
    Unmatched,
    matches,
    namespace_object,
    request_for,
    resource_for,
)
from kubelint.checks.admission.policies import Binding, Policy, admission, params
from kubelint.checks.admission.shape import binding_refusal, policy_refusal
from kubelint.k8s.resources import Resource
from kubelint.model import Context, K8sObject, KeyPath
from kubelint.redaction import hide, secret_values

#: What a policy's expressions may name (the API server's variables).
VARIABLES = (
    "object",
    "oldObject",
    "params",
    "request",
    "namespaceObject",
    "authorizer",
    "variables",
)
_ACTIONS = {"Deny": "error", "Warn": "warning", "Audit": "info"}
_RANK = {"error": 3, "warning": 2, "info": 1}


@dataclass(frozen=True)
class Outcome:
    """One verdict on an object: ``denied`` (a finding) or ``unevaluable`` (a notice:
    something cannot be answered offline, or a binding cannot be used)."""

    #: Who decided: ``ValidatingAdmissionPolicy 'x' (binding 'y')``, ``Kyverno
    #: ValidatingPolicy 'x'``.
    source: str
    denied: bool
    message: str
    severity: str = "error"
    path: KeyPath = ("kind",)


class _Stop(Exception):
    """Ends one policy's evaluation with an outcome (or none)."""

    def __init__(self, outcome: Outcome | None) -> None:
        super().__init__()
        self.outcome = outcome


#: Who makes the requests: (username, groups); nobody by default.
User = tuple[str, tuple[str, ...]]
ANONYMOUS: User = ("", ())


def judge(obj: K8sObject, ctx: Context, user: User = ANONYMOUS) -> list[Outcome]:
    """Every policy verdict on ``obj`` for requests by ``user`` (once per run and object)."""
    found: list[Outcome] = ctx.memo(
        f"admission:{id(obj)}:{user!r}", lambda: list(_judge(obj, ctx, user))
    )
    return found


def _judge(obj: K8sObject, ctx: Context, user: User) -> Iterator[Outcome]:
    run = admission(ctx)
    if not run.bindings or engine_problem() is not None:
        return  # nothing in effect, or nothing to evaluate with (a notice says so)
    resource = resource_for(obj, ctx)
    for binding in run.bindings:
        policy = run.policies.get(binding.policy_name)
        if policy is None or not _may_name(policy, resource, ctx):
            continue
        selected = _selected(policy, binding, obj, ctx)
        if isinstance(selected, Outcome):
            yield selected
        elif selected:
            yield from _bound(policy, binding, obj, ctx, user)


def _may_name(policy: Policy, resource: Resource | None, ctx: Context) -> bool:
    """A quick no: the policy's rules name other resources (by plural, which equivalent
    versions and groups share). Anything else goes to the full match."""
    names = ctx.memo(f"admission-names:{id(policy)}", lambda: _rule_resources(policy.spec))
    return names is None or resource is None or resource.resource in names


def _rule_resources(spec: Mapping[str, Any]) -> frozenset[str] | None:
    """The plural resources the policy's resourceRules name, or None for any (a wildcard,
    or a shape the full match must judge)."""
    constraints = spec.get("matchConstraints")
    rules = constraints.get("resourceRules") if isinstance(constraints, dict) else None
    if not isinstance(rules, list):
        return None
    names: set[str] = set()
    for rule in rules:
        resources = rule.get("resources") if isinstance(rule, dict) else None
        if not isinstance(resources, list) or not all(isinstance(r, str) for r in resources):
            return None
        for entry in resources:
            base = entry.partition("/")[0]
            if base == "*":
                return None
            names.add(base)
    return frozenset(names)


def _selected(policy: Policy, binding: Binding, obj: K8sObject, ctx: Context) -> bool | Outcome:
    """Whether the policy, through the binding, applies to a CREATE of ``obj``; a notice
    when the API server would refuse the policy or the binding itself. An object whose
    resource kubelint does not know (a custom resource without its CRD, an API the target
    version does not serve) is not selected: the api checks report those."""
    for constraints, binding_block in (
        (policy.spec.get("matchConstraints"), False),
        (binding.spec.get("matchResources"), True),
    ):
        found = matches(constraints, obj, ctx, binding=binding_block)
        if isinstance(found, Unmatched):
            if not found.evaluated and found.reason.startswith("the API server rejects"):
                return _notice(policy, binding, f"{found.reason}: not evaluated")
            return False
    return True


def _bound(
    policy: Policy, binding: Binding, obj: K8sObject, ctx: Context, user: User
) -> Iterator[Outcome]:
    refused = _refusal(policy, binding)
    if refused is not None:
        yield _notice(policy, binding, refused)
        return
    severity = _severity(binding.spec.get("validationActions")) or "error"
    found = params(policy, binding, obj, ctx)
    if found.invalid:
        yield _notice(policy, binding, f"{found.invalid}: not evaluated")
        return
    if found.missing:
        ref = binding.spec.get("paramRef")
        action = ref.get("parameterNotFoundAction") if isinstance(ref, dict) else None
        # A missing param then counts as an evaluation error: failurePolicy decides.
        if action == "Deny" and policy.spec.get("failurePolicy", "Fail") != "Ignore":
            yield Outcome(
                binding.describe(policy),
                True,
                f"{found.missing} and the binding's parameterNotFoundAction is Deny",
                severity,
            )
        return
    for param in found.objects:
        try:
            yield from _validate(policy, binding, obj, ctx, param, severity, user)
        except _Stop as stop:
            if stop.outcome is not None:
                yield stop.outcome


def _refusal(policy: Policy, binding: Binding) -> str | None:
    """A notice's text when the API server would refuse the policy or the binding."""
    problem = policy_refusal(policy.spec)
    if problem is not None:
        return f"the API server rejects the policy: {problem}; not evaluated"
    if not binding.implicit:
        problem = binding_refusal(binding.spec)
        if problem is not None:
            return f"the API server rejects the binding: {problem}; not evaluated"
    return None


def _severity(actions: Any) -> str | None:
    if not isinstance(actions, list):
        return None
    levels = [_ACTIONS[a] for a in actions if isinstance(a, str) and a in _ACTIONS]
    return max(levels, key=_RANK.__getitem__) if levels else None


def _validate(
    policy: Policy,
    binding: Binding,
    obj: K8sObject,
    ctx: Context,
    param: Mapping[str, Any] | None,
    severity: str,
    user: User,
) -> Iterator[Outcome]:
    run = _Evaluation(policy, binding, obj, ctx, param, severity, user)
    if not run.conditions_hold(_entries(policy.spec.get("matchConditions"))):
        return  # the policy does not apply to this request
    run.define_variables(_entries(policy.spec.get("variables")))
    for index, validation in enumerate(_entries(policy.spec.get("validations"))):
        outcome = run.validation(index, validation)
        if outcome is not None:
            yield outcome


def _entries(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


class _Evaluation:
    """One policy, binding, object and param: the activation and the failure policy."""

    def __init__(
        self,
        policy: Policy,
        binding: Binding,
        obj: K8sObject,
        ctx: Context,
        param: Mapping[str, Any] | None,
        severity: str,
        user: User = ANONYMOUS,
    ) -> None:
        self.policy, self.binding, self.obj, self.severity = policy, binding, obj, severity
        self.fail = policy.spec.get("failurePolicy", "Fail") != "Ignore"
        self.variables: dict[str, str] = {}
        self.activation = {
            "object": _as_admitted(obj),
            "oldObject": None,
            "params": param,
            "request": request_for(obj, ctx, {"username": user[0], "groups": list(user[1])}),
            "namespaceObject": namespace_object(obj.namespace, ctx),
            "authorizer": authorizer_value(),
            "variables": {},  # written into the expressions that read them
        }

    def run(self, source: Any) -> Any:
        """The value of an expression, or an EvalError (a compile error included).

        The policy's variables are written into it (see :mod:`kubelint.cel.variables`):
        they are evaluated lazily, where they are read, as the API server does.
        """
        if not isinstance(source, str) or not source.strip():
            return EvalError("the expression is empty")
        try:
            source = inline(source, self.variables)
        except TooLarge as exc:
            return EvalError(f"does not compile: {exc}")
        try:
            program = compile_expression(source, VARIABLES, self.policy.libraries)
        except CompileError as exc:
            if exc.undeclared:
                return EvalError(str(exc), unavailable=exc.message)
            return EvalError(f"does not compile: {exc}")
        return program.evaluate(self.activation)

    def value(self, source: Any, what: str) -> Any:
        """An expression's value; an error ends the policy as its failurePolicy says."""
        result = self.run(source)
        if isinstance(result, EvalError):
            raise _Stop(self.failed(what, source, result))
        return result

    def failed(self, what: str, source: Any, error: EvalError) -> Outcome | None:
        if error.unavailable is not None:
            return _notice(
                self.policy,
                self.binding,
                f"{what} cannot be evaluated offline ({error.unavailable}): not judged",
            )
        if not self.fail:
            return None  # failurePolicy Ignore: the API server admits the request
        return Outcome(
            self.binding.describe(self.policy),
            True,
            f"{what} could not be evaluated ({_why(error, source)}); failurePolicy Fail "
            "denies the request",
            self.severity,
            self.path(source),
        )

    def conditions_hold(self, conditions: list[Mapping[str, Any]]) -> bool:
        """Whether every matchCondition holds. One that is false skips the policy even when
        another ends in an error; only then does an error decide, by failurePolicy."""
        errors: list[tuple[str, Any, EvalError]] = []
        for condition in conditions:
            source = condition.get("expression")
            result = self.run(source)
            if isinstance(result, EvalError):
                errors.append((f"matchCondition '{condition.get('name')}'", source, result))
            elif result is not True:
                return False
        if errors:
            raise _Stop(self.failed(*errors[0]))
        return True

    def path(self, source: Any) -> KeyPath:
        """Where a finding about ``source`` points: the field it reads first from
        ``object``, through the variables it uses."""
        if not isinstance(source, str):
            return ("kind",)
        try:
            return expression_path(inline(source, self.variables))
        except TooLarge:
            return expression_path(source)

    def define_variables(self, entries: list[Mapping[str, Any]]) -> None:
        """The policy's variables, in order, for :meth:`run` to write into expressions."""
        self.variables = define(
            [
                (e["name"], e["expression"])
                for e in entries
                if isinstance(e.get("name"), str) and isinstance(e.get("expression"), str)
            ]
        )

    def validation(self, index: int, entry: Mapping[str, Any]) -> Outcome | None:
        source = entry.get("expression")
        result = self.run(source)
        if isinstance(result, EvalError):
            return self.failed(f"validation {index + 1}", source, result)
        if result is True:
            return None
        if result is not False:
            return self.failed(
                f"validation {index + 1}", source, EvalError("the expression does not give a bool")
            )
        return Outcome(
            self.binding.describe(self.policy),
            True,
            self.message(entry, source),
            self.severity,
            self.path(source),
        )

    def message(self, entry: Mapping[str, Any], source: Any) -> str:
        expression = entry.get("messageExpression")
        if isinstance(expression, str) and expression.strip():
            text = self.run(expression)
            # The API server drops a result that is not one short line for the message.
            if (
                isinstance(text, str)
                and text.strip()
                and "\n" not in text
                and len(text.encode()) <= MAX_MESSAGE_BYTES
            ):
                # The policy's own words may quote the object: never its credentials.
                data = (self.activation["object"], self.activation["params"])
                return hide(text.strip(), secret_values(data))
        message = entry.get("message")
        if isinstance(message, str) and message.strip():
            return message.strip()
        return f"failed expression: {source}"


#: The longest messageExpression result the API server uses (5 KiB).
MAX_MESSAGE_BYTES = 5 * 1024


def _as_admitted(obj: K8sObject) -> Mapping[str, Any]:
    """The object as admission sees it: the API server sets a namespaced object's
    ``metadata.namespace`` to the request's namespace before any policy runs."""
    namespace = obj.namespace
    metadata = obj.data.get("metadata")
    if namespace is None or not isinstance(metadata, dict) or metadata.get("namespace"):
        return obj.data
    return {**obj.data, "metadata": {**metadata, "namespace": namespace}}


def _why(error: EvalError, source: Any) -> str:
    """The cause in words that never quote the manifest (the engine's text may)."""
    if error.message.startswith(("does not compile", "the expression")):
        return error.message  # about the policy's own text
    return cause(error, source if isinstance(source, str) else "")


def _notice(policy: Policy, binding: Binding, text: str) -> Outcome:
    return Outcome(binding.describe(policy), False, text)


@cache
def engine_problem() -> str | None:
    """Why policies cannot be evaluated at all here, or None."""
    try:
        compile_expression("true", VARIABLES)
    except EngineMissing as exc:
        return str(exc)
    return None
