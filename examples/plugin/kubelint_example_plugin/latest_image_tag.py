"""A container image has no tag or the `latest` tag.

## What it does
Reports containers whose `image` has no tag and no digest, or the tag `latest`.

## Why it matters
A moving tag means the code that runs can change without any change to the manifest that
was reviewed, and a rollback cannot bring back what ran before.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27.3
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label, workload_containers
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="latest-image-tag",
    summary="Container image is not pinned",
    severity="warning",
    remediation="pin the image to a version tag or, better, a digest",
    kinds=WORKLOAD_KINDS,
    groups=("supply-chain",),
)


def _unpinned(image: str) -> bool:
    if "@" in image:
        return False
    name = image.rsplit("/", 1)[-1]
    return ":" not in name or name.endswith(":latest")


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for path, container in workload_containers(obj):
        image = container.get("image")
        if isinstance(image, str) and _unpinned(image):
            yield Finding(
                path + ("image",), f"{container_label(container, path)} uses an unpinned image"
            )
