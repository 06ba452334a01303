"""An encryption configuration writes with a provider advised against.

## What it does
Reports the first (writing) provider of each entry of an `EncryptionConfiguration`
(`apiserver.config.k8s.io/v1`), at the provider, when it is:

- `aescbc` (`warning`): CBC mode is open to padding-oracle attacks; upstream advises
  against it;
- `kms` with `apiVersion: v1` or no `apiVersion` (KMS v1, `warning`): deprecated since
  1.28 and off by default since 1.29;
- `aesgcm` (`info`): sound only when its key is rotated before 200,000 writes, which a
  key committed to a file rarely is.

Providers after the first only decrypt data written earlier and are not reported.

## Why it matters
The point of encryption at rest is that a copy of etcd reveals nothing. A weak mode, a
nonce reused after too many writes, or a KMS plugin API that the API server no longer
loads weakens that, or stops the API server from reading its own data after an upgrade.
KMS v2 (an external key manager) or `secretbox` are the advised providers.

## Failing example
```yaml
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms:
          name: legacy
          endpoint: unix:///var/run/kms/legacy.sock
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
```

## References
- https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers
- https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import ENCRYPTION_KINDS as KINDS
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="encryption-weak-provider",
    summary="Encryption configuration writes with a provider advised against",
    severity="warning",
    remediation="write with KMS v2 (or secretbox) and keep the old provider second until "
    "the data is rewritten",
    kinds=KINDS,
    groups=("cluster",),
    since="0.2.0",
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    # Here: only runs with an EncryptionConfiguration need these helpers.
    from kubelint.checks.cluster.encryption import describe, entries

    for entry in entries(obj):
        what = describe(entry.resources)
        if entry.writer == "aescbc":
            yield Finding(
                entry.writer_path,
                f"{what} written with aescbc, which upstream advises against (CBC padding oracles)",
                hint="write with KMS v2 or secretbox; keep aescbc second to read old data",
            )
        elif entry.writer == "kms":
            settings = entry.writer_settings
            version = settings.get("apiVersion") if isinstance(settings, dict) else None
            if version in (None, "v1"):
                yield Finding(
                    entry.writer_path,
                    f"{what} written with KMS v1, deprecated and off by default since "
                    "Kubernetes 1.29",
                    hint="move to a KMS v2 plugin (apiVersion: v2)",
                )
        elif entry.writer == "aesgcm":
            yield Finding(
                entry.writer_path,
                f"{what} written with aesgcm: its key must be rotated every 200,000 writes",
                hint="write with KMS v2 (which rotates data keys) or secretbox",
                severity="info",
            )
