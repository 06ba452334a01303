"""Credentials written in manifests."""
