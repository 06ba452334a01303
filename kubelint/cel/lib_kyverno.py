"""The pure parts of Kyverno's CEL libraries, for Kyverno's own policies only.

Kyverno's ValidatingPolicy adds these to the Kubernetes environment (kyverno/kyverno,
``pkg/cel/libs``); kubelint provides the ones that need nothing outside the expression,
with Kyverno's semantics:

* user: ``parseServiceAccount(username)`` -> ``{Namespace, Name}``;
* image: ``parseImageReference(ref)`` (and its deprecated alias ``image(ref)``),
  ``isImage(ref)``, and on an image ``registry()``, ``repository()``, ``identifier()``,
  ``tag()``, ``digest()``, ``containsDigest()``. Kyverno parses references with
  go-containerregistry's lenient rules, not the stricter grammar of the container
  runtimes: an image without a registry host comes from ``index.docker.io`` (``docker.io``
  is rewritten to it), a one-part Docker Hub name sits under ``library/``, a reference
  without a tag or digest has the tag ``latest``, and one with both a tag and a digest is
  a digest reference whose tag is dropped. The first path component is a registry host
  only when it holds a ``.`` or a ``:`` (so ``localhost/app`` is a Docker Hub image);
* math: ``math.round(double, int)``, rounding half away from zero at that many decimal
  places (negative places round to tens, hundreds...);
* json: ``json.unmarshal(text)``, as Go's ``encoding/json`` decodes into ``any``: every
  number becomes a double;
* yaml: ``yaml.parse(text)``, as ``sigs.k8s.io/yaml`` decodes into ``any``: the first
  document only, YAML 1.1 scalars as go-yaml v2 reads them (``yes``, ``on`` and ``y`` are
  true; timestamps stay strings), then through JSON (numbers become doubles, keys
  strings; infinities and NaN are errors);
* hash: ``sha1(s)``, ``sha256(s)``, ``md5(s)``: the lower-case hex digest of the UTF-8
  text;
* transform: ``listObjToMap(keys, values, keyField, valueField)``.

The calls that need a cluster, a registry or the network (``resource.Get``, ``http.Get``,
``image.GetMetadata``, ``globalContext.Get``...), the clock (``time``), chance
(``random``) or a decoder kubelint does not carry (``x509.decode``, ``gzip``,
``jmespath``) are not declared, so a policy using them is reported as not evaluable
offline. ``image(...)`` being a function does not make ``image.GetMetadata(...)`` one:
the receiver ``image`` stays an undeclared name.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import re
import string
import struct
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import yaml

from kubelint.cel.lib_common import Function, NoOverload, expect, tagged

_PREFIX = "system:serviceaccount:"


def parse_service_account(username: Any) -> dict[str, str]:
    """``system:serviceaccount:<namespace>:<name>`` -> ``{Namespace, Name}``; another user
    gives empty fields, as Kyverno's library does."""
    if not isinstance(username, str):
        raise NoOverload("parseServiceAccount", username)
    if username.startswith(_PREFIX):
        namespace, _, name = username[len(_PREFIX) :].partition(":")
        if namespace and name and ":" not in name:
            return {"Namespace": namespace, "Name": name}
    return {"Namespace": "", "Name": ""}


# --- image references ---------------------------------------------------------------

#: The Kubernetes type name of a parsed image reference (a tagged map).
IMAGE = "kyverno.image"
#: Where an image without a registry host comes from, as go-containerregistry names it.
DOCKER_HUB = "index.docker.io"
_DOCKER_HUB_ALIAS = "docker.io"
_REPOSITORY_CHARS = frozenset(string.ascii_lowercase + string.digits + "_-./")
_TAG_CHARS = frozenset(string.ascii_letters + string.digits + "_-.")
#: go-containerregistry accepts only ``sha256:`` and 64 characters of these.
_DIGEST_CHARS = frozenset("sh:0123456789abcdef")
_DIGEST_LENGTH = len("sha256:") + 64
#: ASCII characters Go's URL parser leaves unescaped in a host (RFC 3986 reg-name,
#: sub-delims, the port colon and a few more it tolerates).
_HOST_ASCII = frozenset(string.ascii_letters + string.digits + "-._~!$&'()*+,;=:<>\"")
_PORT = re.compile(r"(?::[0-9]*)?")


class BadReference(ValueError):
    """A string that is not an image reference by go-containerregistry's rules."""


def _check(what: str, text: str, allowed: frozenset[str], least: int, most: int) -> None:
    if not least <= len(text) <= most:
        raise BadReference(f"{what} must be between {least} and {most} characters: {text!r}")
    if not set(text) <= allowed:
        raise BadReference(f"{what} has a character outside {''.join(sorted(allowed))}: {text!r}")


def _valid_authority(host: str) -> bool:
    """Whether Go's URL parser reads ``//host`` back as exactly that host and port."""
    if not host:
        return True
    if host.startswith("["):
        end = host.find("]")
        if end < 0 or not _PORT.fullmatch(host[end + 1 :]):
            return False
        try:
            ipaddress.IPv6Address(host[1:end])
        except ValueError:
            return False
        return True
    if "[" in host or "]" in host:
        return False
    colon = host.rfind(":")
    if colon >= 0 and not _PORT.fullmatch(host[colon:]):
        return False
    return all(ch in _HOST_ASCII or ord(ch) > 0x7F for ch in host)


def _repository(name: str) -> tuple[str, str]:
    """(registry, repository) of a name without tag or digest."""
    if not name:
        raise BadReference("a repository name must be specified")
    first, slash, rest = name.partition("/")
    registry, repository = "", name
    if slash and ("." in first or ":" in first):
        registry, repository = first, rest
    _check("repository", repository, _REPOSITORY_CHARS, 2, 255)
    if not _valid_authority(registry):
        raise BadReference(f"registry is not a valid URI authority: {registry!r}")
    if registry in ("", _DOCKER_HUB_ALIAS):
        registry = DOCKER_HUB
    if registry == DOCKER_HUB and "/" not in repository:
        repository = f"library/{repository}"
        _check("repository", repository, _REPOSITORY_CHARS, 2, 255)
    return registry, repository


def _as_tag(text: str) -> tuple[str, str, str]:
    base, tag = text, ""
    head, colon, last = text.rpartition(":")
    if colon and "/" not in last:  # not the port of a registry host
        base, tag = head, last
    if tag:
        _check("tag", tag, _TAG_CHARS, 1, 127)
    registry, repository = _repository(base)
    return registry, repository, tag or "latest"


def _as_digest(text: str) -> tuple[str, str, str]:
    parts = text.split("@")
    if len(parts) != 2:
        raise BadReference("a digest reference holds exactly one '@'")
    base, digest = parts
    _check("digest", digest, _DIGEST_CHARS, _DIGEST_LENGTH, _DIGEST_LENGTH)
    try:
        registry, repository, _ = _as_tag(base)
        base = f"{registry}/{repository}"  # a tag beside the digest is dropped
    except BadReference:
        pass
    registry, repository = _repository(base)
    return registry, repository, digest


def parse_image_reference(text: Any) -> dict[str, Any]:
    """An image value (a tagged map); an error for a string that is no reference."""
    if not isinstance(text, str):
        raise NoOverload("parseImageReference", text)
    if text.startswith(("http://", "https://")):
        raise BadReference(f"could not parse reference: {text}: it has a URL scheme")
    try:
        registry, repository, tag = _as_tag(text)
        digest = ""
    except BadReference:
        try:
            registry, repository, digest = _as_digest(text)
            tag = ""
        except BadReference:
            raise BadReference(f"could not parse reference: {text}") from None
    return tagged(
        IMAGE,
        reference=text,
        registry=registry,
        repository=repository,
        tag=tag,
        digest=digest,
        identifier=digest or tag,
    )


def is_image(text: Any) -> bool:
    """Whether :func:`parse_image_reference` accepts ``text``."""
    if not isinstance(text, str):
        raise NoOverload("isImage", text)
    try:
        parse_image_reference(text)
    except BadReference:
        return False
    return True


def _image_field(field: str, function: str) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        return str(expect(value, IMAGE, function)[field])

    read.__doc__ = f"The image's {field} (empty when it has none)."
    return read


def contains_digest(value: Any) -> bool:
    """Whether the image is named by digest."""
    return bool(expect(value, IMAGE, "containsDigest")["digest"])


# --- math -------------------------------------------------------------------------------


def _round_half_away(value: float) -> float:
    """Go's ``math.Round``: the nearest integer, halves away from zero, sign kept."""
    if not math.isfinite(value) or abs(value) >= 2.0**52:
        return value
    whole = float(math.trunc(value))
    if abs(value - whole) >= 0.5:
        whole += math.copysign(1.0, value)
    return math.copysign(whole, value)


def math_round(value: Any, places: Any) -> float:
    """``value`` rounded half away from zero to ``places`` decimal places, computed as
    Kyverno does: ``Round(value * 10^places) / 10^places`` in IEEE doubles."""
    if not isinstance(value, float) or isinstance(places, bool) or not isinstance(places, int):
        raise NoOverload("math.round", value, places)
    try:
        shift = 10.0**places
    except OverflowError:
        shift = math.inf
    rounded = _round_half_away(value * shift)
    if shift == 0.0:  # 10^places underflowed: 0/0 in IEEE arithmetic
        return math.nan
    return rounded / shift


# --- json and yaml ----------------------------------------------------------------------

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_number(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"cannot unmarshal number {text} into a float64")
    return number


def _reject_constant(text: str) -> float:
    raise ValueError(f"invalid character in JSON: {text}")


def _valid_text(value: Any) -> Any:
    """``value`` with lone UTF-16 surrogates (from ``\\ud800`` escapes) replaced by
    U+FFFD, as Go's decoder does: CEL strings hold valid Unicode only."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_valid_text(item) for item in value]
    if isinstance(value, dict):
        return {_valid_text(k): _valid_text(v) for k, v in value.items()}
    return value


def json_unmarshal(text: Any) -> Any:
    """The value a JSON text holds; every number a double. An error for text that is not
    JSON (including ``NaN``/``Infinity`` and numbers beyond a double)."""
    if not isinstance(text, str):
        raise NoOverload("json.unmarshal", text)
    try:
        value = json.loads(
            text,
            parse_int=_json_number,
            parse_float=_json_number,
            parse_constant=_reject_constant,
        )
        return _valid_text(value)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"json.unmarshal: {exc}") from None


#: Plain scalars go-yaml v2 reads as something other than a string.
_YAML_WORDS: dict[str, Any] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "on", "On", "ON"), True),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "off", "Off", "OFF"), False),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?")
_GO_INT = re.compile(
    r"(?P<sign>[-+]?)(?:0[xX](?P<hex>[0-9a-fA-F]+)|0[oO](?P<oct>[0-7]+)|0[bB](?P<bin>[01]+)"
    r"|0(?P<legacy>[0-7]+)|(?P<dec>[0-9]+))"
)


def _go_int(text: str) -> int | None:
    """Go's ``ParseInt(text, 0, 64)``, else ``ParseUint``: None when neither accepts it."""
    found = _GO_INT.fullmatch(text)
    if found is None:
        return None
    bases = {"hex": 16, "oct": 8, "bin": 2, "legacy": 8, "dec": 10}
    group = next(name for name in bases if found.group(name) is not None)
    number = int(found.group(group), bases[group])
    if found.group("sign") == "-":
        number = -number
    if -(2**63) <= number < 2**64 and not (number >= 2**63 and found.group("sign")):
        return number
    return None


def _yaml_scalar(text: str) -> Any:
    """A plain (unquoted, untagged) scalar as go-yaml v2 resolves it."""
    if text in _YAML_WORDS:
        return _YAML_WORDS[text]
    if text.startswith(".") and _DOT_FLOAT.fullmatch(text):
        number = float(text)
        return text if math.isinf(number) else number
    if not text or text[0] not in "+-0123456789":
        return text
    plain = text.replace("_", "")
    integer = _go_int(plain)
    if integer is not None:
        return integer
    if _YAML_FLOAT.fullmatch(plain) and not math.isinf(float(plain)):
        return float(plain)
    return text  # a timestamp, a version, a port range...: a string


#: The tag the loader gives plain (unquoted, untagged) scalars, resolved as go-yaml does.
_PLAIN = "tag:kubelint,2025:go-yaml-plain"


class _GoYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader reading plain scalars as go-yaml v2 does; an explicit tag
    (``!!str 12``) still decides."""

    def construct_go_plain(self, node: yaml.Node) -> Any:
        return _yaml_scalar(str(node.value))

    def construct_go_timestamp(self, node: yaml.Node) -> str:
        """An explicit ``!!timestamp`` stays text too: go-yaml v2 gives ``any`` a string."""
        return str(node.value)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        """A mapping whose keys are already the JSON names sigs.k8s.io/yaml gives them, so
        that ``1``, ``1.0`` and ``true`` stay three keys (Python would merge them)."""
        self.flatten_mapping(node)
        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            key = _yaml_key(self.construct_object(key_node, deep=deep))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


# PyYAML's YAML 1.1 resolvers are replaced: merge keys stay, every other plain scalar
# goes to construct_go_plain.
_GoYamlLoader.yaml_implicit_resolvers = {}
_GoYamlLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^<<$"), ["<"])
_GoYamlLoader.add_implicit_resolver(_PLAIN, re.compile(r"(?s).*"), None)
_GoYamlLoader.add_constructor(_PLAIN, _GoYamlLoader.construct_go_plain)
_GoYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _GoYamlLoader.construct_go_timestamp)

#: The most values a parsed YAML text may expand to (aliases can multiply them).
YAML_BUDGET = 100_000


def _float32_key(value: float) -> str:
    """Go's ``FormatFloat(value, 'g', -1, 32)``, as sigs.k8s.io/yaml names a float key."""
    try:
        single = struct.unpack("f", struct.pack("f", value))[0] if math.isfinite(value) else value
    except OverflowError:
        single = math.copysign(math.inf, value)
    if math.isnan(single):
        return ".nan"
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    if single == 0.0:
        return "-0" if math.copysign(1.0, single) < 0 else "0"
    for places in range(9):
        text = f"{single:.{places}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            break
    mantissa, _, exponent = text.partition("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits, power = mantissa.lstrip("-").replace(".", ""), int(exponent)
    if power < -4 or power >= 6:
        fraction = f".{digits[1:]}" if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{fraction}e{'-' if power < 0 else '+'}{abs(power):02d}"
    point = power + 1
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _yaml_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int) and -(2**63) <= key < 2**63:
        return str(key)
    if isinstance(key, float):
        return _float32_key(key)
    raise ValueError(f"unsupported map key: {key!r}")


def _as_json(value: Any, budget: list[int]) -> Any:
    """``value`` as it comes back from a JSON round trip (numbers as doubles)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError(f"the document expands to more than {YAML_BUDGET} values")
    if isinstance(value, str) and _LONE_SURROGATE.search(value):
        raise ValueError("found invalid Unicode character escape code")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"unsupported value: {value}")
        return number
    if isinstance(value, bytes):  # !!binary: JSON carries bytes as base64
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, list):
        return [_as_json(item, budget) for item in value]
    if isinstance(value, dict):
        return {_yaml_key(k): _as_json(v, budget) for k, v in value.items()}
    raise ValueError(f"unsupported value of type {type(value).__name__}")


def yaml_parse(text: Any) -> Any:
    """The value the first YAML document of ``text`` holds (null when there is none)."""
    if not isinstance(text, str):
        raise NoOverload("yaml.parse", text)
    loader = _GoYamlLoader(text)
    try:
        node = loader.get_node() if loader.check_node() else None
        value = loader.construct_document(node) if node is not None else None
        return _as_json(value, [YAML_BUDGET])
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise ValueError(f"yaml.parse: {_first_line(exc)}") from None
    finally:
        loader.dispose()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- hash and transform -----------------------------------------------------------------


def _hasher(name: str) -> Callable[[Any], str]:
    def digest(text: Any) -> str:
        if not isinstance(text, str):
            raise NoOverload(name, text)
        return hashlib.new(name, text.encode("utf-8", "surrogatepass")).hexdigest()

    digest.__doc__ = f"The lower-case hex {name} digest of the UTF-8 text."
    return digest


def _string_keyed(value: Any, problem: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise ValueError(problem)
    return value


def list_obj_to_map(
    keys: Sequence[Any], values: Sequence[Any], key_field: Any, value_field: Any
) -> dict[str, Any]:
    """``{keys[i][key_field]: values[i][value_field]}``: each key must be a string, a
    missing value field gives null, a later key replaces an earlier one."""
    if not isinstance(key_field, str) or not isinstance(value_field, str):
        raise NoOverload("listObjToMap", keys, values, key_field, value_field)
    if len(keys) != len(values):
        raise ValueError(
            f"listObjToMap must take lists of equal length: {len(keys)} and {len(values)}"
        )
    result: dict[str, Any] = {}
    for entry, other in zip(keys, values, strict=True):
        key = _string_keyed(entry, "listObjToMap: a key entry is not an object").get(key_field)
        if not isinstance(key, str):
            raise ValueError(f"listObjToMap: the key field {key_field!r} is not a string")
        found = _string_keyed(other, "listObjToMap: a value entry is not an object")
        result[key] = found.get(value_field)
    return result


def _image_member(name: str, result: str, impl: Callable[[Any], Any]) -> Function:
    return Function(name, f"kyverno_image_{name}", result, ("dyn",), impl, member=True)


FUNCTIONS: tuple[Function, ...] = (
    Function(
        "parseServiceAccount",
        "kyverno_parse_service_account",
        "map",
        ("string",),
        parse_service_account,
    ),
    Function(
        "parseImageReference", "kyverno_parse_image", "dyn", ("string",), parse_image_reference
    ),
    Function("image", "kyverno_image", "dyn", ("string",), parse_image_reference),
    Function("isImage", "kyverno_is_image", "bool", ("string",), is_image),
    _image_member("registry", "string", _image_field("registry", "registry")),
    _image_member("repository", "string", _image_field("repository", "repository")),
    _image_member("identifier", "string", _image_field("identifier", "identifier")),
    _image_member("tag", "string", _image_field("tag", "tag")),
    _image_member("digest", "string", _image_field("digest", "digest")),
    _image_member("containsDigest", "bool", contains_digest),
    Function("math.round", "kyverno_math_round", "double", ("double", "int"), math_round),
    Function("json.unmarshal", "kyverno_json_unmarshal", "dyn", ("string",), json_unmarshal),
    Function("yaml.parse", "kyverno_yaml_parse", "dyn", ("string",), yaml_parse),
    Function("sha1", "kyverno_sha1", "string", ("string",), _hasher("sha1")),
    Function("sha256", "kyverno_sha256", "string", ("string",), _hasher("sha256")),
    Function("md5", "kyverno_md5", "string", ("string",), _hasher("md5")),
    Function(
        "listObjToMap",
        "kyverno_list_obj_to_map",
        "map",
        ("list", "list", "string", "string"),
        list_obj_to_map,
    ),
)
