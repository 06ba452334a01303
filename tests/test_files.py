"""Files kubelint reads and writes: only regular files, links kept in the tree, safe output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TextIO

import pytest

from tests.conftest import run_cli

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: NAME}\ndata: {k: v}\n"


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # A timeout, not a measurement: a hang must fail the test instead of the suite.
    return subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
        check=False,
    )


def _kubelint(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "kubelint", "--select", "plaintext-secret", *args], cwd)


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


FORGED_POD = """apiVersion: v1
kind: Pod
metadata:
  name: "x\\n::add-mask::abc\\n::error file=x::forged\\e[31m\\u202e"
spec:
  containers:
    - name: "c\\x01\\e]0;title\\a"
      image: example/app:1
      securityContext: {privileged: true}
"""


def _lines_from(fmt: str, cwd: Path, *files: str) -> list[str]:
    proc = _kubelint_select(["--format", fmt, *files], cwd, "privileged-container")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout.splitlines()


def _kubelint_select(args: list[str], cwd: Path, check: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kubelint", "--select", check, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="surrogateescape",
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_bug_control_characters_forge_workflow_commands(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "pod.yaml").write_text(FORGED_POD)
    (tmp_path / "::error file=a::b.yaml").write_text(FORGED_POD)
    lines = _lines_from(fmt, tmp_path, "pod.yaml", "::error file=a::b.yaml")
    output = "\n".join(lines)
    assert "\x1b" not in output and "\x07" not in output and "\x01" not in output
    assert "\u202e" not in output
    # kubelint's own annotations (github format) are the only lines that start with '::'.
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == (2 if fmt == "github" else 0)
    assert all(line.startswith("::error file=") for line in commands)
    # The forged name is shown, visibly escaped, on the finding's own line.
    assert len([line for line in lines if "privileged-container" in line]) == 2 + (
        fmt == "text"  # the hints section names the check once
    )
    assert "c\\x01\\x1b]0;title\\x07" in output


def test_bug_github_annotation_keeps_forged_command_inside_its_message(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(FORGED_POD)
    [annotation, summary] = _lines_from("github", tmp_path, "pod.yaml")
    assert annotation.startswith("::error file=pod.yaml,line=9,col=")
    assert summary.startswith("1 file (1 with findings)")


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\ufffe", "\x7f\x85"])
def test_bug_junit_is_not_well_formed_with_control_characters(tmp_path: Path, char: str) -> None:
    import xml.etree.ElementTree as ET

    pod = FORGED_POD.replace("\\x01", char.encode("unicode_escape").decode())
    (tmp_path / "pod.yaml").write_text(pod, encoding="utf-8")
    proc = _kubelint_select(["--format", "junit", "pod.yaml"], tmp_path, "privileged-container")
    assert proc.returncode == 1, proc.stderr
    root = ET.fromstring(proc.stdout.encode("utf-8"))
    [failure] = root.iter("failure")
    assert "container 'c\\" in failure.attrib["message"]
    [case] = root.iter("testcase")
    assert case.attrib["name"].startswith("default/Pod/x\\n::add-mask::abc\\n")


PRIVILEGED_POD = FORGED_POD.replace(
    '"x\\n::add-mask::abc\\n::error file=x::forged\\e[31m\\u202e"', "p"
)


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "junit", "json", "sarif"])
def test_bug_non_utf8_file_name_crashes_sarif_and_format_file(tmp_path: Path, fmt: str) -> None:
    (tmp_path / os.fsdecode(b"bad\xff.yaml")).write_text(PRIVILEGED_POD)
    target = os.fsdecode(b"out\xff." + fmt.encode())
    proc = subprocess.run(
        [sys.executable, "-m", "kubelint", "--select", "privileged-container"]
        + ["-f", fmt, "-f", f"{fmt}:{target}", "."],
        cwd=tmp_path,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == b""
    shown = proc.stdout.decode("utf-8")  # strict: no undecodable byte reaches the report
    assert (tmp_path / target).read_bytes() == proc.stdout
    if fmt == "json":
        assert json.loads(shown)["findings"][0]["file"] == "bad\\xff.yaml"
    elif fmt == "sarif":
        [result] = json.loads(shown)["runs"][0]["results"]
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": "bad%5Cxff.yaml", "uriBaseId": "%SRCROOT%"}
    else:
        assert "bad\\xff.yaml" in shown


def test_report_file_name_with_undecodable_byte_is_escaped_in_errors(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(PRIVILEGED_POD)
    missing = os.fsdecode(b"no-such-dir/out\xff.json")
    proc = _kubelint_select(["-f", f"json:{missing}", "pod.yaml"], tmp_path, "privileged-container")
    assert proc.returncode == 2
    assert proc.stderr == (
        "kubelint: error: no-such-dir/out\\xff.json: cannot write report: "
        "No such file or directory\n"
    )


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run(["sh", "-c", command, sys.executable], cwd)


def test_bug_closed_stdout_raises_attribute_error(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(PRIVILEGED_POD)
    proc = _shell('"$0" -m kubelint pod.yaml >&-', tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        "kubelint: error: standard output is closed: write the report to a file with "
        "--output FILE\n"
    )


def test_bug_stdout_on_full_disk_exits_3(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(PRIVILEGED_POD)
    proc = _shell('"$0" -m kubelint pod.yaml > /dev/full', tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        "kubelint: error: cannot write the report to standard output: No space left on device\n"
    )


def test_bug_closed_pipe_is_silent(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(PRIVILEGED_POD)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kubelint", "pod.yaml"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before kubelint writes a byte
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 1  # the run's own result: findings
    assert err == b""


def test_report_file_is_replaced_whole(tmp_path: Path) -> None:
    from kubelint.atomic import write_atomically

    target = tmp_path / "report.json"
    target.write_text("previous report\n")
    target.chmod(0o640)
    seen: list[str] = []

    def writer(stream: object) -> None:
        # While the new report is written, readers still see the previous one, whole.
        seen.append(target.read_text())
        seen.extend(p.name for p in tmp_path.iterdir() if p.name != "report.json")
        assert hasattr(stream, "write")
        stream.write("new report\n")  # type: ignore[attr-defined]

    write_atomically(target, writer)
    assert seen[0] == "previous report\n"
    assert seen[1].startswith(".report.json.") and seen[1].endswith(".tmp")
    assert target.read_text() == "new report\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_interrupted_report_leaves_the_previous_file(tmp_path: Path) -> None:
    from kubelint.atomic import write_atomically

    target = tmp_path / "report.sarif"
    target.write_text("previous report\n")

    def interrupted(stream: object) -> None:
        stream.write("half a rep")  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, interrupted)
    assert target.read_text() == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.sarif"]


def test_cli_report_and_baseline_files_are_renamed_into_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pod.yaml").write_text(PRIVILEGED_POD)
    for name in ("r.json", "b.json"):
        (tmp_path / name).write_text("old\n")
    inodes = {name: (tmp_path / name).stat().st_ino for name in ("r.json", "b.json")}
    # A second link to the old files: a file rewritten in place would change it too.
    for name in inodes:
        os.link(tmp_path / name, tmp_path / f"{name}.old")
    monkeypatch.chdir(tmp_path)
    code, _, _ = run_cli(
        ["--select", "privileged-container", "-o", "r.json", "-f", "json"]
        + ["--write-baseline", "b.json", "pod.yaml"],
        capsys,
    )
    assert code == 0
    for name in inodes:
        assert (tmp_path / f"{name}.old").read_text() == "old\n"
        assert json.loads((tmp_path / name).read_text())


def _repository(tmp_path: Path, config: str) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # what kubelint looks for to find the repository
    (repo / "manifests").mkdir()
    (repo / "manifests" / "a.yaml").write_text(CONFIGMAP.replace("NAME", "a"))
    (repo / ".kubelint.yaml").write_text(config)
    return repo


def test_bug_roots_slash_walks_the_whole_filesystem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repository(tmp_path, "select: [plaintext-secret]\nroots:\n  - manifests\n  - /\n")
    monkeypatch.chdir(repo)
    code, out, err = run_cli(["manifests"], capsys)
    assert code == 2
    assert out == ""
    assert err == (
        "kubelint: error: invalid configuration:\n"
        f"  {repo / '.kubelint.yaml'}:4:5: roots: '/' is outside {repo.resolve().as_posix()}: "
        "folders in the configuration must stay inside its repository\n"
    )


@pytest.mark.parametrize("entry", ["../..", "../repo/../elsewhere", "link-out"])
def test_crd_paths_may_not_leave_the_repository(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    entry: str,
) -> None:
    repo = _repository(tmp_path, f"crd-paths: ['{entry}']\n")
    (tmp_path / "elsewhere").mkdir()
    (repo / "link-out").symlink_to(tmp_path / "elsewhere")
    monkeypatch.chdir(repo)
    code, _, err = run_cli(["manifests"], capsys)
    assert code == 2
    assert f".kubelint.yaml:1:13: crd-paths: '{entry}' is outside" in err


def test_config_paths_inside_the_repository_are_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repository(tmp_path, "select: [plaintext-secret]\n")
    (repo / "sub").mkdir()
    # A configuration in a sub-folder may reach the rest of its repository.
    (repo / "sub" / ".kubelint.yaml").write_text(
        "select: [plaintext-secret]\nroots: ['..', '../manifests']\ncrd-paths: ['.']\n"
    )
    (repo / "sub" / "b.yaml").write_text(CONFIGMAP.replace("NAME", "b"))
    monkeypatch.chdir(repo / "sub")
    code, out, err = run_cli(["."], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("1 file, 1 object")


def test_named_fifo_is_an_input_error_pointing_at_stdin(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "a.yaml").write_text(CONFIGMAP.replace("NAME", "a"))
    proc = _kubelint(["pipe.yaml", "a.yaml"], tmp_path)
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [
        "pipe.yaml: error input-error a FIFO, not a regular file: not read "
        "(pipe it into `kubelint -` instead)",
        "1 file, 1 object: no findings; 1 input error",
    ]


def test_report_written_through_a_link_replaces_its_target(tmp_path: Path) -> None:
    from kubelint.atomic import write_atomically

    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "kubelint.sarif"
    real.write_text("old\n")
    link = tmp_path / "latest.sarif"
    link.symlink_to(real)
    write_atomically(link, _write_new)
    assert link.is_symlink()
    assert real.read_text() == "new\n"
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["kubelint.sarif"]


def test_report_in_a_folder_closed_to_new_files_is_still_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from kubelint.atomic import write_atomically

    target = tmp_path / "report.txt"
    target.write_text("old\n")

    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")  # as in a folder without write access

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    write_atomically(target, _write_new)
    assert target.read_text() == "new\n"
    missing = tmp_path / "absent.txt"
    with pytest.raises(PermissionError):
        write_atomically(missing, _write_new)
    assert not missing.exists()


def _write_new(stream: TextIO) -> None:
    stream.write("new\n")


@pytest.mark.parametrize(
    ("name", "manifest"),
    [
        ("deploy.yaml", True),
        ("apps/web/deploy.yml", True),
        ("apps/web/deploy.json", True),
        ("apps/web/README.md", False),
        ("node_modules/chart/deploy.yaml", False),
        ("apps/vendor/deploy.yaml", False),
        ("apps/vendor.yaml", True),  # a file named like a skipped folder is no folder
        ("apps/vendored/deploy.yaml", True),
    ],
)
def test_index_names_in_skipped_folders_are_no_manifests(name: str, manifest: bool) -> None:
    from kubelint.loader.discovery import _is_manifest_name

    assert _is_manifest_name(name) is manifest


def _no_git(*_: object, **__: object) -> bytes | None:
    raise AssertionError("a git process was started outside any repository")


def test_a_folder_outside_any_repository_starts_no_git_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kubelint.loader import discovery

    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    (tmp_path / "deep" / "er").mkdir(parents=True)
    monkeypatch.setattr(discovery, "_git", _no_git)
    assert discovery.git_root(tmp_path / "deep" / "er") is None
    assert discovery.git_root(tmp_path / "deep" / "er" / "pod.yaml") is None


@pytest.mark.parametrize("where", ["here", "above", "link", "gitfile", "env"])
def test_git_is_asked_wherever_a_repository_may_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from kubelint.loader import discovery

    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    repo = tmp_path / "repo"
    (repo / "apps").mkdir(parents=True)
    if where == "gitfile":  # a linked worktree or a submodule: .git is a file
        (repo / ".git").write_text("gitdir: /elsewhere\n")
    else:
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    folder = {"here": repo, "above": repo / "apps"}.get(where, repo / "apps")
    if where == "link":  # a link into the repository from outside it
        (tmp_path / "outside").symlink_to(repo / "apps")
        folder = tmp_path / "outside"
    if where == "env":
        (repo / ".git").rename(tmp_path / "gitdir")
        monkeypatch.setenv("GIT_DIR", str(tmp_path / "gitdir"))
    asked: list[tuple[str, ...]] = []
    monkeypatch.setattr(discovery, "_git", lambda root, *args, **_: asked.append(args))
    discovery.git_root(folder)
    assert asked == [("rev-parse", "--show-toplevel")]


def test_git_is_asked_once_per_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kubelint.loader import discovery

    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    repo = tmp_path / "repo"
    (repo / "a" / "b").mkdir(parents=True)
    (repo / "nested").mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "init", "-q", str(repo / "nested")], check=True)
    real = discovery._git
    asked: list[Path] = []

    def counting(root: Path, *args: str, **kwargs: object) -> bytes | None:
        asked.append(root)
        return real(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(discovery, "_git", counting)
    tops = {discovery.git_root(p) for p in (repo, repo / "a", repo / "a" / "b" / "x.yaml")}
    assert tops == {repo.resolve()} and len(asked) == 1
    # A repository inside it has its own answer.
    assert discovery.git_root(repo / "nested") == (repo / "nested").resolve()
    assert len(asked) == 2


def test_git_root_still_finds_the_work_tree(tmp_path: Path) -> None:
    from kubelint.loader import discovery

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert discovery.git_root(tmp_path / "a" / "b") == tmp_path.resolve()
