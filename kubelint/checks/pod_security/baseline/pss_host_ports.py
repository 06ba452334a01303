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

from collections.abc import Iterator
from typing import Any

from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import per_container
from kubelint.compliance import cis
from kubelint.model import KeyPath


def _host_ports(container: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    ports = container.get("ports")
    for index, port in enumerate(ports if isinstance(ports, list) else ()):
        if isinstance(port, dict) and port.get("hostPort") not in (None, 0):
            yield ("ports", index, "hostPort"), f"binds hostPort {port['hostPort']} on the node"


def _v1_0(pod: Pod) -> list[Violation]:
    return per_container(pod, _host_ports)


META, CONTROL, check = define(
    id="pss-host-ports",
    summary="Container uses a hostPort",
    remediation="remove hostPort and expose the container through a Service",
    level="baseline",
    revisions=((0, _v1_0),),
    history=((0, "hostPort must be unset or 0"),),
    compliance=(cis("5.2.13", "do not admit containers binding host ports"),),
)
