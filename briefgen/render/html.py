"""HTML: one self-contained file (stylesheet inlined), readable on a phone."""

from __future__ import annotations

from typing import Any

from briefgen.models import Brief
from briefgen.render.context import display_context
from briefgen.render.templates import TemplateSet

TEMPLATE = "brief.html.j2"


def render_html(brief: Brief, templates: TemplateSet, **extra: Any) -> str:
    """The brief as an HTML string (also the input of the PDF renderer)."""
    return templates.render_text(TEMPLATE, {**display_context(brief), **extra})


def render(brief: Brief, templates: TemplateSet) -> bytes:
    return render_html(brief, templates).encode("utf-8")
