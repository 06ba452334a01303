"""Kyverno's CEL ``ValidatingPolicy``: what it adds to a ValidatingAdmissionPolicy, in plain
Python (no CEL is evaluated here).

A ``policies.kyverno.io`` ``ValidatingPolicy`` (``v1alpha1``, ``v1beta1`` or ``v1``) has the
fields of a Kubernetes ``ValidatingAdmissionPolicy`` (``matchConstraints``,
``matchConditions``, ``variables``, ``validations``, ``auditAnnotations``) and two things
kubelint must reproduce before it can judge manifests as Kyverno would.

Rules for pod controllers ("autogen")
-------------------------------------
Kyverno applies a policy written for Pods to the workloads that create Pods as well, by
generating one more policy per pod template shape (Kyverno's ``pkg/cel/autogen``):

- It happens only when ``matchConstraints`` selects Pods and nothing else: exactly one
  resource rule, with ``apiGroups: [""]``, ``apiVersions: ["v1"]``, ``resources: ["pods"]``
  and no ``resourceNames``; no ``excludeResourceRules``; a ``namespaceSelector`` or
  ``objectSelector`` with terms stops it (those select Pods, not their controllers).
- The controllers are ``spec.autogen.podControllers.controllers``, lower-case plural
  resources; when that field is absent (or null) all of them: ``daemonsets``,
  ``deployments``, ``replicasets``, ``statefulsets``, ``jobs`` (the "defaults" shape, pod
  template at ``spec.template``) and ``cronjobs`` (at ``spec.jobTemplate.spec.template``).
  ReplicationControllers are not among them (Kyverno's older ``ClusterPolicy`` autogen had
  them). Names Kyverno does not know are ignored.
- **Disabled** by ``controllers: []``: an empty list generates nothing. The
  ``pod-policies.kyverno.io/autogen-controllers`` annotation belongs to Kyverno's
  ``ClusterPolicy`` and is not read for CEL policies.
- Each generated policy is a copy of the spec whose ``matchConstraints`` selects the
  controllers (one resource rule per API group and version, with the operations of the
  Pod rule) and in which every text is rewritten, as Kyverno rewrites the policy's JSON:
  ``object.spec`` becomes ``object.spec.template.spec`` (CronJob:
  ``object.spec.jobTemplate.spec.template.spec``) and ``object.metadata`` the template's
  metadata; the same for ``oldObject``. So ``object.spec.containers`` reads the template's
  containers and ``object.metadata.labels`` the template's labels, in expressions,
  ``messageExpression``, variables, match conditions, even plain messages.
- ``object.metadata.name`` and ``object.metadata.namespace`` stay on the controller's own
  metadata (a pod template has neither; kyverno/kyverno#16038): the dotted, optional
  (``.?namespace``) and index (``['namespace']``) spellings.
- As in Kyverno, only the plain spelling is rewritten: ``object.?spec`` and
  ``object['spec']`` keep reading the controller. ``namespaceObject``, ``variables.object``
  and other names that merely end in ``object`` are not touched; nor are longer field
  names (``object.specs``), which Kyverno's plain text replacement would also change.

Kyverno-only libraries
----------------------
:func:`kyverno_only_functions` names the calls of Kyverno libraries that need a cluster, a
registry or the network (:data:`UNAVAILABLE`), so that a policy using them is reported as
not evaluable offline instead of passing silently. :data:`OFFLINE_FUNCTIONS` lists the
pure ones the CEL engine can provide.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kubelint.checks.admission import KYVERNO_KINDS

GROUP = "policies.kyverno.io"
KINDS = KYVERNO_KINDS

#: Pod template shapes: the replacements of the ``object.``/``oldObject.`` fields.
TEMPLATE_FIELDS: dict[str, dict[str, str]] = {
    "cronjobs": {
        "spec": "spec.jobTemplate.spec.template.spec",
        "metadata": "spec.jobTemplate.spec.template.metadata",
    },
    "defaults": {"spec": "spec.template.spec", "metadata": "spec.template.metadata"},
}
#: Controller resource -> (API group, version, kind, template shape).
CONTROLLERS: dict[str, tuple[str, str, str, str]] = {
    "cronjobs": ("batch", "v1", "CronJob", "cronjobs"),
    "daemonsets": ("apps", "v1", "DaemonSet", "defaults"),
    "deployments": ("apps", "v1", "Deployment", "defaults"),
    "jobs": ("batch", "v1", "Job", "defaults"),
    "replicasets": ("apps", "v1", "ReplicaSet", "defaults"),
    "statefulsets": ("apps", "v1", "StatefulSet", "defaults"),
}

_FIELD = re.compile(r"(?<![\w.])(object|oldObject)\.(spec|metadata)(?!\w)")
#: After ``object.metadata``: the controller's own name or namespace, in any spelling.
_OWN_FIELD = re.compile(
    r"""\.\??(?:name|namespace)(?!\w)"""
    r"""|\[\s*\??\s*[rR]?('''|\"\"\"|'|")(?:name|namespace)\1\s*\]"""
)


def is_kyverno_policy(data: Any) -> bool:
    """Whether ``data`` is a Kyverno CEL ``ValidatingPolicy`` (any version of the group)."""
    if not isinstance(data, Mapping):
        return False
    api_version, kind = data.get("apiVersion"), data.get("kind")
    if not isinstance(api_version, str) or kind not in KINDS:
        return False
    return api_version.rpartition("/")[0] == GROUP


def can_autogen(match_constraints: Any) -> bool:
    """Whether Kyverno generates controller rules for a policy with these constraints."""
    if not isinstance(match_constraints, Mapping):
        return False
    for selector in ("namespaceSelector", "objectSelector"):
        value = match_constraints.get(selector)
        if isinstance(value, Mapping) and (
            value.get("matchLabels") or value.get("matchExpressions")
        ):
            return False
    if match_constraints.get("excludeResourceRules"):
        return False
    rules = match_constraints.get("resourceRules")
    if not isinstance(rules, list) or len(rules) != 1 or not isinstance(rules[0], Mapping):
        return False
    rule = rules[0]
    return (
        not rule.get("resourceNames")
        and rule.get("apiGroups") == [""]
        and rule.get("apiVersions") == ["v1"]
        and rule.get("resources") == ["pods"]
    )


def autogen_controllers(spec: Mapping[str, Any]) -> frozenset[str] | None:
    """The controllers named by ``spec.autogen.podControllers.controllers`` (all when not
    set); None when a field on the way is malformed (the API server would refuse it)."""
    value: Any = spec
    for key in ("autogen", "podControllers", "controllers"):
        if value is None:
            break
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    if value is None:
        return frozenset(CONTROLLERS)
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        return None
    return frozenset(value)


def autogen(policy_data: Any) -> list[dict[str, Any]]:
    """The policies Kyverno generates for pod controllers from a policy on Pods.

    One entry per template shape, ``cronjobs`` before ``defaults`` (Kyverno's order):
    ``{"config": shape, "targets": [{"group", "version", "resource", "kind"}, ...],
    "spec": rewritten spec}``. Empty when autogen does not apply, is disabled, or the
    policy is malformed; never raises.
    """
    if not is_kyverno_policy(policy_data):
        return []
    spec = policy_data.get("spec")
    if not isinstance(spec, Mapping) or not can_autogen(spec.get("matchConstraints")):
        return []
    controllers = autogen_controllers(spec)
    operations = spec["matchConstraints"]["resourceRules"][0].get("operations")
    generated: list[dict[str, Any]] = []
    for config in sorted(TEMPLATE_FIELDS):
        targets = [
            {"group": group, "version": version, "resource": resource, "kind": kind}
            for resource, (group, version, kind, shape) in sorted(CONTROLLERS.items())
            if shape == config and resource in (controllers or ())
        ]
        if not targets:
            continue
        rewritten = rewrite(dict(spec), config)
        rewritten["matchConstraints"] = _match_constraints(targets, operations)
        generated.append({"config": config, "targets": targets, "spec": rewritten})
    return generated


def _match_constraints(targets: list[dict[str, str]], operations: Any) -> dict[str, Any]:
    """Resource rules for the targets, one per API group and version (sorted)."""
    by_group: dict[tuple[str, str], list[str]] = {}
    for target in targets:
        by_group.setdefault((target["group"], target["version"]), []).append(target["resource"])
    rules = [
        {
            "apiGroups": [group],
            "apiVersions": [version],
            "resources": sorted(resources),
            "operations": list(operations) if isinstance(operations, list) else [],
        }
        for (group, version), resources in sorted(by_group.items())
    ]
    return {"resourceRules": rules}


def rewrite(value: Any, config: str) -> Any:
    """``value`` (a spec, a list, a text) with every text rewritten for a template shape
    (``defaults`` or ``cronjobs``, see :data:`TEMPLATE_FIELDS`)."""
    if isinstance(value, str):
        return rewrite_expression(value, config)
    if isinstance(value, dict):
        return {key: rewrite(item, config) for key, item in value.items()}
    if isinstance(value, list):
        return [rewrite(item, config) for item in value]
    return value


def rewrite_expression(text: str, config: str) -> str:
    """``text`` with ``object.spec``/``object.metadata`` (and ``oldObject``'s) moved into
    the pod template of shape ``config``; the controller's own name and namespace stay."""
    fields = TEMPLATE_FIELDS[config]

    def replace(found: re.Match[str]) -> str:
        root, field = found.group(1), found.group(2)
        if field == "metadata" and _OWN_FIELD.match(text, found.end()):
            return found.group(0)
        return f"{root}.{fields[field]}"

    return _FIELD.sub(replace, text)


#: Kyverno library calls that need a cluster, an image registry or the network (or, for
#: x509, a decoder kubelint does not have): receiver -> methods.
UNAVAILABLE: dict[str, frozenset[str]] = {
    "resource": frozenset({"Get", "List", "Post"}),
    "http": frozenset({"Get", "Post", "Client"}),
    "globalContext": frozenset({"Get"}),
    "image": frozenset({"GetMetadata"}),  # the image data library (registry look-up)
    "imagedata": frozenset({"Get", "GetMetadata"}),  # its earlier name
    "x509": frozenset({"decode"}),
    "generator": frozenset({"Apply"}),
}

#: Kyverno library functions that need nothing outside the expression: the engine can
#: provide them offline (name -> what it does).
OFFLINE_FUNCTIONS: dict[str, str] = {
    "image(ref) / parseImageReference(ref)": "parse an image reference; .registry(), "
    ".repository(), .identifier(), .tag(), .digest(), .containsDigest()",
    "isImage(ref)": "whether a string parses as an image reference",
    "math.round(double, int)": "round to the given number of decimal places",
    "json.unmarshal(string)": "parse a JSON text into a value",
    "base64.encode / base64.decode": "the CEL encoders extension",
    "sha1 / sha256 / md5": "hex digests of a string (hash library)",
    "listObjToMap(list, list, key, value)": "merge two lists of objects into a map",
    "parseServiceAccount(username)": "namespace and name of a service account user",
    "time.now / time.truncate / time.toCron": "clock-dependent: the run's time",
    "random(pattern)": "non-deterministic: a random string",
}

_TOKENS = re.compile(
    r"""(?P<string>[rRbB]{0,2}(?:'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"|'(?:\\.|[^'\\\n])*'"""
    r"""|"(?:\\.|[^"\\\n])*"))"""
    r"""|(?P<call>(?<![\w.])(?P<receiver>[A-Za-z_]\w*)\s*\.\s*(?P<method>[A-Za-z_]\w*)\s*\()"""
)


def kyverno_only_functions(expression: str) -> set[str]:
    """The Kyverno library calls in ``expression`` that cannot be evaluated offline, as
    ``receiver.Method`` (``resource.Get``, ``image.GetMetadata``...). Text inside string
    literals and fields of other values (``container.image.startsWith``) do not count."""
    found: set[str] = set()
    for match in _TOKENS.finditer(expression):
        receiver, method = match.group("receiver"), match.group("method")
        if receiver is None or _after_dot(expression, match.start("call")):
            continue
        if method in UNAVAILABLE.get(receiver, ()):
            found.add(f"{receiver}.{method}")
    return found


def _after_dot(expression: str, index: int) -> bool:
    """Whether the identifier at ``index`` is a field (``a.b``, ``a. b``, ``a.?b``)."""
    before = expression[:index].rstrip()
    return before.endswith(".") or before.endswith(".?")
