"""Reporters turn a :class:`kubelint.model.Report` into text for people or machines."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from kubelint.model import Report

Reporter = Callable[[Report, TextIO, bool], None]

#: Format name -> module in this package (imported only when used).
FORMATS = ("text", "concise", "json", "sarif", "github", "junit")


def get_reporter(name: str) -> Reporter:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    module = importlib.import_module(f"kubelint.reporters.{name}")
    writer: Reporter = module.write
    return writer
