"""A check's user documentation as fields, read by its page, ``--explain`` and SARIF.

A check module writes it as its docstring: a title line, then the Markdown sections
``## What it does``, ``## Why it matters``, ``## Failing example`` and ``## Fixed example``
(a ```yaml block each, optionally followed by a note), ``## Options`` and
``## References`` (a list: a URL per item, optionally followed by a note). Other sections
are kept, in order. A check defined by data builds a :class:`CheckDoc` directly.

Plain data with no kubelint import: the run hands it to the reporters in
:class:`kubelint.model.Rule`, below the checks layer (``kubelint.checks.base`` exports it
for check authors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WHAT = "What it does"
WHY = "Why it matters"
FAILING = "Failing example"
FIXED = "Fixed example"
OPTIONS = "Options"
REFERENCES = "References"
_FIELDS = {WHAT: "what", WHY: "why", FAILING: "failing", FIXED: "fixed", OPTIONS: "options"}
_EXAMPLE_RE = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


@dataclass(frozen=True, kw_only=True)
class CheckDoc:
    """A check's user documentation, read from its module docstring (:meth:`parse`)."""

    #: One line: the problem the check reports.
    title: str = ""
    #: Markdown: what the check reports, and where.
    what: str = ""
    #: Markdown: what the problem lets an attacker or an accident do.
    why: str = ""
    #: YAML that gets a finding, and Markdown shown after it.
    failing: str = ""
    failing_note: str = ""
    #: YAML that gets none, and Markdown shown after it.
    fixed: str = ""
    fixed_note: str = ""
    #: Markdown: the check's options.
    options: str = ""
    #: A URL each, optionally followed by a note (``https://... (what it says)``).
    references: tuple[str, ...] = ()
    #: More sections, in order: (title, Markdown).
    sections: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> CheckDoc:
        """The fields of a docstring; a missing section leaves its field empty.

        Text between the title and the first section belongs to ``what``.
        """
        title, intro, sections = _split(text)
        known: dict[str, str] = {}
        extra: list[tuple[str, str]] = []
        for heading, body in sections:
            if heading in known or (heading not in _FIELDS and heading != REFERENCES):
                extra.append((heading, body))
            else:
                known[heading] = body
        what = "\n\n".join(part for part in (intro, known.get(WHAT, "")) if part)
        failing, failing_note = _example(known.get(FAILING, ""))
        fixed, fixed_note = _example(known.get(FIXED, ""))
        return cls(
            title=title,
            what=what,
            why=known.get(WHY, ""),
            failing=failing,
            failing_note=failing_note,
            fixed=fixed,
            fixed_note=fixed_note,
            options=known.get(OPTIONS, ""),
            references=_references(known.get(REFERENCES, "")),
            sections=tuple(extra),
        )

    @classmethod
    def of(cls, doc: CheckDoc | str) -> CheckDoc:
        """``doc`` itself, or the fields of documentation given as text."""
        return doc if isinstance(doc, CheckDoc) else cls.parse(doc)

    def body(self) -> str:
        """The sections as Markdown (everything but the title)."""
        sections = [
            (WHAT, self.what),
            (WHY, self.why),
            (FAILING, _render_example(self.failing, self.failing_note)),
            (FIXED, _render_example(self.fixed, self.fixed_note)),
            (OPTIONS, self.options),
            (REFERENCES, "\n".join(f"- {entry}" for entry in self.references)),
            *self.sections,
        ]
        return "\n\n".join(f"## {heading}\n{text}" for heading, text in sections if text)

    def markdown(self) -> str:
        """The whole documentation as Markdown, the way a docstring writes it."""
        return "\n\n".join(part for part in (self.title, self.body()) if part)


def _split(text: str) -> tuple[str, str, list[tuple[str, str]]]:
    """Title, the text before the first section, and (heading, body) of each section."""
    title, _, rest = text.strip().partition("\n")
    intro: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    current, fenced = intro, False
    for line in rest.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            current = []
            sections.append((line[3:].strip(), current))
            continue
        current.append(line)
    body = [(heading, "\n".join(lines).strip()) for heading, lines in sections]
    return title.strip(), "\n".join(intro).strip(), body


def _example(body: str) -> tuple[str, str]:
    """The YAML of an example section, and the note after it."""
    match = _EXAMPLE_RE.match(body)
    if match is None:
        return "", body
    return match.group(1), body[match.end() :].strip()


def _render_example(yaml: str, note: str) -> str:
    if not yaml:
        return note
    if not yaml.endswith("\n"):
        yaml += "\n"
    block = f"```yaml\n{yaml}```"
    return f"{block}\n\n{note}" if note else block


def _references(body: str) -> tuple[str, ...]:
    """The items of a Markdown list; a line that starts no item continues the last one."""
    entries: list[str] = []
    for line in body.splitlines():
        if line.startswith("- "):
            entries.append(line[2:].strip())
        elif line.strip() and entries:
            entries[-1] += "\n" + line
        elif line.strip():
            entries.append(line.strip())
    return tuple(entries)
