"""A key the schema of the kind does not know (often a typo).

## What it does
Reports every key that the schema of the object's kind does not define, at the line of
the key, with a "did you mean" suggestion when a known key is close: `runAsNonroot`,
`securityContex`, `imagePullPolice`. Built-in kinds are checked against the bundled
schemas of the target Kubernetes version, custom resources against the CRDs in the
linted repository (keys under `x-kubernetes-preserve-unknown-fields` are free).

A key that holds a credential, often from a missing space in a flow mapping
(`{name: DB_PASSWORD, value:Hunter2}` makes `value:Hunter2` one key), is shown redacted
(`value:<redacted>`); plaintext-secret reports the credential too. A mapping used as a key
is shown as JSON.

## Why it matters
A typo is a security bug: `runAsNonroot: true` or `securityContex:` silently drops the
setting the author meant. The API server either prunes the unknown key without a word or
rejects the whole object, depending on the client's field validation.

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
      securityContex:
        runAsNonRoot: true
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
        runAsNonRoot: true
```

## References
- https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api.coverage import report_unvalidated
from kubelint.checks.base import CheckMeta, Context
from kubelint.model import Finding, K8sObject
from kubelint.schema.validate import problems

META = CheckMeta(
    id="unknown-field",
    summary="Unknown field (probably a typo)",
    severity="error",
    remediation="fix the spelling of the key, or remove it",
    groups=("schema",),
    needs_context=True,
    context_kinds=frozenset({"CustomResourceDefinition"}),
    on_run=report_unvalidated,
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for problem in problems(obj, ctx) or ():
        if problem.unknown_field:
            yield Finding(problem.path, problem.message)
