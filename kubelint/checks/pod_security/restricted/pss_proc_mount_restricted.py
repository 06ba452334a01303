"""A container unmasks /proc (restricted: also in a user namespace).

## What it does
Reports a container (any type) whose `securityContext.procMount` is set to anything but
`Default`, whether or not the pod runs in its own user namespace. Pod Security Standards,
restricted level, from policy 1.35, where it replaces `pss-proc-mount` (which from 1.35
lets `hostUsers: false` pods unmask /proc at the baseline level).

## Why it matters
A user namespace limits what root in the container is worth on the node, but an unmasked
/proc still exposes kernel interfaces; the restricted level keeps the mask in every case.

## Failing example
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
```

## References
- https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/
"""

from __future__ import annotations

from kubelint.checks.pod_security.engine import define
from kubelint.checks.pod_security.rules import unmasked

META, CONTROL, check = define(
    id="pss-proc-mount-restricted",
    summary="Container unmasks /proc (no user-namespace exception)",
    remediation="remove securityContext.procMount (or set it to Default)",
    level="restricted",
    revisions=((35, unmasked),),
    overrides="pss-proc-mount",
    history=((35, "new: procMount must be Default even with hostUsers: false"),),
)
