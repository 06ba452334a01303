"""A container runs privileged.

## What it does
Reports every container (regular, init and ephemeral) whose
`securityContext.privileged` is `true`.

## Why it matters
A privileged container has every Linux capability and access to all host devices: it is
root on the node in all but name. Anyone who controls its process can load kernel modules,
mount the host's disks and take over every other pod on the node. The Pod Security
Standards forbid it from the `baseline` level up; this check is that control (groups
`pss-baseline` and `pss-restricted`), so a namespace that enforces a level makes its
finding an error that says the API server would reject the pod.

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

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import per_container
from kubelint.compliance import cis
from kubelint.k8s.workloads import get
from kubelint.model import Edit, Fix, KeyPath


def _privileged(container: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    if get(container, ("securityContext", "privileged")) is True:
        yield ("securityContext", "privileged"), "runs privileged, with full access to the node"


def _v1_0(pod: Pod) -> list[Violation]:
    # The fix is unsafe: what the container did with the node's devices stops working.
    return [
        replace(v, fix=Fix("remove privileged: true", (Edit("delete", v.path),)))
        for v in per_container(pod, _privileged)
    ]


# Also the Pod Security Standards "privileged" control (baseline, every version).
META, CONTROL, check = define(
    id="privileged-container",
    summary="Container runs privileged",
    remediation=(
        "remove securityContext.privileged (or set it to false) and add only the "
        "capabilities the container needs"
    ),
    level="baseline",
    revisions=((0, _v1_0),),
    history=((0, "privileged must be unset or false"),),
    groups=("core", "hardening"),
    compliance=(cis("5.2.2", "do not admit privileged containers"),),
    # No control-plane component needs it: a privileged API server is a finding too.
    judges_control_plane=True,
)
