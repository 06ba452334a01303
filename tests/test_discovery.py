"""What kubelint reads from git: the index's manifests and the content of its blobs.

The index is written entry by entry (``git update-index --index-info``), so the tests can
hold what a working tree rarely does: conflicted stages, submodules, links to links, names
with tabs, line breaks or bytes that are not UTF-8.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from kubelint.loader import discovery
from kubelint.loader.discovery import index_files, read_objects


def _git(repo: Path, *args: str, stdin: bytes = b"") -> bytes:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=True, timeout=60
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    project = tmp_path / "project"
    _git(tmp_path, "init", "-q", str(project))
    return project


def _blob(repo: Path, content: bytes) -> str:
    return _git(repo, "hash-object", "-w", "--stdin", stdin=content).decode().strip()


def _index(repo: Path, *entries: tuple[str, str, int, bytes]) -> None:
    """Write index entries (mode, object id, stage, path) as they are, path bytes and all."""
    request = b"".join(
        f"{mode} {oid} {stage}\t".encode() + name + b"\0" for mode, oid, stage, name in entries
    )
    _git(repo, "update-index", "-z", "--index-info", stdin=request)


def test_the_index_gives_its_stage_zero_manifests_outside_skipped_folders(repo: Path) -> None:
    blob = _blob(repo, b"kind: Pod\n")
    other = _blob(repo, b"kind: Service\n")
    commit = "1" * len(blob)  # a submodule's commit need not exist here

    # A conflicted or submodule entry whose name holds a whole entry of the listing.
    def decoy(name: str) -> bytes:
        return f"\t100644 {blob} 0\t{name}".encode()

    _index(
        repo,
        ("100644", blob, 0, b"deploy.yaml"),
        ("100755", other, 0, b"bin/run.yml"),
        ("100644", blob, 0, b"apps/web/svc.json"),
        ("100644", blob, 0, b"README.md"),
        ("100644", blob, 1, b"conflict.yaml"),
        ("100644", other, 2, b"conflict.yaml"),
        ("100644", blob, 3, b"conflict.yaml"),
        ("100644", blob, 1, b"theirs" + decoy("forged.yaml")),
        ("160000", commit, 0, b"sub.yaml"),
        ("160000", commit, 0, b"module" + decoy("forged.json")),
        ("100644", blob, 0, b"caf\xe9.yaml"),
        ("100644", blob, 0, "naïve.yaml".encode()),
        ("100644", blob, 0, b"a\tb.yaml"),
        ("100644", blob, 0, b"c\nd.yml"),
        ("100644", blob, 0, b"vendor/x.yaml"),
        ("100644", blob, 0, b"a/b/node_modules/c/x.yaml"),
        ("100644", blob, 0, b"deep/.venv/x.yaml"),
        ("100644", blob, 0, b"vendor.d/x.yaml"),
        ("100644", blob, 0, b"apps/vendor.yaml"),
        ("100644", blob, 0, b"apps/vendored/x.yaml"),
        ("100644", blob, 0, b"x.yaml.bak"),
    )
    expected = {
        "a\tb.yaml": blob,
        "apps/vendor.yaml": blob,
        "apps/vendored/x.yaml": blob,
        "apps/web/svc.json": blob,
        "bin/run.yml": other,
        "c\nd.yml": blob,
        os.fsdecode(b"caf\xe9.yaml"): blob,
        "deploy.yaml": blob,
        "naïve.yaml": blob,
        "vendor.d/x.yaml": blob,
    }
    found = index_files(repo)
    assert found == expected
    assert list(found) == sorted(expected)


def test_a_link_in_the_index_counts_as_the_indexed_file_it_leads_to(repo: Path) -> None:
    pod = _blob(repo, b"kind: Pod\n")
    data = _blob(repo, b"kind: ConfigMap\n")

    def link(target: str) -> str:
        return _blob(repo, target.encode())

    _index(
        repo,
        ("100644", pod, 0, b"apps/pod.yaml"),
        ("100644", data, 0, b"apps/data.txt"),
        ("100644", pod, 0, b"vendor/pod.yaml"),
        ("120000", link("pod.yaml"), 0, b"apps/link.yaml"),
        ("120000", link("link.yaml"), 0, b"apps/link-to-link.yaml"),
        ("120000", link("data.txt"), 0, b"apps/data.yaml"),  # a regular file of any name
        ("120000", link("../vendor/pod.yaml"), 0, b"apps/vendored.yaml"),
        ("120000", link("pod.yaml"), 0, b"vendor/link.yaml"),  # in a skipped folder
        ("120000", link("pod.yaml"), 0, b"apps/link.txt"),  # no manifest name
        ("120000", link("missing.yaml"), 0, b"apps/dangling.yaml"),
        ("120000", link("/etc/passwd"), 0, b"apps/absolute.yaml"),
        ("120000", link("../../outside.yaml"), 0, b"apps/outside.yaml"),
        ("120000", link("loop-b.yaml"), 0, b"apps/loop-a.yaml"),
        ("120000", link("loop-a.yaml"), 0, b"apps/loop-b.yaml"),
        ("120000", link("pod.yaml"), 2, b"apps/conflicted.yaml"),
    )
    assert index_files(repo) == {
        "apps/data.yaml": data,
        "apps/link-to-link.yaml": pod,
        "apps/link.yaml": pod,
        "apps/pod.yaml": pod,
        "apps/vendored.yaml": pod,
    }


def test_a_sha256_repository_gives_its_long_object_ids(tmp_path: Path) -> None:
    repo = tmp_path / "sha256"
    try:
        _git(tmp_path, "init", "-q", "--object-format=sha256", str(repo))
    except subprocess.CalledProcessError:
        pytest.skip("this git makes no sha256 repositories")
    (repo / "pod.yaml").write_text("kind: Pod\n")
    (repo / "link.yaml").symlink_to("pod.yaml")
    _git(repo, "add", "pod.yaml", "link.yaml")
    blob = _git(repo, "rev-parse", ":pod.yaml").decode().strip()
    assert len(blob) == 64
    assert index_files(repo) == {"link.yaml": blob, "pod.yaml": blob}
    assert read_objects(repo, [blob], 100) == {blob: b"kind: Pod\n"}


def test_the_index_is_given_in_the_order_of_its_names(repo: Path) -> None:
    blob = _blob(repo, b"kind: Pod\n")
    names = ["a/b.yaml", "a.yaml", "a-b.yaml", "A.yaml", "a_b.yaml", "a0.yaml", "b.json"]
    _index(repo, *(("100644", blob, 0, name.encode()) for name in names))
    assert list(index_files(repo)) == sorted(names)


def test_an_empty_index_and_a_folder_outside_git_give_nothing(repo: Path, tmp_path: Path) -> None:
    assert index_files(repo) == {}
    assert index_files(tmp_path / "nowhere") == {}


def test_the_portable_reading_of_the_index_gives_the_same_files(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where file names are not decoded as UTF-8 (Windows), entries are read one by one."""
    test_the_index_gives_its_stage_zero_manifests_outside_skipped_folders(repo)
    fast = index_files(repo)
    listing = _git(repo, "ls-files", "-s", "-z")
    assert discovery._regular_manifests(listing) == fast  # no link: the fast reading answers
    monkeypatch.setattr(discovery, "_UTF8_NAMES", False)
    assert index_files(repo) == fast
    assert list(index_files(repo)) == list(fast)


def test_objects_are_read_by_id_or_name_within_the_size_limit(repo: Path) -> None:
    small = _blob(repo, b"kind: Pod\n")
    large = _blob(repo, b"x" * 1000)
    empty = _blob(repo, b"")
    _index(repo, ("100644", small, 0, b"pod.yaml"))
    tree = _git(repo, "write-tree").decode().strip()
    missing = "0" * len(small)
    names = [small, large, empty, missing, tree, ":pod.yaml", "bad\nname", small]
    assert read_objects(repo, names, 100) == {
        small: b"kind: Pod\n",
        empty: b"",
        ":pod.yaml": b"kind: Pod\n",
    }
    assert read_objects(repo, [], 100) == {}
    assert read_objects(repo, [large], 1000) == {large: b"x" * 1000}


def test_thousands_of_objects_are_read_without_git_and_kubelint_waiting_on_each_other(
    repo: Path,
) -> None:
    """A cold pre-commit run asks for every blob of the index: the request, the sizes and
    the content each outgrow a pipe."""
    paths = []
    for number in range(1500):
        path = repo / f"pod-{number}.yaml"
        path.write_bytes(f"kind: Pod # {number}\n".encode() + b"x" * (number % 3 * 60))
        paths.append(str(path))
    listed = "".join(p + "\n" for p in paths).encode()
    blobs = _git(repo, "hash-object", "-w", "--stdin-paths", stdin=listed).decode().split()
    missing = [f"{number:0{len(blobs[0])}x}" for number in range(1500)]
    result: dict[str, bytes] = {}
    reader = threading.Thread(
        target=lambda: result.update(read_objects(repo, blobs + missing, 100))
    )
    reader.start()
    reader.join(timeout=120)
    assert not reader.is_alive(), "kubelint and git are waiting on each other"
    expected = {
        blob: Path(path).read_bytes()
        for blob, path in zip(blobs, paths, strict=True)
        if len(Path(path).read_bytes()) <= 100
    }
    assert result == expected and len(expected) > 500


class _Exited(subprocess.Popen[bytes]):
    """A ``cat-file --batch-command`` that has exited by the time kubelint writes to it."""

    def __init__(self, command: list[str], **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        if any(arg.startswith("--batch-command") for arg in command):
            self.wait()


@pytest.mark.parametrize("gone", ["while asked", "before asked"])
def test_a_git_without_batch_commands_is_asked_in_two_processes(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gone: str
) -> None:
    """git before 2.36 has no ``cat-file --batch-command``: it refuses the option once."""
    real = shutil.which("git")
    assert real is not None
    log = tmp_path / "asked.log"
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> "{log}"\n'
        'case "$*" in *--batch-command*) echo "error: unknown option" >&2; exit 129;; esac\n'
        f'exec "{real}" "$@"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(discovery, "_batch_command_known", True)
    small, large = _blob(repo, b"kind: Pod\n"), _blob(repo, b"x" * 1000)
    names = [small, large, "HEAD:nothing.yaml"]
    if gone == "while asked":  # more than a pipe holds: git goes before it is all written
        names += [f"HEAD:nothing-{number}.yaml" for number in range(5000)]
    else:  # the request waits in kubelint's buffer for a process that has gone
        monkeypatch.setattr(discovery.subprocess, "Popen", _Exited)
    for _ in range(2):
        assert read_objects(repo, names, 100) == {small: b"kind: Pod\n"}
    asked = log.read_text().splitlines()
    assert sum("--batch-command" in line for line in asked) == 1
    assert sum("--batch-check" in line for line in asked) == 2
