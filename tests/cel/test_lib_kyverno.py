"""Kyverno's pure CEL libraries, checked against Kyverno's documentation ("CEL Libraries",
kyverno.io/docs/policy-types/cel-libraries/), the examples of its library tests
(kyverno/kyverno pkg/cel/libs/*) and the Go code they stand on: go-containerregistry's
``pkg/name`` for image references, Go's ``math.Round``, ``encoding/json`` and go-yaml v2's
scalar resolution (through sigs.k8s.io/yaml) for the decoders, and the published test
vectors of SHA-1, SHA-256 (FIPS 180) and MD5 (RFC 1321)."""

from __future__ import annotations

import json
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.cel.engine import CompileError, EvalError, compile_expression

OBJECT = ("object",)
KYVERNO = ("kyverno",)
DIGEST = "sha256:6aefddb645ee6963afd681b1845c661d0ea4c3b20ab9db86d9e753b203d385f2"
K8S_IMAGE = "registry.k8s.io/kube-apiserver-arm64"


def run(expression: str, obj: Any = None) -> Any:
    program = compile_expression(expression, OBJECT, KYVERNO)
    return program.evaluate({"object": {} if obj is None else obj})


def table(*rows: tuple[str, Any]) -> Any:
    return pytest.mark.parametrize(("expression", "expected"), rows, ids=[r[0] for r in rows])


def assert_error(expression: str, fragment: str = "") -> None:
    result = run(expression)
    assert isinstance(result, EvalError), result
    assert fragment in result.message


def image_parts(reference: str) -> list[str]:
    """[registry, repository, tag, digest, identifier] of a reference, read through CEL."""
    parts = run(
        f"[parseImageReference({json.dumps(reference)})].map(i, "
        "[i.registry(), i.repository(), i.tag(), i.digest(), i.identifier()])[0]"
    )
    assert isinstance(parts, list), parts
    return parts


# Kyverno's image library tests (pkg/cel/libs/image/lib_test.go) and the documentation's
# table ("Image library").
@table(
    (f"parseImageReference('{K8S_IMAGE}:latest').registry()", "registry.k8s.io"),
    (f"isImage('{K8S_IMAGE}:latest')", True),
    (f"isImage('{K8S_IMAGE}:@')", False),
    (f"parseImageReference('{K8S_IMAGE}').containsDigest()", False),
    (f"parseImageReference('{K8S_IMAGE}:latest').containsDigest()", False),
    (f"parseImageReference('{K8S_IMAGE}@{DIGEST}').containsDigest()", True),
    (f"parseImageReference('{K8S_IMAGE}:latest@{DIGEST}').containsDigest()", True),
    (f"parseImageReference('{K8S_IMAGE}').registry() == 'registry.k8s.io'", True),
    (
        f"parseImageReference('{K8S_IMAGE}').registry().matches('(registry.k8s.io|ghcr.io)')",
        True,
    ),
    (f"parseImageReference('{K8S_IMAGE}').repository()", "kube-apiserver-arm64"),
    (f"parseImageReference('{K8S_IMAGE}:testtag').identifier()", "testtag"),
    (f"parseImageReference('{K8S_IMAGE}').identifier()", "latest"),
    (f"parseImageReference('{K8S_IMAGE}@{DIGEST}').identifier()", DIGEST),
    (f"parseImageReference('{K8S_IMAGE}:latest@{DIGEST}').identifier()", DIGEST),
    (f"parseImageReference('{K8S_IMAGE}:testtag').tag()", "testtag"),
    (f"parseImageReference('{K8S_IMAGE}').tag()", "latest"),
    (f"parseImageReference('{K8S_IMAGE}@{DIGEST}').tag()", ""),
    (f"parseImageReference('{K8S_IMAGE}').digest()", ""),
    (f"parseImageReference('{K8S_IMAGE}:testtag').digest()", ""),
    (f"parseImageReference('{K8S_IMAGE}@{DIGEST}').digest()", DIGEST),
    (f"parseImageReference('{K8S_IMAGE}:latest@{DIGEST}').digest() == '{DIGEST}'", True),
    # The deprecated alias, as the documentation's table writes it.
    ("image('nginx:latest').repository()", "library/nginx"),
    ("image('nginx:latest').identifier()", "latest"),
    ("image('nginx:latest').tag()", "latest"),
    ("isImage('nginx:latest')", True),
    ("image('nginx:latest') == parseImageReference('nginx:latest')", True),
)
def test_image_library_examples(expression: str, expected: Any) -> None:
    assert run(expression) == expected


# go-containerregistry's defaults: Docker Hub is index.docker.io (docker.io is rewritten
# to it: the documentation's "e.g., docker.io" is loose), one-part Docker Hub names sit
# under library/, the first component is a host only with a '.' or a ':'.
@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("nginx", ["index.docker.io", "library/nginx", "latest", "", "latest"]),
        ("nginx:1.25", ["index.docker.io", "library/nginx", "1.25", "", "1.25"]),
        ("docker.io/nginx", ["index.docker.io", "library/nginx", "latest", "", "latest"]),
        ("index.docker.io/nginx", ["index.docker.io", "library/nginx", "latest", "", "latest"]),
        ("bitnami/redis:7", ["index.docker.io", "bitnami/redis", "7", "", "7"]),
        ("localhost/app", ["index.docker.io", "localhost/app", "latest", "", "latest"]),
        ("localhost:5000/app", ["localhost:5000", "app", "latest", "", "latest"]),
        ("quay.io/app:v1", ["quay.io", "app", "v1", "", "v1"]),
        ("ghcr.io/kyverno/kyverno:v1.14", ["ghcr.io", "kyverno/kyverno", "v1.14", "", "v1.14"]),
        ("[::1]:5000/app", ["[::1]:5000", "app", "latest", "", "latest"]),
        (f"nginx:1.25@{DIGEST}", ["index.docker.io", "library/nginx", "", DIGEST, DIGEST]),
        ("nginx:", ["index.docker.io", "library/nginx", "latest", "", "latest"]),
        ("app:" + "t" * 127, ["index.docker.io", "library/app", "t" * 127, "", "t" * 127]),
    ],
)
def test_image_defaults(reference: str, expected: list[str]) -> None:
    assert image_parts(reference) == expected


@pytest.mark.parametrize(
    "reference",
    [
        "",
        "a",  # a repository has at least two characters
        "Nginx",  # repositories are lower case
        "nginx:bad tag",
        "app:" + "t" * 128,  # tags hold at most 127 characters
        "nginx@sha256:abc",  # a digest is sha256: and 64 hex characters
        "nginx@sha512:" + "a" * 128,
        f"nginx@{DIGEST}@{DIGEST}",
        "http://registry.example.com/app",
        "registry.example.com:port/app",
        "registry example.com/app",
    ],
)
def test_not_an_image(reference: str) -> None:
    assert run(f"isImage({json.dumps(reference)})") is False
    assert_error(f"parseImageReference({json.dumps(reference)})", "could not parse reference")


def test_the_documented_registry_policy_reads_every_container() -> None:
    expression = (
        "object.spec.containers.map(c, image(c.image)).map(i, i.registry()).all(r, r == 'ghcr.io')"
    )
    pods = [
        ({"spec": {"containers": [{"image": "ghcr.io/a/b:1"}, {"image": "ghcr.io/cd"}]}}, True),
        ({"spec": {"containers": [{"image": "ghcr.io/a/b:1"}, {"image": "nginx"}]}}, False),
    ]
    for pod, expected in pods:
        assert run(expression, pod) is expected
    digests = "object.spec.containers.map(c, image(c.image)).all(i, i.containsDigest())"
    assert run(digests, {"spec": {"containers": [{"image": f"nginx@{DIGEST}"}]}}) is True
    assert run(digests, {"spec": {"containers": [{"image": "nginx:1"}]}}) is False


def test_image_methods_refuse_other_values() -> None:
    assert_error("'nginx'.registry()", "no such overload")
    assert_error("{'registry': 'x'}.tag()", "no such overload")
    assert_error("isImage(1)")
    assert_error("parseImageReference(1)")


@pytest.mark.parametrize(
    "expression",
    [
        "image.GetMetadata('nginx:1.21').config.os == 'linux'",
        "image.GetMetadata(object.spec.containers[0].image) != null",
        "image == null",
    ],
)
def test_image_data_library_stays_undeclared(expression: str) -> None:
    """``image(...)`` is a function; ``image`` as a receiver still names nothing, so the
    registry look-up is reported as not evaluable rather than answered."""
    with pytest.raises(CompileError) as raised:
        compile_expression(expression, OBJECT, KYVERNO)
    assert raised.value.undeclared


@pytest.mark.parametrize(
    "expression",
    [
        "resource.Get('v1', 'configmaps', 'default', 'x')",
        "http.Get('https://example.com')",
        "globalContext.Get('entry', '')",
        "x509.decode('pem')",
        "random()",
        "time.now()",
        "jmespath('a', object)",
    ],
)
def test_libraries_that_need_more_than_the_expression_are_undeclared(expression: str) -> None:
    with pytest.raises(CompileError) as raised:
        compile_expression(expression, OBJECT, KYVERNO)
    assert raised.value.undeclared


def test_kyverno_functions_are_for_kyverno_policies_only() -> None:
    for expression in ("isImage('nginx')", "sha256('a')", "json.unmarshal('1')"):
        with pytest.raises(CompileError) as raised:
            compile_expression(expression, OBJECT)
        assert raised.value.undeclared


# pkg/cel/libs/math: math.round(double, int) = Round(v * 10^p) / 10^p, Go's Round taking
# halves away from zero. The one-argument math.round of CEL's math extension stays.
@table(
    ("math.round(10.125, 2)", 10.13),
    ("math.round(10.125, 0)", 10.0),
    ("math.round(12345.6789, -2)", 12300.0),
    ("math.round(2.5, 0)", 3.0),
    ("math.round(-2.5, 0)", -3.0),
    ("math.round(0.5, 0)", 1.0),
    ("math.round(-0.25, 1)", -0.3),
    ("math.round(1.005, 2)", 1.0),  # 1.005 is 1.00499999999999989... as a double
    ("math.round(3.14159, 3)", 3.142),
    ("math.round(2.5)", 3.0),
)
def test_math_round(expression: str, expected: float) -> None:
    assert run(expression) == expected


def test_math_round_edges_follow_ieee_arithmetic() -> None:
    assert math.isnan(run("math.round(1.5, 400)"))  # Inf / Inf
    assert math.isnan(run("math.round(1.5, -400)"))  # 0 / 0
    assert run("math.round(-0.3, 0)") == 0.0
    assert math.copysign(1.0, run("math.round(-0.3, 0)")) == -1.0
    assert_error("math.round(1, 2)", "overload")  # an int is not a double in CEL


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_math_round_to_whole_numbers_takes_halves_away_from_zero(value: float) -> None:
    expected = float(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert run(f"math.round({value!r}, 0)") == expected


# pkg/cel/libs/json: Go's encoding/json into any, so every number is a double.
@table(
    ("json.unmarshal('{\"replicas\": 3}').replicas == 3", True),
    ("type(json.unmarshal('{\"replicas\": 3}').replicas) == double", True),
    ('json.unmarshal(\'{"foo":"bar"}\')', {"foo": "bar"}),
    ("json.unmarshal('[1, \"a\", true, null]')", [1.0, "a", True, None]),
    ("json.unmarshal(' \"text\" ')", "text"),
    ('json.unmarshal(\'{"a": 1, "a": 2}\').a', 2.0),  # the last duplicate wins
    ("json.unmarshal('\"\\\\u00e9\"')", "\u00e9"),
    ("json.unmarshal('\"\\\\ud800\"')", "\ufffd"),  # a lone surrogate becomes U+FFFD
    ('json.unmarshal(\'{"a": {"b": [1.5]}}\').a.b[0]', 1.5),
)
def test_json_unmarshal(expression: str, expected: Any) -> None:
    assert run(expression) == expected


@pytest.mark.parametrize(
    "text",
    ["", "{", "{a: 1}", "[1,]", "1 2", "NaN", "Infinity", "-Infinity", "1e400", "'x'"],
)
def test_json_unmarshal_refuses_what_go_refuses(text: str) -> None:
    assert_error(f"json.unmarshal({json.dumps(text)})", "json.unmarshal")


def test_json_unmarshal_nesting() -> None:
    """Moderate nesting reads back; nesting past Python's recursion limit is an error
    value, not a crash (Go would still decode it: it stops at 10000 levels)."""
    nested: list[Any] = []
    for _ in range(49):
        nested = [nested]
    assert run("json.unmarshal(object.text)", {"text": "[" * 50 + "]" * 50}) == nested
    result = run("json.unmarshal(object.text)", {"text": "[" * 5000 + "]" * 5000})
    assert isinstance(result, EvalError)
    assert "json.unmarshal" in result.message


def json_values(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    texts = st.text(alphabet, max_size=20)
    scalars = (
        st.none()
        | st.booleans()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.integers(-(2**53), 2**53)
        | texts
    )
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(alphabet, max_size=8), children, max_size=4)
        ),
        max_leaves=20,
    )


# The engine cuts strings at a NUL character (cel-expr-python), whatever the library.
JSON = json_values(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
# What YAML lets stand in a double-quoted scalar: printable characters that are not line
# breaks (YAML counts U+2028 and U+2029 as breaks).
YAML_SAFE = json_values(st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp")))


def _as_doubles(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        return [_as_doubles(v) for v in value]
    return {k: _as_doubles(v) for k, v in value.items()}


@settings(max_examples=100, deadline=None)
@given(JSON)
def test_json_unmarshal_reads_back_any_json_text(value: Any) -> None:
    text = json.dumps(value)
    assert run("json.unmarshal(object.text)", {"text": text}) == _as_doubles(value)


@settings(max_examples=100, deadline=None)
@given(YAML_SAFE)
def test_yaml_parse_reads_json_texts_as_json_unmarshal_does(value: Any) -> None:
    """A JSON text is YAML flow style: both decoders give the same value."""
    text = json.dumps(value, ensure_ascii=False)
    assert run("yaml.parse(object.text)", {"text": text}) == _as_doubles(value)


# pkg/cel/libs/yaml: sigs.k8s.io/yaml into any: go-yaml v2 scalars, then through JSON.
KYVERNO_YAML = """
species:
  dog: lab
  name: dory
  isGoodBoi: false
snacks:
- chimken
- fries
- pizza
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            KYVERNO_YAML,
            {
                "species": {"dog": "lab", "name": "dory", "isGoodBoi": False},
                "snacks": ["chimken", "fries", "pizza"],
            },
        ),
        ("", None),
        ("42", 42.0),
        ("- a\n- b\n- c\n", ["a", "b", "c"]),
        (
            "a: yes\nb: on\nc: y\nd: No\ne: OFF\nf: n",
            dict(a=True, b=True, c=True, d=False, e=False, f=False),
        ),
        ("a: 'yes'\nb: \"on\"", {"a": "yes", "b": "on"}),
        ("a: ~\nb: null\nc:", {"a": None, "b": None, "c": None}),
        (
            "a: 0x1F\nb: 017\nc: 0o17\nd: 0b101\ne: 1_000\nf: +7",
            dict(a=31.0, b=15.0, c=15.0, d=5.0, e=1000.0, f=7.0),
        ),
        ("a: 08\nb: 1e3\nc: .5\nd: -1.5\ne: 1.", dict(a=8.0, b=1000.0, c=0.5, d=-1.5, e=1.0)),
        (
            "a: 2001-12-14\nb: 1.2.3\nc: 190:20:30\nd: 1e400",
            dict(a="2001-12-14", b="1.2.3", c="190:20:30", d="1e400"),
        ),
        ("a: Yes please\nb: NaN\nc: true", {"a": "Yes please", "b": "NaN", "c": True}),
        ("a: 1\n---\nb: 2\n", {"a": 1.0}),  # the first document only
        (
            "a: !!timestamp 2001-12-14\nb: !!str 12\nc: !!int '7'",
            {"a": "2001-12-14", "b": "12", "c": 7.0},
        ),
        ("1: a\ntrue: b\n1.5: c\n0x10: d", {"1": "a", "true": "b", "1.5": "c", "16": "d"}),
        ("y: 1\nn: 2", {"true": 1.0, "false": 2.0}),  # go-yaml v2 reads y and n as bools
        (
            "1e6: a\n0.1: b\n100000.0: c\n1e-5: d",
            {"1e+06": "a", "0.1": "b", "100000": "c", "1e-05": "d"},
        ),
        (
            "base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2",
            {"base": {"x": 1.0}, "derived": {"x": 1.0, "z": 2.0}},
        ),
        ("a: !!binary aGk=", {"a": "aGk="}),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_yaml_parse(text: str, expected: Any) -> None:
    assert run("yaml.parse(object.text)", {"text": text}) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a: .inf",  # JSON has no infinity
        "a: .nan",
        "~: x",  # a null key has no JSON name
        "a: [",
        "a: b: c",
        "a: !custom x",
        'a: "\\ud800"',  # go-yaml refuses surrogate escapes
        "a: &a [*a, *a]",  # a value that holds itself
        "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]",
    ],
    ids=lambda v: v[:20],
)
def test_yaml_parse_refuses_what_cannot_become_json(text: str) -> None:
    result = run("yaml.parse(object.text)", {"text": text})
    assert isinstance(result, EvalError), result
    assert "yaml.parse" in result.message


# pkg/cel/libs/hash: the examples of Kyverno's tests, and the standards' test vectors.
@table(
    ("sha1('ghcr.io/kyverno/kyverno:latest')", "98f68a84cd3ada3a25bc42bf69ed8e0297e13022"),
    (
        "sha256('ghcr.io/kyverno/kyverno:latest')",
        "e98de8e3a54bcb921de9cc72741522823cb30ef9dda17cfd228416ead4ce3760",
    ),
    ("md5('ghcr.io/kyverno/kyverno:latest')", "16dc16f633974d1015cad2ffe81e7365"),
    ("sha1('abc')", "a9993e364706816aba3e25717850c26c9cd0d89d"),
    ("sha256('abc')", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("md5('abc')", "900150983cd24fb0d6963f7d28e17f72"),
    ("md5('')", "d41d8cd98f00b204e9800998ecf8427e"),
    ("sha256('')", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
)
def test_hashes(expression: str, expected: str) -> None:
    assert run(expression) == expected


# pkg/cel/libs/transform.
@table(
    (
        "listObjToMap([{'name': 'kyverno', 'lfx': 'mentorship'}, "
        "{'name': 'kubernetes', 'lfx': 'something'}], "
        "[{'domain': 'security'}, {'domain': 'orchestration'}], 'name', 'domain')",
        {"kyverno": "security", "kubernetes": "orchestration"},
    ),
    ("listObjToMap([], [], 'k', 'v')", {}),
    ("listObjToMap([{'k': 'a'}], [{}], 'k', 'v')", {"a": None}),
    ("listObjToMap([{'k': 'a'}, {'k': 'a'}], [{'v': 1}, {'v': 2}], 'k', 'v')", {"a": 2}),
)
def test_list_obj_to_map(expression: str, expected: Any) -> None:
    assert run(expression) == expected


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("listObjToMap([{'k': 'a'}], [], 'k', 'v')", "equal length"),
        ("listObjToMap([{'k': 1}], [{'v': 1}], 'k', 'v')", "not a string"),
        ("listObjToMap([{'x': 'a'}], [{'v': 1}], 'k', 'v')", "not a string"),
        ("listObjToMap(['a'], [{'v': 1}], 'k', 'v')", "not an object"),
        ("listObjToMap([{'k': 'a'}], [1], 'k', 'v')", "not an object"),
    ],
)
def test_list_obj_to_map_errors(expression: str, fragment: str) -> None:
    assert_error(expression, fragment)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_is_image_agrees_with_parse_image_reference(text: str) -> None:
    accepted = run("isImage(object.text)", {"text": text})
    parsed = run("parseImageReference(object.text)", {"text": text})
    assert accepted is (not isinstance(parsed, EvalError))


NAMES = st.from_regex(r"[a-z0-9]{2,8}(/[a-z0-9]{1,8}){0,2}", fullmatch=True)
HOSTS = st.sampled_from(["", "ghcr.io", "registry.example.com:5000", "localhost:5000"])
TAGS = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(HOSTS, NAMES, st.none() | TAGS, st.booleans())
def test_written_parts_read_back(host: str, name: str, tag: str | None, pinned: bool) -> None:
    reference = (f"{host}/" if host else "") + name
    reference += f":{tag}" if tag else ""
    reference += f"@{DIGEST}" if pinned else ""
    registry, repository, read_tag, digest, identifier = image_parts(reference)
    docker_hub = not host
    assert registry == ("index.docker.io" if docker_hub else host)
    one_part = "/" not in name
    assert repository == (f"library/{name}" if docker_hub and one_part else name)
    assert digest == (DIGEST if pinned else "")
    assert read_tag == ("" if pinned else tag or "latest")
    assert identifier == (digest or read_tag)
