"""Kubernetes' ``urls`` CEL library: ``url(s)``, ``isURL(s)`` and, on a URL,
``getScheme()``, ``getHost()``, ``getHostname()``, ``getPort()``, ``getEscapedPath()`` and
``getQuery()`` (a map of each key to the list of its values).

The API server parses with Go's ``url.ParseRequestURI``: an absolute URI
(``https://host/path``) or an absolute path (``/path``); a relative reference is an
error, and a ``#`` is not split off (it stays in the path or query). This module follows
that parser's rules for the parts it reports.
"""

from __future__ import annotations

import re
from typing import Any

from kubelint.cel.lib_common import Function, expect, tagged

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_HEX = "0123456789abcdefABCDEF"
# What Go's url package leaves unescaped in a path it re-escapes (RFC 3986 3.3).
_PATH_KEEP = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~$&+,/:;=@"
)
# What Go accepts as already escaped in a raw path (its ``validEncoded``).
_PATH_VALID = _PATH_KEEP | frozenset("!'()*[]%")
_HOST_OK = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~!$&'()*+,;=:[]<>\"%"
)


def _unescape(text: str, plus_is_space: bool = False) -> str:
    """Percent-decoding that fails on a malformed escape, as Go's does."""
    out = bytearray()
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%":
            pair = text[i + 1 : i + 3]
            if len(pair) != 2 or any(c not in _HEX for c in pair):
                raise ValueError(f"invalid URL escape {text[i : i + 3]!r}")
            out.append(int(pair, 16))
            i += 3
            continue
        out.extend(b" " if plus_is_space and char == "+" else char.encode())
        i += 1
    return out.decode("utf-8", "replace")


def _valid_port(port: str) -> bool:
    return port == "" or (port.startswith(":") and port[1:].isdigit() and port[1:].isascii())


def _split_authority(authority: str) -> str:
    """The host (with port) of an authority, checked as Go checks it."""
    host = authority.rpartition("@")[2]
    if host.startswith("["):
        end = host.find("]")
        if end == -1:
            raise ValueError("missing ']' in host")
        if not _valid_port(host[end + 1 :]):
            raise ValueError(f"invalid port {host[end + 1 :]!r} after host")
    elif ":" in host and not _valid_port(host[host.rfind(":") :]):
        raise ValueError(f"invalid port {host[host.rfind(':') :]!r} after host")
    bad = [c for c in host if c.isascii() and c not in _HOST_OK]
    if bad:
        raise ValueError(f"invalid character {bad[0]!r} in host name")
    return _unescape(host)


def _parse(raw: str) -> dict[str, str]:
    """The parts of ``raw`` as Go's ``url.ParseRequestURI`` finds them."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise ValueError("net/url: invalid control character in URL")
    if raw == "":
        raise ValueError("empty url")
    scheme, rest = "", raw
    match = _SCHEME.match(raw)
    if match and raw[match.end() : match.end() + 1] == ":":
        scheme, rest = match.group(0).lower(), raw[match.end() + 1 :]
    elif raw.startswith(":"):
        raise ValueError("missing protocol scheme")
    rest, _, query = rest.partition("?")
    if not rest.startswith("/"):
        if scheme:  # an opaque URI such as mailto:someone
            return {"scheme": scheme, "host": "", "path": "", "query": query}
        raise ValueError("invalid URI for request")
    host = ""
    if scheme and rest.startswith("//"):
        authority, slash, path = rest[2:].partition("/")
        host, rest = _split_authority(authority), slash + path
    decoded = _unescape(rest)
    valid_raw = all(c in _PATH_VALID for c in rest)
    path = rest if valid_raw else _escape_path(decoded)
    return {"scheme": scheme, "host": host, "path": path, "query": query}


def _escape_path(path: str) -> str:
    return "".join(c if c in _PATH_KEEP else "".join(f"%{b:02X}" for b in c.encode()) for c in path)


def url(raw: str) -> dict[str, Any]:
    """A URL value; an error when ``raw`` is neither an absolute URI nor an absolute path."""
    try:
        return tagged("url", **_parse(raw))
    except ValueError as exc:
        raise ValueError(f"URL parse error during conversion from string: {exc}") from None


def is_url(raw: str) -> bool:
    """Whether :func:`url` accepts ``raw``."""
    try:
        _parse(raw)
    except ValueError:
        return False
    return True


def _part(value: Any, key: str, function: str) -> str:
    return str(expect(value, "url", function)[key])


def get_scheme(value: Any) -> str:
    """The scheme, lower case; ``''`` for a path."""
    return _part(value, "scheme", "getScheme")


def get_host(value: Any) -> str:
    """The host with its port, IPv6 literals in brackets."""
    return _part(value, "host", "getHost")


def _split_port(host: str) -> tuple[str, str]:
    colon = host.rfind(":")
    name, port = host, ""
    if colon != -1 and _valid_port(host[colon:]):
        name, port = host[:colon], host[colon + 1 :]
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    return name, port


def get_hostname(value: Any) -> str:
    """The host without port or IPv6 brackets."""
    return _split_port(_part(value, "host", "getHostname"))[0]


def get_port(value: Any) -> str:
    """The port as written; ``''`` when none."""
    return _split_port(_part(value, "host", "getPort"))[1]


def get_escaped_path(value: Any) -> str:
    """The path, percent-escaped."""
    return _part(value, "path", "getEscapedPath")


def get_query(value: Any) -> dict[str, list[str]]:
    """Each query key with its values in order; pairs Go cannot decode are left out."""
    result: dict[str, list[str]] = {}
    for pair in _part(value, "query", "getQuery").split("&"):
        if not pair or ";" in pair:
            continue
        key, _, val = pair.partition("=")
        try:
            decoded_key, decoded_value = _unescape(key, True), _unescape(val, True)
        except ValueError:
            continue
        result.setdefault(decoded_key, []).append(decoded_value)
    return result


def _getter(name: str, impl: Any, result: str = "string") -> Function:
    return Function(name, f"url_{name}", result, ("dyn",), impl, member=True)


FUNCTIONS = (
    Function("url", "string_to_url", "dyn", ("string",), url),
    Function("isURL", "is_url_string", "bool", ("string",), is_url),
    _getter("getScheme", get_scheme),
    _getter("getHost", get_host),
    _getter("getHostname", get_hostname),
    _getter("getPort", get_port),
    _getter("getEscapedPath", get_escaped_path),
    _getter("getQuery", get_query, "dyn"),
)
