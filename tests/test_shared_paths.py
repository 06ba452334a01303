"""The loader marks key paths whose text is shared (YAML aliases, merge keys)."""

from __future__ import annotations

from kubelint.loader import load_source
from kubelint.loader.positions import ReparseLocator
from kubelint.model import K8sObject, crosses_shared


def _objects(text: str) -> list[K8sObject]:
    loaded = load_source("m.yaml", text.encode())
    assert not loaded.errors
    return loaded.objects


def test_a_document_without_anchors_or_merges_shares_nothing() -> None:
    [obj] = _objects(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a, annotations: {q: 'a&b'}}\n"
        "spec: {containers: [{name: a, image: x}]}\n"
    )
    assert obj.shared_paths == frozenset()
    assert not crosses_shared(obj, ("spec", "containers", 0, "image"))


def test_anchor_and_alias_are_both_shared() -> None:
    [obj] = _objects(
        """\
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers:
    - &c
      name: a
      image: x
    - *c
    - name: b
      image: &img y
      env: [{name: X, value: *img}]
"""
    )
    assert obj.shared_paths == {
        ("spec", "containers", 0),
        ("spec", "containers", 1),
        ("spec", "containers", 2, "image"),
        ("spec", "containers", 2, "env", 0, "value"),
    }
    # Through the shared node, at it, and around it (replacing a parent replaces it too).
    assert crosses_shared(obj, ("spec", "containers", 1, "securityContext", "privileged"))
    assert crosses_shared(obj, ("spec", "containers", 0))
    assert crosses_shared(obj, ("spec",))
    assert not crosses_shared(obj, ("spec", "containers", 2, "securityContext"))
    assert not crosses_shared(obj, ("metadata", "name"))


def test_keys_brought_in_by_a_merge_key_are_shared_and_keys_set_beside_it_are_not() -> None:
    [obj] = _objects(
        """\
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers:
    - name: a
      securityContext:
        <<: {allowPrivilegeEscalation: true, privileged: true}
        privileged: false
"""
    )
    context = ("spec", "containers", 0, "securityContext")
    assert obj.shared_paths == {(*context, "allowPrivilegeEscalation")}
    assert crosses_shared(obj, (*context, "allowPrivilegeEscalation"))
    assert not crosses_shared(obj, (*context, "privileged"))
    assert not crosses_shared(obj, (*context, "readOnlyRootFilesystem"))


def test_list_items_get_their_own_shared_paths() -> None:
    first, second, third = _objects(
        """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: b}
    spec: &s {containers: [{name: a, image: q}]}
  - apiVersion: v1
    kind: Pod
    metadata: {name: c}
    spec: *s
  - apiVersion: v1
    kind: Pod
    metadata: {name: d}
    spec: {containers: [{name: d, image: z}]}
"""
    )
    assert first.shared_paths == second.shared_paths == {("spec",)}
    assert third.shared_paths == frozenset()


def test_an_aliased_list_of_items_shares_every_item_whole() -> None:
    objects = _objects(
        """\
apiVersion: v1
kind: List
hidden: &all
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: one}}
items: *all
"""
    )
    assert [o.shared_paths for o in objects] == [{()}]
    assert crosses_shared(objects[0], ("data", "x"))


def test_shared_paths_survive_when_nodes_are_not_kept() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: &n a, labels: {app: *n}}\n"
    loaded = load_source("m.yaml", text.encode(), low_memory=True)
    [obj] = loaded.objects
    assert isinstance(obj.locator, ReparseLocator)  # no node kept
    assert obj.shared_paths == {("metadata", "name"), ("metadata", "labels", "app")}


def test_anchors_are_found_wherever_yaml_lets_them_stand() -> None:
    # After a flow indicator, at a line's start, after a colon in flow style: all anchors.
    cases = {
        "metadata: {name: a, labels: {x: &v '1', y: *v}}": ("metadata", "labels", "x"),
        "metadata: {name: a, labels: [&v '1', *v]}": ("metadata", "labels", 0),
        'metadata: {"name": a, "labels": {"x":&v "1", "y": *v}}': ("metadata", "labels", "x"),
        "metadata:\n  name: a\n  labels:\n    x:\n      &v '1'\n    y: *v": (
            "metadata",
            "labels",
            "x",
        ),
    }
    for body, path in cases.items():
        [obj] = _objects(f"apiVersion: v1\nkind: ConfigMap\n{body}\n")
        assert path in obj.shared_paths, body
