"""The kubelet accepts requests without credentials.

## What it does
Reports `authentication.anonymous.enabled: true` in a `KubeletConfiguration`
(`kubelet.config.k8s.io`), and `anonymous-auth: "true"` in the
`nodeRegistration.kubeletExtraArgs` of a kubeadm `InitConfiguration` or
`JoinConfiguration`, at the value. A config file that leaves the key out is fine: its
default is `false`.

Severity: `error`: the kubelet's API runs commands in every pod of the node.

## Why it matters
The kubelet's port (10250) serves `exec`, `run`, `logs` and the pod list. With anonymous
requests allowed, anyone who reaches a node on the network is a caller, and only the
authorization mode stands between them and a shell in every container of the node.

## Failing example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: true
```

## Fixed example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
```

## References
- https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/
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
    id="kubelet-anonymous-auth",
    summary="Kubelet accepts anonymous requests",
    severity="error",
    remediation="set authentication.anonymous.enabled: false (and webhook authentication)",
    kinds=KINDS,
    groups=("cluster",),
    since="0.2.0",
    compliance=(cis("4.2.1", "kubelet: turn anonymous requests off"),),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    # Here: only runs with a kubelet configuration need these helpers.
    from kubelint.checks.cluster.kubelet import is_true, settings

    for setting in settings(obj, ("authentication", "anonymous", "enabled"), "anonymous-auth"):
        if is_true(setting):
            yield Finding(
                setting.path,
                f"kubelet {setting.name} is true: requests without credentials reach the "
                "kubelet's API",
                hint="set it to false",
            )
