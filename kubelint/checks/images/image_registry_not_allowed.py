"""A container image comes from a registry the project does not allow.

## What it does
Compares the image of every container (regular, init and ephemeral) with the
`allowed-registries` option, a list of prefixes, and reports, once per container at its
`image:` line, an image that no prefix covers.

Images are compared by the name the runtime pulls: registry host and repository, without
tag or digest. A reference without a registry host comes from Docker Hub, so `nginx` is
`docker.io/library/nginx` and `bitnami/redis` is `docker.io/bitnami/redis`. A prefix is a
registry host (`registry.example.com`, `localhost:5000`), optionally followed by a path
(`ghcr.io/example`, `docker.io/library`), and it ends at a `/`: `ghcr.io/example` covers
`ghcr.io/example/app` but not `ghcr.io/example-fork/app`, and `registry.example.com` does
not cover `registry.example.com.attacker.io/app`. Host names are compared without regard
to case. Templated references (`${IMAGE}`, `{{ .Values.image }}`) and malformed ones are
not judged.

Off by default: only the project knows which registries it trusts. Listing them turns it
on:

```yaml
# .kubelint.yaml
checks:
  image-registry-not-allowed:
    allowed-registries: [registry.example.com, ghcr.io/example]
```

(`ignore` still turns it off, and an explicit `select` that leaves it out wins.) Selected
with an empty list it allows nothing, so every image is reported (an allow-list that lists
nothing lets nothing through).

## Why it matters
Whoever controls the registry controls the code that runs. Images from a public
registry, a typo-squatted name or a personal account bypass the scanning, signing and
mirroring that a trusted registry gives, and a pull from the internet makes every pod start
depend on it. Keeping the allowed registries in the linter catches a new source in review,
before an admission policy rejects it in the cluster.

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
      image: "{{ .Values.image }}"
```

Without configuration only an image that is not judged, like this templated one, passes.
With `allowed-registries: [registry.example.com]` (see Options), the mirrored
`image: registry.example.com/mirror/nginx:1.27.3` passes as well.

## Options
`allowed-registries` (list of prefixes, default empty): the registries, or registry paths,
images may come from.

```yaml
extend-select: [image-registry-not-allowed]
checks:
  image-registry-not-allowed:
    allowed-registries:
      - registry.example.com
      - ghcr.io/example
      - docker.io/library   # Docker Hub's official images only
```

## References
- https://kubernetes.io/docs/concepts/containers/images/#image-names
- https://kubernetes.io/docs/concepts/security/supply-chain-security/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context, Param
from kubelint.checks.images.references import container_images, matches_prefix
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label
from kubelint.model import Finding, K8sObject

OPTION = "allowed-registries"

META = CheckMeta(
    id="image-registry-not-allowed",
    summary="Container image comes from a registry that is not allowed",
    severity="warning",
    remediation=f"pull the image from a registry listed in {OPTION} (mirror it there)",
    kinds=WORKLOAD_KINDS,
    enabled=False,
    enabled_by=OPTION,  # listing the allowed registries is asking for the check
    groups=("supply-chain",),
    params=(
        Param(
            OPTION,
            {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True},
            [],
            "prefixes (registry host, optionally with a path) of the images allowed to run",
        ),
    ),
    since="0.2.0",
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    allowed = params.get(OPTION)
    prefixes = [p for p in allowed if isinstance(p, str)] if isinstance(allowed, list) else []
    if prefixes:
        hint = f"use a registry under one of the {OPTION} prefixes, or add this one"
    else:
        hint = f"{OPTION} is empty, so no registry is allowed: list the ones you trust"
    for path, container, ref in container_images(obj):
        if any(matches_prefix(ref, prefix) for prefix in prefixes):
            continue
        implicit = "" if ref.explicit_registry else " (no registry written: Docker Hub)"
        yield Finding(
            (*path, "image"),
            f"{container_label(container, path)} pulls '{ref.name}'{implicit}, "
            f"which no {OPTION} prefix covers",
            hint=hint,
        )
