"""The Kyverno conformance data is complete and the loader reads the test format right."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.admission.conformance import (
    FAMILIES,
    ROOT,
    Case,
    Expected,
    Malformed,
    cases,
    documents,
    find_resource,
    read_case,
)


@pytest.fixture(scope="module")
def all_cases() -> list[Case]:
    return cases()


def test_license_and_provenance_are_kept() -> None:
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    provenance = (ROOT.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "b9c4317ce02256dc66118e08bb3e9345e7bfce5c" in provenance


def test_every_test_file_is_found(all_cases: list[Case]) -> None:
    # kyverno/policies at the recorded commit: 100 offline tests in the three folders.
    assert len(all_cases) == 100
    assert Counter(c.family for c in all_cases) == {
        "pod-security-vpol": 16,
        "best-practices-vpol": 15,
        "other-vpol": 69,
    }
    assert {c.family for c in all_cases} == set(FAMILIES)


def test_every_referenced_file_exists_inside_the_data(all_cases: list[Case]) -> None:
    referenced = [path for case in all_cases for path in case.files]
    assert len(referenced) == 243
    # policies and resources alone: the count the shared copy's README gives
    assert sum(len(c.policies) + len(c.resources) for c in all_cases) == 231
    for path in referenced:
        assert path.is_file(), path
        assert ROOT in path.parents, path


def test_every_policy_file_holds_a_kyverno_validating_policy(all_cases: list[Case]) -> None:
    for case in all_cases:
        assert case.policies, case.folder
        for path in case.policies:
            for document in documents(path):
                assert document["kind"] == "ValidatingPolicy", path
                assert document["apiVersion"].startswith("policies.kyverno.io/"), path


def test_every_expected_result_names_a_known_policy_and_resource(all_cases: list[Case]) -> None:
    for case in all_cases:
        names = {d["metadata"]["name"] for p in case.policies for d in documents(p)}
        assert case.expected, case.folder
        for expected in case.expected:
            assert expected.policy in names, (case.folder, expected)
            assert find_resource(case, expected) is not None, (case.folder, expected)


def test_results_are_pass_fail_or_skip(all_cases: list[Case]) -> None:
    counts = Counter(e.result for c in all_cases for e in c.expected)
    assert set(counts) == {"pass", "fail", "skip"}
    assert sum(counts.values()) == 1370


def _write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "family" / "policy" / ".kyverno-test"
    folder.mkdir(parents=True)
    path = folder / "kyverno-test.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_namespaced_names_and_deprecated_fields(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
kind: Test
policies: [../policy.yaml]
resources: [resource.yaml]
variables: values.yaml
results:
- policy: p
  kind: Pod
  resources: [team-a/one, two]
  result: fail
- policy: p
  rule: r
  kind: Pod
  resource: three
  namespace: team-b
  status: skip
""",
    )
    case = read_case(path, tmp_path)
    assert case.folder == "family/policy"
    assert case.policies == ((path.parent.parent / "policy.yaml").resolve(),)
    assert case.variables == (path.parent / "values.yaml").resolve()
    assert case.context is None
    assert case.expected == (
        Expected("p", None, "Pod", "one", "team-a", "fail"),
        Expected("p", None, "Pod", "two", None, "fail"),
        Expected("p", "r", "Pod", "three", "team-b", "skip"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "kind: Value\n",
        "kind: Test\nresults: {}\n",
        "kind: Test\nresults: [{policy: p, kind: Pod, resources: [a], result: error}]\n",
        "kind: Test\nresults: [{policy: p, resources: [a], result: pass}]\n",
        "kind: Test\npolicies: [3]\n",
    ],
)
def test_malformed_test_files_are_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(Malformed):
        read_case(_write(tmp_path, text), tmp_path)
