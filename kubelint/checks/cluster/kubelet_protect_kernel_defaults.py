"""The kubelet lets pods run with kernel settings it would have to change.

## What it does
Reports `protectKernelDefaults: false` in a `KubeletConfiguration`
(`kubelet.config.k8s.io`), and `protect-kernel-defaults: "false"` in the
`nodeRegistration.kubeletExtraArgs` of a kubeadm `InitConfiguration` or
`JoinConfiguration`, at the value. A file that leaves the key out is not reported (kubelint
reports settings written down, not the defaults of a config file).

Severity: `info`: turning it on also needs the node's sysctls set to what the kubelet
expects, which is a node-provisioning decision.

## Why it matters
With `protectKernelDefaults: true` the kubelet refuses to start when the node's kernel
tunables (panic on OOM, overcommit and the like) differ from its expectations, instead of
silently changing them. It keeps node hardening in the hands of who provisions the node.

## Failing example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
protectKernelDefaults: false
```

## Fixed example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
protectKernelDefaults: true
```

## References
- https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import KUBELET_KINDS as KINDS
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="kubelet-protect-kernel-defaults",
    summary="Kubelet does not protect kernel defaults",
    severity="info",
    remediation="set the node's sysctls as the kubelet expects, then protectKernelDefaults: true",
    kinds=KINDS,
    groups=("cluster",),
    since="0.2.0",
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    # Here: only runs with a kubelet configuration need these helpers.
    from kubelint.checks.cluster.kubelet import is_false, settings

    for setting in settings(obj, ("protectKernelDefaults",), "protect-kernel-defaults"):
        if is_false(setting):
            yield Finding(
                setting.path,
                f"kubelet {setting.name} is false: the kubelet changes kernel tunables "
                "instead of refusing a node that differs",
                hint="set the node's sysctls, then set it to true",
            )
