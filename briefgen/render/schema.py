"""The public JSON schema: ``brief_data`` turns a Brief into the documented structure
``brief.json`` carries (raw article text, int offsets into the source texts).

This is a public contract: keys and values stay as they are; additions only. The
template view model built on top of it is ``render/view.py``.
"""

from __future__ import annotations

from typing import Any

from briefgen.models import (
    ArticleFacts,
    Brief,
    Changes,
    Citation,
    Discrepancy,
    Entity,
    Fact,
    QuoteItem,
    Source,
    ThemeSection,
)
from briefgen.render.messages import note_text, theme_words

Data = dict[str, Any]


def _citation(c: Citation) -> Data:
    return {"source": c.source, "start": int(c.start), "end": int(c.end)}


def _entity(e: Entity) -> Data:
    return {
        "text": e.text,
        "kind": e.kind,
        "start": int(e.start),
        "end": int(e.end),
        "value": e.value,
    }


def _source(s: Source) -> Data:
    return {
        "n": s.n,
        "id": s.id,
        "path": s.path,
        "title": s.title,
        "outlet": s.outlet,
        "published": s.published,
        "url": s.url,
        "author": s.author,
        "reliability": s.reliability,
        "syndicated_from": s.syndicated_from,
        # Offsets of an extracted article (HTML, feed, export) index this text, not the file.
        "text": s.text if s.extracted else None,
    }


def _fact(f: Fact) -> Data:
    data = {
        "text": f.text,
        "citations": [_citation(c) for c in f.citations],
        "source_count": f.source_count,
        "entities": [_entity(e) for e in f.entities],
        "new": f.new,
    }
    # What the brief shows, when it is not the verbatim span (an editorial insertion
    # in square brackets names a pronoun's referent); `text` stays the source's words.
    if f.display and f.display != f.text:
        data["display"] = f.display
    return data


def _quote(q: QuoteItem) -> Data:
    return {
        "text": q.text,
        "speaker": q.speaker,
        "speaker_role": q.speaker_role,
        "citations": [_citation(c) for c in q.citations],
        "source_count": len({c.source for c in q.citations}),
        "new": q.new,
    }


def _theme(t: ThemeSection) -> Data:
    return {
        "id": t.id,
        # "Other developments" is titled and described from the message catalogue.
        "title": t.title or theme_words(t.kind, "title"),
        "description": t.description or theme_words(t.kind, "description"),
        "kind": t.kind,  # configured, discovered, or other
        "discovered": t.discovered,
        # The note's English text (the model carries a message code).
        "note": note_text(t.note),
        "facts": [_fact(f) for f in t.facts],
        "quotes": [_quote(q) for q in t.quotes],
    }


def _discrepancy(d: Discrepancy) -> Data:
    return {
        "subject": d.subject,
        "kind": d.kind,
        "sides": [
            {"value": s.value, "text": s.text, "citations": [_citation(c) for c in s.citations]}
            for s in d.sides
        ],
    }


def brief_data(brief: Brief) -> Data:
    """The brief as the documented JSON structure (raw article text, int offsets)."""
    return {
        "title": brief.title,
        "generated_at": brief.generated_at,
        "sources": [_source(s) for s in sorted(brief.sources, key=lambda s: s.n)],
        "key_points": [_fact(f) for f in brief.key_points],
        "themes": [_theme(t) for t in brief.themes],
        "discrepancies": [_discrepancy(d) for d in brief.discrepancies],
        "edition": brief.edition,
        "changes": _changes(brief.changes),
    }


def _changes(changes: Changes | None) -> Data | None:
    """What is new since the last edition; new facts and quotes by text (they also
    carry ``"new": true`` where they appear)."""
    if changes is None:
        return None
    return {
        "first": changes.first,
        "previous_edition": changes.previous_edition,
        "previous_published_at": changes.previous_published_at,
        "new_facts": [_fact(f) for f in changes.new_facts],
        "new_quotes": [_quote(q) for q in changes.new_quotes],
        "dropped_facts": [
            {"text": d.text, "source_title": d.source_title} for d in changes.dropped_facts
        ],
        "sources_added": changes.sources_added,
        "sources_removed": changes.sources_removed,
        "sources_updated": changes.sources_updated,
        # Added after the keys above (additive): each added or updated article's key new facts.
        "article_facts": [_article_facts(a) for a in changes.article_facts],
    }


def _article_facts(a: ArticleFacts) -> Data:
    return {
        "path": a.path,
        "source": a.source,
        "change": a.change,
        "facts": [_fact(f) for f in a.facts],
    }
