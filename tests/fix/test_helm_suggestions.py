"""Helm: rendered output is never edited; `kubelint fix` suggests the chart's values."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.helm.chart import find_template
from kubelint.helm.template import read_template
from tests.conftest import run_process

TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
spec:
  template:
    spec:
      {{- with .Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          args:
            - |
              securityContext: not a key of the template
        - name: metrics
          image: metrics:1
          securityContext:
            privileged: {{ .Values.metrics.privileged }}
"""

VALUES = """\
# Values of the shop chart.
image:
  repository: shop
  tag: "1.0"
podSecurityContext: {}
  # fsGroup: 2000

securityContext:   # the web container's
  runAsUser: 1000
database:
  password: Sup3rS3cretValue99
metrics:
  privileged: false
"""

RENDERED = """\
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo-shop
spec:
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      securityContext:
        {}
      containers:
        - name: shop
          image: "shop:1.0"
          securityContext:
            runAsUser: 1000
          args:
            - |
              securityContext: not a key of the template
        - name: metrics
          image: metrics:1
          securityContext:
            privileged: true
"""


def _chart(root: Path, name: str = "shop") -> Path:
    chart = root / "charts" / name
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(VALUES)
    (chart / "templates" / "deployment.yaml").write_text(TEMPLATE)
    return chart


def _patched(stderr: str) -> str:
    """The suggested values file: VALUES with the suggestion's diff applied."""
    lines = VALUES.splitlines()
    hunk = [line for line in stderr.splitlines() if line[:1] in (" ", "+", "-")]
    hunk = [line for line in hunk if not line.startswith(("---", "+++"))]
    old = [line[1:] for line in hunk if line[:1] in (" ", "-")]
    new = [line[1:] for line in hunk if line[:1] in (" ", "+")]
    text = ("\n".join(lines) + "\n").replace("Sup3rS3cretValue99", "<redacted>")
    assert "\n".join(old) in text
    return text.replace("\n".join(old), "\n".join(new), 1)


def test_the_template_fields_read_from_values() -> None:
    (document,) = read_template(TEMPLATE)
    assert document.kind == "Deployment"
    refs = {ref.path: (ref.values, ref.whole) for ref in document.refs}
    assert refs == {
        ("spec", "template", "spec", "securityContext"): (("podSecurityContext",), True),
        ("spec", "template", "spec", "containers", 0, "securityContext"): (
            ("securityContext",),
            True,
        ),
        ("spec", "template", "spec", "containers", 1, "securityContext", "privileged"): (
            ("metrics", "privileged"),
            False,
        ),
    }
    # Neither a helper's output, nor two values in one string, nor a block scalar's text.
    assert ("metadata", "name") not in refs
    assert ("spec", "template", "spec", "containers", 0, "args", 0, "securityContext") not in (
        document.lines
    )


def test_with_several_items_the_nth_renders_the_nth_and_one_item_renders_all() -> None:
    (document,) = read_template(TEMPLATE)
    second = ("spec", "template", "spec", "containers", 1, "securityContext", "privileged")
    found = document.match(second)
    assert found is not None and found[0].values == ("metrics", "privileged")
    found = document.match(second[:4] + (0,) + second[5:])
    assert found is not None and found[0].values == ("securityContext",)
    assert found[1] == ("privileged",)
    (ranged,) = read_template(
        "kind: Pod\nspec:\n  containers:\n  {{- range .Values.containers }}\n"
        "  - name: {{ .name }}\n    securityContext:\n"
        "      {{- toYaml $.Values.securityContext | nindent 6 }}\n  {{- end }}\n"
    )
    found = ranged.match(("spec", "containers", 3, "securityContext", "runAsNonRoot"))
    assert found is not None and found[0].values == ("securityContext",)
    assert found[1] == ("runAsNonRoot",)


@pytest.mark.parametrize(
    "line",
    [
        "    {{- toYaml .Values.x | indent 4 | include }}",
        "    {{- tpl (toYaml .Values.x) . | nindent 6 }}",
        "    {{- toYaml (merge .Values.a .Values.b) | nindent 6 }}",
    ],
)
def test_actions_that_are_not_one_value_are_no_reference(line: str) -> None:
    (document,) = read_template(f"kind: Pod\nspec:\n  securityContext:\n{line}\n")
    assert document.refs == []


def test_fix_on_a_stream_suggests_a_values_patch_and_writes_nothing(tmp_path: Path) -> None:
    chart = _chart(tmp_path)
    result = run_process(["fix", "--unsafe-fixes", "-"], cwd=tmp_path, stdin=RENDERED.encode())
    assert result.returncode == 1  # the findings stand: nothing was fixed
    assert "suggestion, not applied: chart 'shop'" in result.stderr
    assert "--- a/charts/shop/values.yaml" in result.stderr
    suggested = yaml.safe_load(_patched(result.stderr))
    assert suggested["securityContext"] == {
        "runAsUser": 1000,
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": True,
    }
    assert suggested["podSecurityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert suggested["podSecurityContext"]["runAsNonRoot"] is True
    # The switch was turned on at render time: the values already say false.
    assert "charts/shop/values.yaml already sets metrics.privileged to false" in result.stderr
    # The lines around the change are quoted: a password there is shown as <redacted>.
    assert "Sup3rS3cretValue99" not in result.stdout + result.stderr
    assert " database:\n   password: <redacted>\n" in result.stderr
    assert (chart / "values.yaml").read_text() == VALUES
    assert (chart / "templates" / "deployment.yaml").read_text() == TEMPLATE


def test_only_safe_settings_without_unsafe_fixes(tmp_path: Path) -> None:
    _chart(tmp_path)
    result = run_process(["fix", "-"], cwd=tmp_path, stdin=RENDERED.encode())
    suggested = yaml.safe_load(_patched(result.stderr))
    assert suggested["securityContext"] == {"runAsUser": 1000, "allowPrivilegeEscalation": False}
    assert suggested["podSecurityContext"] == {"seccompProfile": {"type": "RuntimeDefault"}}
    assert "metrics.privileged" not in result.stderr


def test_a_field_the_template_writes_itself_is_pointed_at(tmp_path: Path) -> None:
    chart = _chart(tmp_path)
    template = TEMPLATE.replace(
        "      {{- with .Values.podSecurityContext }}\n      securityContext:\n"
        "        {{- toYaml . | nindent 8 }}\n      {{- end }}\n",
        "",
    )
    (chart / "templates" / "deployment.yaml").write_text(template)
    stream = RENDERED.replace("      securityContext:\n        {}\n", "")
    result = run_process(["fix", "-"], cwd=tmp_path, stdin=stream.encode())
    assert (
        "charts/shop/templates/deployment.yaml:7: set securityContext.seccompProfile: "
        "{type: RuntimeDefault} under spec.template.spec in the template" in result.stderr
    )


def test_diff_on_a_stream_exits_1_with_a_suggestion(tmp_path: Path) -> None:
    _chart(tmp_path)
    result = run_process(["--diff", "-"], cwd=tmp_path, stdin=RENDERED.encode())
    assert result.returncode == 1
    assert result.stdout == ""  # nothing kubelint would write: the suggestion is on stderr
    assert "+  allowPrivilegeEscalation: false" in result.stderr


def test_committed_output_is_never_edited_and_gets_the_suggestion(tmp_path: Path) -> None:
    _chart(tmp_path)
    rendered = tmp_path / "deploy" / "rendered.yaml"
    rendered.parent.mkdir()
    rendered.write_text(RENDERED)
    result = run_process(["fix", "deploy/rendered.yaml"], cwd=tmp_path)
    assert rendered.read_text() == RENDERED
    assert "--- a/charts/shop/values.yaml" in result.stderr
    assert "fixed 0 finding(s) in 0 file(s)" in result.stderr


def test_a_chart_that_is_not_found_is_said_once(tmp_path: Path) -> None:
    result = run_process(["fix", "-"], cwd=tmp_path, stdin=(RENDERED * 2).encode())
    assert result.stderr.count("the chart 'shop' was not found") == 1


def test_plain_standard_input_is_still_never_fixed(tmp_path: Path) -> None:
    plain = RENDERED.replace("# Source: shop/templates/deployment.yaml\n", "")
    result = run_process(["fix", "-"], cwd=tmp_path, stdin=plain.encode())
    assert result.returncode == 2 and "standard input is never fixed in place" in result.stderr


def test_a_subchart_is_set_under_its_name_in_the_parent_values(tmp_path: Path) -> None:
    parent = tmp_path / "site"
    sub = parent / "charts" / "shop"
    (sub / "templates").mkdir(parents=True)
    (parent / "Chart.yaml").write_text("apiVersion: v2\nname: site\nversion: 1.0.0\n")
    (parent / "values.yaml").write_text("shop:\n  image: {repository: shop}\n")
    (sub / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    (sub / "templates" / "deployment.yaml").write_text(TEMPLATE)
    found = find_template("site/charts/shop/templates/deployment.yaml", None, tmp_path)
    assert found is not None
    assert (found.values, found.prefix) == (parent / "values.yaml", ("shop",))
    stream = RENDERED.replace("# Source: shop/", "# Source: site/charts/shop/")
    result = run_process(["fix", "-"], cwd=tmp_path, stdin=stream.encode())
    assert "--- a/site/values.yaml" in result.stderr
    assert "+  securityContext:" in result.stderr or "securityContext: {" in result.stderr


def test_a_source_that_climbs_out_of_the_chart_is_not_followed(tmp_path: Path) -> None:
    _chart(tmp_path)
    assert find_template("shop/../../etc/templates/x.yaml", None, tmp_path) is None
    assert (
        find_template(str(tmp_path / "charts/shop/templates/deployment.yaml"), None, tmp_path)
        is None
    )
    assert find_template("shop/templates/deployment.yaml", None, tmp_path) is not None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "kind: Pod",
                "spec:",
                "  securityContext:",
                "    {{- toYaml .Values.sc | nindent 4 }}",
                "  - name: {{ .Values.n }}",
                "- |",
                "    text: {{ . }}",
                "{{- with .Values.x }}",
                "{{- range .Values.y }}",
                "{{- end }}",
                "{{ end }}{{ end }}",
                "---",
                "  x: {{ toYaml . }}",
                '"quoted": {{ $.Values.q | quote }}',
                "\t- {{",
                "",
            ]
        )
        | st.text(max_size=30),
        max_size=30,
    )
)
def test_any_template_text_is_read_without_error(lines: list[str]) -> None:
    for document in read_template("\n".join(lines)):
        for ref in document.refs:
            assert all(isinstance(part, str) and part for part in ref.values)
            found = document.match(ref.path)
            assert found is not None and found[1] == () and len(found[0].path) == len(ref.path)


def test_the_example_in_the_docs_is_what_kubelint_prints() -> None:
    root = Path(__file__).resolve().parents[2]
    docs = (root / "docs" / "fixes.md").read_text()
    shown = docs.split("$ kubelint fix --unsafe-fixes - < examples/helm/rendered.yaml\n", 1)[1]
    shown = shown.split("```", 1)[0]
    rendered = (root / "examples" / "helm" / "rendered.yaml").read_bytes()
    result = run_process(["fix", "--unsafe-fixes", "-"], cwd=root, stdin=rendered)
    assert result.stderr == shown
    assert "+  readOnlyRootFilesystem: true" in shown  # the example shows a real patch


def test_control_characters_of_the_input_never_reach_the_terminal(tmp_path: Path) -> None:
    # A chart name (from a # Source: comment) and a values file can hold a bidirectional
    # override (YAML allows it, unlike an ANSI escape): shown escaped in notes and patches.
    chart = _chart(tmp_path)
    (chart / "values.yaml").write_text(VALUES.replace("# the web", "# the \u202eweb"))
    result = run_process(["fix", "-"], cwd=tmp_path, stdin=RENDERED.encode())
    assert "\u202e" not in result.stderr and "\\u202e" in result.stderr
    stream = RENDERED.replace("# Source: shop/", "# Source: sh\u2067op/")
    result = run_process(["fix", "-"], cwd=tmp_path, stdin=stream.encode())
    assert "the chart 'sh\\u2067op' was not found" in result.stderr
    assert "\u2067" not in result.stderr


def test_a_values_file_is_read_as_manifests_are(tmp_path: Path) -> None:
    # A values file that links out of the chart, or is too large, is not read: no patch,
    # a note instead (and nothing of the linked file in the output).
    chart = _chart(tmp_path)
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("securityContext:\n  note: from outside the chart\n")
    (chart / "values.yaml").unlink()
    (chart / "values.yaml").symlink_to(outside)
    result = run_process(["fix", "-"], cwd=tmp_path, stdin=RENDERED.encode())
    assert "charts/shop/values.yaml: cannot be read as a values file: no patch" in result.stderr
    assert "from outside the chart" not in result.stderr
    (chart / "values.yaml").unlink()
    (chart / "values.yaml").write_text("# padding\n" * 120_000)
    result = run_process(["fix", "-"], cwd=tmp_path, stdin=RENDERED.encode())
    assert "charts/shop/values.yaml: cannot be read as a values file: no patch" in result.stderr


def test_no_chart_is_looked_for_above_the_tree_of_the_rendered_file(tmp_path: Path) -> None:
    # Output committed in another folder than the working directory: its chart is looked
    # for up to the top of that folder's tree, never above (a Chart.yaml up there is not
    # part of what is linted).
    _chart(tmp_path / "above")
    rendered = tmp_path / "above" / "tree" / "deploy" / "rendered.yaml"
    rendered.parent.mkdir(parents=True)
    rendered.write_text(RENDERED)
    subprocess.run(["git", "init", "-q", str(tmp_path / "above" / "tree")], check=True)
    (tmp_path / "elsewhere").mkdir()
    found = find_template("shop/templates/deployment.yaml", rendered.parent, tmp_path / "elsewhere")
    assert found is None
    # From a working directory that holds both, the chart is part of what is linted.
    assert find_template("shop/templates/deployment.yaml", rendered.parent, tmp_path) is not None
