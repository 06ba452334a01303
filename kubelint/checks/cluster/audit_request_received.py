"""An audit policy records every request twice.

## What it does
Reports an audit `Policy` (`audit.k8s.io/v1`) that does not omit the `RequestReceived`
stage: neither in the policy's `omitStages` nor in the `omitStages` of every rule that
logs. The finding is at the policy's `omitStages` when it has one, else at `rules`. A
policy that logs nothing is left to `audit-policy-empty`.

Severity: `info`: noise and cost, not a risk.

## Why it matters
Every request produces an event as it is received and another when its response is
complete, with the same metadata. Omitting `RequestReceived` halves the audit volume
without losing information, which keeps the log affordable enough to stay on.

## Failing example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
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
from kubelint.checks.cluster.audit import KINDS, is_policy, level, logs_nothing, rules
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="audit-request-received",
    summary="Audit policy does not omit the RequestReceived stage",
    severity="info",
    remediation="add omitStages: [RequestReceived] to the policy",
    kinds=KINDS,
    groups=("cluster",),
    judges_absence=True,
    since="0.2.0",
)

_STAGE = "RequestReceived"


def _omits(value: object) -> bool:
    return isinstance(value, list) and _STAGE in value


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    if not is_policy(obj) or logs_nothing(obj) or _omits(obj.data.get("omitStages")):
        return
    logging = [rule for _, rule in rules(obj) if level(rule) != "None"]
    if all(_omits(rule.get("omitStages")) for rule in logging):
        return
    where = ("omitStages",) if "omitStages" in obj.data else ("rules",)
    yield Finding(
        where,
        "the audit policy records the RequestReceived stage: every request is logged twice",
        hint="add omitStages: [RequestReceived] to the policy",
    )
