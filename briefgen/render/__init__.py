"""Output formats: one registry of renderers, each imported only when asked for.

``RENDERERS`` names every output format: the name ``-f`` takes, the extension of the
file it writes and the template files it reads. The CLI's ``-f`` choices and the
default "all formats" come from it. ``render(brief, "pdf", templates)`` imports
``briefgen.render.pdf`` (and so WeasyPrint) on first use; ``import briefgen.render``
itself stays cheap.

To add a format: write a module with ``render(brief, templates) -> bytes`` and add a
``Renderer`` for it below.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.errors import RenderError
from briefgen.render.templates import TemplateSet

if TYPE_CHECKING:
    from briefgen.models import Brief

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "RENDERERS",
    "Renderer",
    "TemplateSet",
    "format_names",
    "render",
    "template_files",
]


@dataclass(frozen=True)
class Renderer:
    """One output format."""

    name: str  # as given to -f, and the key in RENDERERS
    extension: str  # of the file written: output_stem + extension
    module: str  # dotted module providing ``render(brief, templates) -> bytes``
    templates: tuple[str, ...] = ()  # template files it reads (user folder first)


# In the order a build renders them when no format is asked for.
RENDERERS: dict[str, Renderer] = {
    r.name: r
    for r in (
        Renderer(
            "html", ".html", "briefgen.render.html",
            ("brief.html.j2", "macros.html.j2", "screen.css"),
        ),
        Renderer(
            "pdf", ".pdf", "briefgen.render.pdf",
            ("brief.html.j2", "macros.html.j2", "screen.css", "print.css"),
        ),
        Renderer("md", ".md", "briefgen.render.md", ("brief.md.j2",)),
        Renderer("json", ".json", "briefgen.render.json_"),
        Renderer("docx", ".docx", "briefgen.render.docx_", ("brief.docx",)),
    )
}  # fmt: skip

# Snapshots of the registry taken at import, for code that reads them as constants.
FORMATS: tuple[str, ...] = tuple(RENDERERS)
EXTENSIONS: dict[str, str] = {name: r.extension for name, r in RENDERERS.items()}


def format_names() -> tuple[str, ...]:
    """The registered format names, read now (the registry may have grown since import)."""
    return tuple(RENDERERS)


def template_files() -> tuple[str, ...]:
    """Every template file some renderer reads, each once, in registry order."""
    return tuple(dict.fromkeys(name for r in RENDERERS.values() for name in r.templates))


def render(brief: Brief, fmt: str, templates: TemplateSet | None = None) -> bytes:
    """Render ``brief`` as ``fmt`` (a name in RENDERERS) and return the file's bytes."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise RenderError(
            f"unknown output format {fmt!r}", hint="choose from " + ", ".join(format_names())
        )
    module = importlib.import_module(renderer.module)
    return module.render(brief, templates or TemplateSet())
