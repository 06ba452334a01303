"""Pod Security Standards: levels, policy versions, namespace labels, and running a control.

Each control is a check module of this family (``baseline/`` and ``restricted/``) that
declares its :class:`Control` with :func:`define`: its level, the policy versions at which
its rule changed, and the baseline control it replaces at the restricted level. The family
keeps its own table of controls (:func:`controls`); nothing outside it knows about them. This mirrors the
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

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kubelint.checks.base import CheckMeta
from kubelint.checks.base import Control as ComplianceControl
from kubelint.k8s.hardening import Hardening
from kubelint.k8s.versions import NEWEST_VERSION, VersionError, format_version, parse_version
from kubelint.k8s.workloads import WORKLOAD_KINDS, containers, get, pod_metadata, pod_spec
from kubelint.model import Finding, Fix, K8sObject, KeyPath

if TYPE_CHECKING:
    from kubelint.checks.base import CheckFunction, Context

LEVELS = ("privileged", "baseline", "restricted")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
LABEL_PREFIX = "pod-security.kubernetes.io/"
#: The groups a control of each level belongs to (a baseline control is part of both).
LEVEL_GROUPS = {"baseline": ("pss-baseline", "pss-restricted"), "restricted": ("pss-restricted",)}


class Mode(Enum):
    """The policy under which a control judges an object, gravest first."""

    # Members are singletons: the identity hash is C-fast (Enum's own hashes the name in
    # Python), and these are dictionary keys on the hot path.
    __hash__ = object.__hash__

    ENFORCE = "enforce"
    SELECTED = "selected"
    WARN = "warn"
    AUDIT = "audit"
    NONE = "none"

    @property
    def rank(self) -> int:
        """Which policy wins when several find the same problem (higher wins)."""
        return _MODE_RANK[self]


_MODE_RANK = {mode: -index for index, mode in enumerate(Mode)}
#: The modes a namespace label can set.
LABEL_MODES = (Mode.ENFORCE, Mode.WARN, Mode.AUDIT)


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


@dataclass(frozen=True)
class Violation:
    """What a control finds wrong in a pod, at a key path, with its fix if any."""

    path: KeyPath
    message: str
    fix: Fix | None = None


Rule = Callable[[Pod], list[Violation]]


@dataclass(frozen=True)
class Control:
    """A Pod Security Standards control."""

    id: str
    level: str  #: "baseline" or "restricted"
    #: (minimum policy minor version, rule), oldest first.
    revisions: tuple[tuple[int, Rule], ...]
    #: The baseline control this restricted control replaces.
    overrides: str | None = None
    #: The missing-security-context setting this control also reports.
    covers: Hardening | None = None
    #: The missing-security-context setting this control reports only when it is set to a
    #: weak value (not when it is left unset), e.g. seccomp Unconfined at the baseline.
    covers_weak: Hardening | None = None
    #: Version history for the docs: (minor version, what changed).
    history: tuple[tuple[int, str], ...] = field(default=())
    #: The control reports settings that are missing (see ``CheckMeta.judges_absence``).
    judges_absence: bool = False

    @property
    def since(self) -> int:
        return self.revisions[0][0]

    def rule_at(self, version: int) -> Rule | None:
        chosen = None
        for minimum, rule in self.revisions:
            if minimum <= version:
                chosen = rule
        return chosen

    def doc_section(self) -> str:
        """The "Pod Security Standards" section of the control's page."""
        replaces = f"; at the restricted level it replaces `{self.overrides}`"
        return "\n".join(
            [
                f"Level: **{self.level}**{replaces if self.overrides else ''}. Select it with "
                f"`--select pss-{self.level}` (or its id) and `--kube-version`, or let a "
                "namespace label (`pod-security.kubernetes.io/enforce|warn|audit`) apply it.",
                "",
                "| policy version | rule |",
                "|---|---|",
                *(f"| 1.{minor}+ | {text} |" for minor, text in self.history),
            ]
        )


@dataclass(frozen=True)
class Policy:
    """A Pod Security admission policy (mode, level, version) as a namespace's labels set it."""

    mode: Mode
    level: str
    version: int
    namespace: str | None = None

    def describe(self) -> str:
        return f"{self.level}:{format_version(self.version)}"


@lru_cache(maxsize=1)
def controls() -> Mapping[str, Control]:
    """Every control of the family by check id."""
    # The control modules import this one: their table is read once they are all loaded.
    from kubelint.checks.pod_security.controls import MODULES

    return {module.CONTROL.id: module.CONTROL for module in MODULES}


@lru_cache(maxsize=1)
def _overriders() -> Mapping[str, Control]:
    """Baseline control id -> the restricted control that replaces it."""
    return {c.overrides: c for c in controls().values() if c.overrides}


def define(
    *,
    id: str,
    summary: str,
    remediation: str,
    level: str,
    revisions: tuple[tuple[int, Rule], ...],
    history: tuple[tuple[int, str], ...],
    overrides: str | None = None,
    covers: Hardening | None = None,
    covers_weak: Hardening | None = None,
    judges_absence: bool = False,
    groups: tuple[str, ...] = (),
    compliance: tuple[ComplianceControl, ...] = (),
    judges_control_plane: bool = False,
) -> tuple[CheckMeta, Control, CheckFunction]:
    """A control module's ``META``, ``CONTROL`` and ``check``.

    Every control reports errors on workloads; the baseline ones are on by default, the
    restricted ones are selected (or brought in by a namespace label). The control plane's
    static pods are privileged by design and left alone, unless ``judges_control_plane``.
    """
    control = Control(id, level, revisions, overrides, covers, covers_weak, history, judges_absence)
    meta = CheckMeta(
        id=id,
        summary=summary,
        severity="error",
        remediation=remediation,
        kinds=WORKLOAD_KINDS,
        enabled=level == "baseline",
        groups=(*groups, *LEVEL_GROUPS[level]),
        judges_absence=judges_absence,
        reads_namespace_labels=True,
        doc_sections=(("Pod Security Standards", control.doc_section()),),
        covers=coverage(control),
        compliance=compliance,
        judges_control_plane=judges_control_plane,
    )

    def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
        return run_control(obj, ctx, control)

    return meta, control, check


def namespace_policies(ctx: Context) -> dict[str, list[Policy]]:
    """Namespace -> policies from its ``pod-security.kubernetes.io`` labels (computed once)."""

    def compute() -> dict[str, list[Policy]]:
        result: dict[str, list[Policy]] = {}
        for ns in ctx.of_kind("Namespace"):
            labels = ns.metadata.get("labels")
            if not isinstance(labels, dict) or not ns.name:
                continue
            for mode in LABEL_MODES:
                level = labels.get(LABEL_PREFIX + mode.value)
                if level not in ("baseline", "restricted"):
                    continue  # "privileged" (or anything else) checks nothing
                version_label = f"{LABEL_PREFIX}{mode.value}-version"
                try:
                    version = parse_version(labels.get(version_label, "latest"))
                except VersionError:
                    version = NEWEST_VERSION  # an unparsable version label means latest
                # The cluster is at the target version: there, ``latest`` (and any newer
                # label) means that version's policy, not the newest kubelint knows.
                version = min(version, ctx.kube_version)
                result.setdefault(ns.name, []).append(Policy(mode, level, version, ns.name))
        return result

    policies: dict[str, list[Policy]] = ctx.memo("pss-namespace-policies", compute)
    return policies


def _overridden(control: Control, policy: Policy, ctx: Context) -> bool:
    """Whether a restricted control replaces this baseline control under ``policy``."""
    overrider = _overriders().get(control.id)
    if overrider is None or overrider.since > policy.version:
        return False
    if policy.mode is Mode.SELECTED:
        return overrider.id in ctx.explicit
    return policy.level == "restricted"


def active_policies(obj: K8sObject, ctx: Context, control: Control) -> tuple[Policy, ...]:
    """The policies under which ``control`` judges ``obj``, the gravest first.

    They depend on the object's namespace alone: worked out once per control and namespace.
    """
    active: dict[tuple[str, str | None], tuple[Policy, ...]] = ctx.memo("pss-active-policies", dict)
    key = (control.id, obj.namespace)
    if key not in active:
        active[key] = _active_in(obj.namespace, ctx, control)
    return active[key]


def _active_in(namespace: str | None, ctx: Context, control: Control) -> tuple[Policy, ...]:
    found = []
    if control.id in ctx.explicit:
        found.append(Policy(Mode.SELECTED, control.level, ctx.kube_version))
    if namespace is not None:
        for policy in namespace_policies(ctx).get(namespace, ()):
            if LEVEL_RANK[policy.level] >= LEVEL_RANK[control.level]:
                found.append(policy)
    usable = [
        p
        for p in found
        if control.rule_at(p.version) is not None and not _overridden(control, p, ctx)
    ]
    return tuple(sorted(usable, key=lambda p: -p.mode.rank))


def _annotate(message: str, policy: Policy, obj: K8sObject) -> tuple[str, str | None]:
    if policy.mode is Mode.SELECTED:
        return message, None
    pods = "this pod" if obj.kind == "Pod" else "its pods"
    if policy.mode is Mode.ENFORCE:
        return (
            f"{message}; the API server would reject {pods}: namespace '{policy.namespace}' "
            f"enforces pod security {policy.describe()}",
            "error",
        )
    return (
        f"{message} (namespace '{policy.namespace}' {policy.mode.value}s at pod security "
        f"{policy.describe()})",
        "warning",
    )


def _gravest(obj: K8sObject, ctx: Context, control: Control) -> tuple[Policy, list[Violation]]:
    """The violations of one control under the gravest policy that finds any (else none)."""
    policies = active_policies(obj, ctx, control)
    pod = _pod(obj, ctx) if policies else None
    if pod is not None:
        for policy in policies:
            rule = control.rule_at(policy.version)
            assert rule is not None
            violations = rule(pod)
            if violations:
                return policy, violations
    return Policy(Mode.NONE, control.level, 0), []


def _pod(obj: K8sObject, ctx: Context) -> Pod | None:
    """The object's pod, read once for all the controls that judge it."""
    pods: dict[int, Pod | None] = ctx.memo("pss-pods", dict)
    key = id(obj)  # objects live as long as the run's context
    if key not in pods:
        pods[key] = pod_of(obj)
    return pods[key]


def _twin(control: Control) -> Control | None:
    """The other control of a baseline/restricted pair (e.g. the two seccomp controls)."""
    if control.overrides:
        return controls().get(control.overrides)
    return _overriders().get(control.id)


def run_control(obj: K8sObject, ctx: Context, control: Control) -> Iterator[Finding]:
    """Judge ``obj`` with one control under every policy that applies; report the gravest.

    A baseline control and the restricted control that replaces it can both apply to one
    object (the baseline control is on by default, the namespace enforces restricted): a
    field both find fault with is reported once, by the graver policy (the restricted
    control on a tie, its message is the more precise).
    """
    policy, violations = _gravest(obj, ctx, control)
    if not violations:
        return
    twin = _twin(control)
    # The runner does not run a twin that judges absence on a kustomize patch.
    if twin is not None and not (obj.patch and twin.judges_absence):
        other, theirs = _gravest(obj, ctx, twin)
        if theirs:
            rank, other_rank = policy.mode.rank, other.mode.rank
            restricted = control.level == "restricted"
            if other_rank > rank or (other_rank == rank and not restricted):
                taken = {v.path for v in theirs}
                violations = [v for v in violations if v.path not in taken]
    # A namespace's labels, not the object alone, decide a verdict under its policies.
    contextual = policy.mode is not Mode.SELECTED
    for violation in violations:
        message, severity = _annotate(violation.message, policy, obj)
        yield Finding(
            violation.path, message, severity=severity, contextual=contextual, fix=violation.fix
        )


def coverage(control: Control) -> Callable[[K8sObject, Context], dict[Hardening, bool]] | None:
    """The ``covers`` of a control's META: the hardening settings it reports itself for an
    object it judges (see ``CheckMeta.covers``), or None when it reports none."""
    if not (control.covers or control.covers_weak):
        return None

    def covers(obj: K8sObject, ctx: Context) -> dict[Hardening, bool]:
        if not active_policies(obj, ctx, control):
            return {}
        found = {control.covers_weak: False} if control.covers_weak else {}
        if control.covers:
            found[control.covers] = True
        return found

    return covers
