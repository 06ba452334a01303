"""A secret is stored in plain text in the manifests.

## What it does
Reports, without ever printing the value:

- a `Secret` that carries `data` or `stringData` values (base64 is an encoding, not
  encryption): one finding per Secret, naming its keys;
- a literal env `value:` under a secret-like name (`PASSWORD`, `TOKEN`, `API_KEY`,
  `SECRET`, `CREDENTIALS`, `PRIVATE_KEY`, ...);
- a secret-like key in a `ConfigMap`;
- a well-known credential shape anywhere in the object, comments and annotations included:
  cloud access keys, GitHub, GitLab, Slack, Stripe and npm tokens, PEM private keys.

Not reported: `valueFrom`/`secretKeyRef`, `secretName` references, empty values, template
placeholders (`${VAR}`, `$(VAR)`, `<...>`, `{{ ... }}`), SOPS-encrypted files, and
`SealedSecret`/`ExternalSecret` objects. A weak literal such as `changeme` is still a
plaintext secret: it is in the repository for anyone to read.

## Why it matters
Everything in a repository is copied to every clone, CI runner and fork, and stays in the
history after it is deleted. A credential committed once must be treated as leaked and
rotated.

## Failing example
```yaml
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: changeme
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1.0
      env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: password
```

## References
- https://kubernetes.io/docs/concepts/security/secrets-good-practices/
- https://kubernetes.io/docs/concepts/configuration/secret/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.k8s import workload_containers
from kubelint.model import Finding, K8sObject, KeyPath
from kubelint.secrets import holds_secret, holds_secret_b64, is_secret_name

META = CheckMeta(
    id="plaintext-secret",
    summary="Secret value stored in plain text",
    severity="error",
    remediation=(
        "keep the value out of the repository: reference a Secret with secretKeyRef and "
        "manage it with SealedSecrets, External Secrets or SOPS; rotate the leaked value"
    ),
    groups=("core", "secrets"),
)

#: Kinds whose content is encrypted or only references secrets kept elsewhere.
_SAFE_KINDS = frozenset({"SealedSecret", "ExternalSecret", "ClusterExternalSecret", "SecretStore"})


def _secret(obj: K8sObject) -> Iterator[Finding]:
    if "sops" in obj.data:
        return
    keys: list[tuple[KeyPath, str]] = []
    for field_name, test in (("stringData", holds_secret), ("data", holds_secret_b64)):
        values = obj.data.get(field_name)
        if isinstance(values, dict):
            keys.extend(((field_name, key), key) for key, value in values.items() if test(value))
    if keys:
        names = ", ".join(sorted({key for _, key in keys}))
        yield Finding(
            keys[0][0],
            f"{obj.describe()} stores {len(keys)} value(s) in plain text (keys: {names}); "
            "base64 is not encryption",
        )


def _configmap(obj: K8sObject) -> Iterator[Finding]:
    if "sops" in obj.data:
        return
    values = obj.data.get("data")
    if not isinstance(values, dict):
        return
    for key, value in values.items():
        if is_secret_name(key) and holds_secret(value):
            yield Finding(
                ("data", key),
                f"{obj.describe()} stores secret-like key '{key}' in plain text",
            )


def _env(obj: K8sObject) -> Iterator[Finding]:
    for path, container in workload_containers(obj):
        env = container.get("env")
        if not isinstance(env, list):
            continue
        for index, var in enumerate(env):
            if not isinstance(var, dict) or "value" not in var:
                continue
            name = str(var.get("name", ""))
            if is_secret_name(name) and holds_secret(var["value"]):
                yield Finding(
                    path + ("env", index, "value"),
                    f"env var '{name}' has a literal value; secret-like names must come from "
                    "a Secret",
                    hint="use valueFrom.secretKeyRef instead of value",
                )


def _tokens(obj: K8sObject, flagged: list[KeyPath]) -> Iterator[Finding]:
    for offset, kind in obj.source.tokens:
        if not obj.text_start <= offset < obj.text_end:
            continue
        path = obj.path_at(offset)
        if any(path[: len(done)] == done for done in flagged):
            continue  # already reported as part of a Secret, ConfigMap key or env var
        yield Finding(path, f"{kind} in plain text", offset=offset)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    if obj.kind in _SAFE_KINDS:
        return
    findings: list[Finding] = []
    if obj.kind == "Secret":
        findings.extend(_secret(obj))
    elif obj.kind == "ConfigMap":
        findings.extend(_configmap(obj))
    else:
        findings.extend(_env(obj))
    flagged = [f.path for f in findings]
    if obj.kind == "Secret" and findings:
        flagged += [("data",), ("stringData",)]
    findings.extend(_tokens(obj, flagged))
    yield from findings
