"""The one error family of kubelint and the documented exit codes."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes (see docs/usage.md)."""

    OK = 0  #: no finding at or above ``--fail-on``
    FINDINGS = 1  #: at least one finding at or above ``--fail-on``
    INPUT_ERROR = 2  #: unusable input or configuration (wins over findings)
    INTERNAL_ERROR = 3  #: a check crashed or kubelint itself failed


class KubelintError(Exception):
    """Base of every error kubelint raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR


class UsageError(KubelintError):
    """Unusable command line or configuration: exit code 2."""

    exit_code = ExitCode.INPUT_ERROR


class ConfigError(UsageError):
    """A configuration file kubelint cannot use."""


class PluginError(KubelintError):
    """A third-party check could not be loaded or clashes with another check."""
