"""The real pre-commit framework runs this repository's hook in a throwaway git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_staged import DEPLOY, POLICY

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


def snapshot_of_this_repository(target: Path, env: dict[str, str]) -> str:
    """A git repository holding this working tree as one commit (what a release tag holds).

    Tests, docs and examples are left out: installing the hook does not need them.
    """
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        if name.split(b"/")[0] in (b"tests", b"docs", b"examples"):
            continue
        source = ROOT / name.decode()
        if source.is_file():
            destination = target / name.decode()
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    run(["git", "init", "-q"], target, env)
    run(["git", "add", "-A"], target, env)
    run(["git", "commit", "-q", "-m", "snapshot"], target, env)
    return run(["git", "rev-parse", "HEAD"], target, env).stdout.strip()


def test_installed_hook_blocks_a_bad_commit(tmp_path: Path, env: dict[str, str]) -> None:
    hook_repo = tmp_path / "kubelint-snapshot"
    rev = snapshot_of_this_repository(hook_repo, env)
    project = tmp_path / "project"
    project.mkdir()
    run(["git", "init", "-q"], project, env)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: kubelint\n"
    )
    installed = run([sys.executable, "-m", "pre_commit", "install"], project, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # the hook script runs pre-commit from this interpreter's environment
    hook_env = {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"}

    (project / "pod.yaml").write_text(BAD)
    run(["git", "add", "pod.yaml", ".pre-commit-config.yaml"], project, hook_env)
    refused = run(["git", "commit", "-m", "add pod"], project, hook_env)
    assert refused.returncode != 0
    assert "pod.yaml:10:9: error privileged-container" in refused.stdout + refused.stderr
    assert (
        run(["git", "rev-parse", "--verify", "HEAD"], project, hook_env).returncode != 0
    )  # nothing committed

    (project / "pod.yaml").unlink()
    (project / "settings.yaml").write_text(GOOD)
    run(["git", "add", "-A"], project, hook_env)
    accepted = run(["git", "commit", "-m", "add settings"], project, hook_env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_bug_hook_skips_staged_data_files_but_not_a_broken_manifest(
    tmp_path: Path, env: dict[str, str]
) -> None:
    # The hook names every staged *.json and *.yaml: JSON lines and JSON with comments
    # (tsconfig.json, devcontainer.json) are not manifests and must not refuse a commit.
    repo = tmp_path / "project"
    repo.mkdir()
    run(["git", "init", "-q"], repo, env)
    (repo / "settings.yaml").write_text(GOOD)
    (repo / "events.json").write_text('{"id": 1}\n{"id": 2}\n')
    (repo / "tsconfig.json").write_text('{\n  // strict mode\n  "strict": true,\n}\n')
    run(["git", "add", "."], repo, env)
    passed = try_repo(repo, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    # a broken file that looks like a manifest still fails the commit, with its line
    (repo / "broken.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: x\n")
    run(["git", "add", "."], repo, env)
    failed = try_repo(repo, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "broken.yaml:4:1: error input-error invalid YAML" in failed.stdout
    assert "exit code: 2" in failed.stdout


def test_installed_hook_refuses_a_commit_that_only_deletes_the_policy(
    tmp_path: Path, env: dict[str, str]
) -> None:
    # pre-commit names no file for a commit that only deletes one: the hook runs anyway
    # (always_run) and reports the namespace the deletion un-protects, in a file the commit
    # does not touch. A commit touching no manifest passes.
    hook_repo = tmp_path / "kubelint-snapshot"
    rev = snapshot_of_this_repository(hook_repo, env)
    project = tmp_path / "project"
    project.mkdir()
    run(["git", "init", "-q"], project, env)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: kubelint\n"
    )
    (project / "deploy.yaml").write_text(DEPLOY)
    (project / "policy.yaml").write_text(POLICY)
    run(["git", "add", "-A"], project, env)
    run(["git", "commit", "-q", "-m", "start"], project, env)  # before the hook is installed
    installed = run([sys.executable, "-m", "pre_commit", "install"], project, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    hook_env = {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"}

    (project / "README.md").write_text("docs\n")
    run(["git", "add", "README.md"], project, hook_env)
    docs = run(["git", "commit", "-m", "docs"], project, hook_env)
    assert docs.returncode == 0, docs.stdout + docs.stderr

    run(["git", "rm", "-q", "policy.yaml"], project, hook_env)
    refused = run(["git", "commit", "-m", "drop the policy"], project, hook_env)
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "deploy.yaml:5:3: warning namespace-without-default-deny" in (
        refused.stdout + refused.stderr
    )
    assert run(["git", "log", "--format=%s", "-1"], project, hook_env).stdout.strip() == "docs"
