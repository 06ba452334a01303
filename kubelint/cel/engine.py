"""Compile CEL once, evaluate it many times, and never let an error escape as a crash.

The runtime is ``cel-expr-python`` (Google's cel-cpp): chosen by measurement against
``common-expression-language`` and ``cel-python`` (docs/policies.md has the figures). It
has the optional types (``.?``, ``orValue``), the string extensions, heterogeneous equality
and errors as values that Kubernetes policies rely on, a type checker that names the line
and column of a mistake, and a fixed iteration budget per evaluation (a runaway expression
ends with an error, not a hang). Where no wheel exists (Python 3.10) kubelint installs
without it and :func:`available` says so.

Evaluation results are plain Python data; an error (no such key, a type error, a function
that cannot be answered offline) is an :class:`EvalError` value, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

#: What an unavailable function raises inside the engine; its message starts with this,
#: so that the error value it becomes can be told from an ordinary evaluation error.
UNAVAILABLE_MARK = "kubelint-unavailable: "

_POSITION = re.compile(r"<input>:(\d+):(\d+): ([^\n]*)")


class Unavailable(Exception):
    """Raised by a library function that cannot be answered offline (``authorizer``...)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{UNAVAILABLE_MARK}{what}")


class EngineMissing(Exception):
    """The CEL runtime is not installed (no wheel for this platform)."""


@dataclass(frozen=True)
class CompileError(Exception):
    """An expression that does not compile: the first problem, 1-based position in the
    expression (0 when the runtime gave none). ``undeclared`` is set when the expression
    names a function or variable this environment does not have (a library kubelint does
    not provide offline, or a typo)."""

    message: str
    line: int
    column: int
    undeclared: bool = False

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class EvalError:
    """An evaluation that ended in an error, as a value. ``unavailable`` names what cannot
    be answered offline (``authorizer``...) when that is the cause."""

    message: str
    unavailable: str | None = None


def available() -> bool:
    """Whether the CEL runtime can be imported here."""
    try:
        _runtime()
    except EngineMissing:
        return False
    return True


@cache
def _runtime() -> Any:
    try:
        from cel_expr_python import cel
    except ImportError as exc:  # no wheel for this platform: policies are not evaluable
        raise EngineMissing(
            "the CEL engine (cel-expr-python) is not installed: it has no wheel for this "
            "Python or platform"
        ) from exc
    return cel


@cache
def _environment(variables: tuple[str, ...], libraries: tuple[str, ...] = ()) -> Any:
    cel = _runtime()
    from cel_expr_python.ext import (
        ext_bindings,
        ext_encoders,
        ext_math,
        ext_optional,
        ext_strings,
    )

    from kubelint.cel.library import extensions

    return cel.NewEnv(
        variables=dict.fromkeys(variables, cel.Type.DYN),
        extensions=[
            ext_strings.ExtStrings(),
            ext_optional.ExtOptional(),
            ext_math.ExtMath(),
            ext_encoders.ExtEncoders(),
            ext_bindings.ExtBindings(),
            *extensions(cel, libraries),
        ],
    )


class Program:
    """A compiled expression, evaluated against plain data."""

    __slots__ = ("_expression", "source")

    def __init__(self, source: str, expression: Any) -> None:
        self.source = source
        self._expression = expression

    def evaluate(self, activation: Mapping[str, Any]) -> Any:
        """The expression's value (plain Python data) or an :class:`EvalError`."""
        cel = _runtime()
        try:
            value = self._expression.eval(data=dict(activation))
        except RuntimeError as exc:  # the iteration budget, or a value it cannot convert
            return EvalError(_first_line(str(exc)))
        try:
            if value.type() == cel.Type.ERROR:
                return _error(str(value.value()))
            plain = value.plain_value()
            if plain is None or isinstance(plain, _PLAIN):
                return plain
        except (AssertionError, RuntimeError, TypeError, ValueError):
            # An optional or another value without a Python form: never a crash.
            pass
        return EvalError("the result has no plain value (an optional or a type value)")


_PLAIN = (bool, int, float, str, bytes, list, dict)


def _error(text: str) -> EvalError:
    index = text.find(UNAVAILABLE_MARK)
    if index != -1:
        what = text[index + len(UNAVAILABLE_MARK) :].splitlines()[0].strip()
        return EvalError(f"{what} cannot be evaluated offline", unavailable=what)
    return EvalError(_first_line(text))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "evaluation error"


@cache
def compile_expression(
    source: str, variables: Sequence[str], libraries: tuple[str, ...] = ()
) -> Program:
    """Compile ``source`` for an environment declaring ``variables`` (each of any type)
    and the Kubernetes libraries, plus the ``libraries`` sets of another engine
    (``kyverno``), once per run and expression (cached).

    A type-check error other than an undeclared name is retried without the checker:
    Kubernetes compares numbers across types (``1 < 1.5``), which the checker refuses but
    the runtime evaluates as Kubernetes does. Raises :class:`CompileError` or
    :class:`EngineMissing`.
    """
    environment = _environment(tuple(variables), libraries)
    try:
        return Program(source, environment.compile(source))
    except RuntimeError as exc:
        problem = _problem(str(exc))
    if problem.undeclared or "Syntax error" in problem.message:
        raise problem
    try:
        return Program(source, environment.compile(source, disable_check=True))
    except RuntimeError:
        raise problem from None


def _problem(text: str) -> CompileError:
    found = _POSITION.findall(text)
    if not found:
        return CompileError(_first_line(text), 0, 0)
    line, column, message = found[0]
    undeclared = any("undeclared reference" in m for _, _, m in found)
    return CompileError(message.strip(), int(line), max(int(column), 1), undeclared)
