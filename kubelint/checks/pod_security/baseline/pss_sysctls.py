"""The pod sets a sysctl outside the safe set.

## What it does
Reports entries of the pod's `securityContext.sysctls` whose name is not in the safe set
of the policy version. The safe set grows with Kubernetes:

| from policy | adds |
|---|---|
| 1.0 | `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`, `net.ipv4.ip_unprivileged_port_start` |
| 1.27 | `net.ipv4.ip_local_reserved_ports` |
| 1.29 | `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes` |
| 1.32 | `net.ipv4.tcp_rmem`, `net.ipv4.tcp_wmem` |
| 1.37 | `net.ipv4.tcp_slow_start_after_idle`, `net.ipv4.tcp_notsent_lowat` |

Pod Security Standards, baseline level.

## Why it matters
Sysctls outside the safe set are not isolated per pod: they change the kernel of the whole
node, for every other workload on it, or can be used to disable protections.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: tuned
spec:
  securityContext:
    sysctls:
      - name: kernel.msgmax
        value: "65536"
  containers:
    - name: app
      image: example/app:1
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: tuned
spec:
  securityContext:
    sysctls:
      - name: net.ipv4.ip_local_port_range
        value: "1024 65000"
  containers:
    - name: app
      image: example/app:1
```

## References
- https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
"""

from __future__ import annotations

from kubelint.checks.pod_security.engine import Pod, Rule, Violation, define

SAFE_1_0 = frozenset(
    {
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    }
)
SAFE_1_27 = SAFE_1_0 | {"net.ipv4.ip_local_reserved_ports"}
SAFE_1_29 = SAFE_1_27 | {
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
}
SAFE_1_32 = SAFE_1_29 | {"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"}
SAFE_1_37 = SAFE_1_32 | {"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"}


def _rule(safe: frozenset[str]) -> Rule:
    def rule(pod: Pod) -> list[Violation]:
        sysctls = pod.security_context().get("sysctls")
        if not isinstance(sysctls, list):
            return []
        return [
            Violation(
                (*pod.spec_path, "securityContext", "sysctls", index, "name"),
                f"sysctl '{item.get('name')}' is not in the safe set",
            )
            for index, item in enumerate(sysctls)
            if isinstance(item, dict)
            and (not isinstance(item.get("name"), str) or item["name"] not in safe)
        ]

    return rule


META, CONTROL, check = define(
    id="pss-sysctls",
    summary="Sysctl outside the safe set",
    remediation="set only namespaced, safe sysctls; tune the node itself for the others",
    level="baseline",
    revisions=(
        (0, _rule(SAFE_1_0)),
        (27, _rule(SAFE_1_27)),
        (29, _rule(SAFE_1_29)),
        (32, _rule(SAFE_1_32)),
        (37, _rule(SAFE_1_37)),
    ),
    history=(
        (0, "five safe sysctls"),
        (27, "+ net.ipv4.ip_local_reserved_ports"),
        (29, "+ tcp_keepalive_time, tcp_fin_timeout, tcp_keepalive_intvl, tcp_keepalive_probes"),
        (32, "+ net.ipv4.tcp_rmem, net.ipv4.tcp_wmem"),
        (37, "+ net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat"),
    ),
)
