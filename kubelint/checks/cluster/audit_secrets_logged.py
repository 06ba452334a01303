"""An audit policy writes secret values into the audit log.

## What it does
Follows an audit `Policy` (`audit.k8s.io/v1`) the way the API server does (first
matching rule wins) for requests on Secrets, ConfigMaps and TokenReviews, and reports each
rule that would log such requests at `Request` or `RequestResponse`, at its `level`. A
rule narrowed by users, groups, verbs, namespaces or resource names matches only some
requests, so the rules after it still count; the first rule that matches every such
request ends the search.

Severity: `error` when the rule logs Secrets or TokenReviews (their bodies are
credentials), `warning` when it logs only ConfigMaps (which often hold them too).

## Why it matters
At `Request` or `RequestResponse` the audit log keeps the body of each request and
response: every Secret's value read or written, every token sent to a TokenReview. The
audit log is shipped to log storage that many more people can read than can read Secrets.

## Failing example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
```

## Fixed example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets, configmaps]
      - group: authentication.k8s.io
        resources: [tokenreviews]
  - level: RequestResponse
```

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy
- https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster.audit import (
    BODY_LEVELS,
    KINDS,
    is_policy,
    level,
    matches_resource,
    rules,
)
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="audit-secrets-logged",
    summary="Audit policy logs the bodies of Secrets, ConfigMaps or TokenReviews",
    severity="error",
    remediation=(
        "add a rule at level Metadata for secrets, configmaps and tokenreviews before any "
        "rule that logs at Request or RequestResponse"
    ),
    kinds=KINDS,
    groups=("cluster",),
    since="0.2.0",
)

#: (API group, resource, name in messages, whether its bodies are credentials).
_SENSITIVE = (
    ("", "secrets", "Secrets", True),
    ("", "configmaps", "ConfigMaps", False),
    ("authentication.k8s.io", "tokenreviews", "TokenReviews", True),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    if not is_policy(obj):
        return
    found = rules(obj)
    leaks: dict[int, list[tuple[str, bool]]] = {}
    for group, resource, label, credential in _SENSITIVE:
        for index, rule in found:
            matches, every = matches_resource(rule, group, resource)
            if not matches:
                continue
            if level(rule) in BODY_LEVELS:
                leaks.setdefault(index, []).append((label, credential))
            if every:
                break
    levels = dict(found)
    for index, logged in sorted(leaks.items()):
        names = " and ".join(label for label, _ in logged)
        yield Finding(
            ("rules", index, "level"),
            f"rule {index + 1} logs {names} at {level(levels[index])}: their values end "
            "up in the audit log",
            hint="put a rule at level Metadata for them before this one",
            severity=None if any(c for _, c in logged) else "warning",
        )
