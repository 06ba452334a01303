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
    for fixture in sorted(FIXTURES.glob("*/*/*.yaml")):
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


TOKEN = "ghp_" + "A1b2C3d4" * 5


def test_bug_tokens_of_a_file_of_many_objects_are_matched_to_their_object(
    tmp_path: Path,
) -> None:
    # Regression: every object looked at every token of the file (40,000 objects holding
    # a token each took a minute); each object now looks at its own range only.
    count = 40_000
    docs = [
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n  annotations:\n"
        f"    note: {TOKEN}\n"
        for i in range(count)
    ]
    report = lint_paths([_write(tmp_path, "---\n".join(docs))], ["plaintext-secret"])
    assert [r.location.line for r in report.results] == [6 + 7 * i for i in range(count)]
    assert {r.obj["name"] for r in report.results} == {f"c{i}" for i in range(count)}


def test_bug_a_long_line_is_read_once_for_comments(tmp_path: Path) -> None:
    # Regression: each '#' of the line counted the quotes before it again (a 1 MB line with
    # a token took minutes). This '#' is inside a quoted string: the token is no comment.
    line = "    note: '\"" + " #" * 500_000 + f" {TOKEN} # {TOKEN}'\n"
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n" + line
    report = lint_paths([_write(tmp_path, manifest)], ["plaintext-secret"])
    assert [r.message for r in report.results] == [
        "a GitHub token in plain text at 'metadata.annotations.note'"
    ] * 2
    assert [r.location.line for r in report.results] == [6, 6]


def test_bug_entries_of_an_escaped_config_file_are_found_once(tmp_path: Path) -> None:
    # Regression: an entry whose line is not written as is in the manifest (a quoted value
    # with escapes) was searched for through the rest of the object, once per entry (60,000
    # entries took a minute). The finding falls back to the key.
    entries = "".join(f'password=\\"pw{i}\\"\\n' for i in range(60_000))
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
        f'  app.properties: "{entries}"\n'
    )
    report = lint_paths([_write(tmp_path, manifest)], ["plaintext-secret"])
    assert {(r.location.line, r.location.column, r.path) for r in report.results} == {
        (6, 3, "data.app.properties")
    }
