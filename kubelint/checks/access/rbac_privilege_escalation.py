"""A role opens a path to more privileges than it grants.

## What it does
Reports each rule of a `Role` or `ClusterRole` that grants one of the escalation paths the
Kubernetes RBAC good practices describe, naming each path it opens:

- the verbs `escalate` or `bind` on roles or cluster roles, and `impersonate` on users,
  groups or ServiceAccounts (the finding sits at the verb);
- `create` on `pods` or on a kind that makes pods (`deployments`, `replicasets`,
  `statefulsets`, `daemonsets`, `jobs`, `cronjobs`, `replicationcontrollers`);
- `create` or `get` on `pods/exec` or `pods/attach` (a WebSocket upgrade needs only `get`
  in Kubernetes releases before 1.35);
- `update` or `patch` on `pods/ephemeralcontainers`;
- `create` on `serviceaccounts/token`;
- `get` or `create` on `nodes/proxy`;
- `update` on `certificatesigningrequests/approval` when the role also grants `approve` on
  `signers`;
- `create`, `update`, `patch`, `delete` or `deletecollection` on
  `validatingwebhookconfigurations`, `mutatingwebhookconfigurations` or
  `validatingadmissionpolicies`;
- `create` on `persistentvolumes`.

One finding per rule, at the first offending entry (the resource, or the verb for
`escalate`, `bind` and `impersonate`), listing every path the rule opens. `*/subresource`
entries count (`*/exec` covers `pods/exec`).

Severity (the check's default is `error`; each finding carries its own): `error` when the
role applies cluster-wide (a ClusterRole, unless the linted tree binds it only with
RoleBindings), `warning` within namespaces (a Role, or a ClusterRole bound only by
RoleBindings).

Rules with `*` in `verbs`, `resources` or `apiGroups` are reported by `rbac-wildcard`
instead, whose message names the escalation paths the wildcard covers: one rule, one
finding.

## Why it matters
Each of these grants more than it says. Creating a pod runs code under any ServiceAccount
of the namespace; exec reads the tokens and files of running pods; `bind` and `escalate`
hand out roles the holder does not have; `nodes/proxy` reaches every kubelet; admission
webhooks see and rewrite every request. An attacker who gets the role's token gets what
these paths lead to, not what the role lists.

## Failing example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debugger
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/exec"]
    verbs: ["get", "create"]
```

## Fixed example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debugger
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/log"]
    verbs: ["get", "list"]
```

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from kubelint.checks.access import CONTEXT_KINDS, ROLE_KINDS
from kubelint.checks.base import CheckMeta, Context
from kubelint.model import Finding, K8sObject

if TYPE_CHECKING:
    from kubelint.checks.access import rbac

META = CheckMeta(
    id="rbac-privilege-escalation",
    summary="RBAC rule opens a privilege escalation path",
    severity="error",
    remediation=(
        "drop the verb or resource, or move it to a role that only a trusted subject "
        "holds, limited to one namespace"
    ),
    kinds=frozenset(ROLE_KINDS),
    groups=("rbac",),
    needs_context=True,
    context_kinds=CONTEXT_KINDS,
    since="0.2.0",
)


def _describe(paths: list[rbac.Path]) -> str:
    """Path names grouped by what they let a caller do, in the order found."""
    by_why: dict[str, list[str]] = {}
    for path in paths:
        names = by_why.setdefault(path.why, [])
        if path.name not in names:
            names.append(path.name)
    return "; ".join(f"{', '.join(names)} ({why})" for why, names in by_why.items())


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    from kubelint.checks.access import rbac  # here: only RBAC runs need its index

    if not rbac.is_rbac(obj):
        return
    idx = rbac.index(ctx)
    rules = idx.rules(obj)
    namespaces = idx.namespaced_only(obj)
    for rule in rules:
        if rule.has_wildcard:
            continue  # rbac-wildcard reports the rule and the paths it covers
        found = rbac.rule_paths(rule, rules)
        if not found:
            continue
        at = min((where for _, where in found), key=rule.position)
        count = len({p.name for p, _ in found})
        yield Finding(
            at,
            f"rules[{rule.path[-1]}] opens {'an escalation path' if count == 1 else 'escalation paths'} "
            f"{rbac.scope_words(namespaces)}: {_describe([p for p, _ in found])}",
            hint=META.remediation,
            severity=rbac.scope_severity(namespaces),
        )
