"""Files -> objects -> checks -> located, suppressed results."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path
from typing import Any

from kubelint.checks import ALL, Registry, groups, registry, run_providers, unknown_name
from kubelint.checks.base import Check, CheckProvider, ProviderRequest
from kubelint.config import Config
from kubelint.errors import UsageError
from kubelint.fixes import SeenResults
from kubelint.k8s.versions import NEWEST_VERSION
from kubelint.k8s.workloads import (
    WORKLOAD_KINDS,
    api_group,
    custom_pod_template,
    has_pod_template,
    pod_spec,
    pod_template_metadata_path,
    rollout_workload_ref,
)
from kubelint.loader import LoadedFile, load_source
from kubelint.loader.discovery import (
    Unreadable,
    expand,
    git_files,
    git_root,
    index_files,
    is_excluded,
    is_tool_config,
    read_objects,
    read_regular,
    staged_changes,
    walk,
)
from kubelint.loader.documents import MAX_DOCUMENT_CHARS
from kubelint.loader.kustomize import beside, is_kustomization, patch_files
from kubelint.model import (
    Finding,
    InputProblem,
    K8sObject,
    KeyPath,
    Location,
    Report,
    Result,
    Rule,
    Severity,
    format_path,
)
from kubelint.redaction import redact, redacted_identity
from kubelint.suppression import annotation_ids

STDIN = "-"
#: Past this much input no parse nodes are kept (objects re-parse their document when a
#: finding needs a position): slower, but nodes take about 50 times the size of the text.
LOW_MEMORY_AFTER_BYTES = 8 * 1024 * 1024
STDIN_NAME = "<stdin>"


class RunContext:
    """The read-only view of all objects that checks receive."""

    def __init__(
        self,
        objects: Iterable[K8sObject],
        known_ids: frozenset[str],
        *,
        kube_version: int = NEWEST_VERSION,
        explicit: Iterable[str] = (),
    ) -> None:
        self.objects = tuple(objects)
        self._known = known_ids
        self.kube_version = kube_version
        self.explicit = frozenset(explicit)
        self._by_kind: dict[str, tuple[K8sObject, ...]] = {}
        grouped: dict[str, list[K8sObject]] = {}
        for obj in self.objects:
            grouped.setdefault(obj.kind, []).append(obj)
        self._by_kind = {kind: tuple(objs) for kind, objs in grouped.items()}
        self._memo: dict[str, Any] = {}

    def of_kind(self, kind: str) -> tuple[K8sObject, ...]:
        return self._by_kind.get(kind, ())

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def known_ids(self) -> frozenset[str]:
        return self._known

    def know(self, ids: Iterable[str]) -> None:
        """Add the ids and groups of the checks providers bring to the run."""
        self._known = self._known | frozenset(ids)


def expand_ids(names: Iterable[str], by_group: Mapping[str, list[str]]) -> set[str]:
    out: set[str] = set()
    for name in names:
        out.update(by_group.get(name, [name]))
    return out


def select_checks(
    checks: Mapping[str, Check],
    select: Sequence[str] | None,
    ignore: Sequence[str],
    extend_select: Sequence[str] = (),
    *,
    strict: bool = True,
) -> list[Check]:
    """The checks to run: the defaults (or ``select``), plus ``extend_select``, minus ``ignore``.

    ``ignore`` wins: a check named in both ``extend_select`` and ``ignore`` does not run.
    An unknown name is an error, unless not ``strict`` (before providers add their checks,
    a name may be one of theirs): it is then passed over.
    """
    by_group = groups(checks.values())
    known = set(checks) | set(by_group)
    for name in [*(select or []), *extend_select, *ignore]:
        if name not in known and strict:
            raise UsageError(unknown_name(name, known))
    if select:
        chosen = expand_ids(select, by_group)
    else:
        chosen = {cid for cid, c in checks.items() if c.meta.enabled}
    chosen |= expand_ids(extend_select, by_group)
    chosen -= expand_ids(ignore, by_group)
    return [c for cid, c in checks.items() if cid in chosen]


def known_ids(checks: Mapping[str, Check]) -> frozenset[str]:
    return frozenset(checks) | frozenset(groups(checks.values()))


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


@dataclass
class Inputs:
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


#: Cross-object checks whose verdict on a namespace depends on objects of these kinds,
#: wherever in the repository they are: with ``--staged`` a change to one of them makes the
#: check report on the namespace's objects in files the commit does not touch.
RECHECKED_BY_KINDS: Mapping[str, frozenset[str]] = {
    "namespace-without-default-deny": frozenset({"NetworkPolicy", "Namespace"}),
}
#: Re-checked when a RuntimeClass changes: the workloads that name it, or every workload
#: when the project starts or stops declaring runtime classes (the check's severity).
RUNTIME_CLASS_CHECK = "missing-runtime-class"
#: Index blobs larger than this are not read as context (a single document may not be).
MAX_BLOB_BYTES = MAX_DOCUMENT_CHARS


@dataclass
class Staged:
    """What ``--staged`` reads from git: the index and the namespaces a commit affects."""

    root: Path
    #: Manifests of the index: path relative to ``root`` -> blob id.
    index: Mapping[str, str]
    #: Whether the staged change touches any manifest at all.
    touched: bool
    #: Namespaces whose NetworkPolicy or Namespace objects the commit adds, changes or
    #: deletes (both versions count).
    affected: frozenset[str]
    #: Names of the RuntimeClass objects the commit deletes or changes (the HEAD side) and
    #: adds or changes (the index side).
    runtime_classes_before: frozenset[str] = frozenset()
    runtime_classes_after: frozenset[str] = frozenset()
    #: Namespaces whose Namespace object the commit adds, changes or deletes: their Pod
    #: Security labels may have changed.
    labelled: frozenset[str] = frozenset()

    @property
    def runtime_classes(self) -> frozenset[str]:
        return self.runtime_classes_before | self.runtime_classes_after


def _object_namespace(obj: K8sObject) -> str | None:
    return obj.name if obj.kind == "Namespace" else obj.namespace


def staged_state(config: Config) -> Staged:
    """Read the git index and the staged change of the repository around the working folder."""
    root = git_root(Path.cwd())
    changes = staged_changes(root) if root is not None else None
    if root is None or changes is None:
        raise UsageError("--staged: not inside a git repository (it lints what git would commit)")
    index = index_files(root)
    kept = [
        (old, new)
        for old, new in changes
        if not any(
            name is not None
            and (
                is_tool_config(str(root / name))
                or is_excluded(root / name, config.exclude, config.base)
            )
            for name in (old, new)
        )
    ]
    kinds = frozenset().union(*RECHECKED_BY_KINDS.values())
    # Both sides of each change: a policy deleted or narrowed un-protects its namespace as
    # surely as one added elsewhere protects another.
    head_side = {f"HEAD:{old}" for old, _ in kept if old is not None}
    wanted = [*head_side, *(index[new] for _, new in kept if new is not None and new in index)]
    contents = read_objects(root, wanted, MAX_BLOB_BYTES)
    affected: set[str] = set()
    labelled: set[str] = set()
    classes: dict[bool, set[str]] = {True: set(), False: set()}
    for name, raw in contents.items():
        item = load_source(name, raw, default_namespace=config.namespace, reported=False)
        for obj in item.objects:
            namespace = _object_namespace(obj)
            if obj.kind in kinds and namespace:
                affected.add(namespace)
            if obj.kind == "RuntimeClass" and obj.name:
                classes[name in head_side].add(obj.name)
            if obj.kind == "Namespace" and obj.name:
                labelled.add(obj.name)
    return Staged(
        root,
        index,
        bool(kept),
        frozenset(affected),
        frozenset(classes[True]),
        frozenset(classes[False]),
        frozenset(labelled),
    )


def _context_files(named: Sequence[Path], config: Config) -> list[tuple[Path, Path]]:
    """Every manifest of the repository (or configured roots) around the named files.

    Each comes with the folder its symbolic links may not leave.
    """
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


def _staged_context(staged: Staged, config: Config) -> list[tuple[Path, bytes]]:
    """The manifests of the git index (within the configured roots), read from the index."""
    names = sorted(staged.index)
    if config.roots:
        roots = [Path(os.path.realpath(config.base / r)) for r in config.roots]
        names = [n for n in names if any(_inside_folder(staged.root / n, r) for r in roots)]
    paths = {n: staged.root / n for n in names}
    names = [n for n in names if not is_excluded(paths[n], config.exclude, config.base)]
    contents = read_objects(staged.root, [staged.index[n] for n in names], MAX_BLOB_BYTES)
    return [(paths[n], contents[staged.index[n]]) for n in names if staged.index[n] in contents]


def _inside_folder(path: Path, folder: Path) -> bool:
    # By name: an index entry need not exist in the working tree, and links are the
    # index's to resolve.
    try:
        Path(os.path.abspath(path)).relative_to(folder)
    except ValueError:
        return False
    return True


def _load_all(
    inputs: Inputs,
    config: Config,
    need_context: bool,
    report: Report,
    staged: Staged | None = None,
) -> list[LoadedFile]:
    file_args = [p for p in inputs.paths if p != STDIN]
    named, missing = expand(file_args, config.exclude, config.base)
    for name in missing:
        message = (
            "no manifest files (*.yaml, *.yml, *.json) found"
            if Path(name).is_dir()
            else "no such file or directory"
        )
        report.errors.append(InputProblem(name, None, None, message))
    loaded: list[LoadedFile] = []
    if STDIN in inputs.paths and inputs.stdin is not None:
        raw_stdin = inputs.stdin()
        item = load_source(
            STDIN_NAME,
            raw_stdin,
            default_namespace=config.namespace,
            low_memory=len(raw_stdin) > LOW_MEMORY_AFTER_BYTES,
            stdin=True,
        )
        if not item.objects and not item.errors:
            # Nothing piped in is what a failed `helm template` prints: never a pass.
            item.errors.append(
                InputProblem(STDIN_NAME, None, None, "no Kubernetes objects on standard input")
            )
        loaded.append(item)
    seen: set[str] = set()
    cwd = os.getcwd()
    loaded_bytes = 0
    # (path, findings reported, found by walking a folder, folder its links may not leave,
    # content when read from the git index rather than the working tree)
    queue: list[tuple[Path, bool, bool, Path | None, bytes | None]] = [
        (p, True, boundary is not None or inputs.skip_non_manifests, boundary, None)
        for p, boundary in named
    ]
    if config.crd_paths:
        config_tree = git_root(config.base) or config.base
        for folder in config.crd_paths:
            queue += [(p, False, True, config_tree, None) for p in walk(config.base / folder)]
    if need_context and inputs.repo_context and staged is not None:
        # What would be committed, not what lies in the working tree: an untracked policy
        # must not satisfy the hook when a clean clone would not have it.
        queue += [(p, False, True, staged.root, raw) for p, raw in _staged_context(staged, config)]
    elif need_context and inputs.repo_context and file_args:
        queue += [
            (p, False, True, boundary, None)
            for p, boundary in _context_files([Path(a) for a in file_args], config)
            if not is_excluded(p, config.exclude, config.base)
        ]
    patches = patch_files(
        {
            os.path.abspath(k): k
            for k in [
                *(p for p, _, _, _, _ in queue if is_kustomization(str(p))),
                *beside(p for p, _ in named),
            ]
        }.values()
    )
    for path, reported, walked, boundary, content in queue:
        key = os.path.abspath(path)
        if key in seen:
            continue
        seen.add(key)
        if key in inputs.own_files:
            continue  # kubelint's own baseline and reports: not inputs, not counted
        if is_tool_config(key):
            # Helm, CI, compose, ... configuration: counted as skipped, never read.
            if reported:
                report.skipped += 1
            continue
        display = display_name(path, cwd)
        try:
            raw = content if content is not None else read_regular(path, boundary)
        except Unreadable as exc:
            if reported and boundary is None:
                # Named by the user: linting nothing is not a pass. A pipe, as from
                # `kubelint <(helm template ...)`, has a way in that is bounded: stdin.
                reason = exc.reason
                if "FIFO" in reason:
                    reason += " (pipe it into `kubelint -` instead)"
                report.errors.append(InputProblem(display, None, None, reason))
            elif reported:
                report.notices.append(InputProblem(display, None, None, exc.reason))
            continue
        except OSError as exc:
            if reported:
                report.errors.append(
                    InputProblem(display, None, None, f"cannot read: {exc.strerror}")
                )
            continue
        loaded_bytes += len(raw)
        item = load_source(
            display,
            raw,
            default_namespace=config.namespace,
            reported=reported,
            low_memory=loaded_bytes > LOW_MEMORY_AFTER_BYTES,
            walked=walked,
        )
        if key in patches:
            for obj in item.objects:
                obj.patch = True
        if not reported:
            # Context objects are only read by other objects' checks and never located
            # (but for the namespaces a staged change re-checks): let their parsed nodes
            # go, which is most of their memory.
            for obj in item.objects:
                if staged is None or not (
                    _object_namespace(obj) in staged.affected
                    or (staged.runtime_classes and has_pod_template(obj))
                ):
                    obj.node = None
        loaded.append(item)
    return loaded


def _count_not_validated(objects: Sequence[K8sObject], ctx: RunContext, report: Report) -> None:
    """Count (and name, once per kind) the objects that no schema could validate."""
    from kubelint.schema.apis import status
    from kubelint.schema.validate import problems

    missing: dict[tuple[str, str], list[K8sObject]] = {}
    for obj in objects:
        if problems(obj, ctx) is None and status(
            obj.api_version, obj.kind, ctx.kube_version
        ).state in ("unknown", "served", "deprecated"):
            missing.setdefault((obj.api_version, obj.kind), []).append(obj)
    from kubelint.schema.crds import crd_schemas

    declared = crd_schemas(ctx)
    for (api_version, kind), objs in sorted(missing.items()):
        report.not_validated += len(objs)
        first = objs[0]
        why = (
            "its CustomResourceDefinition's schema uses $ref or definitions, which kubelint "
            "never follows (reported on the CRD)"
            if (api_version, kind) in declared
            else "no schema (add the CustomResourceDefinition to the repository or to crd-paths)"
        )
        report.notices.append(
            InputProblem(
                first.file,
                first.locate(())[0],
                1,
                f"{len(objs)} {kind} object(s) ({api_version}) not validated: {why}",
            )
        )


def _assign_pod_templates(objects: Sequence[K8sObject], config: Config, report: Report) -> None:
    """Give custom kinds that run pods their pod template, so workload checks apply.

    The ``pod-templates`` configuration wins; then well-known kinds (OpenShift, Argo,
    Knative, KEDA); then any kind shaped like a Deployment or a CronJob, named once in a
    notice so that a user knows why its objects get workload findings.
    """
    guessed: dict[tuple[str, str], tuple[K8sObject, KeyPath]] = {}
    for obj in objects:
        if obj.kind in WORKLOAD_KINDS:
            continue
        custom = config.pod_templates.get(obj.kind)
        if custom is not None:
            obj.pod_template_path = custom
            continue
        found = custom_pod_template(obj.api_version, obj.kind, obj.data)
        if found is not None:
            obj.pod_template_path, was_guessed = found
            if was_guessed and obj.source.reported:
                guessed.setdefault((api_group(obj.api_version), obj.kind), (obj, found[0]))
            continue
        ref = rollout_workload_ref(obj.api_version, obj.kind, obj.data)
        if ref is not None and obj.source.reported:
            line, column, _ = obj.locate(("spec", "workloadRef"))
            target = str(ref.get("kind") or "Deployment")
            if ref.get("name"):
                target += f" '{ref['name']}'"
            report.notices.append(
                InputProblem(
                    obj.file,
                    line,
                    column,
                    f"{obj.describe()} takes its pods from {target} (spec.workloadRef): they "
                    "are checked through that object, not through the Rollout",
                )
            )
    for (_, kind), (first, path) in sorted(guessed.items()):
        line, column, _ = first.locate(())
        report.notices.append(
            InputProblem(
                first.file,
                line,
                column,
                f"checking custom kind {kind} ({first.api_version}) as a workload: its pod "
                f"template is at {format_path(path)}",
            )
        )


def _suppressed(
    result_check: str, obj: K8sObject, line: int, by_group: Mapping[str, list[str]], config: Config
) -> bool:
    ids: set[str] = set(annotation_ids(obj.data, ("metadata",)))
    template = pod_template_metadata_path(obj)
    if template:
        ids.update(annotation_ids(obj.data, template))
    ids.update(obj.source.suppressed_lines.get(line, ()))
    if result_check in expand_ids(ids, by_group):
        return True
    for glob, names in config.per_path_ignores.items():
        if result_check in expand_ids(names, by_group) and _path_matches(obj, glob, config):
            return True
    return False


def _path_matches(obj: K8sObject, glob: str, config: Config) -> bool:
    """Whether a ``per-path-ignores`` glob names the object's file.

    Globs are relative to the configuration file's folder, like ``exclude``, so the
    working directory kubelint runs from changes nothing. A Helm template named by a
    ``# Source:`` comment is matched by that name as well (a path in the chart, not on disk).
    """
    candidates = []
    if obj.source.display != STDIN_NAME:
        candidates.append(_config_relative(obj.source.display, str(config.base), os.getcwd()))
    if obj.helm_source:
        candidates.append(obj.helm_source)
    pattern = glob.rstrip("/")
    return any(
        fnmatch(name, pattern) or fnmatch(name, pattern + "/*") or name.startswith(pattern + "/")
        for name in candidates
    )


@lru_cache(maxsize=4096)
def _config_relative(display: str, base: str, cwd: str) -> str:
    """A linted file's path relative to the configuration folder (``../`` when outside it)."""
    absolute = Path(cwd, display).resolve()
    try:
        return Path(os.path.relpath(absolute, Path(cwd, base).resolve())).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return absolute.as_posix()


def _result(check: Check, finding: Finding, obj: K8sObject, config: Config) -> tuple[Result, int]:
    if finding.offset is not None:
        line, column = obj.source.position(finding.offset)
    else:
        line, column, _ = obj.locate(finding.path)
    meta = check.meta
    # Every text taken from the input is redacted: a credential written where a name goes
    # (plaintext-secret reports it) must not be printed by the findings that name it.
    result = Result(
        check=meta.id,
        severity=Severity(config.severities.get(meta.id) or finding.severity or meta.severity),
        location=Location(redact(obj.file), line, column),
        message=redact(finding.message),
        hint=redact(finding.hint or meta.remediation),
        obj=redacted_identity(obj),
        path=redact(format_path(finding.path)),
        source=redact(obj.helm_source) if obj.helm_source else None,
        key_path=finding.path,
        by_offset=finding.offset is not None,
        fix=finding.fix,
        document=obj,
    )
    return result, line


def lint(
    inputs: Inputs,
    config: Config,
    checks: Sequence[Check] | None = None,
    providers: Sequence[CheckProvider] | None = None,
) -> Report:
    """Lint the inputs with the given checks (default: the configured selection).

    ``providers`` are third-party check providers (default: those of the
    ``kubelint.providers`` entry-point group); the built-in ones always take part.
    """
    run = Registry(registry())
    chosen = run_providers(providers)
    if checks is None:
        selected = select_checks(
            run, config.select, config.ignore, config.extend_select, strict=False
        )
    else:
        selected = list(checks)
    report = Report()

    # The cyclic collector would scan every parsed node again and again (about 3x the parse
    # time on large inputs); parsed data has no cycles, so it pauses while kubelint works.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _lint(inputs, config, _Selection(selected, checks is not None, run, chosen), report)
    finally:
        if gc_was_enabled:
            gc.enable()
    report.errors = [_redacted_problem(p) for p in report.errors]
    report.notices = [_redacted_problem(p) for p in report.notices]
    report.internal_errors = [redact(message) for message in report.internal_errors]
    report.results.sort(key=Result.sort_key)
    return report


def _redacted_problem(problem: InputProblem) -> InputProblem:
    return InputProblem(redact(problem.file), problem.line, problem.column, redact(problem.message))


@dataclass
class _Selection:
    """The checks of a run before providers add theirs."""

    checks: Sequence[Check]
    #: The caller named the checks: providers only add to them.
    fixed: bool
    run: Registry
    providers: Sequence[CheckProvider]


def _provide(ctx: RunContext, config: Config, selection: _Selection) -> list[Check]:
    """The checks of the run once each provider has added its own.

    A provided check with a new id joins the run's registry and runs when the selection
    names it (or it is on by default); one with a known id is switched on unless ignored.
    The names the configuration uses are then checked against the whole registry.
    """
    run, selected = selection.run, list(selection.checks)
    static = frozenset(run)
    ignored = frozenset(expand_ids(config.ignore, groups(run.values())))
    chosen = {c.meta.id for c in selected}
    brought: dict[str, Check] = {}
    for provider in selection.providers:
        settings = config.sections.get(provider.config_key) if provider.config_key else None
        request = ProviderRequest(settings, ctx, run, frozenset(chosen), ignored)
        for check in provider.provide(request):
            cid = check.meta.id
            if cid not in static:  # a new check (twice the same id is an error)
                run.add(check, f"check provider '{provider.name}'")
            elif cid not in chosen and cid not in ignored:
                brought.setdefault(cid, run[cid])
    ctx.know(known_ids(run))
    config.verify(run, known_ids(run))
    if not selection.fixed or len(run) > len(static):
        final = select_checks(run, config.select, config.ignore, config.extend_select)
        added = [c for c in final if c.meta.id not in static]
        selected = [*selected, *added] if selection.fixed else final
    ctx.explicit = frozenset(c.meta.id for c in selected)
    return [*selected, *(c for cid, c in brought.items() if cid not in ctx.explicit)]


def _lint(inputs: Inputs, config: Config, selection: _Selection, report: Report) -> None:
    checks = selection.checks
    need_context = any(c.meta.needs_context for c in checks)
    staged = staged_state(config) if inputs.staged else None
    if staged is not None and not staged.touched and not inputs.paths:
        return  # the commit changes no manifest: nothing it holds can be worse than before
    loaded = _load_all(inputs, config, need_context, report, staged)
    report.retained = loaded
    objects: list[K8sObject] = []
    for item in loaded:
        objects.extend(item.objects)
        if item.source.reported:
            report.files += 1
            report.objects += len(item.objects)
            report.skipped += item.skipped
            report.errors.extend(item.errors)
            report.notices.extend(item.notices)
    _assign_pod_templates(objects, config, report)
    ctx = RunContext(
        # A kustomize patch is part of an object, not one of the cluster's objects.
        [o for o in objects if not o.patch],
        known_ids(selection.run),
        kube_version=config.kube_version,
        explicit=[c.meta.id for c in checks],
    )
    checks = _provide(ctx, config, selection)
    by_group = groups(selection.run.values())
    params = {c.meta.id: {**c.meta.defaults(), **config.params.get(c.meta.id, {})} for c in checks}
    if any(c.meta.id in ("schema-validation", "unknown-field") for c in checks):
        try:
            _count_not_validated([o for o in objects if o.source.reported], ctx, report)
        except Exception as exc:  # fail closed, by name, like a crashing check
            report.internal_errors.append(f"schema validation failed: {type(exc).__name__}")
    report.rules = [
        Rule(
            c.meta.id,
            c.meta.summary,
            Severity(config.severities.get(c.meta.id, c.meta.severity)),
            c.meta.remediation,
            c.doc,
            c.meta.all_groups,
            c.meta.help_uri,
        )
        for c in checks
    ]
    seen = SeenResults(report.results)
    rechecked = [c for c in checks if c.meta.id in RECHECKED_BY_KINDS]
    by_class = [c for c in checks if c.meta.id == RUNTIME_CLASS_CHECK]
    labelled = [c for c in checks if c.meta.reads_namespace_labels]
    class_changed = _runtime_class_change(staged, ctx) if staged is not None else None
    # The checks that apply to objects of a (kind, runs pods, is a patch), per check list.
    by_kind: dict[tuple[str, bool, bool], list[Check]] = {}
    rechecked_files: set[str] = set()
    for obj in objects:
        if obj.source.reported:
            _check_object(obj, checks, by_kind, ctx, params, config, by_group, seen, report)
        elif staged is not None:
            # A file the commit does not touch: only the verdicts that depend on what the
            # commit changes (the namespace's policies, a runtime class) count.
            namespace = _object_namespace(obj)
            again = list(rechecked) if namespace in staged.affected else []
            if by_class and class_changed is not None and class_changed(obj):
                again += by_class
            if namespace in staged.labelled:
                again += labelled
            if not again:
                continue
            before = len(report.results)
            _check_object(
                obj, again, {}, ctx, params, config, by_group, seen, report, _label_verdicts
            )
            if len(report.results) > before:
                # Reported on, so counted: the summary must not say "0 files" over a finding.
                report.objects += 1
                if obj.source.display not in rechecked_files:
                    rechecked_files.add(obj.source.display)
                    report.files += 1
    for item in report.retained:
        if item.source.display in rechecked_files:
            item.source.reported = True  # a file reported on is a linted file


def _runtime_class_change(staged: Staged, ctx: RunContext) -> Callable[[K8sObject], bool] | None:
    """Which workloads a staged RuntimeClass change re-judges (None: it changes none)."""
    if not staged.runtime_classes:
        return None
    now = {o.name for o in ctx.of_kind("RuntimeClass") if o.name}
    before = (now - staged.runtime_classes_after) | staged.runtime_classes_before
    if bool(now) != bool(before):
        return has_pod_template  # sandboxing started or stopped: every workload's severity
    changed = staged.runtime_classes

    def names_a_changed_class(obj: K8sObject) -> bool:
        found = pod_spec(obj)
        name = found[1].get("runtimeClassName") if found is not None else None
        return isinstance(name, str) and name in changed

    return names_a_changed_class


def _label_verdicts(check: Check, finding: Finding) -> bool:
    """In a file the commit does not touch, a finding of a check that reads namespace labels
    is reported only when a namespace's labels brought it (``Finding.contextual``); the
    check's other verdicts there do not depend on what the commit changed."""
    return not check.meta.reads_namespace_labels or finding.contextual


def _applicable(obj: K8sObject, checks: Sequence[Check]) -> list[Check]:
    # Objects of one kind can differ: a core Service is no workload, a Knative one is.
    pod_like = has_pod_template(obj)
    return [
        c
        for c in checks
        if (
            not c.meta.kinds
            or obj.kind in c.meta.kinds
            or (pod_like and c.meta.kinds >= WORKLOAD_KINDS)
        )
        # a patch leaves out what it does not change: only what it sets is judged
        and not (obj.patch and c.meta.judges_absence)
    ]


def _check_object(
    obj: K8sObject,
    checks: Sequence[Check],
    by_kind: dict[tuple[str, bool, bool], list[Check]],
    ctx: RunContext,
    params: Mapping[str, Mapping[str, Any]],
    config: Config,
    by_group: Mapping[str, list[str]],
    seen: SeenResults,
    report: Report,
    keep: Callable[[Check, Finding], bool] | None = None,
) -> None:
    """Run the checks that apply to ``obj`` and add their unsuppressed results (those
    ``keep`` accepts, when given)."""
    key = (obj.kind, has_pod_template(obj), obj.patch)
    applicable = by_kind.get(key)
    if applicable is None:
        applicable = by_kind[key] = _applicable(obj, checks)
    for check in applicable:
        if check.meta.match is not None and not check.meta.match.matches(obj):
            continue
        try:
            findings = list(check.check(obj, ctx, params[check.meta.id]))
        except Exception as exc:  # fail closed: a crashing check is reported by name
            line, column, _ = obj.locate(())
            report.internal_errors.append(
                f"check '{check.meta.id}' crashed on {obj.describe()} at "
                f"{obj.file}:{line}:{column}: {type(exc).__name__}"
            )
            if os.environ.get("KUBELINT_DEBUG"):
                import traceback

                traceback.print_exc(file=sys.stderr)
            continue
        for finding in findings:
            if keep is not None and not keep(check, finding):
                continue
            result, physical_line = _result(check, finding, obj, config)
            if seen.merge(result) or _suppressed(
                result.check, obj, physical_line, by_group, config
            ):
                continue
            seen.add(result)
    obj.release_node()


__all__ = ["ALL", "Inputs", "RunContext", "known_ids", "lint", "select_checks"]
