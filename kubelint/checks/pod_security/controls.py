"""The family's table of controls: every check module that declares a ``CONTROL``."""

from __future__ import annotations

from kubelint.checks.pod_security.baseline import (
    privileged_container,
    pss_apparmor,
    pss_capabilities_baseline,
    pss_host_namespaces,
    pss_host_path_volumes,
    pss_host_ports,
    pss_host_probes,
    pss_proc_mount,
    pss_seccomp_baseline,
    pss_selinux,
    pss_sysctls,
    pss_windows_host_process,
)
from kubelint.checks.pod_security.restricted import (
    pss_capabilities_restricted,
    pss_privilege_escalation,
    pss_proc_mount_restricted,
    pss_restricted_volumes,
    pss_run_as_non_root,
    pss_run_as_user,
    pss_seccomp_restricted,
)

BASELINE = (
    pss_host_namespaces,
    pss_capabilities_baseline,
    pss_host_path_volumes,
    pss_host_ports,
    pss_apparmor,
    pss_selinux,
    pss_proc_mount,
    pss_seccomp_baseline,
    pss_sysctls,
    pss_windows_host_process,
    pss_host_probes,
)
RESTRICTED = (
    pss_restricted_volumes,
    pss_privilege_escalation,
    pss_run_as_non_root,
    pss_run_as_user,
    pss_seccomp_restricted,
    pss_capabilities_restricted,
    pss_proc_mount_restricted,
)
#: Every control (``privileged-container``, a core check, is the baseline "privileged" one).
MODULES = (privileged_container, *BASELINE, *RESTRICTED)
