"""Checks never crash on strange shapes: every field replaced by a value of the wrong type."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import lint_paths

FIXTURES = Path(__file__).parent / "checks" / "fixtures"
ODD_VALUES: list[Any] = [None, 0, -1, True, "", "x", [], [None], {}, {"": None}, 3.5, [[]]]


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(data))
    target = copy
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return copy


@pytest.mark.parametrize("seed", [1, 2, 5, 20261126])
def test_no_check_crashes_on_mutated_objects(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    documents = []
    for fixture in sorted(FIXTURES.glob("*/*.yaml")):
        documents += [d for d in yaml.safe_load_all(fixture.read_text()) if isinstance(d, dict)]
    mutated = []
    for document in documents:
        candidates = [p for p in paths(document) if p[0] not in ("apiVersion", "kind")]
        for path in rng.sample(candidates, min(25, len(candidates))):
            mutated.append(replaced(document, path, rng.choice(ODD_VALUES)))
    assert len(mutated) > 1000
    (tmp_path / "mutated.yaml").write_text(yaml.safe_dump_all(mutated))
    report = lint_paths([tmp_path / "mutated.yaml"], ["all"], kube_version=30)
    assert report.internal_errors == []
    assert not report.errors
    assert report.objects == len(mutated)


#: JSON nested deeper than Python's parser recurses (json.loads raises RecursionError).
DEEP_JSON = "[" * 100_000 + "]" * 100_000


def test_bug_deeply_nested_json_in_values_is_read_without_a_crash(tmp_path: Path) -> None:
    # The last-applied annotation, a ConfigMap file and a Secret value are parsed as JSON;
    # nesting too deep to parse is not JSON kubelint can read, never a crashed check.
    manifest = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{DEEP_JSON}'
spec:
  template:
    spec:
      containers:
        - name: a
          image: a:1
          env:
            - name: DB_PASSWORD
              value: deep-json-pw-1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  settings.json: '{DEEP_JSON}'
  db_password: deep-json-pw-2
---
apiVersion: v1
kind: Secret
metadata:
  name: s
stringData:
  blob.json: '{DEEP_JSON}'
"""
    report = lint_paths([_write(tmp_path, manifest)], ["plaintext-secret"])
    assert report.internal_errors == []
    found = {(r.obj["name"], r.path) for r in report.results}
    assert found == {
        ("d", "spec.template.spec.containers[0].env[0].value"),
        ("c", "data.db_password"),
        ("s", "stringData"),
    }


def _write(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
