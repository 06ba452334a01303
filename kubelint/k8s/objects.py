"""What the shared layer needs to know of an object: a key path type and a small protocol.

``kubelint.model.K8sObject`` satisfies :class:`KubeObject`; the functions of this package
take the protocol so that the package imports nothing from the model (the model imports
from here).
"""

from __future__ import annotations

from typing import Any, Protocol

#: A key path into an object: mapping keys and sequence indexes.
KeyPath = tuple[str | int, ...]


class KubeObject(Protocol):
    """A Kubernetes object read from a manifest."""

    data: dict[str, Any]
    #: Pod template of a custom kind that runs pods (None for other kinds).
    pod_template_path: KeyPath | None

    @property
    def kind(self) -> str: ...

    @property
    def api_version(self) -> str: ...

    @property
    def metadata(self) -> dict[str, Any]: ...

    @property
    def namespace(self) -> str | None: ...
