"""The apiVersion fixes of removed-api and deprecated-api: only where the move is mechanical."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kubelint.checks.api.served import MECHANICAL_REPLACEMENTS
from kubelint.model import Edit, Result
from kubelint.schema.bundle import load_bundle
from tests.conftest import lint_text, run_process

API_CHECKS = ["removed-api", "deprecated-api"]
CRONJOB = """\
# the nightly report
apiVersion: batch/v1beta1   # moved by kubelint fix
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 3 * * *"
  timeZone: Etc/UTC
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: example/report:1
"""
HPA = """\
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 300}
"""
#: Moves the checks report but that need a person: no fix.
NOT_MECHANICAL = {
    "pdb": "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n"
    "spec: {minAvailable: 1, selector: {}}\n",
    "hpa-v2beta1": "apiVersion: autoscaling/v2beta1\nkind: HorizontalPodAutoscaler\n"
    "metadata: {name: h}\nspec: {maxReplicas: 3, scaleTargetRef: {kind: Deployment, name: w}}\n",
    "ingress": "apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: i}\n"
    "spec: {backend: {serviceName: web, servicePort: 80}}\n",
}


def _results(tmp_path: Path, text: str, kube_version: int) -> list[Result]:
    report = lint_text(tmp_path, text, select=API_CHECKS, kube_version=kube_version)
    assert not report.errors and not report.internal_errors
    return report.results


def _renamed(value: Any, old: str, new: str) -> Any:
    """A definition with the references to one version's definitions made the other's."""
    return json.loads(json.dumps(value).replace(old, new))


def test_the_hpa_schemas_agree_but_for_the_api_version_and_the_controllers_status() -> None:
    bundle = load_bundle(25)  # serves both
    old = bundle.definition("autoscaling/v2beta2", "HorizontalPodAutoscaler")
    new = bundle.definition("autoscaling/v2", "HorizontalPodAutoscaler")
    assert bundle.version == 25 and old is not None and new is not None
    names = bundle.reachable(old)
    renamed = {n: n.replace("autoscaling.v2beta2", "autoscaling.v2") for n in names}
    assert sorted(renamed.values()) == sorted(bundle.reachable(new))
    differing = {
        name
        for name in names
        if _renamed(bundle.defs[name], "autoscaling.v2beta2", "autoscaling.v2")
        != bundle.defs[renamed[name]]
    }
    top, status = old, "io.k8s.api.autoscaling.v2beta2.HorizontalPodAutoscalerStatus"
    assert differing == {top, status}
    assert bundle.defs[new]["properties"]["apiVersion"]["enum"] == ["autoscaling/v2"]
    moved = _renamed(bundle.defs[top], "autoscaling.v2beta2", "autoscaling.v2")
    moved["properties"]["apiVersion"]["enum"] = ["autoscaling/v2"]
    assert moved == bundle.defs[new]
    # v2 only relaxes the status: currentReplicas is no longer required.
    old_status, new_status = bundle.defs[status], bundle.defs[renamed[status]]
    assert set(new_status["required"]) == set(old_status["required"]) - {"currentReplicas"}


def test_no_bundled_version_serves_the_beta_cronjob_to_compare() -> None:
    # The CronJob entry relies on the deprecation guide; should a bundle ever hold the
    # beta schema, compare it as the HPA test does.
    assert load_bundle(25).definition("batch/v1beta1", "CronJob") is None


@pytest.mark.parametrize(
    ("text", "kube_version", "check", "target"),
    [
        (CRONJOB, 37, "removed-api", "batch/v1"),
        (CRONJOB, 24, "deprecated-api", "batch/v1"),
        (HPA, 25, "deprecated-api", "autoscaling/v2"),
        (HPA, 26, "removed-api", "autoscaling/v2"),
    ],
)
def test_the_move_is_a_safe_fix_of_the_api_version_alone(
    tmp_path: Path, text: str, kube_version: int, check: str, target: str
) -> None:
    [result] = _results(tmp_path, text, kube_version)
    assert result.check == check
    assert result.fix is not None and result.fix.safe
    assert result.fix.edits == (Edit("set", ("apiVersion",), target, safe=True),)


def test_no_fix_for_a_version_that_does_not_serve_the_replacement_yet(tmp_path: Path) -> None:
    # autoscaling/v2 is served from 1.23, batch/v1 CronJob from 1.21.
    [hpa] = _results(tmp_path, HPA, 22)
    [cronjob] = _results(tmp_path, CRONJOB, 20)
    assert hpa.check == cronjob.check == "deprecated-api"
    assert hpa.fix is None and cronjob.fix is None
    assert MECHANICAL_REPLACEMENTS[("batch/v1beta1", "CronJob")] == ("batch/v1", 21)


@pytest.mark.parametrize("name", sorted(NOT_MECHANICAL))
def test_moves_that_change_meaning_or_fields_have_no_fix(tmp_path: Path, name: str) -> None:
    [result] = _results(tmp_path, NOT_MECHANICAL[name], 37)
    assert result.check == "removed-api" and result.hint is not None  # the move is named
    assert result.fix is None


@pytest.mark.parametrize(
    ("text", "version", "old", "new"),
    [
        (CRONJOB, "1.37", "batch/v1beta1", "batch/v1"),
        (HPA, "1.26", "autoscaling/v2beta2", "autoscaling/v2"),
    ],
)
def test_fix_rewrites_the_api_version_line_and_the_object_validates(
    tmp_path: Path, text: str, version: str, old: str, new: str
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    args = ["--select", ",".join(API_CHECKS), "--kube-version", version, "m.yaml"]
    diff = run_process(["--diff", *args], cwd=tmp_path)
    assert diff.returncode == 1
    changed = [
        line
        for line in diff.stdout.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    [before] = [line for line in text.splitlines() if line.startswith("apiVersion:")]
    after = before.replace(old, new)
    assert changed == [f"-{before}", f"+{after}"]
    assert path.read_text(encoding="utf-8") == text  # --diff writes nothing
    fixed = run_process(["fix", *args], cwd=tmp_path)
    assert fixed.returncode == 0 and "fixed 1 finding(s) in 1 file(s)" in fixed.stderr
    assert path.read_text(encoding="utf-8") == text.replace(before, after, 1)
    again = run_process(["fix", *args], cwd=tmp_path)
    assert "fixed 0 finding(s) in 0 file(s)" in again.stderr
    assert path.read_text(encoding="utf-8") == text.replace(before, after, 1)
    # The moved object is valid at the target version: no schema finding of any kind.
    checked = run_process(["--select", "schema", "--kube-version", version, "m.yaml"], cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
