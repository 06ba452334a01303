"""An encryption configuration leaves Secrets out.

## What it does
Reports an `EncryptionConfiguration` (`apiserver.config.k8s.io/v1`) in which no entry's
`resources` covers Secrets, at `resources`. `secrets`, `*.` (every resource of the core
group) and `*.*` (every resource) cover them. An entry that covers them with `identity`
first is reported by `encryption-identity-first`.

Severity: `warning`.

## Why it matters
Encryption at rest exists for Secrets above all. A file that encrypts ConfigMaps or custom
resources but not Secrets looks like protection and leaves every password and token in
etcd in plain text.

## Failing example
```yaml
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [configmaps]
    providers:
      - kms:
          apiVersion: v2
          name: vault
          endpoint: unix:///var/run/kms/vault.sock
```

## Fixed example
```yaml
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets, configmaps]
    providers:
      - kms:
          apiVersion: v2
          name: vault
          endpoint: unix:///var/run/kms/vault.sock
```

## References
- https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import ENCRYPTION_KINDS as KINDS
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="encryption-secrets-not-covered",
    summary="Encryption configuration does not cover Secrets",
    severity="warning",
    remediation="add secrets to the resources of an entry with an encrypting provider",
    kinds=KINDS,
    groups=("cluster",),
    judges_absence=True,
    since="0.2.0",
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    # Here: only runs with an EncryptionConfiguration need these helpers.
    from kubelint.checks.cluster.encryption import COVERS_SECRETS, entries, is_config

    if not is_config(obj):
        return
    if any(COVERS_SECRETS & set(entry.resources) for entry in entries(obj)):
        return
    yield Finding(
        ("resources",),
        "no entry of the encryption configuration covers secrets: they are stored unencrypted",
        hint="list secrets (or *.*) in the resources of an entry with an encrypting provider",
    )
