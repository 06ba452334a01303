"""Baselines: today's findings recorded, tomorrow only new ones reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
    - name: app
      image: example/app:1
      securityContext:
        privileged: true
      env:
        - name: API_TOKEN
          value: s3cr3t-token-value
"""
SELECT = [
    "--select",
    "privileged-container,plaintext-secret,pss-host-namespaces",
    "--no-repo-context",
]


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.yaml").write_text(POD.format(name="a") + "---\n" + POD.format(name="b"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_baseline_round_trip(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli([*SELECT, "--write-baseline", "baseline.json", "a.yaml"], capsys)
    assert code == 0 and "recorded 4 finding(s) in baseline.json" in err
    stored = (repo / "baseline.json").read_text()
    assert "s3cr3t" not in stored
    assert json.loads(stored)["entries"][0]["object"]["kind"] == "Pod"

    # Tomorrow: nothing new, the run passes.
    code, out, _ = run_cli([*SELECT, "--baseline", "baseline.json", "a.yaml"], capsys)
    assert code == 0, out
    assert "4 findings in the baseline not shown" in out

    # Lines move and documents swap: still nothing new.
    (repo / "a.yaml").write_text(
        "# moved\n\n" + POD.format(name="b") + "---\n" + POD.format(name="a")
    )
    assert run_cli([*SELECT, "--baseline", "baseline.json", "a.yaml"], capsys)[0] == 0

    # A new problem is the only one reported.
    (repo / "a.yaml").write_text(
        POD.format(name="b")
        + "---\n"
        + POD.format(name="a").replace("spec:\n", "spec:\n  hostPID: true\n")
    )
    code, out, _ = run_cli([*SELECT, "--baseline", "baseline.json", "-f", "json", "a.yaml"], capsys)
    assert code == 1
    assert [(f["check"], f["line"]) for f in json.loads(out)["findings"]] == [
        ("pss-host-namespaces", 20)
    ]


def test_second_copy_of_a_baselined_problem_is_new(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli([*SELECT, "--write-baseline", "b.json", "a.yaml"], capsys)
    (repo / "a.yaml").write_text(
        POD.format(name="a") + "---\n" + POD.format(name="b") + "---\n" + POD.format(name="b")
    )
    code, out, _ = run_cli([*SELECT, "--baseline", "b.json", "-f", "json", "a.yaml"], capsys)
    assert code == 1 and len(json.loads(out)["findings"]) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read baseline"),
        ("{not json", "b.json:1:2: not a kubelint baseline"),
        ('{"version": 9, "entries": []}', "version 1 expected"),
        ('{"version": 1, "entries": [{"check": "x"}]}', "baseline entry 1 is malformed"),
        # Nested deeper than the JSON parser recurses (regression: an internal error).
        ("[" * 100_000 + "]" * 100_000, "b.json: not a kubelint baseline (nested too deeply)"),
    ],
)
def test_bad_baseline_is_a_clear_error(
    repo: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    if content is not None:
        (repo / "b.json").write_text(content)
    code, _, err = run_cli([*SELECT, "--baseline", "b.json", "a.yaml"], capsys)
    assert code == 2 and message in err


def test_bug_write_baseline_exits_zero(repo: Path) -> None:
    # The documented recipe, as a shell runs it: the second half must run and pass.
    kubelint = f"{sys.executable} -m kubelint"
    options = " ".join(SELECT)
    recipe = (
        f"{kubelint} {options} --write-baseline base.json a.yaml && "
        f"{kubelint} {options} --baseline base.json a.yaml && echo recipe-passed"
    )
    result = subprocess.run(
        recipe, shell=True, cwd=repo, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("recipe-passed")
    assert "4 findings in the baseline not shown" in result.stdout


def test_write_baseline_still_fails_on_unusable_input(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "broken.yaml").write_text("kind: Pod\nmetadata: name: x\n")
    code, _, err = run_cli([*SELECT, "--write-baseline", "b.json", "a.yaml", "broken.yaml"], capsys)
    assert code == 2 and "recorded 4 finding(s)" in err


def test_bug_baseline_and_reports_in_the_linted_folder_are_not_inputs(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `kubelint --write-baseline b.json . && kubelint --baseline b.json .` (the documented
    # recipe) and a SARIF report kept beside the manifests: neither is a manifest to lint,
    # and the second run counts what the first one did.
    code, out, _ = run_cli([*SELECT, "--write-baseline", "b.json", "."], capsys)
    assert code == 0
    assert out.splitlines()[-1].startswith("1 file (1 with findings), 2 objects:"), out
    for _ in range(2):  # the second time, out.sarif exists in the folder
        code, out, err = run_cli(
            [*SELECT, "--baseline", "b.json", "-f", "sarif:out.sarif", "."], capsys
        )
        assert code == 0 and out == ""
        assert err.splitlines()[-1] == (
            "1 file, 2 objects: no findings (4 findings in the baseline not shown)"
        ), err
    # named by hand (as the pre-commit hook names a staged baseline), it is left out too
    code, out, _ = run_cli([*SELECT, "--baseline", "b.json", "b.json", "a.yaml"], capsys)
    assert code == 0
    assert out.splitlines()[-1] == (
        "1 file, 2 objects: no findings (4 findings in the baseline not shown)"
    ), out
