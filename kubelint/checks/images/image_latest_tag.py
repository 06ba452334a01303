"""A container image uses the `latest` tag, or no tag and no digest at all.

## What it does
Reads the `image` of every container (regular, init and ephemeral) of every workload and
reports, once per container at its `image:` line, a reference that

- has the tag `latest` (`nginx:latest`), or
- has neither a tag nor a digest (`nginx`, `registry.example.com:5000/team/app`): the
  runtime pulls `latest` for it.

The reference is read the way the runtime reads it, so the port of a registry host is no
tag (`localhost:5000/app` has none). A digest pins the image whatever the tag says
(`app:latest@sha256:…` is not reported). A reference with a template placeholder
(`${IMAGE}`, `{{ .Values.image }}`) is filled in later and is not judged, nor is one that
is not a valid reference at all.

## Why it matters
`latest` is whatever was pushed last. The code that runs can change without any change to
the manifest that was reviewed, two replicas started a day apart can run different code,
and a rollback to the previous manifest does not bring back the previous image. With an
unset `imagePullPolicy`, Kubernetes also pulls such an image on every container start,
so a registry outage stops pods from starting.

## Failing example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:latest
```

## Fixed example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
```

## References
- https://kubernetes.io/docs/concepts/containers/images/#image-names
- https://kubernetes.io/docs/concepts/configuration/overview/#container-images
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.images.references import container_images
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="image-latest-tag",
    summary="Container image uses the latest tag, or no tag and no digest",
    severity="warning",
    remediation="use a version tag (nginx:1.27.3) or, better, a digest (nginx@sha256:...)",
    kinds=WORKLOAD_KINDS,
    groups=("supply-chain",),
    since="0.2.0",
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for path, container, ref in container_images(obj):
        if ref.pulled_tag != "latest":
            continue
        label = container_label(container, path)
        if ref.tag is None:
            message = f"{label} names an image without a tag or digest: it runs 'latest'"
        else:
            message = f"{label} uses the 'latest' image tag"
        yield Finding(
            (*path, "image"),
            message,
            hint="pin a version tag or a digest, so the reviewed manifest decides what runs",
        )
