"""The repository's own admission policies, evaluated offline (no checks yet)."""
