"""Image provenance: tags, digests, pull policy and registries of container images."""
