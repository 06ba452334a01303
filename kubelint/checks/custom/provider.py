"""``checks.custom`` of ``.kubelint.yaml`` brings its CEL checks into every run.

The provider reads the list under ``checks:`` (its ``config_key`` is ``checks.custom``:
kubelint.config places the section there), checks it when the configuration is read
(:meth:`CustomChecks.settings_problems`: ids, compilation) and adds one check per entry
to each run, under the entry's own id and in the group ``custom``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kubelint.checks.base import Check, ProviderRequest
from kubelint.errors import ConfigError
from kubelint.model import KeyPath


class CustomChecks:
    """One check per entry of ``checks.custom``."""

    name = "custom-checks"
    config_key: str | None = "checks.custom"

    # The spec and check modules are imported only when a configuration has a say: a run
    # without ``checks.custom`` (most runs) never needs them.
    @property
    def config_schema(self) -> Mapping[str, Any] | None:
        from kubelint.checks.custom.spec import SECTION_SCHEMA

        return SECTION_SCHEMA

    def settings_problems(
        self, settings: Any, available: Mapping[str, Check]
    ) -> Iterator[tuple[KeyPath, str]]:
        """What is wrong with a schema-valid section beyond its schema, as (key path in
        the section, message); called when the configuration is read."""
        from kubelint.checks.custom.spec import problems as spec_problems

        return spec_problems(settings, available)

    def provide(self, request: ProviderRequest) -> Iterable[Check]:
        """The checks of the section (the configuration reader has validated it; a
        section given another way that does not compile is a configuration error)."""
        if not isinstance(request.settings, list):
            return []
        from kubelint.cel.engine import CompileError, EngineMissing
        from kubelint.checks.custom.check import build
        from kubelint.checks.custom.spec import Spec, compile_message, compile_spec

        checks = []
        for index, entry in enumerate(request.settings):
            if not isinstance(entry, dict) or not {"id", "expression", "message"} <= set(entry):
                raise ConfigError(
                    f"checks.custom.{index}: needs an id, an expression and a message"
                )
            spec = Spec.of(entry)
            try:
                program = compile_spec(spec)
            except CompileError as exc:
                raise ConfigError(
                    f"checks.custom.{index}.expression: {compile_message(exc)}"
                ) from None
            except EngineMissing as exc:
                raise ConfigError(
                    f"checks.custom: custom checks need the CEL engine: {exc}"
                ) from None
            checks.append(build(spec, program))
        return checks
