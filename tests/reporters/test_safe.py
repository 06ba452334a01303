"""The one escape every input-derived string of the text-like reports passes."""

from __future__ import annotations

import os

import pytest

from kubelint.reporters.safe import visible


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain name", "plain name"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("abc\u202edef\u2028", "abc\\u202edef\\u2028"),
        ("\ufffe\uffff", "\\ufffe\\uffff"),
        (os.fsdecode(b"bad\xff.yaml"), "bad\\xff.yaml"),
        ("::error::forged", "\\x3a:error::forged"),
        ("a::b", "a::b"),
        ("ünïcödé ok", "ünïcödé ok"),
    ],
)
def test_visible_escapes_what_could_end_a_line_or_drive_a_terminal(raw: str, shown: str) -> None:
    assert visible(raw) == shown
