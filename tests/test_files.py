"""Files kubelint reads and writes: only regular files, links kept in the tree, safe output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: NAME}\ndata: {k: v}\n"


def _kubelint(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # A timeout, not a measurement: a hang must fail the test instead of the suite.
    return subprocess.run(
        [sys.executable, "-m", "kubelint", "--select", "plaintext-secret", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_bug_fifo_named_yaml_hangs_the_run(tmp_path: Path) -> None:
    tree = tmp_path / "manifests"
    tree.mkdir()
    (tree / "a.yaml").write_text(CONFIGMAP.replace("NAME", "a"))
    os.mkfifo(tree / "pipe.yaml")
    proc = _kubelint(["manifests"], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "manifests/pipe.yaml: note a FIFO, not a regular file: not read" in proc.stdout
    assert "1 file, 1 object" in proc.stdout


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_bug_symlink_to_dev_zero_reads_until_memory_runs_out(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.fail(f"{device} is needed by this test")
    tree = tmp_path / "manifests"
    tree.mkdir()
    (tree / "a.yaml").write_text(CONFIGMAP.replace("NAME", "a"))
    (tree / "dev.yaml").symlink_to(device)
    proc = _kubelint(["manifests"], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "manifests/dev.yaml: note symbolic link to a file outside manifests: not read" in (
        proc.stdout
    )


def test_named_device_is_refused_with_exit_2(tmp_path: Path) -> None:
    proc = _kubelint(["/dev/zero"], tmp_path)
    assert proc.returncode == 2
    assert "/dev/zero: error input-error a device, not a regular file: not read" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_symlink_leaving_the_folder_is_skipped_but_one_inside_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(CONFIGMAP.replace("NAME", "outside"))
    tree = tmp_path / "manifests"
    tree.mkdir()
    (tree / "a.yaml").write_text(CONFIGMAP.replace("NAME", "a"))
    (tree / "inside.yaml").symlink_to("a.yaml")
    (tree / "out.yaml").symlink_to(outside)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(["--format", "json", "manifests"], capsys)

    data = json.loads(out)
    assert code == 0
    assert [n["file"] for n in data["notices"]] == ["manifests/out.yaml"]
    assert data["summary"]["files"] == 2  # a.yaml and the link to it


def test_symlink_named_on_the_command_line_may_point_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(CONFIGMAP.replace("NAME", "outside"))
    tree = tmp_path / "manifests"
    tree.mkdir()
    (tree / "out.yaml").symlink_to(outside)
    monkeypatch.chdir(tree)
    code, out, _ = run_cli(["out.yaml"], capsys)
    assert code == 0
    assert out.strip() == "1 file, 1 object: no findings"
