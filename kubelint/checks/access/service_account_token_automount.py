"""A workload mounts an API token that its ServiceAccount has no use for.

## What it does
Reports a workload whose pods get a ServiceAccount token mounted while no `RoleBinding`
or `ClusterRoleBinding` in the linted tree grants that ServiceAccount anything (by name,
as `system:serviceaccount:<namespace>:<name>`, or through the groups
`system:serviceaccounts` and `system:serviceaccounts:<namespace>`).

Whether a token is mounted follows Kubernetes: the pod spec's
`automountServiceAccountToken` wins when set; only when the pod leaves it unset does the
ServiceAccount's own `automountServiceAccountToken` count; when neither sets it, the token
is mounted.

The finding sits at the pod spec's `automountServiceAccountToken: true` when the pod sets
it, else at the pod spec. Its fix (`--unsafe-fixes` only: the workload may call the API
after all) sets `automountServiceAccountToken: false` in the pod spec, which overrides
the ServiceAccount's.

A workload without `metadata.namespace` (an install bundle applied with
`kubectl apply -n <namespace>`) counts as bound when a binding names its ServiceAccount in
any namespace.

Which ServiceAccounts are judged:

- one that the tree declares (a `ServiceAccount` in the workload's namespace). One it does
  not declare is left alone: it lives elsewhere, and so may its bindings;
- the namespace's `default` ServiceAccount (the pod names none, or names `default`) only
  with the `strict` option: nearly every workload runs on it with a token mounted, so
  reporting it by default would be noise.

Severity: `warning`.

## Why it matters
A mounted token is a credential for the API server in every container of the pod. When the
workload never calls the API, the token only helps an attacker who gets into the
container: it still authenticates (as `system:authenticated`, with whatever that group and
later bindings grant) and lets them explore the cluster.

## Failing example
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: example/web:1.0
```

## Fixed example
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: example/web:1.0
```

## Options
`strict` (boolean, default false): also report workloads on the namespace's `default`
ServiceAccount.

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
- https://kubernetes.io/docs/concepts/security/service-accounts/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.access import ACCOUNT_KINDS
from kubelint.checks.base import CheckMeta, Context, Param
from kubelint.compliance import cis, nsa
from kubelint.k8s.workloads import WORKLOAD_KINDS, pod_spec
from kubelint.model import Edit, Finding, Fix, K8sObject

META = CheckMeta(
    id="service-account-token-automount",
    summary="Workload mounts an API token its ServiceAccount has no binding for",
    severity="warning",
    remediation=(
        "set automountServiceAccountToken: false in the pod spec or on the ServiceAccount "
        "when the workload does not call the Kubernetes API"
    ),
    kinds=WORKLOAD_KINDS,
    groups=("rbac",),
    params=(
        Param(
            "strict",
            {"type": "boolean"},
            False,
            "also report workloads on the namespace's default ServiceAccount",
        ),
    ),
    needs_context=True,
    context_kinds=ACCOUNT_KINDS,
    judges_absence=True,
    since="0.2.0",
    compliance=(
        cis("5.1.6", "mount ServiceAccount tokens only where they are used"),
        nsa(
            "Protecting Pod service account tokens",
            "do not mount a token into pods that do not use it",
        ),
    ),
)

_DEFAULT_ACCOUNT = "default"
_AUTOMOUNT = "automountServiceAccountToken"


def _account(spec: Mapping[str, Any]) -> str:
    """The pod's ServiceAccount name (``serviceAccount`` is the deprecated alias)."""
    for key in ("serviceAccountName", "serviceAccount"):
        value = spec.get(key)
        if isinstance(value, str) and value:
            return value
    return _DEFAULT_ACCOUNT


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    found = pod_spec(obj)
    if found is None or obj.namespace is None:
        return
    spec_path, spec = found
    name, namespace = _account(spec), obj.namespace
    if name == _DEFAULT_ACCOUNT and not params.get("strict"):
        return
    from kubelint.checks.access import rbac  # here: a strict or named account needs it

    idx = rbac.accounts(ctx)  # the subjects only: no role is resolved or aggregated
    account = idx.service_accounts.get((namespace, name))
    if account is None and name != _DEFAULT_ACCOUNT:
        return  # declared elsewhere, and so may its bindings be
    pod_value = spec.get(_AUTOMOUNT)
    if pod_value is False:
        return
    if pod_value is True:
        at = (*spec_path, _AUTOMOUNT)
        why = "the pod spec sets automountServiceAccountToken: true"
    else:
        if account is not None and account.data.get(_AUTOMOUNT) is False:
            return
        at = spec_path
        why = "neither the pod spec nor the ServiceAccount turns automounting off"
    unplaced = not obj.metadata.get("namespace")
    if idx.bound_service_account(namespace, name, unplaced):
        return
    yield Finding(
        at,
        f"pods of {obj.describe()} get a token of ServiceAccount '{namespace}/{name}', "
        f"which no binding in the linted tree grants anything ({why})",
        hint=META.remediation,
        # The pod's field overrides the ServiceAccount's, and touches no other workload.
        # Unsafe: the workload may call the API after all (with a binding kept elsewhere).
        fix=Fix(
            "set automountServiceAccountToken: false in the pod spec",
            (Edit("set", (*spec_path, _AUTOMOUNT), False),),
        ),
    )
