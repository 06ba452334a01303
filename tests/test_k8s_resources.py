"""The built-in resource table, its served versions, equivalents and CRD resources."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kubelint.k8s.kinds import CLUSTER_SCOPED_KINDS
from kubelint.k8s.resources import (
    SUBRESOURCE_KINDS,
    builtin_resources,
    crd_resources,
    equivalents,
    resource_of,
    split_api_version,
)
from kubelint.loader.documents import load_source

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas" / "kubernetes"
APIS: dict[str, dict[str, list[list[int]]]] = json.loads((SCHEMAS / "apis.json").read_text())
NEWEST = max(int(p.name[len("v1.") : -len(".json.gz")]) for p in SCHEMAS.glob("v1.*.json.gz"))
OLDEST = min(int(p.name[len("v1.") : -len(".json.gz")]) for p in SCHEMAS.glob("v1.*.json.gz"))


def newest_kinds() -> list[tuple[str, str]]:
    bundle = json.loads(gzip.decompress((SCHEMAS / f"v1.{NEWEST}.json.gz").read_bytes()))
    return [(gv, kind) for gv, kinds in sorted(bundle["kinds"].items()) for kind in kinds]


@pytest.mark.parametrize(("api_version", "kind"), newest_kinds())
def test_every_kind_of_the_newest_release_has_a_resource(api_version: str, kind: str) -> None:
    group, _ = split_api_version(api_version)
    found = resource_of(api_version, kind)
    assert found is not None or (group, kind) in SUBRESOURCE_KINDS
    if found is not None:
        assert (found.api_version, found.kind) == (api_version, kind)


@pytest.mark.parametrize(
    ("api_version", "kind", "ranges"),
    [(gv, kind, ranges) for gv, kinds in sorted(APIS.items()) for kind, ranges in kinds.items()],
)
def test_served_releases_agree_with_the_schema_bundle(
    api_version: str, kind: str, ranges: list[list[int]]
) -> None:
    found = resource_of(api_version, kind)
    if found is None:
        assert (split_api_version(api_version)[0], kind) in SUBRESOURCE_KINDS
        return
    for minor in range(OLDEST, NEWEST + 1):
        bundled = any(start <= minor <= end for start, end in ranges)
        assert found.served_in(minor) == bundled, minor


def test_no_table_version_claims_a_bundled_release_the_bundle_lacks() -> None:
    for found in builtin_resources():
        claimed = [m for m in range(OLDEST, NEWEST + 1) if found.served_in(m)]
        if claimed:
            assert found.kind in APIS.get(found.api_version, {}), found


#: Cluster-scoped built-in kinds the kind-name list leaves out, and why: a custom resource
#: of another group shares the name (Cluster API's namespaced ipam IPAddress).
NOT_IN_KIND_LIST = {"IPAddress"}


def test_scopes_agree_with_the_cluster_scoped_kind_list() -> None:
    for found in builtin_resources():
        listed = found.kind in CLUSTER_SCOPED_KINDS
        if found.kind in NOT_IN_KIND_LIST:
            assert not found.namespaced and not listed
        else:
            assert listed == (not found.namespaced), found


# From `kubectl api-resources` and the API reference.
@pytest.mark.parametrize(
    ("api_version", "kind", "plural", "namespaced"),
    [
        ("v1", "Pod", "pods", True),
        ("v1", "Endpoints", "endpoints", True),
        ("v1", "ComponentStatus", "componentstatuses", False),
        ("v1", "Namespace", "namespaces", False),
        ("v1", "PersistentVolume", "persistentvolumes", False),
        ("v1", "Binding", "bindings", True),
        ("apps/v1", "Deployment", "deployments", True),
        ("extensions/v1beta1", "Ingress", "ingresses", True),
        ("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", True),
        ("networking.k8s.io/v1", "IngressClass", "ingressclasses", False),
        ("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", True),
        ("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", True),
        ("storage.k8s.io/v1", "CSIStorageCapacity", "csistoragecapacities", True),
        ("storage.k8s.io/v1", "StorageClass", "storageclasses", False),
        ("scheduling.k8s.io/v1", "PriorityClass", "priorityclasses", False),
        ("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", True),
        ("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", False),
        ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy",
         "validatingadmissionpolicies", False),
        ("resource.k8s.io/v1", "ResourceClaim", "resourceclaims", True),
        ("resource.k8s.io/v1", "ResourceSlice", "resourceslices", False),
        ("authorization.k8s.io/v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", True),
        ("events.k8s.io/v1", "Event", "events", True),
    ],
)  # fmt: skip
def test_known_resources(api_version: str, kind: str, plural: str, namespaced: bool) -> None:
    found = resource_of(api_version, kind)
    assert found is not None
    assert (found.resource, found.namespaced) == (plural, namespaced)


@pytest.mark.parametrize(
    ("api_version", "kind"),
    [("autoscaling/v1", "Scale"), ("policy/v1", "Eviction"), ("example.com/v1", "Widget"),
     ("apps/v9", "Deployment"), ("v1", "Deployment"), ("apps/v1", "")],
)  # fmt: skip
def test_subresource_custom_and_unknown_kinds_have_no_resource(api_version: str, kind: str) -> None:
    assert resource_of(api_version, kind) is None


# Plurals are the lowercase kind plus "s", "es" or "ies", but for kinds already plural.
ALREADY_PLURAL = {"Endpoints", "ResourceClaimParameters", "ResourceClassParameters"}


@pytest.mark.parametrize("found", builtin_resources(), ids=lambda r: f"{r.api_version}/{r.kind}")
def test_plural_is_the_lowercase_kind_pluralised(found: Any) -> None:
    lower = found.kind.lower()
    if found.kind in ALREADY_PLURAL:
        assert found.resource == lower
    else:
        assert found.resource in (lower + "s", lower + "es", lower[:-1] + "ies")


def names(resources: list[Any]) -> set[str]:
    return {f"{r.api_version} {r.resource}" for r in resources}


# Which versions a release serves, from the deprecation guide.
@pytest.mark.parametrize(
    ("api_version", "kind", "minor", "expected"),
    [
        ("apps/v1", "Deployment", 15, {"apps/v1 deployments", "apps/v1beta1 deployments",
         "apps/v1beta2 deployments", "extensions/v1beta1 deployments"}),
        ("apps/v1", "Deployment", 16, {"apps/v1 deployments"}),
        ("extensions/v1beta1", "DaemonSet", 15, {"apps/v1 daemonsets",
         "apps/v1beta2 daemonsets", "extensions/v1beta1 daemonsets"}),
        ("apps/v1", "ReplicaSet", 30, {"apps/v1 replicasets"}),
        ("networking.k8s.io/v1", "Ingress", 21, {"networking.k8s.io/v1 ingresses",
         "networking.k8s.io/v1beta1 ingresses", "extensions/v1beta1 ingresses"}),
        ("networking.k8s.io/v1", "Ingress", 22, {"networking.k8s.io/v1 ingresses"}),
        ("networking.k8s.io/v1", "NetworkPolicy", 15, {"networking.k8s.io/v1 networkpolicies",
         "extensions/v1beta1 networkpolicies"}),
        ("batch/v1", "CronJob", 24, {"batch/v1 cronjobs", "batch/v1beta1 cronjobs"}),
        ("batch/v1", "CronJob", 25, {"batch/v1 cronjobs"}),
        ("autoscaling/v2", "HorizontalPodAutoscaler", 24, {
            "autoscaling/v1 horizontalpodautoscalers", "autoscaling/v2 horizontalpodautoscalers",
            "autoscaling/v2beta1 horizontalpodautoscalers",
            "autoscaling/v2beta2 horizontalpodautoscalers"}),
        ("autoscaling/v1", "HorizontalPodAutoscaler", 26, {
            "autoscaling/v1 horizontalpodautoscalers",
            "autoscaling/v2 horizontalpodautoscalers"}),
        ("policy/v1", "PodDisruptionBudget", 24, {"policy/v1 poddisruptionbudgets",
         "policy/v1beta1 poddisruptionbudgets"}),
        ("policy/v1", "PodDisruptionBudget", 25, {"policy/v1 poddisruptionbudgets"}),
        ("v1", "Event", 30, {"v1 events", "events.k8s.io/v1 events"}),
        ("events.k8s.io/v1", "Event", 24, {"v1 events", "events.k8s.io/v1 events",
         "events.k8s.io/v1beta1 events"}),
        ("v1", "Pod", 30, {"v1 pods"}),
        ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", 30, {
            "admissionregistration.k8s.io/v1 validatingadmissionpolicies",
            "admissionregistration.k8s.io/v1beta1 validatingadmissionpolicies",
            "admissionregistration.k8s.io/v1alpha1 validatingadmissionpolicies"}),
        # 1.29 serves only the beta and alpha versions.
        ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", 29, {
            "admissionregistration.k8s.io/v1beta1 validatingadmissionpolicies",
            "admissionregistration.k8s.io/v1alpha1 validatingadmissionpolicies"}),
    ],
)  # fmt: skip
def test_equivalents(api_version: str, kind: str, minor: int, expected: set[str]) -> None:
    found = resource_of(api_version, kind)
    assert found is not None
    assert names(equivalents(found, minor)) == expected


@given(st.sampled_from(builtin_resources()), st.sampled_from(builtin_resources()),
       st.integers(min_value=10, max_value=NEWEST + 3))  # fmt: skip
def test_equivalence_is_symmetric_among_served_resources(a: Any, b: Any, minor: int) -> None:
    if a.served_in(minor) and b.served_in(minor):
        assert (b in equivalents(a, minor)) == (a in equivalents(b, minor))
        assert a in equivalents(a, minor)
        if b in equivalents(a, minor):
            assert a.kind == b.kind and a.namespaced == b.namespaced


def crd(group: str = "example.com", scope: Any = "Namespaced", **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"widgets.{group}"},
        "spec": {
            "group": group,
            "scope": scope,
            "names": {"plural": "widgets", "kind": "Widget", "singular": "widget"},
            "versions": [
                {"name": "v1", "served": True, "storage": True},
                {"name": "v1beta1", "served": True, "storage": False},
                {"name": "v1alpha1", "served": False, "storage": False},
            ],
            **spec,
        },
    }


def load(*docs: dict[str, Any]) -> list[Any]:
    return load_source("crds.yaml", yaml.safe_dump_all(list(docs)).encode()).objects


def test_crd_resources_read_group_plural_scope_and_served_versions() -> None:
    found = crd_resources(load(crd(), crd("cluster.example.com", "Cluster")))
    widget = found[("example.com", "Widget")]
    assert (widget.resource, widget.namespaced, widget.versions) == (
        "widgets",
        True,
        ("v1", "v1beta1"),
    )
    assert widget.at("v1alpha1") is None  # not served
    at_v1 = widget.at("v1")
    assert at_v1 is not None and at_v1.api_version == "example.com/v1"
    assert found[("cluster.example.com", "Widget")].namespaced is False


@pytest.mark.parametrize(
    "bad",
    [
        crd(scope="Everywhere"),
        crd(scope=None),
        crd(group=""),
        crd(names={"plural": "widgets"}),
        crd(names="widgets"),
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "spec": []},
        {**crd(), "apiVersion": "example.com/v1"},
    ],
)
def test_crd_resources_skip_definitions_the_api_server_rejects(bad: dict[str, Any]) -> None:
    assert crd_resources(load(bad)) == {}


def test_crd_without_a_version_list_serves_no_version() -> None:
    widget = crd_resources(load(crd(versions="v1")))[("example.com", "Widget")]
    assert widget.versions == () and widget.at("v1") is None


def test_the_later_definition_of_a_resource_wins() -> None:
    later = crd(scope="Cluster")
    assert crd_resources(load(crd(), later))[("example.com", "Widget")].namespaced is False
