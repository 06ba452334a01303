"""A namespace has no default-deny NetworkPolicy.

## What it does
Collects every namespace that is declared (`kind: Namespace`) or used by a workload in the
linted repository (objects without `metadata.namespace` go to `--namespace`, `default`
unless set) and reports each one that has no NetworkPolicy in that namespace which

- selects every pod (`podSelector: {}`), and
- has `Ingress` among its effective `policyTypes` with no ingress rules.

`policyTypes` defaults as in the API server: when omitted it is `Ingress`, plus `Egress`
when the policy has egress rules. With the `require-egress` option, an egress default-deny
(`Egress` in `policyTypes`, no egress rules) is required as well; it may come from the same
or another policy.

A namespace is reported once: at its `Namespace` object if the manifests declare it, else
at the first workload in it (by file name and position).

## Why it matters
Pods accept traffic from anywhere in the cluster unless a NetworkPolicy selects them. A
default-deny policy turns the network into an allow list: a compromised pod in another
namespace can no longer reach databases, admin ports or metadata services it was never
meant to talk to.

## Failing example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
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
```

## Options
`require-egress` (boolean, default false): also require a default-deny for egress.

## References
- https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context, Param
from kubelint.k8s import WORKLOAD_KINDS
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="namespace-without-default-deny",
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
)


def _selects_all(spec: dict[str, Any]) -> bool:
    selector = spec.get("podSelector")
    if selector is None:
        return True
    if not isinstance(selector, dict):
        return False
    return not selector.get("matchLabels") and not selector.get("matchExpressions")


def _policy_types(spec: dict[str, Any]) -> set[str]:
    types = spec.get("policyTypes")
    if isinstance(types, list) and types:
        return {str(t) for t in types}
    # API defaulting: Ingress always, Egress when the policy has egress rules.
    return {"Ingress", "Egress"} if spec.get("egress") else {"Ingress"}


def _denies(ctx: Context) -> dict[str, set[str]]:
    """Namespace -> directions ("Ingress", "Egress") denied by default in it."""
    denied: dict[str, set[str]] = {}
    for policy in ctx.of_kind("NetworkPolicy"):
        spec = policy.data.get("spec")
        if not isinstance(spec, dict) or not _selects_all(spec) or policy.namespace is None:
            continue
        types = _policy_types(spec)
        for direction, rules in (("Ingress", "ingress"), ("Egress", "egress")):
            if direction in types and not spec.get(rules):
                denied.setdefault(policy.namespace, set()).add(direction)
    return denied


def _anchors(ctx: Context) -> dict[int, str]:
    """id(object) -> namespace, for the one object each namespace is reported at."""
    anchors: dict[str, K8sObject] = {}
    for ns in ctx.of_kind("Namespace"):
        if ns.name and ns.name not in anchors:
            anchors[ns.name] = ns
    workloads = sorted(
        (o for kind in WORKLOAD_KINDS for o in ctx.of_kind(kind)), key=K8sObject.sort_key
    )
    for obj in workloads:
        if obj.namespace and obj.namespace not in anchors:
            anchors[obj.namespace] = obj
    return {id(obj): name for name, obj in anchors.items()}


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    namespace = ctx.memo("default-deny-anchors", lambda: _anchors(ctx)).get(id(obj))
    if namespace is None:
        return
    denied = ctx.memo("default-deny-policies", lambda: _denies(ctx)).get(namespace, set())
    missing = [d for d in ("Ingress", "Egress") if d not in denied]
    if not params.get("require-egress"):
        missing = [d for d in missing if d == "Ingress"]
    if not missing:
        return
    what = " and ".join(d.lower() for d in missing)
    if obj.kind == "Namespace":
        path: tuple[str, ...] = ("metadata", "name")
        where = f"namespace '{namespace}'"
    else:
        path = ("metadata", "namespace")
        where = f"namespace '{namespace}' (used by {obj.describe()})"
    yield Finding(
        path,
        f"{where} has no default-deny NetworkPolicy for {what}",
        hint=f"add a NetworkPolicy in '{namespace}' with podSelector: {{}} and "
        f"policyTypes: [{', '.join(missing)}] and no {what} rules",
    )
