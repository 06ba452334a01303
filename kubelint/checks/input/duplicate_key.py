"""A mapping has the same key twice.

## What it does
Reports every key that appears more than once in the same mapping, at the repeated key.
Like the API server, kubelint uses the last value; all other checks see that value.

## Why it matters
A duplicate key silently discards the earlier value. A reviewer who reads the first
`securityContext:` block sees a hardened pod, while the cluster gets the second one. It is
almost always a merge or copy-and-paste accident, and it can hide a security setting.

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
      securityContext:
        privileged: false
      securityContext: {}
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
      securityContext:
        privileged: false
```

## References
- https://yaml.org/spec/1.2.2/#mapping (keys of a mapping are unique)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.input.marks import at_marks
from kubelint.model import Finding, K8sObject, KeyPath

META = CheckMeta(
    id="duplicate-key",
    summary="Mapping key appears more than once",
    severity="warning",
    remediation="keep one copy of the key and merge the values you meant",
    groups=("input",),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    def describe(offset: int, path: KeyPath) -> tuple[str, None]:
        # A key outside the object (`items` of a `kind: List` written twice) is read from
        # the text.
        key = path[-1] if path else _key_at(obj.source.text, offset)
        return (
            f"key '{key}' appears more than once in this mapping; only the last value is used",
            None,
        )

    return at_marks(obj, obj.duplicate_key_offsets, describe)


_KEY_RE = re.compile(r"""(?:"([^"\n]{0,200})"|'([^'\n]{0,200})'|([^\s:#,\[\]{}]{1,200}))""")


def _key_at(text: str, offset: int) -> str:
    match = _KEY_RE.match(text, offset)
    return next((part for part in match.groups() if part is not None), "?") if match else "?"
