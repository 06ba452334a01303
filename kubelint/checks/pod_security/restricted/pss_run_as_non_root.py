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
from kubelint.checks.pod_security.rules import (
    edits_fix,
    pod_or_every_container,
    raw_contexts,
    show,
    unless_user_namespace,
    with_fixes,
)
from kubelint.compliance import cis, nsa
from kubelint.k8s.hardening import Hardening
from kubelint.k8s.workloads import security_contexts
from kubelint.model import Edit, Fix, KeyPath


def _not_true(sc_path: KeyPath, sc: dict[str, Any], who: str) -> Violation | None:
    value = sc["runAsNonRoot"]
    if value is True:
        return None
    field = "runAsNonRoot" if who == "pod" else "securityContext.runAsNonRoot"
    return Violation((*sc_path, "runAsNonRoot"), f"{who} sets {field}: {show(value)}")


def _v1_0(pod: Pod) -> list[Violation]:
    found = pod_or_every_container(
        pod,
        "runAsNonRoot",
        _not_true,
        lambda names: (
            f"runAsNonRoot is not true for container(s) {names}: set it on the pod "
            "or on each container"
        ),
    )
    return with_fixes(found, lambda violation: _fix(pod, violation.path[:-1]))


def _root(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value == 0


def _fix(pod: Pod, sc_path: KeyPath) -> Fix | None:
    """``runAsNonRoot: true`` where the violation is, and at pod level too when a
    container inherits it from there; unsafe, the image may run as root.

    The pod level is edited when no container sets it false, else the offending container
    (and the pod level, for the containers that leave it unset). No fix when a container
    it would reach sets (or inherits) ``runAsUser: 0``: the two contradict each other.
    """
    contexts = raw_contexts(pod)
    walk = security_contexts(pod.spec_path, pod.spec)
    pod_path, pod_ctx, _ = next(walk)  # the pod level comes first
    inheriting = [(path, sc) for path, sc, _ in walk if sc.get("runAsNonRoot") is None]
    paths = {sc_path}
    if pod_ctx.get("runAsNonRoot") is not True and inheriting:
        paths.add(pod_path)
    reached = [sc for path, sc in inheriting if pod_path in paths] + [contexts.get(sc_path) or {}]
    pod_user = pod_ctx.get("runAsUser")
    if any(_root(pod_user if sc.get("runAsUser") is None else sc["runAsUser"]) for sc in reached):
        return None
    if any(contexts.get(path) is None for path in paths):
        return None  # a securityContext that is no mapping
    edits = [Edit("set", (*path, "runAsNonRoot"), True) for path in sorted(paths, key=len)]
    return edits_fix("set runAsNonRoot: true", edits)


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
