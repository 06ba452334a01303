"""Policy variables written into the expressions that read them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.cel.engine import EvalError, compile_expression
from kubelint.cel.variables import MAX_TEXT, TooLarge, define, inline

VARS = ("object", "variables")


def test_variables_are_inlined_in_order_and_read_like_values() -> None:
    defined = define([("hours", "4380"), ("age", "duration(string(variables.hours) + 'h')")])
    assert defined["age"] == "duration(string((4380)) + 'h')"
    # A duration has no plain Python form: it stays inside the engine.
    source = inline("variables.age > duration('1h')", defined)
    assert compile_expression(source, VARS).evaluate({}) is True


def test_string_literals_and_other_names_are_left_alone() -> None:
    defined = {"x": "1"}
    assert inline("'variables.x' + \"variables.x\" == variables.x", defined) == (
        "'variables.x' + \"variables.x\" == (1)"
    )
    assert inline("myvariables.x + o.variables.x + variables.y", defined) == (
        "myvariables.x + o.variables.x + variables.y"
    )


def test_a_failing_variable_fails_only_what_reads_it() -> None:
    defined = define([("bad", "object.missing.field"), ("good", "object.n + 1")])
    ok = compile_expression(inline("variables.good == 3", defined), VARS)
    assert ok.evaluate({"object": {"n": 2}}) is True
    failing = compile_expression(inline("variables.bad == 1", defined), VARS)
    assert isinstance(failing.evaluate({"object": {"n": 2}}), EvalError)
    # && and || absorb it as CEL specifies.
    absorbed = compile_expression(inline("true || variables.bad == 1", defined), VARS)
    assert absorbed.evaluate({"object": {}}) is True


def test_variables_that_double_at_each_step_are_refused_not_expanded() -> None:
    entries = [("v0", "1")] + [
        (f"v{i}", f"variables.v{i - 1} + variables.v{i - 1}") for i in range(1, 40)
    ]
    defined = define(entries)
    # Those too large to inline are left out; nothing kept is over the limit.
    assert len(defined) < len(entries)
    assert all(len(text) <= MAX_TEXT for text in defined.values())
    # What reads it (directly or through another variable) fails instead of expanding.
    result = compile_expression(inline("variables.v39 > 0", defined), VARS).evaluate(
        {"variables": {}}
    )
    assert isinstance(result, EvalError)
    with pytest.raises(TooLarge):
        inline("variables.v20 + variables.v20 + " * 40, {"v20": "x" * (MAX_TEXT // 10)})


@settings(max_examples=200, deadline=None)
@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6))
def test_inlined_arithmetic_equals_the_direct_value(a: int, b: int) -> None:
    defined = define([("a", str(a)), ("b", f"variables.a - ({b})"), ("c", "variables.b * 2")])
    result = compile_expression(inline("variables.c", defined), VARS).evaluate({})
    assert result == (a - b) * 2
