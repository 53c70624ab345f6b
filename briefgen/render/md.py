"""Markdown: escaped article text, `[n]` citations as reference-style links."""

from __future__ import annotations

import re

from briefgen.models import Brief
from briefgen.render.templates import TemplateSet
from briefgen.render.view import display_context

TEMPLATE = "brief.md.j2"


def render(brief: Brief, templates: TemplateSet) -> bytes:
    # No zero-width spaces here: Markdown readers wrap long tokens themselves, and
    # invisible characters would end up in whatever an editor pastes the text into.
    context = display_context(brief, break_tokens=False)
    text = templates.render_text(TEMPLATE, context)
    # Optional parts leave runs of blank lines; one blank line is all Markdown needs.
    text = re.sub(r"\n{3,}", "\n\n", text)
    return (text.strip("\n") + "\n").encode("utf-8")
