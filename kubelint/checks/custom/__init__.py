"""Checks a repository writes in CEL in ``.kubelint.yaml`` (``checks.custom``): no
check module of their own, one check per entry, added to each run by
:class:`kubelint.checks.custom.provider.CustomChecks`."""
