"""Kyverno's CEL policy library as a conformance suite: read every ``kyverno-test.yaml``.

The data lives in ``tests/data/cel-conformance/kyverno-vpol/`` (see PROVENANCE.md there).
Each policy folder holds the policy and a ``.kyverno-test/kyverno-test.yaml`` in the format
of the Kyverno CLI's ``kyverno test`` command (``cli.kyverno.io/v1alpha1``, kind ``Test``):

- ``policies`` and ``resources``: files, relative to the test file's own folder;
- ``variables`` (a ``Value`` file: namespace labels, global values), ``context`` (stand-ins
  for ``resource.Get`` and image data) and ``userinfo`` (the requesting user): one file each;
- ``results``: what Kyverno reports, one entry per policy (and rule, for ClusterPolicies)
  and resource kind, listing resource names in ``resources``. A name may be written
  ``<namespace>/<name>``; the older ``resource`` (one name), ``namespace`` and ``status``
  fields say the same in the deprecated spelling. ``result`` is ``pass``, ``fail`` or
  ``skip`` (the policy does not apply, for example a match condition excludes the object).

:func:`cases` turns each test file into a :class:`Case` with one :class:`Expected` per
resource named in its results.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1] / "data" / "cel-conformance" / "kyverno-vpol"
TEST_FILE = "kyverno-test.yaml"
#: The folders of Kyverno's policy library that hold CEL ValidatingPolicies.
FAMILIES = ("pod-security-vpol", "best-practices-vpol", "other-vpol")
RESULTS = frozenset({"pass", "fail", "skip"})


class Malformed(ValueError):
    """A test file this loader cannot read (wrong type, unknown result...)."""


@dataclass(frozen=True)
class Expected:
    """What Kyverno reports for one resource and one policy (and rule, when named)."""

    policy: str
    rule: str | None
    kind: str
    name: str
    namespace: str | None
    result: str


@dataclass(frozen=True)
class Case:
    """One ``kyverno-test.yaml`` with the files it names, as absolute paths."""

    #: The policy folder, relative to :data:`ROOT` (``other-vpol/check-nvidia-gpu``).
    folder: str
    test_file: Path
    policies: tuple[Path, ...]
    resources: tuple[Path, ...]
    variables: Path | None
    context: Path | None
    userinfo: Path | None
    expected: tuple[Expected, ...]

    @property
    def family(self) -> str:
        return self.folder.split("/", 1)[0]

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file the test names."""
        single = (self.variables, self.context, self.userinfo)
        return (*self.policies, *self.resources, *(p for p in single if p is not None))


def test_files(root: Path = ROOT) -> list[Path]:
    """Every test file below ``root``, in a stable order."""
    return sorted(root.rglob(f".kyverno-test/{TEST_FILE}"))


def cases(root: Path = ROOT) -> list[Case]:
    """Every test below ``root`` as a :class:`Case`."""
    return [read_case(path, root) for path in test_files(root)]


def read_case(path: Path, root: Path = ROOT) -> Case:
    """One test file; raises :class:`Malformed` when it is not one."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("kind") != "Test":
        raise Malformed(f"{path}: not a kyverno test (kind: Test)")
    base = path.parent
    return Case(
        folder=base.parent.relative_to(root).as_posix(),
        test_file=path,
        policies=_paths(base, data.get("policies"), "policies"),
        resources=_paths(base, data.get("resources"), "resources"),
        variables=_path(base, data.get("variables"), "variables"),
        context=_path(base, data.get("context"), "context"),
        userinfo=_path(base, data.get("userinfo"), "userinfo"),
        expected=tuple(_expected(_list(data.get("results"), "results"))),
    )


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{what} is not a list")
    return value


def _paths(base: Path, value: Any, what: str) -> tuple[Path, ...]:
    return tuple(p for p in (_path(base, v, what) for v in _list(value, what)) if p)


def _path(base: Path, value: Any, what: str) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise Malformed(f"{what}: {value!r} is not a file name")
    return (base / value).resolve()


def _expected(results: list[Any]) -> Iterator[Expected]:
    for index, entry in enumerate(results):
        if not isinstance(entry, dict):
            raise Malformed(f"results[{index}] is not a mapping")
        result = entry.get("result") or entry.get("status")
        if result not in RESULTS:
            raise Malformed(f"results[{index}]: result {result!r} is not pass, fail or skip")
        policy, kind = entry.get("policy"), entry.get("kind")
        if not isinstance(policy, str) or not isinstance(kind, str):
            raise Malformed(f"results[{index}]: policy and kind must be strings")
        names = _list(entry.get("resources"), f"results[{index}].resources")
        if entry.get("resource"):  # the deprecated single-resource spelling
            names = [*names, entry["resource"]]
        for name in names:
            namespace, _, short = str(name).rpartition("/")
            yield Expected(
                policy=policy,
                rule=entry.get("rule") or None,
                kind=kind,
                name=short,
                namespace=namespace or entry.get("namespace") or None,
                result=str(result),
            )


@cache
def documents(path: Path) -> tuple[dict[str, Any], ...]:
    """The YAML documents of a policy or resource file that are mappings (read once: do
    not change them, copy them)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loaded = yaml.load_all(path.read_text(encoding="utf-8"), Loader=loader)
    return tuple(d for d in loaded if isinstance(d, dict))


def find_resource(case: Case, expected: Expected) -> dict[str, Any] | None:
    """The resource an expected result names, from the case's resource files."""
    for path in case.resources:
        for document in documents(path):
            metadata = document.get("metadata") or {}
            if document.get("kind") != expected.kind or metadata.get("name") != expected.name:
                continue
            if expected.namespace and metadata.get("namespace", "default") != expected.namespace:
                continue
            return document
    return None
