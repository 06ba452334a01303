"""The Kubernetes CEL libraries, as the API server declares them for admission policies
and CRD validation rules: sets, lists, regex, URLs, quantity, IP and CIDR, semver, and the
authorizer (declared, never answered offline).

Each library lives in a ``lib_*`` module as plain Python functions with a declaration
table; this module turns the tables into one engine extension. A Kubernetes value type
travels as a tagged map (see :mod:`kubelint.cel.lib_common`). Functions that several
types share (``isGreaterThan``, ``isLessThan``, ``compareTo`` for Quantity and Semver)
dispatch here on the receiver's type.

``'...'.format([...])`` comes from the engine's string extension, not from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kubelint.cel import (
    lib_authz,
    lib_kyverno,
    lib_lists,
    lib_net,
    lib_quantity,
    lib_regex,
    lib_semver,
    lib_urls,
)
from kubelint.cel.lib_common import Function, NoOverload, kind_of

#: What to bind the ``authorizer`` variable to when a policy's environment has one.
authorizer_value = lib_authz.authorizer_value

_COMPARERS: dict[str, Callable[[Any, Any], int]] = {
    "quantity": lib_quantity.compare,
    "semver": lib_semver.compare,
}


def compare_to(value: Any, other: Any) -> int:
    """``compareTo`` of two Quantities or two Semvers: -1, 0 or 1."""
    kind = kind_of(value)
    if kind not in _COMPARERS or kind_of(other) != kind:
        raise NoOverload("compareTo", value, other)
    return _COMPARERS[kind](value, other)


def is_greater_than(value: Any, other: Any) -> bool:
    """``isGreaterThan`` of two Quantities or two Semvers."""
    return compare_to(value, other) > 0


def is_less_than(value: Any, other: Any) -> bool:
    """``isLessThan`` of two Quantities or two Semvers."""
    return compare_to(value, other) < 0


_SHARED = (
    Function("compareTo", "compare_to", "int", ("dyn", "dyn"), compare_to, member=True),
    Function("isGreaterThan", "is_greater_than", "bool", ("dyn", "dyn"), is_greater_than, True),
    Function("isLessThan", "is_less_than", "bool", ("dyn", "dyn"), is_less_than, member=True),
)

#: Every function kubelint declares, library by library.
FUNCTIONS: tuple[Function, ...] = (
    *lib_lists.FUNCTIONS,
    *lib_regex.FUNCTIONS,
    *lib_urls.FUNCTIONS,
    *lib_quantity.FUNCTIONS,
    *lib_net.FUNCTIONS,
    *lib_semver.FUNCTIONS,
    *lib_authz.FUNCTIONS,
    *_SHARED,
)


def _type(cel: Any, name: str) -> Any:
    types = {
        "dyn": cel.Type.DYN,
        "bool": cel.Type.BOOL,
        "int": cel.Type.INT,
        "double": cel.Type.DOUBLE,
        "string": cel.Type.STRING,
        "list": cel.Type.List(cel.Type.DYN),
        "map": cel.Type.Map(cel.Type.STRING, cel.Type.DYN),
    }
    return types[name]


def _declarations(cel: Any, functions: Iterable[Function]) -> list[Any]:
    by_name: dict[str, list[Any]] = {}
    for fn in functions:
        overload = cel.Overload(
            fn.overload,
            _type(cel, fn.result),
            [_type(cel, p) for p in fn.params],
            is_member=fn.member,
            impl=fn.impl,
        )
        by_name.setdefault(fn.name, []).append(overload)
    return [cel.FunctionDecl(name, overloads) for name, overloads in by_name.items()]


#: Library sets an environment may add to the Kubernetes one, by name.
EXTRA: dict[str, tuple[Function, ...]] = {"kyverno": lib_kyverno.FUNCTIONS}


def extensions(cel: Any, extra: Iterable[str] = ()) -> list[Any]:
    """The engine extensions (``cel.CelExtension``) that declare the Kubernetes libraries,
    and the ``extra`` sets (``kyverno``) for policies of other engines."""
    found = [cel.CelExtension("kubelint.kubernetes", _declarations(cel, FUNCTIONS))]
    for name in extra:
        found.append(cel.CelExtension(f"kubelint.{name}", _declarations(cel, EXTRA[name])))
    return found
