"""Controls of compliance frameworks that a check implements, shown with its findings.

Two frameworks, each at one named version (control numbers and titles change between
versions):

- the CIS Kubernetes Benchmark (``cis-kubernetes``, v1.10): a control by its number;
- the NSA/CISA Kubernetes Hardening Guide (``nsa-cisa``, v1.2): a section by its heading
  (the guide does not number them).

A check names a control only when it implements that control's specific recommendation,
not when it merely touches the same subject. Titles are kubelint's own short wording.

Plain data with no kubelint import: the run hands it to the reporters in
:class:`kubelint.model.Rule`, below the checks layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CIS = "cis-kubernetes"
CIS_VERSION = "1.10"
NSA = "nsa-cisa"
NSA_VERSION = "1.2"

#: Framework -> (its name for people, its tag prefix, the check group of its checks).
FRAMEWORKS: dict[str, tuple[str, str, str]] = {
    CIS: ("CIS Kubernetes Benchmark", "CIS", "cis"),
    NSA: ("NSA/CISA Kubernetes Hardening Guide", "NSA-CISA", "nsa"),
}


@dataclass(frozen=True)
class Control:
    """One control (or section) of one version of a framework."""

    #: ``cis-kubernetes``, ``nsa-cisa``, or a framework a plugin names.
    framework: str
    #: The framework's version the id belongs to, e.g. ``1.10``.
    version: str
    #: The control's number (``5.2.2``) or, for a guide without numbers, its section.
    id: str
    #: What the control asks for, in a few words of our own.
    title: str

    @property
    def framework_name(self) -> str:
        return FRAMEWORKS[self.framework][0] if self.framework in FRAMEWORKS else self.framework

    @property
    def group(self) -> str:
        """The check group of the framework: ``cis``, ``nsa`` (else the framework's name)."""
        return FRAMEWORKS[self.framework][2] if self.framework in FRAMEWORKS else self.framework

    @property
    def tag(self) -> str:
        """A tag without spaces: ``CIS-1.10-5.2.2``, ``NSA-CISA-1.2-network-policies``."""
        prefix = FRAMEWORKS[self.framework][1] if self.framework in FRAMEWORKS else self.framework
        return f"{prefix}-{self.version}-{_slug(self.id)}"

    @property
    def label(self) -> str:
        """``CIS Kubernetes Benchmark v1.10, control 5.2.2`` (or ``section "..."``)."""
        where = f"control {self.id}" if _NUMBER.fullmatch(self.id) else f'section "{self.id}"'
        return f"{self.framework_name} v{self.version}, {where}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "version": self.version,
            "id": self.id,
            "title": self.title,
            "tag": self.tag,
        }


_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)*")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


def cis(control: str, title: str) -> Control:
    """A control of the CIS Kubernetes Benchmark v1.10, by number."""
    return Control(CIS, CIS_VERSION, control, title)


def nsa(section: str, title: str) -> Control:
    """A section of the NSA/CISA Kubernetes Hardening Guide v1.2, by heading."""
    return Control(NSA, NSA_VERSION, section, title)


def groups_of(controls: tuple[Control, ...]) -> tuple[str, ...]:
    """The check groups the frameworks of ``controls`` give, each once, in order."""
    return tuple(dict.fromkeys(c.group for c in controls))
