"""Network isolation: NetworkPolicy semantics and namespaces without a default deny."""

#: The directions of a NetworkPolicy, here so that a run without NetworkPolicy objects
#: never imports their parser (:mod:`kubelint.checks.network.policies`).
INGRESS = "Ingress"
EGRESS = "Egress"
DIRECTIONS = (INGRESS, EGRESS)
