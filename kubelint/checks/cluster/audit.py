"""Reading an audit ``Policy`` (``audit.k8s.io``).

Rules are tried in order and the first rule that matches a request sets its level:
``None`` (not logged), ``Metadata``, ``Request`` (with the request body) or
``RequestResponse`` (with both bodies). A rule matches when every condition it sets holds:
``users``, ``userGroups``, ``verbs``, ``namespaces``, ``resources`` (group, resources,
resourceNames) or ``nonResourceURLs``; a condition left out matches everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubelint.k8s.workloads import api_group
from kubelint.model import K8sObject

GROUP = "audit.k8s.io"
KINDS = frozenset({"Policy"})
LEVELS = ("None", "Metadata", "Request", "RequestResponse")
#: Levels that write request or response bodies.
BODY_LEVELS = frozenset({"Request", "RequestResponse"})
#: Conditions that narrow a rule to some requests.
_CONDITIONS = ("users", "userGroups", "verbs", "namespaces")


def is_policy(obj: K8sObject) -> bool:
    return obj.kind == "Policy" and api_group(obj.api_version) == GROUP


def rules(obj: K8sObject) -> list[tuple[int, Mapping[str, Any]]]:
    """The policy's rules that are mappings, with their index ([] for no rules)."""
    items = obj.data.get("rules")
    if not isinstance(items, list):
        return []
    return [(index, rule) for index, rule in enumerate(items) if isinstance(rule, dict)]


def level(rule: Mapping[str, Any]) -> str | None:
    value = rule.get("level")
    return value if value in LEVELS else None


def _set(value: object) -> bool:
    """Whether a condition narrows the rule (a non-empty list; other shapes are ignored)."""
    return isinstance(value, list) and bool(value)


def is_catch_all(rule: Mapping[str, Any]) -> bool:
    """A rule with no condition at all: it matches every request."""
    return not any(_set(rule.get(key)) for key in (*_CONDITIONS, "resources", "nonResourceURLs"))


def matches_resource(rule: Mapping[str, Any], group: str, resource: str) -> tuple[bool, bool]:
    """Whether the rule can match requests on a resource, and whether it matches all of them."""
    resources = rule.get("resources")
    if not isinstance(resources, list) or not resources:
        if _set(rule.get("nonResourceURLs")):
            return False, False  # only non-resource requests (/healthz, /metrics...)
        return True, not any(_set(rule.get(key)) for key in _CONDITIONS)
    every = not any(_set(rule.get(key)) for key in _CONDITIONS)
    for entry in resources:
        if not isinstance(entry, dict):
            continue
        if str(entry.get("group") or "") not in (group, "*"):
            continue
        names = entry.get("resources")
        if isinstance(names, list) and names and resource not in names and "*" not in names:
            continue
        return True, every and not _set(entry.get("resourceNames"))
    return False, False


def logs_nothing(obj: K8sObject) -> bool:
    """No rules, or every rule at level None (then audit-policy-empty reports the policy)."""
    found = rules(obj)
    return not found or all(level(rule) == "None" for _, rule in found)
