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

from kubelint.checks.pod_security.engine import define
from kubelint.checks.pod_security.rules import unless_user_namespace, unmasked

META, CONTROL, check = define(
    id="pss-proc-mount",
    summary="Container unmasks /proc (procMount)",
    remediation="remove securityContext.procMount (or set it to Default)",
    level="baseline",
    revisions=((0, unmasked), (35, unless_user_namespace(unmasked))),
    history=(
        (0, "procMount must be unset or Default"),
        (35, "any procMount allowed for pods with hostUsers: false"),
    ),
)
