"""A container does not drop all capabilities, or adds one other than NET_BIND_SERVICE.

## What it does
Reports every container (regular, init and ephemeral) whose
`securityContext.capabilities.drop` does not contain `ALL`, and every container that adds
a capability other than `NET_BIND_SERVICE`. Pod Security Standards, restricted level, from
policy 1.22; from 1.25 Windows pods (`spec.os.name: windows`) are exempt. It replaces
`pss-capabilities-baseline`.

## Why it matters
Even the runtime's default capabilities (`CHOWN`, `DAC_OVERRIDE`, `SETUID`, `NET_RAW`, ...)
give a compromised process room to move: read files regardless of permissions, change user,
forge network packets. Dropping all of them and adding back only what the application
proves it needs leaves the least to abuse.

## Failing example
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
          drop: ["NET_RAW"]
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
          drop: ["ALL"]
          add: ["NET_BIND_SERVICE"]
```

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
"""

from __future__ import annotations

from kubelint.checks.base import CheckMeta
from kubelint.checks.pod_security.engine import (
    RESTRICTED_GROUPS,
    Control,
    Pod,
    Violation,
    control_check,
    quote_list,
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label, get


def _v1_22(pod: Pod) -> list[Violation]:
    found = []
    for path, container in pod.containers():
        caps_path = (*path, "securityContext", "capabilities")
        drop = get(container, ("securityContext", "capabilities", "drop"))
        if not isinstance(drop, list) or "ALL" not in drop:
            found.append(
                Violation(
                    (*caps_path, "drop"),
                    f"{container_label(container, path)} does not drop ALL capabilities",
                )
            )
        added = get(container, ("securityContext", "capabilities", "add"))
        if isinstance(added, list):
            bad = [str(c) for c in added if c != "NET_BIND_SERVICE"]
            if bad:
                found.append(
                    Violation(
                        (*caps_path, "add"),
                        f"{container_label(container, path)} adds {quote_list(bad)}; only "
                        "NET_BIND_SERVICE may be added",
                    )
                )
    return found


def _v1_25(pod: Pod) -> list[Violation]:
    return [] if pod.windows else _v1_22(pod)


META = CheckMeta(
    id="pss-capabilities-restricted",
    judges_absence=True,
    summary="Capabilities not dropped to ALL (plus at most NET_BIND_SERVICE)",
    severity="error",
    remediation='set capabilities.drop: ["ALL"] and add only NET_BIND_SERVICE if needed',
    kinds=WORKLOAD_KINDS,
    enabled=False,
    groups=RESTRICTED_GROUPS,
    pss=Control(
        "restricted",
        ((22, _v1_22), (25, _v1_25)),
        overrides="pss-capabilities-baseline",
        covers="capabilities.drop: [ALL]",
        history=(
            (22, "new: drop ALL; add only NET_BIND_SERVICE"),
            (25, "Windows pods exempt"),
        ),
    ),
)
check = control_check(META)
