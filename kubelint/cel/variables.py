"""A policy's ``variables``, written into the expressions that use them.

The API server evaluates a policy's variables lazily: a variable is computed when an
expression first reads ``variables.<name>``, and an error in it fails only the expressions
that read it. kubelint gets the same result by writing each variable's expression, in
parentheses, where ``variables.<name>`` stands (after inlining the variables it uses in
turn). The value never leaves the engine, so a variable may hold what has no plain Python
form (a duration, a timestamp, an optional), and a variable nothing reads is never
evaluated. Text inside string literals is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: A string literal (any quoting CEL allows) or a variable reference.
_TOKEN = re.compile(
    r"""(?P<string>[rRbB]{0,2}(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\""""
    r"""|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"))"""
    r"""|(?<![\w.])variables\s*\.\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\b"""
)

#: Inlined text beyond this is refused (variables that use each other many times over).
MAX_TEXT = 100_000


class TooLarge(ValueError):
    """Inlining the variables would make the expression larger than :data:`MAX_TEXT`."""


def inline(source: str, definitions: Mapping[str, str]) -> str:
    """``source`` with every ``variables.<name>`` of ``definitions`` replaced by that
    variable's (already inlined) expression in parentheses; other names are left as
    they are (the engine then reports them missing)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name is None or name not in definitions:
            return match.group(0)
        return f"({definitions[name]})"

    text = _TOKEN.sub(replace, source)
    if len(text) > MAX_TEXT:
        raise TooLarge(f"the variables it uses expand to more than {MAX_TEXT:,} characters")
    return text


def define(entries: list[tuple[str, str]]) -> dict[str, str]:
    """The inlined expression of each variable, in order: a variable may use those
    defined before it. A variable too large to inline is left out (reading it fails)."""
    defined: dict[str, str] = {}
    for name, expression in entries:
        try:
            defined[name] = inline(expression, defined)
        except TooLarge:
            continue
    return defined
