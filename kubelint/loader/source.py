"""A decoded source file: its text, line index and suppression comments."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from kubelint.model import LineSuppression
from kubelint.once import once


class DecodeError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


#: The byte order marks that make :func:`decode` read UTF-16.
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(raw: bytes) -> str:
    """Decode manifest bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith(UTF16_BOMS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError("invalid UTF-16 text", 1, 1) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        before = raw[:start].decode("utf-8")  # valid up to the bad byte
        breaks = list(_LINE_BREAK_RE.finditer(before))
        line = len(breaks) + 1
        column = len(before[breaks[-1].end() :].encode("utf-8")) + 1 if breaks else start + 1
        raise DecodeError(
            f"not valid UTF-8 (byte 0x{raw[start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from exc


#: Line breaks libyaml counts besides ``\n`` (``\r\n`` counts once).
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
_LINE_BREAK_RE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

# `# kubelint: ignore=check-a,check-b`, at the end of a line or alone on the line above.
_SUPPRESS_RE = re.compile(r"#\s*kubelint:\s*ignore\s*=\s*([A-Za-z0-9_,\- ]*)")


@dataclass(eq=False)
class SourceFile:
    """One input: a file on disk or standard input (a :class:`kubelint.model.Source`)."""

    display: str  #: the name shown to users
    text: str
    #: Whether findings in this file are reported (False for repository context only).
    reported: bool = True
    #: Read from standard input: there is no file to point at, so Helm ``# Source:`` names
    #: stand in for it.
    stdin: bool = False

    @once
    def line_starts(self) -> list[int]:
        """Offsets where lines start, with libyaml's line breaks (so marks agree with it).

        ``\\r\\n``, ``\\r``, ``\\n``, NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR each end a line.
        """
        text = self.text
        if any(ch in text for ch in _OTHER_BREAKS):
            return [0, *(match.end() for match in _LINE_BREAK_RE.finditer(text))]
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    @once
    def tokens(self) -> list[tuple[int, str]]:
        """Offsets and kinds of well-known credential shapes anywhere in the text."""
        from kubelint.redaction import find_tokens

        return find_tokens(self.text)

    @once
    def suppressions(self) -> tuple[LineSuppression, ...]:
        if "kubelint:" not in self.text:
            return ()
        found = []
        for match in _SUPPRESS_RE.finditer(self.text):
            line, _column = self.position(match.start())
            line_start = self.line_starts[line - 1]
            standalone = self.text[line_start : match.start()].strip() == ""
            ids = tuple(part.strip() for part in match.group(1).split(",") if part.strip())
            found.append(LineSuppression(line, match.start(), ids, standalone))
        return tuple(found)

    @once
    def suppressed_lines(self) -> dict[int, frozenset[str]]:
        """Check ids suppressed per line."""
        by_line: dict[int, set[str]] = {}
        for sup in self.suppressions:
            by_line.setdefault(sup.line, set()).update(sup.ids)
            if sup.standalone:
                by_line.setdefault(sup.line + 1, set()).update(sup.ids)
        return {line: frozenset(ids) for line, ids in by_line.items()}
