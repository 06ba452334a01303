"""`kubelint fix` and `--diff`: what is written, what is left alone, and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubelint import fixing
from kubelint.cli import main
from kubelint.fixing import FileFix, write
from tests.conftest import run_process

POD = (
    "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: web # the web pod\r\nspec:\r\n"
    "  containers:\r\n    - name: web\r\n      image: nginx:1.27\r\n"
)
FIXED = POD + (
    "      securityContext:\r\n        allowPrivilegeEscalation: false\r\n"
    "  securityContext:\r\n    seccompProfile:\r\n      type: RuntimeDefault\r\n"
)


def _pod(tmp_path: Path, text: str = POD) -> Path:
    path = tmp_path / "pod.yaml"
    path.write_bytes(text.encode())
    return path


def test_diff_shows_the_safe_fixes_and_writes_nothing(tmp_path: Path) -> None:
    path = _pod(tmp_path)
    result = run_process(["--diff", "pod.yaml"], cwd=tmp_path)
    assert result.returncode == 1
    assert "+        allowPrivilegeEscalation: false" in result.stdout
    assert "capabilities" not in result.stdout  # dropping ALL is unsafe
    assert path.read_bytes() == POD.encode()


def test_fix_writes_only_the_edited_lines_and_a_second_run_changes_nothing(
    tmp_path: Path,
) -> None:
    path = _pod(tmp_path)
    first = run_process(["fix", "pod.yaml", "--format", "json"], cwd=tmp_path)
    assert path.read_bytes() == FIXED.encode()  # CRLF, the comment and every line kept
    assert "fixed 1 finding(s) in 1 file(s)" in first.stderr
    # What is left is reported as usual: the settings only a person (or an unsafe fix) sets.
    left = json.loads(first.stdout)["findings"]
    assert [f["check"] for f in left if f["check"] == "missing-security-context"] == [
        "missing-security-context"
    ]
    assert first.returncode == 1
    second = run_process(["fix", "pod.yaml"], cwd=tmp_path)
    assert path.read_bytes() == FIXED.encode()
    assert "fixed 0 finding(s) in 0 file(s)" in second.stderr
    assert run_process(["--diff", "pod.yaml"], cwd=tmp_path).returncode == 0


def test_unsafe_fixes_drop_all_capabilities_too(tmp_path: Path) -> None:
    path = _pod(tmp_path)
    run_process(["fix", "--unsafe-fixes", "pod.yaml"], cwd=tmp_path)
    text = path.read_text()
    assert "drop:" in text and "- ALL" in text


def test_unsafe_fixes_alone_is_a_usage_error(tmp_path: Path) -> None:
    _pod(tmp_path)
    result = run_process(["--unsafe-fixes", "pod.yaml"], cwd=tmp_path)
    assert result.returncode == 2 and "--unsafe-fixes goes with --fix" in result.stderr


def test_standard_input_is_diffed_never_fixed(tmp_path: Path) -> None:
    fixed = run_process(["fix", "-"], cwd=tmp_path, stdin=POD.encode())
    assert fixed.returncode == 2 and "standard input is never fixed in place" in fixed.stderr
    diffed = run_process(["--diff", "-"], cwd=tmp_path, stdin=POD.encode())
    assert diffed.returncode == 1 and "allowPrivilegeEscalation: false" in diffed.stdout


def test_a_folder_named_fix_is_linted_as_dot_slash_fix(tmp_path: Path) -> None:
    folder = tmp_path / "fix"
    folder.mkdir()
    _pod(folder)
    result = run_process(["./fix"], cwd=tmp_path)
    assert result.returncode == 1 and "pod.yaml" in result.stdout
    assert (folder / "pod.yaml").read_bytes() == POD.encode()


def test_suppressed_and_baselined_findings_are_not_fixed(tmp_path: Path) -> None:
    suppressed = POD.replace(
        "  name: web # the web pod\r\n",
        "  name: web # the web pod\r\n  annotations:\r\n"
        "    kubelint.io/ignore: missing-security-context\r\n",
    )
    path = _pod(tmp_path, suppressed)
    run_process(["fix", "pod.yaml"], cwd=tmp_path)
    assert path.read_bytes() == suppressed.encode()
    path = _pod(tmp_path)
    run_process(["pod.yaml", "--write-baseline", "base.json"], cwd=tmp_path)
    run_process(["fix", "pod.yaml", "--baseline", "base.json"], cwd=tmp_path)
    assert path.read_bytes() == POD.encode()


def test_a_file_changed_since_it_was_read_is_left_alone(tmp_path: Path) -> None:
    path = _pod(tmp_path)
    path.write_bytes(b"kind: Pod\n")  # changed after the lint read it
    item = FileFix("pod.yaml", POD, FIXED)
    write([item], str(tmp_path))
    assert item.problem is not None and "changed on disk" in item.problem
    assert path.read_bytes() == b"kind: Pod\n"


def test_a_file_that_cannot_be_written_is_reported_untouched_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _pod(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(fixing.os, "access", lambda *_: False)
    assert main(["fix", "pod.yaml"]) == 2
    assert "pod.yaml: not fixed: is not writable" in capsys.readouterr().err
    assert path.read_bytes() == POD.encode()
    assert [p.name for p in tmp_path.iterdir()] == ["pod.yaml"]  # no temporary file left


def test_a_failed_write_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _pod(tmp_path)

    def broken(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixing.os, "replace", broken)
    item = FileFix("pod.yaml", POD, FIXED)
    write([item], str(tmp_path))
    assert item.problem == "cannot be written: No space left on device"
    assert path.read_bytes() == POD.encode()
    assert [p.name for p in tmp_path.iterdir()] == ["pod.yaml"]


def test_a_utf8_bom_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + POD.encode())
    run_process(["fix", "pod.yaml"], cwd=tmp_path)
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()


def test_a_diff_never_shows_a_secret_value_around_an_edit(tmp_path: Path) -> None:
    # The lines a diff quotes around an edit are output like any other: a plaintext value
    # there is shown as <redacted>, and the user is told the diff no longer applies.
    password = "Sup3rS3cretValue99"
    text = POD.replace("\r\n", "\n") + (
        "      env:\n        - name: DB_HOST\n          value: postgres.shop.svc\n"
        f"        - name: DB_PASSWORD\n          value: {password}\n"
    )
    path = _pod(tmp_path, text)
    result = run_process(["--diff", "pod.yaml"], cwd=tmp_path)
    assert result.returncode == 1
    assert password not in result.stdout + result.stderr
    assert "          value: <redacted>\n" in result.stdout
    # Only secrets are hidden: the host next to it is shown as it is.
    assert "          value: postgres.shop.svc\n" in result.stdout
    assert "+        allowPrivilegeEscalation: false" in result.stdout
    assert "does not apply as a patch" in result.stderr
    assert path.read_text() == text
    fixed = run_process(["fix", "pod.yaml"], cwd=tmp_path)
    assert password not in fixed.stdout + fixed.stderr
    assert f"value: {password}\n" in path.read_text()  # the file itself keeps its value


def test_unsafe_fixes_are_done_in_one_run_when_one_fix_makes_room_for_another(
    tmp_path: Path,
) -> None:
    # allowPrivilegeEscalation: false cannot be set beside privileged: true (the API server
    # refuses the pair); once privileged is removed it can: one `fix` run does both.
    text = POD.replace("\r\n", "\n") + "      securityContext:\n        privileged: true\n"
    path = _pod(tmp_path, text)
    first = run_process(["fix", "--unsafe-fixes", "pod.yaml", "-f", "json"], cwd=tmp_path)
    fixed = path.read_text()
    assert "privileged" not in fixed
    assert "allowPrivilegeEscalation: false" in fixed
    # The pod, and the default-deny NetworkPolicy written beside it.
    assert " in 2 file(s)" in first.stderr
    assert (tmp_path / "default-default-deny.yaml").is_file()
    left = [f for f in json.loads(first.stdout)["findings"] if f["fixable"] != "no"]
    assert left == []
    second = run_process(["fix", "--unsafe-fixes", "pod.yaml"], cwd=tmp_path)
    assert "fixed 0 finding(s) in 0 file(s)" in second.stderr
    assert path.read_text() == fixed


def test_a_diff_shows_control_characters_of_the_file_escaped(tmp_path: Path) -> None:
    # A bidirectional override in a comment next to the edit would reorder the terminal's
    # text; the diff shows it as an escape.
    text = POD.replace("image: nginx:1.27", "image: nginx:1.27 # \u202eweb")
    _pod(tmp_path, text)
    result = run_process(["--diff", "pod.yaml"], cwd=tmp_path)
    assert result.returncode == 1
    assert "\u202e" not in result.stdout
    assert "nginx:1.27 # \\u202eweb" in result.stdout


def test_a_linked_manifest_is_reported_and_left_a_link(tmp_path: Path) -> None:
    # Rewriting through the link would edit a file elsewhere; rewriting over it would turn
    # the link into a copy: neither, exit 2, and the file it points to is fixed itself.
    target = _pod(tmp_path)
    (tmp_path / "link.yaml").symlink_to(target.name)
    result = run_process(["fix", "link.yaml"], cwd=tmp_path)
    assert result.returncode == 2
    assert "link.yaml: not fixed: is a symbolic link" in result.stderr
    assert (tmp_path / "link.yaml").is_symlink()
    assert target.read_bytes() == POD.encode()
