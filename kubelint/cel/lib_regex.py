"""Kubernetes' ``regex`` CEL library: ``<string>.find(re)`` (the first match, ``''`` when
none), ``<string>.findAll(re)`` and ``.findAll(re, limit)`` (every match, at most ``limit``
when it is not negative; ``0`` gives an empty list).

Kubernetes runs RE2 (Go's ``regexp``); kubelint runs Python's ``re`` after bringing a
pattern to RE2's meaning: ``\\d``, ``\\w``, ``\\s`` are ASCII, ``$`` without the ``m`` flag
is the end of the text, ``\\z`` is ``\\Z``, ``(?<name>`` is ``(?P<name>``, and POSIX classes
such as ``[[:alpha:]]`` are spelt out. What RE2 refuses (look-around, back-references,
possessive repeats) is refused here too, and so is a repeat of a group that itself repeats
(``(a+)+``): RE2 runs it in linear time, Python's backtracking may not finish.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kubelint.cel.lib_common import Function

_POSIX = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "lower": "a-z",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}
_UNSUPPORTED = re.compile(r"\(\?(?:[=!>]|<[=!])|\\[1-9]|[*+?}][+]")
_NESTED_REPEAT = re.compile(
    r"\((?:[^()\\]|\\.)*(?:[*+]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[*+]|\{\d+,)"
)


def _translate(pattern: str) -> str:
    """The Python spelling of an RE2 pattern (see the module doc)."""
    multiline = re.search(r"\(\?[a-zA-Z]*m", pattern) is not None
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            if pair == "\\Z":
                raise ValueError("error parsing regexp: invalid escape sequence: `\\Z`")
            out.append("\\Z" if pair == "\\z" else pair)
            i += 2
            continue
        if in_class and pattern.startswith("[:", i):
            end = pattern.find(":]", i + 2)
            name = pattern[i + 2 : end] if end != -1 else ""
            if name in _POSIX:
                out.append(_POSIX[name])
                i = end + 2
                continue
        if char == "[" and not in_class:
            in_class = True
            if pattern.startswith("[^]", i) or pattern.startswith("[]", i):
                step = 3 if pattern[i + 1] == "^" else 2
                out.append(pattern[i : i + step])
                i += step
                continue
        elif char == "]" and in_class:
            in_class = False
        elif char == "$" and not in_class and not multiline:
            char = "\\Z"
        elif pattern.startswith("(?<", i) and pattern[i + 3 : i + 4].isalpha():
            char = "(?P"  # then "<name>" as written
            i += 1
        out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def compile_re2(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled with RE2's meaning, or a ``ValueError`` naming the problem."""
    if _UNSUPPORTED.search(pattern):
        raise ValueError(f"error parsing regexp: RE2 does not support this syntax: {pattern!r}")
    if _NESTED_REPEAT.search(pattern):
        raise ValueError(
            f"kubelint does not run the nested repetition in {pattern!r}: it could backtrack "
            "without end (the API server's RE2 does not backtrack)"
        )
    try:
        return re.compile(_translate(pattern), re.ASCII)
    except re.error as exc:
        raise ValueError(f"error parsing regexp: {exc}") from None


def find(text: str, pattern: str) -> str:
    """The first match of ``pattern`` in ``text``, or ``''``."""
    match = compile_re2(pattern).search(text)
    return match.group(0) if match else ""


def find_all(text: str, pattern: str, limit: int = -1) -> list[str]:
    """Every match, left to right, at most ``limit`` of them when ``limit`` >= 0.

    As in Go, an empty match right where the previous match ended is not a match.
    """
    found: list[str] = []
    previous_end = -1
    for match in compile_re2(pattern).finditer(text):
        if limit >= 0 and len(found) >= limit:
            break
        if match.start() == match.end() == previous_end:
            continue
        found.append(match.group(0))
        previous_end = match.end()
    return found


FUNCTIONS = (
    Function("find", "string_find", "string", ("string", "string"), find, member=True),
    Function("findAll", "string_find_all", "list", ("string", "string"), find_all, member=True),
    Function(
        "findAll", "string_find_all_n", "list", ("string", "string", "int"), find_all, member=True
    ),
)
