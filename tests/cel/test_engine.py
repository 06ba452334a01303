"""The CEL engine: compile once, errors as values, positions of mistakes."""

from __future__ import annotations

import pytest

from kubelint.cel.engine import CompileError, EvalError, compile_expression

DEPLOYMENT = {
    "spec": {
        "template": {
            "spec": {
                "containers": [
                    {"name": "web", "securityContext": {"runAsNonRoot": True}},
                    {"name": "sidecar"},
                ]
            }
        }
    }
}
OBJECT = ("object",)


def test_optional_selection_and_macros_read_plain_data() -> None:
    program = compile_expression(
        "object.spec.template.spec.containers.all(c, "
        "c.?securityContext.?runAsNonRoot.orValue(false))",
        OBJECT,
    )
    assert program.evaluate({"object": DEPLOYMENT}) is False
    hardened = {
        "spec": {
            "template": {
                "spec": {"containers": [DEPLOYMENT["spec"]["template"]["spec"]["containers"][0]]}
            }
        }
    }
    assert program.evaluate({"object": hardened}) is True


def test_an_expression_is_compiled_once_per_run() -> None:
    first = compile_expression("object.kind == 'Pod'", OBJECT)
    assert compile_expression("object.kind == 'Pod'", OBJECT) is first


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("object.spec.missing == 1", "Key not found"),
        ("object.spec.replicas / 0 > 1", "divide by zero"),
    ],
)
def test_evaluation_errors_are_values(source: str, fragment: str) -> None:
    result = compile_expression(source, OBJECT).evaluate({"object": {"spec": {"replicas": 3}}})
    assert isinstance(result, EvalError) and fragment in result.message
    assert result.unavailable is None


def test_errors_are_absorbed_by_logic_as_cel_specifies() -> None:
    program = compile_expression("true || object.spec.missing == 1", OBJECT)
    assert program.evaluate({"object": {"spec": {}}}) is True


def test_numbers_compare_across_types_as_kubernetes_does() -> None:
    assert compile_expression("1 < 1.5 && 2 == 2.0", OBJECT).evaluate({}) is True
    assert compile_expression("object.n == 3.0", OBJECT).evaluate({"object": {"n": 3}}) is True


@pytest.mark.parametrize(
    ("source", "line", "column", "undeclared"),
    [
        ("object.spec >", 1, 14, False),
        ("object.a &&\n  nope(1)", 2, 7, True),
    ],
)
def test_compile_errors_give_line_and_column(
    source: str, line: int, column: int, undeclared: bool
) -> None:
    with pytest.raises(CompileError) as caught:
        compile_expression(source, OBJECT)
    assert (caught.value.line, caught.value.column, caught.value.undeclared) == (
        line,
        column,
        undeclared,
    )


def test_a_runaway_expression_ends_with_an_error() -> None:
    ten = "[0,1,2,3,4,5,6,7,8,9]"
    nested = f"{ten}.all(a, {ten}.all(b, {ten}.all(c, {ten}.all(d, {ten}.all(e, true)))))"
    result = compile_expression(nested, OBJECT).evaluate({})
    assert isinstance(result, EvalError) and "budget" in result.message.lower()


@pytest.mark.parametrize("source", ["optional.of(1)", "optional.none()", "type(1)"])
def test_a_result_without_a_plain_value_is_an_error_value(source: str) -> None:
    result = compile_expression(source, OBJECT).evaluate({})
    assert isinstance(result, EvalError) and "no plain value" in result.message
