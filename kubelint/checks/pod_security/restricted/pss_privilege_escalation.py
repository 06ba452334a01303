"""A container may gain more privileges than its parent process.

## What it does
Reports every container (regular, init and ephemeral) that does not set
`securityContext.allowPrivilegeEscalation: false` explicitly. Pod Security Standards,
restricted level, from policy 1.8; from 1.25 Windows pods (`spec.os.name: windows`) are
exempt.

## Why it matters
Unless turned off, a process can gain privileges through setuid/setgid binaries or file
capabilities in the image (`no_new_privs` is not set), which turns a foothold as an
unprivileged user into root in the container.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1
      securityContext:
        allowPrivilegeEscalation: false
```

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
"""

from __future__ import annotations

from kubelint.checks.base import CheckMeta
from kubelint.checks.pod_security.engine import (
    RESTRICTED_GROUPS,
    Control,
    Pod,
    Violation,
    container_sc,
    control_check,
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label


def _v1_8(pod: Pod) -> list[Violation]:
    return [
        Violation(
            (*path, "securityContext", "allowPrivilegeEscalation"),
            f"{container_label(container, path)} does not set allowPrivilegeEscalation: false",
        )
        for path, container in pod.containers()
        if container_sc(container).get("allowPrivilegeEscalation") is not False
    ]


def _v1_25(pod: Pod) -> list[Violation]:
    return [] if pod.windows else _v1_8(pod)


META = CheckMeta(
    id="pss-privilege-escalation",
    judges_absence=True,
    summary="allowPrivilegeEscalation is not false",
    severity="error",
    remediation="set securityContext.allowPrivilegeEscalation: false on every container",
    kinds=WORKLOAD_KINDS,
    enabled=False,
    groups=RESTRICTED_GROUPS,
    pss=Control(
        "restricted",
        ((8, _v1_8), (25, _v1_25)),
        covers="allowPrivilegeEscalation: false",
        history=((8, "new: allowPrivilegeEscalation must be false"), (25, "Windows pods exempt")),
    ),
)
check = control_check(META)
