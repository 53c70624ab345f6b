"""What is new since the last edition.

A fact or quote is new when its words appear in no source of the last edition
(being picked now for the first time does not make old news new). A fact of the
last edition is no longer reported when no current source carries its sentence.
Sources are compared by path: added, removed, or updated (same path, new content).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from briefgen.models import Brief, Changes, DroppedFact, Sentence


def text_key(text: str) -> str:
    """A short hash of a text with case, spacing and punctuation ignored."""
    words = re.findall(r"\w+", text.lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def corpus_keys(sentences: Iterable[Sentence]) -> list[str]:
    """Keys of every sentence of the corpus, stored with an edition for the next diff."""
    return sorted({text_key(s.text) for s in sentences})


def mark(brief: Brief, sentences: list[Sentence], last: dict[str, Any] | None) -> None:
    """Set ``brief.changes`` and the ``new`` flags against the last edition's data."""
    if last is None:
        brief.changes = Changes(first=True)
        return
    before = set(last.get("corpus", []))
    now = {text_key(s.text) for s in sentences}
    changes = Changes(
        first=False,
        previous_edition=last.get("edition"),
        previous_published_at=last.get("generated_at"),
    )
    for fact in _facts(brief):
        if text_key(fact.text) not in before:
            fact.new = True
            changes.new_facts.append(fact)
    old_quotes = set(last.get("quotes", []))
    for theme in brief.themes:
        for quote in theme.quotes:
            if text_key(quote.text) not in old_quotes:
                quote.new = True
                changes.new_quotes.append(quote)
    titles = {s["n"]: s.get("title") or s.get("path") for s in last.get("sources", [])}
    for fact in _old_facts(last):
        if text_key(fact["text"]) not in now:
            source = fact["citations"][0]["source"] if fact.get("citations") else None
            changes.dropped_facts.append(DroppedFact(fact["text"], titles.get(source)))
    old_sources = {s["path"]: s["id"] for s in last.get("sources", [])}
    new_sources = {s.path: s.id for s in brief.sources}
    changes.sources_added = sorted(set(new_sources) - set(old_sources))
    changes.sources_removed = sorted(set(old_sources) - set(new_sources))
    changes.sources_updated = sorted(
        p for p in set(new_sources) & set(old_sources) if new_sources[p] != old_sources[p]
    )
    brief.changes = changes


def _facts(brief: Brief):
    yield from brief.key_points
    for theme in brief.themes:
        yield from theme.facts


def _old_facts(last: dict[str, Any]):
    yield from last.get("key_points", [])
    for theme in last.get("themes", []):
        yield from theme.get("facts", [])


def edition_record(
    brief_data: dict[str, Any], sentences: list[Sentence], quotes: Iterable[str]
) -> dict[str, Any]:
    """What is kept of an edition for the next diff: its content, and the keys of every
    sentence and every quote its sources held (so old news is known as old)."""
    return {
        **brief_data,
        "corpus": corpus_keys(sentences),
        "quotes": sorted({text_key(q) for q in quotes}),
    }
