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

from typing import Any

from kubelint.checks.pod_security.engine import Pod, Rule, Violation, define
from kubelint.checks.pod_security.rules import each_security_context, show
from kubelint.model import KeyPath

TYPES_1_0 = frozenset({"", "container_t", "container_init_t", "container_kvm_t"})
TYPES_1_31 = TYPES_1_0 | {"container_engine_t"}


def _options(
    sc_path: KeyPath, sc: dict[str, Any], who: str, types: frozenset[str]
) -> list[Violation]:
    options = sc.get("seLinuxOptions")
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


def _rule(types: frozenset[str]) -> Rule:
    def rule(pod: Pod) -> list[Violation]:
        found = []
        for sc_path, sc, who in each_security_context(pod):
            found += _options(sc_path, sc, who, types)
        return found

    return rule


META, CONTROL, check = define(
    id="pss-selinux",
    summary="Custom SELinux type, user or role",
    remediation="remove seLinuxOptions.type/user/role (a level is fine), or use container_t",
    level="baseline",
    revisions=((0, _rule(TYPES_1_0)), (31, _rule(TYPES_1_31))),
    history=(
        (0, "type empty, container_t, container_init_t or container_kvm_t; no user or role"),
        (31, "container_engine_t allowed too"),
    ),
)
