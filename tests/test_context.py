"""Cross-object checks see the whole git repository even when only some files are named."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_process

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      runtimeClassName: gvisor
      containers: [{name: web, image: nginx:1.27}]
"""
POLICY = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
  namespace: shop
spec:
  podSelector: {}
"""
RUNTIME = "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: kata\nhandler: kata\n"
SELECT = ["--select", "namespace-without-default-deny,missing-runtime-class"]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def make_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "apps").mkdir(parents=True)
    (repo / "policies").mkdir()
    git(repo, "init", "-q")
    (repo / "apps" / "web.yaml").write_text(DEPLOY)
    (repo / "policies" / "shop.yaml").write_text(POLICY)
    (repo / "ignored").mkdir()
    (repo / "ignored" / "rc.yaml").write_text(RUNTIME)
    (repo / ".gitignore").write_text("ignored/\n")
    return repo


def test_policy_in_an_unnamed_file_counts(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    result = run_process(["apps/web.yaml", *SELECT], cwd=repo)
    assert result.returncode == 0, result.stdout
    assert "1 file, 1 object: no findings" in result.stdout


def test_without_repository_context_the_named_files_stand_alone(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    result = run_process(["apps/web.yaml", "--no-repo-context", *SELECT], cwd=repo)
    assert result.returncode == 1
    assert "apps/web.yaml:5:3: warning namespace-without-default-deny" in result.stdout


def test_ignored_files_are_not_context_and_findings_stay_in_named_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    # The RuntimeClass 'kata' is git-ignored, so no RuntimeClass is known and 'gvisor' passes.
    (repo / "policies" / "shop.yaml").write_text(POLICY.replace("shop", "other"))
    result = run_process(["policies/shop.yaml", *SELECT], cwd=repo)
    assert result.returncode == 0  # the shop finding belongs to apps/web.yaml, not named
    result = run_process(["apps/web.yaml", *SELECT], cwd=repo)
    assert result.returncode == 1 and "namespace 'shop'" in result.stdout
    assert "runtimeClassName" not in result.stdout
    # Once the RuntimeClass is part of the repository, 'gvisor' names no defined class.
    (repo / ".gitignore").write_text("")
    result = run_process(["apps/web.yaml", *SELECT], cwd=repo)
    assert "runtimeClassName 'gvisor' names no RuntimeClass" in result.stdout


def test_configured_roots_replace_the_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / ".kubelint.yaml").write_text("roots: [apps]\n")
    result = run_process(["apps/web.yaml", *SELECT], cwd=repo)
    assert result.returncode == 1 and "namespace 'shop'" in result.stdout


def test_context_objects_keep_no_parse_node_yet_can_be_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Context files are read for other objects' checks only: their nodes (most of their
    memory) are not kept, and a position, if ever asked, comes from re-parsing."""
    from kubelint.loader.fastread import TableLocator
    from kubelint.loader.positions import NodeLocator, ReparseLocator
    from tests.conftest import lint_paths

    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    report = lint_paths(["apps/web.yaml"], SELECT[1].split(","), repo_context=True)
    by_file = {item.source.display: item for item in report.retained}
    (named,) = by_file["apps/web.yaml"].objects
    (context,) = by_file["policies/shop.yaml"].objects
    # The named file keeps its positions (a table from the compiled reader, or its nodes).
    assert isinstance(named.locator, (TableLocator, NodeLocator))
    assert isinstance(context.locator, ReparseLocator)
    assert context.locate(("metadata", "namespace")) == (5, 3, ("metadata", "namespace"))
