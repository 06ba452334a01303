"""What admission policies cost: evaluations per second, and 50 policies over a corpus.

    python benchmarks/policies.py [CORPUS] [--repeat N]

1. Evaluations per second of one typical validation (every container of a Deployment runs
   as non-root) through kubelint's engine, on a realistic 3-container Deployment, with the
   expression compiled once.
2. The default run on CORPUS (default ../shared/corpus) with and without 50 policies (25
   distinct validations, each under two policies, all bound with ``Deny``) read from a
   ``policy-paths`` folder: CPU seconds of a whole ``kubelint`` process each (compiling
   the policies included), alternated, best of ``--repeat``, and the ratio.
   The policies select the kinds real manifests hold (Deployments, Pods, Services,
   ConfigMaps...), so most objects meet several of them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kubelint.cel.engine import compile_expression
from kubelint.checks.admission.evaluate import VARIABLES

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"

CONTAINERS = "object.spec.template.spec.containers"
#: (resources, API group, validation): realistic rules of platform teams.
VALIDATIONS: list[tuple[str, str, str]] = [
    ("deployments", "apps", "object.spec.?replicas.orValue(1) <= 50"),
    (
        "deployments",
        "apps",
        f"{CONTAINERS}.all(c, c.?securityContext.?runAsNonRoot.orValue(false))",
    ),
    ("deployments", "apps", f"{CONTAINERS}.all(c, !c.image.endsWith(':latest'))"),
    ("deployments", "apps", f"{CONTAINERS}.all(c, has(c.resources) && has(c.resources.limits))"),
    ("deployments", "apps", f"{CONTAINERS}.all(c, c.image.startsWith('registry.example.com/'))"),
    ("deployments", "apps", "has(object.metadata.labels) && 'team' in object.metadata.labels"),
    ("deployments", "apps", "!object.spec.template.spec.?hostNetwork.orValue(false)"),
    ("deployments", "apps", f"{CONTAINERS}.all(c, !c.?securityContext.?privileged.orValue(false))"),
    (
        "deployments",
        "apps",
        f"{CONTAINERS}.exists_one(c, c.name == 'app') || size({CONTAINERS}) > 1",
    ),
    (
        "deployments",
        "apps",
        f"{CONTAINERS}.all(c, !has(c.resources) || !has(c.resources.limits) || "
        "!has(c.resources.limits.memory) || "
        "quantity(string(c.resources.limits.memory)).compareTo(quantity('8Gi')) <= 0)",
    ),
    ("statefulsets", "apps", "object.spec.?replicas.orValue(1) <= 9"),
    ("daemonsets", "apps", "has(object.spec.template.spec.tolerations)"),
    ("pods", "", "object.spec.containers.all(c, c.image.contains('/'))"),
    ("pods", "", "!object.spec.?hostPID.orValue(false) && !object.spec.?hostIPC.orValue(false)"),
    ("services", "", "object.spec.?type.orValue('ClusterIP') != 'NodePort'"),
    ("services", "", "!has(object.spec.externalIPs)"),
    ("configmaps", "", "size(object.?data.orValue({})) < 200"),
    ("secrets", "", "object.?type.orValue('Opaque') != 'kubernetes.io/service-account-token'"),
    ("ingresses", "networking.k8s.io", "has(object.spec.tls)"),
    ("ingresses", "networking.k8s.io", "object.spec.?rules.orValue([]).all(r, has(r.host))"),
    ("serviceaccounts", "", "object.?automountServiceAccountToken.orValue(true) == false"),
    ("roles", "rbac.authorization.k8s.io", "object.?rules.orValue([]).all(r, !('*' in r.verbs))"),
    (
        "clusterroles",
        "rbac.authorization.k8s.io",
        "object.?rules.orValue([]).all(r, !('*' in r.?resources.orValue([])))",
    ),
    ("jobs", "batch", "has(object.spec.backoffLimit)"),
    ("cronjobs", "batch", "object.spec.?concurrencyPolicy.orValue('Allow') != 'Allow'"),
]

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web", "team": "shop"}},
    "spec": {
        "replicas": 3,
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": name,
                        "image": f"registry.example.com/{name}:1.0",
                        "securityContext": {"runAsNonRoot": True},
                        "resources": {"limits": {"memory": "512Mi", "cpu": "500m"}},
                    }
                    for name in ("app", "proxy", "metrics")
                ]
            }
        },
    },
}


def evaluations_per_second(seconds: float = 2.0) -> float:
    program = compile_expression(VALIDATIONS[1][2], VARIABLES)
    activation = {"object": DEPLOYMENT}
    assert program.evaluate(activation) is True
    count, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        for _ in range(200):
            program.evaluate(activation)
        count += 200
    return count / (time.process_time() - start)


def write_policies(folder: Path, count: int = 50) -> None:
    documents = []
    for index in range(count):
        resources, group, expression = VALIDATIONS[index % len(VALIDATIONS)]
        name = f"bench-{index:02d}"
        documents.append(
            f"""apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: {name}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: ["{group}"]
        apiVersions: ["*"]
        operations: [CREATE, UPDATE]
        resources: [{resources}]
  validations:
    - expression: {json.dumps(expression)}
      message: rule {index} failed
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: {name}
spec:
  policyName: {name}
  validationActions: [Deny]
"""
        )
    (folder / "policies.yaml").write_text("---\n".join(documents))


def cpu_seconds(corpus: Path, folder: Path) -> tuple[float, int]:
    """CPU seconds of one kubelint process run from ``folder`` (its .kubelint.yaml, if
    any), and the number of findings: compiling the policies is part of each run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "kubelint", "--format", "json", "--exit-zero", str(corpus)],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, len(json.loads(done.stdout)["findings"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"evaluations per second (one validation, 3 containers): {evaluations_per_second():,.0f}")
    with tempfile.TemporaryDirectory() as tmp:
        plain, with_policies = Path(tmp, "plain"), Path(tmp, "policies")
        plain.mkdir()
        (with_policies / "admission").mkdir(parents=True)
        write_policies(with_policies / "admission")
        (with_policies / ".kubelint.yaml").write_text("policy-paths: [admission]\n")
        without, withp = [], []
        for _ in range(args.repeat):  # alternated: the machine's noise falls on both
            seconds, found_without = cpu_seconds(args.corpus, plain)
            without.append(seconds)
            seconds, found_with = cpu_seconds(args.corpus, with_policies)
            withp.append(seconds)
    print(f"corpus: {args.corpus}")
    print(f"without policies: {min(without):.3f} s CPU ({found_without} findings)")
    print(f"with 50 policies: {min(withp):.3f} s CPU ({found_with} findings)")
    print(f"ratio with/without: {min(withp) / min(without):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
