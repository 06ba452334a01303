"""The load stage: the files a plan names (and their context) read into objects."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from kubelint.loader import LoadedFile, load_source
from kubelint.loader.discovery import (
    Unreadable,
    expand,
    git_files,
    git_root,
    is_excluded,
    is_tool_config,
    read_regular,
    walk,
)
from kubelint.loader.kustomize import beside, is_kustomization, patch_files
from kubelint.model import InputProblem, K8sObject, Report
from kubelint.plan import STDIN, STDIN_NAME, Plan
from kubelint.staged import staged_context


class _Pending(NamedTuple):
    """A file to read."""

    path: Path
    #: Findings in it are reported (else it is context only).
    reported: bool
    #: Judged like a file found by walking a folder (skipped when it is no manifest).
    walked: bool
    #: The folder its symbolic links may not leave (None: named by the user).
    boundary: Path | None
    #: Its content, when read from the git index rather than the working tree.
    content: bytes | None = None


def display_name(path: Path, cwd: str) -> str:
    """How a path is shown: relative to the working directory when below it."""
    absolute = os.path.abspath(path)
    if absolute.startswith(cwd + os.sep):
        absolute = absolute[len(cwd) + 1 :]
    elif not path.is_absolute():
        absolute = os.path.normpath(path)
    # A name with bytes that are not UTF-8 is shown with them escaped (``\\xff``): every
    # report format and the baseline must be able to write it.
    shown = absolute.replace(os.sep, "/").encode("utf-8", "surrogateescape")
    return shown.decode("utf-8", "backslashreplace")


def load(plan: Plan, report: Report) -> list[LoadedFile]:
    """Read standard input, the named files and the context files, in that order.

    Problems with the inputs go to ``report``; every file is read once.
    """
    named = _named_files(plan, report)
    loaded: list[LoadedFile] = []
    stdin = _read_stdin(plan)
    if stdin is not None:
        loaded.append(stdin)
    queue = _queue(plan, named)
    reader = _Reader(plan, report, _patches(queue, named))
    for pending in queue:
        item = reader.read(pending)
        if item is not None:
            loaded.append(item)
    return loaded


def _file_args(plan: Plan) -> list[str]:
    return [p for p in plan.inputs.paths if p != STDIN]


def _named_files(plan: Plan, report: Report) -> list[tuple[Path, Path | None]]:
    """The files the named paths give; a path that gives none is an input error."""
    config = plan.config
    named, missing = expand(_file_args(plan), config.exclude, config.base)
    for name in missing:
        message = (
            "no manifest files (*.yaml, *.yml, *.json) found"
            if Path(name).is_dir()
            else "no such file or directory"
        )
        report.errors.append(InputProblem(name, None, None, message))
    return named


def _read_stdin(plan: Plan) -> LoadedFile | None:
    inputs = plan.inputs
    if STDIN not in inputs.paths or inputs.stdin is None:
        return None
    raw = inputs.stdin()
    item = load_source(
        STDIN_NAME,
        raw,
        default_namespace=plan.config.namespace,
        low_memory=len(raw) > plan.low_memory_after,
        stdin=True,
    )
    if not item.objects and not item.errors:
        # Nothing piped in is what a failed `helm template` prints: never a pass.
        item.errors.append(
            InputProblem(STDIN_NAME, None, None, "no Kubernetes objects on standard input")
        )
    return item


def _queue(plan: Plan, named: Sequence[tuple[Path, Path | None]]) -> list[_Pending]:
    """Named files first, then CRDs and admission policies, then the repository context."""
    config = plan.config
    skip_non_manifests = plan.inputs.skip_non_manifests
    queue = [
        _Pending(p, True, boundary is not None or skip_non_manifests, boundary)
        for p, boundary in named
    ]
    # With --staged, those folders are read from the index like the rest of the context
    # (what a clean clone would have), not from the working tree.
    from_index = plan.context and plan.staged is not None
    if (config.crd_paths or config.policy_paths) and not from_index:
        config_tree = git_root(config.base) or config.base
        for folder in [*config.crd_paths, *config.policy_paths]:
            queue += [_Pending(p, False, True, config_tree) for p in walk(config.base / folder)]
    if plan.context and plan.staged is not None:
        # What would be committed, not what lies in the working tree: an untracked policy
        # must not satisfy the hook when a clean clone would not have it.
        root = plan.staged.root
        queue += [
            _Pending(p, False, True, root, raw) for p, raw in staged_context(plan.staged, config)
        ]
    elif plan.context and _file_args(plan):
        queue += [
            _Pending(p, False, True, boundary)
            for p, boundary in _context_files([Path(a) for a in _file_args(plan)], plan)
            if not is_excluded(p, config.exclude, config.base)
        ]
    return queue


def _context_files(named: Sequence[Path], plan: Plan) -> list[tuple[Path, Path]]:
    """Every manifest of the repository (or configured roots) around the named files.

    Each comes with the folder its symbolic links may not leave.
    """
    config = plan.config
    if config.roots:
        found: list[tuple[Path, Path]] = []
        boundary = git_root(config.base) or config.base
        for root in config.roots:
            found.extend((p, boundary) for p in walk(config.base / root))
        return found
    repositories = {git_root(p) for p in named}
    files: list[tuple[Path, Path]] = []
    for repository in sorted(r for r in repositories if r is not None):
        files.extend((p, repository) for p in git_files(repository))
    return files


def _patches(
    queue: Sequence[_Pending], named: Sequence[tuple[Path, Path | None]]
) -> frozenset[str]:
    """Absolute paths of the kustomize patches of the kustomizations in sight."""
    kustomizations = [
        *(pending.path for pending in queue if is_kustomization(str(pending.path))),
        *beside(p for p, _ in named),
    ]
    return patch_files({os.path.abspath(k): k for k in kustomizations}.values())


def _no_node(obj: K8sObject) -> bool:
    return False


class _Reader:
    """Reads queued files once each, counting bytes to decide when to keep no nodes."""

    def __init__(self, plan: Plan, report: Report, patches: frozenset[str]) -> None:
        self.plan = plan
        self.report = report
        self.patches = patches
        self.seen: set[str] = set()
        self.loaded_bytes = 0

    def read(self, pending: _Pending) -> LoadedFile | None:
        """The file's objects and problems, or None when it is not read."""
        key = os.path.abspath(pending.path)
        if key in self.seen:
            return None
        self.seen.add(key)
        if key in self.plan.inputs.own_files:
            return None  # kubelint's own baseline and reports: not inputs, not counted
        if is_tool_config(key):
            # Helm, CI, compose, ... configuration: counted as skipped, never read.
            if pending.reported:
                self.report.skipped += 1
            return None
        display = display_name(pending.path, self.plan.cwd)
        raw = self._raw(pending, display)
        if raw is None:
            return None
        self.loaded_bytes += len(raw)
        staged = self.plan.staged
        item = load_source(
            display,
            raw,
            default_namespace=self.plan.config.namespace,
            reported=pending.reported,
            low_memory=self.loaded_bytes > self.plan.low_memory_after,
            walked=pending.walked,
            patch=key in self.patches,
            # Context objects are only read by other objects' checks and never located
            # (but for the namespaces a staged change re-checks): their parsed nodes, most
            # of their memory, are not kept.
            keep_node=None
            if pending.reported
            else (_no_node if staged is None else staged.may_recheck),
        )
        return item

    def _raw(self, pending: _Pending, display: str) -> bytes | None:
        """The file's bytes; None (with the problem recorded) when it cannot be read."""
        if pending.content is not None:
            return pending.content
        try:
            return read_regular(pending.path, pending.boundary)
        except Unreadable as exc:
            self._unreadable(pending, display, exc.reason)
        except OSError as exc:
            if pending.reported:
                self.report.errors.append(
                    InputProblem(display, None, None, f"cannot read: {exc.strerror}")
                )
        return None

    def _unreadable(self, pending: _Pending, display: str, reason: str) -> None:
        if not pending.reported:
            return
        if pending.boundary is None:
            # Named by the user: linting nothing is not a pass. A pipe, as from
            # `kubelint <(helm template ...)`, has a way in that is bounded: stdin.
            if "FIFO" in reason:
                reason += " (pipe it into `kubelint -` instead)"
            self.report.errors.append(InputProblem(display, None, None, reason))
        else:
            self.report.notices.append(InputProblem(display, None, None, reason))
