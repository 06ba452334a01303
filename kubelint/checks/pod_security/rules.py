"""Helpers that several Pod Security controls build their rules from."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import replace
from typing import Any

from kubelint.checks.pod_security.engine import Pod, Rule, Violation
from kubelint.k8s.workloads import (
    container_label,
    get,
    security_context_owner,
    security_contexts,
)
from kubelint.model import Edit, Fix, KeyPath

#: Judges one explicit ``securityContext`` value: (its key path, the context, who set it).
Judge = Callable[[KeyPath, dict[str, Any], str], "Violation | None"]


def show(value: Any) -> str:
    """A value as it reads in YAML/JSON (true, 0, "Unconfined")."""
    return json.dumps(value)


def quote_list(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def unless_windows(rule: Rule) -> Rule:
    """``rule``, with Windows pods exempt (Linux-only settings, from policy 1.25)."""
    return lambda pod: [] if pod.windows else rule(pod)


def unless_user_namespace(rule: Rule) -> Rule:
    """``rule``, with pods in their own user namespace exempt (from policy 1.35)."""
    return lambda pod: [] if pod.user_namespace else rule(pod)


def per_container(
    pod: Pod, find: Callable[[dict[str, Any]], Iterable[tuple[KeyPath, str]]]
) -> list[Violation]:
    """What ``find(container)`` reports in each container: (key path in the container, what
    it does), told as "<container label> <what it does>"."""
    return [
        Violation((*path, *below), f"{container_label(container, path)} {what}")
        for path, container in pod.containers()
        for below, what in find(container)
    ]


def added_capabilities(
    container: dict[str, Any], allowed: Collection[str], message: Callable[[str], str]
) -> Iterator[tuple[KeyPath, str]]:
    """The container's ``securityContext.capabilities.add`` entries outside ``allowed``,
    reported once as ``message(quoted entries)``."""
    path: KeyPath = ("securityContext", "capabilities", "add")
    added = get(container, path)
    bad = [str(c) for c in added if str(c) not in allowed] if isinstance(added, list) else []
    if bad:
        yield path, message(quote_list(bad))


def each_security_context(pod: Pod) -> Iterator[tuple[KeyPath, dict[str, Any], str]]:
    """The pod's securityContext, then each container's: (key path, value, who set it)."""
    for sc_path, sc, container in security_contexts(pod.spec_path, pod.spec):
        yield sc_path, sc, security_context_owner(sc_path, container)


def every_security_context(pod: Pod, judge: Judge) -> list[Violation]:
    """What ``judge`` finds in the pod's and every container's securityContext."""
    found = (judge(sc_path, sc, who) for sc_path, sc, who in each_security_context(pod))
    return [v for v in found if v is not None]


def each_container_setting(
    pod: Pod, key: str, bad: Callable[[Any], bool], message: Callable[[str, Any], str]
) -> list[Violation]:
    """Containers whose ``securityContext.<key>`` is ``bad``: ``message(who, value)``."""
    found = []
    for sc_path, sc, container in security_contexts(pod.spec_path, pod.spec):
        if container is not None and bad(sc.get(key)):
            who = security_context_owner(sc_path, container)
            found.append(Violation((*sc_path, key), message(who, sc.get(key))))
    return found


def pod_or_every_container(
    pod: Pod, key: str, bad: Judge, unset: Callable[[str], str]
) -> list[Violation]:
    """A ``securityContext.<key>`` that the pod must set well, or else every container.

    ``bad(securityContext path, securityContext, who)`` judges an explicit value; a
    container that leaves the key unset is covered only by a good pod-level value. Explicit
    bad values are reported one by one; otherwise the uncovered containers are reported
    once, at the pod's setting, with the message ``unset(quoted container names)``.
    """
    found: list[Violation] = []
    uncovered = []
    covered = False
    pod_path: KeyPath = ()
    for sc_path, sc, container in security_contexts(pod.spec_path, pod.spec):
        if container is None:
            pod_path = sc_path
        if sc.get(key) is not None:
            violation = bad(sc_path, sc, security_context_owner(sc_path, container))
            if violation:
                found.append(violation)
            elif container is None:
                covered = True
        elif container is not None and not covered:
            uncovered.append(str(container.get("name", sc_path[-2])))
    if uncovered and not found:
        found.append(Violation((*pod_path, key), unset(quote_list(uncovered))))
    return found


def unmasked(pod: Pod) -> list[Violation]:
    """Containers that set procMount to anything but Default."""
    return each_container_setting(
        pod,
        "procMount",
        lambda value: value is not None and value != "Default",
        lambda who, value: f"{who} sets procMount {show(value)}",
    )


#: The seccomp profile types that confine a container.
SECCOMP_TYPES = ("RuntimeDefault", "Localhost")


def bad_seccomp_profile(sc_path: KeyPath, sc: dict[str, Any], who: str) -> Violation | None:
    """A seccompProfile set to anything but RuntimeDefault or Localhost."""
    profile = sc.get("seccompProfile")
    if profile is None:
        return None
    kind = profile.get("type") if isinstance(profile, dict) else None
    if kind in SECCOMP_TYPES:
        return None
    return Violation(
        (*sc_path, "seccompProfile", "type"), f"{who} sets seccomp profile type {show(kind)}"
    )


def raw_contexts(pod: Pod) -> dict[KeyPath, dict[str, Any] | None]:
    """Key path -> the pod's and each container's securityContext as an edit finds it:
    ``{}`` when unset, None when it is no mapping (a fix leaves that alone)."""

    def editable(value: Any) -> dict[str, Any] | None:
        if value is None:
            return {}
        return value if isinstance(value, dict) else None

    found = {(*pod.spec_path, "securityContext"): editable(pod.spec.get("securityContext"))}
    for path, container in pod.containers():
        found[(*path, "securityContext")] = editable(container.get("securityContext"))
    return found


def with_fixes(
    violations: list[Violation], fix: Callable[[Violation], Fix | None]
) -> list[Violation]:
    """``violations``, each with the fix ``fix`` declares for it (when it declares one)."""
    fixed = []
    for violation in violations:
        found = fix(violation)
        fixed.append(violation if found is None else replace(violation, fix=found))
    return fixed


def edits_fix(description: str, edits: Iterable[Edit | None]) -> Fix | None:
    """A fix of the edits that are known (None when none is); safe when all of them are."""
    known = tuple(e for e in edits if e is not None)
    if not known:
        return None
    return Fix(description, known, all(e.safe for e in known))
