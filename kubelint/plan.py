"""What a run will do, decided before any file is read: inputs, checks and context."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kubelint.checks import Registry
from kubelint.checks.base import Check, CheckProvider
from kubelint.config import Config

if TYPE_CHECKING:
    from kubelint.staged import Staged

#: The path that names standard input.
STDIN = "-"
#: How standard input is shown in reports.
STDIN_NAME = "<stdin>"


@dataclass
class Inputs:
    """What a run reads: the paths named, standard input, and how context is gathered."""

    paths: Sequence[str]
    stdin: Callable[[], bytes] | None = None
    #: Load the repository around the named paths for cross-object checks.
    repo_context: bool = True
    #: Absolute paths of kubelint's own files in this run (the baseline, report files):
    #: never read nor counted, so a baseline committed beside the manifests does not
    #: change what a run counts.
    own_files: frozenset[str] = frozenset()
    #: Judge named files like files found in a folder: one that neither parses nor looks
    #: like a manifest is skipped with a note (the pre-commit hook names every staged
    #: YAML/JSON file). Without it a named file fails closed.
    skip_non_manifests: bool = False
    #: Lint as the pre-commit hook does: the repository context is the git index (what
    #: would be committed), and namespaces whose NetworkPolicy or Namespace objects the
    #: staged change touches are checked again wherever their objects are.
    staged: bool = False
    #: Use the repository context cache (see :mod:`kubelint.context_cache`).
    cache: bool = True


@dataclass
class Selection:
    """The checks of a run before check providers add theirs."""

    checks: Sequence[Check]
    #: The caller named the checks: providers only add to them.
    fixed: bool
    #: The run's registry: the built-in and plugin checks, then the provided ones.
    run: Registry
    providers: Sequence[CheckProvider]


@dataclass(frozen=True)
class Plan:
    """One run's decisions: the stages after it only carry them out."""

    inputs: Inputs
    config: Config
    #: The checks selected for the run (check providers may bring more once objects are
    #: read, e.g. the Pod Security controls that namespace labels ask for).
    checks: Sequence[Check]
    #: The selection with the run's registry and its check providers.
    selection: Selection
    #: Whether the repository (or configured roots, or the git index) around the named
    #: files is read as context for cross-object checks.
    context: bool
    #: What ``--staged`` read from git, when it is set.
    staged: Staged | None
    #: The working folder, read once: display names are relative to it.
    cwd: str
    #: Past this many bytes read, objects keep no parse nodes (see runner).
    low_memory_after: int
    #: The folder that repository-relative paths in reports start from (Report.root).
    root: Path
    #: Nothing to lint: a ``--staged`` commit that changes no manifest (nothing it holds
    #: can be worse than before).
    idle: bool = False
