"""Command line: ``kubelint PATH...``; ``main(argv) -> int`` maps every outcome to an exit code."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

from kubelint import __version__
from kubelint.errors import ExitCode, KubelintError, UsageError
from kubelint.k8s.versions import NEWEST_VERSION
from kubelint.model import SEVERITIES, SEVERITY_RANK, Report

if TYPE_CHECKING:
    from kubelint.checks.base import Check
    from kubelint.config import Config
    from kubelint.fixing import FileFix
    from kubelint.reporters import Reporter

COLOUR_CHOICES = ("auto", "always", "never")


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _choice(option: str, value: str, choices: Sequence[str]) -> str:
    """``value`` if it is one of ``choices``, else a usage error in kubelint's words."""
    if value not in choices:
        raise UsageError(f"{option}: unknown value '{value}' (choose from {', '.join(choices)})")
    return value


def _use_colour(choice: str, stream: object) -> bool:
    """Whether to colour: ``--color always/never``, then the environment, then a terminal.

    ``NO_COLOR`` (no-color.org) and ``FORCE_COLOR`` (force-color.org) count when set to a
    non-empty value. When both are set, ``FORCE_COLOR`` wins, in the order of the
    force-color.org reference implementation: it is the more specific request (a CI job
    that forces colour on top of a general ``NO_COLOR`` preference).
    """
    if choice != "auto":
        return choice == "always"
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _outputs(
    formats: list[str], output: Path | None, quiet: bool = False
) -> list[tuple[str, Path | None]]:
    """Parse ``-f FORMAT[:FILE]`` options into (format, destination or None for stdout).

    ``--quiet`` is ``-f concise``: the report on standard output is the concise one.
    """
    from kubelint.reporters import FORMATS

    if quiet:
        if any(":" not in value and value != "concise" for value in formats):
            raise UsageError(
                "--quiet writes the concise report to standard output: give the other "
                "--format a :FILE"
            )
        formats = [*formats, "concise"]
    formats = formats or ["text"]
    outputs: list[tuple[str, Path | None]] = []
    for value in formats:
        name, sep, target = value.partition(":")
        if name not in FORMATS:
            raise UsageError(f"unknown format '{name}' (choose from {', '.join(FORMATS)})")
        if sep and not target:
            raise UsageError(f"--format {value}: the file name after ':' is empty")
        outputs.append((name, Path(target) if sep else None))
    to_stdout = [i for i, (_, dest) in enumerate(outputs) if dest is None]
    if output is not None:
        if len(to_stdout) != 1:
            raise UsageError("--output needs exactly one --format without :FILE")
        outputs[to_stdout[0]] = (outputs[to_stdout[0]][0], output)
    elif len(to_stdout) > 1:
        raise UsageError("only one report can go to standard output: give the others a :FILE")
    return outputs


#: Reports for people: coloured on a terminal, and where ``--statistics`` goes.
_HUMAN_FORMATS = ("text", "concise")


def _silence_stdout() -> None:
    """Send what is left on standard output to the null device.

    After a closed pipe or a write error nothing more can reach the reader; without this
    the final flush would fail again, and Python would print its own error on exit.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _write_stdout(report: Report, write: Reporter, colour: bool) -> None:
    """Write a report to standard output; a stream that cannot take it is a usage error.

    A reader that stops early (``kubelint . | head -1``) is not an error: the rest of the
    report is dropped without a word, and the run keeps its exit code.
    """
    stream = sys.stdout
    if stream is None or getattr(stream, "closed", False):
        raise UsageError("standard output is closed: write the report to a file with --output FILE")
    try:
        write(report, stream, colour)
        stream.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError) as exc:
        _silence_stdout()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "stream closed"
        raise UsageError(f"cannot write the report to standard output: {reason}") from None


def _write_plain(write: Reporter, report: Report, stream: TextIO) -> None:
    write(report, stream, False)


def _write_reports(
    report: Report, outputs: list[tuple[str, Path | None]], colour: str, statistics: bool = False
) -> None:
    from kubelint.reporters import get_reporter
    from kubelint.reporters.text import summary, write_statistics

    for name, destination in outputs:
        write: Reporter = get_reporter(name)
        if statistics and name in _HUMAN_FORMATS:
            write = write_statistics
        if destination is None:
            colourful = name in _HUMAN_FORMATS and _use_colour(colour, sys.stdout)
            _write_stdout(report, write, colourful)
            continue
        from kubelint.atomic import shown_path, write_atomically  # here: only report files

        try:
            write_atomically(destination, partial(_write_plain, write, report))
        except OSError as exc:
            raise UsageError(
                f"{shown_path(destination)}: cannot write report: {exc.strerror}"
            ) from None
    if statistics and not any(name in _HUMAN_FORMATS for name, _ in outputs):
        # No report for people to put the table in: it goes to standard error, so that a
        # machine-readable report on standard output stays parseable.
        write_statistics(report, sys.stderr, _use_colour(colour, sys.stderr))
    elif all(destination is not None for _, destination in outputs):
        typer.echo(summary(report), err=True)


def exit_code(report: Report, fail_on: str, exit_zero: bool = False) -> ExitCode:
    """The exit code of a run; ``exit_zero`` makes findings alone exit 0 (errors still count)."""
    if report.internal_errors:
        return ExitCode.INTERNAL_ERROR
    if report.errors:
        return ExitCode.INPUT_ERROR
    if exit_zero:
        return ExitCode.OK
    threshold = SEVERITY_RANK[fail_on]
    if any(SEVERITY_RANK[r.severity] >= threshold for r in report.results):
        return ExitCode.FINDINGS
    return ExitCode.OK


def _list_checks(available: Mapping[str, Check], ids: Sequence[str] | None = None) -> None:
    """One line per check (of ``ids``, default all): id, severity, default state, summary."""
    checks = sorted(
        (available[i] for i in ids) if ids is not None else available.values(),
        key=lambda c: c.meta.id,
    )
    width = max((len(c.meta.id) for c in checks), default=0)
    for check in checks:
        meta = check.meta
        state = "on " if meta.enabled else "off"
        tags = "".join(f"  {c.tag}" for c in meta.compliance)
        typer.echo(
            f"{meta.id:<{width}}  {meta.severity:<7}  {state}  {meta.summary}"
            f"  [{', '.join(meta.all_groups)}]{tags}"
        )


def _explain(checks: Mapping[str, Check], name: str) -> None:
    """A check's documentation, or the checks of a group."""
    from kubelint.checks import groups, unknown_name
    from kubelint.docs import render_check_page

    if name in checks:
        typer.echo(render_check_page(checks[name]), nl=False)
        return
    by_group = groups(checks.values())
    if name not in by_group:
        raise UsageError(unknown_name(name, [*checks, *by_group]))
    members = by_group[name]
    typer.echo(f"group '{name}': {len(members)} check{'' if len(members) == 1 else 's'}")
    _list_checks(checks, members)


def _known_checks(config_file: Path | None) -> Mapping[str, Check]:
    """The checks ``--list-checks`` and ``--explain`` know: the registry's, plus those that
    providers bring from the configuration file (``--config``, else the nearest one), such
    as the custom checks of ``checks.custom``. Providers that need manifests bring none."""
    from kubelint.checks import Registry, registry, run_providers
    from kubelint.checks.base import ProviderRequest
    from kubelint.config import find_config, load_config
    from kubelint.runner import RunContext, known_ids

    if config_file is not None and not config_file.is_file():
        raise UsageError(f"{config_file}: configuration file not found")
    path = config_file or find_config(Path.cwd())
    if path is None:
        return registry()
    config = load_config(path, registry())
    run = Registry(registry())
    context = RunContext([], known_ids(run))
    for provider in run_providers():
        settings = config.sections.get(provider.config_key or "")
        if settings is None:
            continue
        request = ProviderRequest(settings, context, run, frozenset(), frozenset())
        for check in provider.provide(request):
            if check.meta.id not in run:
                run.add(check, f"check provider '{provider.name}'")
    return run


def _valued(*flags: str, metavar: str, help: str) -> Any:
    """An option that takes a value and has none by default."""
    return typer.Option(None, *flags, metavar=metavar, help=help)


def _ids(flag: str, help: str) -> Any:
    """An option naming check ids or groups."""
    return _valued(flag, metavar="IDS", help=f"{help} (repeatable, comma-separated).")


def lint_command(
    paths: list[str] | None = typer.Argument(
        None,
        metavar="PATH...",
        show_default=False,
        # Described in the command's help: typer would print the Python type beside it.
        hidden=True,
    ),
    formats: list[str] | None = _valued(
        "--format",
        "-f",
        "--output-format",
        metavar="FORMAT[:FILE]",
        help="Report format: text, concise, json, sarif, github or junit, to standard output "
        "or to FILE. Repeat for several reports from one run (e.g. -f text -f "
        "sarif:kubelint.sarif).",
    ),
    output: Path | None = _valued(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the (single) report given without :FILE to FILE.",
    ),
    quiet: bool = typer.Option(
        False,
        "--quiet",
        "-q",
        help="Same as --format concise: one line per finding, no hints.",
    ),
    statistics: bool = typer.Option(
        False,
        "--statistics",
        help="Count the findings per check instead of listing them (text and concise "
        "reports; on standard error when there is no such report).",
    ),
    baseline_file: Path | None = _valued(
        "--baseline",
        metavar="FILE",
        help="Report only findings not recorded in this baseline file.",
    ),
    write_baseline_file: Path | None = _valued(
        "--write-baseline",
        metavar="FILE",
        help="Record the current findings in this baseline file (exit code 0 once written).",
    ),
    config_file: Path | None = _valued(
        "--config",
        "-c",
        metavar="FILE",
        help="Configuration file (default: nearest .kubelint.yaml).",
    ),
    select: list[str] | None = _ids(
        "--select", "Check ids or groups to run instead of the defaults"
    ),
    extend_select: list[str] | None = _ids("--extend-select", "Check ids or groups to run as well"),
    ignore: list[str] | None = _ids("--ignore", "Check ids or groups not to run"),
    fail_on: str | None = _valued(
        "--fail-on",
        metavar="error|warning|info",
        help="Lowest severity that makes the exit code 1 (default: warning).",
    ),
    exit_zero: bool = typer.Option(
        False,
        "--exit-zero",
        help="Exit 0 even with findings (unusable input still exits 2, internal errors 3).",
    ),
    kube_version: str | None = _valued(
        "--kube-version",
        metavar="1.N",
        help="Kubernetes version for the Pod Security and schema checks (default and "
        f"newest: 1.{NEWEST_VERSION}).",
    ),
    namespace: str | None = _valued(
        "--namespace",
        "-n",
        metavar="NAME",
        help="Namespace of objects that set none (default: default).",
    ),
    skip_non_manifests: bool = typer.Option(
        False,
        "--skip-non-manifests",
        help="Skip, with a note, a named file that neither parses nor looks like a manifest "
        "(as in a folder); the pre-commit hook sets it. Without it a named file fails closed.",
    ),
    staged: bool = typer.Option(
        False,
        "--staged",
        help="Lint as the pre-commit hook does: cross-object checks see what would be "
        "committed (the git index), and a namespace whose NetworkPolicy or Namespace the "
        "staged change touches is checked again. Without PATH, lints only that.",
    ),
    repo_context: bool = typer.Option(
        True,
        "--repo-context/--no-repo-context",
        help="Let cross-object checks see every manifest of the repository (or configured roots).",
    ),
    cache: bool = typer.Option(
        True,
        "--cache/--no-cache",
        help="Keep what cross-object checks read of unchanged files in .git/kubelint/ "
        "(--no-cache: parse every file of the repository again).",
    ),
    colour: str = typer.Option(
        "auto",
        "--color",
        metavar="auto|always|never",
        help="Colour the text report (auto: on a terminal, unless NO_COLOR is set; "
        "FORCE_COLOR forces it).",
    ),
    list_checks: bool = typer.Option(
        False, "--list-checks", help="List the available checks and exit."
    ),
    explain: str | None = _valued(
        "--explain",
        metavar="CHECK|GROUP",
        help="Explain a check, or list the checks of a group, and exit.",
    ),
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
    fix: bool = typer.Option(
        False,
        "--fix",
        help="Apply the safe fixes of the findings to the files, then report what is left "
        "(also `kubelint fix PATH...`).",
    ),
    diff: bool = typer.Option(
        False,
        "--diff",
        help="Print the fixes as a unified diff and write nothing (exit 1 when there is "
        "something to fix).",
    ),
    unsafe_fixes: bool = typer.Option(
        False,
        "--unsafe-fixes",
        help="With --fix or --diff: also apply the fixes that may change what a workload "
        "does (dropping capabilities, removing privileged...).",
    ),
) -> None:
    """Lint Kubernetes manifests for security problems.

    PATH: files or folders to lint (default: .); '-' reads standard input.

    Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 unusable input or
    configuration; 3 internal error (a check crashed).
    """
    if version or list_checks or explain:
        _inform(version, list_checks, explain, config_file)
        raise typer.Exit(0)
    _choice("--color", colour, COLOUR_CHOICES)
    if fail_on is not None:
        _choice("--fail-on", fail_on, SEVERITIES)
    outputs = _outputs(formats or [], output, quiet)
    config = _configuration(
        config_file,
        namespace=namespace,
        kube_version=kube_version,
        fail_on=fail_on,
        select=_split(select),
        extend_select=_split(extend_select),
        ignore=_split(ignore),
    )

    def run_lint(created: Sequence[str] = ()) -> Report:
        # Files a fix created are linted too when the paths name files, not a folder.
        named = [*paths, *(c for c in created if c not in paths)] if paths else paths
        found = _lint(
            config,
            named,
            staged=staged,
            repo_context=repo_context,
            cache=cache,
            skip_non_manifests=skip_non_manifests,
            own=[baseline_file, write_baseline_file, *(dest for _, dest in outputs)],
        )
        if baseline_file is not None and write_baseline_file is None:
            _apply_baseline(found, baseline_file)
        return found

    report = run_lint()
    if fix or diff:
        code, report = _fix(report, paths, diff=diff, unsafe=unsafe_fixes, relint=run_lint)
        if code >= 0:
            raise typer.Exit(code)
    elif unsafe_fixes:
        raise UsageError("--unsafe-fixes goes with --fix (kubelint fix) or --diff")
    if write_baseline_file is not None:
        _write_baseline(report, write_baseline_file)
        # Recording today's findings is the point of the run, not a failure: the
        # `--write-baseline ... && --baseline ...` recipe must go on to its second step.
        exit_zero = True
    if baseline_file is not None and write_baseline_file is not None:
        _apply_baseline(report, baseline_file)
    _write_reports(report, outputs, colour, statistics)
    raise typer.Exit(int(exit_code(report, config.fail_on, exit_zero)))


#: A fix can make room for another (removing ``privileged`` lets
#: ``allowPrivilegeEscalation: false`` be set): ``fix`` lints and fixes again, this many
#: times at most, so that running it twice changes nothing the second time.
_FIX_PASSES = 4


def _fix(
    report: Report,
    paths: list[str] | None,
    *,
    diff: bool,
    unsafe: bool,
    relint: Callable[[Sequence[str]], Report],
) -> tuple[int, Report]:
    """``--diff``: print what the fixes change (exit 1 when anything would). ``--fix``:
    write it, and lint again; exit 2 when a file could not be written. Both show the
    values suggestions for Helm-rendered objects (never written). Returns the exit code
    (-1: report the returned report as usual)."""
    from kubelint.fixing import plan_fixes

    stdin = bool(paths) and "-" in (paths or [])
    if stdin and not diff and (paths != ["-"] or not _helm_output(report)):
        raise UsageError(
            "standard input is never fixed in place: use --diff (`kubelint fix -` alone "
            "suggests values for Helm output)"
        )
    suggested = _suggest(report, unsafe)
    if stdin and not diff:
        if any(p.changed for p in plan_fixes(report, unsafe=unsafe)):
            _say("standard input is never fixed in place: `kubelint --diff -` shows its fixes")
        return -1, report  # nothing written, and the stream cannot be read twice
    if diff:
        changed = _diff_pass(report, unsafe)
        return (1 if changed or suggested else 0), report
    applied, failed = 0, False
    files: dict[str, bool] = {}  # display: created
    for number in range(_FIX_PASSES):
        count, written, edited, failed = _write_pass(report, unsafe, first=number == 0)
        applied, files = applied + count, files | written
        if failed or not count:
            break
        report = relint([name for name, created in files.items() if created])
        if not edited:
            break
    _say(f"fixed {applied} finding(s) in {len(files)} file(s)")
    return (int(ExitCode.INPUT_ERROR) if failed else -1), report


def _diff_pass(report: Report, unsafe: bool) -> bool:
    """Print the diff of the fixes; whether there is any."""
    from kubelint.fixing import plan_fixes

    planned = plan_fixes(report, unsafe=unsafe)
    changed = [p for p in planned if p.changed]
    _print_diffs(changed)
    _refusals(planned)
    _say(f"would fix {sum(p.applied for p in changed)} finding(s) in {len(changed)} file(s)")
    return bool(changed)


def _write_pass(
    report: Report, unsafe: bool, first: bool
) -> tuple[int, dict[str, bool], bool, bool]:
    """Write the fixes of ``report``: the findings fixed, the files written (each saying
    whether it was created), whether a file was edited (so another pass may find more)
    and whether one could not be written."""
    from kubelint.fixing import plan_fixes, write

    planned = plan_fixes(report, unsafe=unsafe)
    changed = [p for p in planned if p.changed]
    write(changed, os.getcwd())
    if first:
        _refusals(planned)
    problems = [p for p in changed if p.problem is not None]
    for item in problems:
        _say(f"{item.display}: not fixed: {item.problem}")
    done = [p for p in changed if p.problem is None]
    for item in done:
        kustomization = _kustomization_beside(item.display) if item.created else None
        if kustomization is not None:
            _say(f"{item.display}: created; add it to the resources of {kustomization}")
    edited = any(not p.created for p in done)
    written = {p.display: p.created for p in done}
    return sum(p.applied for p in done), written, edited, bool(problems)


def _kustomization_beside(display: str) -> str | None:
    """The kustomization file in the folder of ``display``: a file created there is not
    built until the kustomization names it."""
    from kubelint.load import display_name
    from kubelint.loader.kustomize import beside

    found = next(beside([Path(display)]), None)
    return None if found is None else display_name(found, os.getcwd())


def _refusals(planned: list[FileFix]) -> None:
    for item in planned:
        for why in dict.fromkeys(item.refused):
            _say(f"{item.display}: a fix was not applied: {why}")


def _helm_output(report: Report) -> bool:
    """Whether the run read objects rendered by Helm (``# Source:`` comments)."""
    return any(
        obj.helm_source is not None
        for item in report.retained
        for obj in getattr(item, "objects", ())
    )


def _say(message: str) -> None:
    """One line about fixing on stderr, redacted and made visible (it names files and keys
    of the input)."""
    from kubelint.redaction import redact
    from kubelint.reporters.safe import visible

    typer.echo(visible(redact(f"kubelint: {message}")), err=True)


def _print_diffs(changed: list[FileFix]) -> None:
    from kubelint.reporters.safe import visible_lines

    for item in changed:
        diff, hides = item.diff()
        sys.stdout.write(visible_lines(diff))
        if hides:
            _say(
                f"{item.display}: the diff shows secret values as <redacted>, so it does not "
                "apply as a patch: `kubelint fix` applies it"
            )


def _suggest(report: Report, unsafe: bool) -> bool:
    """Print the Helm values suggestions on stderr; whether any patch was suggested."""
    from kubelint.helm.suggest import suggest
    from kubelint.reporters.safe import visible_lines

    patched = False
    for item in suggest(report, unsafe=unsafe, cwd=Path.cwd()):
        if item.patch:
            patched = True
            _say(
                f"suggestion, not applied: chart '{item.chart}' reads these settings from "
                f".Values; this change to {item.values} would fix its output:"
            )
            sys.stderr.write(visible_lines(item.patch))
            if item.hides:
                _say(f"{item.values}: the suggestion shows secret values as <redacted>")
        for note in item.notes:
            _say(f"suggestion: {note}")
    return patched


def _inform(
    version: bool, list_checks: bool, explain: str | None, config_file: Path | None = None
) -> None:
    """What ``--version``, ``--list-checks`` and ``--explain`` print (in that order of
    precedence) instead of a run."""
    if version:
        typer.echo(f"kubelint {__version__}")
    elif list_checks:
        _list_checks(_known_checks(config_file))
    elif explain:
        _explain(_known_checks(config_file), explain)


def _configuration(
    config_file: Path | None,
    *,
    namespace: str | None,
    kube_version: str | None,
    fail_on: str | None,
    select: list[str],
    extend_select: list[str],
    ignore: list[str],
) -> Config:
    """The configuration file's settings (``--config``, else the nearest file) with the
    command line's over them."""
    from kubelint.checks import registry
    from kubelint.config import Config, Overrides, find_config, load_config

    checks = registry()
    if config_file is not None and not config_file.is_file():
        raise UsageError(f"{config_file}: configuration file not found")
    config_path = config_file or find_config(Path.cwd())
    config = load_config(config_path, checks) if config_path else Config()
    return config.merged(
        Overrides(
            namespace=namespace,
            kube_version=_kube_version(kube_version) if kube_version else None,
            fail_on=fail_on,
            select=select,
            extend_select=extend_select,
            ignore=ignore,
        )
    )


def _kube_version(text: str) -> int:
    from kubelint.config import parse_kube_version
    from kubelint.k8s.versions import VersionError

    try:
        return parse_kube_version(text)
    except VersionError as exc:
        raise UsageError(f"--kube-version: {exc}") from None


def _lint(
    config: Config,
    paths: list[str] | None,
    *,
    staged: bool,
    repo_context: bool,
    skip_non_manifests: bool,
    own: list[Path | None],
    cache: bool = True,
) -> Report:
    """Lint the named paths (or standard input) with the configured checks."""
    from kubelint.runner import Inputs, lint

    if paths and "-" in paths and (sys.stdin is None or sys.stdin.isatty()):
        raise UsageError(
            "'-' reads manifests from standard input, but nothing is piped in "
            "(try: helm template NAME CHART | kubelint -)"
        )
    inputs = Inputs(
        # With --staged and no path (a commit that names no manifest, e.g. one that only
        # deletes files) only the namespaces the staged change affects are checked.
        paths or ([] if staged else ["."]),
        stdin=lambda: sys.stdin.buffer.read(),
        repo_context=repo_context,
        skip_non_manifests=skip_non_manifests,
        staged=staged,
        cache=cache,
        own_files=frozenset(os.path.abspath(p) for p in own if p is not None),
    )
    report = lint(inputs, config)  # selects the checks once providers have added theirs
    if _keep_alive is not None:
        _keep_alive.append(report)  # freed by the process exit, not object by object (see run)
    return report


def _write_baseline(report: Report, destination: Path) -> None:
    from kubelint.atomic import shown_path
    from kubelint.baseline import write_baseline

    recorded = write_baseline(report.results, destination, _root(report))
    typer.echo(f"kubelint: recorded {recorded} finding(s) in {shown_path(destination)}", err=True)


def _apply_baseline(report: Report, baseline_file: Path) -> None:
    """Hide the findings the baseline records (and count them)."""
    from kubelint.baseline import load_baseline, new_findings

    report.results, report.baselined = new_findings(
        report.results, load_baseline(baseline_file), _root(report)
    )


def _root(report: Report) -> Path:
    from kubelint.reporters.paths import report_root

    return report_root(report)


def _usage_errors() -> tuple[type[Exception], ...]:
    """Command-line parsing errors: typer's own (0.29+) or click's (older typer)."""
    found: list[type[Exception]] = []
    if hasattr(typer, "TyperException"):
        found.append(typer.TyperException)
    try:
        found.append(importlib.import_module("click.exceptions").ClickException)
    except ImportError:
        pass
    return tuple(found)


def _sentence(exc: Exception) -> str:
    """A parser error's message as a clause: lower-case start, no final full stop."""
    message = str(getattr(exc, "format_message", lambda: str(exc))())
    message = " ".join(message.split()).rstrip(".")
    if message[:2].istitle():
        message = message[0].lower() + message[1:]
    return message


def main(argv: Sequence[str] | None = None) -> int:
    """Run kubelint with ``argv`` (default: the process arguments); return the exit code.

    The interpreter is left as it was found: the collector's state, and no report kept.
    """
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    app.command(context_settings={"help_option_names": ["-h", "--help"]})(lint_command)
    arguments = list(argv) if argv is not None else sys.argv[1:]
    if arguments[:1] == ["fix"]:  # `kubelint fix PATH...`; a folder named fix is ./fix
        arguments = ["--fix", *arguments[1:]]
    try:
        code = app(
            args=arguments,
            prog_name="kubelint",
            standalone_mode=False,
        )
    except KubelintError as exc:
        sys.stderr.write(f"kubelint: error: {exc}\n")
        return int(exc.exit_code)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except _usage_errors() as exc:
        # One line in kubelint's words, not the parser's multi-line usage blurb.
        sys.stderr.write(f"kubelint: error: {_sentence(exc)} (see `kubelint --help`)\n")
        return int(ExitCode.INPUT_ERROR)
    except typer.Abort:
        return int(ExitCode.INPUT_ERROR)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for users; KUBELINT_DEBUG=1 shows it
        if os.environ.get("KUBELINT_DEBUG"):
            raise
        sys.stderr.write(
            f"kubelint: internal error: {type(exc).__name__}; rerun with KUBELINT_DEBUG=1 "
            "for details and report it\n"
        )
        return int(ExitCode.INTERNAL_ERROR)
    return int(code or 0)


#: Reports of this process, kept until it exits: set by the console entry point only (see
#: run), so that a caller of ``main()`` gets its memory back.
_keep_alive: list[Report] | None = None


def run() -> None:
    """Console-script entry point.

    Exits without tearing down the objects of the run one by one: on a large repository
    that teardown alone costs as much as a fifth of the run, and the operating system
    reclaims the memory anyway. Output streams are flushed first.
    """
    global _keep_alive
    # A short-lived process: the cyclic collector only slows parsing down (see runner.lint),
    # and it would walk the kept reports again at exit.
    gc.disable()
    _keep_alive = []
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)
