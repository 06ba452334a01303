"""Files -> objects -> checks -> located, suppressed results.

A run goes through named stages: :func:`plan` decides which checks run on which files with
which context; :func:`kubelint.load.load` reads the files into objects; the execute stage
runs the checks that apply to each object; the resolve stage turns each finding into a
located result, drops the suppressed ones and keeps one of each. Nothing reaches back.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path
from typing import Any

from kubelint.checks import ALL, Registry, groups, registry, run_providers, unknown_name
from kubelint.checks.base import Check, CheckProvider, Context, ModuleCheck, ProviderRequest
from kubelint.config import Config
from kubelint.context_cache import CachedSource
from kubelint.errors import UsageError
from kubelint.fixes import SeenResults
from kubelint.k8s.hardening import Hardening
from kubelint.k8s.versions import NEWEST_VERSION
from kubelint.k8s.workloads import (
    WORKLOAD_KINDS,
    api_group,
    custom_pod_template,
    has_pod_template,
    is_control_plane_pod,
    pod_template_metadata_path,
    rollout_workload_ref,
)
from kubelint.load import load
from kubelint.loader import LoadedFile
from kubelint.loader.discovery import work_tree
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
from kubelint.plan import STDIN_NAME, Inputs, Plan, Selection
from kubelint.redaction import redact, redacted_identity
from kubelint.staged import (
    ADMISSION_CHECK,
    RECHECKED_BY_KINDS,
    RUNTIME_CLASS_CHECK,
    Staged,
    object_namespace,
    runtime_class_change,
    staged_state,
)
from kubelint.suppression import annotation_ids

#: Past this much input no parse nodes are kept (objects re-parse their document when a
#: finding needs a position): slower, but nodes take about 50 times the size of the text.
LOW_MEMORY_AFTER_BYTES = 8 * 1024 * 1024


class RunContext:
    """The read-only view of all objects that checks receive."""

    def __init__(
        self,
        objects: Iterable[K8sObject],
        known_ids: frozenset[str],
        *,
        kube_version: int = NEWEST_VERSION,
        explicit: Iterable[str] = (),
        checks: Mapping[str, Check] | None = None,
        left_out: Mapping[str, Sequence[tuple[K8sObject, int]]] | None = None,
    ) -> None:
        self.objects = tuple(objects)
        self.left_out = left_out or {}
        self._known = known_ids
        #: Every check of the run (the run's registry: providers add to it), by id.
        self._checks: Mapping[str, Check] = checks if checks is not None else {}
        self._covers: list[Callable[[K8sObject, Context], Mapping[Hardening, bool]]] | None = None
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

    def covered(self, obj: K8sObject) -> Mapping[Hardening, bool]:
        """The hardening settings some check of the run reports itself for ``obj``."""
        if self._covers is None:  # asked once the run's checks are all known
            self._covers = [c.meta.covers for c in self._checks.values() if c.meta.covers]
        found: dict[Hardening, bool] = {}
        for covers in self._covers:
            for setting, always in covers(obj, self).items():
                found[setting] = found.get(setting, False) or always
        return found


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
    options: Mapping[str, Mapping[str, Any]] | None = None,
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
        chosen = {cid for cid, c in checks.items() if c.meta.enabled or _asked(c, options)}
    chosen |= expand_ids(extend_select, by_group)
    chosen -= expand_ids(ignore, by_group)
    return [c for cid, c in checks.items() if cid in chosen]


def _asked(check: Check, options: Mapping[str, Mapping[str, Any]] | None) -> bool:
    """Whether the configuration sets the option that turns ``check`` on (``enabled_by``)."""
    name = check.meta.enabled_by
    if name is None or not options:
        return False
    return bool((options.get(check.meta.id) or {}).get(name))


def known_ids(checks: Mapping[str, Check]) -> frozenset[str]:
    return frozenset(checks) | frozenset(groups(checks.values()))


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
    if checks is None:
        selected = select_checks(
            run,
            config.select,
            config.ignore,
            config.extend_select,
            strict=False,
            options=config.params,
        )
    else:
        selected = list(checks)
    selection = Selection(selected, checks is not None, run, run_providers(providers))
    report = Report()

    # The cyclic collector would scan every parsed node again and again (about 3x the parse
    # time on large inputs); parsed data has no cycles, so it pauses while kubelint works.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        run_plan = plan(inputs, config, selection)
        report.root = run_plan.root
        if not run_plan.idle:
            _run(run_plan, report)
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


def plan(inputs: Inputs, config: Config, selection: Selection) -> Plan:
    """The plan stage: what the run reads and runs, decided before any file is read.

    Check providers add their checks later, once the objects are read (see :func:`_provide`).
    """
    staged = staged_state(config) if inputs.staged else None
    cwd = os.getcwd()
    checks = selection.checks
    return Plan(
        inputs=inputs,
        config=config,
        checks=checks,
        selection=selection,
        context=inputs.repo_context and any(c.meta.needs_context for c in checks),
        staged=staged,
        cwd=cwd,
        low_memory_after=LOW_MEMORY_AFTER_BYTES,
        root=staged.root if staged is not None else work_tree(cwd),
        idle=staged is not None and not staged.touched and not inputs.paths,
    )


def _run(plan: Plan, report: Report) -> None:
    """Load, then execute and resolve the plan's checks over every object."""
    loaded, left_out = load(plan, report)
    report.retained = loaded
    objects = _collect(loaded, report)
    _assign_pod_templates(objects, plan.config, report)
    ctx = RunContext(
        # A kustomize patch is part of an object, not one of the cluster's objects.
        [o for o in objects if not o.patch],
        known_ids(plan.selection.run),
        kube_version=plan.config.kube_version,
        explicit=[c.meta.id for c in plan.checks],
        checks=plan.selection.run,
        left_out=left_out,
    )
    checks = _provide(ctx, plan.config, plan.selection)
    reported = [o for o in objects if o.source.reported]
    _note_control_plane_pods(reported, checks, report)
    for on_run in dict.fromkeys(c.meta.on_run for c in checks if c.meta.on_run is not None):
        on_run(reported, ctx, report)
    report.rules = [_rule(c, plan.config) for c in checks]
    execution = _Execution(plan, ctx, checks, report)
    execution.run(objects)


def _note_control_plane_pods(
    objects: Sequence[K8sObject], checks: Sequence[Check], report: Report
) -> None:
    """Say once that the control plane's static pods are left to the cluster checks by the
    workload checks of the run (they need the host access those checks report)."""
    if all(c.meta.judges_control_plane for c in checks):
        return
    pods = [o for o in objects if is_control_plane_pod(o)]
    if pods:
        line, column, _ = pods[0].locate(())
        names = ", ".join(sorted({o.name for o in pods}))
        report.notices.append(
            InputProblem(
                pods[0].file,
                line,
                column,
                f"{len(pods)} static control-plane pod(s) ({names}): the workload checks "
                "(Pod Security checks except privileged-container, securityContext, runtime "
                "class, network policy) leave them to the cluster checks",
            )
        )


def _collect(loaded: Sequence[LoadedFile], report: Report) -> list[K8sObject]:
    """Every object read, counting those (and the problems) of the files asked about."""
    objects: list[K8sObject] = []
    for item in loaded:
        objects.extend(item.objects)
        if item.source.reported:
            report.files += 1
            report.objects += len(item.objects)
            report.skipped += item.skipped
            report.errors.extend(item.errors)
            report.notices.extend(item.notices)
    return objects


def _provide(ctx: RunContext, config: Config, selection: Selection) -> list[Check]:
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
    config.verify(run, known_ids(run), provided=[cid for cid in run if cid not in static])
    if not selection.fixed or len(run) > len(static):
        final = select_checks(
            run, config.select, config.ignore, config.extend_select, options=config.params
        )
        added = [c for c in final if c.meta.id not in static]
        selected = [*selected, *added] if selection.fixed else final
    ctx.explicit = frozenset(c.meta.id for c in selected)
    return [*selected, *(c for cid, c in brought.items() if cid not in ctx.explicit)]


def _rule(check: Check, config: Config) -> Rule:
    meta = check.meta
    return Rule(
        meta.id,
        meta.summary,
        Severity(config.severities.get(meta.id, meta.severity)),
        meta.remediation,
        check.doc,
        meta.all_groups,
        meta.help_uri,
        meta.compliance,
    )


def _assign_pod_templates(objects: Sequence[K8sObject], config: Config, report: Report) -> None:
    """Give custom kinds that run pods their pod template, so workload checks apply.

    The ``pod-templates`` configuration wins; then well-known kinds (OpenShift, Argo,
    Knative, KEDA); then any kind shaped like a Deployment or a CronJob, named once in a
    notice so that a user knows why its objects get workload findings.
    """
    guessed: dict[tuple[str, str], tuple[K8sObject, KeyPath]] = {}
    for obj in objects:
        if obj.kind in WORKLOAD_KINDS or isinstance(obj.source, CachedSource):
            continue
        custom = config.pod_templates.get(obj.kind)
        if custom is not None:
            obj.use_pod_template(custom)
            continue
        found = custom_pod_template(obj.api_version, obj.kind, obj.data)
        if found is not None:
            path, was_guessed = found
            obj.use_pod_template(path)
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
    result_check: str,
    obj: K8sObject,
    line: int,
    by_group: Mapping[str, list[str]],
    config: Config,
    annotated: frozenset[str],
) -> bool:
    """Whether a result is suppressed; ``annotated`` holds the check ids the object's
    annotations suppress (groups expanded, see :func:`_annotated_ids`)."""
    if result_check in annotated:
        return True
    on_line = obj.source.suppressed_lines.get(line)
    if on_line and result_check in expand_ids(on_line, by_group):
        return True
    for glob, names in config.per_path_ignores.items():
        if result_check in expand_ids(names, by_group) and _path_matches(obj, glob, config):
            return True
    return False


def _annotated_ids(obj: K8sObject, by_group: Mapping[str, list[str]]) -> frozenset[str]:
    """The check ids the object's ignore annotations (its own, its pod template's) name."""
    ids: set[str] = set(annotation_ids(obj.data, ("metadata",)))
    template = pod_template_metadata_path(obj)
    if template:
        ids.update(annotation_ids(obj.data, template))
    return frozenset(expand_ids(ids, by_group)) if ids else frozenset()


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


class _Shown:
    """What every result of one object prints the same way (worked out once per object,
    not once per finding): its file, identity and Helm template, redacted."""

    __slots__ = ("file", "identity", "source")

    def __init__(self, obj: K8sObject) -> None:
        # Every text taken from the input is redacted: a credential written where a name
        # goes (plaintext-secret reports it) must not be printed by the findings naming it.
        self.file = redact(obj.file)
        self.identity = redacted_identity(obj)
        self.source = redact(obj.helm_source) if obj.helm_source else None


def _result(
    check: Check, finding: Finding, obj: K8sObject, config: Config, shown: _Shown
) -> tuple[Result, int]:
    if finding.offset is not None:
        line, column = obj.source.position(finding.offset)
    else:
        line, column, _ = obj.locate(finding.path)
    meta = check.meta
    result = Result(
        check=meta.id,
        severity=Severity(config.severities.get(meta.id) or finding.severity or meta.severity),
        location=Location(shown.file, line, column),
        message=redact(finding.message),
        hint=redact(finding.hint or meta.remediation),
        obj=dict(shown.identity),  # each result its own: a reporter may change it
        path=redact(format_path(finding.path)),
        source=shown.source,
        key_path=finding.path,
        by_offset=finding.offset is not None,
        fix=finding.fix,
        document=obj,
    )
    return result, line


class _Execution:
    """The execute and resolve stages of one run.

    Execute runs the checks that apply to an object; resolve locates each finding, drops
    the suppressed ones and keeps one result per check, spot and message.
    """

    def __init__(
        self, plan: Plan, ctx: RunContext, checks: Sequence[Check], report: Report
    ) -> None:
        self.plan = plan
        self.config = plan.config
        self.ctx = ctx
        self.checks = checks
        self.report = report
        # Provided checks join the registry after the plan: groups are taken from it now.
        self.by_group = groups(plan.selection.run.values())
        self.params = {
            c.meta.id: {**c.meta.defaults(), **self.config.params.get(c.meta.id, {})}
            for c in checks
        }
        self.seen = SeenResults(report.results)
        #: The checks that apply to objects of a (kind, runs pods, is a patch).
        self.by_kind: dict[tuple[str, bool, bool, bool], list[Check]] = {}

    def run(self, objects: Sequence[K8sObject]) -> None:
        """Check the objects of the files asked about (and, with ``--staged``, re-judge)."""
        staged = self.plan.staged
        recheck = _Recheck(staged, self.checks, self.ctx) if staged is not None else None
        for obj in objects:
            if obj.source.reported:
                self.check_object(obj, self.checks, self.by_kind)
            elif recheck is not None and not recheck.idle:
                recheck.run(obj, self)
        if recheck is not None:
            recheck.mark_reported(self.report)

    def check_object(
        self,
        obj: K8sObject,
        checks: Sequence[Check],
        by_kind: dict[tuple[str, bool, bool, bool], list[Check]],
        keep: Callable[[Check, Finding], bool] | None = None,
    ) -> None:
        """Run the checks that apply to ``obj`` and add their unsuppressed results (those
        ``keep`` accepts, when given)."""
        key = (obj.kind, has_pod_template(obj), obj.patch, is_control_plane_pod(obj))
        applicable = by_kind.get(key)
        if applicable is None:
            applicable = by_kind[key] = _applicable(obj, checks, control_plane=key[3])
        found = self._execute(obj, applicable)
        if found:
            self._resolve(obj, found, keep)
        obj.locator.release()  # a re-parsed node: positions are done with

    def _execute(
        self, obj: K8sObject, checks: Sequence[Check]
    ) -> list[tuple[Check, list[Finding]]]:
        """The findings of each check that has some; a crash is an internal error."""
        found: list[tuple[Check, list[Finding]]] = []
        ctx, params = self.ctx, self.params
        for check in checks:
            meta = check.meta
            if meta.match is not None and not meta.match.matches(obj):
                continue
            # A module's check function is called as it is: one frame less per check and
            # object, tens of thousands of calls in a run.
            run = check.function if type(check) is ModuleCheck else check.check
            try:
                findings = list(run(obj, ctx, params[meta.id]))
            except Exception as exc:  # fail closed: a crashing check is reported by name
                self._crashed(check, obj, exc)
                continue
            if findings:
                found.append((check, findings))
        return found

    def _crashed(self, check: Check, obj: K8sObject, exc: Exception) -> None:
        line, column, _ = obj.locate(())
        self.report.internal_errors.append(
            f"check '{check.meta.id}' crashed on {obj.describe()} at "
            f"{obj.file}:{line}:{column}: {type(exc).__name__}"
        )
        if os.environ.get("KUBELINT_DEBUG"):
            import traceback

            traceback.print_exc(file=sys.stderr)

    def _resolve(
        self,
        obj: K8sObject,
        found: Sequence[tuple[Check, list[Finding]]],
        keep: Callable[[Check, Finding], bool] | None,
    ) -> None:
        """Locate the findings; keep the unsuppressed ones, once each."""
        shown = _Shown(obj)
        annotated = _annotated_ids(obj, self.by_group)
        for check, findings in found:
            for finding in findings:
                if keep is not None and not keep(check, finding):
                    continue
                result, physical_line = _result(check, finding, obj, self.config, shown)
                if self.seen.merge(result) or _suppressed(
                    result.check, obj, physical_line, self.by_group, self.config, annotated
                ):
                    continue
                self.seen.add(result)


class _Recheck:
    """With ``--staged``: the objects of files the commit does not touch whose verdict
    depends on what it changes (the namespace's policies, a runtime class, its labels)."""

    def __init__(self, staged: Staged, checks: Sequence[Check], ctx: RunContext) -> None:
        self.staged = staged
        self.rechecked = [c for c in checks if c.meta.id in RECHECKED_BY_KINDS]
        self.by_class = [c for c in checks if c.meta.id == RUNTIME_CLASS_CHECK]
        self.labelled = [c for c in checks if c.meta.reads_namespace_labels]
        self.admission = [c for c in checks if c.meta.id == ADMISSION_CHECK]
        self.class_changed = runtime_class_change(staged, ctx.of_kind("RuntimeClass"))
        self.files: set[str] = set()
        #: The commit changes nothing another file's verdicts depend on (most commits).
        self.idle = not (
            staged.affected
            or staged.labelled
            or staged.admission_changed
            or (self.by_class and self.class_changed is not None)
        )

    def checks_for(self, obj: K8sObject) -> list[Check]:
        """The checks whose verdict on ``obj`` the staged change may have changed."""
        namespace = object_namespace(obj)
        again = list(self.rechecked) if namespace in self.staged.affected else []
        if self.by_class and self.class_changed is not None and self.class_changed(obj):
            again += self.by_class
        if namespace in self.staged.labelled:
            again += self.labelled
        if self.staged.admission_changed:
            again += [c for c in self.admission if c not in again]
        return again

    def run(self, obj: K8sObject, execution: _Execution) -> None:
        """Re-judge a context object: only the verdicts that depend on the commit count."""
        again = self.checks_for(obj)
        if not again:
            return
        report = execution.report
        before = len(report.results)
        execution.check_object(obj, again, {}, _label_verdicts)
        if len(report.results) > before:
            # Reported on, so counted: the summary must not say "0 files" over a finding.
            report.objects += 1
            if obj.source.display not in self.files:
                self.files.add(obj.source.display)
                report.files += 1

    def mark_reported(self, report: Report) -> None:
        for item in report.retained:
            if item.source.display in self.files:
                item.source.reported = True  # a file reported on is a linted file


def _label_verdicts(check: Check, finding: Finding) -> bool:
    """In a file the commit does not touch, a finding of a check that reads namespace labels
    is reported only when a namespace's labels brought it (``Finding.contextual``); the
    check's other verdicts there do not depend on what the commit changed."""
    return not check.meta.reads_namespace_labels or finding.contextual


def _applicable(obj: K8sObject, checks: Sequence[Check], *, control_plane: bool) -> list[Check]:
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
        and (c.meta.judges_control_plane or not control_plane)
    ]


__all__ = ["ALL", "Inputs", "RunContext", "known_ids", "lint", "plan", "select_checks"]
