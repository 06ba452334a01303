"""What the Kubernetes CEL library modules share: how a function is declared, how a
Kubernetes value type (Quantity, URL, IP, CIDR, Semver) is carried, and CEL equality.

The engine has no opaque types, so a Kubernetes value travels through an expression as a
map tagged with :data:`TAG`. The map holds a canonical form only, so that CEL's ``==`` on
two such maps agrees with the API server's equality of the values. The tag is internal:
policies never see it unless they print the value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: The key naming the Kubernetes type of a tagged map.
TAG = "__kubelint_type__"

#: The most and least an int64 holds (CEL ``int``).
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


@dataclass(frozen=True)
class Function:
    """One overload of a library function, declared without the engine's types.

    ``params`` and ``result`` name CEL types: ``dyn``, ``bool``, ``int``, ``double``,
    ``string``, ``list`` (of dyn) or ``map`` (string to dyn). A member function's first
    parameter is its receiver.
    """

    name: str
    overload: str
    result: str
    params: tuple[str, ...]
    impl: Callable[..., Any]
    member: bool = False


class NoOverload(TypeError):
    """A call whose arguments are not of a type the function accepts (as cel-go's
    "no such overload")."""

    def __init__(self, function: str, *args: Any) -> None:
        kinds = ", ".join(kind_of(a) for a in args)
        super().__init__(f"no such overload: {function}({kinds})")


def tagged(kind: str, **fields: Any) -> dict[str, Any]:
    """A Kubernetes value of type ``kind`` carried as a map."""
    return {TAG: kind, **fields}


def kind_of(value: Any) -> str:
    """The Kubernetes type of a tagged map, else the plain CEL type name."""
    if isinstance(value, Mapping) and isinstance(value.get(TAG), str):
        return str(value[TAG])
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, Mapping):
        return "map"
    return "null" if value is None else type(value).__name__


def expect(value: Any, kind: str, function: str) -> Mapping[str, Any]:
    """``value`` as a tagged map of ``kind``; anything else is a no-overload error."""
    if kind_of(value) != kind:
        raise NoOverload(function, value)
    result: Mapping[str, Any] = value
    return result


def is_number(value: Any) -> bool:
    """CEL int, uint or double (a bool is none of them, unlike in Python)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def cel_equal(left: Any, right: Any) -> bool:
    """CEL equality: numbers compare by value across int and double, a bool equals
    only a bool, lists and maps compare element by element."""
    if is_number(left) and is_number(right):
        return not (isinstance(left, float) and math.isnan(left)) and left == right
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(cel_equal, left, right))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(cel_equal(v, right[k]) for k, v in left.items())
    if type(left) is not type(right):
        return False
    return bool(left == right)


def check_int64(value: int, what: str) -> int:
    """``value`` if an int64 holds it; CEL reports an overflow otherwise."""
    if not INT64_MIN <= value <= INT64_MAX:
        raise OverflowError(f"{what}: integer overflow")
    return value
