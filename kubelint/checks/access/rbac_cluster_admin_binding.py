"""A binding gives cluster-admin, or a role just as broad, to someone.

## What it does
Reports each subject of a `ClusterRoleBinding` or `RoleBinding` that receives
`cluster-admin`, or an in-tree Role or ClusterRole that grants every verb on every resource
of every API group (`*` in all three; for an aggregated ClusterRole, in any of the roles
it collects). The finding sits at the subject's entry in `subjects`.

Control-plane identities are left alone: the `system:masters` group and other built-in
`system:` users and groups that stand for one component (such as
`system:kube-controller-manager`). Built-in groups that stand for many callers are not:
`system:serviceaccounts`, `system:nodes` and the like are reported. Anonymous callers and
`system:authenticated` are reported by `rbac-anonymous-binding` only.

Severity: `error` for a `ClusterRoleBinding` (control of the whole cluster), `warning` for
a `RoleBinding` (control of one namespace, its Secrets and its RBAC included). The
check's default is `error`.

The role's `*` rule is also reported by `rbac-wildcard`, where it is written; this check
reports who receives it.

## Why it matters
`cluster-admin` bypasses every other control: it reads every Secret, runs any pod on any
node and can grant itself or anyone anything. A ServiceAccount holding it turns any bug in
its workload into a cluster compromise; a person holding it is one stolen kubeconfig away
from the same.

## Failing example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: ci
```

## Fixed example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-deployer
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: ci
```

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.access import BINDING_KINDS, CONTEXT_KINDS
from kubelint.checks.base import CheckMeta, Context
from kubelint.compliance import cis
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="rbac-cluster-admin-binding",
    summary="Binding grants cluster-admin (or every verb on every resource)",
    severity="error",
    remediation=(
        "bind a role that names the resources and verbs the subject needs; keep "
        "cluster-admin for break-glass access through system:masters"
    ),
    kinds=frozenset(BINDING_KINDS),
    groups=("rbac",),
    needs_context=True,
    context_kinds=CONTEXT_KINDS,
    since="0.2.0",
    compliance=(cis("5.1.1", "bind cluster-admin only where it is required"),),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    from kubelint.checks.access import rbac  # here: only RBAC runs need its index

    if not rbac.is_rbac(obj):
        return
    idx = rbac.index(ctx)
    binding = idx.by_object.get(id(obj))
    if binding is None or binding.ref is None or not rbac.grants_everything(idx, binding):
        return
    severity, where = rbac.binding_scope(binding)
    role = rbac.role_words(binding.ref)
    if binding.ref.name != rbac.CLUSTER_ADMIN or binding.role is not None:
        role += " (every verb on every resource)"
    for subject in binding.subjects:
        if (
            rbac.is_control_plane_identity(subject)
            or rbac.is_anonymous(subject)
            or rbac.is_all_authenticated(subject)
        ):
            continue
        yield Finding(
            subject.path,
            f"{obj.kind} gives {subject.describe()} {role} {where}",
            hint=META.remediation,
            severity=severity,
        )
