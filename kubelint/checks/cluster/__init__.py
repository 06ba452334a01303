"""Control-plane and kubelet configuration, encryption at rest, audit policy (no checks yet)."""
