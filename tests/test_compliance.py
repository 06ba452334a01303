"""Compliance mapping: checks name the CIS / NSA-CISA controls they implement, everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubelint.checks import BUILTIN, groups, registry
from kubelint.checks.base import CheckMeta, ModuleCheck
from kubelint.compliance import CIS, CIS_VERSION, NSA, NSA_VERSION, Control, cis, nsa
from kubelint.docs import render_check_page, render_index
from tests.conftest import run_cli

PRIVILEGED_POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: nginx:latest
      securityContext:
        privileged: true
"""


def test_controls_name_their_framework_version_in_tags_and_labels() -> None:
    control = cis("5.2.2", "do not admit privileged containers")
    assert control == Control(CIS, CIS_VERSION, "5.2.2", "do not admit privileged containers")
    assert control.tag == "CIS-1.10-5.2.2"
    assert control.label == "CIS Kubernetes Benchmark v1.10, control 5.2.2"
    assert control.group == "cis"
    section = nsa("Network policies", "deny by default")
    assert (section.framework, section.version) == (NSA, NSA_VERSION)
    assert section.tag == "NSA-CISA-1.2-network-policies"
    assert section.label == 'NSA/CISA Kubernetes Hardening Guide v1.2, section "Network policies"'
    assert section.group == "nsa"
    other = Control("acme-policy", "3", "A.1", "something")
    assert (other.group, other.tag) == ("acme-policy", "acme-policy-3-a.1")


def test_a_plugin_check_without_a_family_joins_the_groups_of_its_controls() -> None:
    meta = CheckMeta(
        "acme-thing", "x", "warning", "fix it", groups=("acme",), compliance=(cis("5.7.4", "t"),)
    )
    assert meta.all_groups == ("acme", "cis")
    check = ModuleCheck(meta, lambda obj, ctx, params: iter(()))
    assert groups([check])["cis"] == ["acme-thing"]
    page = render_check_page(check)
    assert "## Compliance\n- CIS Kubernetes Benchmark v1.10, control 5.7.4: t\n" in page
    plain = render_check_page(
        ModuleCheck(CheckMeta("acme-other", "x", "info", "fix it"), check.function)
    )
    assert "## Compliance" not in plain and "`cis`" not in plain


def test_the_cis_and_nsa_groups_hold_exactly_the_checks_with_such_controls() -> None:
    by_group = groups(BUILTIN)
    for group, framework in (("cis", CIS), ("nsa", NSA)):
        expected = {
            c.meta.id for c in BUILTIN if any(r.framework == framework for r in c.meta.compliance)
        }
        assert set(by_group[group]) == expected
    assert {"privileged-container", "pss-host-namespaces", "rbac-wildcard"} <= set(by_group["cis"])
    assert {"kubelet-read-only-port", "apiserver-anonymous-auth"} <= set(by_group["cis"])
    assert "namespace-without-default-deny" in by_group["nsa"]
    assert "namespace-without-default-deny" not in by_group["cis"]
    assert "image-latest-tag" not in {*by_group["cis"], *by_group["nsa"]}


def test_every_builtin_control_is_cis_110_or_nsa_12_with_a_title_and_no_repeat() -> None:
    for check in BUILTIN:
        controls = check.meta.compliance
        assert len(set(controls)) == len(controls), check.meta.id
        for control in controls:
            assert (control.framework, control.version) in {(CIS, "1.10"), (NSA, "1.2")}
            assert control.title and control.id, check.meta.id
    host = registry()["pss-host-namespaces"].meta.compliance
    assert [c.id for c in host] == ["5.2.3", "5.2.4", "5.2.5"]


def test_select_cis_runs_only_the_checks_of_the_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pod.yaml").write_text(PRIVILEGED_POD)
    code, out, _ = run_cli(["pod.yaml", "--select", "cis", "-f", "json"], capsys)
    assert code == 1
    checks = {f["check"] for f in json.loads(out)["findings"]}
    assert "privileged-container" in checks
    assert checks <= set(groups(BUILTIN)["cis"])
    # image-latest-tag reports this pod by default, but is in neither group.
    _, out, _ = run_cli(["pod.yaml", "--select", "nsa,image-latest-tag", "-f", "json"], capsys)
    assert "privileged-container" not in {f["check"] for f in json.loads(out)["findings"]}


def test_json_findings_carry_the_references_of_their_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pod.yaml").write_text(PRIVILEGED_POD)
    args = ["pod.yaml", "--select", "privileged-container,image-latest-tag", "-f", "json"]
    _, out, _ = run_cli(args, capsys)
    report = json.loads(out)
    assert report["version"] == 1
    by_check = {f["check"]: f["references"] for f in report["findings"]}
    assert by_check["privileged-container"] == [
        {
            "framework": "cis-kubernetes",
            "version": "1.10",
            "id": "5.2.2",
            "title": "do not admit privileged containers",
            "tag": "CIS-1.10-5.2.2",
        }
    ]
    assert by_check["image-latest-tag"] == []


def test_the_docs_page_and_explain_name_the_controls_and_a_check_without_names_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = render_check_page(registry()["service-account-token-automount"])
    assert "## Compliance" in page
    assert "- CIS Kubernetes Benchmark v1.10, control 5.1.6: " in page
    assert '- NSA/CISA Kubernetes Hardening Guide v1.2, section "Protecting Pod service' in page
    assert "`cis`" in page and "`nsa`" in page
    plain = render_check_page(registry()["image-latest-tag"])
    assert "## Compliance" not in plain and "CIS" not in plain and "`cis`" not in plain
    code, out, _ = run_cli(["--explain", "kubelet-read-only-port"], capsys)
    assert code == 0 and "CIS Kubernetes Benchmark v1.10, control 4.2.4" in out
    index = render_index()
    assert "CIS Kubernetes Benchmark v1.10" in index and "CIS-1.10-4.2.4" in index


def test_list_checks_shows_the_tags_with_their_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--list-checks"], capsys)
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert code == 0
    assert lines["privileged-container"].endswith("CIS-1.10-5.2.2")
    assert "CIS-" not in lines["image-latest-tag"]
    code, out, _ = run_cli(["--explain", "nsa"], capsys)
    assert code == 0 and "namespace-without-default-deny" in out and "NSA-CISA-1.2-" in out
