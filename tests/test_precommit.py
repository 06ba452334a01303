"""The real pre-commit framework runs this repository's hook in a throwaway git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BAD = """apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
    - name: app
      image: example/app:1
      securityContext:
        privileged: true
"""
GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n"


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if shutil.which("git") is None:  # pragma: no cover
        pytest.fail("git is required for the pre-commit test")
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "NO_COLOR": "1",
    }


def try_repo(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # try-repo uses this repository's working tree as the hook source, uncommitted changes included.
    return run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "kubelint", "--color", "never"],
        repo,
        env,
    )


def test_hook_fails_a_bad_manifest_and_passes_a_good_one(
    tmp_path: Path, env: dict[str, str]
) -> None:
    repo = tmp_path / "project"
    repo.mkdir()
    run(["git", "init", "-q"], repo, env)
    (repo / "pod.yaml").write_text(BAD)
    (repo / "README.md").write_text("not a manifest\n")
    run(["git", "add", "."], repo, env)
    bad = try_repo(repo, env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "pod.yaml:10:9: error privileged-container" in bad.stdout

    (repo / "pod.yaml").unlink()
    (repo / "settings.yaml").write_text(GOOD)
    run(["git", "add", "-A"], repo, env)
    good = try_repo(repo, env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
