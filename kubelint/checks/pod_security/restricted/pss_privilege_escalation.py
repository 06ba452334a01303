"""A container may gain more privileges than its parent process.

## What it does
Reports every container (regular, init and ephemeral) that does not set
`securityContext.allowPrivilegeEscalation: false` explicitly. Pod Security Standards,
restricted level, from policy 1.8; from 1.25 Windows pods (`spec.os.name: windows`) are
exempt.

## Why it matters
Unless turned off, a process can gain privileges through setuid/setgid binaries or file
capabilities in the image (`no_new_privs` is not set), which turns a foothold as an
unprivileged user into root in the container.

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
  containers:
    - name: app
      image: example/app:1
      securityContext:
        allowPrivilegeEscalation: false
```

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
"""

from __future__ import annotations

from kubelint.checks.hardening_fixes import no_escalation_edit
from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import (
    each_container_setting,
    edits_fix,
    raw_contexts,
    unless_windows,
    with_fixes,
)
from kubelint.compliance import cis
from kubelint.k8s.hardening import Hardening
from kubelint.model import Fix


def _v1_8(pod: Pod) -> list[Violation]:
    found = each_container_setting(
        pod,
        "allowPrivilegeEscalation",
        lambda value: value is not False,
        lambda who, _: f"{who} does not set allowPrivilegeEscalation: false",
    )
    contexts = raw_contexts(pod)

    def fix(violation: Violation) -> Fix | None:
        # Safe when unset; turning off an escalation the manifest asks for is not. None
        # for a privileged container or one adding SYS_ADMIN (the API server refuses it).
        sc_path = violation.path[:-1]
        sc = contexts.get(sc_path)
        edit = None if sc is None else no_escalation_edit(sc_path, sc)
        return edits_fix("set allowPrivilegeEscalation: false", (edit,))

    return with_fixes(found, fix)


META, CONTROL, check = define(
    id="pss-privilege-escalation",
    judges_absence=True,
    summary="allowPrivilegeEscalation is not false",
    remediation="set securityContext.allowPrivilegeEscalation: false on every container",
    level="restricted",
    revisions=((8, _v1_8), (25, unless_windows(_v1_8))),
    covers=Hardening.NO_PRIVILEGE_ESCALATION,
    history=((8, "new: allowPrivilegeEscalation must be false"), (25, "Windows pods exempt")),
    compliance=(cis("5.2.6", "do not admit containers that may escalate privileges"),),
)
