"""Shared helpers: lint in-process, run the CLI in-process or as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import kubelint.checks
from kubelint.checks import registry
from kubelint.cli import main
from kubelint.config import Config
from kubelint.model import Report
from kubelint.runner import Inputs, lint, select_checks

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_colour_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's FORCE_COLOR must not colour the reports tests read (NO_COLOR is left)."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture(autouse=True)
def _builtin_checks_only(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Tests run the built-in registry, not whatever plugins the environment has installed.

    tests/test_plugins.py installs its own plugins and keeps discovery. The registry and
    the plugin providers are cached per process, so they are looked up again on both sides
    of every test.
    """
    if request.path.name != "test_plugins.py":
        monkeypatch.setattr(kubelint.checks, "_plugins", lambda: iter(()))
    registry.cache_clear()
    kubelint.checks.plugin_providers.cache_clear()
    yield
    registry.cache_clear()
    kubelint.checks.plugin_providers.cache_clear()


def lint_paths(
    paths: Sequence[str | Path],
    select: Sequence[str] | None = None,
    *,
    repo_context: bool = False,
    **config: Any,
) -> Report:
    """Lint paths in-process with the given checks (default: the default checks)."""
    cfg = Config(**config)
    checks = select_checks(registry(), select, [])
    return lint(Inputs([str(p) for p in paths], repo_context=repo_context), cfg, checks)


def lint_text(
    tmp_path: Path,
    text: str | bytes,
    name: str = "manifest.yaml",
    select: Sequence[str] | None = None,
    **config: Any,
) -> Report:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return lint_paths([path], select, **config)


def run_cli(args: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(
    args: Sequence[str],
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run kubelint as users do, in a new process."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kubelint", *args],
        cwd=cwd,
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env=full_env,
        check=False,
        timeout=120,
    )
