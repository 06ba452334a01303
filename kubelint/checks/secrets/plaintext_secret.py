"""A secret is stored in plain text in the manifests.

## What it does
Reports, without ever printing the value, a credential written into a manifest:

- a `Secret` with `data` or `stringData` values (base64 is an encoding, not encryption):
  **one** finding per Secret, at `data:` or `stringData:`, naming its keys. It is an
  `error` when a key or value looks like a credential (a name such as `password` or
  `tls.key`, a token or private-key shape, a connection string with a password, random
  key material) and a `warning` when the Secret holds only settings (`username`, `host`);
- an env var `value:` that holds a credential: under a credential name (`DB_PASSWORD`,
  `API_KEY`, `CLIENT_SECRET`, `PGPASSWORD`, `MYSQL_PWD`, `SSH_KEY_CONTENT`, ...), or by
  its shape under any name (`DATABASE_URL=postgres://app:pw@db/app`, an Azure
  `AccountKey=`/`SharedAccessKey=` connection string, a JDBC URL with `password=`, a JWT);
- a credential on a container's `command`/`args` or in an exec probe or hook:
  `--password=x`, `--password x` (two items), `--token x`, mysql's `-p<password>`,
  curl's `-u user:password`, `Authorization: Bearer <token>`, `NAME=value`, and the
  same inside `sh -c` scripts;
- a credential in a `ConfigMap` value: a credential-named key, or an entry of a config
  file held in it (`application.properties`, `.env`, ini, YAML, JSON, XML, `.netrc`,
  `redis.conf`, kubeconfig, scripts), pointed at the line of the entry;
- the `kubectl.kubernetes.io/last-applied-configuration` annotation, which copies the
  whole object: an embedded Secret's data counts as the Secret's data, other credentials
  it embeds are reported at the annotation when the object itself no longer has them;
- an encryption key written inline in an `EncryptionConfiguration`
  (`apiserver.config.k8s.io`): each `secret:` under the `keys` of an `aescbc`, `aesgcm` or
  `secretbox` provider, at its line, naming the key and the provider (whoever reads the
  file can decrypt what the API server wrote to etcd with it; a `kms` provider keeps its
  key outside the file and is not reported);
- each credential of a user in a kubeconfig (`apiVersion: v1`, `kind: Config`), at its
  line, naming the user and the key: `users[].user` `token` (a JSON Web Token or any
  other bearer token), `password`, `client-key-data` (a base64 private key), the
  `client-secret`, `refresh-token`, `id-token` and `access-token` of an `auth-provider`'s
  `config`, and a credential in an `exec` plugin's `env`. `client-certificate-data` and
  `certificate-authority-data` are certificates (public) and `client-key`/`tokenFile`
  name files: not reported;
- a key that holds a credential itself, at the key: a missing space after the colon
  (`{name: DB_PASSWORD, value:Hunter2}`, `stringData: {password:Hunter2}`), a connection
  string written as a key, a mapping used as a key (`? {name: API_TOKEN, value: ...}`);
- a well-known credential shape anywhere in the object, comments and annotations
  included: cloud access keys, GitHub, GitLab, Slack, Stripe and npm tokens, JSON Web
  Tokens, PEM private keys.

Not reported, whatever the name: booleans and flags (`true`, `no`, `on`, `0`, `enabled`,
...), plain numbers (`TOKEN_TTL: 3600`; a password name with a number of four or more
digits is still reported), empty values, placeholders (`REPLACE_ME`, `your-token-here`,
`<...>`, `${VAR}`, `{{ ... }}`, Kubernetes `$(VAR)`, `$VAR`, `xxxx`, an all-caps variable
name such as `DB_PASSWORD`), encrypted values (SOPS `ENC[...]`, Jasypt `ENC(...)`,
`{cipher}...`, Ansible Vault), references (`valueFrom`,
`secretKeyRef`, `vault:...`, `ref+...`, secret-manager ARNs, Argo CD `$secret:key`,
file paths such as `/run/secrets/db`), URLs without credentials, certificates and public keys, checksums
and digests (`sha256:...`), and names that only talk about a secret (`*_NAME`,
`*_FILE`, `*_POLICY`, `*_TTL`, `*_LENGTH`, `*_URL`, `PASSWORD_MIN_LENGTH`). A Secret
whose values are all placeholders, references, certificates or empty is clean, as are
SOPS-encrypted files, `SealedSecret`/`ExternalSecret` objects and service-account-token
Secrets without data. A weak literal such as `changeme` is still a plaintext secret: it
is in the repository for anyone to read.

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
        - name: ALLOW_EMPTY_PASSWORD
          value: "no"
```

## References
- https://kubernetes.io/docs/concepts/security/secrets-good-practices/
- https://kubernetes.io/docs/concepts/configuration/secret/
- https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.secrets.args import scan_command
from kubelint.checks.secrets.content import scan_content
from kubelint.checks.secrets.detect import key_credential, looks_random, split_pair
from kubelint.k8s.kinds import CLIENT_CONFIG_KINDS
from kubelint.k8s.workloads import POD_TEMPLATE_PATHS, api_group, containers, get
from kubelint.model import Finding, K8sObject, KeyPath, format_path
from kubelint.redaction import (
    classify,
    decode_base64,
    is_placeholder,
    is_public_material,
    is_reference,
    is_secret_name,
    redact,
)

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
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_ANNOTATION_PATH: KeyPath = ("metadata", "annotations", LAST_APPLIED)
#: An annotation longer than this is not parsed (a bound on work per object).
_MAX_ANNOTATION_CHARS = 2_000_000
#: Secret keys that name key material or a token by convention, whatever the value looks
#: like (Ceph and GlusterFS `key`, `tls.key`, basic-auth `auth`, service-account `token`).
_SECRET_FILE_KEYS = frozenset({"key", "token", "auth", "htpasswd", "ssh-privatekey"})
_SECRET_FILE_ENDINGS = (".key", "-key", "_key", ".p12", ".pfx", ".jks", ".keystore", ".token")
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")

#: Where a container runs commands besides its own: exec probes and lifecycle hooks.
_EXEC_PATHS: tuple[KeyPath, ...] = (
    *((probe, "exec") for probe in _PROBES),
    ("lifecycle", "postStart", "exec"),
    ("lifecycle", "preStop", "exec"),
)


@dataclass(frozen=True)
class _Hit:
    """A credential found at a key path of an object's data (plain data, no positions)."""

    path: KeyPath
    #: What holds it, for messages: "env var 'DB_PASSWORD' of container 'app'".
    where: str
    kind: str
    hint: str | None = None
    #: A line inside a multi-line value, only to point at it; never printed.
    line: str | None = None


def _a(kind: str) -> str:
    return ("an " if kind[:1].lower() in "aeiou" else "a ") + kind


# ----------------------------------------------------------------------------------------
# Secrets


def _secret_value(key: str, raw: object, encoded: bool) -> str | None:
    """'credential', 'setting', or None for a value that is not stored (empty,
    placeholder, reference, certificate)."""
    if raw is None or isinstance(raw, dict | list):
        return None
    text = str(raw)
    if is_placeholder(text):
        return None
    if encoded:
        decoded = decode_base64(text)
        if decoded is None:
            # Binary key material (a keystore) or text put in `data` unencoded: either
            # way something is stored.
            return "credential" if looks_random(text) or _secret_file_key(key) else "setting"
        text = decoded
    if is_placeholder(text) or is_reference(text) or is_public_material(text):
        return None
    if classify(key, text) is not None or _secret_file_key(key) or looks_random(text):
        return "credential"
    if "\n" in text.strip() or text.lstrip()[:1] in ("{", "["):
        if scan_content(text):
            return "credential"
    return "setting"


def _secret_file_key(key: str) -> bool:
    lowered = key.lower()
    return lowered in _SECRET_FILE_KEYS or lowered.endswith(_SECRET_FILE_ENDINGS)


@dataclass
class _SecretData:
    """The values a Secret stores: key -> is a credential, and the field to point at."""

    keys: dict[str, bool]
    field: str | None


def _secret_data(data: Mapping[str, Any]) -> _SecretData:
    keys: dict[str, bool] = {}
    field: str | None = None
    field_has_credential = False
    for field_name, encoded in (("data", True), ("stringData", False)):
        values = data.get(field_name)
        if not isinstance(values, dict):
            continue
        for key, raw in values.items():
            name = str(key)
            pair = split_pair(name) if raw is None else None
            # `{password:Hunter2}` (no space after the colon) stores the value in the key.
            state = _secret_value(*pair, encoded) if pair else _secret_value(name, raw, encoded)
            if state is None:
                continue
            credential = state == "credential"
            shown = redact(name)
            keys[shown] = keys.get(shown, False) or credential
            if field is None or (credential and not field_has_credential):
                field, field_has_credential = field_name, credential
    return _SecretData(keys, field)


def _secret_finding(obj: K8sObject, found: _SecretData, path: KeyPath, where: str) -> Finding:
    names = ", ".join(sorted(found.keys))
    count = f"{len(found.keys)} key{'s' if len(found.keys) != 1 else ''}"
    stored = f"{obj.describe()}: {count} stored in plaintext in the repository{where} ({names})"
    credentials = sorted(k for k, is_credential in found.keys.items() if is_credential)
    if credentials:
        return Finding(
            path,
            f"{stored}; credentials: {', '.join(credentials)}; base64 is not encryption",
        )
    return Finding(
        path,
        f"{stored}; none looks like a credential, but Secret data belongs outside the repository",
        hint="move the values to a ConfigMap if they are not secret, else out of the repository",
        severity="warning",
    )


# ----------------------------------------------------------------------------------------
# ConfigMaps and workloads (plain data, so the last-applied annotation is read the same way)


#: ConfigMap keys named like these hold a config file even when it has one line.
_FILE_ENDINGS = (
    ".env",
    ".properties",
    ".ini",
    ".conf",
    ".cfg",
    ".cnf",
    ".config",
    ".yaml",
    ".yml",
    ".json",
    ".xml",
    ".toml",
    ".sh",
    "rc",
)


def _is_file(key: str, text: str) -> bool:
    lowered = key.lower()
    return (
        "\n" in text.strip()
        or text.lstrip()[:1] in ("{", "[")
        or (lowered.startswith(".") and "." not in lowered[1:])  # .env, .npmrc, .pgpass
        or lowered.endswith(_FILE_ENDINGS)
    )


def _configmap_hits(data: Mapping[str, Any], label: str) -> Iterator[_Hit]:
    values = data.get("data")
    if not isinstance(values, dict):
        return
    for key, value in values.items():
        if value is None or isinstance(value, dict | list | bool):
            continue
        text, path, key = str(value), ("data", str(key)), str(key)
        if is_secret_name(key) or not _is_file(key, text):
            kind = classify(key, text)
            if kind is not None:  # the value may sit on the next line (a block scalar)
                yield _Hit(path, f"{label} key '{key}'", kind, line=text.strip())
            continue
        for hit in scan_content(text):
            entry = f" entry '{hit.name}'" if hit.name else ""
            yield _Hit(path, f"{label} key '{key}'{entry}", hit.kind, line=hit.line)


def _container_hits(data: Mapping[str, Any], template: KeyPath | None) -> Iterator[_Hit]:
    if template is None:
        return
    spec_path = (*template, "spec")
    spec = get(data, spec_path)
    if not isinstance(spec, dict):
        return
    for path, container in containers(spec_path, spec):
        label = _container_label(container, path)
        yield from _env_hits(container, path, label)
        yield from _command_hits(container, path, ("command", "args"), label)
        for exec_path in _EXEC_PATHS:
            owner = get(container, exec_path)
            if isinstance(owner, dict):  # most containers have no exec probe or hook
                yield from _command_hits(owner, (*path, *exec_path), ("command",), label)


def _container_label(container: Mapping[str, Any], path: KeyPath) -> str:
    kinds = {"initContainers": "init container", "ephemeralContainers": "ephemeral container"}
    name = container.get("name")
    kind = kinds.get(str(path[-2]), "container")
    return f"{kind} '{name}'" if name else f"{kind} #{path[-1]}"


def _env_hits(container: Mapping[str, Any], path: KeyPath, label: str) -> Iterator[_Hit]:
    env = container.get("env")
    if not isinstance(env, list):
        return
    for index, var in enumerate(env):
        if not isinstance(var, dict):
            continue
        name = str(var.get("name", ""))
        field, value = "value", var.get("value")
        if "value" not in var:
            # `{name: DB_PASSWORD, value:Hunter2}`: a missing space makes one key of both.
            glued = [k for k in var if isinstance(k, str) and k.startswith(("value:", "value="))]
            if not glued:
                continue
            field, value = glued[0], glued[0][len("value:") :]
        kind = classify(name, value)
        if kind is not None:
            yield _Hit(
                (*path, "env", index, field),
                f"env var '{name}' of {label}",
                kind,
                hint="use valueFrom.secretKeyRef instead of value",
            )


def _command_hits(
    owner: object, base: KeyPath, fields: tuple[str, ...], label: str
) -> Iterator[_Hit]:
    """Credentials on a command line; command and args are read as one line (mysql in
    `command`, `-p<password>` in `args`)."""
    if not isinstance(owner, dict):
        return
    items: list[object] = []
    origin: list[tuple[str, int]] = []
    for field_name in fields:
        values = owner.get(field_name)
        if isinstance(values, list):
            items.extend(values)
            origin.extend((field_name, i) for i in range(len(values)))
    for hit in scan_command(items):
        field_name, index = origin[hit.index]
        flag = f" '{hit.name}'" if hit.name else ""
        yield _Hit(
            (*base, field_name, index),
            f"argument{flag} in {field_name} of {label}",
            hit.kind,
            hint="pass the value in an env var from a Secret and refer to it as $(VAR)",
            line=hit.line,
        )


#: An EncryptionConfiguration's providers that hold their keys in the file itself.
_INLINE_KEY_PROVIDERS = ("aescbc", "aesgcm", "secretbox")
_ENCRYPTION_GROUP = "apiserver.config.k8s.io"


def _encryption_hits(data: Mapping[str, Any]) -> Iterator[_Hit]:
    """Each inline ``secret`` of ``resources[].providers[].<provider>.keys[]``."""
    entries = data.get("resources")
    if not isinstance(entries, list):
        return
    for index, entry in enumerate(entries):
        providers = entry.get("providers") if isinstance(entry, dict) else None
        if not isinstance(providers, list):
            continue
        names = entry.get("resources")
        shown = [str(n) for n in names if isinstance(n, str)] if isinstance(names, list) else []
        more = f" and {len(shown) - 4} more" if len(shown) > 4 else ""
        covers = f" for {', '.join(shown[:4])}{more}" if shown else ""
        for position, provider in enumerate(providers):
            if not isinstance(provider, dict):
                continue
            for name in _INLINE_KEY_PROVIDERS:
                settings = provider.get(name)
                keys = settings.get("keys") if isinstance(settings, dict) else None
                if not isinstance(keys, list):
                    continue
                for number, key in enumerate(keys):
                    if not isinstance(key, dict) or not _stored(key.get("secret")):
                        continue
                    label = (
                        f"key '{redact(str(key['name']))}'" if "name" in key else f"key #{number}"
                    )
                    yield _Hit(
                        ("resources", index, "providers", position, name, "keys", number, "secret"),
                        f"EncryptionConfiguration {label} of the {name} provider{covers}",
                        "encryption key",
                        hint=(
                            "write with a KMS v2 provider, or install the file on the "
                            "control-plane nodes from a secret store; rotate the key"
                        ),
                    )


def _stored(value: object) -> bool:
    """Whether a key's ``secret`` holds a value (not empty, a placeholder or a reference)."""
    if value is None or isinstance(value, dict | list | bool):
        return False
    text = str(value)
    return bool(text.strip()) and not is_placeholder(text) and not is_reference(text)


def _kubeconfig_hits(data: Mapping[str, Any]) -> Iterator[_Hit]:
    """Each credential of a kubeconfig's users, at its line, naming the user and the key."""
    from kubelint.checks.secrets.kubeconfig import user_credentials  # here: kubeconfigs only

    for found in user_credentials(data):
        yield _Hit(
            found.path,
            f"kubeconfig user {found.user} key '{found.key}'",
            found.kind,
            hint=(
                "keep kubeconfigs out of the repository (or authenticate with an exec "
                "credential plugin); rotate the credential"
            ),
        )


def _object_hits(data: Mapping[str, Any], kind: str, template: KeyPath | None) -> list[_Hit]:
    # A kubeconfig (kubeconfig.is_kubeconfig, whose module only kubeconfigs need to import).
    if (data.get("apiVersion"), kind) in CLIENT_CONFIG_KINDS:
        return list(_kubeconfig_hits(data))
    if kind == "EncryptionConfiguration":
        version = data.get("apiVersion")
        if isinstance(version, str) and api_group(version) == _ENCRYPTION_GROUP:
            return list(_encryption_hits(data))
        return []
    if kind == "ConfigMap":
        name = get(data, ("metadata", "name"))
        return list(_configmap_hits(data, f"ConfigMap '{name}'" if name else "ConfigMap"))
    return list(_container_hits(data, template))


# ----------------------------------------------------------------------------------------
# The check


def _embedded(obj: K8sObject) -> dict[str, Any] | None:
    """The object copied into the last-applied-configuration annotation, if any."""
    annotations = obj.metadata.get("annotations")
    if not isinstance(annotations, dict):
        return None
    text = annotations.get(LAST_APPLIED)
    if not isinstance(text, str) or len(text) > _MAX_ANNOTATION_CHARS:
        return None
    try:
        embedded = json.loads(text)
    except (ValueError, RecursionError):  # nested deeper than the parser recurses
        return None
    return embedded if isinstance(embedded, dict) else None


def _template_of(obj: K8sObject, kind: str) -> KeyPath | None:
    if kind in POD_TEMPLATE_PATHS:
        return POD_TEMPLATE_PATHS[kind]
    return obj.pod_template_path if kind == obj.kind else None


def _offset(
    obj: K8sObject, path: KeyPath, line: str | None, after: dict[KeyPath, int]
) -> int | None:
    """The character offset of ``line`` inside the value at ``path`` (a block scalar),
    so that a finding lands on the line of the entry; None when it cannot be found."""
    if not line:
        return None
    row, column, found = obj.locate(path)
    if found != path:
        return None
    text = obj.source.text
    start = max(obj.source.line_starts[row - 1] + column - 1, after.get(path, 0))
    if start >= obj.text_end:
        return None
    offset = text.find(line, start, obj.text_end)
    if offset == -1 or obj.path_at(offset)[: len(path)] != path:
        # The value is not written line for line (a quoted scalar with escapes): searching
        # the rest of the object again for each later line would be quadratic.
        after[path] = obj.text_end
        return None
    after[path] = offset + len(line)
    return offset


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    if obj.kind in _SAFE_KINDS or "sops" in obj.data:
        return
    findings: list[Finding] = []
    flagged: list[KeyPath] = []
    embedded = _embedded(obj)
    #: Whether a credential the annotation copies was reported (with the object's own, or
    #: at the annotation): then its tokens are not reported again, else they are.
    copied_reported = False
    if obj.kind == "Secret":
        found = _secret_data(obj.data)
        copied = _secret_data(embedded) if embedded and embedded.get("kind") == "Secret" else None
        if found.field is not None:
            extra = ""
            if copied is not None and copied.keys:
                extra = f" (also copied in the {LAST_APPLIED} annotation)"
                for key, credential in copied.keys.items():
                    found.keys[key] = found.keys.get(key, False) or credential
            findings.append(_secret_finding(obj, found, (found.field,), extra))
            flagged += [("data",), ("stringData",)]
            copied_reported = bool(extra)
        elif copied is not None and copied.field is not None:
            findings.append(
                _secret_finding(
                    obj, copied, _ANNOTATION_PATH, f", in the {LAST_APPLIED} annotation"
                )
            )
            copied_reported = True
    else:
        after: dict[KeyPath, int] = {}
        hits = _object_hits(obj.data, obj.kind, _template_of(obj, obj.kind))
        for hit in hits:
            findings.append(
                Finding(
                    hit.path,
                    f"{hit.where} holds {_a(hit.kind)} in plain text",
                    hint=hit.hint,
                    offset=_offset(obj, hit.path, hit.line, after),
                )
            )
            flagged.append(hit.path)
        if embedded is not None:
            kept, copied_reported = _annotation_findings(obj, embedded, {h.path for h in hits})
            findings.extend(kept)
    if copied_reported:
        flagged.append(_ANNOTATION_PATH)
    findings.extend(_key_findings(obj, flagged))
    findings.extend(_tokens(obj, flagged))
    yield from findings


#: At most this many mapping keys of one object are looked at (a bound on the work).
_MAX_KEYS = 1_000_000


def _key_findings(obj: K8sObject, flagged: list[KeyPath]) -> Iterator[Finding]:
    """Keys that hold a credential themselves (``password:Hunter2``, a mapping used as a
    key), reported at the key; tokens used as keys are left to the scan of the text."""
    if not obj.unusual_keys:
        return  # the loader saw no key that could hold a credential
    # A flagged path is never descended into, so below the top an exact match suffices.
    done = set(flagged)
    if () in done:
        return
    stack: list[tuple[KeyPath, object]] = [((), obj.data)]
    seen = 0
    while stack and seen < _MAX_KEYS:
        path, item = stack.pop()
        if isinstance(item, list):
            stack.extend(((*path, i), v) for i, v in enumerate(item) if isinstance(v, dict | list))
            continue
        if not isinstance(item, dict):
            continue
        for key, value in item.items():
            seen += 1
            kind = key_credential(key) if isinstance(key, str) else None
            if kind is None and not isinstance(value, dict | list):
                continue  # the usual case: a plain key with a scalar value
            here = (*path, key)
            if here in done:
                continue
            if kind is not None:
                where = f"in '{format_path(path)}'" if path else "at the top level"
                yield Finding(here, f"key '{key}' {where} holds {_a(kind)} in plain text")
            else:
                stack.append((here, value))


def _annotation_findings(
    obj: K8sObject, embedded: dict[str, Any], live: set[KeyPath]
) -> tuple[list[Finding], bool]:
    """The finding for the credentials the annotation keeps, and whether it copies any
    (some may be reported at the object's own fields, ``live``)."""
    kind = str(embedded.get("kind", ""))
    if kind == "Secret":
        copied = _secret_data(embedded)
        if copied.field is None:
            return [], False
        where = f", in the {LAST_APPLIED} annotation"
        return [_secret_finding(obj, copied, _ANNOTATION_PATH, where)], True
    hits = _object_hits(embedded, kind, _template_of(obj, kind))
    stale = [h for h in hits if h.path not in live]
    if not stale:
        return [], bool(hits)
    # One copy of the object, one problem: deleting or regenerating the annotation fixes
    # every credential in it.
    names = "; ".join(f"{h.where} ({h.kind})" for h in stale)
    finding = Finding(
        _ANNOTATION_PATH,
        f"the {LAST_APPLIED} annotation keeps credentials in plain text: {names}",
        hint="remove the annotation (or re-apply without the credentials) and rotate them",
    )
    return [finding], True


def _tokens(obj: K8sObject, flagged: list[KeyPath]) -> Iterator[Finding]:
    tokens = obj.source.tokens
    # The file's tokens are sorted by offset: only this object's range is looked at (a loop
    # over all of them for every object is quadratic in a file of many objects).
    first = bisect.bisect_left(tokens, (obj.text_start, ""))
    last = bisect.bisect_left(tokens, (obj.text_end, ""))
    comments: dict[int, int] = {}
    for offset, kind in tokens[first:last]:
        path = obj.path_at(offset)
        if any(path[: len(done)] == done for done in flagged):
            continue  # already reported with the Secret, ConfigMap key, env var or argument
        if _in_comment(obj.source.text, offset, comments):
            where = "in a comment"
        else:
            where = f"at '{format_path(path)}'" if path else "in the manifest"
        yield Finding(path, f"{_a(kind)} in plain text {where}", offset=offset)


def _in_comment(text: str, offset: int, comments: dict[int, int]) -> bool:
    """Whether a YAML comment starts before ``offset`` on its line (outside quotes).

    ``comments`` caches where each line's comment starts (keyed by the line's start), so
    that many tokens on one long line read it once.
    """
    line_start = text.rfind("\n", 0, offset) + 1
    if line_start not in comments:
        comments[line_start] = _comment_start(text, line_start)
    return -1 < comments[line_start] < offset


def _comment_start(text: str, line_start: int) -> int:
    """Where the comment of the line starting at ``line_start`` begins, else -1."""
    line_end = text.find("\n", line_start)
    if line_end == -1:
        line_end = len(text)
    double = single = 0  # quotes seen so far on the line
    previous = " "
    for index in range(line_start, line_end):
        char = text[index]
        if char == "#" and previous in " \t" and double % 2 == 0 and single % 2 == 0:
            return index
        if char == '"':
            double += 1
        elif char == "'":
            single += 1
        previous = char
    return -1
