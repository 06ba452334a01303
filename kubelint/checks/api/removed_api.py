"""The apiVersion/kind is not served by the target Kubernetes version.

## What it does
Reports an object whose `apiVersion` and `kind` the target Kubernetes version
(`--kube-version`, default 1.37) does not serve: an API that was removed (naming the
version that removed it and what to use instead) or one that does not exist yet in that
version. Examples: `batch/v1beta1` CronJob from 1.25, `policy/v1beta1` PodSecurityPolicy
from 1.25, `flowcontrol.apiserver.k8s.io/v1beta3` from 1.32. A kubeconfig
(`apiVersion: v1`, `kind: Config`) is a client's file, never sent to the API server, and
is not reported.

`kubelint fix` moves a `batch/v1beta1` CronJob to `batch/v1` and an `autoscaling/v2beta2`
HorizontalPodAutoscaler to `autoscaling/v2` (only the `apiVersion` line changes: the
fields are the same). Other moves change fields or meaning (an empty PodDisruptionBudget
selector selects no pod in `policy/v1beta1` and every pod in `policy/v1`) and are left to
you.

## Why it matters
A manifest with a removed API never deploys on that cluster: the upgrade that removed it
breaks the deployment pipeline, often in the middle of an incident.

## Failing example
```yaml
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: example/report:1
```

## Fixed example
```yaml
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: example/report:1
```

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
    id="removed-api",
    summary="API version not served by the target Kubernetes version",
    severity="error",
    remediation="move the object to the apiVersion that replaced it (and adapt its fields)",
    groups=("schema",),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    state = api_status(obj, ctx)
    what = f"{obj.api_version} {obj.kind}"
    if state.state is ApiState.REMOVED:
        yield api_version_finding(
            f"{what} was removed in Kubernetes 1.{state.version} (target 1.{ctx.kube_version})",
            state,
            api_version_fix(obj, ctx),
        )
    elif state.state is ApiState.NOT_SERVED:
        yield Finding(
            ("apiVersion",),
            f"{what} is not an API of Kubernetes 1.{ctx.kube_version} "
            "(removed long ago, or misspelt)",
        )
    elif state.state is ApiState.NOT_YET:
        yield Finding(
            ("apiVersion",),
            f"{what} is not served by Kubernetes 1.{ctx.kube_version}; "
            f"it exists from 1.{state.version}",
        )
