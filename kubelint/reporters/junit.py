"""JUnit XML for CI dashboards: a test case per object, a failure per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any, TextIO

from kubelint.model import Report, Result
from kubelint.reporters.safe import safe_report, visible


def _object_name(identity: dict[str, Any]) -> str:
    name = f"{identity.get('kind')}/{identity.get('name')}"
    return f"{identity.get('namespace')}/{name}" if identity.get("namespace") else name


def _key(file: str, identity: dict[str, Any]) -> tuple[str, str]:
    return file, _object_name(identity)


def as_element(report: Report) -> ET.Element:
    # XML 1.0 has no way to write most control characters nor U+FFFE: escaped visibly.
    report = safe_report(report)
    by_object: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for result in report.results:
        by_object[_key(result.location.file, result.obj)].append(result)
    cases: list[ET.Element] = []
    failures = 0
    ordered = [
        _key(visible(file), {k: visible(v) if isinstance(v, str) else v for k, v in ident.items()})
        for file, ident in report.linted()
    ]
    ordered += [key for key in by_object if key not in set(ordered)]
    for file, name in dict.fromkeys(ordered):
        case = ET.Element("testcase", classname=file, name=name)
        for result in by_object.get((file, name), []):
            loc = result.location
            failure = ET.SubElement(
                case, "failure", type=result.check, message=f"{result.check}: {result.message}"
            )
            failure.text = (
                f"{loc.file}:{loc.line}:{loc.column}: {result.severity} {result.check} "
                f"{result.message}\nhint: {result.hint}"
            )
            failures += 1
        cases.append(case)
    errors = 0
    for problem in report.errors:
        case = ET.Element("testcase", classname=problem.file, name="read manifest")
        where = f"{problem.file}:{problem.line}:{problem.column}" if problem.line else problem.file
        error = ET.SubElement(case, "error", type="input-error", message=problem.message)
        error.text = f"{where}: {problem.message}"
        cases.append(case)
        errors += 1
    for message in report.internal_errors:
        case = ET.Element("testcase", classname="kubelint", name="internal error")
        ET.SubElement(case, "error", type="internal-error", message=message)
        cases.append(case)
        errors += 1
    counts = {
        "tests": str(len(cases)),
        "failures": str(failures),
        "errors": str(errors),
        "skipped": "0",
    }
    suites = ET.Element("testsuites", {"name": "kubelint", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "kubelint", **counts})
    suite.extend(cases)
    return suites


def write(report: Report, out: TextIO, colour: bool) -> None:
    tree = ET.ElementTree(as_element(report))
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    tree.write(out, encoding="unicode")
    out.write("\n")
