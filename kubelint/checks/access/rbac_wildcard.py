"""A Role or ClusterRole rule grants `*` in verbs, resources or apiGroups.

## What it does
Reports every rule of a `Role` or `ClusterRole` that holds `*` in `verbs`, `resources` or
`apiGroups`: one finding per rule, at the first `*` in the order the rule's keys are
written. The message names every field of the rule that holds a `*`, `nonResourceURLs`
included (a `*` there grants every non-resource URL, such as `/metrics`), and says what the
wildcard covers. A `*` in `nonResourceURLs` alone is not reported, nor one in
`resourceNames` (Kubernetes compares resource names literally; `*` is no wildcard there).

Severity (the check's default is `error`; each finding carries its own):

- `error`: the rule grants every verb on every resource of every API group
  (cluster-admin in all but name), or its wildcard covers reading every Secret or an
  escalation path (see `rbac-privilege-escalation`), and the role applies cluster-wide.
  A ClusterRole applies cluster-wide unless the linted tree binds it only with
  RoleBindings (unbound, it may be bound cluster-wide anywhere);
- `warning`: the same within namespaces (a Role, or a ClusterRole bound only by
  RoleBindings);
- `info`: the wildcard covers no Secret and no known escalation path today, e.g. `*`
  verbs on one custom resource, or every resource of an operator's own API group. It
  still grants whatever that group adds later.

`*/subresource` entries (such as `*/scale`) are not wildcards here: they are judged by
what they grant.

A rule reported here is left out of `rbac-secrets-access` and `rbac-privilege-escalation`,
so that one rule is one finding: this message names the Secret access and escalation paths
the wildcard covers. A binding that hands out such a rule in full (every verb on every
resource) is also reported by `rbac-cluster-admin-binding`, at the subject who receives it.

Rules of the roles an aggregated ClusterRole collects are reported where they are written.

## Why it matters
A wildcard grants more than anyone reviewed: every verb includes `escalate`, `bind` and
`impersonate`, every resource includes Secrets and `pods/exec`, and both grow with every
API the cluster adds later. A controller compromised through such a role controls the
cluster.

## Failing example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: deployer
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
```

## Fixed example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: deployer
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "watch", "update", "patch"]
```

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.access import CONTEXT_KINDS, ROLE_KINDS
from kubelint.checks.base import CheckMeta, Context
from kubelint.compliance import cis
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="rbac-wildcard",
    summary="RBAC rule grants '*' in verbs, resources or apiGroups",
    severity="error",
    remediation="name the API groups, resources and verbs the role needs instead of '*'",
    kinds=frozenset(ROLE_KINDS),
    groups=("rbac",),
    needs_context=True,
    context_kinds=CONTEXT_KINDS,
    since="0.2.0",
    compliance=(cis("5.1.3", "keep wildcards out of Roles and ClusterRoles"),),
)


def _fields(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    from kubelint.checks.access import rbac  # here: only RBAC runs need its index

    if not rbac.is_rbac(obj):
        return
    idx = rbac.index(ctx)
    rules = idx.rules(obj)
    namespaces = idx.namespaced_only(obj)
    where = rbac.scope_words(namespaces)
    for rule in rules:
        at = rule.first_wildcard()
        if at is None:
            continue
        head = f"'*' in {_fields(rule.named_wildcard_fields())} of rules[{rule.path[-1]}]"
        if rule.grants_everything:
            yield Finding(
                at,
                f"{head} grants every verb on every resource of every API group {where} "
                "(cluster-admin in all but name)",
                hint=META.remediation,
                severity=rbac.scope_severity(namespaces),
            )
            continue
        covered = []
        read = rbac.reads_secrets(rule)
        if read:
            covered.append(f"reading every Secret ({', '.join(read)})")
        paths = list(dict.fromkeys(p.name for p, _ in rbac.rule_paths(rule, rules)))
        if paths:
            covered.append(f"the escalation path{'s' if len(paths) > 1 else ''} {', '.join(paths)}")
        if covered:
            yield Finding(
                at,
                f"{head} covers {' and '.join(covered)} {where}",
                hint=META.remediation,
                severity=rbac.scope_severity(namespaces),
            )
        else:
            yield Finding(
                at,
                f"{head} also grants whatever is added later; today it covers no Secret "
                "and no known escalation path",
                hint=META.remediation,
                severity="info",
            )
