"""A container binds a port on the node (hostPort).

## What it does
Reports every `ports[].hostPort` that is set and not 0, on every container type. Pod
Security Standards, baseline level.

## Why it matters
A host port bypasses Services and NetworkPolicies: the container answers on the node's
own address, limits where pods can be scheduled, and can shadow a port of a node service.

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
      ports:
        - containerPort: 80
          hostPort: 80
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
      image: nginx:1.27
      ports:
        - containerPort: 80
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
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label


def _v1_0(pod: Pod) -> list[Violation]:
    found = []
    for path, container in pod.containers():
        ports = container.get("ports")
        if not isinstance(ports, list):
            continue
        for index, port in enumerate(ports):
            if isinstance(port, dict) and port.get("hostPort") not in (None, 0):
                found.append(
                    Violation(
                        (*path, "ports", index, "hostPort"),
                        f"{container_label(container, path)} binds hostPort {port['hostPort']} on the node",
                    )
                )
    return found


META = CheckMeta(
    id="pss-host-ports",
    summary="Container uses a hostPort",
    severity="error",
    remediation="remove hostPort and expose the container through a Service",
    kinds=WORKLOAD_KINDS,
    groups=BASELINE_GROUPS,
    pss=Control("baseline", ((0, _v1_0),), history=((0, "hostPort must be unset or 0"),)),
)
check = control_check(META)
