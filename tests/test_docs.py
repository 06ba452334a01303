"""Generated docs stay in step with the code; the examples in each check's docs are true."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint.checks import BUILTIN
from kubelint.docs import examples, generated_files
from tests.checks.test_fixtures import kube_version
from tests.conftest import ROOT, lint_text, run_process


@pytest.mark.parametrize("path", sorted(generated_files(ROOT)), ids=lambda p: p.name)
def test_generated_file_is_up_to_date(path: Path) -> None:
    expected = generated_files(ROOT)[path]
    assert path.is_file(), f"{path} is missing: run `python -m kubelint.docs`"
    assert path.read_text(encoding="utf-8") == expected, (
        f"{path.relative_to(ROOT)} drifted from the code: run `python -m kubelint.docs`"
    )


def test_no_stray_check_pages() -> None:
    pages = {p.stem for p in (ROOT / "docs" / "checks").glob("*/*.md")}
    assert pages == {c.meta.id for c in BUILTIN}


@pytest.mark.parametrize("check", BUILTIN, ids=lambda c: c.meta.id)
def test_id_names_module_fixture_and_page(check) -> None:  # type: ignore[no-untyped-def]
    module = check.meta.id.replace("-", "_")
    family = check.meta.family.replace("-", "_")
    assert list((ROOT / "kubelint" / "checks" / family).glob(f"**/{module}.py"))
    assert (ROOT / "tests" / "checks" / "fixtures" / check.meta.family / check.meta.id).is_dir()
    assert (ROOT / "docs" / "checks" / check.meta.page).is_file()


@pytest.mark.parametrize("check", BUILTIN, ids=lambda c: c.meta.id)
def test_doc_examples_fail_and_pass(check, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    failing_yaml, fixed_yaml = check.doc.failing, check.doc.fixed
    assert failing_yaml and fixed_yaml, "each check documents a failing and a fixed example"
    assert examples(check) == {"failing": failing_yaml, "fixed": fixed_yaml}
    failing = lint_text(
        tmp_path,
        failing_yaml,
        "failing.yaml",
        select=[check.meta.id],
        **kube_version(failing_yaml),
    )
    fixed = lint_text(
        tmp_path,
        fixed_yaml,
        "fixed.yaml",
        select=[check.meta.id],
        **kube_version(fixed_yaml),
    )
    assert not failing.errors and not fixed.errors
    assert [r.check for r in failing.results] and {r.check for r in failing.results} == {
        check.meta.id
    }
    assert fixed.results == []


@pytest.mark.parametrize("check", BUILTIN, ids=lambda c: c.meta.id)
def test_doc_has_the_sections_users_need(check) -> None:  # type: ignore[no-untyped-def]
    doc = check.doc
    assert doc.title and doc.what and doc.why and doc.failing and doc.fixed
    assert all(ref.startswith("https://") for ref in doc.references)
    assert check.meta.severity in ("error", "warning", "info")


def test_json_format_doc_matches_the_report(tmp_path: Path) -> None:
    import json
    import re

    from kubelint.reporters.json import as_dict

    doc = (ROOT / "docs" / "json-format.md").read_text()
    documented = json.loads(re.search(r"```json\n(.*?)```", doc, re.DOTALL).group(1))  # type: ignore[union-attr]
    report = lint_text(
        tmp_path,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "    - {name: a, image: b, securityContext: {privileged: true}}\n",
        select=["privileged-container"],
    )
    actual = as_dict(report)
    assert set(documented) == set(actual)
    assert set(documented["findings"][0]) == set(actual["findings"][0])
    assert set(documented["summary"]) == set(actual["summary"])
    assert set(documented["errors"][0]) == {"file", "line", "column", "message"}


def test_bug_readme_shows_what_the_first_command_prints() -> None:
    # The README's first command is `kubelint examples/` from a clone; a newcomer compares
    # its output with "What you see", so the block must be that output, line for line.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/kubelint examples/\n" in readme
    block = readme.split("## What you see\n\n```\n", 1)[1].split("```\n", 1)[0]
    result = run_process(["examples/"], cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert block == result.stdout, "update README.md's 'What you see' from `kubelint examples/`"
