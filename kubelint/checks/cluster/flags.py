"""Where the API server's command-line flags are written, and how to read them.

The API server is configured in two kinds of files that a repository may hold:

- a *static pod manifest*: a ``Pod`` (the kubelet reads bare Pods from its manifest
  folder) whose container runs the ``kube-apiserver`` binary, with its flags on
  ``command`` and ``args``;
- a kubeadm ``ClusterConfiguration`` (``kubeadm.k8s.io``), whose ``apiServer.extraArgs``
  holds flags without their dashes: a mapping in ``v1beta3`` (and older), a list of
  ``{name, value}`` in ``v1beta4``. kubeadm adds flags of its own, which extraArgs
  override (see :data:`KUBEADM_DEFAULTS`).

A container is taken for the API server when its command runs the binary: the first word
of ``command`` is ``kube-apiserver`` (or a path ending in it), or ``command`` is a shell
(``sh -c``/``bash -c``) whose script runs it. A container without ``command`` counts when
its image is ``kube-apiserver`` (the image's entry point runs it), reading its flags from
``args``. Only a ``Pod`` (any namespace: a static pod) or a workload in ``kube-system`` is
looked at: an image or command named ``kube-apiserver`` in an ordinary Deployment (an
aggregated API server, a hosted control plane, a test) is not taken for the cluster's API
server.

Flags are read as the API server's flag parser (pflag) reads them:

- ``--flag=value`` and ``--flag value`` (the next item is the value unless it starts with
  ``-``; a boolean flag never takes the next item: ``--profiling false`` is ``--profiling``
  and a stray word);
- ``-flag`` is read like ``--flag``;
- a flag given twice: the last one wins; list flags (:data:`LIST_FLAGS`) add up, as pflag
  appends to a string slice;
- items that are not strings (numbers, mappings) and a ``command``/``args`` that is not a
  list are ignored: the API server's schema rejects them, and ``schema-validation`` says so;
- in a shell script, the words after the ``kube-apiserver`` word up to the first shell
  operator (``;``, ``&&``, ``|``, a newline) are the flags, with backslash-newline joined.
  A word that expands a variable (``$EXTRA``, ``"$@"``) may hold any flag, so the flags
  are *incomplete*: a missing flag is not reported, a bad value still is. A script that
  cannot be split (unbalanced quotes) is not read at all.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kubelint.checks.cluster import API_SERVER_KINDS, CONTROL_PLANE_NAMESPACE
from kubelint.k8s.workloads import (
    POD_TEMPLATE_PATHS,
    api_group,
    containers,
    get,
    pod_spec,
)
from kubelint.model import Context, Finding, K8sObject, KeyPath

BINARY = "kube-apiserver"
KUBEADM_GROUP = "kubeadm.k8s.io"
#: Namespace where a workload (other than a bare Pod) is taken to be part of the control plane.
#: Flags whose value is a list that repeated flags add to (pflag string slices).
LIST_FLAGS = frozenset(
    {
        "enable-admission-plugins",
        "disable-admission-plugins",
        "admission-control",
        "authorization-mode",
        "tls-cipher-suites",
    }
)
#: Boolean flags the checks read: they never take the next item as their value.
BOOLEAN_FLAGS = frozenset(
    {
        "anonymous-auth",
        "profiling",
        "allow-privileged",
        "enable-bootstrap-token-auth",
        "enable-aggregator-routing",
        "enable-garbage-collector",
        "enable-priority-and-fairness",
        "contention-profiling",
        "kubelet-https",
        "logtostderr",
        "alsologtostderr",
        "add-dir-header",
        "one-output",
        "skip-headers",
        "skip-log-headers",
        "audit-log-compress",
        "enable-logs-handler",
        "help",
        "version",
    }
)
#: Flags kubeadm writes into the API server's static pod unless extraArgs override them
#: (only those the checks read). See kubeadm's control-plane manifest generation.
KUBEADM_DEFAULTS: Mapping[str, str] = {
    "authorization-mode": "Node,RBAC",
    "enable-admission-plugins": "NodeRestriction",
}
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "busybox"})
_SHELL_OPERATORS = frozenset({";", "&&", "||", "|", "&", "\n", "(", ")", ";;"})
_VERSION_RE = re.compile(r"v?1\.(\d+)(?:\.\d+)?(?:[-+].*)?")


@dataclass(frozen=True)
class Occurrence:
    """One flag as written: its name (no dashes), value and where the value is."""

    name: str
    #: The value; None for a boolean flag written alone (it means true).
    value: str | None
    #: Key path of the item holding the value (the flag's own item when they share one).
    path: KeyPath
    #: Text to find inside a shell script item, to point at its line (None elsewhere).
    needle: str | None = None
    #: Key path of the item holding the flag's name (differs from ``path`` for
    #: ``--flag value``); defaults to ``path``.
    flag_path: KeyPath | None = None
    #: Text of the flag's name to find inside a shell script item.
    flag_needle: str | None = None

    @property
    def text(self) -> str:
        """The value as the API server reads it (a lone boolean flag is ``true``)."""
        return "true" if self.value is None else self.value


@dataclass
class ApiServer:
    """The flags of one API server and where to report about them."""

    #: "container 'kube-apiserver'" or "ClusterConfiguration apiServer.extraArgs".
    label: str
    #: Where a missing flag is reported: the container's ``command``/``args``, or extraArgs.
    anchor: KeyPath
    occurrences: list[Occurrence] = field(default_factory=list)
    #: False when flags may come from somewhere kubelint cannot read (a shell variable):
    #: then a missing flag is not reported.
    complete: bool = True
    #: The Kubernetes minor version the file names (image tag, kubernetesVersion), if any.
    version: int | None = None
    #: Values the flags have when not given (kubeadm's own flags).
    defaults: Mapping[str, str] = field(default_factory=dict)
    #: How to add a missing flag, for hints: "" (a command line), "map" or "list" (the
    #: form of kubeadm's extraArgs).
    kubeadm: str = ""

    def last(self, name: str) -> Occurrence | None:
        """The occurrence of a flag that wins (the last one), or None."""
        found = None
        for occurrence in self.occurrences:
            if occurrence.name == name:
                found = occurrence
        return found

    def has(self, name: str) -> bool:
        return self.last(name) is not None or name in self.defaults

    def value(self, name: str) -> str | None:
        """The flag's effective value: the last occurrence, else the default, else None."""
        occurrence = self.last(name)
        if occurrence is not None:
            return occurrence.text
        return self.defaults.get(name)

    def items(self, name: str) -> list[tuple[str, Occurrence | None]]:
        """Every comma-separated item of a list flag, with the occurrence that holds it.

        Occurrences add up; when the flag is not given, kubeadm's default holds the items
        (with no occurrence).
        """
        found = [o for o in self.occurrences if o.name == name]
        if not found:
            default = self.defaults.get(name)
            if default is None:
                return []
            return [(item, None) for item in _split_list(default)]
        return [(item, o) for o in found for item in _split_list(o.text)]

    def how_to_set(self, name: str, value: str) -> str:
        if self.kubeadm == "list":
            return f'add {{name: {name}, value: "{value}"}} to apiServer.extraArgs'
        if self.kubeadm:
            return f'add {name}: "{value}" to apiServer.extraArgs'
        return f"add --{name}={value} to the kube-apiserver command"

    def missing(self, message: str, hint: str | None = None) -> Finding:
        """A finding about a flag that is not given, at the command (or extraArgs)."""
        return Finding(self.anchor, f"{self.label}: {message}", hint=hint)

    def at(
        self,
        obj: K8sObject,
        occurrence: Occurrence,
        message: str,
        hint: str | None = None,
        *,
        flag: bool = False,
    ) -> Finding:
        """A finding at the line of a flag's value, or with ``flag`` of its name (inside a
        shell script, at its word)."""
        path = occurrence.path
        needle = occurrence.needle
        if flag and occurrence.flag_path is not None:
            path, needle = occurrence.flag_path, occurrence.flag_needle
        return Finding(
            path, f"{self.label}: {message}", hint=hint, offset=_offset(obj, path, needle)
        )


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _offset(obj: K8sObject, path: KeyPath, needle: str | None) -> int | None:
    """The character offset of a word inside a (block scalar) shell script, so that a
    finding lands on the script's line that holds it; None when it cannot be found."""
    if needle is None:
        return None
    row, column, found = obj.locate(path)
    if found != path:
        return None
    start = obj.source.line_starts[row - 1] + column - 1
    offset = obj.source.text.find(needle, start, obj.text_end)
    if offset == -1 or obj.path_at(offset)[: len(path)] != path:
        return None
    return offset


# ----------------------------------------------------------------------------------------
# Reading flags


def parse_flags(
    items: list[tuple[KeyPath, object]], needles: bool = False
) -> tuple[list[Occurrence], list[str]]:
    """Flags of a command line given as (key path, item) pairs.

    Returns the occurrences and the stray words (positional arguments). With ``needles``
    each occurrence records the text of its value to find it inside a shell script.
    """
    occurrences: list[Occurrence] = []
    stray: list[str] = []
    index = 0
    while index < len(items):
        path, item = items[index]
        index += 1
        if not isinstance(item, str):
            continue
        if not item.startswith("-") or item in ("-", "--"):
            stray.append(item)
            continue
        name, eq, value = item.lstrip("-").partition("=")
        if not name:
            continue
        if eq:
            occurrences.append(Occurrence(name, value, path, item if needles else None))
            continue
        if name not in BOOLEAN_FLAGS and index < len(items):
            next_path, next_item = items[index]
            if isinstance(next_item, str) and not next_item.startswith("-"):
                index += 1
                occurrences.append(
                    Occurrence(
                        name,
                        next_item,
                        next_path,
                        next_item if needles else None,
                        flag_path=path,
                        flag_needle=item if needles else None,
                    )
                )
                continue
        occurrences.append(Occurrence(name, None, path, item if needles else None))
    return occurrences, stray


def shell_words(script: str) -> list[str] | None:
    """The words of the ``kube-apiserver`` invocation in a shell script (binary first).

    None when the script does not run it or cannot be split.
    """
    # Most scripts never name the binary: they are not split at all (splitting is slow).
    # Quotes and backslashes go first, so that ``kube-api''server`` is still seen.
    if BINARY not in script.replace("'", "").replace('"', "").replace("\\", ""):
        return None
    lexer = shlex.shlex(script.replace("\\\n", " "), posix=True, punctuation_chars=";&|()")
    lexer.whitespace = " \t\r"  # newlines end a command, as shell operators do
    lexer.whitespace_split = True
    try:
        words = list(lexer)
    except ValueError:  # unbalanced quotes
        return None
    for start, word in enumerate(words):
        if _is_binary(word):
            end = start + 1
            while end < len(words) and words[end] not in _SHELL_OPERATORS:
                end += 1
            return words[start:end]
    return None


def _is_binary(word: object) -> bool:
    return isinstance(word, str) and word.rpartition("/")[2] == BINARY


def _image_is_binary(image: object) -> bool:
    if not isinstance(image, str):
        return False
    name = image.partition("@")[0]
    last = name.rpartition("/")[2]
    return last.partition(":")[0] == BINARY


def version_of(text: object) -> int | None:
    """The minor version named by ``v1.30.2`` (an image tag or kubernetesVersion)."""
    if not isinstance(text, str):
        return None
    match = _VERSION_RE.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def _image_version(image: object) -> int | None:
    if not isinstance(image, str):
        return None
    name = image.partition("@")[0]
    last = name.rpartition("/")[2]
    return version_of(last.partition(":")[2])


def _container_server(path: KeyPath, container: Mapping[str, Any], label: str) -> ApiServer | None:
    """The API server a container runs, with its flags, or None."""
    command = container.get("command")
    args = container.get("args")
    args_items: list[tuple[KeyPath, object]] = (
        [((*path, "args", i), a) for i, a in enumerate(args)] if isinstance(args, list) else []
    )
    version = _image_version(container.get("image"))
    if command is None:
        if not _image_is_binary(container.get("image")) or not args_items:
            return None
        occurrences, _ = parse_flags(args_items)
        return ApiServer(label, (*path, "args"), occurrences, version=version)
    if not isinstance(command, list) or not command:
        return None
    command_items: list[tuple[KeyPath, object]] = [
        ((*path, "command", i), c) for i, c in enumerate(command)
    ]
    if _is_binary(command[0]):
        occurrences, _ = parse_flags(command_items[1:] + args_items)
        return ApiServer(label, (*path, "command"), occurrences, version=version)
    return _shell_server(path, command_items + args_items, label, version)


def _shell_server(
    path: KeyPath, items: list[tuple[KeyPath, object]], label: str, version: int | None
) -> ApiServer | None:
    """An API server started by ``sh -c "... kube-apiserver --flag ..."``."""
    first = items[0][1]
    if not isinstance(first, str) or first.rpartition("/")[2] not in _SHELLS:
        return None
    for position, (script_path, script) in enumerate(items[1:], start=1):
        if not isinstance(script, str) or items[position - 1][1] != "-c":
            continue
        words = shell_words(script)
        if words is None:
            continue
        occurrences, _ = parse_flags([(script_path, w) for w in words[1:]], needles=True)
        # Extra items after the script are the script's $0, $1...: they reach the server
        # only through a variable, which makes the flags incomplete anyway.
        complete = not any("$" in w for w in words[1:])
        return ApiServer(label, (*path, "command"), occurrences, complete, version)
    return None


def _kubeadm_server(obj: K8sObject) -> ApiServer | None:
    if obj.kind != "ClusterConfiguration" or api_group(obj.api_version) != KUBEADM_GROUP:
        return None
    extra = get(obj.data, ("apiServer", "extraArgs"))
    occurrences: list[Occurrence] = []
    if isinstance(extra, dict):
        for key, value in extra.items():
            if isinstance(key, str) and isinstance(value, str | int | float | bool):
                text = str(value).lower() if isinstance(value, bool) else str(value)
                occurrences.append(Occurrence(key, text, ("apiServer", "extraArgs", key)))
    elif isinstance(extra, list):
        for index, entry in enumerate(extra):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            value = entry.get("value")
            if not isinstance(value, str | int | float | bool):
                value = ""
            text = str(value).lower() if isinstance(value, bool) else str(value)
            where: KeyPath = ("apiServer", "extraArgs", index, "value")
            occurrences.append(Occurrence(entry["name"], text, where))
    anchor: KeyPath = ("apiServer", "extraArgs")
    return ApiServer(
        "ClusterConfiguration apiServer.extraArgs",
        anchor,
        occurrences,
        version=version_of(obj.data.get("kubernetesVersion")),
        defaults=KUBEADM_DEFAULTS,
        kubeadm="list" if _list_form(obj, extra) else "map",
    )


def _list_form(obj: K8sObject, extra: object) -> bool:
    """Whether kubeadm's extraArgs are (or would be written as) a list: v1beta4 on."""
    if isinstance(extra, list | dict):
        return isinstance(extra, list)
    return obj.api_version.rpartition("/")[2] not in ("v1beta1", "v1beta2", "v1beta3")


def api_servers(obj: K8sObject, ctx: Context) -> tuple[ApiServer, ...]:
    """Every API server the object configures (usually none), worked out once per object
    for the run's nine API server checks."""
    found: tuple[ApiServer, ...] = ctx.memo(
        f"api-servers:{id(obj)}", lambda: tuple(_api_servers(obj))
    )
    return found


def _api_servers(obj: K8sObject) -> Iterator[ApiServer]:
    kubeadm = _kubeadm_server(obj)
    if kubeadm is not None:
        yield kubeadm
        return
    if obj.kind not in POD_TEMPLATE_PATHS:
        return
    if obj.kind != "Pod" and obj.namespace != CONTROL_PLANE_NAMESPACE:
        return
    found = pod_spec(obj)
    if found is None:
        return
    for path, container in containers(*found):
        name = container.get("name")
        label = (
            f"container '{name}'" if isinstance(name, str) and name else f"container #{path[-1]}"
        )
        server = _container_server(path, container, label)
        if server is not None:
            yield server


#: Kinds that may configure an API server.
KINDS = API_SERVER_KINDS
