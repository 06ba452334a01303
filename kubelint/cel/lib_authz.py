"""Kubernetes' ``authz`` CEL library, declared but not answerable offline.

A policy may ask the API server's authorizer (``authorizer.group('apps')
.resource('deployments').namespace('ns').check('update').allowed()``, or
``authorizer.requestResource.check('approve')``, or ``authorizer.serviceAccount(ns,
name)...``). kubelint has no cluster and no RBAC decision to give, so every one of these
functions raises :class:`~kubelint.cel.engine.Unavailable`: the expression type-checks,
and its evaluation is ``EvalError(unavailable="authorizer")`` unless CEL's logic makes the
answer irrelevant (``true || authorizer...``).
"""

from __future__ import annotations

from typing import Any, NoReturn

from kubelint.cel.engine import Unavailable
from kubelint.cel.lib_common import Function, tagged


def unavailable(*_args: Any) -> NoReturn:
    """Every authorizer function: the decision is the API server's, not kubelint's."""
    raise Unavailable("authorizer")


def authorizer_value() -> dict[str, Any]:
    """What to bind the ``authorizer`` variable to, ``requestResource`` included."""
    return tagged("authorizer", requestResource=tagged("authorizer"))


_SIGNATURES = {
    # name: (result, parameters after the receiver)
    "path": ("dyn", ("string",)),
    "group": ("dyn", ("string",)),
    "serviceAccount": ("dyn", ("string", "string")),
    "resource": ("dyn", ("string",)),
    "subresource": ("dyn", ("string",)),
    "namespace": ("dyn", ("string",)),
    "name": ("dyn", ("string",)),
    "fieldSelector": ("dyn", ("string",)),
    "labelSelector": ("dyn", ("string",)),
    "check": ("dyn", ("string",)),
    "allowed": ("bool", ()),
    "reason": ("string", ()),
    "errored": ("bool", ()),
    "error": ("string", ()),
}

FUNCTIONS = tuple(
    Function(name, f"authorizer_{name}", result, ("dyn", *params), unavailable, member=True)
    for name, (result, params) in _SIGNATURES.items()
)
