"""Reading the API server's flags from command lines, shell scripts and kubeadm configs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kubelint.checks.cluster.flags import (
    ApiServer,
    api_servers,
    parse_flags,
    shell_words,
    version_of,
)
from kubelint.loader.documents import load_source
from kubelint.runner import RunContext


def _objects(text: str) -> list[Any]:
    return load_source("m.yaml", text.encode()).objects


def _servers(text: str) -> list[ApiServer]:
    objects = _objects(text)
    ctx = RunContext(objects, frozenset())
    return [s for obj in objects for s in api_servers(obj, ctx)]


def _pod(command: str, kind: str = "Pod", namespace: str = "kube-system") -> str:
    return (
        f"apiVersion: v1\nkind: {kind}\nmetadata: {{name: a, namespace: {namespace}}}\n"
        f"spec:\n  containers:\n    - name: kube-apiserver\n"
        f"      image: registry.k8s.io/kube-apiserver:v1.31.1\n{command}"
    )


def test_equals_and_separate_values_and_last_wins() -> None:
    items: list[tuple[tuple[str | int, ...], object]] = [
        (("c", i), v)
        for i, v in enumerate(
            ["--a=1", "--b", "2", "--a=3", "-c=4", "--profiling", "false", "--d", "--e=x=y"]
        )
    ]
    found, stray = parse_flags(items)
    by_name = {o.name: o for o in found}  # the last occurrence of each
    assert by_name["a"].value == "3" and by_name["a"].path == ("c", 3)
    assert by_name["b"].value == "2" and by_name["b"].path == ("c", 2)
    assert by_name["b"].flag_path == ("c", 1)
    assert by_name["c"].value == "4"
    # A boolean flag never takes the next word: pflag reads `--profiling false` as true.
    assert by_name["profiling"].value is None and by_name["profiling"].text == "true"
    assert stray == ["false"]
    # A flag followed by another flag has no value; `=` splits once.
    assert by_name["d"].value is None
    assert by_name["e"].value == "x=y"


def test_items_that_are_not_strings_are_skipped() -> None:
    items: list[tuple[tuple[str | int, ...], object]] = [
        (("c", 0), 8080),
        (("c", 1), {"a": 1}),
        (("c", 2), "--secure-port"),
        (("c", 3), 6443),  # a number is not taken as the value
        (("c", 4), None),
        (("c", 5), "--x=1"),
    ]
    found, _ = parse_flags(items)
    assert [(o.name, o.value) for o in found] == [("secure-port", None), ("x", "1")]


def test_list_flags_add_up() -> None:
    (server,) = _servers(
        _pod(
            "      command:\n        - kube-apiserver\n"
            "        - --enable-admission-plugins=A,B\n"
            "        - --enable-admission-plugins\n        - C\n"
        )
    )
    assert [i for i, _ in server.items("enable-admission-plugins")] == ["A", "B", "C"]
    assert server.value("enable-admission-plugins") == "C"


@pytest.mark.parametrize(
    "command",
    [
        "      command: kube-apiserver --anonymous-auth=true\n",  # a string, not a list
        "      command: {a: b}\n",
        "      command: []\n",
        "      command: [7, --anonymous-auth=true]\n",
        "      command: [kube-apiserver-proxy, --anonymous-auth=true]\n",
    ],
)
def test_command_shapes_that_are_no_api_server(command: str) -> None:
    assert _servers(_pod(command)) == []


def test_args_not_a_list_and_numbers_do_not_crash() -> None:
    (server,) = _servers(
        _pod("      command: [kube-apiserver, 5, --profiling=false]\n      args: 3\n")
    )
    assert server.value("profiling") == "false"


def test_where_the_api_server_is_recognised() -> None:
    command = "      command: [kube-apiserver]\n"
    assert _servers(_pod(command))  # a Pod in kube-system
    assert _servers(_pod(command, namespace="default"))  # any bare Pod: a static pod
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: NS}\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: s\n"
        "          image: registry.k8s.io/kube-apiserver:v1.31.1\n"
        "          command: [kube-apiserver]\n"
    )
    assert _servers(deployment.replace("NS", "kube-system"))
    # A Deployment elsewhere running the image is not the cluster's API server.
    assert not _servers(deployment.replace("NS", "tenants"))
    assert not _servers(
        deployment.replace("NS", "tenants").replace("command: [kube-apiserver]", "args: [--a=b]")
    )


def test_image_entry_point_without_command() -> None:
    (server,) = _servers(_pod("      args: [--profiling=false]\n"))
    assert server.anchor[-1] == "args" and server.value("profiling") == "false"
    # Without command and without the kube-apiserver image, nothing is known.
    assert not _servers(
        _pod("      args: [--profiling=false]\n").replace("kube-apiserver:", "other:")
    )


def test_shell_scripts() -> None:
    assert shell_words(
        "set -e\nexec /usr/local/bin/kube-apiserver --a=1 \\\n  --b 2; echo done"
    ) == [
        "/usr/local/bin/kube-apiserver",
        "--a=1",
        "--b",
        "2",
    ]
    assert shell_words("kube-apiserver --a='x y' && other --c") == ["kube-apiserver", "--a=x y"]
    assert shell_words("echo kube-apiserver-like") is None
    assert shell_words("kube-apiserver --a='unbalanced") is None


def test_shell_script_in_a_pod_and_variables_make_flags_incomplete() -> None:
    (server,) = _servers(_pod('      command: [sh, -c, "kube-apiserver --profiling=false"]\n'))
    assert server.complete and server.value("profiling") == "false"
    (server,) = _servers(
        _pod('      command: [/bin/bash, -c]\n      args: ["kube-apiserver $FLAGS"]\n')
    )
    assert not server.complete
    assert not _servers(_pod('      command: [sh, -c, "echo hello"]\n'))
    assert not _servers(_pod("      command: [sh, -c, 42]\n"))


def test_kubeadm_extra_args_both_forms_and_odd_values() -> None:
    (v3,) = _servers(
        "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n"
        "kubernetesVersion: v1.29.3\napiServer:\n  extraArgs:\n"
        "    profiling: false\n    audit-log-maxage: 30\n    bad: [1]\n    5: x\n"
    )
    assert v3.value("profiling") == "false" and v3.value("audit-log-maxage") == "30"
    assert v3.last("bad") is None and v3.version == 29
    assert v3.value("authorization-mode") == "Node,RBAC"  # kubeadm's own default
    assert v3.last("authorization-mode") is None
    (v4,) = _servers(
        "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n"
        "  extraArgs:\n    - {name: profiling, value: 'true'}\n    - name: profiling\n"
        "      value: 'false'\n    - oops\n    - {name: 3}\n    - {name: x, value: {a: b}}\n"
    )
    assert v4.value("profiling") == "false" and v4.last("profiling").path == (  # type: ignore[union-attr]
        "apiServer",
        "extraArgs",
        1,
        "value",
    )
    assert v4.value("x") == ""
    assert "{name: " in v4.how_to_set("profiling", "false")
    # Wrong shapes of apiServer or extraArgs: a server with no flags, no crash.
    for shape in ("apiServer: 3", "apiServer: {extraArgs: text}", "apiServer: [a]"):
        (server,) = _servers(
            f"apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n{shape}\n"
        )
        assert server.occurrences == []


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("v1.30.2", 30),
        ("1.29", 29),
        ("v1.31.0-rc.1", 31),
        ("latest", None),
        ("v2.0", None),
        (3, None),
    ],
)
def test_version_of(text: object, minor: int | None) -> None:
    assert version_of(text) == minor


def test_image_version_is_read_from_the_tag(tmp_path: Path) -> None:
    (server,) = _servers(_pod("      command: [kube-apiserver]\n"))
    assert server.version == 31
    (server,) = _servers(
        _pod("      command: [kube-apiserver]\n").replace(":v1.31.1", "@sha256:" + "a" * 64)
    )
    assert server.version is None


def test_a_quoted_binary_name_is_still_the_api_server() -> None:
    from kubelint.checks.cluster.flags import shell_words

    assert shell_words("exec kube-api''server --profiling=true") == [
        "kube-apiserver",
        "--profiling=true",
    ]
    assert shell_words('exec "kube-apiserver" --a') == ["kube-apiserver", "--a"]
    assert shell_words("echo kube-api && exec server") is None
