"""The Kubernetes CEL libraries, checked against the examples of the Kubernetes
documentation ("CEL in Kubernetes", kubernetes.io/docs/reference/using-api/cel/, section
by section) and of the libraries' reference comments (k8s.io/apiserver/pkg/cel/library),
and against the API types they wrap (resource.Quantity, net/netip, Semantic Versioning
2.0.0, Go's net/url and regexp)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kubelint.cel.engine import EvalError, compile_expression
from kubelint.cel.library import authorizer_value

OBJECT = ("object",)


def run(expression: str, obj: Any = None) -> Any:
    return compile_expression(expression, OBJECT).evaluate({"object": obj or {}})


def table(*rows: tuple[str, Any]) -> Any:
    return pytest.mark.parametrize(("expression", "expected"), rows, ids=[r[0] for r in rows])


def assert_error(expression: str, fragment: str = "") -> None:
    result = run(expression)
    assert isinstance(result, EvalError), result
    assert fragment in result.message


# "Kubernetes list library" and "Kubernetes sets library" sections.
@table(
    ("sets.contains([], [])", True),
    ("sets.contains([1, 2, 3, 4], [2, 3])", True),
    ("sets.contains([1, 2, 3], [3, 4])", False),
    ("sets.contains([1], [1.0, 1])", True),  # CEL equality across int and double
    ("sets.equivalent([], [])", True),
    ("sets.equivalent([1], [1, 1])", True),
    ("sets.equivalent([1], [1.0])", True),
    ("sets.equivalent([1, 2, 3], [3, 2, 1])", True),
    ("sets.equivalent([1, 2], [2, 2, 2])", False),
    ("sets.intersects([1], [])", False),
    ("sets.intersects([1], [1, 2])", True),
    ("sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])", True),
    ("sets.intersects([true], [1])", False),  # a bool is not a number in CEL
    ("[1, 2, 3].indexOf(2) == 1", True),
    ("[1, 2, 2, 3].lastIndexOf(2) == 2", True),
    ("[1, 2, 3].indexOf(7)", -1),
    ("[].lastIndexOf(7)", -1),
    ("'sidecar'.indexOf('car')", 4),  # the string extension's indexOf still answers
    ("'abcabc'.lastIndexOf('b')", 4),
    ("[1, 2, 3].isSorted()", True),
    ("[1, 1, 2].isSorted()", True),
    ("['a', 'c', 'b'].isSorted()", False),
    ("[].isSorted()", True),
    ("[1, 2, 3].sum() == 6", True),
    ("[1.5, 2.0].sum()", 3.5),
    ("[].sum()", 0),
    ("[1, 2, 3].min() == 1", True),
    ("[1, 2, 3].max() == 3", True),
    ("['b', 'a', 'c'].max()", "c"),
)
def test_sets_and_lists(expression: str, expected: Any) -> None:
    assert run(expression) == expected


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("[].min()", "empty list"),
        ("[].max()", "empty list"),
        ("[1, 'a'].isSorted()", "no such overload"),
        ("['a', 'b'].sum()", "no such overload"),
        ("[9223372036854775807, 1].sum()", "overflow"),
    ],
)
def test_list_errors(expression: str, fragment: str) -> None:
    assert_error(expression, fragment)


def test_list_functions_work_on_lists_from_the_manifest() -> None:
    obj = {"ports": [443, 80, 8080], "names": ["web", "sidecar"]}
    assert run("object.ports.max()", obj) == 8080
    assert run("object.ports.isSorted()", obj) is False
    assert run("object.names.indexOf('sidecar')", obj) == 1
    assert run("sets.contains(object.ports, [80, 443])", obj) is True


# "Kubernetes regex library" section.
@table(
    ("'abc 123'.find('[0-9]+')", "123"),
    ("'abc'.find('1*')", ""),
    ("'123 abc 456'.findAll('[0-9]+')", ["123", "456"]),
    ("'123 abc 456'.findAll('[0-9]+', 1)", ["123"]),
    ("'123 abc 456'.findAll('[0-9]+', 0)", []),
    ("'123 abc 456'.findAll('[0-9]+', -1)", ["123", "456"]),
    ("'baaac'.findAll('a*')", ["", "aaa", ""]),  # Go: no empty match right after a match
    ("'a\\n'.find('a$')", ""),  # RE2: $ is the end of the text without (?m)
    ("'x\\u0661\\u0662'.find('\\\\d+')", ""),  # RE2: \d is ASCII (not Arabic-Indic digits)
    ("'AbC'.find('[[:upper:]]+')", "A"),
    ("'key=value'.find('(?<k>[a-z]+)=')", "key="),
)
def test_regex(expression: str, expected: Any) -> None:
    assert run(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "'abc'.find('[')",  # invalid pattern
        "'abc'.find('a(?=b)')",  # look-ahead: RE2 refuses it
        "'aa'.find('(a)\\\\1')",  # back-reference: RE2 refuses it
        "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.find('(a+)+b')",  # would backtrack
    ],
)
def test_regex_refusals_are_errors(expression: str) -> None:
    assert_error(expression)


# "Kubernetes URL library" section.
@table(
    ("url('https://example.com/path?k1=a&k2=b&k2=c#frag').getScheme()", "https"),
    ("isURL('https://example.com:80/path?query=val#fragment')", True),
    ("isURL('/absolute-path')", True),
    ("isURL('https://a:b:c/')", False),
    ("isURL('../relative-path')", False),
    ("isURL('example.com')", False),
    ("url('https://example.com:80/').getHost()", "example.com:80"),
    ("url('https://example.com/path').getHost()", "example.com"),
    ("url('https://[::1]:80/').getHost()", "[::1]:80"),
    ("url('https://[::1]/').getHost()", "[::1]"),
    ("url('/path').getHost()", ""),
    ("url('https://example.com:80/').getHostname()", "example.com"),
    ("url('https://127.0.0.1:80/').getHostname()", "127.0.0.1"),
    ("url('https://[::1]:80/').getHostname()", "::1"),
    ("url('/path').getHostname()", ""),
    ("url('https://example.com:80/').getPort()", "80"),
    ("url('https://example.com/').getPort()", ""),
    ("url('/path').getPort()", ""),
    ("url('https://example.com/path').getEscapedPath()", "/path"),
    ("url('https://example.com/path with spaces/').getEscapedPath()", "/path%20with%20spaces/"),
    ("url('https://example.com').getEscapedPath()", ""),
    ("url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()", {"k1": ["a"], "k2": ["b", "c"]}),
    (
        "url('https://example.com/path?key with spaces=value with spaces').getQuery()",
        {"key with spaces": ["value with spaces"]},
    ),
    ("url('https://example.com/path?').getQuery()", {}),
    ("url('https://example.com/path').getQuery()", {}),
    ("url('HTTPS://example.com/') == url('https://example.com/')", True),
)
def test_urls(expression: str, expected: Any) -> None:
    assert run(expression) == expected


@pytest.mark.parametrize(
    "expression", ["url('../relative-path')", "url('example.com')", "url('https://a:b:c/')"]
)
def test_a_url_that_does_not_parse_is_an_error(expression: str) -> None:
    assert_error(expression, "URL parse error")


# "Kubernetes quantity library" section, and resource.Quantity's serialization format.
@table(
    ("isQuantity('1.3G')", True),
    ("isQuantity('1.3Gi')", True),
    ("isQuantity('1,3G')", False),
    ("isQuantity('10000k')", True),
    ("isQuantity('200K')", False),
    ("isQuantity('Three')", False),
    ("isQuantity('20Mo')", False),
    ("isQuantity('10Mm')", False),
    ("isQuantity('')", False),
    ("isQuantity(' 1')", False),
    ("isQuantity('1e3')", True),
    ("isQuantity('1.5E-2')", True),
    ("quantity('50000000G').isInteger()", True),
    ("quantity('50k').isInteger()", True),
    ("quantity('9999999999999999999999999999999999999G').isInteger()", False),
    ("quantity('50k').asInteger() == 50000", True),
    ("quantity('50k').sub(20000).asApproximateFloat() == 30000.0", True),
    ("quantity('50.703k').asApproximateFloat()", 50703.0),
    ("quantity('50k').add(quantity('20k')) == quantity('70k')", True),
    ("quantity('50k').add(20) == quantity('50020')", True),
    ("quantity('50k').sub(quantity('20k')) == quantity('30k')", True),
    ("quantity('50k').sub(20000) == quantity('30k')", True),
    ("quantity('50k').add(20).sub(quantity('100k')).sub(-50000) == quantity('20')", True),
    ("quantity('50k').add(20).sub(quantity('100k')).asInteger()", -49980),
    ("quantity('50k').add(quantity('20')) == quantity('50.02k')", True),
    ("quantity('200M').compareTo(quantity('0.2G'))", 0),
    ("quantity('50M').compareTo(quantity('50Mi'))", -1),
    ("quantity('50Mi').compareTo(quantity('50M'))", 1),
    ("quantity('150Mi').isGreaterThan(quantity('100Mi'))", True),
    ("quantity('50Mi').isGreaterThan(quantity('100Mi'))", False),
    ("quantity('50M').isLessThan(quantity('100M'))", True),
    ("quantity('100M').isLessThan(quantity('50M'))", False),
    ("quantity('200M') == quantity('0.2G') && quantity('0.2G') == quantity('200M')", True),
    ("quantity('200M') == quantity('0.3G')", False),
    ("quantity('1Gi') == quantity('1024Mi')", True),
    ("quantity('1Ki') == quantity('1024')", True),
    ("quantity('1k') == quantity('1e3')", True),
    ("quantity('500m') == quantity('0.5')", True),
    ("quantity('-1').sign()", -1),
    ("quantity('0').sign()", 0),
    ("quantity('2m').sign()", 1),
    # Finer than a nano rounds away from zero to a nano (resource.Quantity).
    ("quantity('0.0000000001') == quantity('1n')", True),
    ("quantity('3.001n') == quantity('4n')", True),
    ("quantity('-0.9n') == quantity('-1n')", True),
    # A binary quantity is capped at 2^63-1.
    ("quantity('9Ei') == quantity('9223372036854775807')", True),
    # The API server holds these outside its whole int64 form: not integers there.
    ("quantity('1000m').isInteger()", False),
    ("quantity('1.5Gi').isInteger()", False),
    ("quantity('1000m') == quantity('1')", True),
)
def test_quantity(expression: str, expected: Any) -> None:
    assert run(expression) == expected


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("quantity('200K')", "suffix"),
        ("quantity('Three')", "regular expression"),
        ("quantity('10Mo')", "regular expression"),
        ("quantity('10Mm')", "suffix"),
        ("quantity('9999999999999999999999999999999999999G').asInteger()", "cannot convert"),
        ("quantity('1').add('1')", "no such overload"),
        ("quantity('1').compareTo(semver('1.0.0'))", "no such overload"),
    ],
)
def test_quantity_errors(expression: str, fragment: str) -> None:
    assert_error(expression, fragment)


def test_a_quantity_from_the_manifest_compares_with_a_limit() -> None:
    program = compile_expression(
        "object.spec.containers.all(c, quantity(c.resources.limits.memory)"
        ".isLessThan(quantity('1Gi')) || quantity(c.resources.limits.memory) == quantity('1Gi'))",
        OBJECT,
    )

    def pod(memory: str) -> dict[str, Any]:
        return {"spec": {"containers": [{"resources": {"limits": {"memory": memory}}}]}}

    assert program.evaluate({"object": pod("512Mi")}) is True
    assert program.evaluate({"object": pod("1073741824")}) is True
    assert program.evaluate({"object": pod("1.1G")}) is False
    assert isinstance(program.evaluate({"object": pod("lots")}), EvalError)


# The suffixes as resource.Quantity documents them.
SUFFIXES = {
    "": Fraction(1),
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 1000),
    "k": Fraction(10**3),
    "M": Fraction(10**6),
    "G": Fraction(10**9),
    "T": Fraction(10**12),
    "Ki": Fraction(2**10),
    "Mi": Fraction(2**20),
    "Gi": Fraction(2**30),
    "e3": Fraction(10**3),
    "e-3": Fraction(1, 1000),
}
quantities = st.tuples(
    st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(sorted(SUFFIXES))
)
COMPARE = compile_expression("quantity(object.a).compareTo(quantity(object.b))", OBJECT)
ROUND_TRIP = compile_expression(
    "quantity(object.a).add(quantity(object.b)).sub(quantity(object.b)) == quantity(object.a)"
    " && quantity(object.a).add(quantity(object.b)) == quantity(object.b).add(quantity(object.a))",
    OBJECT,
)


def _capped(value: Fraction, suffix: str) -> Fraction:
    if suffix.endswith("i"):
        return max(min(value, Fraction(2**63 - 1)), Fraction(-(2**63 - 1)))
    return value


@example((8_589_934_592, "Gi"), (8_589_934_593, "Gi"))  # both 2^63 or more: both capped
@settings(max_examples=150, deadline=None)
@given(quantities, quantities)
def test_quantity_comparison_is_exact(left: tuple[int, str], right: tuple[int, str]) -> None:
    # Whole numbers with a suffix need no rounding, so their exact values decide; a value
    # with a binary suffix is capped at 2^63-1 (resource.ParseQuantity: "the max is just a
    # simple cap"), in both directions.
    a, b = (_capped(Fraction(n) * SUFFIXES[s], s) for n, s in (left, right))
    expected = (a > b) - (a < b)
    activation = {"object": {"a": f"{left[0]}{left[1]}", "b": f"{right[0]}{right[1]}"}}
    assert COMPARE.evaluate(activation) == expected


@settings(max_examples=150, deadline=None)
@given(quantities, quantities)
def test_quantity_addition_commutes_and_subtraction_undoes_it(
    left: tuple[int, str], right: tuple[int, str]
) -> None:
    activation = {"object": {"a": f"{left[0]}{left[1]}", "b": f"{right[0]}{right[1]}"}}
    assert ROUND_TRIP.evaluate(activation) is True


elements = st.lists(st.integers(min_value=-5, max_value=5), max_size=6)
SET_LAWS = compile_expression(
    "sets.contains(object.a + object.b, object.b)"
    " && sets.equivalent(object.a, object.a + object.a)"
    " && sets.intersects(object.a, object.b) == object.b.exists(x, x in object.a)"
    " && sets.contains(object.a, object.b) == object.b.all(x, x in object.a)"
    " && (sets.equivalent(object.a, object.b) == sets.equivalent(object.b, object.a))",
    OBJECT,
)


@settings(max_examples=150, deadline=None)
@given(elements, elements)
def test_set_functions_agree_with_membership(a: list[int], b: list[int]) -> None:
    assert SET_LAWS.evaluate({"object": {"a": a, "b": b}}) is True


# "Kubernetes IP address library" and "Kubernetes CIDR library" sections.
@table(
    ("isIP('127.0.0.1')", True),
    ("isIP('::1')", True),
    ("isIP('127.0.0.256')", False),
    ("isIP(':::1')", False),
    ("isIP('127.0.0.01')", False),  # no leading zeros
    ("isIP('::ffff:127.0.0.1')", False),  # IPv4-mapped IPv6 is refused
    ("isIP('fe80::1%eth0')", False),  # and so is a zone
    ("ip('127.0.0.1').family()", 4),
    ("ip('::1').family()", 6),
    ("ip.isCanonical('127.0.0.1')", True),
    ("ip.isCanonical('::1')", True),
    ("ip.isCanonical('2001:db8::abcd')", True),
    ("ip.isCanonical('2001:DB8::ABCD')", False),
    ("ip.isCanonical('2001:db8::0:0:0:abcd')", False),
    ("ip('0.0.0.0').isUnspecified()", True),
    ("ip('127.0.0.1').isUnspecified()", False),
    ("ip('::').isUnspecified()", True),
    ("ip('127.0.0.1').isLoopback()", True),
    ("ip('192.168.0.1').isLoopback()", False),
    ("ip('::1').isLoopback()", True),
    ("ip('224.0.0.1').isLinkLocalMulticast()", True),
    ("ip('224.0.1.1').isLinkLocalMulticast()", False),
    ("ip('ff02::1').isLinkLocalMulticast()", True),
    ("ip('fd00::1').isLinkLocalMulticast()", False),
    ("ip('169.254.169.254').isLinkLocalUnicast()", True),
    ("ip('192.168.0.1').isLinkLocalUnicast()", False),
    ("ip('fe80::1').isLinkLocalUnicast()", True),
    ("ip('fd80::1').isLinkLocalUnicast()", False),
    ("ip('192.168.0.1').isGlobalUnicast()", True),
    ("ip('255.255.255.255').isGlobalUnicast()", False),
    ("ip('2001:db8::abcd').isGlobalUnicast()", True),
    ("ip('ff00::1').isGlobalUnicast()", False),
    ("string(ip('2001:DB8::ABCD'))", "2001:db8::abcd"),
    ("ip('127.0.0.1') == ip('127.0.0.1')", True),
    ("ip('2001:db8::abcd') == ip('2001:DB8::ABCD')", True),
    ("isCIDR('192.168.0.0/24')", True),
    ("isCIDR('192.168.0.0/33')", False),
    ("isCIDR('::1/128')", True),
    ("isCIDR('192.168.0.0')", False),
    ("isCIDR('192.168.0.0/255.255.255.0')", False),
    ("isCIDR('::ffff:192.168.0.0/120')", False),
    ("cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", True),
    ("cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))", False),
    ("cidr('192.168.0.0/24').containsIP('192.168.0.1')", True),
    ("cidr('192.168.0.0/24').containsIP('::1')", False),
    ("cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25'))", True),
    ("cidr('192.168.0.0/24').containsCIDR('192.168.0.0/23')", False),
    ("cidr('192.168.0.0/24').containsCIDR('192.168.0.128/25')", True),
    ("cidr('2001:db8::/32').containsCIDR(cidr('2001:db8::/33'))", True),
    ("cidr('192.168.0.0/24').ip() == ip('192.168.0.0')", True),
    ("cidr('192.168.0.1/24').ip() == ip('192.168.0.1')", True),
    ("cidr('192.168.0.1/24').ip().family()", 4),
    ("cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", True),
    ("cidr('192.168.0.1/24') == cidr('192.168.0.0/24')", False),  # the address is kept
    ("cidr('192.168.0.0/24').prefixLength()", 24),
    ("cidr('::1/128').prefixLength()", 128),
    ("string(cidr('192.168.0.1/24'))", "192.168.0.1/24"),
    ("string(cidr('2001:DB8::/32').masked())", "2001:db8::/32"),
)
def test_ip_and_cidr(expression: str, expected: Any) -> None:
    assert run(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "ip('::ffff:127.0.0.1')",
        "ip('1.2.3')",
        "cidr('192.168.0.0/08')",
        "cidr('10.0.0.0/24').containsIP('nope')",
        "ip('1.2.3.4').prefixLength()",
    ],
)
def test_ip_and_cidr_errors(expression: str) -> None:
    assert_error(expression)


# "Kubernetes semver library" (semver.org 2.0.0 for precedence, section 11).
@table(
    ("isSemver('1.0.0')", True),
    ("isSemver('1.0.0-alpha.1+build.5')", True),
    ("isSemver('1.0')", False),
    ("isSemver('v1.0.0')", False),
    ("isSemver('01.0.0')", False),
    ("isSemver('1.0.0-01')", False),
    ("isSemver('hello')", False),
    ("isSemver('v1.0', true)", True),
    ("isSemver('v01.01', true)", True),
    ("semver('v1.02', true) == semver('1.2.0')", True),
    ("semver('1.2.3').major()", 1),
    ("semver('1.2.3').minor()", 2),
    ("semver('1.2.3').patch()", 3),
    ("semver('1.2.3').compareTo(semver('1.2.3'))", 0),
    ("semver('1.2.3').compareTo(semver('2.0.0'))", -1),
    ("semver('1.2.3').compareTo(semver('0.1.2'))", 1),
    ("semver('1.2.3').isGreaterThan(semver('1.0.0'))", True),
    ("semver('1.2.3').isLessThan(semver('1.0.0'))", False),
    ("semver('1.0.0-alpha').isLessThan(semver('1.0.0'))", True),
    ("semver('1.0.0-alpha').isLessThan(semver('1.0.0-alpha.1'))", True),
    ("semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta'))", True),
    ("semver('1.0.0-beta.2').isLessThan(semver('1.0.0-beta.11'))", True),
    ("semver('1.0.0-rc.1').isLessThan(semver('1.0.0'))", True),
    ("semver('1.0.0+build.1') == semver('1.0.0+build.2')", True),  # build metadata ignored
)
def test_semver(expression: str, expected: Any) -> None:
    assert run(expression) == expected


@pytest.mark.parametrize("expression", ["semver('hello')", "semver('1.0')", "semver('')"])
def test_a_string_that_is_not_a_semver_is_an_error(expression: str) -> None:
    assert_error(expression)


# "Kubernetes authorizer library": declared, never answered offline.
@pytest.mark.parametrize(
    "expression",
    [
        "authorizer.group('apps').resource('deployments').check('update').allowed()",
        "authorizer.group('').resource('pods').subresource('exec').namespace('ns')"
        ".name('web').check('create').reason() == ''",
        "authorizer.path('/healthz').check('get').errored()",
        "authorizer.serviceAccount('ns', 'sa').group('').resource('secrets').check('get')"
        ".error() == ''",
        "authorizer.requestResource.check('approve').allowed()",
    ],
)
def test_authorizer_calls_are_unavailable(expression: str) -> None:
    program = compile_expression(expression, ("object", "authorizer"))
    result = program.evaluate({"object": {}, "authorizer": authorizer_value()})
    assert isinstance(result, EvalError)
    assert result.unavailable == "authorizer"


def test_logic_that_does_not_need_the_authorizer_still_decides() -> None:
    program = compile_expression(
        "object.kind == 'Pod' || authorizer.group('').resource('pods').check('x').allowed()",
        ("object", "authorizer"),
    )
    assert program.evaluate({"object": {"kind": "Pod"}, "authorizer": authorizer_value()}) is True


# The string extension's format (cel-go ext.Strings: "%s", "%d", "%f", "%e", "%x", "%o", "%b").
@table(
    ("'%s and %s'.format(['a', 1])", "a and 1"),
    ("'%d'.format([42])", "42"),
    ("'%f'.format([3.14159])", "3.141590"),
    ("'%.2f'.format([3.14159])", "3.14"),
    ("'%e'.format([1234.5])", "1.234500e+03"),
    ("'%x'.format([255])", "ff"),
    ("'%X'.format([255])", "FF"),
    ("'%o'.format([8])", "10"),
    ("'%b'.format([5])", "101"),
    ("'%s'.format([[1, 2]])", "[1, 2]"),
)
def test_format(expression: str, expected: Any) -> None:
    assert run(expression) == expected
