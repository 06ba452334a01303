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
