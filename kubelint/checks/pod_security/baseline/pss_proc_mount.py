"""A container unmasks /proc.

## What it does
Reports a container (any type) whose `securityContext.procMount` is set to anything but
`Default`. Pod Security Standards, baseline level. From policy 1.35 a pod in its own user
namespace (`hostUsers: false`) may unmask /proc at the baseline level; at the restricted
level `pss-proc-mount-restricted` still forbids it.

## Why it matters
The default /proc mask hides kernel interfaces (`/proc/kcore`, `/proc/sys`, ...) that let
a process read kernel memory or change node-wide settings.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: nested
spec:
  containers:
    - name: podman
      image: quay.io/podman/stable:v5
      securityContext:
        procMount: Unmasked
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: nested
spec:
  hostUsers: false
  containers:
    - name: podman
      image: quay.io/podman/stable:v5
      securityContext:
        procMount: Unmasked
```

## References
- https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/
"""

from __future__ import annotations

from kubelint.checks.base import CheckMeta
from kubelint.checks.pod_security.engine import (
    BASELINE_GROUPS,
    Control,
    Pod,
    Violation,
    container_sc,
    control_check,
    show,
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label


def unmasked(pod: Pod) -> list[Violation]:
    """Containers that set procMount to anything but Default (shared with the restricted control)."""
    found = []
    for path, container in pod.containers():
        value = container_sc(container).get("procMount")
        if value is not None and value != "Default":
            found.append(
                Violation(
                    (*path, "securityContext", "procMount"),
                    f"{container_label(container, path)} sets procMount {show(value)}",
                )
            )
    return found


def _v1_35(pod: Pod) -> list[Violation]:
    return [] if pod.user_namespace else unmasked(pod)


META = CheckMeta(
    id="pss-proc-mount",
    summary="Container unmasks /proc (procMount)",
    severity="error",
    remediation="remove securityContext.procMount (or set it to Default)",
    kinds=WORKLOAD_KINDS,
    groups=BASELINE_GROUPS,
    pss=Control(
        "baseline",
        ((0, unmasked), (35, _v1_35)),
        history=(
            (0, "procMount must be unset or Default"),
            (35, "any procMount allowed for pods with hostUsers: false"),
        ),
    ),
)
check = control_check(META)
