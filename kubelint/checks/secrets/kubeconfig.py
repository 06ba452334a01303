"""The credentials of a kubeconfig's users (``apiVersion: v1``, ``kind: Config``).

A kubeconfig is read by kubectl and client libraries, never sent to the API server; each
entry of ``users`` holds how one user authenticates. What it holds by value is a credential:
``token``, ``password``, ``client-key-data`` (a base64 private key), the tokens and client
secret of an ``auth-provider``'s ``config``, the values of an ``exec`` plugin's ``env``.
``client-certificate-data`` and ``certificate-authority-data`` are certificates (public),
``client-key``, ``tokenFile`` and ``client-certificate`` name files: none is reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kubelint.k8s.kinds import CLIENT_CONFIG_KINDS
from kubelint.model import KeyPath
from kubelint.redaction import classify, decode_base64, is_public_material, redact

#: What a key of a user's ``user`` (or of its auth-provider ``config``) holds, when its
#: value has no shape of its own (a JSON Web Token, a PEM private key).
_NOUNS = {
    "token": "bearer token",
    "password": "password",
    "client-key-data": "private key",
    "client-secret": "client secret",
    "refresh-token": "refresh token",
    "id-token": "ID token",
    "access-token": "access token",
}
#: Keys of ``user`` that hold a credential by value.
_USER_KEYS = ("token", "password", "client-key-data")
_LITERAL = "literal secret value"


@dataclass(frozen=True)
class UserCredential:
    """A credential of a kubeconfig user: where it is, whose, under which key, what it is.

    Never the value."""

    path: KeyPath
    user: str
    key: str
    kind: str


def is_kubeconfig(data: Mapping[str, Any], kind: str) -> bool:
    """Whether ``data`` is a kubeconfig (``apiVersion: v1``, ``kind: Config``)."""
    return (data.get("apiVersion"), kind) in CLIENT_CONFIG_KINDS


def user_credentials(data: Mapping[str, Any]) -> Iterator[UserCredential]:
    """Each credential that ``users[].user`` holds by value, user by user."""
    users = data.get("users")
    if not isinstance(users, list):
        return
    for index, entry in enumerate(users):
        if not isinstance(entry, dict) or not isinstance(entry.get("user"), dict):
            continue
        user = entry["user"]
        name = f"'{redact(str(entry['name']))}'" if entry.get("name") else f"#{index}"
        base: KeyPath = ("users", index, "user")
        for key in _USER_KEYS:
            kind = _judge(key, user.get(key))
            if kind is not None:
                yield UserCredential((*base, key), name, key, kind)
        yield from _provider_credentials(user, base, name)
        yield from _exec_credentials(user, base, name)


def _provider_credentials(
    user: Mapping[str, Any], base: KeyPath, name: str
) -> Iterator[UserCredential]:
    """``auth-provider.config``: client-secret, refresh-token, id-token, access-token, ..."""
    provider = user.get("auth-provider")
    config = provider.get("config") if isinstance(provider, dict) else None
    if not isinstance(config, dict):
        return
    for key, value in config.items():
        kind = _judge(str(key), value)
        if kind is not None:
            path: KeyPath = (*base, "auth-provider", "config", str(key))
            yield UserCredential(path, name, f"auth-provider.config.{redact(str(key))}", kind)


def _exec_credentials(
    user: Mapping[str, Any], base: KeyPath, name: str
) -> Iterator[UserCredential]:
    """``exec.env[]``: a credential handed to the plugin in an environment variable."""
    plugin = user.get("exec")
    env = plugin.get("env") if isinstance(plugin, dict) else None
    if not isinstance(env, list):
        return
    for number, var in enumerate(env):
        if not isinstance(var, dict) or "value" not in var:
            continue
        var_name = str(var.get("name", ""))
        kind = classify(var_name, var["value"])
        if kind is not None:
            path: KeyPath = (*base, "exec", "env", number, "value")
            yield UserCredential(path, name, f"exec.env.{redact(var_name)}", kind)


def _judge(key: str, value: object) -> str | None:
    """What credential ``value`` is under ``key`` (the module's usual judgement: empty
    values, placeholders, references and certificates are none), else None."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    if key.endswith("-data"):
        # Base64: judge what it encodes when it is text (a PEM block); binary key
        # material (DER) is judged as written.
        decoded = decode_base64(str(value))
        if decoded is not None:
            if is_public_material(decoded):
                return None
            value = decoded
    kind = classify(key, value)
    if kind == _LITERAL:
        return _NOUNS.get(key, kind)
    return kind
