"""Workload hardening beyond the Pod Security Standards: security contexts, runtime classes."""
