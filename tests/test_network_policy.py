"""namespace-without-default-deny follows what the API server stores and plugins enforce.

Most cases are a set of NetworkPolicies in namespace 'shop' and the verdict for ingress and
egress (with ``require-egress`` on): "deny" when the namespace is default-deny in that
direction, "open" when it is not and kubelint must report it.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubelint.checks.network.policies import parse_policy
from kubelint.k8s.selectors import Malformed, parse_selector
from kubelint.model import Result
from tests.conftest import lint_paths, lint_text

CHECK = "namespace-without-default-deny"
NS = "shop"
V1 = "networking.k8s.io/v1"


def policy(
    spec: Any = None,
    name: str = "p",
    namespace: str | None = NS,
    api: str = V1,
    **extra: Any,
) -> dict[str, Any]:
    """A NetworkPolicy document; ``spec=None`` leaves the spec out."""
    meta: dict[str, Any] = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    doc: dict[str, Any] = {"apiVersion": api, "kind": "NetworkPolicy", "metadata": meta}
    if spec is not None:
        doc["spec"] = spec
    doc.update(extra)
    return doc


def deployment(
    name: str, labels: dict[str, Any] | None = None, namespace: str | None = NS
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    template: dict[str, Any] = {"spec": {"containers": [{"name": name, "image": "x:1"}]}}
    if labels is not None:
        template["metadata"] = {"labels": labels}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {"template": template},
    }


NAMESPACE = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}}
DENY_IN = {"podSelector": {}, "policyTypes": ["Ingress"]}
DENY_OUT = {"podSelector": {}, "policyTypes": ["Egress"]}
DENY_BOTH = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def allow_in(*rules: Any, selector: Any = None) -> dict[str, Any]:
    """A sibling policy with ingress rules that selects every pod (or ``selector``)."""
    return {"podSelector": selector or {}, "policyTypes": ["Ingress"], "ingress": list(rules)}


def allow_out(*rules: Any) -> dict[str, Any]:
    return {"podSelector": {}, "policyTypes": ["Egress"], "egress": list(rules)}


def dump(docs: list[dict[str, Any]]) -> str:
    return "---\n".join(yaml.safe_dump(d, sort_keys=False) for d in docs)


def findings(tmp_path: Path, docs: list[dict[str, Any]], **config: Any) -> list[Result]:
    report = lint_text(tmp_path, dump(docs), select=[CHECK], **config)
    assert not report.errors and not report.internal_errors
    return [r for r in report.results if r.check == CHECK]


def verdict(results: list[Result], namespace: str = NS) -> tuple[str, str]:
    """(ingress, egress) verdict of one namespace from its single finding (or none)."""
    mine = [r for r in results if f"namespace '{namespace}' " in r.message]
    assert len(mine) <= 1, "one namespace, one finding"
    missing = mine[0].message.rsplit(" for ", 1)[1] if mine else ""
    return (
        "open" if "ingress" in missing else "deny",
        "open" if "egress" in missing else "deny",
    )


EGRESS_ON = {"params": {CHECK: {"require-egress": True}}}
PORT_443 = [{"protocol": "TCP", "port": 443}]
WEB = {"matchLabels": {"app": "web"}}

# (case id, policy specs in 'shop' (or full documents), ingress verdict, egress verdict)
CASES: list[tuple[str, list[Any], str, str]] = [
    ("no policy at all", [], "open", "open"),
    ("deny both directions", [DENY_BOTH], "deny", "deny"),
    ("deny ingress and egress in two policies", [DENY_IN, DENY_OUT], "deny", "deny"),
    ("omitted policyTypes default to Ingress", [{"podSelector": {}}], "deny", "open"),
    (
        "empty policyTypes list defaults too",
        [{"podSelector": {}, "policyTypes": []}],
        "deny",
        "open",
    ),
    (
        "omitted policyTypes with empty egress list stay Ingress only",
        [{"podSelector": {}, "egress": []}],
        "deny",
        "open",
    ),
    (
        "omitted policyTypes with egress rules add Egress, but the rules allow some traffic",
        [{"podSelector": {}, "egress": [{"to": [{"podSelector": {}}]}]}],
        "deny",
        "open",
    ),
    ("Egress only denies no ingress", [DENY_OUT], "open", "deny"),
    (
        "policy with ingress rules is no deny",
        [allow_in({"from": [{"podSelector": {}}]})],
        "open",
        "open",
    ),
    ("no spec at all decodes to a deny-all-ingress policy", [None], "deny", "open"),
    (
        "missing podSelector decodes to every pod",
        [{"policyTypes": ["Ingress", "Egress"]}],
        "deny",
        "deny",
    ),
    (
        "podSelector with empty matchLabels",
        [{"podSelector": {"matchLabels": {}}, "policyTypes": ["Ingress", "Egress"]}],
        "deny",
        "deny",
    ),
    (
        "podSelector with empty matchExpressions",
        [{"podSelector": {"matchExpressions": []}, "policyTypes": ["Ingress", "Egress"]}],
        "deny",
        "deny",
    ),
    ("deny that selects some pods only", [{**DENY_BOTH, "podSelector": WEB}], "open", "open"),
    # Policies add up: a sibling that lets everything in undoes the deny.
    ("sibling with an empty ingress rule", [DENY_BOTH, allow_in({})], "open", "deny"),
    ("sibling with from: [] and no ports", [DENY_BOTH, allow_in({"from": []})], "open", "deny"),
    (
        "sibling with all sources and ports: []",
        [DENY_BOTH, allow_in({"ports": []})],
        "open",
        "deny",
    ),
    (
        "sibling with a null rule (decodes to an empty rule)",
        [DENY_BOTH, allow_in(None)],
        "open",
        "deny",
    ),
    (
        "sibling with all sources on port 443 only",
        [DENY_BOTH, allow_in({"ports": PORT_443})],
        "deny",
        "deny",
    ),
    (
        "sibling with all sources on every TCP port only",
        [DENY_BOTH, allow_in({"ports": [{"protocol": "TCP"}]})],
        "deny",
        "deny",
    ),
    (
        "sibling with all sources on every TCP, UDP and SCTP port",
        [DENY_BOTH, allow_in({"ports": [{"protocol": p} for p in ("TCP", "UDP", "SCTP")]})],
        "open",
        "deny",
    ),
    (
        "sibling with all sources on the full port range of every protocol",
        [
            DENY_BOTH,
            allow_in(
                {
                    "ports": [
                        {"protocol": p, "port": 1, "endPort": 65535} for p in ("TCP", "UDP", "SCTP")
                    ]
                }
            ),
        ],
        "open",
        "deny",
    ),
    (
        "sibling with a whole-range TCP rule only",
        [DENY_BOTH, allow_in({"ports": [{"port": 1, "endPort": 65535}]})],
        "deny",
        "deny",
    ),
    (
        "sibling with ipBlock 0.0.0.0/0",
        [DENY_BOTH, allow_in({"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]})],
        "open",
        "deny",
    ),
    (
        "sibling with ipBlock ::/0",
        [DENY_BOTH, allow_in({"from": [{"ipBlock": {"cidr": "::/0"}}]})],
        "open",
        "deny",
    ),
    (
        "sibling with ipBlock 0.0.0.0/0 and an empty except",
        [DENY_BOTH, allow_in({"from": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": []}}]})],
        "open",
        "deny",
    ),
    (
        "sibling with ipBlock 0.0.0.0/0 except a range",
        [
            DENY_BOTH,
            allow_in({"from": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}]}),
        ],
        "deny",
        "deny",
    ),
    (
        "sibling with ipBlock 0.0.0.0/0 on port 443 only",
        [DENY_BOTH, allow_in({"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": PORT_443})],
        "deny",
        "deny",
    ),
    (
        "sibling with a private ipBlock",
        [DENY_BOTH, allow_in({"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]})],
        "deny",
        "deny",
    ),
    (
        "sibling allowing every pod of every namespace (stricter on purpose)",
        [DENY_BOTH, allow_in({"from": [{"namespaceSelector": {}, "podSelector": {}}]})],
        "open",
        "deny",
    ),
    (
        "sibling allowing every namespace (stricter on purpose)",
        [DENY_BOTH, allow_in({"from": [{"namespaceSelector": {}}]})],
        "open",
        "deny",
    ),
    (
        "sibling allowing some namespaces",
        [DENY_BOTH, allow_in({"from": [{"namespaceSelector": {"matchLabels": {"team": "a"}}}]})],
        "deny",
        "deny",
    ),
    (
        "sibling allowing labelled pods of every namespace",
        [DENY_BOTH, allow_in({"from": [{"namespaceSelector": {}, "podSelector": WEB}]})],
        "deny",
        "deny",
    ),
    (
        "sibling allowing every pod of its own namespace",
        [DENY_BOTH, allow_in({"from": [{"podSelector": {}}]})],
        "deny",
        "deny",
    ),
    (
        "allow-all that selects only some pods",
        [DENY_BOTH, allow_in({}, selector=WEB)],
        "deny",
        "deny",
    ),
    (
        "ingress rules of an Egress-only policy do not apply",
        [DENY_IN, {"podSelector": {}, "policyTypes": ["Egress"], "ingress": [{}]}],
        "deny",
        "deny",
    ),
    (
        "deny ingress and allow all egress in one policy",
        [{**DENY_BOTH, "egress": [{}]}],
        "deny",
        "open",
    ),
    ("sibling allowing all egress", [DENY_BOTH, allow_out({})], "deny", "open"),
    (
        "sibling allowing egress to 0.0.0.0/0",
        [DENY_BOTH, allow_out({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]})],
        "deny",
        "open",
    ),
    (
        "sibling allowing egress to every namespace (stricter on purpose)",
        [DENY_BOTH, allow_out({"to": [{"namespaceSelector": {}}]})],
        "deny",
        "open",
    ),
    (
        "sibling allowing DNS egress only",
        [
            DENY_BOTH,
            allow_out(
                {"to": [{"namespaceSelector": {}}], "ports": [{"protocol": "UDP", "port": 53}]}
            ),
        ],
        "deny",
        "deny",
    ),
    # What the API server rejects is never stored: it neither denies nor allows.
    ("spec of the wrong type", [policy("deny")], "open", "open"),
    ("podSelector of the wrong type", [{**DENY_BOTH, "podSelector": []}], "open", "open"),
    ("policyTypes as a string", [{"podSelector": {}, "policyTypes": "Ingress"}], "open", "open"),
    (
        "policyTypes in lower case",
        [{"podSelector": {}, "policyTypes": ["ingress"]}],
        "open",
        "open",
    ),
    (
        "matchLabels value that is not a string",
        [{**DENY_BOTH, "podSelector": {"matchLabels": {"v": 1}}}],
        "open",
        "open",
    ),
    (
        "In without values",
        [{**DENY_BOTH, "podSelector": {"matchExpressions": [{"key": "app", "operator": "In"}]}}],
        "open",
        "open",
    ),
    (
        "rejected sibling: ingress as a mapping",
        [DENY_BOTH, {"podSelector": {}, "ingress": {}}],
        "deny",
        "deny",
    ),
    (
        "rejected sibling: a peer that names nothing",
        [DENY_BOTH, allow_in({"from": [{}]})],
        "deny",
        "deny",
    ),
    (
        "rejected sibling: ipBlock together with a selector",
        [DENY_BOTH, allow_in({"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}, "podSelector": {}}]})],
        "deny",
        "deny",
    ),
    (
        "rejected sibling: cidr that is no CIDR",
        [DENY_BOTH, allow_in({"from": [{"ipBlock": {"cidr": "everywhere"}}]})],
        "deny",
        "deny",
    ),
    ("rejected sibling: ports as a number", [DENY_BOTH, allow_in({"ports": 80})], "deny", "deny"),
    (
        "rejected sibling: unknown protocol",
        [DENY_BOTH, allow_in({"ports": [{"protocol": "ICMP"}]})],
        "deny",
        "deny",
    ),
]


@pytest.mark.parametrize(
    ("specs", "ingress", "egress"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_semantic_case(tmp_path: Path, specs: list[Any], ingress: str, egress: str) -> None:
    docs = [NAMESPACE, deployment("web", {"app": "web"})]
    for index, spec in enumerate(specs):
        docs.append(
            spec if isinstance(spec, dict) and "kind" in spec else policy(spec, name=f"p{index}")
        )
    assert verdict(findings(tmp_path, docs, **EGRESS_ON)) == (ingress, egress)


def test_egress_is_only_required_with_the_option(tmp_path: Path) -> None:
    docs = [NAMESPACE, policy(DENY_IN)]
    assert findings(tmp_path, docs) == []
    assert verdict(findings(tmp_path, docs, **EGRESS_ON)) == ("deny", "open")
    # An allow-all egress sibling does not matter either while egress is not required.
    assert findings(tmp_path, [*docs, policy(allow_out({}), name="out")]) == []


def test_bug_sibling_allow_all_ingress_policy_opens_namespace(tmp_path: Path) -> None:
    docs = [NAMESPACE, policy(DENY_IN, name="deny"), policy(allow_in({}), name="allow-all")]
    (result,) = findings(tmp_path, docs)
    assert result.message.endswith("has no default-deny NetworkPolicy for ingress")
    assert "NetworkPolicy 'allow-all'" in result.hint and "allows all ingress" in result.hint
    # The deny itself is there, so the hint does not ask for another one.
    assert "add a NetworkPolicy" not in result.hint


def test_bug_policy_with_unserved_api_version_does_not_count(tmp_path: Path) -> None:
    docs = [NAMESPACE, policy(DENY_IN, name="old-deny", api="extensions/v1beta1")]
    (result,) = findings(tmp_path, docs, kube_version=16)
    assert "NetworkPolicy 'old-deny'" in result.hint
    assert "extensions/v1beta1 is not served by Kubernetes 1.16 (removed in 1.16)" in result.hint
    assert findings(tmp_path, docs, kube_version=30) != []
    # Kubernetes 1.15 still serves it: the deny counts.
    assert findings(tmp_path, docs, kube_version=15) == []


def test_unserved_allow_all_sibling_does_not_open_the_namespace(tmp_path: Path) -> None:
    docs = [
        NAMESPACE,
        policy(DENY_IN, name="deny"),
        policy(allow_in({}), name="old-allow", api="extensions/v1beta1"),
    ]
    assert findings(tmp_path, docs) == []
    assert findings(tmp_path, docs, kube_version=15) != []


@pytest.mark.parametrize(
    "api",
    ["networking.k8s.io/v1beta1", "projectcalico.org/v3", "networking.k8s.io/v2"],
)
def test_apis_that_serve_no_kubernetes_network_policy_do_not_count(
    tmp_path: Path, api: str
) -> None:
    (result,) = findings(tmp_path, [NAMESPACE, policy(DENY_IN, name="deny", api=api)])
    assert "not counted: NetworkPolicy 'deny'" in result.hint and api in result.hint


def test_hint_names_three_uncounted_policies_and_counts_the_rest(tmp_path: Path) -> None:
    old = [policy(DENY_IN, name=f"old-{n}", api="networking.k8s.io/v1beta1") for n in range(5)]
    (result,) = findings(tmp_path, [NAMESPACE, *old])
    assert [f"'old-{n}'" in result.hint for n in range(5)] == [True, True, True, False, False]
    assert result.hint.endswith("; and 2 more")


def test_rejected_policy_is_named_with_the_reason(tmp_path: Path) -> None:
    (result,) = findings(tmp_path, [NAMESPACE, policy(allow_in({"from": [{}]}), name="bad")])
    assert "NetworkPolicy 'bad'" in result.hint
    assert "spec.ingress[0].from[0] names no peer" in result.hint


def test_a_policy_in_another_namespace_says_nothing_about_this_one(tmp_path: Path) -> None:
    other = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}}
    docs = [NAMESPACE, other, policy(DENY_BOTH, namespace="other")]
    results = findings(tmp_path, docs, **EGRESS_ON)
    assert verdict(results, NS) == ("open", "open")
    assert verdict(results, "other") == ("deny", "deny")
    # ...and an allow-all in 'other' does not open 'shop'.
    docs = [NAMESPACE, other, policy(DENY_IN), policy(allow_in({}), name="a", namespace="other")]
    results = findings(tmp_path, docs)
    assert verdict(results, NS) == ("deny", "deny")
    assert verdict(results, "other") == ("open", "deny")


def test_policies_without_namespace_go_to_the_default_namespace(tmp_path: Path) -> None:
    docs = [deployment("web", namespace=None), policy(DENY_IN, namespace=None)]
    assert findings(tmp_path, docs) == []
    # With --namespace the same files land in that namespace, together.
    assert findings(tmp_path, docs, namespace="shop") == []
    # A policy without namespace does not protect a workload that names another one.
    docs = [deployment("web", namespace="shop"), policy(DENY_IN, namespace=None)]
    assert verdict(findings(tmp_path, docs), "shop") == ("open", "deny")
    assert findings(tmp_path, docs, namespace="shop") == []


def test_selector_matching_every_workload_is_not_a_default_deny(tmp_path: Path) -> None:
    # Documented stricter rule: only an empty podSelector covers pods added later.
    every = {"podSelector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]}}
    docs = [deployment("a", {"app": "a"}), deployment("b", {"app": "b"}), policy(every)]
    (result,) = findings(tmp_path, docs)
    assert "(2 of 2 workloads selected by a policy)" in result.message


@pytest.mark.parametrize(
    ("workloads", "counted"),
    [
        ([], "0 of 0 workloads"),
        ([("web", {"app": "web"})], "1 of 1 workload"),
        ([("db", {"app": "db"})], "0 of 1 workload"),
        ([("web", {"app": "web"}), ("db", {"app": "db"})], "1 of 2 workloads"),
        ([("web", {"app": "web"}), ("web2", {"app": "web"}), ("x", None)], "2 of 3 workloads"),
    ],
)
def test_message_counts_selected_workloads(
    tmp_path: Path, workloads: list[tuple[str, Any]], counted: str
) -> None:
    docs = [NAMESPACE, *(deployment(n, labels) for n, labels in workloads)]
    docs.append(policy({"podSelector": WEB, "ingress": [{"ports": PORT_443}]}))
    (result,) = findings(tmp_path, docs)
    assert result.message == (
        f"namespace 'shop' ({counted} selected by a policy) has no default-deny NetworkPolicy "
        "for ingress"
    )


def test_message_names_both_directions(tmp_path: Path) -> None:
    (result,) = findings(tmp_path, [NAMESPACE], **EGRESS_ON)
    assert result.message == (
        "namespace 'shop' (0 of 0 workloads selected by a policy) has no default-deny "
        "NetworkPolicy for ingress and egress"
    )
    assert "policyTypes: [Ingress, Egress]" in result.hint


def test_finding_sits_at_the_declared_namespace(tmp_path: Path) -> None:
    docs = [deployment("web", {"app": "web"}), NAMESPACE]
    (result,) = findings(tmp_path, docs)
    assert result.obj["kind"] == "Namespace" and result.path == "metadata.name"


def test_finding_sits_at_the_first_workload_no_policy_selects(tmp_path: Path) -> None:
    docs = [
        deployment("web", {"app": "web"}),
        deployment("db", {"app": "db", "tier": "data"}),
        deployment("cache", {"app": "cache"}),
        policy({"podSelector": WEB, "ingress": [{"ports": PORT_443}]}, name="web"),
        policy(
            {
                "podSelector": {
                    "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["data"]}]
                },
                "ingress": [{"ports": PORT_443}],
            },
            name="not-data",
        ),
    ]
    # 'not-data' selects 'web' and 'cache' (no tier label: NotIn matches); 'db' is unselected.
    (result,) = findings(tmp_path, docs)
    assert result.obj["name"] == "db" and result.path == "metadata.namespace"
    assert "(2 of 3 workloads selected by a policy)" in result.message
    lines = dump(docs).splitlines()
    assert lines[result.location.line - 2 : result.location.line] == [
        "  name: db",
        "  namespace: shop",
    ]


def test_finding_sits_at_the_first_workload_when_every_one_is_selected(tmp_path: Path) -> None:
    docs = [
        deployment("web", {"app": "web"}),
        deployment("api", {"app": "api"}),
        policy(
            {
                "podSelector": {
                    "matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]
                }
            }
        ),
    ]
    (result,) = findings(tmp_path, docs)
    assert result.obj["name"] == "web"
    assert "(2 of 2 workloads selected by a policy)" in result.message


def test_workloads_of_custom_kinds_are_counted(tmp_path: Path) -> None:
    rollout = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": "canary", "namespace": NS},
        "spec": {
            "template": {"metadata": {"labels": {"app": "canary"}}, "spec": {"containers": []}}
        },
    }
    docs = [rollout, policy({"podSelector": WEB, "ingress": [{"ports": PORT_443}]})]
    (result,) = findings(tmp_path, docs, pod_templates={"Rollout": ("spec", "template")})
    assert result.obj["kind"] == "Rollout"
    assert "(0 of 1 workload selected by a policy)" in result.message


@pytest.mark.parametrize(
    "junk",
    [
        {"spec": {"podSelector": {}, "ingress": [{"from": [{"podSelector": "all"}]}]}},
        {"spec": {"podSelector": {"matchLabels": "app=web"}}},
        {
            "spec": {
                "podSelector": {
                    "matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]
                }
            }
        },
        {"spec": {"podSelector": {}, "ingress": [{"from": "everyone"}]}},
        {"spec": {"podSelector": {}, "ingress": [{"from": [{"ipBlock": "0.0.0.0/0"}]}]}},
        {
            "spec": {
                "podSelector": {},
                "ingress": [{"from": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["::/64"]}}]}],
            }
        },
        {"spec": {"podSelector": {}, "ingress": [{"ports": [{"port": True}]}]}},
        {"spec": {"podSelector": {}, "ingress": [{"ports": [{"port": "http", "endPort": 90}]}]}},
        {"spec": {"podSelector": {}, "egress": [["to"]], "policyTypes": ["Egress"]}},
        {"spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress", "Ingress"]}},
    ],
    ids=range(10),
)
def test_malformed_policies_never_crash_and_do_not_count(
    tmp_path: Path, junk: dict[str, Any]
) -> None:
    doc = policy(name="junk")
    doc.update(junk)
    (result,) = findings(tmp_path, [NAMESPACE, deployment("web", {"app": "web"}), doc])
    assert "(0 of 1 workload selected by a policy)" in result.message
    assert "NetworkPolicy 'junk'" in result.hint and "the API server rejects it" in result.hint


def test_workload_with_malformed_labels_is_counted_but_not_selected(tmp_path: Path) -> None:
    docs = [
        NAMESPACE,
        deployment("web", {"app": 7}),
        policy({"podSelector": {"matchLabels": {"app": "7"}}}),
    ]
    (result,) = findings(tmp_path, docs)
    assert "(0 of 1 workload selected by a policy)" in result.message


@pytest.mark.parametrize(
    ("selector", "labels", "selected"),
    [
        ({}, {}, True),
        ({"matchLabels": {"app": "web"}}, {"app": "web", "tier": "x"}, True),
        ({"matchLabels": {"app": "web"}}, {"app": "db"}, False),
        ({"matchLabels": {"app": "web"}}, {}, False),
        (
            {"matchExpressions": [{"key": "app", "operator": "In", "values": ["a", "b"]}]},
            {"app": "b"},
            True,
        ),
        ({"matchExpressions": [{"key": "app", "operator": "In", "values": ["a"]}]}, {}, False),
        ({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["a"]}]}, {}, True),
        (
            {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["a"]}]},
            {"app": "a"},
            False,
        ),
        ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, {"app": ""}, True),
        ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, {"x": "app"}, False),
        ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, {}, True),
        ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, {"app": "a"}, False),
        (
            {
                "matchLabels": {"tier": "web"},
                "matchExpressions": [{"key": "app", "operator": "Exists"}],
            },
            {"tier": "web"},
            False,
        ),
    ],
)
def test_label_selector_semantics(
    selector: dict[str, Any], labels: dict[str, str], selected: bool
) -> None:
    assert parse_selector(selector, "s").matches(labels) is selected


def test_parse_policy_reports_where_the_spec_is_wrong() -> None:
    with pytest.raises(Malformed, match=r"spec\.egress\[1\]\.ports\[0\]\.protocol"):
        parse_policy({"spec": {"egress": [{}, {"ports": [{"protocol": "tcp"}]}]}})
    with pytest.raises(Malformed, match=r"spec\.podSelector\.matchExpressions\[0\]\.operator"):
        parse_policy(
            {"spec": {"podSelector": {"matchExpressions": [{"key": "a", "operator": "Is"}]}}}
        )


@pytest.mark.parametrize("operator", [[], {}, ["In"], None, 3])
def test_bug_selector_operator_of_wrong_type_crashed_the_check(
    tmp_path: Path, operator: Any
) -> None:
    # A list or mapping as operator made a set lookup raise TypeError (found by
    # tests/test_robustness.py): now the policy is rejected like any malformed one.
    selector = {"matchExpressions": [{"key": "app", "operator": operator}]}
    (result,) = findings(tmp_path, [NAMESPACE, policy({"podSelector": selector}, name="odd")])
    assert "spec.podSelector.matchExpressions[0].operator is not one of" in result.hint


def test_hint_names_every_policy_that_opens_the_namespace_up_to_three(tmp_path: Path) -> None:
    openers = [policy(allow_out({}), name=f"open-{i}") for i in range(5)]
    (result,) = findings(tmp_path, [NAMESPACE, policy(DENY_BOTH), *openers], **EGRESS_ON)
    assert result.message.endswith("for egress")
    assert [f"'open-{i}'" in result.hint for i in range(5)] == [True] * 3 + [False] * 2
    assert "2 more allow all egress from every pod" in result.hint


@pytest.mark.parametrize("seed", range(16))
def test_each_file_linted_with_its_context_is_judged_as_in_the_full_run(
    tmp_path: Path, seed: int
) -> None:
    """A run on one file decides early whether one of its workloads is where a namespace
    is reported: the findings of all files linted one by one are those of one run."""
    rng = random.Random(seed)
    labels = [{"app": "web"}, {"app": "api"}, {"app": "web", "tier": "data"}, None]
    selectors = [WEB, WEB, {}, {"matchLabels": {"tier": "data"}}, {"matchLabels": {"app": "api"}}]
    files = []
    for index in range(8):
        docs = []
        for item in range(rng.randint(1, 4)):
            namespace = rng.choice([NS, NS, NS, "other", None])
            if rng.random() < 0.3:
                spec = {"podSelector": rng.choice(selectors), "ingress": [{"ports": PORT_443}]}
                if rng.random() < 0.3:
                    spec = {"podSelector": rng.choice(selectors)}  # denies all it selects
                docs.append(policy(spec, name=f"p{index}-{item}", namespace=namespace))
            else:
                name = f"w{index}-{item}"
                docs.append(deployment(name, rng.choice(labels), namespace=namespace))
        if rng.random() < 0.1:
            docs.append(NAMESPACE)
        path = tmp_path / f"f{index}.yaml"
        path.write_text(dump(docs), encoding="utf-8")
        files.append(path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)

    def seen(report: Any) -> set[tuple[str, int, str]]:
        return {(r.location.file, r.location.line, r.message) for r in report.results}

    full = seen(lint_paths(files, [CHECK]))
    one_by_one = set().union(*(seen(lint_paths([p], [CHECK], repo_context=True)) for p in files))
    assert one_by_one == full
