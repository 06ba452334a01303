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

from collections.abc import Iterator
from typing import Any

from kubelint.checks.hardening_fixes import drop_all_edit
from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import (
    added_capabilities,
    edits_fix,
    per_container,
    raw_contexts,
    unless_windows,
    with_fixes,
)
from kubelint.compliance import cis
from kubelint.k8s.hardening import Hardening
from kubelint.k8s.workloads import get
from kubelint.model import Fix, KeyPath


def _capabilities(container: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    drop = get(container, ("securityContext", "capabilities", "drop"))
    if not isinstance(drop, list) or "ALL" not in drop:
        yield ("securityContext", "capabilities", "drop"), "does not drop ALL capabilities"
    yield from added_capabilities(
        container,
        ("NET_BIND_SERVICE",),
        lambda bad: f"adds {bad}; only NET_BIND_SERVICE may be added",
    )


def _v1_22(pod: Pod) -> list[Violation]:
    contexts = raw_contexts(pod)

    def fix(violation: Violation) -> Fix | None:
        # Unsafe: the container may need a default capability. The capabilities it adds
        # are a choice no fix removes.
        if violation.path[-1] != "drop":
            return None
        sc_path = violation.path[:-2]
        sc = contexts.get(sc_path)
        edit = None if sc is None else drop_all_edit(sc_path, sc)
        return edits_fix("drop ALL capabilities", (edit,))

    return with_fixes(per_container(pod, _capabilities), fix)


META, CONTROL, check = define(
    id="pss-capabilities-restricted",
    judges_absence=True,
    summary="Capabilities not dropped to ALL (plus at most NET_BIND_SERVICE)",
    remediation='set capabilities.drop: ["ALL"] and add only NET_BIND_SERVICE if needed',
    level="restricted",
    revisions=((22, _v1_22), (25, unless_windows(_v1_22))),
    overrides="pss-capabilities-baseline",
    covers=Hardening.DROP_ALL_CAPABILITIES,
    history=((22, "new: drop ALL; add only NET_BIND_SERVICE"), (25, "Windows pods exempt")),
    compliance=(cis("5.2.10", "admit containers only with their capabilities dropped"),),
)
