"""Reporters turn a :class:`kubelint.model.Report` into text for people or machines."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from kubelint.model import Report

Reporter = Callable[[Report, TextIO, bool], None]


def get_reporter(name: str) -> Reporter:
    if name == "json":
        from kubelint.reporters.json import write
    else:
        from kubelint.reporters.text import write
    return write


FORMATS = ("text", "json")
