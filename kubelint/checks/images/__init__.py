"""Image provenance: tags, digests, registries (no checks yet)."""
