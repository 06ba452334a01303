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

from kubelint.checks.base import CheckMeta
from kubelint.checks.pod_security.engine import (
    BASELINE_GROUPS,
    Control,
    Pod,
    Violation,
    control_check,
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label, get
from kubelint.model import Edit, Fix


def _v1_0(pod: Pod) -> list[Violation]:
    return [
        Violation(
            (*path, "securityContext", "privileged"),
            f"{container_label(container, path)} runs privileged, with full access to the node",
            # Unsafe: what the container did with the node's devices stops working.
            Fix(
                "remove privileged: true",
                (Edit("delete", (*path, "securityContext", "privileged")),),
            ),
        )
        for path, container in pod.containers()
        if get(container, ("securityContext", "privileged")) is True
    ]


META = CheckMeta(
    id="privileged-container",
    summary="Container runs privileged",
    severity="error",
    remediation=(
        "remove securityContext.privileged (or set it to false) and add only the "
        "capabilities the container needs"
    ),
    kinds=WORKLOAD_KINDS,
    groups=("core", "hardening", *BASELINE_GROUPS),
    # Also the Pod Security Standards "privileged" control (baseline, every version).
    pss=Control("baseline", ((0, _v1_0),), history=((0, "privileged must be unset or false"),)),
)
check = control_check(META)
