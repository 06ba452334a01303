"""render_scalar: values as YAML scalars that read back as themselves."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.edit import render_scalar
from kubelint.loader.yamlparse import parse_documents


def _read(scalar: str, flow: bool = False) -> Any:
    text = f"k: [{scalar}]\n" if flow else f"k: {scalar}\n"
    [(_, data, *_)] = list(parse_documents(text, ""))
    return data["k"][0] if flow else data["k"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (True, "true"),
        (False, "false"),
        (None, "null"),
        (3, "3"),
        (-1, "-1"),
        (1.5, "1.5"),
        ("RuntimeDefault", "RuntimeDefault"),
        ("nginx:1.27", "nginx:1.27"),
        ("ALL", "ALL"),
        ("--read-only", "--read-only"),
        ("-", '"-"'),
        ("- x", '"- x"'),
        ("yes", '"yes"'),
        ("on", '"on"'),
        ("y", '"y"'),
        ("1.0", '"1.0"'),
        ("0755", '"0755"'),
        ("~", '"~"'),
        ("null", '"null"'),
        ("", '""'),
        ("*ref", '"*ref"'),
        ("&anchor", '"&anchor"'),
        ("!tag", '"!tag"'),
        ("a: b", '"a: b"'),
        ("a #b", '"a #b"'),
        ("2001-12-14", '"2001-12-14"'),  # a timestamp to YAML 1.1
        ("1:30", '"1:30"'),  # base 60 to YAML 1.1
        ("line\nbreak", '"line\\nbreak"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("\u2028", '"\\u2028"'),
    ],
)
def test_values_are_written_plain_only_when_they_read_back(value: Any, written: str) -> None:
    assert render_scalar(value) == written
    assert _read(written) == value


def test_a_colon_is_quoted_inside_flow_collections() -> None:
    assert render_scalar("nginx:1.27", flow=True) == '"nginx:1.27"'
    assert _read('"nginx:1.27"', flow=True) == "nginx:1.27"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_every_string_reads_back_as_itself(value: str, flow: bool) -> None:
    written = render_scalar(value, flow=flow)
    assert _read(written, flow) == value
    # PyYAML's YAML 1.1 resolver agrees (a plain string is no timestamp, base 60, ...).
    assert yaml.safe_load(f"[{written}]") == [value]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False), st.booleans()))
def test_numbers_and_booleans_read_back_as_themselves(value: Any) -> None:
    read = _read(render_scalar(value))
    assert read == value and type(read) is type(value)
