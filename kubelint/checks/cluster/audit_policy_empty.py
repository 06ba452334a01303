"""An audit policy that records nothing.

## What it does
Reports an audit `Policy` (`audit.k8s.io/v1`) at its `rules`:

- with no rules (`error`): the API server refuses to start with such a policy file;
- whose every rule has `level: None` (`warning`): the API server starts and audits
  nothing.

Severity: `error` for the first case, `warning` for the second (the finding says which).

## Why it matters
Either the control plane does not come up after the change, or it runs with an audit
configuration that looks complete and keeps no record of anything.

## Failing example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
```

## Fixed example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
```

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster.audit import KINDS, is_policy, level, rules
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="audit-policy-empty",
    summary="Audit policy has no rules or logs nothing",
    severity="error",
    remediation="add rules, ending with a catch-all rule at level Metadata",
    kinds=KINDS,
    groups=("cluster",),
    judges_absence=True,
    since="0.2.0",
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    if not is_policy(obj):
        return
    found = rules(obj)
    if not found:
        yield Finding(
            ("rules",),
            "the audit policy has no rules: the API server refuses to start with it",
            hint="add rules, ending with - level: Metadata",
        )
    elif all(level(rule) == "None" for _, rule in found):
        yield Finding(
            ("rules",),
            "every rule of the audit policy is at level None: nothing is audited",
            hint="end the rules with - level: Metadata",
            severity="warning",
        )
