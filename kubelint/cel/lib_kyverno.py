"""The pure parts of Kyverno's CEL libraries, for Kyverno's own policies only.

Only what needs neither a cluster nor the network: ``parseServiceAccount``. The calls that
need them (``resource.Get``, ``http.Get``, ``image.GetMetadata``, ``globalContext.Get``...)
are not declared, so a policy using them is reported as not evaluable offline.
"""

from __future__ import annotations

from typing import Any

from kubelint.cel.lib_common import Function, NoOverload

_PREFIX = "system:serviceaccount:"


def parse_service_account(username: Any) -> dict[str, str]:
    """``system:serviceaccount:<namespace>:<name>`` -> ``{Namespace, Name}``; another user
    gives empty fields, as Kyverno's library does."""
    if not isinstance(username, str):
        raise NoOverload("parseServiceAccount", username)
    if username.startswith(_PREFIX):
        namespace, _, name = username[len(_PREFIX) :].partition(":")
        if namespace and name and ":" not in name:
            return {"Namespace": namespace, "Name": name}
    return {"Namespace": "", "Name": ""}


FUNCTIONS: tuple[Function, ...] = (
    Function(
        "parseServiceAccount",
        "kyverno_parse_service_account",
        "map",
        ("string",),
        parse_service_account,
    ),
)
