"""Human-readable report: ``path:line:col: severity check-id message``, hints, a summary.

Written to be read at hundreds of findings: each finding is one line, and a check's hint
is printed once, in a ``hints:`` section at the end, rather than under every finding. A
finding whose own hint differs from its check's (it names the object's namespace, say)
keeps it there too, once per distinct hint.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from kubelint.fixes import fixable
from kubelint.model import SEVERITIES, SEVERITY_RANK, InputProblem, Report
from kubelint.reporters.safe import safe_report, visible

_COLOURS = {"error": "31", "warning": "33", "info": "36", "note": "36"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def _where(problem: InputProblem) -> str:
    if problem.line is None:
        return problem.file
    return f"{problem.file}:{problem.line}:{problem.column}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _files_with_findings(report: Report) -> int:
    """How many of the linted files have a finding.

    A finding names the Helm template its object came from, not the rendered stream that
    was linted; such names are mapped back to the stream files that hold them.
    """
    named = {result.location.file for result in report.results}
    # Names as the (possibly escaped, see safe_report) findings show them.
    linted = {visible(item.source.display) for item in report.retained if item.source.reported}
    files = named & linted
    unknown = named - linted
    if unknown:
        for item in report.retained:
            if item.source.reported and any(visible(obj.file) in unknown for obj in item.objects):
                files.add(visible(item.source.display))
        if not report.retained:  # a report built without its sources: the names are all
            files |= unknown
    return len(files)


def summary(report: Report) -> str:
    """One line: files (and how many have findings), objects, findings per severity."""
    counts = Counter(result.severity for result in report.results)
    files = _plural(report.files, "file")
    if report.results:
        files += f" ({_files_with_findings(report)} with findings)"
    objects = _plural(report.objects, "object")
    if report.skipped:
        objects += f" ({report.skipped} skipped: tool configuration or not Kubernetes objects)"
    if report.results:
        found = ", ".join(
            _plural(counts[sev], sev) if sev != "info" else f"{counts[sev]} info"
            for sev in SEVERITIES
        )
    else:
        found = "no findings"
    text = f"{files}, {objects}: {found}"
    if report.not_validated:
        text += f" ({_plural(report.not_validated, 'object')} not validated: no schema)"
    if report.baselined:
        text += f" ({_plural(report.baselined, 'finding')} in the baseline not shown)"
    if report.errors:
        text += f"; {_plural(len(report.errors), 'input error')}"
    if report.internal_errors:
        text += f"; {_plural(len(report.internal_errors), 'internal error')}"
    return text


def _write_errors(report: Report, out: TextIO, colour: bool) -> None:
    for problem in report.errors:
        where = _paint(_where(problem), "1", colour)
        out.write(
            f"{where}: {_paint('error', _COLOURS['error'], colour)} input-error {problem.message}\n"
        )


def _write_findings(report: Report, out: TextIO, colour: bool) -> None:
    for result in report.results:
        loc = result.location
        where = _paint(f"{loc.file}:{loc.line}:{loc.column}", "1", colour)
        sev = _paint(result.severity, _COLOURS[result.severity], colour)
        check = _paint(result.check, "2", colour)
        out.write(f"{where}: {sev} {check} {result.message}\n")


def _write_notices(report: Report, out: TextIO, colour: bool) -> None:
    for problem in report.notices:
        note = _paint("note", _COLOURS["note"], colour)
        out.write(f"{_paint(_where(problem), '1', colour)}: {note} {problem.message}\n")


def _write_internal_errors(report: Report, out: TextIO, colour: bool) -> None:
    out.writelines(
        f"{_paint('internal error', _COLOURS['error'], colour)}: {message}\n"
        for message in report.internal_errors
    )


def hints(report: Report) -> list[tuple[str, str]]:
    """(check id, hint) once per distinct hint of the findings, by check id.

    A check's own remediation comes first; hints particular to some findings follow in the
    order they were found.
    """
    default = {rule.id: rule.remediation for rule in report.rules}
    seen: dict[tuple[str, str], None] = {}
    for result in report.results:
        seen.setdefault((result.check, result.hint), None)
    return sorted(seen, key=lambda pair: (pair[0], pair[1] != default.get(pair[0], pair[1])))


def _write_lines(report: Report, out: TextIO, colour: bool) -> None:
    """Input errors, findings, notes and internal errors, one per line (``report`` is safe)."""
    _write_errors(report, out, colour)
    _write_findings(report, out, colour)
    _write_notices(report, out, colour)
    _write_internal_errors(report, out, colour)


def write(report: Report, out: TextIO, colour: bool) -> None:
    """The default text report: findings one per line, then each hint once, then a summary."""
    report = safe_report(report)
    _write_lines(report, out, colour)
    pairs = hints(report)
    if pairs:
        out.write(f"\n{_paint('hints:', '2', colour)}\n")
        out.writelines(f"  {_paint(check, '2', colour)}: {hint}\n" for check, hint in pairs)
        out.write("\n")
    out.write(summary(report) + "\n")


def write_concise(report: Report, out: TextIO, colour: bool) -> None:
    """One line per finding (and per input error or note), no hints, then the summary."""
    report = safe_report(report)
    _write_lines(report, out, colour)
    out.write(summary(report) + "\n")


def statistics(report: Report) -> list[tuple[int, str, str, str]]:
    """(count, check id, severity, summary) per check that found something, most first.

    Severities are those of the findings: a check whose findings differ in severity (a
    Pod Security control enforced by one namespace and only selected for another, say)
    lists them, most severe first.
    """
    counts = Counter(result.check for result in report.results)
    severities: dict[str, set[str]] = {}
    for result in report.results:
        severities.setdefault(result.check, set()).add(result.severity)
    summaries = {rule.id: rule.summary for rule in report.rules}
    return [
        (
            count,
            check,
            ",".join(sorted(severities[check], key=lambda s: -SEVERITY_RANK[s])),
            summaries.get(check, ""),
        )
        for check, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def fixable_counts(report: Report) -> dict[str, str]:
    """Per check with a fixable finding: ``fixable: 12 safe, 3 unsafe`` (see
    :func:`kubelint.fixes.fixable`; a kind no finding has is left out)."""
    counts: dict[str, Counter[str]] = {}
    for result in report.results:
        kind = fixable(result)
        if kind != "no":
            counts.setdefault(result.check, Counter())[kind] += 1
    return {
        check: "fixable: "
        + ", ".join(f"{found[kind]} {kind}" for kind in ("safe", "unsafe") if found[kind])
        for check, found in counts.items()
    }


def write_statistics(report: Report, out: TextIO, colour: bool) -> None:
    """Input errors, then a table of findings per check, then the summary.

    A column says how many findings of each check a fix applies to, when any has one.
    """
    report = safe_report(report)
    _write_errors(report, out, colour)
    rows = statistics(report)
    fixes = fixable_counts(report)
    if rows:
        count_width = len(str(rows[0][0]))
        id_width = max(len(row[1]) for row in rows)
        sev_width = max(len(row[2]) for row in rows)
        fix_width = max((len(text) for text in fixes.values()), default=0)
        for count, check, severity, text in rows:
            sev = severity.ljust(sev_width)
            if "," not in severity:
                sev = _paint(sev, _COLOURS[severity], colour)
            if fix_width:
                text = f"{fixes.get(check, ''):<{fix_width}}  {text}"
            out.write(f"{count:>{count_width}}  {check:<{id_width}}  {sev}  {text}".rstrip() + "\n")
    _write_internal_errors(report, out, colour)
    out.write(summary(report) + "\n")
