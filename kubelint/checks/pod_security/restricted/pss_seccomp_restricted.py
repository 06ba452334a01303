"""Containers run without a seccomp profile.

## What it does
Reports a pod unless every container (regular, init and ephemeral) has a seccomp profile
of type `RuntimeDefault` or `Localhost`, set on the container or inherited from the pod's
`securityContext`. Any other explicit type (such as `Unconfined`) fails. Pod Security
Standards, restricted level, from policy 1.19; from 1.25 Windows pods
(`spec.os.name: windows`) are exempt. It replaces `pss-seccomp-baseline`.

## Why it matters
Without a seccomp profile a container can make every system call the kernel offers. The
runtime's default profile blocks the few dozen that containers never need and that kernel
exploits most often abuse. `Localhost` profiles are allowed: they are a stricter, custom
choice, not a weaker one.

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
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: example/app:1
```

## References
- https://kubernetes.io/docs/tutorials/security/seccomp/
"""

from __future__ import annotations

from kubelint.checks.hardening_fixes import pod_seccomp_edit
from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import (
    bad_seccomp_profile,
    edits_fix,
    pod_or_every_container,
    unless_windows,
    with_fixes,
)
from kubelint.compliance import cis
from kubelint.k8s.hardening import Hardening
from kubelint.model import Fix


def _v1_19(pod: Pod) -> list[Violation]:
    def fix(violation: Violation) -> Fix | None:
        # Only the profile nobody named: an explicit one (Unconfined) is a choice.
        if violation.path[-1] != "seccompProfile":
            return None
        edit = pod_seccomp_edit(pod.spec_path, pod.spec)
        return edits_fix("set seccompProfile RuntimeDefault on the pod", (edit,))

    return with_fixes(_violations(pod), fix)


def _violations(pod: Pod) -> list[Violation]:
    return pod_or_every_container(
        pod,
        "seccompProfile",
        bad_seccomp_profile,
        lambda names: (
            f"no seccomp profile for container(s) {names}: set "
            "seccompProfile.type RuntimeDefault or Localhost on the pod or each container"
        ),
    )


META, CONTROL, check = define(
    id="pss-seccomp-restricted",
    judges_absence=True,
    summary="Container without a RuntimeDefault or Localhost seccomp profile",
    remediation="set securityContext.seccompProfile.type: RuntimeDefault on the pod",
    level="restricted",
    revisions=((19, _v1_19), (25, unless_windows(_v1_19))),
    overrides="pss-seccomp-baseline",
    covers=Hardening.SECCOMP_PROFILE,
    history=(
        (19, "new: RuntimeDefault or Localhost required, pod level or every container"),
        (25, "Windows pods exempt"),
    ),
    compliance=(cis("5.7.2", "give pods the runtime's default seccomp profile"),),
)
