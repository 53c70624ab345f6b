"""The brief's sections and their order, written once.

Every renderer follows ``SECTIONS``: the HTML (and so the PDF) and Markdown templates
loop over the context's ``outline`` and render the block named by each entry's
``key``; the DOCX layout calls one writer per key; the contents list is ``contents``.
A section is left out when it has nothing to show (no what's new on an unnumbered
build, no discrepancies found). Titles come from ``render/messages.py``; a theme's
title is the one configured for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefgen.render.messages import message

Data = dict[str, Any]


@dataclass(frozen=True)
class Section:
    """One part of the brief, in document order."""

    key: str  # the template block and the DOCX writer of this section
    anchor: str  # its HTML id (the contents list and the PDF bookmarks link to it)
    in_contents: bool = True  # listed in the contents list
    per_theme: bool = False  # one section per theme, titled and anchored by the theme


SECTIONS: tuple[Section, ...] = (
    Section("key_points", "key-points"),
    Section("contents", "contents", in_contents=False),
    Section("whats_new", "whats-new"),
    Section("themes", "theme-{id}", per_theme=True),
    Section("discrepancies", "discrepancies"),
    Section("sources", "sources"),
)


def theme_anchor(theme_id: str) -> str:
    """The HTML id of a theme's section."""
    return THEME_SECTION.anchor.format(id=theme_id)


THEME_SECTION = next(s for s in SECTIONS if s.per_theme)


def titles() -> dict[str, str]:
    """Section key -> title shown to readers (themes are titled by their config)."""
    return {s.key: message(f"section.{s.key}") for s in SECTIONS if not s.per_theme}


def _present(section: Section, ctx: Data) -> bool:
    if section.key == "whats_new":
        return ctx.get("changes") is not None
    if section.key in ("themes", "discrepancies"):
        return bool(ctx.get(section.key))
    return True


def outline(ctx: Data) -> list[Data]:
    """The sections this brief shows, in order: ``{key, title, anchor}`` each. The
    themes are one entry (``key`` "themes"; ``title`` and ``anchor`` None): each theme
    is its own section in the contents list."""
    names = titles()
    return [
        {
            "key": s.key,
            "title": None if s.per_theme else names[s.key],
            "anchor": None if s.per_theme else s.anchor,
        }
        for s in SECTIONS
        if _present(s, ctx)
    ]


def contents(ctx: Data) -> list[Data]:
    """The contents list: ``{key, title, anchor}`` for each section shown, one per theme."""
    by_key = {s.key: s for s in SECTIONS}
    entries: list[Data] = []
    for entry in outline(ctx):
        section = by_key[entry["key"]]
        if not section.in_contents:
            continue
        if section.per_theme:
            entries += [
                {"key": "theme", "title": t["title"], "anchor": theme_anchor(t["id"])}
                for t in ctx["themes"]
            ]
        else:
            entries.append(entry)
    return entries
