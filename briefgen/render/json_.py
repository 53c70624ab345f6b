"""JSON: the documented public structure (see schema.brief_data)."""

from __future__ import annotations

import json
import re

from briefgen.models import Brief
from briefgen.render.schema import brief_data
from briefgen.render.templates import TemplateSet


def render(brief: Brief, templates: TemplateSet) -> bytes:
    # Keys sorted and lists in brief order, so the same brief gives the same bytes.
    text = json.dumps(brief_data(brief), ensure_ascii=False, indent=2, sort_keys=True)
    # A lone surrogate (from a JSON export's "\\ud800") is not encodable as UTF-8; as an
    # escape it is valid JSON and reads back as the same string, so offsets stay exact.
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    return (text + "\n").encode("utf-8")


_SURROGATE = re.compile("[\ud800-\udfff]")
