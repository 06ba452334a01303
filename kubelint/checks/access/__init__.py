"""API access control: RBAC roles and bindings, service-account tokens (no checks yet)."""
