"""A role may read every Secret (get, list or watch on `secrets`).

## What it does
Reports each rule of a `Role` or `ClusterRole` that grants `get`, `list` or `watch` on
`secrets` of the core API group, at the `secrets` entry of its `resources`. A rule limited
by `resourceNames` reads only the Secrets it names and is not reported.

Severity (the check's default is `error`; each finding carries its own):

- `error` when the role applies cluster-wide: a ClusterRole, unless the linted tree binds
  it (or an aggregated role that collects it) only with RoleBindings; unbound, it may be
  bound cluster-wide anywhere;
- `warning` when it applies within namespaces: a Role, or a ClusterRole bound only by
  RoleBindings.

Rules with `*` in `verbs`, `resources` or `apiGroups` are reported by `rbac-wildcard`
instead, whose message says when the wildcard covers Secrets: one rule, one finding.

## Why it matters
`list` and `watch` return every Secret's value in one call, and `get` reads any Secret
whose name can be guessed: service-account tokens of other workloads, TLS keys, database
passwords. Whoever holds such a role (or steals the token of a workload that does) holds
all of them.

## Failing example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cert-reader
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["list", "watch"]
```

## Fixed example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: cert-reader
  namespace: web
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["web-tls"]
    verbs: ["get"]
```

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.access import CONTEXT_KINDS, ROLE_KINDS
from kubelint.checks.base import CheckMeta, Context
from kubelint.compliance import cis
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="rbac-secrets-access",
    summary="RBAC rule lets its holder read every Secret",
    severity="error",
    remediation=(
        "limit the rule to the Secrets it needs with resourceNames and get, or to one "
        "namespace with a Role"
    ),
    kinds=frozenset(ROLE_KINDS),
    groups=("rbac",),
    needs_context=True,
    context_kinds=CONTEXT_KINDS,
    since="0.2.0",
    compliance=(cis("5.1.2", "keep read access to Secrets to a minimum"),),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    from kubelint.checks.access import rbac  # here: only RBAC runs need its index

    if not rbac.is_rbac(obj):
        return
    idx = rbac.index(ctx)
    namespaces = idx.namespaced_only(obj)
    for rule in idx.rules(obj):
        if rule.has_wildcard:
            continue  # rbac-wildcard reports the rule
        verbs = rbac.reads_secrets(rule)
        entry = rule.resource_entry("secrets")
        if not verbs or entry is None:
            continue
        yield Finding(
            (*rule.path, "resources", entry),
            f"rules[{rule.path[-1]}] lets {obj.kind} '{obj.name}' read every Secret "
            f"{rbac.scope_words(namespaces)} ({', '.join(verbs)})",
            hint=META.remediation,
            severity=rbac.scope_severity(namespaces),
        )
