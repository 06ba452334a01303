"""Every check against its fixture folder: findings land exactly on the `# expect:` lines.

A marker names the checks expected on its line, separated by commas. Each may also pin
the column the finding points at and a fragment its message must contain::

    hostPort: 8080 # expect: pss-host-ports@col=11 "hostPort 8080"

``@col=N`` is the 1-based column of the offending key or value; the quoted fragment (no
double quote inside) is matched against the message as written, case included.

Marks count: a check named once on a line expects exactly one finding of it there, named
twice expects two (each mark matched by a finding of its own)::

    - PodSecurity,NodeRestriction # expect: a "NodeRestriction is disabled", a "PodSecurity"
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from kubelint.checks import BUILTIN, registry
from kubelint.model import Location, Result
from tests.conftest import lint_paths

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"#\s*expect:(.*)$")
#: One entry of a marker: ``id``, ``id@col=N``, ``id "fragment"`` or ``id@col=N "fragment"``.
ENTRY = re.compile(r'\s*([a-z0-9-]+)(?:@col=(\d+))?(?:\s+"([^"]+)")?\s*(?:,|$)')


@dataclass(frozen=True)
class Mark:
    """One expected finding: a check on a line, maybe at a column, maybe with a message."""

    check: str
    line: int
    column: int | None = None
    fragment: str | None = None

    def matches(self, result: Result) -> bool:
        return (
            result.check == self.check
            and result.location.line == self.line
            and self.column in (None, result.location.column)
            and (self.fragment is None or self.fragment in result.message)
        )

    def __str__(self) -> str:
        column = f"@col={self.column}" if self.column is not None else ""
        fragment = f' "{self.fragment}"' if self.fragment is not None else ""
        return f"line {self.line}: {self.check}{column}{fragment}"


def parse_marker(text: str, line: int) -> list[Mark]:
    """The marks of one ``# expect:`` marker (its text after the colon); malformed fails."""
    marks: list[Mark] = []
    position = 0
    while position < len(text):
        entry = ENTRY.match(text, position)
        if entry is None or entry.end() == position:
            raise ValueError(f"line {line}: malformed expect marker at {text[position:]!r}")
        check, column, fragment = entry.groups()
        marks.append(Mark(check, line, int(column) if column else None, fragment))
        position = entry.end()
    if not marks:
        raise ValueError(f"line {line}: expect marker names no check")
    return marks


def markers(path: Path) -> list[Mark]:
    """Every mark of a fixture file, in line order."""
    marks: list[Mark] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            marks.extend(parse_marker(match.group(1), number))
    return marks


def expected(path: Path) -> set[tuple[str, int]]:
    """(check, line) of every mark of a file."""
    return {(mark.check, mark.line) for mark in markers(path)}


def unmatched(marks: Sequence[Mark], results: Sequence[Result]) -> list[Mark]:
    """The marks left without a finding when each finding may satisfy one mark only.

    A maximum matching (augmenting paths), so the order marks are written in does not
    matter: ``a, a "x"`` on a line with findings "x" and "y" is satisfied.
    """
    owner: dict[int, int] = {}  # result index -> mark index

    def assign(m: int, seen: set[int]) -> bool:
        for r, result in enumerate(results):
            if r in seen or not marks[m].matches(result):
                continue
            seen.add(r)
            if r not in owner or assign(owner[r], seen):
                owner[r] = m
                return True
        return False

    return [mark for m, mark in enumerate(marks) if not assign(m, set())]


CASES = sorted(FIXTURES.glob("*/*/*.yaml"))


KUBE_VERSION = re.compile(r"^# kube-version: 1\.(\d+)$", re.MULTILINE)


def kube_version(text: str) -> dict[str, int]:
    """A ``# kube-version: 1.N`` line pins the version a fixture or example is linted at."""
    match = KUBE_VERSION.search(text)
    return {"kube_version": int(match.group(1))} if match else {}


@pytest.mark.parametrize(
    "path", CASES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}"
)
def test_findings_land_on_expect_lines(path: Path) -> None:
    check_id = path.parent.name
    report = lint_paths([path], [check_id], **kube_version(path.read_text(encoding="utf-8")))
    assert not report.errors and not report.internal_errors
    found = Counter((r.check, r.location.line) for r in report.results)
    marks = [mark for mark in markers(path) if mark.check == check_id]
    assert found == Counter((mark.check, mark.line) for mark in marks)
    missing = [str(m) for m in unmatched(marks, report.results)]
    got = [f"{r.location.line}:{r.location.column} {r.message}" for r in report.results]
    assert not missing, f"no finding of its own matches {missing}; found {got}"


def test_every_check_has_a_fixture_folder_that_fires() -> None:
    for check in BUILTIN:
        folder = FIXTURES / check.meta.family / check.meta.id
        files = sorted(folder.glob("*.yaml"))
        assert files, f"no fixtures for {check.meta.id}"
        assert any(expected(f) for f in files), f"{check.meta.id}: no fixture expects a finding"


def test_every_check_pins_a_column_and_a_message() -> None:
    """At least one mark per check states both, so location and wording are tested."""
    for check in BUILTIN:
        folder = FIXTURES / check.meta.family / check.meta.id
        pinned = [
            mark
            for path in folder.glob("*.yaml")
            for mark in markers(path)
            if mark.check == check.meta.id and mark.column is not None and mark.fragment
        ]
        assert pinned, f"{check.meta.id}: no fixture mark pins a column and a message"


def test_fixture_folders_name_real_checks() -> None:
    where = {(c.meta.family, c.meta.id) for c in BUILTIN}
    folders = {(p.parent.name, p.name) for p in FIXTURES.glob("*/*") if p.is_dir()}
    assert folders <= where


def test_marker_syntax() -> None:
    assert parse_marker(" a-b", 3) == [Mark("a-b", 3)]
    assert parse_marker(' a@col=11 "hostPort 8080", b', 4) == [
        Mark("a", 4, 11, "hostPort 8080"),
        Mark("b", 4),
    ]
    assert parse_marker(' a "x, y"', 5) == [Mark("a", 5, None, "x, y")]
    for bad in (" a@col=x", ' a "unclosed', " A", " a b", ""):
        with pytest.raises(ValueError, match="line 6"):
            parse_marker(bad, 6)


def test_a_mark_checks_column_and_message() -> None:
    result = Result("a", "error", Location("f.yaml", 4, 11), "binds hostPort 8080", "", {}, "p")
    assert Mark("a", 4, 11, "hostPort 8080").matches(result)
    assert Mark("a", 4).matches(result)
    assert not Mark("a", 4, 12).matches(result)
    assert not Mark("a", 4, 11, "hostPort 80 ").matches(result)
    assert not Mark("b", 4, 11).matches(result)


def test_marks_count_findings() -> None:
    """Two marks of a check on a line need two findings, each matched by one of them."""

    def result(message: str) -> Result:
        return Result("a", "error", Location("f.yaml", 4, 11), message, "", {}, "p")

    x, y = result("x is disabled"), result("y is disabled")
    assert unmatched([Mark("a", 4)], [x]) == []
    assert unmatched([Mark("a", 4), Mark("a", 4)], [x]) == [Mark("a", 4)]
    assert unmatched([Mark("a", 4, None, "x"), Mark("a", 4, None, "x")], [x, y]) == [
        Mark("a", 4, None, "x")
    ]
    # Written in either order, a loose mark and a specific one share two findings.
    assert unmatched([Mark("a", 4), Mark("a", 4, None, "x")], [x, y]) == []
    assert unmatched([Mark("a", 4, None, "y"), Mark("a", 4)], [y, x]) == []
    marks = parse_marker(' a "x", a "y"', 4)
    assert Counter((m.check, m.line) for m in marks) == Counter({("a", 4): 2})
    assert unmatched(marks, [y, x]) == []


def test_the_suite_lints_with_the_builtin_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed plugin (here one that cannot even load) does not reach the tests."""
    from importlib import metadata

    broken = metadata.EntryPoint("broken", "no_such_module", "kubelint.checks")
    monkeypatch.setattr(metadata, "entry_points", lambda **_: [broken])
    registry.cache_clear()
    assert list(registry()) == [check.meta.id for check in BUILTIN]
