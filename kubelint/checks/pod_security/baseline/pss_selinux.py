"""The pod or a container sets a custom SELinux type, user or role.

## What it does
Reports `seLinuxOptions` in the pod's or a container's `securityContext` whose `type` is
not empty, `container_t`, `container_init_t` or `container_kvm_t` (and, from policy 1.31,
`container_engine_t`), or that sets a `user` or `role`. Pod Security Standards, baseline
level.

## Why it matters
SELinux labels decide what a container process may touch on the node. A custom type such
as `spc_t` ("super privileged container") or a custom user or role lifts that confinement.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  securityContext:
    seLinuxOptions:
      type: spc_t
  containers:
    - name: agent
      image: example/agent:3
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  securityContext:
    seLinuxOptions:
      level: "s0:c123,c456"
  containers:
    - name: agent
      image: example/agent:3
```

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubelint.checks.base import CheckMeta
from kubelint.checks.pod_security.engine import (
    BASELINE_GROUPS,
    Control,
    Pod,
    Violation,
    control_check,
    show,
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label
from kubelint.model import KeyPath

TYPES_1_0 = frozenset({"", "container_t", "container_init_t", "container_kvm_t"})
TYPES_1_31 = TYPES_1_0 | {"container_engine_t"}


def _options(sc_path: KeyPath, sc: Any, who: str, types: frozenset[str]) -> list[Violation]:
    options = sc.get("seLinuxOptions") if isinstance(sc, dict) else None
    if not isinstance(options, dict):
        return []
    path = (*sc_path, "seLinuxOptions")
    kind = options.get("type") or ""
    if not isinstance(kind, str) or kind not in types:
        return [Violation((*path, "type"), f"{who} sets SELinux type {show(kind)}")]
    for key in ("user", "role"):
        if options.get(key):
            return [Violation((*path, key), f"{who} sets a custom SELinux {key}")]
    return []


def _rule(types: frozenset[str]) -> Callable[[Pod], list[Violation]]:
    def rule(pod: Pod) -> list[Violation]:
        found = _options((*pod.spec_path, "securityContext"), pod.security_context(), "pod", types)
        for path, container in pod.containers():
            found += _options(
                (*path, "securityContext"),
                container.get("securityContext"),
                container_label(container, path),
                types,
            )
        return found

    return rule


META = CheckMeta(
    id="pss-selinux",
    summary="Custom SELinux type, user or role",
    severity="error",
    remediation="remove seLinuxOptions.type/user/role (a level is fine), or use container_t",
    kinds=WORKLOAD_KINDS,
    groups=BASELINE_GROUPS,
    pss=Control(
        "baseline",
        ((0, _rule(TYPES_1_0)), (31, _rule(TYPES_1_31))),
        history=(
            (0, "type empty, container_t, container_init_t or container_kvm_t; no user or role"),
            (31, "container_engine_t allowed too"),
        ),
    ),
)
check = control_check(META)
