"""HTML: one self-contained file (stylesheet inlined), readable on a phone."""

from __future__ import annotations

from typing import Any

from briefgen.models import Brief
from briefgen.render.templates import TemplateSet
from briefgen.render.view import cited_only, display_context

TEMPLATE = "brief.html.j2"


def render_html(
    brief: Brief, templates: TemplateSet, *, cited_sources_only: bool = False, **extra: Any
) -> str:
    """The brief as an HTML string (also the input of the PDF renderer, which lists
    only the cited sources: ``cited_sources_only``)."""
    context = display_context(brief)
    if cited_sources_only:
        context = cited_only(context)
    return templates.render_text(TEMPLATE, {**context, **extra})


def render(brief: Brief, templates: TemplateSet) -> bytes:
    return render_html(brief, templates).encode("utf-8")
