"""The view model templates and the DOCX layout read: ``display_context``.

It is the public JSON (``render/schema.py``) plus what a reader's document needs:
citation refs, anchors, human dates, the section outline and its titles
(``render/outline.py``), the words of ``render/messages.py``, and text cleaned for
typesetting: control characters removed, tokens over 200 characters shortened with an
ellipsis and, for HTML/PDF, break opportunities inserted into tokens over 60 characters.
``cited_only`` cuts the source list to the cited sources for the paged formats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from briefgen.models import Brief, Source
from briefgen.render import outline
from briefgen.render.escape import break_long_tokens, elide_long_tokens, strip_control
from briefgen.render.messages import (
    message,
    sources_more,
    template_messages,
    theme_words,
    whats_new_more,
)
from briefgen.render.schema import brief_data

Data = dict[str, Any]
TextFn = Callable[[str], str]

UNATTRIBUTED = message("speaker.unknown")
# Citations an item shows in the paged formats (PDF, DOCX); the HTML shows them all.
MAX_REFS = 3
# What's new in the paged formats: the articles each list of added, updated and removed
# sources shows, and the added or updated articles whose new facts are shown.
MAX_SOURCE_CHANGES = 10
MAX_CHANGED_ARTICLES = 5
SOURCE_CHANGES = (("sources_added", "added"), ("sources_updated", "updated"),
                  ("sources_removed", "removed"))  # fmt: skip


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def human_date(value: str | None, *, with_time: bool = False) -> str:
    """'2026-11-22T06:30:00Z' -> '22 November 2026' (or with ', 06:30 UTC')."""
    parsed = _parse_iso(value)
    if parsed is None:
        return value or ""
    text = f"{parsed.day} {parsed:%B %Y}"
    has_time = value is not None and "T" in value
    if with_time and has_time:
        zone = parsed.tzname() or ""
        zone = "UTC" if zone in ("UTC", "UTC+00:00") else zone
        text += f", {parsed:%H:%M}" + (f" {zone}" if zone else "")
    return text


def safe_href(url: str | None) -> str | None:
    """The URL if it is safe to link (http/https); ``javascript:`` and the like are not."""
    if not url:
        return None
    url = strip_control(url).strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    return url if scheme in ("http", "https") else None


def _refs(citations: Iterable[Data], urls: dict[int, str | None]) -> list[Data]:
    """Distinct cited source numbers, ascending: what `[1][3]` is made of."""
    numbers = sorted({c["source"] for c in citations})
    return [{"n": n, "anchor": f"src-{n}", "url": urls.get(n)} for n in numbers]


def _display_item(item: Data, text: TextFn, urls: dict[int, str | None]) -> Data:
    out = dict(item)
    out["text"] = text(item.get("display") or item["text"])
    out["refs"] = _refs(item["citations"], urls)
    out["refs_more"] = 0  # citations not shown as [n] (only the paged formats cap them)
    return out


def _display_quote(item: Data, text: TextFn, urls: dict[int, str | None]) -> Data:
    out = _display_item(item, text, urls)
    speaker, role = item["speaker"], item["speaker_role"]
    if not speaker and role:
        # Said by someone the article describes but does not name: "A government spokeswoman".
        speaker, role = role[:1].upper() + role[1:], None
    out["speaker_label"] = text(speaker) if speaker else UNATTRIBUTED
    out["speaker_role"] = text(role) if role else None
    return out


def _opening_words(source: Source, words: int = 10) -> str | None:
    """The first words of an article's kept body, for a source without a headline."""
    if source.title or not source.body:
        return None
    first = source.text[source.body[0].start : source.body[0].end].split()
    return " ".join(first[:words]) if first else None


def _display_source(src: Data, text: TextFn, opening: str | None = None) -> Data:
    out = dict(src)
    for key in ("title", "outlet", "author", "path"):
        out[key] = text(src[key]) if src[key] else src[key]
    # An article without a headline is named by its opening words, marked as such,
    # so the list stays readable; the file path is shown under it either way.
    out["label"] = out["title"] or (text(f"“{opening}…”") if opening else out["path"])
    out["show_path"] = out["label"] != out["path"]
    out["anchor"] = f"src-{src['n']}"
    out["published_label"] = human_date(src["published"])
    # The href keeps the real URL; only the visible text gets break opportunities.
    out["url_label"] = text(src["url"]) if src["url"] else None
    out["href"] = safe_href(src["url"])
    # What an editor should know when weighing the source.
    out["remarks"] = [
        *([f"reliability {text(src['reliability'])}"] if src.get("reliability") else []),
        *([f"syndicated copy of [{src['syndicated_from']}]"] if src.get("syndicated_from") else []),
    ]
    return out


def _display_theme(theme: Data, text: TextFn, urls: dict[int, str | None]) -> Data:
    out = dict(theme)
    out["title"] = text(theme["title"])
    out["description"] = text(theme["description"]) if theme["description"] else ""
    out["note"] = text(theme["note"]) if theme["note"] else None
    out["facts"] = [_display_item(f, text, urls) for f in theme["facts"]]
    out["quotes"] = [_display_quote(q, text, urls) for q in theme["quotes"]]
    out["anchor"] = outline.theme_anchor(theme["id"])
    out["label"] = theme_words(theme.get("kind", ""), "label")
    return out


def _display_discrepancy(d: Data, text: TextFn, urls: dict[int, str | None]) -> Data:
    return {
        "subject": text(d["subject"]),
        "kind": d["kind"],
        "sides": [
            {**_display_item(side, text, urls), "value": text(side["value"])} for side in d["sides"]
        ],
    }


def display_context(brief: Brief, *, break_tokens: bool = True) -> Data:
    """Template context: brief_data plus refs, anchors, labels and cleaned text."""
    data = brief_data(brief)

    def text(value: str) -> str:
        cleaned = elide_long_tokens(strip_control(value))
        return break_long_tokens(cleaned) if break_tokens else cleaned

    urls = {s["n"]: safe_href(s["url"]) for s in data["sources"]}
    openings = {s.n: _opening_words(s) for s in brief.sources}
    sources = [_display_source(s, text, openings.get(s["n"])) for s in data["sources"]]
    themes = [_display_theme(t, text, urls) for t in data["themes"]]
    organisation = strip_control(brief.organisation).strip() if brief.organisation else None
    date = human_date(brief.generated_at)
    discrepancies = [_display_discrepancy(d, text, urls) for d in data["discrepancies"]]
    changes = _display_changes(data["changes"], text, urls, sources)
    ctx = {
        **data,
        "title": text(brief.title),
        "plain_title": strip_control(brief.title),
        "subtitle": text(brief.subtitle) if brief.subtitle else None,
        "organisation": organisation or None,
        "author": organisation or "briefgen",
        "generated_date": date,
        "generated_label": human_date(brief.generated_at, with_time=True),
        "source_count": len(sources),
        "keywords": [strip_control(t.title) for t in brief.themes],
        "description": strip_control(
            f"{brief.title}: briefing from {len(sources)} sources, generated {date}."
        ),
        "sources": sources,
        # Sources left out of `sources` (the PDF and DOCX list only cited ones; see
        # cited_only) and the line that says so (None when nothing was left out).
        "sources_omitted": 0,
        "sources_more": None,
        "key_points": [_display_item(f, text, urls) for f in data["key_points"]],
        "themes": themes,
        "discrepancies": discrepancies,
        "changes": changes,
        "warnings": [strip_control(w) for w in brief.warnings],
        "titles": outline.titles(),
        "messages": template_messages(),
    }
    ctx["outline"] = outline.outline(ctx)
    ctx["contents"] = outline.contents(ctx)
    return ctx


def _display_changes(
    changes: Data | None,
    text: TextFn,
    urls: dict[int, str | None],
    sources: list[Data] | None = None,
) -> Data | None:
    """The "New since the last edition" section; ``empty`` when nothing changed in content."""
    if changes is None:
        return None
    out = dict(changes)
    out["new_facts"] = [_display_item(f, text, urls) for f in changes["new_facts"]]
    out["article_facts"] = _display_article_facts(changes, text, urls, sources or [])
    out["new_quotes"] = [_display_quote(q, text, urls) for q in changes["new_quotes"]]
    out["dropped_facts"] = [
        {
            "text": text(d["text"]),
            "source_title": text(d["source_title"]) if d["source_title"] else None,
        }
        for d in changes["dropped_facts"]
    ]
    for key in ("sources_added", "sources_removed", "sources_updated"):
        out[key] = [text(p) for p in changes[key]]
    # The lines after a list cut short (only the paged formats cut them: cited_only).
    for key in ("sources_added", "sources_removed", "sources_updated", "article_facts"):
        out[f"{key}_more"] = None
    out["previous_label"] = human_date(changes["previous_published_at"], with_time=True)
    out["empty"] = not any(
        changes[k]
        for k in (
            "new_facts",
            "new_quotes",
            "dropped_facts",
            "sources_added",
            "sources_removed",
            "sources_updated",
            "article_facts",
        )
    )
    return out


def _display_article_facts(
    changes: Data, text: TextFn, urls: dict[int, str | None], sources: list[Data]
) -> list[Data]:
    """Added and updated articles with key new facts, each named as the source list
    names it; articles with nothing new to show are left out (they are under Sources)."""
    labels = {s["n"]: s["label"] for s in sources}
    return [
        {
            **a,
            "path": text(a["path"]),
            "label": labels.get(a["source"]) or text(a["path"]),
            "anchor": f"src-{a['source']}",
            "facts": [_display_item(f, text, urls) for f in a["facts"]],
        }
        for a in changes.get("article_facts", [])
        if a["facts"]
    ]


# --- the source list of the paged formats (PDF, DOCX) -------------------------------------


def cited_numbers(ctx: Data) -> set[int]:
    """Source numbers the brief cites: key points, theme facts and quotes,
    discrepancies and what's new (its facts, quotes and added/updated articles)."""
    items: list[Data] = [*ctx["key_points"]]
    for theme in ctx["themes"]:
        items += theme["facts"] + theme["quotes"]
    for d in ctx["discrepancies"]:
        items += d["sides"]
    numbers: set[int] = set()
    changes = ctx.get("changes")
    if changes:
        items += changes["new_facts"] + changes["new_quotes"]
        for a in changes["article_facts"]:
            items += a["facts"]
            numbers.add(a["source"])
    numbers.update(ref["n"] for item in items for ref in item["refs"])
    return numbers


def _map_items(ctx: Data, fn: Callable[[Data], Data]) -> Data:
    """The context with ``fn`` applied to every item that carries citations."""

    def each(items: list[Data]) -> list[Data]:
        return [fn(item) for item in items]

    out = {
        **ctx,
        "key_points": each(ctx["key_points"]),
        "themes": [
            {**t, "facts": each(t["facts"]), "quotes": each(t["quotes"])} for t in ctx["themes"]
        ],
        "discrepancies": [{**d, "sides": each(d["sides"])} for d in ctx["discrepancies"]],
    }
    changes = ctx.get("changes")
    if changes:
        out["changes"] = {
            **changes,
            "new_facts": each(changes["new_facts"]),
            "new_quotes": each(changes["new_quotes"]),
            "article_facts": [{**a, "facts": each(a["facts"])} for a in changes["article_facts"]],
        }
    return out


def _lead(item: Data) -> int | None:
    """The source an item's text is taken from: its first citation."""
    return item["citations"][0]["source"] if item["citations"] else None


def _cap_refs(item: Data, limit: int, listed: set[int]) -> Data:
    """``item`` showing at most ``limit`` citations: its own source first, then sources
    the list has anyway (``listed``); ``refs_more`` counts the citations left out."""
    lead = _lead(item)
    others = [c["source"] for c in item["citations"][1:] if c["source"] in listed]
    keep = set(list(dict.fromkeys([lead, *others]))[:limit])
    refs = [ref for ref in item["refs"] if ref["n"] in keep]
    return {**item, "refs": refs, "refs_more": len(item["refs"]) - len(refs)}


def bounded_changes(
    changes: Data | None,
    max_paths: int = MAX_SOURCE_CHANGES,
    max_articles: int = MAX_CHANGED_ARTICLES,
) -> Data | None:
    """What's new for a paged format: each list of added, updated and removed sources cut
    to its first ``max_paths`` paths and the added or updated articles with new facts to
    the first ``max_articles``, each cut list followed by its ``…_more`` line pointing to
    the HTML and JSON, which keep every entry. New facts and quotes need no cut: they are
    the brief's own, within its limits; dropped facts are the last edition's."""
    if not changes or changes["first"]:
        return changes
    out = dict(changes)
    for key, change in SOURCE_CHANGES:
        paths = changes[key]
        out[key] = paths[:max_paths]
        out[f"{key}_more"] = whats_new_more("sources", len(paths) - max_paths, len(paths), change)
    articles = changes["article_facts"]
    out["article_facts"] = articles[:max_articles]
    out["article_facts_more"] = whats_new_more(
        "article_facts", len(articles) - max_articles, len(articles)
    )
    return out


def cited_only(ctx: Data, max_refs: int = MAX_REFS) -> Data:
    """The context for a document laid out page by page (PDF, DOCX), which must not grow
    with the number of articles read. Each item cites its own source (the one its text
    is taken from) and up to ``max_refs - 1`` more among those, so the source list has
    one entry at most per item, whatever the number of articles read; ``refs_more``
    counts the citations left out (the badge still gives the number of sources).
    ``sources`` is cut to those sources, each under its own number, with
    ``sources_omitted`` counting the rest and ``sources_more`` the line that says so
    (``source_count`` stays the total). What's new is cut the same way
    (``bounded_changes``). The HTML and JSON keep every citation, source and change."""
    ctx = {**ctx, "changes": bounded_changes(ctx.get("changes"))}
    leads: set[int] = set()

    def collect(item: Data) -> Data:
        lead = _lead(item)
        if lead is not None:
            leads.add(lead)
        return item

    _map_items(ctx, collect)
    changes = ctx.get("changes")
    leads |= {a["source"] for a in changes["article_facts"]} if changes else set()
    ctx = _map_items(ctx, lambda item: _cap_refs(item, max_refs, leads))
    cited = cited_numbers(ctx)
    kept = [s for s in ctx["sources"] if s["n"] in cited]
    omitted = len(ctx["sources"]) - len(kept)
    return {
        **ctx,
        "sources": kept,
        "sources_omitted": omitted,
        "sources_more": sources_more(omitted, ctx["source_count"]),
    }
