"""Checks defined in the configuration rather than in code (no checks yet)."""
