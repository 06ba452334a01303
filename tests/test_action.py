"""The composite GitHub Action, run step by step with bash the way the runner does."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
GOOD = (ROOT / "examples" / "hardened" / "payments.yaml").read_text()
BAD = (ROOT / "examples" / "insecure" / "node-agent.yaml").read_text()


def substitute(text: str, inputs: dict[str, str]) -> str:
    """Replace the ``${{ ... }}`` expressions the action uses, like the runner does."""

    def value(match: re.Match[str]) -> str:
        expr = match.group(1).strip()
        if expr == "github.action_path":
            return str(ROOT)
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        raise AssertionError(f"the harness does not know the expression {expr!r}")

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def run_action(workspace: Path, runner_temp: Path, **given: str) -> tuple[int, str, dict[str, str]]:
    """Run every step; return the exit status of the first failing step (or 0), the output
    and the step outputs of the lint step."""
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    inputs.update({k.replace("_", "-"): v for k, v in given.items()})
    env_file, output_file = runner_temp / "env", runner_temp / "output"
    env: dict[str, str] = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_ENV": str(env_file),
        "GITHUB_OUTPUT": str(output_file),
        "GITHUB_WORKSPACE": str(workspace),
        "CI": "true",
    }
    log = []
    for step in ACTION["runs"]["steps"]:
        env_file.write_text("")
        output_file.write_text("")
        step_env = {
            **env,
            **{k: substitute(str(v), inputs) for k, v in step.get("env", {}).items()},
        }
        assert step["shell"] == "bash"
        result = subprocess.run(
            [
                "bash",
                "--noprofile",
                "--norc",
                "-eo",
                "pipefail",
                "-c",
                substitute(step["run"], inputs),
            ],
            cwd=workspace,
            env=step_env,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
        log.append(result.stdout + result.stderr)
        for line in env_file.read_text().splitlines():
            key, _, val = line.partition("=")
            env[key] = val
        outputs = dict(
            line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line
        )
        if result.returncode != 0:
            return result.returncode, "\n".join(log), outputs
    return 0, "\n".join(log), outputs


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runner-temp")  # shared: kubelint is installed once


def workspace(tmp_path: Path, files: dict[str, str]) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_inputs_are_declared() -> None:
    assert set(ACTION["inputs"]) == {
        "paths",
        "config",
        "fail-on",
        "sarif-file",
        "kube-version",
        "args",
    }
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:  # inputs only ever reach scripts through env
        assert "${{" not in step["run"]


def test_green_on_a_clean_repository(tmp_path: Path, runner_temp: Path) -> None:
    ws = workspace(tmp_path, {"k8s/payments.yaml": GOOD})
    status, log, outputs = run_action(ws, runner_temp, paths="k8s", kube_version="1.30")
    assert status == 0, log
    assert outputs == {"sarif-file": "kubelint.sarif", "exit-code": "0"}
    sarif = json.loads((ws / "kubelint.sarif").read_text())
    assert sarif["runs"][0]["results"] == []


def test_red_on_a_bad_manifest_with_annotations_and_sarif(
    tmp_path: Path, runner_temp: Path
) -> None:
    ws = workspace(tmp_path, {"k8s/payments.yaml": GOOD, "k8s/agent.yaml": BAD})
    status, log, outputs = run_action(ws, runner_temp, paths="k8s/agent.yaml\nk8s/payments.yaml")
    assert status == 1, log
    assert outputs["exit-code"] == "1"
    assert "::error file=k8s/agent.yaml,line=17,col=13,title=kubelint privileged-container::" in log
    results = json.loads((ws / "kubelint.sarif").read_text())["runs"][0]["results"]
    located: set[Any] = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results
    }
    assert ("privileged-container", 17) in located


def test_fail_on_and_extra_args(tmp_path: Path, runner_temp: Path) -> None:
    ws = workspace(tmp_path, {"agent.yaml": BAD})
    status, log, _ = run_action(
        ws,
        runner_temp,
        paths="agent.yaml",
        fail_on="error",
        args="--ignore privileged-container",
        sarif_file="",
    )
    assert status == 0, log
    assert not (ws / "kubelint.sarif").exists()
    assert "::warning file=agent.yaml" in log
