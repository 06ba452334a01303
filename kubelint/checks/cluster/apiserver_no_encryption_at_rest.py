"""The API server stores Secrets in etcd unencrypted.

## What it does
Reads the API server's flags (static pod manifest or kubeadm `ClusterConfiguration`, see
`apiserver-anonymous-auth`) and reports, at the container's `command:` (or at
`extraArgs`), an API server without `--encryption-provider-config`. What that file holds
is judged by the `encryption-*` checks when it is in the repository.

Severity: `warning`: missing hardening; the data is still protected by etcd's access
control.

## Why it matters
Without an encryption configuration every Secret is written to etcd as it is. Anyone who
reads an etcd backup, a disk snapshot or etcd's data directory reads every password and
token of the cluster.

## Failing example
```yaml
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  extraArgs:
    authorization-mode: Node,RBAC
```

## Fixed example
```yaml
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  extraArgs:
    authorization-mode: Node,RBAC
    encryption-provider-config: /etc/kubernetes/enc/encryption.yaml
```

## References
- https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
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
    id="apiserver-no-encryption-at-rest",
    summary="API server has no encryption at rest configured",
    severity="warning",
    remediation=(
        "write an EncryptionConfiguration (KMS v2 or secretbox for secrets) and pass it "
        "with --encryption-provider-config"
    ),
    kinds=KINDS,
    groups=("cluster",),
    judges_absence=True,
    since="0.2.0",
    compliance=(cis("1.2.27", "API server: an encryption provider configuration is given"),),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for server in api_servers(obj, ctx):
        if not server.has("encryption-provider-config") and server.complete:
            yield server.missing(
                "no --encryption-provider-config: Secrets are stored in etcd unencrypted",
                hint=server.how_to_set(
                    "encryption-provider-config", "/etc/kubernetes/enc/encryption.yaml"
                ),
            )
