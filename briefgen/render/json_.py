"""JSON: the documented public structure (see context.brief_data)."""

from __future__ import annotations

import json

from briefgen.models import Brief
from briefgen.render.context import brief_data
from briefgen.render.templates import TemplateSet


def render(brief: Brief, templates: TemplateSet) -> bytes:
    # Keys sorted and lists in brief order, so the same brief gives the same bytes.
    text = json.dumps(brief_data(brief), ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")
