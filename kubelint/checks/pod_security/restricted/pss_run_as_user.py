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

from typing import Any

from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import every_security_context, unless_user_namespace
from kubelint.model import KeyPath


def _root(sc_path: KeyPath, sc: dict[str, Any], who: str) -> Violation | None:
    value = sc.get("runAsUser")
    if not (isinstance(value, int) and not isinstance(value, bool) and value == 0):
        return None
    return Violation((*sc_path, "runAsUser"), f"{who} sets runAsUser: 0 (root)")


def _v1_23(pod: Pod) -> list[Violation]:
    return every_security_context(pod, _root)


META, CONTROL, check = define(
    id="pss-run-as-user",
    summary="runAsUser is 0 (root)",
    remediation="set runAsUser to a non-zero UID, or leave it unset and set runAsNonRoot: true",
    level="restricted",
    revisions=((23, _v1_23), (35, unless_user_namespace(_v1_23))),
    history=((23, "new: runAsUser must not be 0"), (35, "pods with hostUsers: false exempt")),
)
