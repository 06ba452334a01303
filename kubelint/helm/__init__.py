"""Helm charts, read offline: which template fields come from ``.Values``, and the values
changes that would fix what kubelint found in rendered output (suggestions only)."""
