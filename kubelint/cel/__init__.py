"""Common Expression Language, evaluated offline: the engine (:mod:`kubelint.cel.engine`)
and the Kubernetes CEL libraries (:mod:`kubelint.cel.library`).

One engine serves the repository's ValidatingAdmissionPolicies (and Kyverno's CEL
policies), custom checks written in CEL in ``.kubelint.yaml``, and CRD validation rules.
Like :mod:`kubelint.k8s`, this package imports nothing from checks, the runner or the
reporters.
"""
