"""The Pod Security Standards: the engine (levels, versions, namespace labels) and its controls."""
