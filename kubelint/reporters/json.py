"""Machine-readable report; the format is documented in docs/json-format.md."""

from __future__ import annotations

import json
from typing import Any, TextIO

from kubelint.fixes import fixable
from kubelint.model import InputProblem, Report

FORMAT_VERSION = 1


def _problem(problem: InputProblem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
    }


def as_dict(report: Report) -> dict[str, Any]:
    severities = {"error": 0, "warning": 0, "info": 0}
    for result in report.results:
        severities[result.severity] += 1
    references = {rule.id: [c.as_dict() for c in rule.references] for rule in report.rules}
    return {
        "version": FORMAT_VERSION,
        "findings": [
            {
                "check": r.check,
                "severity": r.severity,
                "file": r.location.file,
                "line": r.location.line,
                "column": r.location.column,
                "message": r.message,
                "hint": r.hint,
                "object": r.obj,
                "path": r.path,
                "source": r.source,
                "references": references.get(r.check, []),
                "fixable": fixable(r),
            }
            for r in report.results
        ],
        "errors": [_problem(p) for p in report.errors],
        "notices": [_problem(p) for p in report.notices],
        "internalErrors": list(report.internal_errors),
        "summary": {
            "files": report.files,
            "objects": report.objects,
            "findings": len(report.results),
            "errors": len(report.errors),
            "skipped": report.skipped,
            "notices": len(report.notices),
            "baselined": report.baselined,
            "notValidated": report.not_validated,
            "severities": severities,
        },
    }


def write(report: Report, out: TextIO, colour: bool) -> None:
    json.dump(as_dict(report), out, indent=2)
    out.write("\n")
