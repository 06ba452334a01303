"""The apiVersion/kind is deprecated and will be removed.

## What it does
Reports an object whose `apiVersion`/`kind` the target Kubernetes version still serves but
a later version removes, naming that version and the replacement. For example
`flowcontrol.apiserver.k8s.io/v1beta3` at 1.30 (removed in 1.32), or `policy/v1beta1`
PodDisruptionBudget when targeting 1.24. `kubelint fix` makes the moves that change the
`apiVersion` line alone (see [`removed-api`](removed-api.md)).

## Why it matters
Moving before the removal is a small, planned change; moving after it is an outage during
a cluster upgrade.

## Failing example
```yaml
# kube-version: 1.25
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
```

## Fixed example
```yaml
# kube-version: 1.25
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
```

Both examples are linted with `--kube-version 1.25` (first line); at 1.26 and later the old
API is gone and `removed-api` reports it instead.

## References
- https://kubernetes.io/docs/reference/using-api/deprecation-guide/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api.served import api_status, api_version_finding, api_version_fix
from kubelint.checks.base import CheckMeta, Context
from kubelint.model import Finding, K8sObject
from kubelint.schema.apis import ApiState

META = CheckMeta(
    id="deprecated-api",
    summary="API version deprecated, removed in a later Kubernetes version",
    severity="warning",
    remediation="move the object to the replacement apiVersion before upgrading",
    groups=("schema",),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    state = api_status(obj, ctx)
    if state.state is ApiState.DEPRECATED:
        yield api_version_finding(
            f"{obj.api_version} {obj.kind} is deprecated and removed "
            f"in Kubernetes 1.{state.version}",
            state,
            api_version_fix(obj, ctx),
        )
