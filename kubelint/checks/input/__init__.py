"""The input itself: duplicate keys, ambiguous YAML, suppressions that name nothing."""
