"""A namespace has no default-deny NetworkPolicy.

## What it does
Collects every namespace that is declared (`kind: Namespace`) or used by a workload in the
linted repository (objects without `metadata.namespace` go to `--namespace`, `default`
unless set) and reports each one that is not default-deny for ingress (and, with the
`require-egress` option, for egress). NetworkPolicies add up, so a namespace is
default-deny in a direction only when both hold:

- some NetworkPolicy in it selects every pod (`podSelector: {}`, or with empty
  `matchLabels`/`matchExpressions`), has the direction among its effective `policyTypes`
  and has no rules for that direction;
- no NetworkPolicy in it selects every pod and lets everything through in that direction:
  a rule with no peers (`{}`, no `from`/`to`, or an empty list) or with a peer that is
  everywhere, on every port (no `ports`, an empty list, or every port of TCP, UDP and
  SCTP). A peer is everywhere when it is an `ipBlock` of `0.0.0.0/0` or `::/0` with no
  `except`, or `namespaceSelector: {}` with no or an empty `podSelector`.

Rules are read as the API server stores them and network plugins enforce them:

- `policyTypes` defaults to `Ingress`, plus `Egress` when the policy has egress rules;
  rules of a direction missing from `policyTypes` are ignored;
- a missing `spec` or `podSelector` is empty (every pod), as in the API server;
- a policy whose apiVersion the target `--kube-version` does not serve (for example
  `extensions/v1beta1`, removed in 1.16, or a non-Kubernetes `NetworkPolicy` kind) or
  that the API server would reject (wrong types, a peer naming nothing, an `ipBlock` with a
  selector, an invalid CIDR, protocol or selector) counts for nothing: it neither denies
  nor allows. The finding's hint names such policies and why they were not counted;
- an allow-all policy that selects only some pods leaves the default deny in place for the
  others; a rule limited to some ports or some sources opens nothing.

Two rules are stricter than the API on purpose. A `podSelector` that happens to match every
workload in the repository is not a default deny: pods added later would not be covered.
A peer selecting every pod of every namespace counts as everywhere although it leaves out
addresses outside the cluster: the default deny is there to stop traffic between
namespaces, which such a rule lets through again.

A namespace is reported once: at its `Namespace` object if the manifests declare it, else
at the first workload in it (by file name and position) that no policy selects (by its
pod template labels, with `In`, `NotIn`, `Exists` and `DoesNotExist`), else at its first
workload. The message counts the namespace's workloads that some policy selects, e.g.
`namespace 'shop' (6 of 8 workloads selected by a policy) has no default-deny
NetworkPolicy for ingress`.

Its fix is unsafe (`kubelint fix --unsafe-fixes`): a new file `<namespace>-default-deny.yaml` beside
the manifest the namespace is reported in, holding a NetworkPolicy named `default-deny`
(or `default-deny-2`... when the namespace has a policy of that name) with
`podSelector: {}` and `policyTypes: [Ingress]` (`[Ingress, Egress]` with
`require-egress`). It is unsafe because it blocks all the traffic no other policy allows.
No fix when a policy allowing everything undoes the default deny (that policy needs
narrowing), and an existing file of that name is never overwritten.

## Why it matters
Pods accept traffic from anywhere in the cluster unless a NetworkPolicy selects them. A
default-deny policy turns the network into an allow list: a compromised pod in another
namespace can no longer reach databases, admin ports or metadata services it was never
meant to talk to. A sibling policy that allows everything to every pod quietly turns the
allow list back into an open network.

## Failing example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
# Selects every pod and allows ingress from anywhere: undoes the default deny.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all
  namespace: shop
spec:
  podSelector: {}
  ingress:
    - {}
```

## Fixed example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
# Allows only what the web pods need: HTTPS from the ingress controller.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels: {kubernetes.io/metadata.name: ingress-nginx}
      ports:
        - port: 443
```

## Options
`require-egress` (boolean, default false): also require a default-deny for egress, by the
same rules.

## References
- https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
- https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubelint.checks.base import CheckMeta, Context, Param
from kubelint.checks.network import DIRECTIONS, INGRESS
from kubelint.compliance import nsa
from kubelint.k8s.selectors import pod_labels
from kubelint.k8s.workloads import WORKLOAD_KINDS, has_pod_template, pod_metadata
from kubelint.model import Finding, Fix, K8sObject
from kubelint.schema.apis import ApiState, status

if TYPE_CHECKING:
    from kubelint.checks.network import policies as netpol

META = CheckMeta(
    id="namespace-without-default-deny",
    judges_absence=True,
    summary="Namespace has no default-deny NetworkPolicy",
    severity="warning",
    remediation=(
        "add a NetworkPolicy with podSelector: {} and no ingress rules to the namespace, "
        "then allow the traffic each workload needs"
    ),
    kinds=WORKLOAD_KINDS | {"Namespace"},
    groups=("core", "network"),
    params=(
        Param(
            "require-egress",
            {"type": "boolean"},
            False,
            "also require a default-deny policy for egress",
        ),
    ),
    needs_context=True,
    # and every workload: its namespace and pod template labels only
    context_kinds=frozenset({"Namespace", "NetworkPolicy"}),
    compliance=(nsa("Network policies", "a default policy denies traffic in each namespace"),),
    judges_control_plane=False,
)

#: How many policies a hint names before it only counts the rest.
_NAMED = 3

#: A namespace name the API server accepts (a DNS label): safe in a file name.
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")


@dataclass
class _Namespace:
    """What the repository holds for one namespace."""

    declared: K8sObject | None = None
    workloads: list[K8sObject] = field(default_factory=list)
    #: Its NetworkPolicy objects, in order, read into ``policies`` and ``ignored`` when
    #: the namespace is judged (most namespaces of a repository never are in a run).
    found: list[K8sObject] = field(default_factory=list)
    #: Policies the API server would store and the target version serves.
    policies: list[tuple[K8sObject, netpol.Policy]] = field(default_factory=list)
    #: Policies that do not count, with why.
    ignored: list[tuple[K8sObject, str]] = field(default_factory=list)
    #: Workloads whose pods some counted policy selects (by identity).
    selected: set[int] = field(default_factory=set)
    #: Whether ``found`` is read into ``policies`` and ``ignored``.
    read: bool = False
    #: Whether ``workloads`` are sorted and ``selected`` known (see :func:`_judge`).
    judged: bool = False
    #: Workloads the run counts but left out of its objects (``Context.left_out``): each
    #: with how many files hold it. All sort after every object linted.
    counted: Sequence[tuple[K8sObject, int]] = ()
    #: How many of those some counted policy selects, and how many are not selected.
    counted_selected: int = 0
    counted_unselected: int = 0

    def anchor(self) -> K8sObject | None:
        """Where the namespace is reported: its Namespace, else an unselected workload.

        None when that is a workload left out: it sorts after every object linted, as
        do the workloads rebuilt from files after them (so either stands in for the other
        when one of those comes first).
        """
        if self.declared is not None:
            return self.declared
        unselected = [w for w in self.workloads if id(w) not in self.selected]
        if not unselected and self.counted_unselected:
            return None
        candidates = unselected or self.workloads
        return candidates[0] if candidates else None

    def counts(self) -> tuple[int, int]:
        """How many of its workloads some counted policy selects, and how many it has."""
        selected = len(self.selected) + self.counted_selected
        return selected, len(self.workloads) + self.counted_selected + self.counted_unselected


def _unserved(policy: K8sObject, kube_version: int) -> str | None:
    """Why the target Kubernetes version does not serve the policy's apiVersion, if so."""
    api = policy.api_version
    state = status(api, policy.kind, kube_version)
    if state.state.served:
        return None
    target = f"Kubernetes 1.{kube_version}"
    if state.state is ApiState.REMOVED:
        return f"{api} is not served by {target} (removed in 1.{state.version})"
    if state.state is ApiState.NOT_YET:
        return f"{api} is not served by {target} (added in 1.{state.version})"
    if state.state is ApiState.UNKNOWN:
        return f"{api} is not the Kubernetes NetworkPolicy API"
    return f"{api} serves no NetworkPolicy"


def _labels(workload: K8sObject) -> dict[str, str]:
    found = pod_metadata(workload)
    return pod_labels(found[1]) if found else {}


def _parse(policy: K8sObject) -> netpol.Policy | str:
    """The policy's rules, or why the API server rejects it."""
    # Imported here: most runs hold no NetworkPolicy and never need the parser.
    from kubelint.checks.network import policies as netpol

    try:
        return netpol.parse_policy(policy.data)
    except netpol.Malformed as exc:
        return f"the API server rejects it: {exc}"


def _namespaces(ctx: Context) -> dict[str, _Namespace]:
    """Every namespace the repository declares or runs workloads in, with its policies."""
    spaces: dict[str, _Namespace] = {}
    for ns in sorted(ctx.of_kind("Namespace"), key=K8sObject.sort_key):
        if ns.name:
            declared = spaces.setdefault(ns.name, _Namespace())
            declared.declared = declared.declared or ns
    for obj in ctx.objects:
        if has_pod_template(obj) and obj.namespace:
            spaces.setdefault(str(obj.namespace), _Namespace()).workloads.append(obj)
    for name, counted in ctx.left_out.items():
        counting = spaces.setdefault(name, _Namespace())
        counting.counted = [(w, count) for w, count in counted if has_pod_template(w)]
    for policy in sorted(ctx.of_kind("NetworkPolicy"), key=K8sObject.sort_key):
        space = spaces.get(policy.namespace or "")
        if space is not None:  # a namespace with no workload and no Namespace: not reported
            space.found.append(policy)
    return spaces


def _read_policies(space: _Namespace, kube_version: int) -> None:
    """Sort the namespace's policies into those that count and those that do not."""
    # Copies of a file the context cache rebuilds share their data: each parsed once.
    seen: dict[int, netpol.Policy | str] = {}
    for policy in space.found:
        reason = _unserved(policy, kube_version)
        if reason is not None:
            space.ignored.append((policy, reason))
            continue
        parsed = seen.get(id(policy.data))
        if parsed is None:
            parsed = seen[id(policy.data)] = _parse(policy)
        if isinstance(parsed, str):
            space.ignored.append((policy, parsed))
            continue
        space.policies.append((policy, parsed))


def _judge(space: _Namespace, kube_version: int) -> None:
    """Read the namespace's policies, sort its workloads and find those some policy
    selects (once: a run lints few namespaces of the many a repository holds)."""
    if space.judged:
        return
    space.judged = True
    selected = _selection(space, kube_version)
    space.workloads.sort(key=K8sObject.sort_key)
    space.selected.update(id(w) for w in space.workloads if selected(w))
    for workload, count in space.counted:
        if selected(workload):
            space.counted_selected += count
        else:
            space.counted_unselected += count


def _anchored(obj: K8sObject, ctx: Context) -> tuple[str, _Namespace] | None:
    """The namespace ``obj`` is the one object to report at, if any."""
    if obj.kind == "Namespace":
        name = obj.name
    elif has_pod_template(obj) and obj.namespace:
        name = str(obj.namespace)
    else:
        return None
    spaces: dict[str, _Namespace] = ctx.memo("default-deny-namespaces", lambda: _namespaces(ctx))
    space = spaces.get(name) if name else None
    if space is None or not _may_anchor(obj, space, ctx.kube_version):
        return None
    _judge(space, ctx.kube_version)
    return (name, space) if space.anchor() is obj else None


def _may_anchor(obj: K8sObject, space: _Namespace, kube_version: int) -> bool:
    """False when ``obj`` surely is not where the namespace is reported, found without
    sorting and matching all its workloads (a pre-commit run lints one workload of a
    namespace that may hold thousands): its Namespace is declared and ``obj`` is another
    object, or a workload sorted before ``obj`` is unselected (the anchor comes first), or
    ``obj`` is selected and another workload comes before it (it would be the anchor only
    as the first of all)."""
    if space.judged or space.declared is not None:
        return space.declared is None or space.declared is obj
    selected = _selection(space, kube_version)
    own = obj.sort_key()
    placed = [(w.sort_key(), w) for w in space.workloads if w is not obj]
    before = [w for key, w in placed if key <= own]
    if not before:
        return True
    ties = {id(w) for key, w in placed if key == own}
    if ties:  # the same place: their order in the run decides, as the stable sort keeps it
        for workload in space.workloads:
            if workload is obj:
                break
            ties.discard(id(workload))
        before = [w for w in before if id(w) not in ties]
        if not before:
            return True
    return not selected(obj) and all(map(selected, before))


def _selection(space: _Namespace, kube_version: int) -> Callable[[K8sObject], bool]:
    """Whether some counted policy of the namespace selects a workload's pods (its
    policies read first, once)."""
    if not space.read:
        space.read = True
        _read_policies(space, kube_version)
    # Copies of one policy (overlays, vendored charts) select alike: each once, and each
    # set of pod labels once.
    selectors = list(dict.fromkeys(p.pod_selector for _, p in space.policies))
    verdicts: dict[frozenset[tuple[str, str]], bool] = {}

    def selected(workload: K8sObject) -> bool:
        labels = _labels(workload)
        key = frozenset(labels.items())
        if key not in verdicts:
            verdicts[key] = any(s.matches(labels) for s in selectors)
        return verdicts[key]

    return selected


def _capped(texts: list[str], separator: str, more: str = "{} more") -> str:
    """The first few texts joined, and how many more there are."""
    shown = texts[:_NAMED]
    if len(texts) > _NAMED:
        shown.append(more.format(len(texts) - _NAMED))
    return separator.join(shown)


def _names(objects: list[K8sObject]) -> str:
    return _capped([f"NetworkPolicy '{o.name}' ({o.file})" for o in objects], ", ")


def _hint(namespace: str, space: _Namespace, missing: list[str]) -> str:
    lacking = [d for d in missing if not any(p.denies_all(d) for _, p in space.policies)]
    parts = []
    if lacking:
        rules = " or ".join(d.lower() for d in lacking)
        parts.append(
            f"add a NetworkPolicy in '{namespace}' with podSelector: {{}} and "
            f"policyTypes: [{', '.join(lacking)}] and no {rules} rules"
        )
    for direction in missing:
        openers = [o for o, p in space.policies if p.allows_all(direction)]
        if openers:
            one = len(openers) == 1
            parts.append(
                f"{_names(openers)} {'allows' if one else 'allow'} all {direction.lower()} "
                f"{'to' if direction == INGRESS else 'from'} every pod of the namespace "
                "(any peer, any port), which undoes a default deny: narrow "
                f"{'its' if one else 'their'} peers or ports"
            )
    if space.ignored:
        ignored = [f"NetworkPolicy '{o.name}' ({o.file}): {why}" for o, why in space.ignored]
        parts.append("not counted: " + _capped(ignored, "; ", "and {} more"))
    return "; ".join(parts)


def _protected(space: _Namespace, direction: str) -> bool:
    """A default deny for the direction that no policy undoes by allowing everything."""
    policies = [p for _, p in space.policies]
    return any(p.denies_all(direction) for p in policies) and not any(
        p.allows_all(direction) for p in policies
    )


def _policy_name(space: _Namespace) -> str:
    """``default-deny``, or the first ``default-deny-N`` no policy of the namespace has."""
    taken = {o.name for o, _ in space.policies} | {o.name for o, _ in space.ignored}
    name, number = "default-deny", 1
    while name in taken:
        number += 1
        name = f"default-deny-{number}"
    return name


def _fix(
    namespace: str, space: _Namespace, wanted: tuple[str, ...], missing: list[str]
) -> Fix | None:
    """A new file with a default-deny policy for the wanted directions; none when the
    name is not a DNS label or a policy that allows everything would undo it."""
    if not _DNS_LABEL.fullmatch(namespace):
        return None
    if any(p.allows_all(d) for _, p in space.policies for d in missing):
        return None
    types = "".join(f"\n    - {d}" for d in wanted)
    text = (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
        f"  name: {_policy_name(space)}\n  namespace: {namespace}\n"
        f"spec:\n  podSelector: {{}}\n  policyTypes:{types}\n"
    )
    description = f"create {namespace}-default-deny.yaml with a default-deny NetworkPolicy"
    return Fix(description, (), False, (f"{namespace}-default-deny.yaml", text))


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    found = _anchored(obj, ctx)
    if found is None:
        return
    namespace, space = found
    wanted = DIRECTIONS if params.get("require-egress") else (INGRESS,)
    missing = [d for d in wanted if not _protected(space, d)]
    if not missing:
        return
    selected, total = space.counts()
    counted = f"{selected} of {total} workload{'' if total == 1 else 's'}"
    path: tuple[str, ...] = (
        ("metadata", "name") if obj.kind == "Namespace" else ("metadata", "namespace")
    )
    yield Finding(
        path,
        f"namespace '{namespace}' ({counted} selected by a policy) has no default-deny "
        f"NetworkPolicy for {' and '.join(d.lower() for d in missing)}",
        hint=_hint(namespace, space, missing),
        fix=_fix(namespace, space, wanted, missing),
    )
