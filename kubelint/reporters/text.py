"""Human-readable report: ``path:line:col: severity check-id message`` plus a hint."""

from __future__ import annotations

from typing import TextIO

from kubelint.model import InputProblem, Report

_COLOURS = {"error": "31", "warning": "33", "info": "36", "note": "36"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def _where(problem: InputProblem) -> str:
    if problem.line is None:
        return problem.file
    return f"{problem.file}:{problem.line}:{problem.column}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    counts = {sev: 0 for sev in ("error", "warning", "info")}
    for result in report.results:
        counts[result.severity] += 1
    parts = [f"{_plural(report.files, 'file')}, {_plural(report.objects, 'object')}"]
    if report.skipped:
        parts[0] += (
            f" ({report.skipped} non-Kubernetes document{'s' if report.skipped != 1 else ''} skipped)"
        )
    if report.results:
        found = ", ".join(
            _plural(n, sev) if sev != "info" else f"{n} info" for sev, n in counts.items() if n
        )
    else:
        found = "no findings"
    text = f"{parts[0]}: {found}"
    if report.not_validated:
        text += f" ({_plural(report.not_validated, 'object')} not validated: no schema)"
    if report.baselined:
        text += f" ({_plural(report.baselined, 'finding')} in the baseline not shown)"
    if report.errors:
        text += f"; {_plural(len(report.errors), 'input error')}"
    if report.internal_errors:
        text += f"; {_plural(len(report.internal_errors), 'internal error')}"
    return text


def write(report: Report, out: TextIO, colour: bool) -> None:
    for problem in report.errors:
        where = _paint(_where(problem), "1", colour)
        out.write(
            f"{where}: {_paint('error', _COLOURS['error'], colour)} input-error {problem.message}\n"
        )
    for result in report.results:
        loc = result.location
        where = _paint(f"{loc.file}:{loc.line}:{loc.column}", "1", colour)
        sev = _paint(result.severity, _COLOURS[result.severity], colour)
        check = _paint(result.check, "2", colour)
        out.write(f"{where}: {sev} {check} {result.message}\n")
        out.write(f"    {_paint('hint:', '2', colour)} {result.hint}\n")
    for problem in report.notices:
        out.write(
            f"{_paint(_where(problem), '1', colour)}: {_paint('note', _COLOURS['note'], colour)} {problem.message}\n"
        )
    out.writelines(
        f"{_paint('internal error', _COLOURS['error'], colour)}: {message}\n"
        for message in report.internal_errors
    )
    out.write(summary(report) + "\n")
