"""SARIF 2.1.0 for code scanning (GitHub and others).

Results carry repository-relative URIs (``uriBaseId: %SRCROOT%``; a file outside the
repository gets its absolute ``file:`` URI), exact start positions and
``partialFingerprints`` built from the check, the file, the object and the key path (never
the line), so a finding keeps its identity when unrelated lines move. There are no source
snippets: a snippet could contain the very secret a finding is about. A finding whose fix
the editing engine applies carries it as SARIF ``fixes`` (see
:mod:`kubelint.reporters.sarif_fixes`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from kubelint import __version__
from kubelint.checkdoc import CheckDoc
from kubelint.fixes import fixable
from kubelint.model import InputProblem, Report, Result, Rule, Severity
from kubelint.reporters.paths import repo_relative, report_root
from kubelint.reporters.sarif_fixes import SarifFixes

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/kubelint/kubelint"
FINGERPRINT = "kubelintFinding/v1"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: GitHub code scanning ranks security alerts by this number (0.1 to 10).
_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0"}


def _artifact(file: str, root: Path) -> dict[str, str]:
    relative = repo_relative(file, root)
    if os.path.isabs(relative):
        # A file outside the repository has no path below %SRCROOT%: give its own file URI.
        return {"uri": Path(relative).as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": "%SRCROOT%"}


def _rule(rule: Rule) -> dict[str, Any]:
    doc = CheckDoc.of(rule.doc)
    title = doc.title or rule.summary
    description = " ".join(doc.what.split()) or title
    why = " ".join(doc.why.split())
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": description},
        "help": {
            "text": f"{why} Fix: {rule.remediation}." if why else f"Fix: {rule.remediation}.",
            "markdown": doc.markdown(),
        },
        **({"helpUri": rule.help_uri} if rule.help_uri else {}),
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {
            "tags": ["security", "kubernetes", *rule.groups, *(c.tag for c in rule.references)],
            "security-severity": _SECURITY_SEVERITY[rule.severity],
        },
    }


def fingerprint(result: Result, root: Path) -> str:
    """Identity of a finding that does not depend on its line (nor on the working directory)."""
    obj = result.obj
    parts = [
        result.check,
        repo_relative(result.location.file, root),
        str(obj.get("apiVersion")),
        str(obj.get("kind")),
        str(obj.get("namespace")),
        str(obj.get("name")),
        result.path,
        # Not the message: it can count things ("6 of 8 workloads") or list what is still
        # missing, and a finding keeps its identity while those change.
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _location(file: str, line: int | None, column: int | None, root: Path) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(file, root)}
    if line is not None:
        region: dict[str, Any] = {"startLine": line}
        if column is not None:
            region["startColumn"] = column
        physical["region"] = region
    return {"physicalLocation": physical}


def _notification(problem: InputProblem, level: str, root: Path) -> dict[str, Any]:
    return {
        "level": level,
        "message": {"text": problem.message},
        "locations": [_location(problem.file, problem.line, problem.column, root)],
    }


def as_dict(report: Report, root: Path | None = None) -> dict[str, Any]:
    root = root or report_root(report)
    rules = sorted(report.rules, key=lambda r: r.id)
    known = {r.id for r in rules}
    # Findings of checks that are not in the run's rule list (should not happen) still need one.
    rules += [
        Rule(cid, cid, Severity.WARNING, "see the docs", "")
        for cid in sorted({r.check for r in report.results} - known)
    ]
    index = {rule.id: i for i, rule in enumerate(rules)}
    seen: dict[str, int] = {}
    results = []
    fixes = SarifFixes(report)
    for result in report.results:
        base = fingerprint(result, root)
        seen[base] = seen.get(base, 0) + 1
        sarif = _result(result, index[result.check], f"{base}:{seen[base]}", root)
        found = fixes.fixes(result, _artifact(result.location.file, root))
        if found:
            sarif["fixes"] = found
        results.append(sarif)
    notifications = [_notification(p, "error", root) for p in report.errors]
    notifications += [_notification(p, "note", root) for p in report.notices]
    notifications += [{"level": "error", "message": {"text": m}} for m in report.internal_errors]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kubelint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFO_URI,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "invocations": [
                    {
                        "executionSuccessful": not (report.internal_errors or report.errors),
                        "toolExecutionNotifications": notifications,
                    }
                ],
            }
        ],
    }


def _result(result: Result, rule_index: int, fingerprint: str, root: Path) -> dict[str, Any]:
    """One finding as a SARIF result."""
    location = result.location
    sarif: dict[str, Any] = {
        "ruleId": result.check,
        "ruleIndex": rule_index,
        "level": _LEVELS[result.severity],
        "message": {"text": f"{result.message}. Fix: {result.hint}"},
        "locations": [_location(location.file, location.line, location.column, root)],
        "partialFingerprints": {FINGERPRINT: fingerprint},
        "properties": {
            "objectKind": result.obj.get("kind"),
            "objectName": result.obj.get("name"),
            "path": result.path,
            "fixable": fixable(result),
        },
    }
    if result.source is not None and result.source != location.file:
        # Committed Helm output: the finding stays in the rendered file (which exists);
        # the template it was rendered from is where the fix usually goes.
        related = _location(result.source, None, None, root)
        related["id"] = 1
        related["message"] = {"text": f"rendered from the Helm template {result.source}"}
        sarif["relatedLocations"] = [related]
    return sarif


def write(report: Report, out: TextIO, colour: bool) -> None:
    json.dump(as_dict(report), out, indent=2)
    out.write("\n")
