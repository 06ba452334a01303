"""A container image is not pinned to a digest.

## What it does
Reports, once per container (regular, init and ephemeral) at its `image:` line, an image
reference without a digest (`@sha256:…`). A digest pins the image whether or not a tag
is written beside it (`nginx:1.27.3@sha256:…` and `nginx@sha256:…` both pass).

A reference that has the `latest` tag or no tag at all is left to `image-latest-tag` when
that check runs too, so such an image gets one finding, not two. Templated references
(`${IMAGE}`, `{{ .Values.image }}`) and malformed ones are not judged.

Off by default (`info` when selected): many teams pin version tags and let a release
process resolve digests. Turn it on with `--select image-not-pinned` or
`extend-select: [image-not-pinned]`.

## Why it matters
A tag is a name that whoever can push to the repository can move: `nginx:1.27.3` may not
be tomorrow what was scanned and reviewed today, and a compromised registry account can
replace it. A digest names the content itself, so the node either runs exactly the
reviewed image or refuses to start it.

## Failing example
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

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27.3@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
```

## References
- https://kubernetes.io/docs/concepts/containers/images/#image-names
- https://kubernetes.io/docs/concepts/security/supply-chain-security/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.images.references import container_images
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="image-not-pinned",
    summary="Container image is not pinned to a digest",
    severity="info",
    remediation="add the image's digest: nginx:1.27.3@sha256:...",
    kinds=WORKLOAD_KINDS,
    enabled=False,
    groups=("supply-chain",),
    since="0.2.0",
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    # One problem, one finding: a moving `latest` is image-latest-tag's to report.
    latest_reported = "image-latest-tag" in ctx.explicit
    for path, container, ref in container_images(obj):
        if ref.pinned or (latest_reported and ref.pulled_tag == "latest"):
            continue
        label = container_label(container, path)
        if ref.tag is None:
            message = f"{label} names its image with neither a tag nor a digest"
        else:
            message = f"{label} names its image by tag but not by digest"
        yield Finding(
            (*path, "image"),
            message,
            hint="append @sha256:<digest> of the image you reviewed (the tag may stay)",
        )
