"""GitHub Actions workflow commands: one annotation per finding, on the right line."""

from __future__ import annotations

from typing import TextIO

from kubelint.model import Report
from kubelint.reporters.paths import repo_relative, report_root
from kubelint.reporters.safe import safe_report
from kubelint.reporters.text import summary

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{kind}{' ' + props if props else ''}::{escape_data(message)}"


def write(report: Report, out: TextIO, colour: bool) -> None:
    # Escaped first: a newline from input would otherwise end the command early and start
    # a forged one; the escapes below only keep kubelint's own text intact.
    report = safe_report(report)
    root = report_root(report)
    for problem in report.errors:
        out.write(
            command(
                "error",
                problem.message,
                file=repo_relative(problem.file, root),
                line=problem.line,
                col=problem.column,
                title="kubelint: unusable input",
            )
            + "\n"
        )
    for result in report.results:
        loc = result.location
        out.write(
            command(
                _COMMANDS[result.severity],
                f"{result.message}\nhint: {result.hint}",
                file=repo_relative(loc.file, root),
                line=loc.line,
                col=loc.column,
                title=f"kubelint {result.check}",
            )
            + "\n"
        )
    for problem in report.notices:
        out.write(
            command(
                "notice", problem.message, file=repo_relative(problem.file, root), title="kubelint"
            )
            + "\n"
        )
    for message in report.internal_errors:
        out.write(command("error", message, title="kubelint: internal error") + "\n")
    out.write(summary(report) + "\n")
