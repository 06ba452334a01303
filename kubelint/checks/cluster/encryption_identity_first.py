"""An encryption configuration writes data unencrypted.

## What it does
Reports each entry of an `EncryptionConfiguration` (`apiserver.config.k8s.io/v1`) whose
first provider is `identity`, at that provider. The first provider is the one that
writes: `identity` first means the resources of the entry are stored as they are, and the
providers after it only decrypt data written earlier.

Severity: `warning`. `identity` first is right for a few minutes while decrypting a
cluster on purpose; committed to a repository it is usually a rotation done backwards.

## Why it matters
The API server accepts the file and reports encryption at rest as configured, yet every
object of those resources lands in etcd in plain text, where an etcd backup or a disk
snapshot exposes it.

## Failing example
```yaml
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - identity: {}
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
  - resources: [secrets]
    providers:
      - kms:
          apiVersion: v2
          name: vault
          endpoint: unix:///var/run/kms/vault.sock
      - identity: {}
```

## References
- https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#understanding-the-encryption-at-rest-configuration
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import ENCRYPTION_KINDS as KINDS
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="encryption-identity-first",
    summary="Encryption configuration writes data unencrypted (identity first)",
    severity="warning",
    remediation="put an encrypting provider (KMS v2 or secretbox) first, identity last",
    kinds=KINDS,
    groups=("cluster",),
    since="0.2.0",
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    # Here: only runs with an EncryptionConfiguration need these helpers.
    from kubelint.checks.cluster.encryption import describe, entries

    for entry in entries(obj):
        if entry.writer == "identity":
            yield Finding(
                entry.writer_path,
                f"the first provider for {describe(entry.resources)} is identity: they are "
                "written to etcd unencrypted",
                hint="move identity after the encrypting provider",
            )
