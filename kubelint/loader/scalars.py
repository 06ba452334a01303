"""How a plain YAML scalar is typed: as the cluster reads it, with no YAML library.

Both read paths use this module: the pure-Python one (yamlparse.py, through PyYAML's
resolver hooks) and the compiled one (fastread.py), so a scalar means the same on both.
So do the other rules both apply: which keys are unusual, and how deep data may nest.
"""

from __future__ import annotations

import math
import re
from typing import Any

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
MERGE = "tag:yaml.org,2002:merge"
# The cluster reads manifests with go-yaml v2 (through sigs.k8s.io/yaml): YAML 1.1 plain
# scalars without base 60, so a plain scalar resolves as it does there, not as PyYAML's
# YAML 1.1 resolver would (which reads `1:30` as 90 and `y` as a string).
PLAIN_TAGS = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), NULL),
    **dict.fromkeys(
        "y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF".split(),
        BOOL,
    ),
    **dict.fromkeys(
        ".nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF".split(), FLOAT
    ),
    "<<": MERGE,
}
TRUE = frozenset("y Y yes Yes YES true True TRUE on On ON".split())
#: One-letter booleans: YAML 1.2 tools and most editors read them as strings.
AMBIGUOUS_BOOLEANS = frozenset("y Y n N".split())
#: Go's strconv.ParseInt/ParseUint with base 0, underscores already removed.
_GO_INT_RE = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
#: go-yaml v2's yamlStyleFloat.
_GO_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INT_MIN = -(2**63)
_UINT_MAX = 2**64 - 1
#: No int64 or uint64 needs more digits than this in any base (binary: 64).
_MAX_INT_DIGITS = 64


def number_tag(value: str) -> str:
    """The tag go-yaml v2 gives a plain scalar that starts with a digit, a sign or a dot.

    Syntax only (linear, no conversion): a value too large for 64 bits is tagged int here
    and falls back to float or text in :func:`_int`, as in go-yaml.
    """
    plain = value.replace("_", "") if "_" in value else value
    if value[:1] != "." and _GO_INT_RE.fullmatch(plain):
        return INT
    if _GO_FLOAT_RE.fullmatch(plain):
        return FLOAT
    return STR


def to_int(text: str) -> Any:
    """An integer as go-yaml v2 reads it: int64 or uint64, else a float, else the text.

    Never builds an integer longer than 64 bits (whose decimal text Python refuses to
    produce past 4,300 digits), and never does base-60 arithmetic.
    """
    value = text.replace("_", "")
    sign = 1
    digits = value
    if digits[:1] in "+-":
        sign = -1 if digits[0] == "-" else 1
        digits = digits[1:]
    base = 10
    if digits[:2] in ("0x", "0X"):
        base, digits = 16, digits[2:]
    elif digits[:2] in ("0o", "0O"):
        base, digits = 8, digits[2:]
    elif digits[:2] in ("0b", "0B"):
        base, digits = 2, digits[2:]
    elif digits[:1] == "0" and len(digits) > 1:
        base = 8
    significant = digits.lstrip("0") or "0"
    if len(significant) <= _MAX_INT_DIGITS:
        try:
            number = sign * int(significant, base)
        except ValueError:
            return to_float(text) if _GO_FLOAT_RE.fullmatch(value) else text
        # A sign stops Go's ParseUint: "+18446744073709551615" is a float there.
        if _INT_MIN <= number <= _UINT_MAX and (number < 2**63 or value[:1] not in "+-"):
            return number
    if base == 10 and _GO_FLOAT_RE.fullmatch(value):
        return to_float(text)
    return text


def to_float(text: str) -> Any:
    value = text.replace("_", "").lower()
    if value in (".inf", "+.inf"):
        return math.inf
    if value == "-.inf":
        return -math.inf
    if value == ".nan":
        return math.nan
    try:
        number = float(value)
    except ValueError:
        return text
    # Go's ParseFloat refuses a value out of float64's range, and go-yaml keeps the text.
    return text if math.isinf(number) else number


#: Characters without which a mapping key cannot hold a credential (``password:x``,
#: ``a=b``, ``user@host``, a mapping written as a key): documents whose keys have none are
#: not searched key by key (see kubelint.secrets.key_credential).
UNUSUAL_KEY_CHARS = ":=@{[ "
UNUSUAL_KEY = re.compile(f"[{re.escape(UNUSUAL_KEY_CHARS)}]")

#: Collections nested deeper than this are refused, on both read paths: real manifests
#: nest fewer than 30 levels, and the validators and checks after the loader recurse over
#: the data.
MAX_DEPTH = 128

#: The first characters of the plain scalars :func:`number_tag` is asked about.
NUMBER_STARTS = "0123456789+-."


def plain_number(text: str) -> Any:
    """The value of a plain scalar that starts like a number (and is no word of
    :data:`PLAIN_TAGS`): an int, a float, or ``text`` itself (the same object)."""
    tag = number_tag(text)
    if tag == INT:
        return to_int(text)
    if tag == FLOAT:
        return to_float(text)
    return text


def is_text(text: str) -> bool:
    """Whether a plain scalar that starts like a number is typed as a string."""
    return number_tag(text) == STR


#: What a merge key (``<<``) is in :data:`WORDS`.
MERGE_KEY = object()


def _word_value(text: str, tag: str) -> Any:
    if tag == NULL:
        return None
    if tag == BOOL:
        return text in TRUE
    if tag == FLOAT:
        return to_float(text)
    return MERGE_KEY


#: Each word of :data:`PLAIN_TAGS` with its value, for the compiled reader.
WORDS: dict[str, Any] = {text: _word_value(text, tag) for text, tag in PLAIN_TAGS.items()}
