"""The check registry: built-in checks in one explicit tuple, plugins via entry points.

A run's own registry (:class:`Registry`) adds the checks that providers bring (built-in
providers, and those of the ``kubelint.providers`` entry-point group).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from types import ModuleType

from kubelint.checks import entry_points
from kubelint.checks.access import (
    rbac_anonymous_binding,
    rbac_cluster_admin_binding,
    rbac_dangling,
    rbac_privilege_escalation,
    rbac_secrets_access,
    rbac_wildcard,
    service_account_token_automount,
)
from kubelint.checks.admission import admission_policy
from kubelint.checks.api import deprecated_api, removed_api, schema_validation, unknown_field
from kubelint.checks.base import Check, CheckDoc, CheckMeta, CheckProvider, ModuleCheck
from kubelint.checks.cluster import (
    apiserver_admission_plugins,
    apiserver_anonymous_auth,
    apiserver_authorization_always_allow,
    apiserver_kubelet_tls,
    apiserver_no_audit,
    apiserver_no_encryption_at_rest,
    apiserver_profiling,
    apiserver_removed_flag,
    apiserver_weak_tls,
    audit_no_catch_all,
    audit_policy_empty,
    audit_request_received,
    audit_secrets_logged,
    encryption_identity_first,
    encryption_secrets_not_covered,
    encryption_weak_provider,
    kubelet_anonymous_auth,
    kubelet_authorization_always_allow,
    kubelet_certificate_rotation,
    kubelet_protect_kernel_defaults,
    kubelet_read_only_port,
)
from kubelint.checks.custom.provider import CustomChecks
from kubelint.checks.images import (
    image_latest_tag,
    image_not_pinned,
    image_pull_policy,
    image_registry_not_allowed,
)
from kubelint.checks.input import duplicate_key, unknown_suppression, yaml_ambiguous_boolean
from kubelint.checks.network import namespace_without_default_deny
from kubelint.checks.pod_security.baseline import privileged_container
from kubelint.checks.pod_security.controls import BASELINE, RESTRICTED
from kubelint.checks.pod_security.provider import NamespaceLabels
from kubelint.checks.secrets import plaintext_secret
from kubelint.checks.workloads import missing_runtime_class, missing_security_context
from kubelint.errors import PluginError
from kubelint.model import SEVERITIES

BUILTIN: tuple[Check, ...] = tuple(
    ModuleCheck.from_module(module)
    for module in (
        missing_security_context,
        privileged_container,
        missing_runtime_class,
        plaintext_secret,
        namespace_without_default_deny,
        duplicate_key,
        yaml_ambiguous_boolean,
        unknown_suppression,
        # Schemas and API versions.
        schema_validation,
        unknown_field,
        removed_api,
        deprecated_api,
        # Pod Security Standards, baseline (privileged-container above is one too) ...
        *BASELINE,
        # ... and restricted.
        *RESTRICTED,
        # Access control: RBAC roles and bindings, service-account tokens.
        rbac_wildcard,
        rbac_cluster_admin_binding,
        rbac_anonymous_binding,
        rbac_secrets_access,
        rbac_privilege_escalation,
        rbac_dangling,
        service_account_token_automount,
        # Control plane and node configuration (family `cluster`): API server flags, ...
        apiserver_anonymous_auth,
        apiserver_authorization_always_allow,
        apiserver_removed_flag,
        apiserver_admission_plugins,
        apiserver_no_encryption_at_rest,
        apiserver_no_audit,
        apiserver_weak_tls,
        apiserver_profiling,
        apiserver_kubelet_tls,
        # ... the kubelet's configuration, ...
        kubelet_anonymous_auth,
        kubelet_authorization_always_allow,
        kubelet_read_only_port,
        kubelet_protect_kernel_defaults,
        kubelet_certificate_rotation,
        # ... encryption at rest, ...
        encryption_identity_first,
        encryption_secrets_not_covered,
        encryption_weak_provider,
        # ... and the audit policy.
        audit_policy_empty,
        audit_secrets_logged,
        audit_no_catch_all,
        audit_request_received,
        # Image provenance: tags, digests, registries.
        image_latest_tag,
        image_not_pinned,
        image_registry_not_allowed,
        image_pull_policy,
        # The repository's own admission policies, evaluated offline.
        admission_policy,
    )
)

ENTRY_POINT_GROUP = "kubelint.checks"
PROVIDER_ENTRY_POINT_GROUP = "kubelint.providers"
#: Providers that are part of kubelint: they run in every run.
BUILTIN_PROVIDERS: tuple[CheckProvider, ...] = (NamespaceLabels(), CustomChecks())
#: Group that names every check.
ALL = "all"
#: Group of the checks that run when nothing is selected (``META.enabled``), so that a
#: selection can say "the defaults, plus ..." or "the defaults, minus ...".
DEFAULT = "default"


def _validate(check: object, origin: str) -> Check:
    if not isinstance(check, Check) or not isinstance(getattr(check, "meta", None), CheckMeta):
        raise PluginError(
            f"{origin}: not a kubelint check (needs .meta: CheckMeta, .doc, .check())"
        )
    meta = check.meta
    if meta.severity not in SEVERITIES:
        raise PluginError(f"{origin}: check '{meta.id}' has unknown severity '{meta.severity}'")
    doc: object = check.doc
    if isinstance(doc, str):  # documentation given as text: read like a module's docstring
        return ModuleCheck(meta, check.check, CheckDoc.parse(doc))
    if not isinstance(doc, CheckDoc):
        raise PluginError(f"{origin}: check '{meta.id}' has a .doc that is not text nor a CheckDoc")
    return check


def _entry_points(group: str, what: str) -> Iterator[tuple[str, object]]:
    """(origin, loaded object) of each entry point of ``group``; ``what`` names them."""
    for ep in entry_points.load(group):
        origin = f"{what} '{ep.name}' ({ep.value})"
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plugin must be named, never skipped
            raise PluginError(f"{origin} failed to load: {type(exc).__name__}: {exc}") from exc
        yield origin, loaded


def _plugins() -> Iterable[Check]:
    for origin, loaded in _entry_points(ENTRY_POINT_GROUP, "plugin"):
        if isinstance(loaded, ModuleType):  # a check module
            loaded = ModuleCheck.from_module(loaded)
        candidates = loaded if isinstance(loaded, (list, tuple)) else [loaded]
        for candidate in candidates:
            yield _validate(candidate, origin)


@lru_cache(maxsize=1)
def registry() -> dict[str, Check]:
    """Every available check by id; duplicate ids are an error."""
    checks: dict[str, Check] = {}
    for check in (*BUILTIN, *_plugins()):
        if check.meta.id in checks:
            raise PluginError(f"two checks share the id '{check.meta.id}'")
        checks[check.meta.id] = check
    return checks


def _validate_provider(provider: object, origin: str) -> CheckProvider:
    if isinstance(provider, type):
        provider = provider()
    if not isinstance(provider, CheckProvider):
        raise PluginError(
            f"{origin}: not a kubelint check provider (needs .name, .config_key, "
            ".config_schema, .provide())"
        )
    return provider


@lru_cache(maxsize=1)
def plugin_providers() -> tuple[CheckProvider, ...]:
    """The providers of the ``kubelint.providers`` entry-point group."""
    return tuple(
        _validate_provider(loaded, origin)
        for origin, loaded in _entry_points(PROVIDER_ENTRY_POINT_GROUP, "provider plugin")
    )


def run_providers(extra: Sequence[CheckProvider] | None = None) -> tuple[CheckProvider, ...]:
    """The built-in providers plus ``extra`` (default: the entry-point ones); names unique."""
    chosen = (
        *BUILTIN_PROVIDERS,
        *(
            plugin_providers()
            if extra is None
            else (_validate_provider(p, "provider") for p in extra)
        ),
    )
    names = [p.name for p in chosen]
    for name in names:
        if names.count(name) > 1:
            raise PluginError(f"two check providers share the name '{name}'")
    return chosen


class Registry(Mapping[str, Check]):
    """The checks of one run by id: built-in, plugins, then the ones providers add."""

    def __init__(self, checks: Mapping[str, Check]) -> None:
        self._checks = dict(checks)

    def add(self, check: object, origin: str) -> Check:
        """Add a provided check; an invalid one or a second check with its id is an error."""
        valid = _validate(check, origin)
        if valid.meta.id in self._checks:
            raise PluginError(f"{origin}: two checks share the id '{valid.meta.id}'")
        self._checks[valid.meta.id] = valid
        return valid

    def __getitem__(self, check_id: str) -> Check:
        return self._checks[check_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._checks)

    def __len__(self) -> int:
        return len(self._checks)


def groups(checks: Iterable[Check]) -> dict[str, list[str]]:
    """Group name -> ids of the checks in it.

    ``all`` names every check and ``default`` the checks that are on by default.
    """
    result: dict[str, list[str]] = {ALL: [], DEFAULT: []}
    for check in checks:
        result[ALL].append(check.meta.id)
        if check.meta.enabled:
            result[DEFAULT].append(check.meta.id)
        for group in check.meta.all_groups:
            if group not in (ALL, DEFAULT):  # these two are kubelint's to define
                result.setdefault(group, []).append(check.meta.id)
    return result


def unknown_name(name: str, known: Iterable[str]) -> str:
    """The message for a check or group name kubelint does not know, with a likely fix."""
    from difflib import get_close_matches

    close = get_close_matches(name, sorted(known), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown check or group '{name}' ({hint}see `kubelint --list-checks`)"
