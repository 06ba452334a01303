"""What a secret looks like: secret-like names, placeholders and well-known token shapes.

Nothing here returns or formats a secret value: callers get names, kinds and offsets only.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re

_TOKEN_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")

#: Words that make a name secret-like on their own.
_SECRET_WORDS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PASSPHRASE",
        "SECRET",
        "SECRETS",
        "TOKEN",
        "TOKENS",
        "APIKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "CREDS",
        "PRIVATEKEY",
    }
)
#: Pairs of adjacent words that make a name secret-like.
_SECRET_PAIRS = frozenset(
    {
        ("API", "KEY"),
        ("PRIVATE", "KEY"),
        ("ACCESS", "KEY"),
        ("SECRET", "KEY"),
        ("SIGNING", "KEY"),
        ("ENCRYPTION", "KEY"),
        ("CLIENT", "SECRET"),
        ("AUTH", "KEY"),
    }
)
#: A last word that turns a secret-like name into something about a secret, not the secret.
_NOT_A_SECRET_SUFFIXES = frozenset(
    {
        "FILE",
        "FILES",
        "PATH",
        "DIR",
        "NAME",
        "NAMES",
        "URL",
        "URI",
        "HOST",
        "PORT",
        "ID",
        "USER",
        "USERNAME",
        "LENGTH",
        "LEN",
        "TTL",
        "TYPE",
        "ENABLED",
        "ENABLE",
        "REF",
        "MOUNT",
        "LOCATION",
        "EXPIRY",
        "EXPIRATION",
        "TIMEOUT",
        "ENDPOINT",
        "HEADER",
        "FIELD",
        "PARAM",
        "NAMESPACE",
        "VERSION",
        "COUNT",
        "SIZE",
        "MODE",
        "POLICY",
        "AUDIENCE",
        "ISSUER",
        "ALGORITHM",
        "DURATION",
        "PERIOD",
        "LIFETIME",
        "REQUIRED",
        "KIND",
        "FORMAT",
        "PREFIX",
        "PROVIDER",
        "STORE",
        "REGEX",
        "PATTERN",
        "KEYS",
    }
)


def is_secret_name(name: str) -> bool:
    """Whether an env var, ConfigMap key or similar name suggests it holds a secret."""
    words = [w.upper() for w in _TOKEN_SPLIT.split(name) if w]
    if not words or words[-1] in _NOT_A_SECRET_SUFFIXES:
        return False
    if any(w in _SECRET_WORDS for w in words):
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(words))


_PLACEHOLDER = re.compile(
    r"^\s*(?:\$\{[^}]*\}|\$\([^)]*\)|<[^<>]*>|\{\{.*\}\}|ENC\[[A-Z0-9_]+,.*\])\s*$", re.DOTALL
)


def is_placeholder(value: str) -> bool:
    """Empty values, ``${VAR}``, ``$(VAR)``, ``<...>``, ``{{ ... }}`` and SOPS ``ENC[...]``."""
    return not value.strip() or _PLACEHOLDER.match(value) is not None


def holds_secret(value: object) -> bool:
    """Whether a literal value is a real (if weak) secret rather than empty or a placeholder."""
    if value is None or isinstance(value, bool):
        return False
    text = str(value)
    return not is_placeholder(text)


def holds_secret_b64(value: object) -> bool:
    """Like :func:`holds_secret` for a base64 ``data`` value of a Secret."""
    if value is None or not str(value).strip():
        return False
    text = str(value)
    if is_placeholder(text):
        return False
    try:
        decoded = base64.b64decode(text.strip(), validate=False).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return True
    return not is_placeholder(decoded)


#: Well-known credential shapes: (what it is, anchors, pattern). An anchor is a literal and
#: how many characters into the token it starts: the scan looks for anchors with str.find,
#: one pass over the text each, so they are as few as possible, then matches the pattern
#: where the token would start.
TOKEN_PATTERNS: tuple[tuple[str, tuple[tuple[str, int], ...], str], ...] = (
    # AKIA, ASIA and ABIA share "IA" two characters in: one pass finds all three.
    (
        "AWS access key ID",
        (("IA", 2), ("ACCA", 0)),
        r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])",
    ),
    ("GitHub token", (("gh", 0),), r"\bgh[pousr]_[A-Za-z0-9]{36,}"),
    ("GitHub fine-grained token", (("github_pat_", 0),), r"\bgithub_pat_[A-Za-z0-9_]{60,}"),
    ("GitLab token", (("glpat-", 0),), r"\bglpat-[A-Za-z0-9_\-]{20,}"),
    ("Slack token", (("xox", 0),), r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    (
        "Slack webhook URL",
        (("hooks.slack.com/services/", 0),),
        r"hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]+",
    ),
    ("Google API key", (("AIza", 0),), r"\bAIza[0-9A-Za-z_\-]{35}"),
    ("Stripe live key", (("k_live_", 1),), r"\b[sr]k_live_[0-9A-Za-z]{20,}"),
    ("npm token", (("npm_", 0),), r"\bnpm_[A-Za-z0-9]{36}"),
    (
        "private key",
        (("-----BEGIN ", 0),),
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
    ),
)
_COMPILED = tuple((kind, anchors, re.compile(pattern)) for kind, anchors, pattern in TOKEN_PATTERNS)


def find_tokens(text: str) -> list[tuple[int, str]]:
    """Offsets and kinds of well-known credential shapes in ``text``, in order."""
    found = set()
    for kind, anchors, pattern in _COMPILED:
        for anchor, back in anchors:
            pos = text.find(anchor, back)
            while pos != -1:
                start = pos - back
                if pattern.match(text, start):
                    found.add((start, kind))
                pos = text.find(anchor, pos + 1)
    return sorted(found)
