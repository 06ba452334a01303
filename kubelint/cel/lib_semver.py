"""Kubernetes' ``semver`` CEL library: ``semver(s)``, ``semver(s, normalize)``,
``isSemver(s)``, ``isSemver(s, normalize)`` and, on a Semver, ``major()``, ``minor()``,
``patch()``, ``isGreaterThan(v)``, ``isLessThan(v)``, ``compareTo(v)``.

Strict Semantic Versioning 2.0.0 as the API server parses it: ``MAJOR.MINOR.PATCH``
without leading zeros, an optional ``-pre.release`` (numeric identifiers without leading
zeros) and ``+build`` metadata, which ordering and equality ignore. With ``normalize``, a
leading ``v`` is dropped, missing minor and patch become ``0`` and leading zeros of the
three numbers are removed before parsing (``v1.02`` is ``1.2.0``).
"""

from __future__ import annotations

import re
from typing import Any

from kubelint.cel.lib_common import Function, expect, tagged

_NUMBER = re.compile(r"0|[1-9][0-9]*")
_IDENTIFIER = re.compile(r"[0-9A-Za-z-]+")


def _check_identifiers(text: str, what: str, numeric_rule: bool) -> None:
    for part in text.split("."):
        if not _IDENTIFIER.fullmatch(part):
            raise ValueError(f"invalid {what} identifier {part!r}")
        if numeric_rule and part.isdigit() and not _NUMBER.fullmatch(part):
            raise ValueError(f"{what} number must not have leading zeros: {part!r}")


def parse(text: str) -> tuple[int, int, int, str]:
    """(major, minor, patch, prerelease) of a strict semantic version."""
    if not text:
        raise ValueError("Version string empty")
    parts = text.split(".", 2)
    if len(parts) != 3:
        raise ValueError("No Major.Minor.Patch elements found")
    rest, _, build = parts[2].partition("+")
    patch, dash, prerelease = rest.partition("-")
    numbers = (parts[0], parts[1], patch)
    for number in numbers:
        if not _NUMBER.fullmatch(number):
            raise ValueError(f"invalid version number {number!r}")
    if dash:
        _check_identifiers(prerelease, "prerelease", numeric_rule=True)
    if "+" in parts[2]:
        _check_identifiers(build, "build", numeric_rule=False)
    major, minor, patch_number = (int(n) for n in numbers)
    return major, minor, patch_number, prerelease


def _normalized(text: str) -> str:
    text = text.removeprefix("v")
    core, dash, tail = text.partition("-")
    numbers = core.split(".")
    numbers += ["0"] * (3 - len(numbers))
    return ".".join(n.lstrip("0") or "0" for n in numbers) + dash + tail


def semver(text: str, normalize: bool = False) -> dict[str, Any]:
    """A Semver value; an error when ``text`` is not a semantic version."""
    major, minor, patch, prerelease = parse(_normalized(text) if normalize else text)
    version = f"{major}.{minor}.{patch}" + (f"-{prerelease}" if prerelease else "")
    return tagged("semver", version=version)


def is_semver(text: str, normalize: bool = False) -> bool:
    """Whether :func:`semver` accepts ``text``."""
    try:
        semver(text, normalize)
    except ValueError:
        return False
    return True


def _read(value: Any, function: str) -> tuple[int, int, int, str]:
    return parse(str(expect(value, "semver", function)["version"]))


def major(value: Any) -> int:
    """The major version."""
    return _read(value, "major")[0]


def minor(value: Any) -> int:
    """The minor version."""
    return _read(value, "minor")[1]


def patch(value: Any) -> int:
    """The patch version."""
    return _read(value, "patch")[2]


def _identifier_key(part: str) -> tuple[int, int, str]:
    # Numeric identifiers sort before alphanumeric ones, and numerically.
    return (0, int(part), "") if part.isdigit() else (1, 0, part)


def _precedence(version: tuple[int, int, int, str]) -> tuple[Any, ...]:
    major_, minor_, patch_, prerelease = version
    if not prerelease:  # a release sorts after each of its prereleases
        return (major_, minor_, patch_, 1, ())
    keys = tuple(_identifier_key(p) for p in prerelease.split("."))
    return (major_, minor_, patch_, 0, keys)


def compare(value: Any, other: Any) -> int:
    """-1, 0 or 1 by Semantic Versioning precedence."""
    left = _precedence(_read(value, "compareTo"))
    right = _precedence(_read(other, "compareTo"))
    return (left > right) - (left < right)


def _member(name: str, impl: Any) -> Function:
    return Function(name, f"semver_{name}", "int", ("dyn",), impl, member=True)


FUNCTIONS = (
    Function("semver", "string_to_semver", "dyn", ("string",), semver),
    Function("semver", "string_bool_to_semver", "dyn", ("string", "bool"), semver),
    Function("isSemver", "is_semver", "bool", ("string",), is_semver),
    Function("isSemver", "is_semver_normalize", "bool", ("string", "bool"), is_semver),
    _member("major", major),
    _member("minor", minor),
    _member("patch", patch),
)
