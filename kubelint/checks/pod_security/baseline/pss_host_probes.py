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

from kubelint.checks.base import CheckMeta
from kubelint.checks.pod_security.engine import (
    BASELINE_GROUPS,
    Control,
    Pod,
    Violation,
    control_check,
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label, get

_HANDLERS = (
    ("livenessProbe",),
    ("readinessProbe",),
    ("startupProbe",),
    ("lifecycle", "postStart"),
    ("lifecycle", "preStop"),
)


def _v1_34(pod: Pod) -> list[Violation]:
    found = []
    for path, container in pod.containers():
        for handler in _HANDLERS:
            for action in ("httpGet", "tcpSocket"):
                host = get(container, (*handler, action, "host"))
                if host:
                    found.append(
                        Violation(
                            (*path, *handler, action, "host"),
                            f"{container_label(container, path)} {'.'.join(handler)} targets host '{host}'",
                        )
                    )
    return found


META = CheckMeta(
    id="pss-host-probes",
    summary="Probe or lifecycle hook sets a host",
    severity="error",
    remediation="remove host from the probe or hook: the kubelet then targets the pod's own IP",
    kinds=WORKLOAD_KINDS,
    groups=BASELINE_GROUPS,
    pss=Control(
        "baseline",
        ((34, _v1_34),),
        history=((34, "new: host must be empty in probes and lifecycle hooks"),),
    ),
)
check = control_check(META)
