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
    {"PASSWORD", "PASSWD", "PASS", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS",
     "APIKEY", "CREDENTIAL", "CREDENTIALS", "CREDS", "PRIVATEKEY"}
)
#: Pairs of adjacent words that make a name secret-like.
_SECRET_PAIRS = frozenset(
    {("API", "KEY"), ("PRIVATE", "KEY"), ("ACCESS", "KEY"), ("SECRET", "KEY"),
     ("SIGNING", "KEY"), ("ENCRYPTION", "KEY"), ("CLIENT", "SECRET"), ("AUTH", "KEY")}
)
#: A last word that turns a secret-like name into something about a secret, not the secret.
_NOT_A_SECRET_SUFFIXES = frozenset(
    {"FILE", "FILES", "PATH", "DIR", "NAME", "NAMES", "URL", "URI", "HOST", "PORT", "ID", "USER",
     "USERNAME", "LENGTH", "LEN", "TTL", "TYPE", "ENABLED", "ENABLE", "REF", "MOUNT",
     "LOCATION", "EXPIRY", "EXPIRATION", "TIMEOUT", "ENDPOINT", "HEADER", "FIELD", "PARAM",
     "NAMESPACE", "VERSION", "COUNT", "SIZE", "MODE", "POLICY", "AUDIENCE", "ISSUER",
     "ALGORITHM", "DURATION", "PERIOD", "LIFETIME", "REQUIRED", "KIND", "FORMAT", "PREFIX",
     "PROVIDER", "STORE", "REGEX", "PATTERN", "KEYS"}
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


#: Well-known credential shapes: (what it is, literal prefixes, pattern matched at a prefix).
#: Searching for a literal first keeps the scan at str.find speed on large files; each
#: prefix costs one pass over the text, so they are as few and as rare as possible.
TOKEN_PATTERNS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("AWS access key ID", ("AKIA", "ASIA", "ABIA", "ACCA"), r"(?<![A-Z0-9])[A-Z]{4}[A-Z0-9]{16}(?![A-Z0-9])"),
    ("GitHub token", ("gh",), r"\bgh[pousr]_[A-Za-z0-9]{36,}"),
    ("GitHub fine-grained token", ("github_pat_",), r"\bgithub_pat_[A-Za-z0-9_]{60,}"),
    ("GitLab token", ("glpat-",), r"\bglpat-[A-Za-z0-9_\-]{20,}"),
    ("Slack token", ("xox",), r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("Slack webhook URL", ("hooks.slack.com/services/",),
     r"hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]+"),
    ("Google API key", ("AIza",), r"\bAIza[0-9A-Za-z_\-]{35}"),
    # "sk_live_"/"rk_live_": found by "k_live_", one character into the token
    ("Stripe live key", ("k_live_",), r"\b[sr]k_live_[0-9A-Za-z]{20,}"),
    ("npm token", ("npm_",), r"\bnpm_[A-Za-z0-9]{36}"),
    ("private key", ("-----BEGIN ",), r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
)
#: How far before its prefix a token starts.
_PREFIX_OFFSET = {"Stripe live key": 1}
_COMPILED = tuple(
    (kind, prefixes, re.compile(pattern), _PREFIX_OFFSET.get(kind, 0))
    for kind, prefixes, pattern in TOKEN_PATTERNS
)


def find_tokens(text: str) -> list[tuple[int, str]]:
    """Offsets and kinds of well-known credential shapes in ``text``, in order."""
    found = []
    for kind, prefixes, pattern, back in _COMPILED:
        for prefix in prefixes:
            pos = text.find(prefix, back)
            while pos != -1:
                if pattern.match(text, pos - back):
                    found.append((pos - back, kind))
                pos = text.find(prefix, pos + 1)
    found.sort()
    return found
