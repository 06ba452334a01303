"""A container runs privileged.

## What it does
Reports every container (regular, init and ephemeral) whose
`securityContext.privileged` is `true`.

## Why it matters
A privileged container has every Linux capability and access to all host devices: it is
root on the node in all but name. Anyone who controls its process can load kernel modules,
mount the host's disks and take over every other pod on the node. The Pod Security
Standards forbid it from the `baseline` level up.

## Failing example
```yaml
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
        - name: agent
          image: example/agent:1.0
          securityContext:
            privileged: true
```

## Fixed example
```yaml
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
        - name: agent
          image: example/agent:1.0
          securityContext:
            privileged: false
            capabilities:
              add: ["NET_ADMIN"]
```

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.k8s import WORKLOAD_KINDS, container_label, get, workload_containers
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="privileged-container",
    summary="Container runs privileged",
    severity="error",
    remediation=(
        "remove securityContext.privileged (or set it to false) and add only the "
        "capabilities the container needs"
    ),
    kinds=WORKLOAD_KINDS,
    groups=("core", "hardening"),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for path, container in workload_containers(obj):
        if get(container, ("securityContext", "privileged")) is True:
            yield Finding(
                path + ("securityContext", "privileged"),
                f"{container_label(container, path)} runs privileged, with full access to the node",
            )
