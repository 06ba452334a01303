"""A suppression names a check that does not exist.

## What it does
Reports check ids or groups in a `kubelint.io/ignore` annotation (on the object or its pod
template) or in a `# kubelint: ignore=...` comment that kubelint does not know.

## Why it matters
A misspelt id suppresses nothing, so the finding its author meant to silence comes back,
or worse, the author believes a deliberate exception is recorded when it is not. Ids are
also renamed only with an alias, so an unknown id is always worth a look.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: debug
  annotations:
    kubelint.io/ignore: privileged-containers
spec:
  runtimeClassName: gvisor
  containers:
    - name: debug
      image: busybox:1.36
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: debug
  annotations:
    kubelint.io/ignore: privileged-container
spec:
  runtimeClassName: gvisor
  containers:
    - name: debug
      image: busybox:1.36
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.k8s.workloads import pod_template_metadata_path
from kubelint.model import Finding, K8sObject, KeyPath
from kubelint.suppression import ANNOTATION, annotation_ids

META = CheckMeta(
    id="unknown-suppression",
    summary="Suppression names an unknown check",
    severity="warning",
    remediation="fix the check id (see `kubelint --list-checks`) or remove the suppression",
    groups=("input",),
)


def _unknown(ids: tuple[str, ...], known: frozenset[str]) -> list[str]:
    return [i for i in ids if i not in known]


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    known = ctx.known_ids
    meta_paths: list[KeyPath] = [("metadata",)]
    template = pod_template_metadata_path(obj)
    if template:
        meta_paths.append(template)
    for meta_path in meta_paths:
        unknown = _unknown(annotation_ids(obj.data, meta_path), known)
        if unknown:
            yield Finding(
                meta_path + ("annotations", ANNOTATION),
                f"{ANNOTATION} names unknown check(s): {', '.join(unknown)}",
            )
    for sup in obj.source.suppressions:
        if obj.text_start <= sup.offset < obj.text_end:
            unknown = _unknown(sup.ids, known)
            if unknown or not sup.ids:
                what = ", ".join(unknown) if unknown else "nothing (no id after ignore=)"
                yield Finding(
                    (), f"suppression comment names unknown check(s): {what}", offset=sup.offset
                )
