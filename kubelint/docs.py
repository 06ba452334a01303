"""Check documentation pages, rendered from each check's metadata and docstring."""

from __future__ import annotations

import re
from pathlib import Path

from kubelint.checks.base import Check

DOCS_URL = "https://github.com/kubelint/kubelint/blob/main/docs/checks/{id}.md"


def render_check_page(check: Check) -> str:
    """The Markdown page of one check (docs/checks/<id>.md)."""
    meta = check.meta
    title, _, body = check.doc.partition("\n")
    lines = [
        f"# {meta.id}",
        "",
        f"**{title.strip()}**",
        "",
        "| | |",
        "|---|---|",
        f"| Severity | `{meta.severity}` |",
        f"| Enabled by default | {'yes' if meta.enabled else 'no'} |",
        f"| Groups | {', '.join(f'`{g}`' for g in meta.groups) or '-'} |",
        f"| Kinds | {', '.join(sorted(meta.kinds)) if meta.kinds else 'all'} |",
        f"| Since | {meta.since} |",
    ]
    if meta.params:
        params = "; ".join(f"`{p.name}` (default `{p.default!r}`): {p.description}" for p in meta.params)
        lines.append(f"| Options | {params} |")
    lines += [
        "",
        body.strip(),
        "",
        "## How to fix",
        meta.remediation[0].upper() + meta.remediation[1:] + ".",
        "",
        "## Suppressing",
        f"Annotate the object with `kubelint.io/ignore: {meta.id}`, add "
        f"`# kubelint: ignore={meta.id}` on the reported line or the line above, or turn the "
        "check off in `.kubelint.yaml` (see [configuration](../configuration.md)).",
        "",
    ]
    return "\n".join(lines)


_EXAMPLE_RE = re.compile(r"## (Failing|Fixed) example\n```yaml\n(.*?)```", re.DOTALL)


def examples(check: Check) -> dict[str, str]:
    """The failing and fixed YAML examples of a check's documentation."""
    return {kind.lower(): text for kind, text in _EXAMPLE_RE.findall(check.doc)}


def write_pages(directory: Path) -> list[Path]:
    """(Re)write docs/checks/*.md for the built-in checks; returns the pages written."""
    from kubelint.checks import BUILTIN

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for check in BUILTIN:
        page = directory / f"{check.meta.id}.md"
        page.write_text(render_check_page(check), encoding="utf-8")
        written.append(page)
    return written
