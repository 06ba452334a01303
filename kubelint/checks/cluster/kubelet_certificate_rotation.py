"""The kubelet's certificates are not rotated.

## What it does
Reports, at the value, certificate rotation turned off:

- `rotateCertificates: false` in a `KubeletConfiguration` (`kubelet.config.k8s.io`), or
  `rotate-certificates: "false"` in a kubeadm `InitConfiguration` or `JoinConfiguration`'s
  `nodeRegistration.kubeletExtraArgs`: the client certificate is not renewed;
- the `RotateKubeletServerCertificate` feature gate set to `false` (in `featureGates` or
  in a `feature-gates` flag): the serving certificate is not renewed.

A file that leaves the keys out is not reported (kubelint reports settings written down;
kubeadm writes `rotateCertificates: true` itself).

Severity: `warning`.

## Why it matters
Without rotation a kubelet keeps a certificate until it expires, then drops off the
cluster; long-lived certificates also stay useful for longer to whoever copies them from a
node.

## Failing example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
rotateCertificates: false
```

## Fixed example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
rotateCertificates: true
serverTLSBootstrap: true
```

## References
- https://kubernetes.io/docs/tasks/tls/certificate-rotation/
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
    id="kubelet-certificate-rotation",
    summary="Kubelet certificate rotation is turned off",
    severity="warning",
    remediation="set rotateCertificates: true and keep RotateKubeletServerCertificate on",
    kinds=KINDS,
    groups=("cluster",),
    since="0.2.0",
    compliance=(
        cis("4.2.10", "kubelet: client certificate rotation not turned off"),
        cis("4.2.11", "kubelet: serving certificate rotation not turned off"),
    ),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    # Here: only runs with a kubelet configuration need these helpers.
    from kubelint.checks.cluster.kubelet import feature_gate, is_false, settings

    for setting in settings(obj, ("rotateCertificates",), "rotate-certificates"):
        if is_false(setting):
            yield Finding(
                setting.path,
                f"kubelet {setting.name} is false: its client certificate is never renewed",
                hint="set it to true",
            )
    gates = list(feature_gate(obj, "RotateKubeletServerCertificate"))
    if gates and is_false(gates[-1]):
        yield Finding(
            gates[-1].path,
            "feature gate RotateKubeletServerCertificate is false: the kubelet's serving "
            "certificate is never renewed",
            hint="remove the gate (it is on by default)",
        )
