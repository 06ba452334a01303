"""What kubelint never prints: credential shapes, and the judgement of named values that
:func:`redact` needs to mask ``name:value`` words.

Every output (findings, notices, report fields, key paths) passes through :func:`redact`.
The verdicts work on plain strings; nothing here returns or formats a secret value:
callers get names, kinds and offsets only. The plaintext-secret check builds on them
(kubelint.checks.secrets), and this module knows nothing of checks.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any, Protocol

#: Only this much of one value is read for credentials inside it (a bound on the work per
#: value; config files held in manifests are far smaller).
MAX_CONTENT_CHARS = 16_000_000

# ---------------------------------------------------------------------------------------
# Names

_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

#: Last words that name a credential: the variable *is* the secret.
_CREDENTIAL_NOUNS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PASSPHRASE",
        "SECRET",
        "TOKEN",
        "APIKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "CREDS",
        "PRIVATEKEY",
        # Redis configuration directives that take the password itself.
        "REQUIREPASS",
        "MASTERAUTH",
    }
)
#: Compound words ending like this name a credential too (PGPASSWORD, clientsecret).
#: PASS is left out: BYPASS and COMPASS end with it.
_CREDENTIAL_ENDINGS = (
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "ACCESSKEY",
    "SECRETKEY",
    "PRIVATEKEY",
    "ACCOUNTKEY",
    "CREDENTIALS",
)
#: Words before a final KEY that make it a credential (API_KEY) rather than an index
#: (PARTITION_KEY, CACHE_KEY).
_KEY_QUALIFIERS = frozenset(
    {
        "API",
        "PRIVATE",
        "ACCESS",
        "SECRET",
        "SIGNING",
        "ENCRYPTION",
        "DECRYPTION",
        "AUTH",
        "ACCOUNT",
        "MASTER",
        "SHARED",
        "HMAC",
        "LICENSE",
        "SESSION",
        "CLIENT",
        "JWT",
        "SSH",
        "GPG",
        "PGP",
        "CRYPTO",
        "CIPHER",
        "AES",
        "STORAGE",
        "WEBHOOK",
    }
)
#: Trailing words that say how a credential is written, not what it is about
#: (SECRET_KEY_BASE, SSH_KEY_CONTENT, PASSWORD_B64).
_CARRIERS = frozenset(
    {
        "VALUE",
        "BASE",
        "RAW",
        "PLAIN",
        "PLAINTEXT",
        "B64",
        "BASE64",
        "HEX",
        "PEM",
        "CONTENT",
        "CONTENTS",
        "DATA",
        "JSON",
        "STR",
        "STRING",
        "MATERIAL",
    }
)
#: Words that make the whole name a pointer to a secret kept elsewhere (existingSecret).
_POINTER_WORDS = frozenset({"EXISTING"})
_PASSWORD_NOUNS = frozenset({"PASSWORD", "PASSWD", "PASS", "PASSPHRASE", "PWD", "PIN"})


def _words(name: str) -> list[str]:
    return [w.upper().rstrip("0123456789") for w in _WORD_SPLIT.split(name) if w]


#: Every credential name contains one of these (upper-cased): a cheap test that settles
#: most names before they are split into words.
_NAME_HINTS = ("PASS", "PWD", "SECRET", "TOKEN", "KEY", "CRED", "MASTERAUTH")


@functools.lru_cache(maxsize=8192)
def _credential_words(name: str) -> tuple[str, ...] | None:
    """The words of a name that ends in a credential noun, else None."""
    upper = name.upper()
    if not any(hint in upper for hint in _NAME_HINTS):
        return None
    words = [w for w in _words(name) if w]
    if not words or any(w in _POINTER_WORDS for w in words):
        return None
    carried = False
    while len(words) > 1 and words[-1] in _CARRIERS:
        words.pop()
        carried = True
    last = words[-1]
    if last == "KEY":
        qualified = len(words) > 1 and words[-2] in _KEY_QUALIFIERS
        return tuple(words) if qualified or (carried and len(words) > 1) else None
    if last == "PWD":  # PWD alone is the shell's working directory
        return tuple(words) if len(words) > 1 else None
    if last in _CREDENTIAL_NOUNS or last.endswith(_CREDENTIAL_ENDINGS):
        return tuple(words)
    return None


def is_secret_name(name: str) -> bool:
    """Whether a variable, key or flag name says it holds a credential itself.

    Only the last word counts (after words like VALUE or CONTENT that say how it is
    written): ``DB_PASSWORD`` holds a password, ``PASSWORD_POLICY``, ``TOKEN_TTL`` and
    ``SECRET_NAME`` only talk about one.
    """
    return _credential_words(name) is not None


def _is_password_name(name: str) -> bool:
    words = _credential_words(name)
    return words is not None and (words[-1] in _PASSWORD_NOUNS or words[-1].endswith("PASSWORD"))


# ---------------------------------------------------------------------------------------
# Values that are not secrets

_FLAGS = frozenset(
    {
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "t",
        "f",
        "0",
        "1",
        "enabled",
        "disabled",
        "enable",
        "disable",
        "none",
        "null",
        "nil",
        "~",
        "always",
        "never",
        "required",
        "optional",
    }
)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_TEMPLATE_MARKS = ("${", "$(", "{{", "#{", "%(", "$${")
_WHOLE_PLACEHOLDER = re.compile(
    r"""
    <[^<>]*>                                  # <your password>
    | ENC\[[A-Z0-9_]+,.*\]                    # SOPS
    | \$[A-Za-z_][A-Za-z0-9_.:\-]*           # $SHELL_VAR, Argo CD $secret:key
    | (?:%|@@?|__)[A-Za-z0-9_.\-]+(?:%|@@?|__) # %VAR% @VAR@ @@VAR@@ __VAR__ (CI replacement)
    | ENC\(.*\) | \{cipher\}.*                # Jasypt, Spring Cloud Config
    | [xX*\#.?]{3,}                           # xxxx ****
    | \.\.\..*\.\.\.                          # ...base64 encoded data...
    | \$ANSIBLE_VAULT;.*                      # Ansible Vault
    """,
    re.DOTALL | re.VERBOSE,
)
_PLACEHOLDER_WORDS = re.compile(
    r"""
    (?:replace|insert|enter|paste|put|add|fill|set)(?:[-_ .]|me$|it$)
    | your(?:[-_ .]|password|passwd|pass|secret|token|key|api|access|client|own)
    | (?:todo|fixme|tbd|placeholder|redacted|dummy|undefined|notset|unset|n/a|na
         |example|sample)$
    | .*(?:^|[-_ .])here$
    """,
    re.IGNORECASE | re.VERBOSE,
)
#: An all-caps name that mentions a credential (SECRET, DB_PASSWORD): the name of a
#: variable written where its value should go, the usual placeholder style. (Two tests,
#: not one regex: "[A-Z_]*(?:KEY|...)[A-Z_]*" backtracks quadratically on "KEYKEY...!".)
_ALL_CAPS = re.compile(r"[A-Z_]+")
_NAME_AS_VALUE_WORDS = ("PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL")


def _name_as_value(text: str) -> bool:
    return _ALL_CAPS.fullmatch(text) is not None and any(w in text for w in _NAME_AS_VALUE_WORDS)


_REFERENCE_PREFIXES = (
    "vault:",
    "ref+",
    "arn:aws:secretsmanager:",
    "arn:aws:ssm:",
    "projects/",
    "sm://",
    "gcpsm://",
    "awssm://",
    "awssecrets://",
    "azkv://",
    "akv://",
    "keyvault://",
    "op://",
    "secretref:",
    "secret://",
    "@microsoft.keyvault(",
    "gcp:secretmanager:",
    "azurekeyvault:",
    "/",
    "./",
    "../",
    "~/",
)
_DIGEST = re.compile(r"(?:sha1|sha224|sha256|sha384|sha512|md5|blake2b)[:\-][A-Za-z0-9+/=]+")
_SSH_PUBLIC = re.compile(r"(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-\S+|sk-\S+@openssh\.com) AAAA")
_PEM_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://\S*")


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1].strip()
    return text


def is_placeholder(value: str) -> bool:
    """Empty values, templates (``${VAR}``, ``$(VAR)``, ``{{ }}``, ``<...>``), SOPS values
    and placeholder words (``REPLACE_ME``, ``your-token-here``).

    ``changeme`` is not a placeholder: it is a weak password that people deploy.
    """
    text = _unquote(value)
    if not text:
        return True
    if any(mark in text for mark in _TEMPLATE_MARKS):
        return True
    return (
        _WHOLE_PLACEHOLDER.fullmatch(text) is not None
        or _PLACEHOLDER_WORDS.match(text) is not None
        or _name_as_value(text)
    )


def is_reference(value: str) -> bool:
    """A pointer to a secret kept elsewhere: secret-manager URIs and file paths."""
    text = _unquote(value)
    return text.lower().startswith(_REFERENCE_PREFIXES) and not any(c.isspace() for c in text)


def is_public_material(value: str) -> bool:
    """Certificates, public keys and other PEM blocks that hold no private key."""
    text = value.strip()
    if _SSH_PUBLIC.match(text):
        return True
    labels = _PEM_BEGIN.findall(text)
    return bool(labels) and not any("PRIVATE KEY" in label for label in labels)


def _url_without_credentials(text: str) -> bool:
    return _URL.fullmatch(text) is not None and credential_in_text(text) is None


def not_a_secret(value: str) -> bool:
    """Whether a literal is plainly not a secret whatever its name says."""
    text = _unquote(value)
    return (
        is_placeholder(text)
        or text.lower() in _FLAGS
        or is_reference(text)
        or is_public_material(text)
        or _DIGEST.fullmatch(text) is not None
        or _url_without_credentials(text)
    )


# ---------------------------------------------------------------------------------------
# Credentials found by their shape, whatever they are called

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
    # A signed JSON Web Token: base64url of '{"' (eyJ), then payload and signature.
    (
        "JSON Web Token",
        (("eyJ", 0),),
        r"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,}",
    ),
)
_COMPILED = tuple((kind, anchors, re.compile(pattern)) for kind, anchors, pattern in TOKEN_PATTERNS)


#: Any anchor at all: one pass that clears most values before the per-shape scans (on a
#: whole file the alternation is slower than the separate finds, and rarely clears it).
_ANY_ANCHOR = re.compile(
    "|".join(re.escape(anchor) for _, anchors, _ in TOKEN_PATTERNS for anchor, _ in anchors)
)


#: Characters that are rare in manifests, rarest first. An anchor holding one is found by
#: looking for that character (``str.find`` of one character is a memchr, many times
#: faster than a search for a short string) and checking the anchor at each hit. Each hit
#: costs a few hundred instructions of Python, but CPU time is what users wait for: on
#: real manifests (two copies of ../shared/corpus) probing with these seven, about one
#: hit per 600 to 10,000 characters, takes 0.62x the CPU time of probing with ``J`` and
#: ``z`` alone (``h``, ``-`` and ``/``, more frequent, cost more than they save).
_PROBES = "JBzI_Cx"


def _probe_plan() -> list[tuple[str, str, int, int, str, re.Pattern[str]]]:
    """Every anchor as (probe character or "", anchor, offset of the probe in the anchor,
    back, kind, pattern); "" when the anchor has no probe character."""
    plan = []
    for kind, anchors, pattern in _COMPILED:
        for anchor, back in anchors:
            probe = next((c for c in _PROBES if c in anchor), "")
            plan.append((probe, anchor, anchor.index(probe) if probe else 0, back, kind, pattern))
    return plan


_PLAN = _probe_plan()


def find_tokens(text: str) -> list[tuple[int, str]]:
    """Offsets and kinds of well-known credential shapes in ``text``, in order."""
    if len(text) < 4096 and _ANY_ANCHOR.search(text) is None:  # a value, not a whole file
        return []
    found: set[tuple[int, str]] = set()
    # Past this many hits of a probe character the text is unusual (a file of
    # underscores): the anchor is searched for as it is from there, one pass.
    most = 64 + len(text) // 256
    for probe, anchor, offset, back, kind, pattern in _PLAN:
        start = back
        if probe:
            pos, hits = text.find(probe, offset + back), 0
            while pos != -1 and hits < most:
                hits += 1
                at = pos - offset
                if text.startswith(anchor, at):
                    pos = text.find(probe, _match(text, at, back, kind, pattern, found) + offset)
                else:
                    pos = text.find(probe, pos + 1)
            if pos == -1:
                continue
            start = pos - offset
        _scan(text, anchor, back, kind, pattern, found, start)
    return sorted(found)


def _match(
    text: str, at: int, back: int, kind: str, pattern: re.Pattern[str], found: set[tuple[int, str]]
) -> int:
    """Record the token whose anchor is at ``at``, if one is; where the anchor may next be
    looked for: past the token (some tokens hold their own prefix, xoxb-xoxb-...: one
    token, one finding, and no rescan of its text from every prefix), else the next one."""
    match = pattern.match(text, at - back)
    if match:
        found.add((at - back, kind))
        return max(match.end(), at + 1)
    return at + 1


def _scan(
    text: str,
    anchor: str,
    back: int,
    kind: str,
    pattern: re.Pattern[str],
    found: set[tuple[int, str]],
    start: int,
) -> None:
    """Every ``anchor`` from ``start`` on (``start`` >= ``back``), found by ``str.find``."""
    pos = text.find(anchor, max(start, back))
    while pos != -1:
        pos = text.find(anchor, _match(text, pos, back, kind, pattern, found))


def redact(text: str) -> str:
    """``text`` with every well-known credential shape and URL password replaced by
    ``<redacted>``: applied to whatever kubelint prints, so that a credential written
    where a name goes (an object, container or key name, a Helm template path) is never
    printed by the findings, notices and report fields that name it."""
    # The same names, paths and hints come back for finding after finding: a pure
    # function of short text is worked out once (long text is not kept).
    if len(text) > _CACHED_TEXT:
        return _redact(text)
    return _redact_cached(text)


_CACHED_TEXT = 512


def _redact(text: str) -> str:
    if "://" in text and "@" in text:
        text = _URL_PASSWORD.sub(
            lambda m: m.group(0)[: m.start(1) - m.start(0)] + REDACTED + "@", text
        )
    if ":" in text or "=" in text:
        text = _mask_pairs(text)
    if _ANY_ANCHOR.search(text) is None:
        return text
    patterns = {kind: pattern for kind, _, pattern in _COMPILED}
    out: list[str] = []
    done = 0  # text before this is written out (tokens may overlap: one stand-in for both)
    for start, kind in find_tokens(text):
        match = patterns[kind].match(text, start)
        if match is None or match.end() <= done:
            continue
        if start >= done:
            out += [text[done:start], REDACTED]
        done = match.end()
    return "".join([*out, text[done:]])


_redact_cached = functools.lru_cache(maxsize=4096)(_redact)


#: ``name:value`` or ``name=value`` written as one word: a missing space in a flow mapping
#: (``{name: DB_PASSWORD, value:Hunter2}``) makes a key of it. A match starts only where a
#: run of name characters starts (leading dots and dashes allowed: ``env[0].value:x``,
#: ``--password=x``), so the scan is linear.
PAIR_WORD = re.compile(
    r"(?<![A-Za-z0-9_.\-])[.\-]*([A-Za-z_][A-Za-z0-9_.\-]*)([:=])([^\s'\"`<>,;]+)"
)
#: ``"name": "value"``: how kubelint writes a mapping used as a key (JSON).
_JSON_PAIR = re.compile(r'"([A-Za-z_][A-Za-z0-9_.\-]*)"\s*:\s*"((?:[^"\\]|\\.)*)"')


def hides_secret(name: str, value: str) -> bool:
    """Whether ``value`` written next to ``name`` must not be printed: a credential under a
    credential name, or anything but a plain number or a placeholder under ``value`` (an
    env var whose name is elsewhere)."""
    if not value or value == REDACTED or not_a_secret(value):
        return False
    if name.rsplit(".", 1)[-1].lower() == "value":
        return _NUMBER.fullmatch(value) is None
    return is_secret_name(name) and classify(name, value) is not None


_OPENS = {")": "(", "]": "[", "}": "{"}


def _mask_pairs(text: str) -> str:
    def word(match: re.Match[str]) -> str:
        value, tail = match.group(3), ""
        # A closing bracket the value did not open belongs to the text around it.
        while value[-1:] in (")", "]", "}") and value.count(_OPENS[value[-1]]) < value.count(
            value[-1]
        ):
            value, tail = value[:-1], value[-1] + tail
        if not hides_secret(match.group(1), value):
            return match.group(0)
        return match.group(0)[: match.start(3) - match.start(0)] + REDACTED + tail

    def quoted(match: re.Match[str]) -> str:
        if not hides_secret(match.group(1), match.group(2)):
            return match.group(0)
        return match.group(0)[: match.start(2) - match.start(0)] + REDACTED + '"'

    text = PAIR_WORD.sub(word, text)
    return _JSON_PAIR.sub(quoted, text) if '"' in text else text


class Identified(Protocol):
    """Anything with a report identity (a kubelint.model.K8sObject)."""

    def identity(self) -> dict[str, Any]: ...


def redacted_identity(obj: Identified) -> dict[str, Any]:
    """The object's identity for reports, redacted (see :func:`redact`)."""
    return {
        key: redact(value) if isinstance(value, str) else value
        for key, value in obj.identity().items()
    }


#: What stands in for a credential in kubelint's output.
REDACTED = "<redacted>"
_SHORTEST_TOKEN = 15
# Authorization: Bearer <token> / Basic <base64 user:password>, in scripts and headers.
_AUTH_HEADER = re.compile(r"\b(?:[Bb]earer|[Bb]asic) +([A-Za-z0-9._~+/=\-]{8,})")


def is_header_token(word: str) -> bool:
    """A token after ``Bearer``/``Basic``; prose ("Bearer authentication") has no digit."""
    return len(word) >= 8 and any(c.isdigit() for c in word) and not not_a_secret(word)


# scheme://user:password@host, with a password that is not a placeholder. The scheme
# starts where a run of scheme characters starts: trying every start inside a long run
# is quadratic.
_URL_PASSWORD = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*://[^\s/@:]*:([^\s/@]+)@")
# Go's MySQL driver DSN: user:password@tcp(host:3306)/db, with no scheme. Found from the
# "@tcp(" end (see _go_dsn_passwords): a regex from every "=" would be quadratic.
_GO_DSN_END = re.compile(r"@(?:tcp|udp|unix)\(")
_GO_DSN_USER = re.compile(r"[A-Za-z0-9_.\-]+:")


def _go_dsn_passwords(text: str) -> Iterator[str]:
    """The passwords of ``user:password@tcp(...)`` DSNs that start the text, follow
    whitespace or follow ``=``; each character is looked at a bounded number of times."""
    floor = 0
    for end in _GO_DSN_END.finditer(text):
        # The DSN holds no whitespace, "/" or "@" (and cannot reach into the previous one).
        stop = end.start()
        begin = max(floor, *(text.rfind(c, floor, stop) + 1 for c in " \t\r\n\f\v/@"))
        floor = end.end()
        starts = [begin] if begin == 0 or text[begin - 1].isspace() else []
        equals = text.find("=", begin, stop)
        while equals != -1:
            starts.append(equals + 1)
            equals = text.find("=", equals + 1, stop)
        for start in starts:
            user = _GO_DSN_USER.match(text, start, stop)
            if user is not None and user.end() < stop:
                yield text[user.end() : stop]
                break


# key=value pairs inside connection strings, query strings and command lines.
_PAIR_SPLIT = re.compile(r"[;&?\s,]+")
#: Names of connection-string parameters that hold the secret (besides credential names).
_CONNECTION_SECRET_KEYS = frozenset({"pwd", "sig", "sharedaccesssignature"})
_PAIR_HINTS = (*_NAME_HINTS, "SIG")


def _pair_secret(text: str) -> str | None:
    """The name of a key=value pair in ``text`` whose value is a literal credential."""
    if "=" not in text:
        return None
    upper = text.upper()
    if not any(hint in upper for hint in _PAIR_HINTS):
        return None
    for part in _PAIR_SPLIT.split(text):
        key, sep, value = part.partition("=")
        if not sep or not value:
            continue
        key = key.strip("-\"'")
        if not (is_secret_name(key) or key.lower() in _CONNECTION_SECRET_KEYS):
            continue
        if not not_a_secret(value) and not _NUMBER.fullmatch(value):
            return key
    return None


def credential_in_text(text: str, *, pairs: bool = True) -> str | None:
    """What credential a literal holds by its shape alone (any name), else None.

    Finds private keys, well-known tokens, JSON Web Tokens, passwords in URLs
    (``postgres://app:pw@db``) and secret pairs in connection strings
    (``Password=``, ``AccountKey=``, ``SharedAccessKey=``, ``password=`` in a JDBC URL);
    ``pairs=False`` leaves out the pairs, for prose such as comments.
    """
    if len(text) > MAX_CONTENT_CHARS:
        text = text[:MAX_CONTENT_CHARS]
    # Every token shape is at least 15 characters long: most words are shorter.
    tokens = find_tokens(text) if len(text) >= _SHORTEST_TOKEN else []
    if tokens:
        return tokens[0][1]
    if "://" in text and "@" in text:
        for match in _URL_PASSWORD.finditer(text):
            if not is_placeholder(match.group(1)):
                return "password in a connection URL"
    if "@" in text and "(" in text:
        for password in _go_dsn_passwords(text):
            if not is_placeholder(password):
                return "password in a connection URL"
    if "earer " in text or "asic " in text:
        for match in _AUTH_HEADER.finditer(text):
            if is_header_token(match.group(1)):
                return "token in an Authorization header"
    key = _pair_secret(text) if pairs else None
    if key is not None:
        return f"connection string with '{key}'"
    return None


def is_user_password(text: str) -> bool:
    """``user:password``, as in basic-auth and registry ``auth`` values."""
    user, sep, password = text.partition(":")
    return bool(sep and user and password) and not any(c.isspace() for c in text)


def decode_base64(text: str) -> str | None:
    """The UTF-8 text a base64 value encodes, or None when it is not base64 text."""
    compact = "".join(text.split())
    try:
        return base64.b64decode(compact, validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def classify(name: str, value: object) -> str | None:
    """What credential a named literal holds (e.g. ``"literal secret value"``, ``"JSON Web
    Token"``), or None when it is not a secret.

    The value decides first (flags, numbers, placeholders, references, paths, public keys
    and URLs without credentials are not secrets; token shapes and connection strings
    with passwords are), then the name.
    """
    if value is None or isinstance(value, bool | dict | list):
        return None
    text = _unquote(str(value))
    if not text:
        return None
    found = credential_in_text(text)
    if found is not None:
        return found
    if not is_secret_name(name):
        words = _words(name)
        if words and words[-1] == "AUTH":
            decoded = decode_base64(text)
            if is_user_password(text) or (decoded is not None and is_user_password(decoded)):
                return "user:password credentials"
        return None
    if not_a_secret(text):
        return None
    if _NUMBER.fullmatch(text):
        # TOKEN_TTL=3600 and MAX_TOKENS=4096 are settings; a numeric password is a password.
        return "literal secret value" if _is_password_name(name) and len(text) >= 4 else None
    return "literal secret value"


# ---------------------------------------------------------------------------------------
# Values of the input that output quoting it must hide

#: Shorter values are not hidden by :func:`hide` (they would hide ordinary words).
MIN_HIDDEN_LENGTH = 4


def secret_values(documents: Iterable[Any]) -> frozenset[str]:
    """The strings of ``documents`` (objects' data, policy params) that kubelint never
    prints: every value of a Secret's ``data`` (and the text it encodes) and
    ``stringData``, a string under a credential-like key, the ``value`` of a ``{name:
    DB_PASSWORD, value: ...}`` entry, and any value :func:`hides_secret` hides under its
    key. Output that quotes the input's own text (a diff, a message a policy wrote) passes
    through :func:`hide` with them."""
    found: set[str] = set()
    for document in documents:
        if isinstance(document, Mapping):
            if document.get("kind") == "Secret":
                found.update(_secret_data(document))
            found.update(_hidden_strings(document, ""))
    return frozenset(value for value in found if len(value) >= MIN_HIDDEN_LENGTH)


def _secret_data(document: Mapping[str, Any]) -> Iterator[str]:
    for field in ("data", "stringData"):
        values = document.get(field)
        if isinstance(values, Mapping):
            for value in values.values():
                if isinstance(value, str):
                    yield value
                    decoded = decode_base64(value) if field == "data" else None
                    if decoded:
                        yield decoded


def _hidden_strings(value: Any, key: str) -> Iterator[str]:
    if isinstance(value, Mapping):
        name = value.get("name")
        for item_key, item in value.items():
            if item_key == "value" and isinstance(name, str) and isinstance(item, str):
                # {name: DB_HOST, value: ...}: the name, or the value's own shape (a token,
                # a URL with a password), says whether the value is a secret.
                if item and (is_secret_name(name) or classify(name, item) is not None):
                    yield item
                continue
            yield from _hidden_strings(item, str(item_key))
    elif isinstance(value, list):
        for item in value:
            yield from _hidden_strings(item, key)
    elif isinstance(value, str) and value and (is_secret_name(key) or hides_secret(key, value)):
        yield value


def hide(text: str, values: Collection[str]) -> str:
    """``text`` (which quotes the input) with each of ``values`` in it replaced by
    ``<redacted>`` (longest first, so a value holding another is hidden whole), then
    :func:`redact`-ed."""
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, REDACTED)
    return redact(text)
