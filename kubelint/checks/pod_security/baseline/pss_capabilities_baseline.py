"""A container adds a Linux capability outside the baseline set.

## What it does
Reports `securityContext.capabilities.add` entries other than `AUDIT_WRITE`, `CHOWN`,
`DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`,
`SETGID`, `SETPCAP`, `SETUID` and `SYS_CHROOT` (the container runtime's defaults), on every
container type. Pod Security Standards, baseline level; at the restricted level from
policy 1.22 `pss-capabilities-restricted` takes its place.

## Why it matters
Capabilities such as `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE` or `NET_RAW` hand a container
pieces of root's power over the node: mounting file systems, reconfiguring the network,
inspecting other processes, forging packets.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: vpn
spec:
  containers:
    - name: vpn
      image: example/vpn:2
      securityContext:
        capabilities:
          add: ["NET_ADMIN"]
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: example/web:2
      securityContext:
        capabilities:
          add: ["NET_BIND_SERVICE"]
```

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from __future__ import annotations

from kubelint.checks.base import CheckMeta
from kubelint.checks.pod_security.engine import (
    BASELINE_GROUPS,
    Control,
    Pod,
    Violation,
    control_check,
    quote_list,
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label, get

ALLOWED = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)


def _v1_0(pod: Pod) -> list[Violation]:
    found = []
    for path, container in pod.containers():
        added = get(container, ("securityContext", "capabilities", "add"))
        if not isinstance(added, list):
            continue
        bad = [str(c) for c in added if str(c) not in ALLOWED]
        if bad:
            found.append(
                Violation(
                    (*path, "securityContext", "capabilities", "add"),
                    f"{container_label(container, path)} adds capabilities outside the baseline set: {quote_list(bad)}",
                )
            )
    return found


META = CheckMeta(
    id="pss-capabilities-baseline",
    summary="Container adds a capability outside the baseline set",
    severity="error",
    remediation="add only capabilities from the baseline set (or none), e.g. NET_BIND_SERVICE",
    kinds=WORKLOAD_KINDS,
    groups=BASELINE_GROUPS,
    pss=Control(
        "baseline",
        ((0, _v1_0),),
        history=((0, "capabilities.add limited to the runtime's default set"),),
    ),
)
check = control_check(META)
