"""Start-up stays lean by construction: what a one-file lint and ``--version`` import.

Pre-commit and editors start kubelint for every commit or save, so a heavy import costs
users on each run. These tests run kubelint in a new interpreter and list the modules it
loaded; no timing (that is benchmarks/startup.py's job).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "checks" / "fixtures"

INSECURE = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: true
"""

#: Never needed by a plain lint of a workload: pydantic (typer 0.29+ imports it), click
#: (typer < 0.26), rich, the pure-Python jsonschema (configuration files only), the CEL
#: runtime and its function library (admission policies), the reporters not asked for, and
#: importlib.metadata (slow; kubelint reads entry points without it), hashlib outside a
#: repository.
HEAVY = (
    "pydantic",
    "click",
    "rich",
    "jsonschema",
    "ruamel",
    "cel_expr_python",
    "kubelint.cel.library",
    "kubelint.checks.admission.evaluate",
    "kubelint.reporters.json",
    "kubelint.reporters.sarif",
    "kubelint.reporters.junit",
    "kubelint.reporters.github",
    "importlib.metadata",
    # OpenSSL's start-up: only a run in a git repository hashes (its context cache).
    "hashlib",
)

PROBE = """
import contextlib, io, json, sys
from kubelint.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def imported(args: list[str], cwd: Path) -> tuple[int, str, set[str]]:
    """Exit code, report and loaded modules of ``kubelint ARGS`` in a new interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout.splitlines()[-1])
    return found["code"], found["out"], set(found["modules"])


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_one_file_lint_imports_only_what_it_uses(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(INSECURE)
    code, out, modules = imported(["pod.yaml"], tmp_path)
    assert code == 1 and "privileged-container" in out  # it did lint, with the text report
    assert "kubelint.reporters.text" in modules  # the probe sees what was imported
    assert heavy(modules) == []


def test_one_file_lint_reads_yaml_without_pyyaml(tmp_path: Path) -> None:
    # The compiled reader reads the manifest: PyYAML (some 12 ms of imports) is loaded
    # only for texts the compiled reader leaves to the pure path, configuration files,
    # kustomizations and fixes.
    (tmp_path / "pod.yaml").write_text(INSECURE)
    code, out, modules = imported(["pod.yaml"], tmp_path)
    assert code == 1 and "privileged-container" in out
    assert "kubelint.loader._fastread" in modules
    assert sorted(m for m in modules if m == "yaml" or m.startswith("yaml.")) == []
    # A text the compiled reader leaves alone (an anchor) still gets read, through PyYAML.
    (tmp_path / "pod.yaml").write_text(INSECURE.replace("name: web\nspec", "name: &n web\nspec"))
    code, out, modules = imported(["pod.yaml"], tmp_path)
    assert code == 1 and "privileged-container" in out
    assert "yaml" in modules


#: Helpers of checks whose kinds a plain workload lint does not hold: RBAC, admission
#: policies, CRD validation rules, control-plane flags and encryption configuration,
#: kubeconfigs, custom checks. Each is imported by its check only for objects that need it.
LAZY = (
    "kubelint.checks.access.rbac",
    "kubelint.checks.admission.policies",
    "kubelint.checks.admission.matching",
    "kubelint.checks.admission.kyverno",
    "kubelint.schema.crd_rules",
    "kubelint.checks.cluster.flags",
    "kubelint.checks.cluster.encryption",
    "kubelint.checks.secrets.kubeconfig",
    "kubelint.checks.custom.spec",
    "kubelint.checks.custom.check",
    "kubelint.checks.cluster.kubelet",
    "kubelint.cel.engine",
    "kubelint.checks.network.policies",
)

DEPLOYMENT = """apiVersion: apps/v1
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
          securityContext:
            privileged: true
"""


def test_a_workload_lint_leaves_the_helpers_of_absent_kinds_unimported(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    code, out, modules = imported(["web.yaml"], tmp_path)
    assert code == 1 and "privileged-container" in out
    assert "kubelint.checks.access.rbac_wildcard" in modules  # the checks are registered
    assert sorted(set(LAZY) & modules) == []


#: One file per lazily imported helper, and a finding only that helper can produce.
NEEDS = {
    "kubelint.checks.access.rbac": (
        """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: everything
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
""",
        "rbac-wildcard",
    ),
    "kubelint.checks.cluster.flags": (
        """apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.0
      command: [kube-apiserver, --anonymous-auth=true, --authorization-mode=AlwaysAllow]
""",
        "apiserver-authorization-always-allow",
    ),
    "kubelint.checks.cluster.encryption": (
        """apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - identity: {}
      - aescbc:
          keys:
            - name: key1
              secret: c2VjcmV0IGlzIHNlY3VyZQ==
""",
        "encryption-identity-first",
    ),
    "kubelint.checks.cluster.kubelet": (
        """apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 10255
""",
        "kubelet-read-only-port",
    ),
    "kubelint.checks.network.policies": (
        """apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: only-web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Ingress]
""",
        "namespace-without-default-deny",
    ),
    "kubelint.checks.secrets.kubeconfig": (
        """apiVersion: v1
kind: Config
clusters: []
contexts: []
users:
  - name: admin
    user:
      token: 8f2a9c1e7b3d4f6a0e5c2b9d8a7f1e3c
""",
        "plaintext-secret",
    ),
}


NEEDS["kubelint.checks.admission.matching"] = (
    (FIXTURES / "admission" / "admission-policy" / "policies.yaml").read_text(),
    "admission-policy",
)
NEEDS["kubelint.schema.crd_rules"] = (
    """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                replicas: {type: integer}
              x-kubernetes-validations:
                - rule: self.replicas <= 3
                  message: at most 3 replicas
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: big
spec:
  replicas: 5
""",
    "schema-validation",
)
CUSTOM = """checks:
  custom:
    - id: team-label
      kinds: [Pod]
      expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
      message: every workload needs a 'team' label
"""


def test_a_file_of_those_kinds_imports_and_runs_its_helper(tmp_path: Path) -> None:
    """Laziness must never switch a check off: each helper loads, and its check reports."""
    custom = ("kubelint.checks.custom.check", (INSECURE, "team-label"))
    for index, (module, (text, check_id)) in enumerate([*NEEDS.items(), custom]):
        folder = tmp_path / str(index)
        folder.mkdir()
        (folder / "f.yaml").write_text(text)
        if check_id == "team-label":
            (folder / ".kubelint.yaml").write_text(CUSTOM)
        code, out, modules = imported(["--format", "json", "f.yaml"], folder)
        assert code == 1, (module, out)
        ids = {f["check"] for f in json.loads(out)["findings"]}
        assert module in modules, module
        assert check_id in ids, (module, sorted(ids))


def test_version_builds_no_lint(tmp_path: Path) -> None:
    code, out, modules = imported(["--version"], tmp_path)
    assert code == 0 and out.startswith("kubelint ")
    assert heavy(modules) == []
    assert not {"kubelint.checks", "kubelint.runner", "yaml"} & modules


ENTRY = """
import json, os, sys
os._exit = sys.exit  # the entry point leaves without teardown; here the probe must report
sys.argv = ["kubelint", *sys.argv[1:]]
from kubelint.__main__ import run
try:
    run()
except SystemExit as exc:
    sys.stderr.write(json.dumps({"code": exc.code, "modules": sorted(sys.modules)}))
"""


def test_the_kubelint_command_answers_version_without_typer(tmp_path: Path) -> None:
    """``kubelint --version`` (the console script) prints what the full command prints."""
    result = subprocess.run(
        [sys.executable, "-c", ENTRY, "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stderr)
    _, out, _ = imported(["--version"], tmp_path)
    assert (found["code"], result.stdout) == (0, out)
    assert not {"typer", "kubelint.cli", "kubelint.model"} & set(found["modules"])


def test_the_kubelint_command_still_parses_anything_else(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", ENTRY, "--version", "--bogus"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert "no such option: --bogus" in result.stderr


def test_a_configuration_file_is_still_validated(tmp_path: Path) -> None:
    """jsonschema stays off the path without a configuration, not off validation."""
    (tmp_path / "pod.yaml").write_text(INSECURE)
    (tmp_path / ".kubelint.yaml").write_text("fail-on: sometimes\n")
    result = subprocess.run(
        [sys.executable, "-m", "kubelint", "pod.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "fail-on" in result.stderr and "Traceback" not in result.stderr
