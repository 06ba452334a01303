"""Fix-ready findings: edits, fixes, and how fixes merge when two findings become one result."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kubelint.checks.base import Check, CheckMeta, Context, ModuleCheck
from kubelint.config import Config
from kubelint.fixes import SeenResults, conflict, fixable, merge, merged
from kubelint.model import Edit, Finding, Fix, K8sObject, Location, Result
from kubelint.reporters.json import as_dict
from kubelint.runner import Inputs, lint
from tests.conftest import lint_paths

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
"""

PSP = ("spec", "containers", 0, "securityContext")
NO_ESCALATION = Edit("set", (*PSP, "allowPrivilegeEscalation"), False)
READ_ONLY = Edit("set", (*PSP, "readOnlyRootFilesystem"), True)


def _result(fix: Fix | None = None, message: str = "m") -> Result:
    return Result("c", "warning", Location("f.yaml", 3, 5), message, "h", {}, "p", fix=fix)


def test_edit_refuses_an_unknown_operation_and_a_value_on_delete() -> None:
    with pytest.raises(ValueError, match="unknown edit operation"):
        Edit("replace", ("a",), 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no value"):
        Edit("delete", ("a",), 1)


def test_edits_overlap_on_one_field_or_a_field_inside_another() -> None:
    assert NO_ESCALATION.overlaps(Edit("delete", NO_ESCALATION.path))
    assert Edit("set", PSP, {}).overlaps(NO_ESCALATION)
    assert NO_ESCALATION.overlaps(Edit("set", PSP, {}))
    assert not NO_ESCALATION.overlaps(READ_ONLY)
    # A sibling whose name starts alike is another field.
    assert not Edit("set", ("a", "b"), 1).overlaps(Edit("set", ("a", "bc"), 1))


def test_fixes_that_touch_different_fields_merge_their_edits() -> None:
    first = Fix("no escalation", (NO_ESCALATION,), safe=True)
    second = Fix("read-only root", (READ_ONLY, NO_ESCALATION), safe=False)
    assert conflict(first, second) is None
    both = merge(first, second)
    assert both.edits == (NO_ESCALATION, READ_ONLY)  # the shared edit once, order kept
    assert both.safe is False  # safe only when both are
    assert both.description == "no escalation; read-only root"
    assert merge(first, first).description == "no escalation"


def test_fixes_that_set_one_field_differently_conflict() -> None:
    first = Fix("a", (NO_ESCALATION,), safe=True)
    second = Fix("b", (Edit("set", NO_ESCALATION.path, True),), safe=True)
    why = conflict(first, second)
    assert why == (
        "two fixes edit spec.containers[0].securityContext.allowPrivilegeEscalation differently"
    )
    # Replacing a whole mapping conflicts with an edit inside it.
    assert conflict(first, Fix("c", (Edit("set", PSP, {"privileged": False}),))) is not None


def test_fixes_creating_different_files_conflict_and_one_file_is_kept_by_a_merge() -> None:
    policy = Fix("create", (), new_file=("shop-default-deny.yaml", "kind: NetworkPolicy\n"))
    other = Fix("create", (), new_file=("shop-default-deny.yaml", "kind: Other\n"))
    assert conflict(policy, other) == "two fixes create different files"
    assert conflict(policy, policy) is None
    edit = Fix("set", (Edit("set", ("spec", "x"), 1),))
    assert merge(edit, policy).new_file == policy.new_file
    assert merge(policy, edit).edits == edit.edits
    assert policy.part(unsafe=False) is None
    assert policy.part(unsafe=True) == policy


def test_a_merged_result_keeps_no_fix_when_fixes_conflict_and_says_why() -> None:
    kept = _result(Fix("a", (NO_ESCALATION,), safe=True))
    again = _result(Fix("b", (Edit("delete", NO_ESCALATION.path),), safe=True))
    result = merged(kept, again)
    assert result.fix is None
    assert result.fix_dropped is not None and "differently" in result.fix_dropped
    # Once dropped, a later agreeing fix does not bring a fix back.
    assert merged(result, kept).fix is None


def test_a_merged_result_takes_the_fix_its_first_finding_lacked() -> None:
    fix = Fix("a", (NO_ESCALATION,), safe=True)
    assert merged(_result(), _result(fix)).fix == fix
    assert merged(_result(fix), _result()).fix == fix


def test_seen_results_merge_repeats_into_the_first_and_keep_others_apart() -> None:
    results: list[Result] = []
    seen = SeenResults(results)
    first = _result(Fix("a", (NO_ESCALATION,), safe=True))
    assert not seen.merge(first)
    seen.add(first)
    assert seen.merge(_result(Fix("b", (READ_ONLY,), safe=True)))
    other = _result(message="another problem")
    assert not seen.merge(other)
    seen.add(other)
    assert len(results) == 2
    assert results[0].fix is not None and results[0].fix.edits == (NO_ESCALATION, READ_ONLY)
    assert results[1] == other


def _twice_check(fixes: tuple[Fix | None, Fix | None]) -> Check:
    """A check that reports one spot twice, with the given fixes."""
    meta = CheckMeta(id="twice", summary="twice", severity="warning", remediation="r")

    def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
        for fix in fixes:
            yield Finding(PSP, "one problem", fix=fix)

    return ModuleCheck(meta, check)


def _run_twice(tmp_path: Path, fixes: tuple[Fix | None, Fix | None]) -> list[Result]:
    path = tmp_path / "pod.yaml"
    path.write_text(POD, encoding="utf-8")
    report = lint(Inputs([str(path)], repo_context=False), Config(), [_twice_check(fixes)])
    return report.results


def test_the_runner_merges_the_fixes_of_findings_it_reports_once(tmp_path: Path) -> None:
    a, b = Fix("a", (NO_ESCALATION,), safe=True), Fix("b", (READ_ONLY,), safe=True)
    [result] = _run_twice(tmp_path, (a, b))
    assert result.fix is not None and result.fix.edits == (NO_ESCALATION, READ_ONLY)
    clash = Fix("c", (Edit("delete", NO_ESCALATION.path),), safe=True)
    [result] = _run_twice(tmp_path, (a, clash))
    assert result.fix is None and result.fix_dropped is not None


def test_results_keep_the_key_path_and_the_object_but_reports_do_not_show_them(
    tmp_path: Path,
) -> None:
    fix = Fix("a", (NO_ESCALATION,), safe=True)
    [result] = _run_twice(tmp_path, (fix, None))
    assert result.key_path == PSP
    assert result.path == "spec.containers[0].securityContext"
    assert result.document is not None and result.document.name == "web"
    assert not result.by_offset
    # The object is no part of a result's identity, nor of its repr.
    assert result == Result(**{**result.__dict__, "document": None})
    assert "K8sObject" not in repr(result)


def test_json_reports_write_no_fix_nor_document(tmp_path: Path) -> None:
    fix = Fix("a", (NO_ESCALATION,), safe=True)
    path = tmp_path / "pod.yaml"
    path.write_text(POD, encoding="utf-8")
    report = lint(Inputs([str(path)], repo_context=False), Config(), [_twice_check((fix, None))])
    [written] = as_dict(report)["findings"]
    assert set(written) == {
        "check",
        "severity",
        "file",
        "line",
        "column",
        "message",
        "hint",
        "object",
        "path",
        "source",
        "references",
        "fixable",
    }
    json.dumps(written)  # plain data only: no object handle slipped in


def test_results_located_by_offset_are_marked() -> None:
    folder = Path(__file__).parent / "checks" / "fixtures" / "input" / "duplicate-key"
    report = lint_paths(sorted(folder.glob("*.yaml")), ["duplicate-key"])
    assert report.results
    assert all(r.by_offset for r in report.results)


def test_fixable_says_whether_a_plain_fix_or_only_an_unsafe_one_applies(tmp_path: Path) -> None:
    unsafe_edit = Edit("set", (*PSP, "runAsNonRoot"), True)
    safe = Fix("a", (NO_ESCALATION,), safe=True)
    mixed = Fix("b", (replace(READ_ONLY, safe=True), unsafe_edit))
    unsafe = Fix("c", (unsafe_edit,))
    [with_safe] = _run_twice(tmp_path, (safe, None))
    [with_mixed] = _run_twice(tmp_path, (mixed, None))
    [with_unsafe] = _run_twice(tmp_path, (unsafe, None))
    [without] = _run_twice(tmp_path, (None, None))
    assert [fixable(r) for r in (with_safe, with_mixed, with_unsafe, without)] == [
        "safe",
        "safe",  # its safe part applies without --unsafe-fixes
        "unsafe",
        "no",
    ]
    # An unsafe fix of safe edits only is still unsafe: the fix says so, not its edits.
    assert fixable(replace(with_unsafe, fix=Fix("d", (NO_ESCALATION,)))) == "unsafe"


def test_fixable_is_no_when_the_fix_cannot_be_applied(tmp_path: Path) -> None:
    [result] = _run_twice(tmp_path, (Fix("a", (NO_ESCALATION,), safe=True), None))
    assert fixable(result) == "safe"
    document = result.document
    assert document is not None
    shared = replace(document, shared_paths=frozenset({PSP}))
    [dropped] = _run_twice(
        tmp_path, (Fix("a", (NO_ESCALATION,), safe=True), Fix("c", (Edit("delete", PSP),)))
    )
    assert dropped.fix_dropped is not None
    refused = [
        dropped,
        replace(result, fix=Fix("empty", (), safe=True)),
        replace(result, by_offset=True),
        replace(result, document=None),
        replace(result, document=shared),  # an anchor shares the field
        replace(result, document=replace(document, helm_source="templates/pod.yaml")),
    ]
    path = tmp_path / "pod.yaml"
    path.write_text(POD.replace("nginx:1.27", '"{{ .Values.image }}"'), encoding="utf-8")
    report = lint(
        Inputs([str(path)], repo_context=False),
        Config(),
        [_twice_check((Fix("a", (NO_ESCALATION,), safe=True), None))],
    )
    assert len(report.results) == 1
    refused += report.results  # template markup: the template needs the fix
    assert [fixable(r) for r in refused] == ["no"] * len(refused)
