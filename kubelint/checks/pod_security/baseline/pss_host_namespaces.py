"""The pod shares the node's network, process or IPC namespace.

## What it does
Reports `hostNetwork: true`, `hostPID: true` and `hostIPC: true` in a pod spec. Pod
Security Standards, baseline level, every policy version.

## Why it matters
A pod in the host's network namespace can sniff and bind any port of the node and reach
services that listen only on localhost; in the host's PID namespace it can see and signal
every process on the node; in the host's IPC namespace it can read other workloads' shared
memory. Each of these undoes the isolation a container is supposed to give.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: sniffer
spec:
  hostNetwork: true
  containers:
    - name: tcpdump
      image: example/tcpdump:4.99
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: sniffer
spec:
  containers:
    - name: tcpdump
      image: example/tcpdump:4.99
```

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from __future__ import annotations

from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.compliance import cis

_NAMESPACES = (("hostNetwork", "network"), ("hostPID", "process"), ("hostIPC", "IPC"))


def _v1_0(pod: Pod) -> list[Violation]:
    return [
        Violation((*pod.spec_path, field), f"{field}: true shares the node's {what} namespace")
        for field, what in _NAMESPACES
        if pod.spec.get(field) is True
    ]


META, CONTROL, check = define(
    id="pss-host-namespaces",
    summary="Pod shares a host namespace (network, PID or IPC)",
    remediation="remove hostNetwork, hostPID and hostIPC (or set them to false)",
    level="baseline",
    revisions=((0, _v1_0),),
    history=((0, "hostNetwork, hostPID, hostIPC must be unset or false"),),
    compliance=(
        cis("5.2.3", "do not admit pods sharing the host's process namespace"),
        cis("5.2.4", "do not admit pods sharing the host's IPC namespace"),
        cis("5.2.5", "do not admit pods sharing the host's network namespace"),
    ),
)
