"""A binding grants a role to anonymous callers or to every authenticated caller.

## What it does
Reports each subject of a `ClusterRoleBinding` or `RoleBinding` that stands for callers
who need no credentials, the user `system:anonymous` and the group
`system:unauthenticated`, whatever the role; and the group `system:authenticated` (every
user and every ServiceAccount of the cluster) unless the role is one of the built-in
discovery roles (`system:discovery`, `system:basic-user`, `system:public-info-viewer`,
`system:service-account-issuer-discovery`). The finding sits at the subject's entry.

Only `kind: User` and `kind: Group` subjects are those callers: a `ServiceAccount` subject
named `system:anonymous` is no one (no ServiceAccount can have that name, and the API
server rejects the binding), which `rbac-dangling` reports.

Severity: `error` for a `ClusterRoleBinding`, `warning` for a `RoleBinding` (the grant
is limited to one namespace). The check's default is `error`.

Such a subject bound to `cluster-admin` is reported here only, not also by
`rbac-cluster-admin-binding`.

## Why it matters
With anonymous authentication on (the API server's default), anyone who can reach the API
server is `system:anonymous`: a binding to it publishes the role's rights to the network.
`system:authenticated` includes every ServiceAccount token of every workload, so one
compromised pod gets the role as well.

## Failing example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: public-view
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: system:unauthenticated
```

## Fixed example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: team-view
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: team-payments
```

## References
- https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.access import BINDING_KINDS, CONTEXT_KINDS
from kubelint.checks.base import CheckMeta, Context
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="rbac-anonymous-binding",
    summary="Binding grants a role to anonymous or to every authenticated caller",
    severity="error",
    remediation="bind the role to the users, groups or ServiceAccounts that need it",
    kinds=frozenset(BINDING_KINDS),
    groups=("rbac",),
    needs_context=True,
    context_kinds=CONTEXT_KINDS,
    since="0.2.0",
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    from kubelint.checks.access import rbac  # here: only RBAC runs need its index

    if not rbac.is_rbac(obj):
        return
    binding = rbac.index(ctx).by_object.get(id(obj))
    if binding is None or binding.ref is None:
        return
    ref = binding.ref
    discovery = ref.kind == "ClusterRole" and ref.name in rbac.DISCOVERY_ROLES
    severity, where = rbac.binding_scope(binding)
    for subject in binding.subjects:
        if rbac.is_anonymous(subject):
            who = "every caller without credentials"
        elif rbac.is_all_authenticated(subject) and not discovery:
            who = "every authenticated user and ServiceAccount"
        else:
            continue
        yield Finding(
            subject.path,
            f"{obj.kind} gives {rbac.role_words(ref)} to {who} ({subject.name}) {where}",
            hint=META.remediation,
            severity=severity,
        )
