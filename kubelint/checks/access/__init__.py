"""API access control: RBAC roles and bindings, service-account tokens (no checks yet)."""

#: The RBAC kinds, here so that the checks' metadata does not import the heavy
#: :mod:`kubelint.checks.access.rbac` (a run without RBAC objects never needs it).
ROLE_KINDS = ("Role", "ClusterRole")
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")
#: What the access-control index reads from the repository (``CheckMeta.context_kinds``).
CONTEXT_KINDS = frozenset({*ROLE_KINDS, *BINDING_KINDS, "ServiceAccount"})
#: What a workload's token needs (``rbac.accounts``): who the bindings name, no role.
ACCOUNT_KINDS = frozenset({*BINDING_KINDS, "ServiceAccount"})
