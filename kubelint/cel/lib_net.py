"""Kubernetes' ``ip`` and ``cidr`` CEL libraries.

IP: ``ip(s)``, ``isIP(s)``, ``ip.isCanonical(s)``, ``string(ip)`` and, on an IP,
``family()``, ``isUnspecified()``, ``isLoopback()``, ``isLinkLocalMulticast()``,
``isLinkLocalUnicast()``, ``isGlobalUnicast()``.
CIDR: ``cidr(s)``, ``isCIDR(s)``, ``string(cidr)`` and, on a CIDR, ``containsIP(ip|s)``,
``containsCIDR(cidr|s)``, ``ip()``, ``masked()``, ``prefixLength()``.

The API server parses with Go's ``net/netip`` and refuses two forms it accepts: an
IPv4-mapped IPv6 address (``::ffff:1.2.3.4``) and a zone (``fe80::1%eth0``). IPv4 octets
must not have leading zeros, and a prefix length is decimal without leading zeros. A CIDR
keeps the address as written (``192.168.0.1/24``); ``masked()`` clears the host bits.
Go's notion of global unicast counts private and unique-local addresses as global.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from kubelint.cel.lib_common import Function, NoOverload, expect, kind_of, tagged

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Interface = ipaddress.IPv4Interface | ipaddress.IPv6Interface

_LINK_LOCAL_MULTICAST = (
    ipaddress.ip_network("224.0.0.0/24"),
    ipaddress.ip_network("ff02::/16"),
)


def parse_ip(text: str) -> Address:
    """An address the API server accepts, or ``ValueError``."""
    if "%" in text:
        raise ValueError(f"IP address with zone value is not allowed: {text}")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise ValueError(f"IP Address {text!r} parse error during conversion from string") from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        raise ValueError(f"IPv4-mapped IPv6 address is not allowed: {text}")
    return address


def parse_cidr(text: str) -> Interface:
    """A prefix the API server accepts (address bits kept), or ``ValueError``."""
    address, slash, bits = text.partition("/")
    if not slash or not bits.isdigit() or not bits.isascii() or (len(bits) > 1 and bits[0] == "0"):
        raise ValueError(f"network address parse error during conversion from string: {text}")
    parsed = parse_ip(address)
    if int(bits) > parsed.max_prefixlen:
        raise ValueError(f"network address parse error during conversion from string: {text}")
    return ipaddress.ip_interface(f"{parsed}/{int(bits)}")


def _ip_value(address: Address) -> dict[str, Any]:
    return tagged("ip", address=str(address))


def _cidr_value(prefix: Interface) -> dict[str, Any]:
    return tagged("cidr", prefix=f"{prefix.ip}/{prefix.network.prefixlen}")


def _address(value: Any, function: str) -> Address:
    return ipaddress.ip_address(expect(value, "ip", function)["address"])


def _prefix(value: Any, function: str) -> Interface:
    return ipaddress.ip_interface(expect(value, "cidr", function)["prefix"])


def _valid(parser: Any, text: str) -> bool:
    try:
        parser(text)
    except ValueError:
        return False
    return True


def ip(text: str) -> dict[str, Any]:
    """An IP value from its string."""
    return _ip_value(parse_ip(text))


def is_ip(text: str) -> bool:
    """Whether :func:`ip` accepts ``text``."""
    return _valid(parse_ip, text)


def is_canonical(text: str) -> bool:
    """Whether ``text`` is an IP written in its canonical form (RFC 5952 for IPv6)."""
    return str(parse_ip(text)) == text


def family(value: Any) -> int:
    """4 or 6."""
    return _address(value, "family").version


def is_unspecified(value: Any) -> bool:
    """0.0.0.0 or ::."""
    return _address(value, "isUnspecified").is_unspecified


def is_loopback(value: Any) -> bool:
    """127.0.0.0/8 or ::1."""
    return _address(value, "isLoopback").is_loopback


def is_link_local_multicast(value: Any) -> bool:
    """224.0.0.0/24 or ff02::/16."""
    address = _address(value, "isLinkLocalMulticast")
    return any(address in net for net in _LINK_LOCAL_MULTICAST if net.version == address.version)


def is_link_local_unicast(value: Any) -> bool:
    """169.254.0.0/16 or fe80::/10."""
    return _address(value, "isLinkLocalUnicast").is_link_local


def is_global_unicast(value: Any) -> bool:
    """Go's global unicast: none of unspecified, broadcast, loopback, multicast, link-local."""
    address = _address(value, "isGlobalUnicast")
    if address == ipaddress.IPv4Address("255.255.255.255"):
        return False
    return not (
        address.is_unspecified
        or address.is_loopback
        or address.is_multicast
        or address.is_link_local
    )


def cidr(text: str) -> dict[str, Any]:
    """A CIDR value from its string."""
    return _cidr_value(parse_cidr(text))


def is_cidr(text: str) -> bool:
    """Whether :func:`cidr` accepts ``text``."""
    return _valid(parse_cidr, text)


def contains_ip(value: Any, other: Any) -> bool:
    """Whether the prefix holds the address (an IP or its string)."""
    prefix = _prefix(value, "containsIP")
    address = parse_ip(other) if isinstance(other, str) else _address(other, "containsIP")
    return address.version == prefix.version and address in prefix.network


def contains_cidr(value: Any, other: Any) -> bool:
    """Whether the prefix holds every address of the other (a CIDR or its string)."""
    prefix = _prefix(value, "containsCIDR")
    inner = parse_cidr(other) if isinstance(other, str) else _prefix(other, "containsCIDR")
    if inner.version != prefix.version:
        return False
    outer = prefix.network
    return outer.prefixlen <= inner.network.prefixlen and inner.ip in outer


def prefix_ip(value: Any) -> dict[str, Any]:
    """The address of a CIDR as written, host bits included."""
    return _ip_value(_prefix(value, "ip").ip)


def masked(value: Any) -> dict[str, Any]:
    """The CIDR with its host bits cleared."""
    network = _prefix(value, "masked").network
    return _cidr_value(ipaddress.ip_interface(network.with_prefixlen))


def prefix_length(value: Any) -> int:
    """The number of prefix bits."""
    return _prefix(value, "prefixLength").network.prefixlen


def to_string(value: Any) -> str:
    """``string()`` of an IP or a CIDR."""
    kind = kind_of(value)
    if kind == "ip":
        return str(value["address"])
    if kind == "cidr":
        return str(value["prefix"])
    raise NoOverload("string", value)


def _member(name: str, overload: str, result: str, impl: Any, arity: int = 1) -> Function:
    return Function(name, overload, result, ("dyn",) * arity, impl, member=True)


FUNCTIONS = (
    Function("ip", "string_to_ip", "dyn", ("string",), ip),
    Function("isIP", "is_ip", "bool", ("string",), is_ip),
    Function("ip.isCanonical", "ip_is_canonical", "bool", ("string",), is_canonical),
    _member("family", "ip_family", "int", family),
    _member("isUnspecified", "ip_is_unspecified", "bool", is_unspecified),
    _member("isLoopback", "ip_is_loopback", "bool", is_loopback),
    _member("isLinkLocalMulticast", "ip_is_link_local_multicast", "bool", is_link_local_multicast),
    _member("isLinkLocalUnicast", "ip_is_link_local_unicast", "bool", is_link_local_unicast),
    _member("isGlobalUnicast", "ip_is_global_unicast", "bool", is_global_unicast),
    Function("cidr", "string_to_cidr", "dyn", ("string",), cidr),
    Function("isCIDR", "is_cidr", "bool", ("string",), is_cidr),
    _member("containsIP", "cidr_contains_ip", "bool", contains_ip, 2),
    _member("containsCIDR", "cidr_contains_cidr", "bool", contains_cidr, 2),
    _member("ip", "cidr_ip", "dyn", prefix_ip),
    _member("masked", "cidr_masked", "dyn", masked),
    _member("prefixLength", "cidr_prefix_length", "int", prefix_length),
    Function("string", "ip_cidr_to_string", "string", ("map",), to_string),
)
