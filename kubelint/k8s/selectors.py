"""Label selectors as the API server reads and matches them, and the decoding they share.

Used wherever Kubernetes selects objects by label: NetworkPolicy peers, ClusterRole
aggregation, admission policy match rules. What the API server would reject raises
:class:`Malformed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_OPERATORS = frozenset({"In", "NotIn", "Exists", "DoesNotExist"})


class Malformed(ValueError):
    """The API server would reject this policy (wrong type or invalid value)."""


@dataclass(frozen=True)
class Requirement:
    """One term of a label selector (matchLabels entries become ``In`` with one value)."""

    key: str
    operator: str
    values: frozenset[str]

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.operator == "In":
            return self.key in labels and labels[self.key] in self.values
        if self.operator == "NotIn":
            # A pod without the label is not in the set, so NotIn selects it.
            return self.key not in labels or labels[self.key] not in self.values
        if self.operator == "Exists":
            return self.key in labels
        return self.key not in labels


@dataclass(frozen=True)
class Selector:
    """A label selector; with no terms it selects everything."""

    requirements: tuple[Requirement, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.requirements

    def matches(self, labels: Mapping[str, str]) -> bool:
        return all(r.matches(labels) for r in self.requirements)


def where(path: str, key: str | int) -> str:
    return f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"


def list_field(value: Any, path: str) -> list[Any]:
    """A list field: missing or null is empty, anything else but a list is rejected."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{path} is not a list")
    return value


def mapping_field(value: Any, path: str) -> dict[str, Any]:
    """An object field: null (or a null list entry) decodes to an empty object."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Malformed(f"{path} is not a mapping")
    return value


def parse_selector(value: Any, path: str) -> Selector:
    """A label selector as the API server reads it (missing or null selects everything)."""
    data = mapping_field(value, path)
    terms: list[Requirement] = []
    labels = data.get("matchLabels")
    for key, wanted in mapping_field(labels, where(path, "matchLabels")).items():
        if not isinstance(wanted, str):
            raise Malformed(f"{where(path, 'matchLabels')}.{key} is not a string")
        terms.append(Requirement(str(key), "In", frozenset({wanted})))
    expressions = list_field(data.get("matchExpressions"), where(path, "matchExpressions"))
    for index, item in enumerate(expressions):
        at = where(where(path, "matchExpressions"), index)
        expression = mapping_field(item, at)
        name, operator = expression.get("key"), expression.get("operator")
        values = list_field(expression.get("values"), f"{at}.values")
        if not isinstance(name, str) or not name:
            raise Malformed(f"{at}.key is missing or not a string")
        if not isinstance(operator, str) or operator not in _OPERATORS:
            raise Malformed(f"{at}.operator is not one of In, NotIn, Exists, DoesNotExist")
        if not all(isinstance(v, str) for v in values):
            raise Malformed(f"{at}.values holds a value that is not a string")
        # The API server requires values for In/NotIn and forbids them for (DoesNot)Exists.
        if operator in ("In", "NotIn") and not values:
            raise Malformed(f"{at}.values must not be empty for {operator}")
        if operator in ("Exists", "DoesNotExist") and values:
            raise Malformed(f"{at}.values must be empty for {operator}")
        terms.append(Requirement(name, str(operator), frozenset(values)))
    return Selector(tuple(terms))


def pod_labels(metadata: Mapping[str, Any]) -> dict[str, str]:
    """The labels of a pod (template) metadata; values that are not strings are dropped."""
    labels = metadata.get("labels")
    if not isinstance(labels, dict):
        return {}
    return {str(k): v for k, v in labels.items() if isinstance(v, str)}
