"""Kubernetes' ``quantity`` CEL library, exact: ``quantity(s)``, ``isQuantity(s)`` and, on
a Quantity, ``isInteger()``, ``asInteger()``, ``asApproximateFloat()``, ``sign()``,
``add(q|int)``, ``sub(q|int)``, ``isGreaterThan(q)``, ``isLessThan(q)``, ``compareTo(q)``.

Parsing follows the Quantity grammar of k8s.io/apimachinery (resource.Quantity): an
optionally signed decimal number (``1``, ``1.5``, ``.5``, ``1.``), then a binary suffix
(``Ki`` .. ``Ei``), a decimal one (``n u m k M G T P E``, or none) or an exponent
(``e3``, ``E-2``). As the API server does, a value finer than a nano is rounded away from
zero to the next nano, and a binary quantity is capped at 2^63-1. Values are integers
of nanos, so comparison and arithmetic are exact.

``isInteger()`` follows the API server, not arithmetic: it is true only when the parsed
value is held in Kubernetes' int64 form at a whole scale (``'50k'``, ``'3'``), so
``'1000m'``, ``'1.0'`` and ``'1.5Gi'`` are not integers there, and neither is any result
of arithmetic with them. That form is kept in the ``whole`` field, as ``0`` (whole) or
``0.0`` (not): CEL compares ``0 == 0.0`` as equal, so two quantities of the same value
are still ``==`` whatever their form.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

from kubelint.cel.lib_common import (
    INT64_MAX,
    Function,
    NoOverload,
    expect,
    kind_of,
    tagged,
)

NANO = 10**9
_FORMAT = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*(?:[+-]?[0-9]+)?)")
_DECIMAL = {"": 0, "n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_INT32_MAX = 2**31 - 1
#: kubelint's own bound: a quantity beyond 10^1000 is refused rather than computed.
_MAX_EXPONENT = 1000
_FORMAT_ERROR = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)


def _suffix(suffix: str) -> tuple[int, int]:
    """(base, exponent) of a suffix, as resource.Quantity interprets it."""
    if suffix in _DECIMAL:
        return 10, _DECIMAL[suffix]
    if suffix in _BINARY:
        return 2, _BINARY[suffix]
    if len(suffix) > 1 and suffix[0] in "eE" and re.fullmatch(r"[+-]?[0-9]+", suffix[1:]):
        exponent = int(suffix[1:])
        if abs(exponent) <= _INT32_MAX:
            return 10, exponent
    raise ValueError("unable to parse quantity's suffix")


def parse(text: str) -> tuple[int, bool]:
    """(nanos, whole) of a quantity string; ``ValueError`` with the API server's message."""
    match = _FORMAT.fullmatch(text)
    if not text or not match:
        raise ValueError(_FORMAT_ERROR)
    sign, whole_digits, fraction, suffix = match.groups()
    num, denom = whole_digits.lstrip("0") or "0", fraction or ""
    base, exponent = _suffix(suffix)
    negative, digits = sign == "-", (num + denom).lstrip("0")
    if digits and base == 10:
        scale = exponent - len(denom)
        if scale + len(digits) < -9:  # below a nano: rounds up to one
            return (-1 if negative else 1), False
        if scale + len(digits) > _MAX_EXPONENT:
            raise ValueError("kubelint does not evaluate quantities beyond 1e1000")
    fast = _fast_form(num, denom, base, exponent)
    if fast is not None:
        nanos, whole = fast
        return (-nanos if negative else nanos), whole
    amount = Fraction(int(num + denom), 10 ** len(denom))
    amount *= Fraction(base) ** exponent
    nanos = math.ceil(amount * NANO)  # rounded away from zero, as the magnitude is positive
    if base == 2:
        nanos = min(nanos, INT64_MAX * NANO)
    return (-nanos if negative else nanos), False


def _fast_form(num: str, denom: str, base: int, exponent: int) -> tuple[int, bool] | None:
    """(nanos, whole) when resource.Quantity keeps the value in its int64 form, else None."""
    if base == 10:
        scale = exponent - len(denom)
        if 18 - len(num) - len(denom) < 0 or scale < -9:
            return None
        value = int(num + denom)
        return value * 10 ** (scale + 9), scale >= 0
    if denom:
        return None
    precision = 15 - len(num) - int(exponent * 3 / 10) - 1
    value = int(num) << exponent
    if precision < 0 or value > INT64_MAX:
        return None
    return value * NANO, True


def _make(nanos: int, whole: bool) -> dict[str, Any]:
    return tagged("quantity", nanos=str(nanos), whole=0 if whole else 0.0)


def _read(value: Any, function: str) -> tuple[int, bool]:
    q = expect(value, "quantity", function)
    return int(q["nanos"]), isinstance(q["whole"], int)


def quantity(text: str) -> dict[str, Any]:
    """A Quantity from its string form; an error when the string is not one."""
    return _make(*parse(text))


def is_quantity(text: str) -> bool:
    """Whether :func:`quantity` accepts ``text``."""
    try:
        parse(text)
    except ValueError:
        return False
    return True


def _as_int64(value: Any, function: str) -> int | None:
    nanos, whole = _read(value, function)
    units = nanos // NANO
    if not whole or nanos % NANO or not -INT64_MAX - 1 <= units <= INT64_MAX:
        return None
    return units


def is_integer(value: Any) -> bool:
    """Whether :func:`as_integer` succeeds (see the module doc on the int64 form)."""
    return _as_int64(value, "isInteger") is not None


def as_integer(value: Any) -> int:
    """The value as an int; an error when it is not held as one (overflow, fraction)."""
    result = _as_int64(value, "asInteger")
    if result is None:
        raise ValueError("cannot convert value to integer")
    return result


def as_approximate_float(value: Any) -> float:
    """The value as a double; +-Inf beyond a double's range."""
    nanos, _ = _read(value, "asApproximateFloat")
    try:
        return float(Fraction(nanos, NANO))
    except OverflowError:
        return math.copysign(math.inf, nanos)


def sign(value: Any) -> int:
    """1, 0 or -1."""
    nanos, _ = _read(value, "sign")
    return (nanos > 0) - (nanos < 0)


def _operand(value: Any, function: str) -> tuple[int, bool]:
    if kind_of(value) == "int":
        return int(value) * NANO, True  # an int joins as a whole int64 quantity
    if kind_of(value) != "quantity":
        raise NoOverload(function, value)
    return _read(value, function)


def _combine(left: tuple[int, bool], right: tuple[int, bool], total: int) -> dict[str, Any]:
    """The result of adding ``right`` (already negated for sub) to ``left``.

    Adding zero keeps the other operand's form; the int64 form survives only while both
    operands have it and nothing overflows (the API server falls back to a decimal then).
    """
    if right[0] == 0:
        return _make(total, left[1])
    if left[0] == 0:
        return _make(total, right[1])
    fits = all(abs(n) // NANO <= INT64_MAX for n in (left[0], right[0], total))
    return _make(total, left[1] and right[1] and fits)


def add(value: Any, other: Any) -> dict[str, Any]:
    """The sum of a quantity and a quantity or an int."""
    left, right = _read(value, "add"), _operand(other, "add")
    return _combine(left, right, left[0] + right[0])


def sub(value: Any, other: Any) -> dict[str, Any]:
    """The difference of a quantity and a quantity or an int."""
    left, right = _read(value, "sub"), _operand(other, "sub")
    return _combine(left, (-right[0], right[1]), left[0] - right[0])


def compare(value: Any, other: Any) -> int:
    """-1, 0 or 1 as ``value`` is less than, equal to or greater than ``other``."""
    left, _ = _read(value, "compareTo")
    right, _ = _read(other, "compareTo")
    return (left > right) - (left < right)


FUNCTIONS = (
    Function("quantity", "string_to_quantity", "dyn", ("string",), quantity),
    Function("isQuantity", "is_quantity_string", "bool", ("string",), is_quantity),
    Function("isInteger", "quantity_is_integer", "bool", ("dyn",), is_integer, member=True),
    Function("asInteger", "quantity_get_int", "int", ("dyn",), as_integer, member=True),
    Function(
        "asApproximateFloat", "quantity_get_float", "double", ("dyn",), as_approximate_float, True
    ),
    Function("sign", "quantity_sign_member", "int", ("dyn",), sign, member=True),
    Function("sign", "quantity_sign", "int", ("dyn",), sign),
    Function("add", "quantity_add", "dyn", ("dyn", "dyn"), add, member=True),
    Function("sub", "quantity_sub", "dyn", ("dyn", "dyn"), sub, member=True),
)
