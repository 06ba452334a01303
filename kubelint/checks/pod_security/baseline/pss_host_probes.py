"""A probe or lifecycle hook targets another host.

## What it does
Reports a non-empty `host` in the `httpGet` or `tcpSocket` handler of a container's
`livenessProbe`, `readinessProbe`, `startupProbe` or `lifecycle.postStart`/`preStop`, on
every container type. Pod Security Standards, baseline level, from policy 1.34.

## Why it matters
The kubelet, not the container, makes these requests, from the node's network. A `host`
turns probes into a way to make the node contact any address: cloud metadata services,
node-local admin ports or other internal services (server-side request forgery).

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
      livenessProbe:
        httpGet:
          host: 169.254.169.254
          path: /latest/meta-data/
          port: 80
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
      livenessProbe:
        httpGet:
          path: /healthz
          port: 80
```

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import per_container
from kubelint.k8s.workloads import get
from kubelint.model import KeyPath

_HANDLERS = (
    ("livenessProbe",),
    ("readinessProbe",),
    ("startupProbe",),
    ("lifecycle", "postStart"),
    ("lifecycle", "preStop"),
)


def _hosts(container: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    for handler in _HANDLERS:
        for action in ("httpGet", "tcpSocket"):
            host = get(container, (*handler, action, "host"))
            if host:
                yield (*handler, action, "host"), f"{'.'.join(handler)} targets host '{host}'"


def _v1_34(pod: Pod) -> list[Violation]:
    return per_container(pod, _hosts)


META, CONTROL, check = define(
    id="pss-host-probes",
    summary="Probe or lifecycle hook sets a host",
    remediation="remove host from the probe or hook: the kubelet then targets the pod's own IP",
    level="baseline",
    revisions=((34, _v1_34),),
    history=((34, "new: host must be empty in probes and lifecycle hooks"),),
)
