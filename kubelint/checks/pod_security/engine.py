"""Pod Security Standards: levels, policy versions, namespace labels, and running a control.

Each control is a check module (``kubelint/checks/pss_*.py``, plus ``privileged-container``)
whose ``META.pss`` is a :class:`Control`: its level, the policy versions at which its rule
changed, and the baseline control it replaces at the restricted level. This mirrors the
reference implementation, ``k8s.io/pod-security-admission/policy``: a control's rule at
policy version V is the newest of its revisions whose minimum version is at most V, and
the restricted level is every baseline control, minus those a restricted control
overrides, plus the restricted controls.

A control runs for an object under one or more *policies*:

- ``selected``: the user selected the control (``--select pss-restricted``, an id, or the
  configuration), at ``--kube-version``;
- ``enforce`` / ``warn`` / ``audit``: the object's namespace is declared in the linted tree
  with ``pod-security.kubernetes.io/<mode>: <level>`` (and ``<mode>-version``).

The most severe policy that finds a violation is reported (enforce, then selected, then
warn and audit), so one problem gives one finding.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubelint.k8s.versions import NEWEST_VERSION, VersionError, format_version, parse_version
from kubelint.k8s.workloads import container_label, containers, get, pod_metadata, pod_spec
from kubelint.model import Finding, Fix, K8sObject, KeyPath

if TYPE_CHECKING:
    from kubelint.checks.base import CheckMeta, Context

LEVELS = ("privileged", "baseline", "restricted")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
LABEL_PREFIX = "pod-security.kubernetes.io/"
MODES = ("enforce", "warn", "audit")
#: Which policy wins when several find the same problem.
_MODE_RANK = {"enforce": 3, "selected": 2, "warn": 1, "audit": 0, "none": -1}


@dataclass(frozen=True)
class Pod:
    """The parts of a pod (or pod template) that the controls read, with their paths."""

    spec: dict[str, Any]
    spec_path: KeyPath
    metadata: dict[str, Any]
    metadata_path: KeyPath

    def containers(self) -> Iterator[tuple[KeyPath, dict[str, Any]]]:
        return containers(self.spec_path, self.spec)

    def security_context(self) -> dict[str, Any]:
        ctx = self.spec.get("securityContext")
        return ctx if isinstance(ctx, dict) else {}

    @property
    def windows(self) -> bool:
        return bool(get(self.spec, ("os", "name")) == "windows")

    @property
    def user_namespace(self) -> bool:
        """``hostUsers: false``: the pod runs in its own user namespace."""
        return self.spec.get("hostUsers") is False

    @property
    def annotations(self) -> dict[str, Any]:
        value = self.metadata.get("annotations")
        return value if isinstance(value, dict) else {}


def pod_of(obj: K8sObject) -> Pod | None:
    spec = pod_spec(obj)
    meta = pod_metadata(obj)
    if spec is None or meta is None:
        return None
    return Pod(spec[1], spec[0], meta[1], meta[0])


def container_sc(container: dict[str, Any]) -> dict[str, Any]:
    ctx = container.get("securityContext")
    return ctx if isinstance(ctx, dict) else {}


@dataclass(frozen=True)
class Violation:
    path: KeyPath
    message: str
    fix: Fix | None = None


Rule = Callable[[Pod], list[Violation]]


@dataclass(frozen=True)
class Control:
    """A Pod Security Standards control."""

    level: str  #: "baseline" or "restricted"
    #: (minimum policy minor version, rule), oldest first.
    revisions: tuple[tuple[int, Rule], ...]
    #: The baseline control this restricted control replaces.
    overrides: str | None = None
    #: The missing-security-context setting this control also reports.
    covers: str | None = None
    #: The missing-security-context setting this control reports only when it is set to a
    #: weak value (not when it is left unset), e.g. seccomp Unconfined at the baseline.
    covers_weak: str | None = None
    #: Version history for the docs: (minor version, what changed).
    history: tuple[tuple[int, str], ...] = field(default=())

    @property
    def since(self) -> int:
        return self.revisions[0][0]

    def rule_at(self, version: int) -> Rule | None:
        chosen = None
        for minimum, rule in self.revisions:
            if minimum <= version:
                chosen = rule
        return chosen


@dataclass(frozen=True)
class Policy:
    mode: str  #: "selected", "enforce", "warn" or "audit"
    level: str
    version: int
    namespace: str | None = None

    def describe(self) -> str:
        return f"{self.level}:{format_version(self.version)}"


def namespace_policies(ctx: Context) -> dict[str, list[Policy]]:
    """Namespace -> policies from its ``pod-security.kubernetes.io`` labels (computed once)."""

    def compute() -> dict[str, list[Policy]]:
        result: dict[str, list[Policy]] = {}
        for ns in ctx.of_kind("Namespace"):
            labels = ns.metadata.get("labels")
            if not isinstance(labels, dict) or not ns.name:
                continue
            for mode in MODES:
                level = labels.get(LABEL_PREFIX + mode)
                if level not in ("baseline", "restricted"):
                    continue  # "privileged" (or anything else) checks nothing
                try:
                    version = parse_version(labels.get(f"{LABEL_PREFIX}{mode}-version", "latest"))
                except VersionError:
                    version = NEWEST_VERSION  # an unparsable version label means latest
                # The cluster is at the target version: there, ``latest`` (and any newer
                # label) means that version's policy, not the newest kubelint knows.
                version = min(version, ctx.kube_version)
                result.setdefault(ns.name, []).append(Policy(mode, level, version, ns.name))
        return result

    policies: dict[str, list[Policy]] = ctx.memo("pss-namespace-policies", compute)
    return policies


def _overridden(check_id: str, policy: Policy, ctx: Context) -> bool:
    """Whether a restricted control replaces this baseline control under ``policy``."""
    overrider = ctx.pss_overrides.get(check_id)
    if overrider is None:
        return False
    overrider_id, since = overrider
    if since > policy.version:
        return False
    if policy.mode == "selected":
        return overrider_id in ctx.explicit
    return policy.level == "restricted"


def active_policies(obj: K8sObject, ctx: Context, meta: CheckMeta) -> list[Policy]:
    """The policies under which control ``meta`` judges ``obj``."""
    control = meta.pss
    assert control is not None
    found = []
    if meta.id in ctx.explicit:
        found.append(Policy("selected", control.level, ctx.kube_version))
    if obj.namespace is not None:
        for policy in namespace_policies(ctx).get(obj.namespace, ()):
            if LEVEL_RANK[policy.level] >= LEVEL_RANK[control.level]:
                found.append(policy)
    return [
        p
        for p in found
        if control.rule_at(p.version) is not None and not _overridden(meta.id, p, ctx)
    ]


def _annotate(message: str, policy: Policy, obj: K8sObject) -> tuple[str, str | None]:
    if policy.mode == "selected":
        return message, None
    pods = "this pod" if obj.kind == "Pod" else "its pods"
    if policy.mode == "enforce":
        return (
            f"{message}; the API server would reject {pods}: namespace '{policy.namespace}' "
            f"enforces pod security {policy.describe()}",
            "error",
        )
    return (
        f"{message} (namespace '{policy.namespace}' {policy.mode}s at pod security "
        f"{policy.describe()})",
        "warning",
    )


def _gravest(obj: K8sObject, ctx: Context, meta: CheckMeta) -> tuple[Policy, list[Violation]]:
    """The violations of one control under the gravest policy that finds any (else none)."""
    control = meta.pss
    assert control is not None
    policies = active_policies(obj, ctx, meta)
    pod = _pod(obj, ctx) if policies else None
    if pod is not None:
        for policy in sorted(policies, key=lambda p: -_MODE_RANK[p.mode]):
            rule = control.rule_at(policy.version)
            assert rule is not None
            violations = rule(pod)
            if violations:
                return policy, violations
    return Policy("none", control.level, 0), []


def _pod(obj: K8sObject, ctx: Context) -> Pod | None:
    """The object's pod, read once for all the controls that judge it."""
    pods: dict[int, Pod | None] = ctx.memo("pss-pods", dict)
    key = id(obj)  # objects live as long as the run's context
    if key not in pods:
        pods[key] = pod_of(obj)
    return pods[key]


def _twin(meta: CheckMeta, ctx: Context) -> CheckMeta | None:
    """The other control of a baseline/restricted pair (e.g. the two seccomp controls)."""
    control = meta.pss
    assert control is not None
    if control.overrides:
        return ctx.pss_controls.get(control.overrides)
    overrider = ctx.pss_overrides.get(meta.id)
    return ctx.pss_controls.get(overrider[0]) if overrider else None


def run_control(obj: K8sObject, ctx: Context, meta: CheckMeta) -> Iterator[Finding]:
    """Judge ``obj`` with one control under every policy that applies; report the gravest.

    A baseline control and the restricted control that replaces it can both apply to one
    object (the baseline control is on by default, the namespace enforces restricted): a
    field both find fault with is reported once, by the graver policy (the restricted
    control on a tie, its message is the more precise).
    """
    policy, violations = _gravest(obj, ctx, meta)
    if not violations:
        return
    twin = _twin(meta, ctx)
    # The runner does not run a twin that judges absence on a kustomize patch.
    if twin is not None and not (obj.patch and twin.judges_absence):
        other, theirs = _gravest(obj, ctx, twin)
        if theirs:
            rank, other_rank = _MODE_RANK[policy.mode], _MODE_RANK[other.mode]
            restricted = meta.pss is not None and meta.pss.level == "restricted"
            if other_rank > rank or (other_rank == rank and not restricted):
                taken = {v.path for v in theirs}
                violations = [v for v in violations if v.path not in taken]
    for violation in violations:
        message, severity = _annotate(violation.message, policy, obj)
        yield Finding(violation.path, message, severity=severity, fix=violation.fix)


def control_check(meta: CheckMeta) -> Callable[..., Iterator[Finding]]:
    """The ``check()`` function of a control module."""

    def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
        return run_control(obj, ctx, meta)

    return check


def covered_settings(obj: K8sObject, ctx: Context) -> dict[str, bool]:
    """missing-security-context settings that an active control reports itself.

    Maps each setting to whether the control reports it however it is weak (True), or only
    when it is set to a weak value (False: left unset, it is still missing-security-context's).
    """
    covered: dict[str, bool] = {}
    for meta in ctx.pss_controls.values():
        control = meta.pss
        if control is None or not (control.covers or control.covers_weak):
            continue
        if not active_policies(obj, ctx, meta):
            continue
        if control.covers:
            covered[control.covers] = True
        if control.covers_weak:
            covered.setdefault(control.covers_weak, False)
    return covered


# Helpers shared by several controls.

BASELINE_GROUPS = ("pss-baseline", "pss-restricted")
RESTRICTED_GROUPS = ("pss-restricted",)


def show(value: Any) -> str:
    """A value as it reads in YAML/JSON (true, 0, "Unconfined")."""
    return json.dumps(value)


def quote_list(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def pod_or_every_container(
    pod: Pod,
    key: str,
    bad: Callable[[KeyPath, dict[str, Any], str], Violation | None],
    unset: Callable[[str], str],
) -> list[Violation]:
    """A ``securityContext.<key>`` that the pod must set well, or else every container.

    ``bad(securityContext path, securityContext, who)`` judges an explicit value; a
    container that leaves the key unset is covered only by a good pod-level value. Explicit
    bad values are reported one by one; otherwise the uncovered containers are reported
    once, at the pod's setting, with the message ``unset(quoted container names)``.
    """
    sc_path = (*pod.spec_path, "securityContext")
    pod_sc = pod.security_context()
    pod_bad = bad(sc_path, pod_sc, "pod") if pod_sc.get(key) is not None else None
    covered = pod_sc.get(key) is not None and pod_bad is None
    found = [pod_bad] if pod_bad else []
    uncovered = []
    for path, container in pod.containers():
        sc = container_sc(container)
        if sc.get(key) is not None:
            violation = bad((*path, "securityContext"), sc, container_label(container, path))
            if violation:
                found.append(violation)
        elif not covered:
            uncovered.append(str(container.get("name", path[-1])))
    if uncovered and not found:
        found.append(Violation((*sc_path, key), unset(quote_list(uncovered))))
    return found
