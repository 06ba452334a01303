"""Which files to read: the paths named by the user and the repository around them."""

from __future__ import annotations

import codecs
import os
import posixpath
import re
import stat
import subprocess
import sys
import threading
from collections.abc import Iterable, Sequence
from contextlib import suppress
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path

from kubelint.loader.kustomize import KUSTOMIZATION_NAMES

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
#: A kustomization's name that has no manifest suffix: listed with the manifests, so the
#: patches it names are known (it is tool configuration, never linted).
BARE_KUSTOMIZATION = "Kustomization"


def is_listed(name: str) -> bool:
    """Whether a file of this name (a base name, or a path with ``/``) is read or looked
    at: a manifest, or a kustomization."""
    return name.endswith(MANIFEST_SUFFIXES) or name.rpartition("/")[2] == BARE_KUSTOMIZATION


#: Folders never walked into: version control metadata, vendored and generated trees.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "_darcs",
        "node_modules",
        "vendor",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)

#: Files that configure tools, not the cluster: skipped by name, unread (their YAML quirks,
#: e.g. GitHub's ``on:`` key or Helm values with template text, never matter). Only names
#: the tool itself insists on are listed, so a manifest is never mistaken for one.
TOOL_CONFIG_NAMES = frozenset(
    {
        "Chart.yaml",  # Helm chart metadata
        "Chart.lock",
        *KUSTOMIZATION_NAMES,  # the only names kustomize reads
        "skaffold.yaml",
        "action.yml",  # GitHub (composite) actions
        "action.yaml",
        ".pre-commit-config.yaml",
        ".pre-commit-hooks.yaml",
        ".kubelint.yaml",
        ".kubelint.yml",
    }
)
#: Name patterns of tool configuration: Helm values (values.yaml, values-prod.yaml, ...)
#: and compose files (docker-compose*.yml, compose.yaml, compose.override.yaml, ...).
_TOOL_CONFIG_NAME_RE = re.compile(r"(?:values.*|docker-compose.*|compose(?:\..+)?)\.ya?ml")
#: GitHub reads workflows from this folder only.
_WORKFLOWS = f"{os.sep}.github{os.sep}workflows{os.sep}"


def is_tool_config(path: str) -> bool:
    """Whether the file's name alone says it configures a tool (Helm, CI, compose, ...).

    ``path`` is absolute (the folder of a GitHub workflow matters, whatever the working
    directory is).
    """
    return _tool_config_name(path.rpartition(os.sep)[2]) or _WORKFLOWS in path


@lru_cache(maxsize=4096)
def _tool_config_name(name: str) -> bool:
    # Asked of thousands of files of a repository on every commit, with few distinct names.
    return name in TOOL_CONFIG_NAMES or bool(_TOOL_CONFIG_NAME_RE.fullmatch(name))


def is_excluded(path: Path, excludes: Sequence[str], base: Path) -> bool:
    """Whether ``path`` matches one of the exclude globs (relative to ``base``)."""
    if not excludes:
        return False
    try:
        rel = path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    for pattern in excludes:
        pattern = pattern.rstrip("/")
        if fnmatch(rel, pattern) or fnmatch(rel, pattern + "/*") or rel.startswith(pattern + "/"):
            return True
    return False


def walk(directory: Path) -> Iterable[Path]:
    """Manifest files below ``directory``, sorted, skipping VCS and vendor folders.

    A folder below ``directory`` holding ``.git`` (a submodule, or any nested repository)
    is another project and is not entered: the repository context, built from git's file
    list, never reads one either, so a run over a folder and a run over named files see
    the same objects.
    """
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIPPED_DIRS and not os.path.lexists(os.path.join(root, d, ".git"))
        )
        for name in sorted(files):
            if is_listed(name):
                yield Path(root, name)


def expand(
    paths: Sequence[str], excludes: Sequence[str], base: Path
) -> tuple[list[tuple[Path, Path | None]], list[str]]:
    """Files to lint for the named paths, and the named paths that give none.

    Each file comes with the folder its symbolic links may not leave when it was found by
    walking a folder (the repository around the folder, else the folder), or None when it
    was named itself. A named path gives none when it does not exist, or is a folder
    without manifests (tool configuration such as Helm values does not count).
    """
    files: list[tuple[Path, Path | None]] = []
    missing: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = list(walk(path))
            if all(is_tool_config(os.path.abspath(p)) for p in found):
                missing.append(name)  # fail closed: linting nothing is not a pass
            boundary = git_root(path) or path
            files.extend((p, boundary) for p in found if not is_excluded(p, excludes, base))
        elif os.path.exists(path):
            # A FIFO or device named here is refused when read, with a clear message.
            if not is_excluded(path, excludes, base):
                files.append((path, None))
        else:
            missing.append(name)
    return files, missing


class Unreadable(Exception):
    """A file kubelint does not read: not a regular file, or a link leaving the tree."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@lru_cache(maxsize=64)
def _real(folder: str) -> str:
    return os.path.realpath(folder)


def read_regular(path: Path, boundary: Path | None, limit: int | None = None) -> bytes:
    """The bytes of ``path`` when it is a regular file (of at most ``limit`` bytes, when
    given); else :class:`Unreadable`.

    A FIFO would block the run forever and a link to ``/dev/zero`` would read until memory
    runs out, so only regular files are read. With a ``boundary`` (a file found by walking,
    not named by the user) a symbolic link is followed only to a file inside that folder:
    a committed link must not make kubelint read, and report on, files elsewhere.
    """
    # Folders are walked without following links, so only the file itself can be one.
    if (
        boundary is not None
        and os.path.islink(path)
        and not _inside(os.path.realpath(path), _real(str(boundary)))
    ):
        raise Unreadable(f"symbolic link to a file outside {boundary.as_posix()}: not read")
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise Unreadable(f"{_kind(mode)}, not a regular file: not read")
    # O_NONBLOCK: should the file be swapped for a FIFO after the check above, opening it
    # does not wait for a writer; the check on the open file below then refuses it.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as stream:
        mode = os.fstat(stream.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise Unreadable(f"{_kind(mode)}, not a regular file: not read")
        if limit is None:
            return stream.read()
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise Unreadable(f"larger than {limit} bytes: not read")
        return data


def _nearest_git(directory: Path) -> str | None:
    """The nearest folder at or above ``directory`` (physical path, as git starts from)
    that holds a ``.git`` (folder or file); None when there is none."""
    current = os.path.realpath(directory)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


#: git's answer for the folders whose nearest ``.git`` is in the same folder (the key):
#: git looks no further down than that, so the answer is the same for all of them.
_ROOTS: dict[str, Path | None] = {}


def git_root(path: Path) -> Path | None:
    """The top of the git work tree that holds ``path``, if any.

    Without a ``.git`` (folder or file) in or above the folder, and without
    ``GIT_DIR``/``GIT_WORK_TREE``, there is none and git is not asked: a lint outside any
    repository starts no git process (it used to start three, some 7 ms). git's answer is
    remembered per nearest ``.git``, so one run asks once however many paths it names.
    """
    directory = path if path.is_dir() else path.parent
    environment = bool(os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"))
    nearest = None if environment else _nearest_git(directory)
    if not environment and nearest is None:
        return None
    if nearest is not None and nearest in _ROOTS:
        return _ROOTS[nearest]
    found = _rev_parse_path(directory, "--show-toplevel")
    if nearest is not None:
        _ROOTS[nearest] = found
    return found


def work_tree(cwd: str) -> Path:
    """The git work tree around the folder ``cwd``, else ``cwd`` itself: the root that
    repository-relative paths (SARIF, GitHub annotations, baselines) start from."""
    return git_root(Path(cwd)) or Path(cwd)


def git_files(root: Path) -> list[Path]:
    """Manifests git knows in ``root``: tracked, or untracked and not ignored.

    Nested repositories are not entered (git lists them as a folder entry, skipped here).
    """
    out = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", timeout=60)
    if out is None:
        return []
    files = []
    for raw in out.split(b"\0"):
        name = os.fsdecode(raw)
        if not is_listed(name):
            continue
        if any(part in SKIPPED_DIRS for part in Path(name).parts[:-1]):
            continue
        path = root / name
        if path.is_file():
            files.append(path)
    return sorted(set(files))


#: Index modes that are not files: a submodule (gitlink) and a symbolic link (its blob is
#: the link's target, not a manifest).
_GITLINK = "160000"
_SYMLINK = "120000"
_GITLINK_BYTES = _GITLINK.encode()
_SYMLINK_BYTES = _SYMLINK.encode()


def _git(root: Path, *args: str, stdin: bytes | None = None, timeout: float = 120) -> bytes | None:
    """The output of a git command in ``root``, or None when it fails (or times out)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            check=False,
            timeout=timeout,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def _is_manifest_name(name: str) -> bool:
    return is_listed(name) and SKIPPED_DIRS.isdisjoint(name.split("/")[:-1])


#: How many symbolic links in a row are followed in the index before giving up (a loop).
_MAX_LINK_HOPS = 8


def git_dir(root: Path) -> Path | None:
    """The git directory of the repository at ``root`` (``.git``, or a worktree's)."""
    return _rev_parse_path(root, "--absolute-git-dir")


def _rev_parse_path(folder: Path, flag: str) -> Path | None:
    """The path ``git rev-parse <flag>`` prints in ``folder``; None when git cannot tell."""
    out = _git(folder, "rev-parse", flag, timeout=30)
    found = os.fsdecode(out).strip() if out is not None else ""
    return Path(found) if found else None


def index_files(root: Path) -> dict[str, str]:
    """Manifests of the git index (what the next commit holds): path -> blob id.

    Only tracked files count, never untracked ones. Submodules are not entered (their
    content is another repository's). A symbolic link counts as the indexed file it points
    to, as in the working tree, only when that file is in the repository too.
    """
    out = _git(root, "ls-files", "-s", "-z")
    if out is None:
        return {}
    found = _regular_manifests(out) if _UTF8_NAMES else None
    if found is not None:
        return found
    blobs, links = _index_entries(out)
    files = {n: b for n, b in blobs.items() if _is_manifest_name(n)}
    wanted = [n for n in links if _is_manifest_name(n)]
    # Every link's target, for links to links; a target is a path, never large.
    targets = read_objects(root, list(links.values()) if wanted else [], 4096)
    for name in wanted:
        target = _link_target(name, links, blobs, targets)
        if target is not None:
            files[name] = blobs[target]
    return dict(sorted(files.items()))


#: Whether a file name from git is decoded as UTF-8 (surrogate escapes for other bytes),
#: as :func:`os.fsdecode` does on POSIX; elsewhere (Windows) each name is decoded alone.
_UTF8_NAMES = os.name == "posix" and codecs.lookup(sys.getfilesystemencoding()).name == "utf-8"
#: A stage-0 entry of ``git ls-files -s -z`` with a manifest's name, led by the NUL that
#: ends the entry before (so a match never starts inside a name: names may hold tabs).
_STAGE0_MANIFEST = re.compile(
    rf"\0(100644|100755|{_SYMLINK}) ([0-9a-f]+) 0\t"
    rf"([^\0]*\.(?:yaml|yml|json)|(?:[^\0]*/)?{BARE_KUSTOMIZATION})(?=\0)"
)


def _regular_manifests(out: bytes) -> dict[str, str] | None:
    """:func:`index_files` from ``git ls-files -s -z`` output when no symbolic link with a
    manifest's name needs following (else None), without a Python loop over the entries.

    A pre-commit hook reads thousands of entries on every commit: the whole listing is
    decoded once and one regular expression picks the entries kept; the skipped folders
    are tested once per folder, not per file.
    """
    text = out.decode("utf-8", "surrogateescape")
    entries = _STAGE0_MANIFEST.findall("\0" + text)
    files = {name: blob for mode, blob, name in entries if mode != _SYMLINK}
    if len(files) != len(entries):
        return None  # a path is listed once at stage 0: the others are links
    folders = {name.rpartition("/")[0] for name in files}
    skipped = {f for f in folders if not SKIPPED_DIRS.isdisjoint(f.split("/"))}
    if skipped:
        files = {n: b for n, b in files.items() if n.rpartition("/")[0] not in skipped}
    # git lists the index in byte order, which is Python's order of ASCII names; a byte
    # that is not UTF-8 (a surrogate escape) may sort elsewhere.
    return files if text.isascii() else dict(sorted(files.items()))


def _index_entries(out: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """The stage-0 files and symbolic links of ``git ls-files -s -z`` output, each
    path -> object id, read entry by entry (names decoded as :func:`os.fsdecode` does)."""
    blobs: dict[str, str] = {}
    links: dict[str, str] = {}
    decode = os.fsdecode
    for entry in out.split(b"\0"):
        info, tab, raw_name = entry.partition(b"\t")
        fields = info.split()
        if not tab or len(fields) != 3:
            continue
        mode, blob, stage = fields
        # stage 0 only: a conflicted file cannot be committed until it is resolved
        if stage != b"0" or mode == _GITLINK_BYTES:
            continue
        kept = links if mode == _SYMLINK_BYTES else blobs
        kept[decode(raw_name)] = blob.decode("ascii", "replace")
    return blobs, links


def _link_target(
    name: str, links: dict[str, str], blobs: dict[str, str], targets: dict[str, bytes]
) -> str | None:
    """The indexed regular file a symbolic link of the index leads to, if any."""
    for _ in range(_MAX_LINK_HOPS):
        raw = targets.get(links[name])
        if raw is None:
            return None
        text = os.fsdecode(raw)
        if text.startswith("/"):
            return None  # absolute: outside the repository's tree
        name = posixpath.normpath(posixpath.join(posixpath.dirname(name), text))
        if name.startswith("../") or name == "..":
            return None
        if name in blobs:
            return name
        if name not in links:
            return None
    return None


def read_objects(root: Path, names: Sequence[str], max_bytes: int) -> dict[str, bytes]:
    """The content of git objects (blob ids or ``rev:path`` names) by name.

    git is asked for the type and size of each first, then for the content of the blobs
    small enough, so a larger one is never read; objects that are missing, not blobs, or
    larger than ``max_bytes`` are left out. A name with a line break cannot be asked for
    in a batch and is left out too.
    """
    global _batch_command_known
    asked = [n for n in dict.fromkeys(names) if "\n" not in n and "\r" not in n]
    if not asked:
        return {}
    if _batch_command_known:
        found = _read_in_one_process(root, asked, max_bytes)
        if found is not None:
            return found
        _batch_command_known = False
    return _read_in_two_processes(root, asked, max_bytes)


#: False once git said it has no ``cat-file --batch-command`` (it came in git 2.36).
_batch_command_known = True
#: What git says of each object asked for: its id, type and size.
_OBJECT_INFO = "%(objectname) %(objecttype) %(objectsize)"
_GIT_TIMEOUT = 120.0


def _read_in_one_process(
    root: Path, asked: Sequence[str], max_bytes: int
) -> dict[str, bytes] | None:
    """:func:`read_objects` with one ``git cat-file --batch-command``: the sizes, then the
    content of the blobs small enough, asked by id (so the blob read is the one measured).
    None when this git has no ``--batch-command``.
    """
    command = ["git", "-C", str(root), "cat-file", f"--batch-command={_OBJECT_INFO}", "--buffer"]
    try:
        git = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError:
        return {}
    # A git that stops answering is stopped, as a git command that runs too long is.
    timer = threading.Timer(_GIT_TIMEOUT, git.kill)
    timer.start()
    try:
        with git:
            return _ask_sizes_then_content(git, asked, max_bytes)
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}
    finally:
        timer.cancel()


def _ask_sizes_then_content(
    git: subprocess.Popen[bytes], asked: Sequence[str], max_bytes: int
) -> dict[str, bytes] | None:
    """The exchange of :func:`_read_in_one_process` with its running git."""
    assert git.stdin is not None and git.stdout is not None
    # With --buffer git answers nothing before "flush": however long the request, it is
    # read whole before any answer could fill the pipe back (the content, larger, is
    # exchanged by communicate()).
    request = "".join(f"info {n}\n" for n in asked) + "flush\n"
    try:
        git.stdin.write(request.encode("utf-8", "surrogateescape"))
        git.stdin.flush()
    except OSError:  # git has stopped: its answers (none) say so
        with suppress(OSError):
            git.stdin.close()  # what git did not take is dropped, not written again
    answers = [git.stdout.readline() for _ in asked]
    if not answers[0]:  # git stopped before answering
        return None if git.wait() == _USAGE_ERROR else {}
    ids: dict[str, str] = {}
    for name, answer in zip(asked, answers, strict=True):
        fields = answer.split()
        if len(fields) == 3 and fields[1] == b"blob" and fields[2].isdigit():
            if int(fields[2]) <= max_bytes:
                ids[name] = fields[0].decode("ascii", "replace")
    wanted = list(dict.fromkeys(ids.values()))
    content = "".join(f"contents {blob}\n" for blob in wanted).encode("ascii")
    out, _ = git.communicate(content, timeout=_GIT_TIMEOUT)
    found = _batch_output(out, wanted)
    return {name: found[blob] for name, blob in ids.items() if blob in found}


#: git's exit code for an option it does not know.
_USAGE_ERROR = 129


def _read_in_two_processes(root: Path, asked: Sequence[str], max_bytes: int) -> dict[str, bytes]:
    """:func:`read_objects` with ``git cat-file --batch-check`` for the sizes, then
    ``--batch`` for the content (git before 2.36)."""
    sizes = _cat_file(root, asked, "--batch-check=%(objecttype) %(objectsize)")
    if sizes is None:
        return {}
    wanted: list[str] = []
    for name, line in zip(asked, sizes.decode("ascii", "replace").splitlines(), strict=False):
        kind, _, size = line.partition(" ")
        if kind == "blob" and size.isdigit() and int(size) <= max_bytes:
            wanted.append(name)
    if not wanted:
        return {}
    out = _cat_file(root, wanted, "--batch")
    return _batch_output(out, wanted) if out is not None else {}


def _batch_output(out: bytes, wanted: Sequence[str]) -> dict[str, bytes]:
    """The objects of ``git cat-file --batch`` output (a header line, the content and a
    line break each), by the name each was asked by, in order."""
    found: dict[str, bytes] = {}
    position = 0
    for name in wanted:
        header_end = out.find(b"\n", position)
        if header_end < 0:
            break
        header = out[position:header_end].split()
        if len(header) != 3 or not header[2].isdigit():
            break  # "missing" (changed since the size check) or garbled: stop reading
        length = int(header[2])
        found[name] = out[header_end + 1 : header_end + 1 + length]
        position = header_end + 1 + length + 1
    return found


def _cat_file(root: Path, names: Sequence[str], mode: str) -> bytes | None:
    """``git cat-file`` in a batch ``mode``, asked for ``names`` one a line."""
    request = "".join(n + "\n" for n in names).encode("utf-8", "surrogateescape")
    return _git(root, "cat-file", mode, stdin=request)


def head_commit(root: Path) -> str | None:
    """The commit HEAD names, or None before the first commit."""
    out = _git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    return out.decode("ascii", "replace").strip() if out else None


def staged_changes(root: Path) -> list[tuple[str | None, str | None]] | None:
    """Manifests the next commit changes: (path at HEAD, path in the index) pairs.

    A deleted file has no index path, an added one no HEAD path. Before the first commit
    everything staged is added. None when git cannot tell (not a repository).
    """
    # HEAD by name first: the common case takes one git process, not two.
    out = _git(root, *_DIFF_NAMES, "HEAD")
    if out is not None:
        return _changes(out)
    base = head_commit(root)
    if base is None:
        # The empty tree: its id depends on the repository's hash function.
        empty = _git(root, "hash-object", "-t", "tree", "--stdin", stdin=b"")
        if empty is None:
            return None
        base = empty.decode("ascii", "replace").strip()
    out = _git(root, *_DIFF_NAMES, base)
    return _changes(out) if out is not None else None


_DIFF_NAMES = ("diff", "--cached", "--name-status", "--no-renames", "-z", "--no-ext-diff")


def _changes(out: bytes) -> list[tuple[str | None, str | None]]:
    """The manifests of ``git diff --name-status -z`` output, as :func:`staged_changes`."""
    fields = [os.fsdecode(f) for f in out.split(b"\0")]
    changes: list[tuple[str | None, str | None]] = []
    for status, name in zip(fields[0::2], fields[1::2], strict=False):
        if not _is_manifest_name(name):
            continue
        if status.startswith("A"):
            changes.append((None, name))
        elif status.startswith("D"):
            changes.append((name, None))
        else:  # modified, type changed, unmerged
            changes.append((name, name))
    return changes
