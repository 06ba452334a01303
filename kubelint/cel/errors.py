"""What went wrong in an evaluation, in words that never quote the input.

The engine's error text may quote the manifest (a value that does not convert, a pattern,
the object itself): findings name the cause with a fixed phrase instead. A missing field is
named only when the expression itself names it.
"""

from __future__ import annotations

import re

from kubelint.cel.engine import EvalError

#: Causes of an evaluation error, told from the engine's text by a fragment of it; the
#: first that matches names the cause (the text itself may quote the manifest's values).
CAUSES = (
    ("Index error", "a list index is out of range"),
    ("No matching overload", "a value has another type than the expression expects"),
    ("SELECT to non-message", "it reads a field of a value that is not a mapping"),
    ("Iteration budget", "it exceeds the evaluation budget"),
    ("divide by zero", "it divides by zero"),
    ("modulus by zero", "it divides by zero"),
    ("overflow", "a number overflows"),
    ("regular expression", "a regular expression is invalid"),
    ("Non-CEL value", "the manifest holds a value CEL cannot represent"),
    ("out of range", "a value is out of range"),
    ("INVALID_ARGUMENT", "a value cannot be converted or parsed"),
    ("OUT_OF_RANGE", "a value is out of range"),
)
MISSING_KEY = re.compile(r'Key not found in map : "([^"\n]*)"')


def cause(error: EvalError, expression: str) -> str:
    """The cause of an evaluation error in a fixed phrase (a missing field is named when
    the expression itself names it)."""
    if error.unavailable is not None:
        return f"{error.unavailable} cannot be evaluated offline"
    missing = MISSING_KEY.search(error.message)
    if missing is not None:
        key = missing.group(1)
        named = re.search(rf"(?<![\w$]){re.escape(key)}(?![\w$])", expression) if key else None
        return f"the manifest has no field '{key}'" if named else "a field it reads is missing"
    for fragment, phrase in CAUSES:
        if fragment in error.message:
            return phrase
    return "the engine reports an error"
