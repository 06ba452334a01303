"""Compliance mapping: checks name the CIS / NSA-CISA controls they implement, everywhere."""

from __future__ import annotations

from kubelint.checks import groups
from kubelint.checks.base import CheckMeta, ModuleCheck
from kubelint.compliance import CIS, CIS_VERSION, NSA, NSA_VERSION, Control, cis, nsa
from kubelint.docs import render_check_page


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
