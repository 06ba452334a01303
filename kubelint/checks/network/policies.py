"""NetworkPolicy semantics: API defaulting and validation, allow-all rules.

Plain functions over manifest data, kept apart from the check that reports namespaces so
that the rules can be tested case by case. What the API server would reject raises
:class:`Malformed`: such a policy is never stored, so it neither denies nor allows anything.

Reference: https://kubernetes.io/docs/concepts/services-networking/network-policies/
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Malformed is re-exported: callers of parse_policy catch it from here.
from kubelint.checks.network import DIRECTIONS as DIRECTIONS
from kubelint.checks.network import EGRESS as EGRESS
from kubelint.checks.network import INGRESS as INGRESS
from kubelint.k8s.selectors import Malformed as Malformed
from kubelint.k8s.selectors import Selector, list_field, mapping_field, parse_selector

#: Direction -> (field of its rules in the spec, field of the peers in a rule).
RULE_FIELDS = {INGRESS: ("ingress", "from"), EGRESS: ("egress", "to")}
#: The protocols a NetworkPolicy port can name (TCP when omitted).
PROTOCOLS = ("TCP", "UDP", "SCTP")
_HIGHEST_PORT = 65535

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Peer:
    """One entry of ``from``/``to``: pods (by namespace and labels) or an IP block."""

    pods: Selector | None = None
    namespaces: Selector | None = None
    block: IpNetwork | None = None
    has_except: bool = False

    @property
    def everywhere(self) -> bool:
        """Whether the peer is every address, or every pod of every namespace.

        A whole address family (``0.0.0.0/0`` or ``::/0`` with no ``except``) counts, and so
        does ``namespaceSelector: {}`` (with no or an empty ``podSelector``): it lets every
        pod of the cluster in, which is what a default deny is there to stop.
        """
        if self.block is not None:
            return self.block.prefixlen == 0 and not self.has_except
        return (
            self.namespaces is not None
            and self.namespaces.empty
            and (self.pods is None or self.pods.empty)
        )


@dataclass(frozen=True)
class Port:
    """The ports of a rule's entry, for one protocol."""

    protocol: str
    #: The entry names no port, or a range from 1 to the highest port: all of the protocol.
    every: bool


@dataclass(frozen=True)
class Rule:
    """An ingress or egress rule; no peers means every peer, no ports every port."""

    peers: tuple[Peer, ...] = ()
    ports: tuple[Port, ...] = ()

    @property
    def all_ports(self) -> bool:
        if not self.ports:
            return True
        return all(any(p.protocol == proto and p.every for p in self.ports) for proto in PROTOCOLS)

    @property
    def allows_everything(self) -> bool:
        """Every source (or destination) on every port."""
        return self.all_ports and (not self.peers or any(p.everywhere for p in self.peers))


@dataclass(frozen=True)
class Policy:
    """A NetworkPolicy spec after API defaulting."""

    pod_selector: Selector
    types: frozenset[str]
    ingress: tuple[Rule, ...] = ()
    egress: tuple[Rule, ...] = ()

    def rules(self, direction: str) -> tuple[Rule, ...]:
        return self.ingress if direction == INGRESS else self.egress

    def denies_all(self, direction: str) -> bool:
        """A default deny: selects every pod, has the direction, and no rules for it."""
        return self.pod_selector.empty and direction in self.types and not self.rules(direction)

    def allows_all(self, direction: str) -> bool:
        """Selects every pod and lets everything through in that direction on every port.

        Rules of a direction missing from ``policyTypes`` do not apply (network plugins
        ignore them), so they open nothing.
        """
        return (
            self.pod_selector.empty
            and direction in self.types
            and any(rule.allows_everything for rule in self.rules(direction))
        )


def _network(value: Any, path: str) -> IpNetwork:
    if not isinstance(value, str) or "/" not in value:
        raise Malformed(f"{path} is not a CIDR")
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise Malformed(f"{path} is not a CIDR") from None


def _peer(value: Any, path: str) -> Peer:
    data = mapping_field(value, path)
    pods, namespaces, block = (
        data.get("podSelector"),
        data.get("namespaceSelector"),
        data.get("ipBlock"),
    )
    if pods is None and namespaces is None and block is None:
        raise Malformed(f"{path} names no peer (podSelector, namespaceSelector or ipBlock)")
    if block is not None:
        if pods is not None or namespaces is not None:
            raise Malformed(f"{path} sets ipBlock together with a selector")
        block_data = mapping_field(block, f"{path}.ipBlock")
        network = _network(block_data.get("cidr"), f"{path}.ipBlock.cidr")
        excepts = list_field(block_data.get("except"), f"{path}.ipBlock.except")
        for index, item in enumerate(excepts):
            hole = _network(item, f"{path}.ipBlock.except[{index}]")
            if hole.version != network.version or not hole.subnet_of(network):  # type: ignore[arg-type]
                raise Malformed(f"{path}.ipBlock.except[{index}] is not inside the cidr")
        return Peer(block=network, has_except=bool(excepts))
    return Peer(
        pods=None if pods is None else parse_selector(pods, f"{path}.podSelector"),
        namespaces=(
            None if namespaces is None else parse_selector(namespaces, f"{path}.namespaceSelector")
        ),
    )


def _port(value: Any, path: str) -> Port:
    data = mapping_field(value, path)
    protocol = data.get("protocol")
    if protocol is None:
        protocol = "TCP"
    if protocol not in PROTOCOLS:
        raise Malformed(f"{path}.protocol is not one of {', '.join(PROTOCOLS)}")
    port, end = data.get("port"), data.get("endPort")
    if isinstance(port, bool) or not isinstance(port, int | str | None):
        raise Malformed(f"{path}.port is not a number or a port name")
    if (isinstance(port, int) and not 1 <= port <= _HIGHEST_PORT) or port == "":
        raise Malformed(f"{path}.port is not a port number (1-65535) or a port name")
    if end is not None:
        if isinstance(end, bool) or not isinstance(end, int) or not isinstance(port, int):
            raise Malformed(f"{path}.endPort needs a numeric port and a numeric endPort")
        if end < port:
            raise Malformed(f"{path}.endPort is below port")
    every = port is None or (port == 1 and end is not None and end >= _HIGHEST_PORT)
    return Port(str(protocol), every)


def _rules(spec: dict[str, Any], direction: str) -> tuple[Rule, ...]:
    rules_field, peers_field = RULE_FIELDS[direction]
    out: list[Rule] = []
    for index, item in enumerate(list_field(spec.get(rules_field), f"spec.{rules_field}")):
        where = f"spec.{rules_field}[{index}]"
        rule = mapping_field(item, where)
        peers = list_field(rule.get(peers_field), f"{where}.{peers_field}")
        ports = list_field(rule.get("ports"), f"{where}.ports")
        out.append(
            Rule(
                tuple(_peer(p, f"{where}.{peers_field}[{i}]") for i, p in enumerate(peers)),
                tuple(_port(p, f"{where}.ports[{i}]") for i, p in enumerate(ports)),
            )
        )
    return tuple(out)


def parse_policy(data: Mapping[str, Any]) -> Policy:
    """A NetworkPolicy object as the API server stores it, or :class:`Malformed`.

    A missing ``spec`` or ``podSelector`` decodes to an empty one (every pod), as in the
    API server. Omitted ``policyTypes`` default to ``Ingress``, plus ``Egress`` when the
    policy has egress rules.
    """
    spec = mapping_field(data.get("spec"), "spec")
    selector = parse_selector(spec.get("podSelector"), "spec.podSelector")
    listed = list_field(spec.get("policyTypes"), "spec.policyTypes")
    if any(t not in DIRECTIONS for t in listed) or len(listed) > len(DIRECTIONS):
        raise Malformed("spec.policyTypes may hold only Ingress and Egress")
    ingress, egress = _rules(spec, INGRESS), _rules(spec, EGRESS)
    if listed:
        types = frozenset(str(t) for t in listed)
    else:
        types = frozenset({INGRESS, EGRESS} if egress else {INGRESS})
    return Policy(selector, types, ingress, egress)
