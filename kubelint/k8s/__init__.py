"""Kubernetes knowledge shared by every layer: kinds, versions, where pods live in workloads.

This package depends on nothing in ``kubelint.checks``, the runner or the reporters.
"""
