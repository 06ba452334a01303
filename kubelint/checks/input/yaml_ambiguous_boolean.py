"""A plain `y` or `n` that the cluster reads as a boolean.

## What it does
Reports every unquoted `y`, `Y`, `n` or `N`, as a value or as a key. kubelint reads them
as the cluster does, as `true` and `false`, and all other checks see that boolean.

## Why it matters
`kubectl` and the API server read manifests with a YAML 1.1 decoder, where a bare `y` is
`true` and a bare `n` is `false`. Many editors, linters and YAML 1.2 tools read the same
letter as a string, so a reviewer who sees `privileged: y` may take it for a typo that
does nothing, while the cluster runs the container privileged. A one-letter string meant
as text (a name, a ConfigMap value) becomes a boolean, which the API server refuses.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostNetwork: y
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
  hostNetwork: true
  containers:
    - name: web
      image: nginx:1.27
```

## References
- https://yaml.org/type/bool.html (YAML 1.1 booleans)
- https://github.com/kubernetes-sigs/yaml (the YAML decoder the cluster uses)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.input.marks import at_marks
from kubelint.model import Finding, K8sObject, KeyPath

META = CheckMeta(
    id="yaml-ambiguous-boolean",
    since="0.2.0",
    summary="Plain y or n is read as a boolean",
    severity="warning",
    remediation="write true or false for a boolean, or quote the letter for a string",
    groups=("input",),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    text = obj.source.text

    def describe(offset: int, path: KeyPath) -> tuple[str, str]:
        letter = text[offset : offset + 1]
        value = "true" if letter in "yY" else "false"
        return (
            f"unquoted '{letter}' is read as the boolean {value} by the cluster",
            f'write {value} if a boolean is meant, or "{letter}" for the letter',
        )

    return at_marks(obj, obj.ambiguous_bool_offsets, describe)
