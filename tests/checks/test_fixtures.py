"""Every check against its fixture folder: findings land exactly on the `# expect:` lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kubelint.checks import BUILTIN
from tests.conftest import lint_paths

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9, -]+)")


def expected(path: Path) -> set[tuple[str, int]]:
    marks = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for check_id in match.group(1).split(","):
                marks.add((check_id.strip(), number))
    return marks


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
    found = {(r.check, r.location.line) for r in report.results}
    want = {mark for mark in expected(path) if mark[0] == check_id}
    assert found == want


def test_every_check_has_a_fixture_folder_that_fires() -> None:
    for check in BUILTIN:
        folder = FIXTURES / check.meta.family / check.meta.id
        files = sorted(folder.glob("*.yaml"))
        assert files, f"no fixtures for {check.meta.id}"
        assert any(expected(f) for f in files), f"{check.meta.id}: no fixture expects a finding"


def test_fixture_folders_name_real_checks() -> None:
    where = {(c.meta.family, c.meta.id) for c in BUILTIN}
    folders = {(p.parent.name, p.name) for p in FIXTURES.glob("*/*") if p.is_dir()}
    assert folders <= where
