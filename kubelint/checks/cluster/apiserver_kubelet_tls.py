"""The API server does not verify kubelets' serving certificates.

## What it does
Reads the API server's flags (static pod manifest or kubeadm `ClusterConfiguration`, see
`apiserver-anonymous-auth`) and reports, at the container's `command:` (or at
`extraArgs`), an API server without `--kubelet-certificate-authority`.

Severity: `warning`. kubeadm does not set the flag, because kubelets serve self-signed
certificates unless `serverTLSBootstrap` is on: enable that first, approve the kubelets'
serving certificate requests, then pass the cluster CA.

## Why it matters
`kubectl exec`, `logs`, `port-forward` and `attach` go from the API server to the kubelet.
Without a CA to check the kubelet's certificate, anyone who can redirect that connection
(a spoofed node address, a hijacked route) receives the session, including what is typed
into an exec shell.

## Failing example
```yaml
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  extraArgs:
    profiling: "false"
```

## Fixed example
```yaml
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  extraArgs:
    profiling: "false"
    kubelet-certificate-authority: /etc/kubernetes/pki/ca.crt
```

## References
- https://kubernetes.io/docs/concepts/architecture/control-plane-node-communication/#api-server-to-kubelet
- https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import API_SERVER_KINDS as KINDS
from kubelint.checks.cluster import api_servers
from kubelint.compliance import cis
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="apiserver-kubelet-tls",
    summary="API server does not verify kubelet serving certificates",
    severity="warning",
    remediation=(
        "turn on kubelet serving certificates (serverTLSBootstrap) and pass the CA with "
        "--kubelet-certificate-authority"
    ),
    kinds=KINDS,
    groups=("cluster",),
    judges_absence=True,
    since="0.2.0",
    compliance=(cis("1.2.5", "API server: verify kubelets against a certificate authority"),),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for server in api_servers(obj, ctx):
        if not server.has("kubelet-certificate-authority") and server.complete:
            yield server.missing(
                "no --kubelet-certificate-authority: connections to kubelets are not verified",
                hint=server.how_to_set(
                    "kubelet-certificate-authority", "/etc/kubernetes/pki/ca.crt"
                ),
            )
