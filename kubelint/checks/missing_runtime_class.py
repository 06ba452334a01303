"""A pod runs without a sandboxing runtime class.

## What it does
Reports a pod spec (a Pod, or the pod template of a workload) that sets no
`runtimeClassName`. With the `allowed` option it also reports a `runtimeClassName` that is
not in the list. When the linted manifests define `RuntimeClass` objects, a
`runtimeClassName` that names none of them is reported too (pods using it would never
start). Each pod spec gets at most one finding.

## Why it matters
Without a runtime class, pods run under the node's default runtime and share the host
kernel with every other pod. A sandboxed runtime such as gVisor or Kata Containers puts a
second kernel or a virtual machine between the workload and the node, so a kernel exploit in
one container does not hand over the node.

## Failing example
```yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: report
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: report
          image: example/report:2.1
```

## Fixed example
```yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: report
spec:
  template:
    spec:
      runtimeClassName: gvisor
      restartPolicy: Never
      containers:
        - name: report
          image: example/report:2.1
```

## Options
`allowed` (list of names, default empty): when set, `runtimeClassName` must be one of them.

```yaml
checks:
  missing-runtime-class:
    allowed: [gvisor, kata]
```

## References
- https://kubernetes.io/docs/concepts/containers/runtime-class/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context, Param
from kubelint.k8s import WORKLOAD_KINDS, pod_spec
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="missing-runtime-class",
    summary="Pod runs without a sandboxing runtimeClassName",
    severity="warning",
    remediation="set runtimeClassName to a sandboxed runtime class (for example gvisor or kata)",
    kinds=WORKLOAD_KINDS,
    groups=("core", "isolation"),
    params=(
        Param(
            "allowed",
            {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True},
            [],
            "runtime class names a pod must use; empty accepts any name",
        ),
    ),
    needs_context=True,
)


def _defined(ctx: Context) -> frozenset[str]:
    return frozenset(obj.name for obj in ctx.of_kind("RuntimeClass") if obj.name)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    found = pod_spec(obj)
    if found is None:
        return
    spec_path, spec = found
    allowed = list(params.get("allowed") or [])
    name = spec.get("runtimeClassName")
    if not name:
        wanted = f" (one of: {', '.join(allowed)})" if allowed else ""
        yield Finding(
            spec_path + ("runtimeClassName",),
            f"{obj.describe()} sets no runtimeClassName{wanted}; its pods share the node's kernel",
            hint=f"set runtimeClassName to {' or '.join(allowed)}" if allowed else None,
        )
        return
    name = str(name)
    if allowed and name not in allowed:
        yield Finding(
            spec_path + ("runtimeClassName",),
            f"runtimeClassName '{name}' is not one of the allowed classes: {', '.join(allowed)}",
            hint=f"set runtimeClassName to {' or '.join(allowed)}",
        )
        return
    defined = ctx.memo("runtime-classes", lambda: _defined(ctx))
    if defined and name not in defined:
        yield Finding(
            spec_path + ("runtimeClassName",),
            f"runtimeClassName '{name}' names no RuntimeClass defined in these manifests "
            f"({', '.join(sorted(defined))}); its pods would not start",
            hint="fix the name or add the RuntimeClass",
        )
