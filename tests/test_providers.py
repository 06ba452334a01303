"""Check providers: checks that a run gets from its configuration or from its objects.

Two test-only providers: one adds a check from a ``test-rules:`` section of
``.kubelint.yaml`` (a label no object may carry), the other a check for each ConfigMap of
the tree that carries ``kubelint.test/forbid-image: <image>``. Each provided check must
behave like a built-in one: reported by id, selectable, ignorable, suppressible, with a
severity override and a SARIF rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kubelint.checks import registry
from kubelint.checks.base import Check, CheckDoc, CheckMeta, Context, ProviderRequest
from kubelint.config import Config, load_config
from kubelint.errors import ConfigError, PluginError, UsageError
from kubelint.k8s.match import Match
from kubelint.k8s.selectors import parse_selector
from kubelint.k8s.workloads import WORKLOAD_KINDS, workload_containers
from kubelint.model import Finding, K8sObject, Report
from kubelint.reporters.sarif import as_dict
from kubelint.runner import Inputs, lint

LABEL_CHECK = "test-forbidden-label"
IMAGE_CHECK = "test-forbid-image-busybox"


@dataclass(frozen=True)
class DataCheck:
    """A check defined by data, not by a module."""

    meta: CheckMeta
    judge: Any = field(repr=False)
    doc: CheckDoc | str = ""

    def check(self, obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterable[Finding]:
        return self.judge(obj)


LABEL_DOC = CheckDoc(
    title="An object carries a forbidden label.",
    what="Reports the label named by\n`test-rules.forbidden-label`.",
    why="The label marks debugging objects.",
    failing="kind: Pod\nmetadata: {labels: {debug: 'yes'}}\n",
    fixed="kind: Pod\n",
    references=("https://example.com/labels",),
)


class ConfigRules:
    name = "test-config-rules"
    config_key = "test-rules"
    config_schema: Mapping[str, Any] = {
        "type": "object",
        "properties": {"forbidden-label": {"type": "string"}},
        "additionalProperties": False,
    }

    def provide(self, request: ProviderRequest) -> Iterable[Check]:
        label = (request.settings or {}).get("forbidden-label")
        if not label:
            return []

        def judge(obj: K8sObject) -> Iterator[Finding]:
            labels = obj.metadata.get("labels") or {}
            if label in labels:
                yield Finding(("metadata", "labels", label), f"label {label} is forbidden")

        meta = CheckMeta(LABEL_CHECK, "Forbidden label", "error", "remove the label")
        return [DataCheck(meta, judge, LABEL_DOC)]


class ObjectRules:
    name = "test-object-rules"
    config_key = None
    config_schema = None

    def provide(self, request: ProviderRequest) -> Iterable[Check]:
        for config_map in request.context.of_kind("ConfigMap"):
            image = config_map.metadata.get("annotations", {}).get("kubelint.test/forbid-image")
            if image:
                yield DataCheck(
                    CheckMeta(
                        f"test-forbid-image-{image}",
                        f"Image {image} is forbidden",
                        "warning",
                        "use another image",
                        kinds=WORKLOAD_KINDS,
                    ),
                    lambda obj, image=image: (
                        Finding((*path, "image"), f"image {c['image']} is forbidden")
                        for path, c in workload_containers(obj)
                        if str(c.get("image", "")).startswith(image)
                    ),
                )


PROVIDERS = [ConfigRules(), ObjectRules()]

TREE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: rules
  annotations:
    kubelint.test/forbid-image: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: shell
  labels: {debug: "yes"}
spec:
  containers:
    - name: shell
      image: busybox:1.36
"""


def run(tmp_path: Path, config_text: str = "", tree: str = TREE, **changes: Any) -> Report:
    (tmp_path / "tree.yaml").write_text(tree)
    config = Config()
    if config_text:
        (tmp_path / ".kubelint.yaml").write_text(config_text)
        config = load_config(tmp_path / ".kubelint.yaml", registry(), PROVIDERS)
    for key, value in changes.items():
        setattr(config, key, value)
    return lint(Inputs([str(tmp_path / "tree.yaml")], repo_context=False), config, None, PROVIDERS)


def ids(report: Report) -> set[str]:
    return {r.check for r in report.results}


RULES = "test-rules:\n  forbidden-label: debug\n"


def test_provided_checks_are_reported_by_their_ids(tmp_path: Path) -> None:
    report = run(tmp_path, RULES)
    found = {(r.check, r.location.line, r.severity) for r in report.results}
    assert (LABEL_CHECK, 12, "error") in found
    assert (IMAGE_CHECK, 16, "warning") in found


def test_without_the_config_section_the_config_provider_adds_nothing(tmp_path: Path) -> None:
    assert LABEL_CHECK not in ids(run(tmp_path))
    assert IMAGE_CHECK in ids(run(tmp_path))


def test_a_provided_check_can_be_selected_alone(tmp_path: Path) -> None:
    report = run(tmp_path, RULES + f"select: [{IMAGE_CHECK}]\n")
    assert ids(report) == {IMAGE_CHECK}


def test_a_provided_check_can_be_ignored(tmp_path: Path) -> None:
    report = run(tmp_path, RULES, ignore=[LABEL_CHECK, IMAGE_CHECK])
    assert not ids(report) & {LABEL_CHECK, IMAGE_CHECK}
    assert ids(report)  # the built-in checks still ran


def test_a_provided_check_is_suppressed_by_annotation_and_comment(tmp_path: Path) -> None:
    tree = TREE.replace(
        '  labels: {debug: "yes"}\n',
        f'  labels: {{debug: "yes"}}\n  annotations: {{kubelint.io/ignore: {LABEL_CHECK}}}\n',
    ).replace(
        "      image: busybox:1.36\n",
        f"      image: busybox:1.36  # kubelint: ignore={IMAGE_CHECK}\n",
    )
    report = run(tmp_path, RULES, tree=tree)
    assert not ids(report) & {LABEL_CHECK, IMAGE_CHECK}
    assert "missing-security-context" in ids(report)


def test_a_provided_check_takes_a_severity_override(tmp_path: Path) -> None:
    report = run(tmp_path, RULES + f"checks:\n  {IMAGE_CHECK}:\n    severity: info\n")
    assert {r.severity for r in report.results if r.check == IMAGE_CHECK} == {"info"}


def test_provided_checks_are_sarif_rules(tmp_path: Path) -> None:
    rules = as_dict(run(tmp_path, RULES), tmp_path)["runs"][0]["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id[LABEL_CHECK]["shortDescription"] == {"text": "Forbidden label"}
    assert by_id[IMAGE_CHECK]["defaultConfiguration"] == {"level": "warning"}


def test_a_check_defined_by_data_documents_its_sarif_rule(tmp_path: Path) -> None:
    rules = as_dict(run(tmp_path, RULES), tmp_path)["runs"][0]["tool"]["driver"]["rules"]
    rule = {rule["id"]: rule for rule in rules}[LABEL_CHECK]
    assert rule["fullDescription"] == {
        "text": "Reports the label named by `test-rules.forbidden-label`."
    }
    assert rule["help"] == {
        "text": "The label marks debugging objects. Fix: remove the label.",
        "markdown": LABEL_DOC.markdown(),
    }
    assert "## Failing example\n```yaml\nkind: Pod\nmetadata:" in rule["help"]["markdown"]
    # A check documented with no text at all falls back on its summary.
    bare = {rule["id"]: rule for rule in rules}[IMAGE_CHECK]
    assert bare["fullDescription"] == {"text": "Image busybox is forbidden"}
    assert bare["help"] == {"text": "Fix: use another image.", "markdown": ""}


def test_a_name_no_check_has_is_still_a_located_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        run(tmp_path, RULES + "select: [test-forbid-image-alpine]\n")
    assert f"{tmp_path / '.kubelint.yaml'}:3:10: select: unknown check or group" in str(
        caught.value
    )


def test_an_options_entry_for_no_check_is_a_located_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        run(tmp_path, "checks:\n  test-nothing:\n    severity: info\n")
    assert "unknown check id 'test-nothing'" in str(caught.value)


def test_a_bad_severity_for_a_provided_check_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        run(tmp_path, f"checks:\n  {IMAGE_CHECK}:\n    severity: loud\n")
    assert f"checks.{IMAGE_CHECK}.severity" in str(caught.value)


def test_the_provider_section_is_validated_when_the_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".kubelint.yaml").write_text("test-rules:\n  forbidden-label: 3\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / ".kubelint.yaml", registry(), PROVIDERS)
    assert "test-rules.forbidden-label: 3 is not of type 'string'" in str(caught.value)
    # Without the provider, its section is an unknown key.
    with pytest.raises(ConfigError, match="unknown key 'test-rules'"):
        load_config(tmp_path / ".kubelint.yaml", registry(), [])


def test_an_unknown_command_line_name_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        run(tmp_path, select=["test-forbid-image-alpine"])


def test_two_provided_checks_with_one_id_are_an_error(tmp_path: Path) -> None:
    second = TREE.split("---\n")[0].replace("name: rules", "name: again")
    tree = f"{second}---\n{TREE}"
    with pytest.raises(PluginError, match="two checks share the id"):
        run(tmp_path, tree=tree)


def test_a_provider_cannot_replace_a_built_in_check(tmp_path: Path) -> None:
    """A provided check with a built-in's id switches the built-in on, nothing more."""

    class Impostor:
        name = "impostor"
        config_key = None
        config_schema = None

        def provide(self, request: ProviderRequest) -> Iterable[Check]:
            meta = CheckMeta("plaintext-secret", "not it", "info", "none")
            return [DataCheck(meta, lambda obj: [Finding((), "impostor")])]

    (tmp_path / "tree.yaml").write_text(TREE)
    report = lint(
        Inputs([str(tmp_path / "tree.yaml")], repo_context=False), Config(), None, [Impostor()]
    )
    assert "impostor" not in {r.message for r in report.results}


def test_match_narrows_a_check_to_some_objects(tmp_path: Path) -> None:
    class Narrow:
        name = "narrow"
        config_key = None
        config_schema = None

        def provide(self, request: ProviderRequest) -> Iterable[Check]:
            meta = CheckMeta(
                "test-narrow",
                "n",
                "error",
                "r",
                match=Match(selector=parse_selector({"matchLabels": {"debug": "yes"}}, "test")),
            )
            return [DataCheck(meta, lambda obj: [Finding(("metadata",), f"saw {obj.name}")])]

    (tmp_path / "tree.yaml").write_text(TREE)
    report = lint(
        Inputs([str(tmp_path / "tree.yaml")], repo_context=False), Config(), None, [Narrow()]
    )
    assert {r.message for r in report.results if r.check == "test-narrow"} == {"saw shell"}


def entry_points_of(*found: Any) -> Any:
    """A stand-in for importlib.metadata.entry_points that knows only ``found``."""
    return lambda group: [ep for ep in found if ep.group == group]


def test_provider_plugins_load_from_their_entry_point_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib import metadata

    from kubelint.checks import plugin_providers

    providers = metadata.EntryPoint(
        "rules", "tests.test_providers:ConfigRules", "kubelint.providers"
    )
    check = metadata.EntryPoint("other", "no_such_module", "kubelint.checks")
    monkeypatch.setattr(metadata, "entry_points", entry_points_of(providers, check))
    plugin_providers.cache_clear()
    try:
        loaded = plugin_providers()
    finally:
        plugin_providers.cache_clear()
    assert [type(p) for p in loaded] == [ConfigRules]  # a class is instantiated


def test_a_provider_plugin_that_fails_to_load_is_an_error_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib import metadata

    from kubelint.checks import plugin_providers

    broken = metadata.EntryPoint("broken", "no_such_module", "kubelint.providers")
    monkeypatch.setattr(metadata, "entry_points", entry_points_of(broken))
    plugin_providers.cache_clear()
    try:
        with pytest.raises(PluginError) as caught:
            plugin_providers()
    finally:
        plugin_providers.cache_clear()
    assert str(caught.value) == (
        "provider plugin 'broken' (no_such_module) failed to load: "
        "ModuleNotFoundError: No module named 'no_such_module'"
    )
