"""Kubernetes' ``sets`` and ``lists`` CEL libraries.

sets (k8s.io/apiserver/pkg/cel/library, "Kubernetes Sets library"):
``sets.contains(a, b)`` (every element of ``b`` is in ``a``), ``sets.equivalent(a, b)``
(each contains the other; duplicates and order do not matter), ``sets.intersects(a, b)``
(at least one element in common). Membership is CEL equality (``1 == 1.0``).

lists ("Kubernetes list library"): ``<list>.isSorted()``, ``.sum()``, ``.min()``,
``.max()``, ``.indexOf(x)``, ``.lastIndexOf(x)`` (``-1`` when absent). ``min`` and ``max``
of an empty list are errors; ``sum`` of an empty list is ``0``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from kubelint.cel.lib_common import Function, NoOverload, cel_equal, check_int64, is_number


def _contains(haystack: Sequence[Any], needle: Any) -> bool:
    return any(cel_equal(item, needle) for item in haystack)


def sets_contains(first: Sequence[Any], second: Sequence[Any]) -> bool:
    """Every element of ``second`` is an element of ``first``."""
    return all(_contains(first, item) for item in second)


def sets_equivalent(first: Sequence[Any], second: Sequence[Any]) -> bool:
    """``first`` and ``second`` hold the same elements, duplicates aside."""
    return sets_contains(first, second) and sets_contains(second, first)


def sets_intersects(first: Sequence[Any], second: Sequence[Any]) -> bool:
    """``first`` and ``second`` have an element in common."""
    return any(_contains(first, item) for item in second)


def _order_class(value: Any) -> str:
    """Values of one class compare with each other (CEL orders int and double together)."""
    if is_number(value):
        return "number"
    for kind in (bool, str, bytes, datetime.datetime, datetime.timedelta):
        if isinstance(value, kind):
            return kind.__name__
    raise NoOverload("compare", value)


def _comparable(items: Sequence[Any], function: str) -> list[Any]:
    classes = {_order_class(item) for item in items}
    if len(classes) > 1:
        raise NoOverload(function, *items)
    return list(items)


def is_sorted(items: Sequence[Any]) -> bool:
    """Each element is at most the next one."""
    values = _comparable(items, "isSorted")
    return all(a <= b for a, b in pairwise(values))


def list_sum(items: Sequence[Any]) -> Any:
    """The sum of numbers or durations; 0 for an empty list."""
    if not items:
        return 0
    if all(isinstance(i, datetime.timedelta) for i in items):
        return sum(items, datetime.timedelta())
    if not all(is_number(i) for i in items):
        raise NoOverload("sum", *items)
    total = sum(items)
    if isinstance(total, int):
        check_int64(total, "sum")
    return total


def list_min(items: Sequence[Any]) -> Any:
    """The least element; an error for an empty list."""
    if not items:
        raise ValueError("min called on empty list")
    return min(_comparable(items, "min"))


def list_max(items: Sequence[Any]) -> Any:
    """The greatest element; an error for an empty list."""
    if not items:
        raise ValueError("max called on empty list")
    return max(_comparable(items, "max"))


def index_of(items: Sequence[Any], value: Any) -> int:
    """The first index of ``value``, or -1."""
    return next((i for i, item in enumerate(items) if cel_equal(item, value)), -1)


def last_index_of(items: Sequence[Any], value: Any) -> int:
    """The last index of ``value``, or -1."""
    found = [i for i, item in enumerate(items) if cel_equal(item, value)]
    return found[-1] if found else -1


FUNCTIONS = (
    Function("sets.contains", "sets_contains", "bool", ("list", "list"), sets_contains),
    Function("sets.equivalent", "sets_equivalent", "bool", ("list", "list"), sets_equivalent),
    Function("sets.intersects", "sets_intersects", "bool", ("list", "list"), sets_intersects),
    Function("isSorted", "list_is_sorted", "bool", ("list",), is_sorted, member=True),
    Function("sum", "list_sum", "dyn", ("list",), list_sum, member=True),
    Function("min", "list_min", "dyn", ("list",), list_min, member=True),
    Function("max", "list_max", "dyn", ("list",), list_max, member=True),
    Function("indexOf", "list_index_of", "int", ("list", "dyn"), index_of, member=True),
    Function("lastIndexOf", "list_last_index_of", "int", ("list", "dyn"), last_index_of, True),
)
