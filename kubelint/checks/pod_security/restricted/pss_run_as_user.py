"""The pod or a container runs as UID 0.

## What it does
Reports `runAsUser: 0` in the pod's or any container's `securityContext`; leaving it unset
is fine. Pod Security Standards, restricted level, from policy 1.23; from 1.35 pods in
their own user namespace (`hostUsers: false`) are exempt.

## Why it matters
UID 0 is root. `runAsNonRoot: true` does not help when the manifest asks for root
explicitly: the pod is then rejected at start, or, without runAsNonRoot, runs as root.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  securityContext:
    runAsUser: 0
  containers:
    - name: app
      image: example/app:1
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  securityContext:
    runAsUser: 10001
  containers:
    - name: app
      image: example/app:1
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
    container_sc,
    control_check,
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label


def _is_root(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value == 0


def _v1_23(pod: Pod) -> list[Violation]:
    found = []
    if _is_root(pod.security_context().get("runAsUser")):
        found.append(
            Violation(
                (*pod.spec_path, "securityContext", "runAsUser"), "pod sets runAsUser: 0 (root)"
            )
        )
    for path, container in pod.containers():
        if _is_root(container_sc(container).get("runAsUser")):
            found.append(
                Violation(
                    (*path, "securityContext", "runAsUser"),
                    f"{container_label(container, path)} sets runAsUser: 0 (root)",
                )
            )
    return found


def _v1_35(pod: Pod) -> list[Violation]:
    return [] if pod.user_namespace else _v1_23(pod)


META = CheckMeta(
    id="pss-run-as-user",
    summary="runAsUser is 0 (root)",
    severity="error",
    remediation="set runAsUser to a non-zero UID, or leave it unset and set runAsNonRoot: true",
    kinds=WORKLOAD_KINDS,
    enabled=False,
    groups=RESTRICTED_GROUPS,
    pss=Control(
        "restricted",
        ((23, _v1_23), (35, _v1_35)),
        history=(
            (23, "new: runAsUser must not be 0"),
            (35, "pods with hostUsers: false exempt"),
        ),
    ),
)
check = control_check(META)
