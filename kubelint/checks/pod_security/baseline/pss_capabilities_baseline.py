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

from collections.abc import Iterator
from typing import Any

from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import added_capabilities, per_container
from kubelint.model import KeyPath

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


def _added(container: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    return added_capabilities(
        container, ALLOWED, lambda bad: f"adds capabilities outside the baseline set: {bad}"
    )


def _v1_0(pod: Pod) -> list[Violation]:
    return per_container(pod, _added)


META, CONTROL, check = define(
    id="pss-capabilities-baseline",
    summary="Container adds a capability outside the baseline set",
    remediation="add only capabilities from the baseline set (or none), e.g. NET_BIND_SERVICE",
    level="baseline",
    revisions=((0, _v1_0),),
    history=((0, "capabilities.add limited to the runtime's default set"),),
)
