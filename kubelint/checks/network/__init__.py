"""Network isolation: NetworkPolicy semantics and namespaces without a default deny."""
