"""Output formats: a registry of renderers, each imported only when asked for.

``render(brief, "pdf", templates)`` imports ``briefgen.render.pdf`` (and so WeasyPrint)
on first use; ``import briefgen.render`` itself stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from briefgen.errors import RenderError
from briefgen.render.templates import TemplateSet

if TYPE_CHECKING:
    from briefgen.models import Brief

__all__ = ["EXTENSIONS", "FORMATS", "TemplateSet", "render"]

# Format -> module under briefgen.render providing ``render(brief, templates) -> bytes``.
_MODULES: dict[str, str] = {
    "html": "html",
    "pdf": "pdf",
    "md": "md",
    "json": "json_",
    "docx": "docx_",
}

FORMATS: tuple[str, ...] = tuple(_MODULES)
EXTENSIONS: dict[str, str] = {
    "html": ".html",
    "pdf": ".pdf",
    "md": ".md",
    "json": ".json",
    "docx": ".docx",
}


def render(brief: Brief, fmt: str, templates: TemplateSet | None = None) -> bytes:
    """Render ``brief`` as ``fmt`` (one of FORMATS) and return the file's bytes."""
    if fmt not in _MODULES:
        raise RenderError(
            f"unknown output format {fmt!r}", hint="choose from " + ", ".join(FORMATS)
        )
    module = importlib.import_module(f"briefgen.render.{_MODULES[fmt]}")
    return module.render(brief, templates or TemplateSet())
