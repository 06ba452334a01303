"""A binding points at a role or a ServiceAccount that the tree does not declare.

## What it does
Reports, at `info` severity:

- a `RoleBinding` or `ClusterRoleBinding` whose `roleRef` names a `Role` or `ClusterRole`
  that no manifest of the linted tree declares (a Role in the binding's namespace) and
  that is not a Kubernetes built-in role (`cluster-admin`, `admin`, `edit`, `view`,
  `system:*` cluster roles, and the built-in Roles of `kube-system` and `kube-public`).
  The finding sits at `roleRef.name`;
- each `ServiceAccount` subject that no manifest declares in its namespace (the
  binding's, when the subject leaves it out), at the subject's entry. Every namespace has
  a `default` ServiceAccount, so that name is never reported. A ServiceAccount declared
  without `metadata.namespace` counts for every namespace: install bundles are applied
  with `kubectl apply -n <namespace>` while their bindings name that namespace.

A `ServiceAccount` subject whose name is not a valid ServiceAccount name (a DNS-1123
subdomain: lower-case letters, digits, `-` and `.`), such as `system:anonymous`, is
reported as a name that can never exist, at `warning`: no manifest could declare it and
the API server rejects the binding. Such a subject is not the user or group of the same
name, so `rbac-anonymous-binding` leaves it alone; `kind: User` or `kind: Group` names
those. Names holding a placeholder (`${SA}`, `{{ .Values.sa }}`) are judged as undeclared
only.

The others are `info`: the role or ServiceAccount may well live in another repository, a Helm
chart or the cluster itself. The check needs the whole tree: with the pre-commit hook
kubelint reads the repository for context.

## Why it matters
A binding to a role that does not exist grants nothing until someone creates a role of
that name, with whatever rights they choose: a typo in `roleRef` waits as a trap.
A binding to a ServiceAccount that does not exist hands its rights to whoever creates it
first in that namespace. Both are also the leftovers of a rename that left the workload
without the rights it was meant to have.

## Failing example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: app-reader
subjects:
  - kind: ServiceAccount
    name: app
    namespace: shop
```

## Fixed example
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: shop
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-reader
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: app-reader
subjects:
  - kind: ServiceAccount
    name: app
    namespace: shop
```

## References
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.access import BINDING_KINDS, CONTEXT_KINDS
from kubelint.checks.base import CheckMeta, Context
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="rbac-dangling",
    summary="Binding points at a role or ServiceAccount the tree does not declare",
    severity="info",
    remediation="declare the role or ServiceAccount, or fix the name the binding uses",
    kinds=frozenset(BINDING_KINDS),
    groups=("rbac",),
    needs_context=True,
    context_kinds=CONTEXT_KINDS,
    since="0.2.0",
)

#: Every namespace gets this ServiceAccount from the cluster.
_DEFAULT_ACCOUNT = "default"
#: A ServiceAccount name is a DNS-1123 subdomain: the API server rejects any other in a
#: binding's subjects.
_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_ACCOUNT_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_MAX_NAME = 253


def _impossible_account(name: str) -> bool:
    """Whether no ServiceAccount can have this name (placeholders left to the tooling)."""
    if "$" in name or "{" in name:
        return False
    return len(name) > _MAX_NAME or _ACCOUNT_NAME.fullmatch(name) is None


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    from kubelint.checks.access import rbac  # here: only RBAC runs need its index

    if not rbac.is_rbac(obj):
        return
    idx = rbac.index(ctx)
    binding = idx.by_object.get(id(obj))
    if binding is None:
        return
    ref = binding.ref
    cross_kind = ref is not None and ref.kind == "Role" and obj.kind == "ClusterRoleBinding"
    if (
        ref is not None
        and binding.role is None
        and not cross_kind  # the API server rejects it; schema validation says so
        and not rbac.is_builtin_role(ref.kind, ref.name, obj.namespace)
    ):
        where = f" in namespace '{obj.namespace}'" if ref.kind == "Role" else ""
        yield Finding(
            ("roleRef", "name"),
            f"{obj.kind} points at {rbac.role_words(ref)}, which the linted tree does not "
            f"declare{where} and Kubernetes does not provide",
            hint=META.remediation,
        )
    for subject in binding.subjects:
        if subject.kind != "ServiceAccount" or subject.name == _DEFAULT_ACCOUNT:
            continue
        if _impossible_account(subject.name):
            yield Finding(
                subject.path,
                f"{obj.kind} names {subject.describe()}, which cannot exist: a ServiceAccount "
                "name is a DNS-1123 subdomain, so the API server rejects this binding",
                hint="use the ServiceAccount's metadata.name; a user or group is named with "
                "kind: User or kind: Group",
                severity="warning",
            )
        elif not idx.declares_account(subject.namespace, subject.name):
            yield Finding(
                subject.path,
                f"{obj.kind} names {subject.describe()}, which the linted tree does not declare",
                hint=META.remediation,
            )
