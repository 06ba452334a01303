"""The Kubernetes API: schemas, unknown fields, removed and deprecated API versions."""
