"""The kubelet authorizes every request.

## What it does
Reports `authorization.mode: AlwaysAllow` in a `KubeletConfiguration`
(`kubelet.config.k8s.io`), and `authorization-mode: AlwaysAllow` in the
`nodeRegistration.kubeletExtraArgs` of a kubeadm `InitConfiguration` or
`JoinConfiguration`, at the value. A config file that leaves the key out is fine: its
default is `Webhook`.

Severity: `error`: whoever is authenticated (or anyone, with anonymous requests on) can run
commands in every pod of the node.

## Why it matters
With `AlwaysAllow` the kubelet does not ask the API server whether a caller may use its
API: a service account token from any namespace is enough to exec into the pods of other
tenants on the node.

## Failing example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authorization:
  mode: AlwaysAllow
```

## Fixed example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authorization:
  mode: Webhook
```

## References
- https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authorization
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import KUBELET_KINDS as KINDS
from kubelint.compliance import cis
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="kubelet-authorization-always-allow",
    summary="Kubelet authorizes every request (AlwaysAllow)",
    severity="error",
    remediation="set authorization.mode: Webhook",
    kinds=KINDS,
    groups=("cluster",),
    since="0.2.0",
    compliance=(cis("4.2.2", "kubelet: no AlwaysAllow authorization"),),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    # Here: only runs with a kubelet configuration need these helpers.
    from kubelint.checks.cluster.kubelet import settings

    for setting in settings(obj, ("authorization", "mode"), "authorization-mode"):
        if isinstance(setting.value, str) and setting.value.strip() == "AlwaysAllow":
            yield Finding(
                setting.path,
                f"kubelet {setting.name} is AlwaysAllow: every caller may use the kubelet's API",
                hint="set it to Webhook",
            )
