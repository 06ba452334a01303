"""Containers may run as root (runAsNonRoot is not true).

## What it does
Reports a pod unless every container (regular, init and ephemeral) runs with
`runAsNonRoot: true`, set on the container or inherited from the pod's `securityContext`.
An explicit `runAsNonRoot: false` on the pod or any container always fails. Pod Security
Standards, restricted level; from policy 1.35 pods in their own user namespace
(`hostUsers: false`) are exempt.

## Why it matters
`runAsNonRoot: true` makes the kubelet refuse to start a container whose image would run
as UID 0. Root in a container is one kernel bug away from root on the node, and owns every
file the container can reach.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
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
    runAsNonRoot: true
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
from kubelint.checks.pod_security.rules import pod_or_every_container, show, unless_user_namespace
from kubelint.compliance import cis, nsa
from kubelint.k8s.hardening import Hardening
from kubelint.model import KeyPath


def _not_true(sc_path: KeyPath, sc: dict[str, Any], who: str) -> Violation | None:
    value = sc["runAsNonRoot"]
    if value is True:
        return None
    field = "runAsNonRoot" if who == "pod" else "securityContext.runAsNonRoot"
    return Violation((*sc_path, "runAsNonRoot"), f"{who} sets {field}: {show(value)}")


def _v1_0(pod: Pod) -> list[Violation]:
    return pod_or_every_container(
        pod,
        "runAsNonRoot",
        _not_true,
        lambda names: (
            f"runAsNonRoot is not true for container(s) {names}: set it on the pod "
            "or on each container"
        ),
    )


META, CONTROL, check = define(
    id="pss-run-as-non-root",
    judges_absence=True,
    summary="Containers may run as root (runAsNonRoot not true)",
    remediation="set securityContext.runAsNonRoot: true on the pod (and never false on a container)",
    level="restricted",
    revisions=((0, _v1_0), (35, unless_user_namespace(_v1_0))),
    covers=Hardening.NON_ROOT,
    history=(
        (0, "runAsNonRoot must be true on the pod or every container; false anywhere fails"),
        (35, "pods with hostUsers: false exempt"),
    ),
    compliance=(
        cis("5.2.7", "do not admit containers running as root"),
        nsa(
            "Non-root containers and rootless container engines",
            "run containers as a user other than root",
        ),
    ),
)
