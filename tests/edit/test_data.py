"""apply_to_data: what edits mean for plain data."""

from __future__ import annotations

from typing import Any

import pytest

from kubelint.edit import EditError, apply_to_data
from kubelint.model import Edit

CASES: list[tuple[str, dict[str, Any], Edit, dict[str, Any]]] = [
    ("set an existing key", {"a": 1}, Edit("set", ("a",), 2), {"a": 2}),
    ("set creates parents", {}, Edit("set", ("a", "b"), True), {"a": {"b": True}}),
    ("a null parent counts as missing", {"a": None}, Edit("set", ("a", "b"), 1), {"a": {"b": 1}}),
    ("set a list item", {"a": [1, 2]}, Edit("set", ("a", 1), 3), {"a": [1, 3]}),
    ("delete a key", {"a": 1, "b": 2}, Edit("delete", ("a",)), {"b": 2}),
    ("delete a missing key", {"a": 1}, Edit("delete", ("x", "y")), {"a": 1}),
    ("delete a list item", {"a": [1, 2]}, Edit("delete", ("a", 0)), {"a": [2]}),
    ("append to a list", {"a": ["x"]}, Edit("append", ("a",), "y"), {"a": ["x", "y"]}),
    ("append creates the list", {}, Edit("append", ("a", "b"), "y"), {"a": {"b": ["y"]}}),
    ("append to null", {"a": None}, Edit("append", ("a",), 1), {"a": [1]}),
    ("append once", {"a": ["ALL"]}, Edit("append", ("a",), "ALL"), {"a": ["ALL"]}),
    ("1 is not True", {"a": [True]}, Edit("append", ("a",), 1), {"a": [True, 1]}),
]


@pytest.mark.parametrize(("name", "data", "edit", "want"), CASES, ids=[c[0] for c in CASES])
def test_edits_change_the_data_as_described(
    name: str, data: dict[str, Any], edit: Edit, want: dict[str, Any]
) -> None:
    before = repr(data)
    assert apply_to_data(data, [edit]) == want
    assert repr(data) == before  # the input is left alone


@pytest.mark.parametrize(
    "edit",
    [
        Edit("set", ("a", "b"), 1),  # a key under a scalar
        Edit("set", ("l", 5), 1),  # a list item out of range
        Edit("append", ("a",), 1),  # a scalar is no list
        Edit("set", (), 1),  # no path
    ],
)
def test_edits_that_cannot_apply_raise(edit: Edit) -> None:
    with pytest.raises(EditError):
        apply_to_data({"a": "text", "l": []}, [edit])


def test_a_set_value_is_copied_not_shared() -> None:
    value = {"type": "RuntimeDefault"}
    out = apply_to_data({}, [Edit("set", ("s",), value)])
    out["s"]["type"] = "changed"
    assert value == {"type": "RuntimeDefault"}
