"""The words a reader sees that do not come from the articles or the config.

Stages carry codes (``ThemeSection.note = "little-coverage"``); renderers turn them
into text here, and section titles come from here through ``render/outline.py``.
Templates get the same text through the view model (``titles``, ``theme.note``,
``sources_more``), so the HTML, PDF, Markdown and DOCX say the same thing. English
only today; another language would be another ``MESSAGES`` table.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Section titles, in outline order (render/outline.py).
    "section.key_points": "Key points",
    "section.contents": "Contents",
    "section.whats_new": "New since the last edition",
    "section.discrepancies": "Discrepancies",
    "section.sources": "Sources",
    # Sections by kind (ThemeSection.kind): a discovered theme is labelled as such;
    # "other" holds the salient facts no theme took.
    "theme.discovered.label": "Theme discovered from the articles",
    "theme.other.title": "Other developments",
    "theme.other.description": "Facts that fit none of the themes above with confidence.",
    # Notes a stage attaches by code (ThemeSection.note).
    "note.little-coverage": "Little coverage of this theme in these sources.",
    # Fixed lines of the layout.
    "key_points.empty": "No key points could be drawn from these sources.",
    "discrepancies.intro": "Sources disagree on the following points; check before publishing.",
    "sources.more.one": (
        "\u2026and 1 more article read but not cited. The HTML and JSON editions of this "
        "brief list all {total} sources."
    ),
    "sources.more.many": (
        "\u2026and {count} more articles read but not cited. The HTML and JSON editions of "
        "this brief list all {total} sources."
    ),
    "whats_new.first": "This is the first edition of this brief.",
    "whats_new.compared": "Edition {edition}, compared with edition {previous}{since}.",
    "whats_new.empty": "No new facts, quotes or sources since the last edition.",
    "whats_new.new_facts": "New facts",
    "whats_new.article_facts": "From added and updated articles",
    "whats_new.new_quotes": "New quotes",
    "whats_new.dropped": "No longer reported",
    "whats_new.sources": "Sources",
    # After a what's-new list cut short in the paged formats (render/view.py cited_only).
    "whats_new.sources_more.one": (
        "\u2026and 1 more article {change}. The HTML and JSON editions of this brief list "
        "all {total}."
    ),
    "whats_new.sources_more.many": (
        "\u2026and {count} more articles {change}. The HTML and JSON editions of this brief "
        "list all {total}."
    ),
    "whats_new.article_facts_more.one": (
        "\u2026and 1 more added or updated article with new facts. The HTML and JSON "
        "editions of this brief list them all."
    ),
    "whats_new.article_facts_more.many": (
        "\u2026and {count} more added or updated articles with new facts. The HTML and JSON "
        "editions of this brief list them all."
    ),
    "speaker.unknown": "Unattributed",
}


def message(key: str, **values: object) -> str:
    """The text of message ``key`` with ``{name}`` fields filled from ``values``."""
    text = MESSAGES[key]
    return text.format(**values) if values else text


def template_messages() -> dict[str, str]:
    """The fixed lines (no ``{field}``) for templates, by key with ``_`` for ``.``:
    ``{{ messages.key_points_empty }}``."""
    return {k.replace(".", "_"): v for k, v in MESSAGES.items() if "{" not in v}


def theme_words(kind: str, what: str) -> str:
    """A section's ``title``, ``description`` or ``label`` by its kind; "" when the kind
    has none (a configured theme's words come from the config)."""
    return MESSAGES.get(f"theme.{kind}.{what}", "")


def note_text(note: str | None) -> str | None:
    """A theme note's text: a code (``"little-coverage"``) becomes its sentence; any
    other string (a Brief built by hand) is shown as it is."""
    if not note:
        return None
    return MESSAGES.get(f"note.{note}", note)


def sources_more(count: int, total: int) -> str | None:
    """The line after a source list cut to the cited sources; None when none was cut."""
    if count <= 0:
        return None
    key = "sources.more.one" if count == 1 else "sources.more.many"
    return message(key, count=count, total=total)


def whats_new_more(list_name: str, count: int, total: int, change: str = "") -> str | None:
    """The line after a what's-new list (``"sources"``: the added, updated or removed
    articles, ``change`` saying which; ``"article_facts"``) cut to its first entries in a
    paged format; None when nothing was cut."""
    if count <= 0:
        return None
    key = f"whats_new.{list_name}_more.{'one' if count == 1 else 'many'}"
    return message(key, count=count, total=total, change=change)
