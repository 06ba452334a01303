"""Concise report: the text report without hints, one line per finding."""

from __future__ import annotations

from kubelint.reporters.text import write_concise as write

__all__ = ["write"]
