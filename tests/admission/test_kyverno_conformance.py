"""Kyverno's CEL policy library (tests/data/cel-conformance, see PROVENANCE.md there): every
expected pass/fail holds for the policies kubelint can evaluate offline, and the policies
that call Kyverno's cluster or network libraries are reported as not evaluable, never as
passing."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubelint.checks.admission.kyverno import kyverno_only_functions
from kubelint.model import Report
from tests.admission.conformance import Case, Expected, cases
from tests.conftest import lint_paths

CASES = cases()

#: Where kubelint and Kyverno's expected results part, and why. Each is reviewed: kubelint
#: follows the CEL specification (and cel-cpp) where Kyverno's cel-go answers otherwise.
KNOWN_DIFFERENCES: dict[str, str] = {
    # `x.orValue(d)` on a value that is not optional (a list, a map) has no overload in
    # CEL; these policies call it on plain fields and Kyverno's tests expect a pass, so
    # cel-go must answer it. kubelint reports the evaluation error (failurePolicy Fail).
    "pod-security-vpol/restricted/disallow-capabilities-strict": "orValue on a non-optional",
    "other-vpol/ensure-readonly-hostpath": "orValue on a non-optional",
    "other-vpol/require-emptydir-requests-limits": "orValue on a non-optional",
    "other-vpol/require-qos-guaranteed": "orValue on a non-optional",
}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _offline_only(case: Case) -> bool:
    """Whether a policy of the case calls a Kyverno library that needs a cluster or the
    network (resource.Get, image.GetMetadata, http...)."""
    texts = [
        s for p in case.policies for d in yaml.safe_load_all(p.read_text()) for s in _strings(d)
    ]
    return any(kyverno_only_functions(text) for text in texts)


def _run(case: Case, tmp_path: Path) -> Report:
    for index, path in enumerate((*case.policies, *case.resources)):
        shutil.copy(path, tmp_path / f"{index}-{path.name}")
    user: dict[str, Any] = {}
    if case.userinfo is not None:
        info = (yaml.safe_load(case.userinfo.read_text()) or {}).get("userInfo") or {}
        user = {"user": info.get("username", ""), "groups": info.get("groups") or []}
    params = {"admission-policy": user} if user else {}
    return lint_paths([tmp_path], ["admission-policy"], params=params)


def _verdicts(case: Case, report: Report) -> dict[Expected, str]:
    """What kubelint says of each expected result: deny, admit or unevaluable."""
    denied: dict[tuple[str, str], list[str]] = {}
    for result in report.results:
        key = (str(result.obj.get("kind")), str(result.obj.get("name")))
        denied.setdefault(key, []).append(result.message)
    notices = " ".join(n.message for n in report.notices)
    verdicts = {}
    for expected in case.expected:
        named = f"'{expected.policy}'"
        if any(named in m for m in denied.get((expected.kind, expected.name), [])):
            verdicts[expected] = "deny"
        elif named in notices and "cannot be evaluated offline" in notices:
            verdicts[expected] = "unevaluable"
        else:
            verdicts[expected] = "admit"
    return verdicts


@pytest.mark.parametrize("case", CASES, ids=[c.folder for c in CASES])
def test_kyverno_expected_results_hold(case: Case, tmp_path: Path) -> None:
    report = _run(case, tmp_path)
    assert not report.errors and not report.internal_errors
    verdicts = _verdicts(case, report)
    if _offline_only(case):
        # Never a silent pass: what kubelint cannot ask a cluster for is named.
        wrong = [e for e, v in verdicts.items() if v == "deny" and e.result != "fail"]
        assert not wrong
        assert any(v == "unevaluable" for v in verdicts.values())
        return
    wrong = [
        (e.kind, e.name, e.result, v)
        for e, v in verdicts.items()
        if (v == "deny") != (e.result == "fail")
    ]
    if case.folder in KNOWN_DIFFERENCES:
        assert wrong, f"{case.folder} now agrees: drop it from KNOWN_DIFFERENCES"
        assert all(result == "pass" and v == "deny" for _, _, result, v in wrong)
        return
    assert wrong == []


def test_pass_rate_per_folder(tmp_path: Path) -> None:
    """The figures of the closing note: results that agree, per folder."""
    counts: dict[str, Counter[str]] = {}
    for index, case in enumerate(CASES):
        folder = tmp_path / str(index)
        folder.mkdir()
        verdicts = _verdicts(case, _run(case, folder))
        tally = counts.setdefault(case.family, Counter())
        for expected, verdict in verdicts.items():
            if _offline_only(case):
                tally["not evaluable offline"] += 1
            elif (verdict == "deny") == (expected.result == "fail"):
                tally["agree"] += 1
            else:
                tally["differ"] += 1
    evaluable = sum(c["agree"] + c["differ"] for c in counts.values())
    agree = sum(c["agree"] for c in counts.values())
    print({family: dict(c) for family, c in sorted(counts.items())})
    assert agree / evaluable >= 0.97
