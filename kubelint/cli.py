"""Command line: ``kubelint PATH...``; ``main(argv) -> int`` maps every outcome to an exit code."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path

import typer

from kubelint import __version__
from kubelint.errors import ExitCode, KubelintError, UsageError
from kubelint.model import SEVERITY_RANK, Report


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Colour(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _use_colour(choice: Colour, stream: object) -> bool:
    if choice is Colour.always:
        return True
    if choice is Colour.never or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _outputs(formats: list[str], output: Path | None) -> list[tuple[str, Path | None]]:
    """Parse ``-f FORMAT[:FILE]`` options into (format, destination or None for stdout)."""
    from kubelint.reporters import FORMATS

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


def _write_reports(report: Report, outputs: list[tuple[str, Path | None]], colour: Colour) -> None:
    from kubelint.reporters import get_reporter
    from kubelint.reporters.text import summary

    for name, destination in outputs:
        write = get_reporter(name)
        if destination is None:
            write(report, sys.stdout, name == "text" and _use_colour(colour, sys.stdout))
            continue
        try:
            with destination.open("w", encoding="utf-8") as stream:
                write(report, stream, False)
        except OSError as exc:
            raise UsageError(f"{destination}: cannot write report: {exc.strerror}") from None
    if all(destination is not None for _, destination in outputs):
        typer.echo(summary(report), err=True)


def exit_code(report: Report, fail_on: str) -> ExitCode:

    if report.internal_errors:
        return ExitCode.INTERNAL_ERROR
    if report.errors:
        return ExitCode.INPUT_ERROR
    threshold = SEVERITY_RANK[fail_on]
    if any(SEVERITY_RANK[r.severity] >= threshold for r in report.results):
        return ExitCode.FINDINGS
    return ExitCode.OK


def _list_checks() -> None:
    from kubelint.checks import registry

    checks = sorted(registry().values(), key=lambda c: c.meta.id)
    width = max(len(c.meta.id) for c in checks)
    for check in checks:
        meta = check.meta
        state = "on " if meta.enabled else "off"
        typer.echo(
            f"{meta.id:<{width}}  {meta.severity:<7}  {state}  {meta.summary}"
            f"  [{', '.join(meta.groups)}]"
        )


def _explain(check_id: str) -> None:
    from kubelint.checks import registry
    from kubelint.docs import render_check_page

    checks = registry()
    if check_id not in checks:
        raise UsageError(f"unknown check '{check_id}' (see `kubelint --list-checks`)")
    typer.echo(render_check_page(checks[check_id]), nl=False)


def lint_command(
    paths: list[str] | None = typer.Argument(
        None,
        metavar="PATH",
        show_default=False,
        help="Files or folders to lint (default: .); '-' reads standard input.",
    ),
    formats: list[str] | None = typer.Option(
        None,
        "--format",
        "-f",
        metavar="FORMAT[:FILE]",
        help="Report format: text, json, sarif, github or junit, to standard output or to FILE. "
        "Repeat for several reports from one run (e.g. -f text -f sarif:kubelint.sarif).",
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write the (single) report given without :FILE to FILE.",
    ),
    baseline_file: Path | None = typer.Option(
        None,
        "--baseline",
        metavar="FILE",
        help="Report only findings not recorded in this baseline file.",
    ),
    write_baseline_file: Path | None = typer.Option(
        None,
        "--write-baseline",
        metavar="FILE",
        help="Record the current findings in this baseline file.",
    ),
    config_file: Path | None = typer.Option(
        None,
        "--config",
        "-c",
        metavar="FILE",
        help="Configuration file (default: nearest .kubelint.yaml).",
    ),
    select: list[str] | None = typer.Option(
        None,
        "--select",
        metavar="IDS",
        help="Check ids or groups to run instead of the defaults (repeatable, comma-separated).",
    ),
    ignore: list[str] | None = typer.Option(
        None,
        "--ignore",
        metavar="IDS",
        help="Check ids or groups not to run (repeatable, comma-separated).",
    ),
    fail_on: Severity | None = typer.Option(
        None, "--fail-on", help="Lowest severity that makes the exit code 1 (default: warning)."
    ),
    kube_version: str | None = typer.Option(
        None,
        "--kube-version",
        metavar="1.N",
        help="Kubernetes version for the Pod Security and schema checks (default: 1.37).",
    ),
    namespace: str | None = typer.Option(
        None,
        "--namespace",
        "-n",
        metavar="NAME",
        help="Namespace of objects that set none (default: default).",
    ),
    repo_context: bool = typer.Option(
        True,
        "--repo-context/--no-repo-context",
        help="Let cross-object checks see every manifest of the repository (or configured roots).",
    ),
    colour: Colour = typer.Option(Colour.auto, "--color", help="Colour the text report."),
    list_checks: bool = typer.Option(
        False, "--list-checks", help="List the available checks and exit."
    ),
    explain: str | None = typer.Option(
        None, "--explain", metavar="CHECK", help="Explain one check and exit."
    ),
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    """Lint Kubernetes manifests for security problems.

    Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 unusable input or
    configuration; 3 internal error (a check crashed).
    """
    if version:
        typer.echo(f"kubelint {__version__}")
        raise typer.Exit(0)
    if list_checks:
        _list_checks()
        raise typer.Exit(0)
    if explain:
        _explain(explain)
        raise typer.Exit(0)

    from kubelint.checks import registry
    from kubelint.config import Config, find_config, load_config
    from kubelint.runner import Inputs, known_ids, lint, select_checks

    outputs = _outputs(formats or ["text"], output)
    checks = registry()
    config_path = config_file or find_config(Path.cwd())
    if config_file is not None and not config_file.is_file():
        raise UsageError(f"{config_file}: configuration file not found")
    config = load_config(config_path, checks, known_ids(checks)) if config_path else Config()
    if namespace:
        config.namespace = namespace
    if kube_version:
        from kubelint.pss import VersionError, parse_version

        try:
            config.kube_version = parse_version(kube_version)
        except VersionError as exc:
            raise UsageError(str(exc)) from None
    if fail_on:
        config.fail_on = fail_on.value
    config.ignore = [*config.ignore, *_split(ignore)]
    selected = select_checks(checks, _split(select) or config.select, config.ignore)
    if paths and "-" in paths and (sys.stdin is None or sys.stdin.isatty()):
        raise UsageError(
            "'-' reads manifests from standard input, but nothing is piped in "
            "(try: helm template NAME CHART | kubelint -)"
        )
    inputs = Inputs(
        paths or ["."], stdin=lambda: sys.stdin.buffer.read(), repo_context=repo_context
    )
    report = lint(inputs, config, selected)
    _KEEP_ALIVE.append(report)  # freed by the process exit, not object by object (see run)

    if write_baseline_file is not None:
        from kubelint.baseline import write_baseline

        recorded = write_baseline(report.results, write_baseline_file)
        typer.echo(f"kubelint: recorded {recorded} finding(s) in {write_baseline_file}", err=True)
    if baseline_file is not None:
        from kubelint.baseline import load_baseline, new_findings

        report.results, report.baselined = new_findings(
            report.results, load_baseline(baseline_file)
        )
    _write_reports(report, outputs, colour)
    raise typer.Exit(int(exit_code(report, config.fail_on)))


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run kubelint with ``argv`` (default: the process arguments); return the exit code."""
    # A short-lived process: the cyclic collector only slows parsing down (see runner.lint).
    gc.disable()
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    app.command(context_settings={"help_option_names": ["-h", "--help"]})(lint_command)
    try:
        code = app(
            args=list(argv) if argv is not None else None,
            prog_name="kubelint",
            standalone_mode=False,
        )
    except KubelintError as exc:
        sys.stderr.write(f"kubelint: error: {exc}\n")
        return int(exc.exit_code)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except _usage_errors() as exc:
        exc.show()  # type: ignore[attr-defined]
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


#: Reports of this process, kept until it exits (see run).
_KEEP_ALIVE: list[object] = []


def run() -> None:
    """Console-script entry point.

    Exits without tearing down the objects of the run one by one: on a large repository
    that teardown alone costs as much as a fifth of the run, and the operating system
    reclaims the memory anyway. Output streams are flushed first.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        pass
    os._exit(code)
