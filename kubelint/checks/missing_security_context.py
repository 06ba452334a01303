"""A container runs without a hardened security context.

## What it does
For every container (regular, init and ephemeral) it works out the settings that take
effect, the pod's `securityContext` plus the container's own (the container's win), and
reports the container once, listing every hardening setting that is left unset or weak:

- `runAsNonRoot: true` (pod or container level),
- `allowPrivilegeEscalation: false`,
- `capabilities.drop` containing `ALL`,
- `readOnlyRootFilesystem: true`,
- a `seccompProfile` of type `RuntimeDefault` or `Localhost` (pod or container level).

On Windows pods (`spec.os.name: windows`) only `runAsNonRoot` applies; the others are
Linux kernel features.

## Why it matters
Without these settings a container runs as root, can gain more privileges through setuid
binaries, keeps the default Linux capabilities, can rewrite its own image at run time and
can call every system call. Each one alone is a small gap; together they make a container
escape or a lateral move much easier.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: web
      image: nginxinc/nginx-unprivileged:1.27
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
```

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.k8s import WORKLOAD_KINDS, container_label, containers, get, pod_spec
from kubelint.model import Finding, K8sObject
from kubelint.pss import covered_settings

META = CheckMeta(
    id="missing-security-context",
    summary="Container runs without a hardened securityContext",
    severity="warning",
    remediation=(
        "set runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], "
        "readOnlyRootFilesystem: true and seccompProfile.type: RuntimeDefault"
    ),
    kinds=WORKLOAD_KINDS,
    groups=("core", "hardening"),
)

_HARDENED_SECCOMP = ("RuntimeDefault", "Localhost")


def _missing(pod: Mapping[str, Any], ctx: Mapping[str, Any], windows: bool) -> list[str]:
    missing = []
    run_as_non_root = ctx.get("runAsNonRoot", pod.get("runAsNonRoot"))
    if run_as_non_root is not True:
        missing.append("runAsNonRoot: true")
    if windows:
        return missing
    if ctx.get("allowPrivilegeEscalation") is not False:
        missing.append("allowPrivilegeEscalation: false")
    drop = get(ctx, ("capabilities", "drop"))
    if not isinstance(drop, list) or not any(str(c).upper() == "ALL" for c in drop):
        missing.append("capabilities.drop: [ALL]")
    if ctx.get("readOnlyRootFilesystem") is not True:
        missing.append("readOnlyRootFilesystem: true")
    seccomp = get(ctx, ("seccompProfile", "type"))
    if seccomp is None:
        seccomp = get(pod, ("seccompProfile", "type"))
    if seccomp not in _HARDENED_SECCOMP:
        missing.append("seccompProfile.type: RuntimeDefault")
    return missing


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    found = pod_spec(obj)
    if found is None:
        return
    spec_path, spec = found
    pod_ctx = spec.get("securityContext")
    pod_ctx = pod_ctx if isinstance(pod_ctx, dict) else {}
    windows = get(spec, ("os", "name")) == "windows"
    covered: set[str] | None = None
    for path, container in containers(spec_path, spec):
        container_ctx = container.get("securityContext")
        container_ctx = container_ctx if isinstance(container_ctx, dict) else {}
        missing = _missing(pod_ctx, container_ctx, windows)
        if missing and ctx.pss_controls:
            # One problem, one finding: a Pod Security control that judges this object
            # reports its own setting.
            if covered is None:
                covered = covered_settings(obj, ctx)
            missing = [m for m in missing if m not in covered]
        if missing:
            yield Finding(
                path + ("securityContext",),
                f"{container_label(container, path)} is missing {', '.join(missing)}",
                hint="set them in the container's securityContext (runAsNonRoot and "
                "seccompProfile may also go in the pod's securityContext)",
            )
