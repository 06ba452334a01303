"""The kubelet serves its read-only port.

## What it does
Reports a non-zero `readOnlyPort` in a `KubeletConfiguration` (`kubelet.config.k8s.io`),
and a non-zero `read-only-port` in the `nodeRegistration.kubeletExtraArgs` of a kubeadm
`InitConfiguration` or `JoinConfiguration`, at the value. A config file that leaves the
key out is fine: its default is `0` (off).

Severity: `warning`.

## Why it matters
The read-only port (usually 10255) answers without authentication or TLS: anyone who
reaches the node reads the spec of every pod on it, with environment variables, image
names and mounted volume paths.

## Failing example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 10255
```

## Fixed example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 0
```

## References
- https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import KUBELET_KINDS as KINDS
from kubelint.compliance import cis
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="kubelet-read-only-port",
    summary="Kubelet serves the unauthenticated read-only port",
    severity="warning",
    remediation="set readOnlyPort: 0",
    kinds=KINDS,
    groups=("cluster",),
    since="0.2.0",
    compliance=(cis("4.2.4", "kubelet: read-only port closed"),),
)


def _port(value: object, flag: bool) -> int | None:
    if flag and isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if not flag and isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    # Here: only runs with a kubelet configuration need these helpers.
    from kubelint.checks.cluster.kubelet import settings

    for setting in settings(obj, ("readOnlyPort",), "read-only-port"):
        port = _port(setting.value, setting.flag)
        if port:
            yield Finding(
                setting.path,
                f"kubelet {setting.name} is {port}: pod specs are served without authentication",
                hint="set it to 0",
            )
