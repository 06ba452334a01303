"""Offline schema validation: bundled Kubernetes schemas, API lifecycles, in-repo CRDs."""
