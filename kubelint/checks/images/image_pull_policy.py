"""A container with a mutable image tag does not pull it on every start.

## What it does
Reports, once per container (regular, init and ephemeral), an image named by tag rather
than by digest whose `imagePullPolicy` is not `Always`:

- `imagePullPolicy: IfNotPresent` or `Never`, at that line;
- no `imagePullPolicy` while the tag is not `latest`, at the `image:` line: Kubernetes then
  defaults the policy to `IfNotPresent` (it defaults to `Always` only for `latest` or a
  missing tag, which this check therefore leaves alone).

An image pinned by digest is never reported: its content cannot change, so any policy is
safe. Templated and malformed references, and policy values the API server would refuse,
are not judged.

Off by default (`info` when selected): pulling on every start makes pod starts depend on
the registry. Clusters that run the `AlwaysPullImages` admission plugin get the same
effect for every pod; pinning digests (`image-not-pinned`) removes the question.

## Why it matters
A tag can be moved to other content. With `IfNotPresent` a node keeps running whatever it
pulled under that tag first, so replicas on different nodes can run different code, and a
fixed image pushed under the same tag never reaches nodes that already hold the old one.
It also lets a pod use an image already on the node without the registry checking that
the pod's credentials may pull it, which matters on nodes shared between tenants.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
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
      image: nginx:1.27
      imagePullPolicy: Always
```

## References
- https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
- https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.images.references import container_images
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="image-pull-policy",
    summary="Container with a mutable image tag does not use imagePullPolicy: Always",
    severity="info",
    remediation="set imagePullPolicy: Always, or pin the image by digest",
    kinds=WORKLOAD_KINDS,
    enabled=False,
    groups=("supply-chain",),
    since="0.2.0",
)

#: The values the API server accepts besides Always.
_STALE = ("IfNotPresent", "Never")


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for path, container, ref in container_images(obj):
        if ref.pulled_tag is None:
            continue  # pinned by digest
        label = container_label(container, path)
        policy = container.get("imagePullPolicy")
        if policy is None and ref.pulled_tag != "latest":
            yield Finding(
                (*path, "image"),
                f"{label} names a mutable tag without imagePullPolicy: "
                "it defaults to IfNotPresent, so a node may run an old copy",
                hint="add imagePullPolicy: Always beside the image, or pin it by digest",
            )
        elif policy in _STALE:
            yield Finding(
                (*path, "imagePullPolicy"),
                f"{label} names a mutable tag with imagePullPolicy: {policy}, "
                "so a node may run an old copy",
                hint="use imagePullPolicy: Always, or pin the image by digest",
            )
