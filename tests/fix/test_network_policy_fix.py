"""The fix of namespace-without-default-deny: a default-deny NetworkPolicy in a new file
beside the namespace's manifest, only with --unsafe-fixes and never over an existing file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_process

CHECK = "namespace-without-default-deny"
NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""
POLICY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
"""
SELECT = ["--select", f"{CHECK},schema-validation"]


def _repo(tmp_path: Path) -> Path:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "namespace.yaml").write_text(NAMESPACE)
    (tmp_path / "deploy" / "deployment.yaml").write_text(DEPLOYMENT)
    return tmp_path / "deploy" / "shop-default-deny.yaml"


def _checks(tmp_path: Path, *extra: str) -> list[str]:
    result = run_process(["--format", "json", *SELECT, *extra, "deploy"], cwd=tmp_path)
    return [f["check"] for f in json.loads(result.stdout)["findings"]]


def test_unsafe_fixes_write_the_policy_beside_the_namespace_once(tmp_path: Path) -> None:
    created = _repo(tmp_path)
    assert _checks(tmp_path) == [CHECK]
    first = run_process(["fix", "--unsafe-fixes", *SELECT, "deploy"], cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert created.read_text() == POLICY
    assert "fixed 1 finding(s) in 1 file(s)" in first.stderr
    # The new policy is valid and ends the finding: a second run has nothing to do.
    assert _checks(tmp_path) == []
    second = run_process(["fix", "--unsafe-fixes", *SELECT, "deploy"], cwd=tmp_path)
    assert "fixed 0 finding(s) in 0 file(s)" in second.stderr
    assert created.read_text() == POLICY
    assert (tmp_path / "deploy" / "namespace.yaml").read_text() == NAMESPACE


def test_require_egress_denies_egress_too(tmp_path: Path) -> None:
    created = _repo(tmp_path)
    (tmp_path / ".kubelint.yaml").write_text(f"checks:\n  {CHECK}:\n    require-egress: true\n")
    run_process(["fix", "--unsafe-fixes", *SELECT, "deploy"], cwd=tmp_path)
    assert created.read_text() == POLICY + "    - Egress\n"
    assert _checks(tmp_path) == []


def test_json_reports_the_fix_as_unsafe_and_a_plain_fix_writes_nothing(
    tmp_path: Path,
) -> None:
    created = _repo(tmp_path)
    report = run_process(["--format", "json", *SELECT, "deploy"], cwd=tmp_path)
    [finding] = json.loads(report.stdout)["findings"]
    assert finding["fixable"] == "unsafe"
    plain = run_process(["fix", *SELECT, "deploy"], cwd=tmp_path)
    assert plain.returncode == 1
    assert not created.exists()
    assert _checks(tmp_path) == [CHECK]


def test_an_existing_file_of_that_name_is_never_overwritten(tmp_path: Path) -> None:
    created = _repo(tmp_path)
    created.write_text("# kept as it is\n")
    result = run_process(["fix", "--unsafe-fixes", *SELECT, "deploy"], cwd=tmp_path)
    assert created.read_text() == "# kept as it is\n"
    assert "shop-default-deny.yaml already exists: it is never overwritten" in result.stderr
    assert "fixed 0 finding(s)" in result.stderr
    assert result.returncode == 1  # the finding is still there


def test_diff_shows_the_new_file_from_dev_null_without_writing_it(tmp_path: Path) -> None:
    created = _repo(tmp_path)
    result = run_process(["--diff", "--unsafe-fixes", *SELECT, "deploy"], cwd=tmp_path)
    assert result.returncode == 1
    added = "".join(f"+{line}\n" for line in POLICY.splitlines())
    assert result.stdout == (
        "--- /dev/null\n+++ b/deploy/shop-default-deny.yaml\n@@ -0,0 +1,9 @@\n" + added
    )
    assert not created.exists()


def test_standard_input_never_gets_a_new_file(tmp_path: Path) -> None:
    result = run_process(
        ["--diff", "--unsafe-fixes", *SELECT, "-"], cwd=tmp_path, stdin=NAMESPACE.encode()
    )
    assert result.returncode == 0 and result.stdout == ""
    assert "never created beside standard input" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_no_fix_when_an_allow_all_policy_would_undo_it(tmp_path: Path) -> None:
    created = _repo(tmp_path)
    allow_all = POLICY.replace("default-deny", "allow-all").replace(
        "policyTypes:\n    - Ingress\n", "ingress:\n    - {}\n"
    )
    (tmp_path / "deploy" / "allow.yaml").write_text(allow_all)
    run_process(["fix", "--unsafe-fixes", *SELECT, "deploy"], cwd=tmp_path)
    assert not created.exists()


def test_the_generated_name_avoids_a_policy_of_the_namespace(tmp_path: Path) -> None:
    created = _repo(tmp_path)
    # A policy named default-deny that only selects some pods is no default deny.
    partial = POLICY.replace("podSelector: {}", "podSelector:\n    matchLabels: {app: db}")
    (tmp_path / "deploy" / "db.yaml").write_text(partial)
    run_process(["fix", "--unsafe-fixes", *SELECT, "deploy"], cwd=tmp_path)
    assert "  name: default-deny-2\n" in created.read_text()
    assert _checks(tmp_path) == []


def test_a_kustomize_folder_is_told_to_name_the_new_file(tmp_path: Path) -> None:
    created = _repo(tmp_path)
    kustomization = "resources:\n  - namespace.yaml\n  - deployment.yaml\n"
    (tmp_path / "deploy" / "kustomization.yaml").write_text(kustomization)
    result = run_process(["fix", "--unsafe-fixes", *SELECT, "deploy"], cwd=tmp_path)
    assert created.read_text() == POLICY
    assert (
        "deploy/shop-default-deny.yaml: created; add it to the resources of "
        "deploy/kustomization.yaml" in result.stderr
    )
    # The kustomization is the user's to edit: kubelint never writes a file it did not create.
    assert (tmp_path / "deploy" / "kustomization.yaml").read_text() == kustomization
