"""An audit policy lets requests that no rule names go unrecorded.

## What it does
Reports an audit `Policy` (`audit.k8s.io/v1`) without a catch-all rule (one with no
`users`, `userGroups`, `verbs`, `namespaces`, `resources` or `nonResourceURLs`) that logs
at least `Metadata`: at `rules` when there is none, at the catch-all's `level` when it is
`None`. A policy that logs nothing at all is left to `audit-policy-empty`.

Severity: `warning`.

## Why it matters
A request that matches no rule is not audited. Policies list the resources their authors
thought of; a catch-all at `Metadata` records who did what to everything else, including
custom resources and API groups added later.

## Failing example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources:
      - group: ""
        resources: [pods]
  - level: None
```

## Fixed example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    nonResourceURLs: [/healthz*, /livez*, /readyz*]
  - level: Metadata
```

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster.audit import KINDS, is_catch_all, is_policy, level, logs_nothing, rules
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="audit-no-catch-all",
    summary="Audit policy has no final rule that logs every other request",
    severity="warning",
    remediation="end the rules with - level: Metadata",
    kinds=KINDS,
    groups=("cluster",),
    judges_absence=True,
    since="0.2.0",
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    if not is_policy(obj) or logs_nothing(obj):
        return
    for index, rule in rules(obj):
        if is_catch_all(rule):
            if level(rule) == "None":
                yield Finding(
                    ("rules", index, "level"),
                    f"the catch-all rule {index + 1} is at level None: requests no earlier "
                    "rule names are not audited",
                    hint="set its level to Metadata (and list what to leave out before it)",
                )
            return
    yield Finding(
        ("rules",),
        "no catch-all rule: requests that no rule names are not audited",
        hint="end the rules with - level: Metadata",
    )
