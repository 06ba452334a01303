"""A pod runs without a sandboxing runtime class.

## What it does
Reports a pod spec (a Pod, or the pod template of a workload) that sets no
`runtimeClassName`. How loudly depends on whether the project uses sandboxing:

- when the linted manifests define a `RuntimeClass`, or the `allowed` option names
  classes, sandboxing is in use: a pod without a class is a `warning`, and so is a
  `runtimeClassName` that is not in `allowed` or names no defined `RuntimeClass` (pods
  using it would never start);
- elsewhere the finding is `info`: shown as advice, never failing a run at the default
  `--fail-on warning`.

A pod that uses `hostNetwork`, `hostPID`, `hostIPC` or a `hostPath` volume cannot run in a
sandbox (gVisor and Kata give the pod its own kernel, so there is no host to share): for it
kubelint never suggests a runtime class, and says so once, at `info`. Its host access is
what the `pss-host-namespaces` and `pss-host-path-volumes` checks report.

Each pod spec gets at most one finding.

## Why it matters
Without a runtime class, pods run under the node's default runtime and share the host
kernel with every other pod. A sandboxed runtime such as gVisor or Kata Containers puts a
second kernel or a virtual machine between the workload and the node, so a kernel exploit in
one container does not hand over the node.

## Failing example
```yaml
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
---
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
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
---
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
`allowed` (list of names, default empty): when set, `runtimeClassName` must be one of them,
and a pod without one is a `warning`. Its fix (`--unsafe-fixes` only: the workload may not
run in a sandbox) sets `runtimeClassName` to the first allowed class, or to the first
that the manifests define when they define `RuntimeClass` objects. Without `allowed`
there is no fix.

```yaml
checks:
  missing-runtime-class:
    allowed: [gvisor, kata]
```

## References
- https://kubernetes.io/docs/concepts/containers/runtime-class/
- https://gvisor.dev/docs/user_guide/compatibility/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context, Param
from kubelint.k8s.workloads import WORKLOAD_KINDS, pod_spec
from kubelint.model import Edit, Finding, Fix, K8sObject, KeyPath

META = CheckMeta(
    id="missing-runtime-class",
    judges_absence=True,
    summary="Pod runs without a sandboxing runtimeClassName",
    # Advice by default; a warning where the project uses sandboxing (see the docstring).
    severity="info",
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
    context_kinds=frozenset({"RuntimeClass"}),
    judges_control_plane=False,
)

_HOST_NAMESPACES = ("hostNetwork", "hostPID", "hostIPC")


def _defined(ctx: Context) -> frozenset[str]:
    return frozenset(obj.name for obj in ctx.of_kind("RuntimeClass") if obj.name)


def _host_access(spec: Mapping[str, Any]) -> list[str]:
    """What the pod takes from its node that no sandboxed runtime can give it."""
    needs = [field for field in _HOST_NAMESPACES if spec.get(field) is True]
    volumes = spec.get("volumes")
    if isinstance(volumes, list) and any(
        isinstance(v, dict) and v.get("hostPath") is not None for v in volumes
    ):
        needs.append("hostPath volumes")
    return needs


def _fix(path: KeyPath, allowed: list[str], defined: frozenset[str]) -> Fix | None:
    """``runtimeClassName`` set to the first allowed class (the first one the manifests
    define, when they define any); unsafe: the workload may not run in a sandbox. None
    without an ``allowed`` list: kubelint does not guess a class."""
    usable = [name for name in allowed if not defined or name in defined]
    if not usable:
        return None
    return Fix(f"set runtimeClassName: {usable[0]}", (Edit("set", path, usable[0]),))


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    found = pod_spec(obj)
    if found is None:
        return
    spec_path, spec = found
    path = spec_path + ("runtimeClassName",)
    allowed = list(params.get("allowed") or [])
    defined = ctx.memo("runtime-classes", lambda: _defined(ctx))
    severity = "warning" if allowed or defined else "info"
    name = spec.get("runtimeClassName")
    # A Pod is the pod; a workload's template stands for the pods it creates.
    pods, share = ("it", "shares") if obj.kind == "Pod" else ("its pods", "share")
    if not name:
        host = _host_access(spec)
        if host:
            yield Finding(
                path,
                f"{obj.describe()} uses {' and '.join(host)}, so it cannot run in a sandboxed "
                f"runtime; {pods} {share} the node's kernel",
                hint="no runtime class can sandbox it: keep it off nodes that run untrusted "
                "workloads (node selector and taints), and grant only the host access it needs",
                severity="info",
            )
            return
        wanted = f" (one of: {', '.join(allowed)})" if allowed else ""
        yield Finding(
            path,
            f"{obj.describe()} sets no runtimeClassName{wanted}; {pods} {share} the node's kernel",
            hint=f"set runtimeClassName to {' or '.join(allowed)}" if allowed else None,
            severity=severity,
            fix=_fix(path, allowed, defined),
        )
        return
    name = str(name)
    if allowed and name not in allowed:
        yield Finding(
            path,
            f"runtimeClassName '{name}' is not one of the allowed classes: {', '.join(allowed)}",
            hint=f"set runtimeClassName to {' or '.join(allowed)}",
            severity="warning",
        )
        return
    if defined and name not in defined:
        yield Finding(
            path,
            f"runtimeClassName '{name}' names no RuntimeClass defined in these manifests "
            f"({', '.join(sorted(defined))}); {pods} would not start",
            hint="fix the name or add the RuntimeClass",
            severity="warning",
        )
