"""The hardening settings of a container's securityContext that more than one check reports.

``missing-security-context`` lists the ones a container lacks; a Pod Security control that
judges the same setting says which one it covers, so that one problem gives one finding.
Each value is the setting as the findings name it.
"""

from __future__ import annotations

from enum import Enum


class Hardening(Enum):
    """A hardening setting, by the text findings use for it."""

    # Members are singletons: the identity hash is C-fast (Enum's own hashes the name in
    # Python), and these are dictionary keys on the hot path.
    __hash__ = object.__hash__

    NON_ROOT = "runAsNonRoot: true"
    NO_PRIVILEGE_ESCALATION = "allowPrivilegeEscalation: false"
    DROP_ALL_CAPABILITIES = "capabilities.drop: [ALL]"
    READ_ONLY_ROOT_FILESYSTEM = "readOnlyRootFilesystem: true"
    SECCOMP_PROFILE = "seccompProfile.type: RuntimeDefault"
