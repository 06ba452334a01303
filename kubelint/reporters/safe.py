"""Text from input made safe to print: every input-derived string of a report passes here.

Names, values and file names come from the files being linted, which an attacker may
write. Printed as they are, a newline forges a finding line or a GitHub workflow command
(``::add-mask::``, ``::error``) in a CI log, an ANSI escape drives the terminal, and a
character XML 1.0 forbids makes a JUnit report unreadable. Every such character is shown
visibly instead (``\\n``, ``\\x1b``, ``\\u202e``), so the text stays on one line and the
reader still sees what the file holds.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from kubelint.model import InputProblem, Report, Result

#: C0 and C1 controls and DEL; lone surrogates (undecodable bytes of a file name);
#: characters that end a line or reorder text on screen (Unicode line and paragraph
#: separators, bidirectional overrides and isolates); and the non-characters XML forbids.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every unsafe character shown as an escape, on one line.

    A leading ``::`` is escaped too: a line that starts with a field from input must
    never be read by GitHub Actions as a workflow command.
    """
    text = _UNSAFE.sub(_escape, text)
    if text.startswith("::"):
        text = "\\x3a" + text[1:]
    return text


#: :data:`_UNSAFE` but for tabs and line breaks (LF, and the CR of CRLF files).
_UNSAFE_IN_LINES = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ufffe\uffff]"
)


def visible_lines(text: str) -> str:
    """``text`` of several lines (a diff quoting a file) with every unsafe character but
    tabs and line breaks shown as an escape: an ANSI escape or a bidirectional override in
    a file never reaches the terminal as it is."""
    return _UNSAFE_IN_LINES.sub(_escape, text)


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {key: _value(item) for key, item in value.items()}
    return value


def _problem(problem: InputProblem) -> InputProblem:
    return replace(problem, file=visible(problem.file), message=visible(problem.message))


def _result(result: Result) -> Result:
    return replace(
        result,
        location=replace(result.location, file=visible(result.location.file)),
        message=visible(result.message),
        hint=visible(result.hint),
        obj=_value(result.obj),
        path=visible(result.path),
        source=None if result.source is None else visible(result.source),
    )


def safe_report(report: Report) -> Report:
    """A copy of ``report`` whose input-derived strings are all :func:`visible`.

    The text, concise, GitHub and JUnit reporters write only from this copy, so no field
    can be forgotten by one of them.
    """
    return replace(
        report,
        results=[_result(r) for r in report.results],
        errors=[_problem(p) for p in report.errors],
        notices=[_problem(p) for p in report.notices],
        internal_errors=[visible(m) for m in report.internal_errors],
    )
