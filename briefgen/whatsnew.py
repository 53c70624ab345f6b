"""What is new since the last edition.

A fact or quote is new when its words appear in no source of the last edition
(being picked now for the first time does not make old news new). A fact of the
last edition is no longer reported when no current source carries its sentence.
Sources are compared by path: added, removed, or updated (same path, new content).

Each added or updated article also shows its most important new facts, whether or
not a theme section took them: its sentences that say something no source of the
last edition said, scored by the salience the brief ranks facts by (rank.py) and
picked without repeats, up to ``FACTS_PER_ARTICLE`` each.

The comparison is between typed records (``EditionRecord``): ``read_record`` makes one
from the JSON an edition stored for the next diff (``edition_record``, kept as
``.briefgen/last-brief.json``), ``record_of`` from the Brief being built, and ``mark``
compares the two with set operations on their keys.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from briefgen.models import (
    ArticleFacts,
    Brief,
    Changes,
    DroppedFact,
    Fact,
    Sentence,
    Source,
)
from briefgen.stages import rank, reference, sourcing
from briefgen.stages.assemble import (
    MAX_FACT_WORDS,
    MIN_FACT_WORDS,
    QUOTE_SENTENCE_SHARE,
    Features,
    fact_citation,
    quote_share,
    sentence_features,
)
from briefgen.stages.features import SimilarityIndex, centroid
from briefgen.stages.quotes import QuoteSpan, find_quotes

FACTS_PER_ARTICLE = 3
# A sentence opening on a pronoun or a connective leans on the one before it; out of
# its article it cannot be read as a fact.
_CONNECTIVE_RE = re.compile(r"^(?:but|and|so|yet|also)\b", re.I)


@lru_cache(maxsize=1 << 17)
def text_key(text: str) -> str:
    """A short hash of a text with case, spacing and punctuation ignored. Memoised: a
    build asks for every sentence's key when it marks what is new and again when it
    records the edition."""
    words = re.findall(r"\w+", text.lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def corpus_keys(sentences: Iterable[Sentence]) -> list[str]:
    """Keys of every sentence of the corpus, stored with an edition for the next diff."""
    return sorted({text_key(s.text) for s in sentences})


# --- what an edition is compared on -----------------------------------------------------


@dataclass(frozen=True)
class EditionFact:
    """A fact an edition showed (a key point or a theme's fact)."""

    key: str  # text_key(text)
    text: str
    source_title: str | None  # its first cited source's title (or path), when known


@dataclass(frozen=True)
class EditionSource:
    """A source an edition read, compared by path; ``content_id`` tells an update."""

    path: str
    content_id: str | None  # Source.id (a hash of its content); None when not recorded
    title: str | None = None


@dataclass(frozen=True)
class EditionRecord:
    """What an edition is compared on: the facts it showed, the sources it read, and
    the keys of every sentence and every quote those sources held (so that old news
    is known as old even when the edition did not show it)."""

    edition: int | None
    published_at: str | None
    facts: tuple[EditionFact, ...]
    sources: tuple[EditionSource, ...]
    sentence_keys: frozenset[str]
    quote_keys: frozenset[str]

    def content_ids(self) -> dict[str, str | None]:
        return {s.path: s.content_id for s in self.sources}


class UnreadableEdition(ValueError):
    """The last edition's stored data is not an edition record this version can read."""


def record_of(
    brief: Brief, sentences: Iterable[Sentence], quotes: Iterable[str] = ()
) -> EditionRecord:
    """The record of the brief being built: its facts, its sources, the keys of every
    sentence of the corpus and of every quote (``quotes``: their texts)."""
    titles = {s.n: s.title or s.path for s in brief.sources}
    facts = tuple(
        EditionFact(
            text_key(f.text), f.text, titles.get(f.citations[0].source) if f.citations else None
        )
        for f in _facts(brief)
    )
    return EditionRecord(
        edition=brief.edition,
        published_at=brief.generated_at,
        facts=facts,
        sources=tuple(EditionSource(s.path, s.id, s.title) for s in brief.sources),
        sentence_keys=frozenset(text_key(s.text) for s in sentences),
        quote_keys=frozenset(text_key(q) for q in quotes),
    )


def read_record(data: object) -> EditionRecord:
    """The record of a published edition from the JSON it stored (``edition_record``),
    or from its public ``brief.json``.

    Fields an older edition lacks are tolerated: no ``corpus`` (sentence keys) or
    ``quotes`` (quote keys) falls back on the keys of the facts and quotes the edition
    showed; no ``edition``, ``generated_at``, source ``id`` or ``title``, or fact
    ``citations`` is None. Anything else that is missing or of the wrong type (not an
    object, no ``sources`` list, a source without a ``path``, a fact without a
    ``text``) raises ``UnreadableEdition`` naming it.
    """
    if not isinstance(data, dict):
        raise UnreadableEdition(f"not a JSON object but {_kind(data)}")
    sources = _list(data, "sources", required=True)
    by_n: dict[object, str] = {}
    read_sources = []
    for i, item in enumerate(sources):
        where = f"sources[{i}]"
        path = _field(item, "path", str, where, required=True)
        title = _field(item, "title", str, where)
        read_sources.append(EditionSource(path, _field(item, "id", str, where), title))
        n = _field(item, "n", int, where)
        if n is not None:
            by_n[n] = title or path
    facts = []
    for where, item in _shown(data, "facts"):
        text = _field(item, "text", str, where, required=True)
        citations = _field(item, "citations", list, where) or []
        first = citations[0] if citations and isinstance(citations[0], dict) else {}
        source = first.get("source")
        title = by_n.get(source) if isinstance(source, int) else None
        facts.append(EditionFact(text_key(text), text, title))
    edition = _field(data, "edition", int, "the edition")
    published = _field(data, "generated_at", str, "the edition")
    sentence_keys = _keys(data, "corpus", (f.key for f in facts))
    shown_quotes = (
        text_key(_field(q, "text", str, where, required=True))
        for where, q in _shown(data, "quotes")
    )
    return EditionRecord(
        edition=edition,
        published_at=published,
        facts=tuple(facts),
        sources=tuple(read_sources),
        sentence_keys=sentence_keys,
        quote_keys=_keys(data, "quotes", shown_quotes),
    )


def load_record(path: Path) -> tuple[EditionRecord | None, str | None]:
    """The last edition's record from ``path``, and what went wrong reading it.

    No file is a first edition (None, None). A file that cannot be read or is not an
    edition record this version can read is treated the same, with a note saying so
    (None, note): the brief shows this edition as a first one and the next edition is
    compared with this one.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, _unreadable(path, exc.strerror or str(exc))
    try:
        return read_record(json.loads(raw)), None
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, ours
        reason = str(exc) if isinstance(exc, UnreadableEdition) else "not valid JSON"
        return None, _unreadable(path, reason)


def _unreadable(path: Path, reason: str) -> str:
    return (
        f"{path.name}: the last edition's record could not be read ({reason}); "
        "this edition is shown as a first edition, and the next one is compared with it"
    )


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _field(item: object, key: str, kind: type, where: str, *, required: bool = False) -> Any:
    """``item[key]`` when it is a ``kind`` (None when absent or null and not required)."""
    if not isinstance(item, dict):
        raise UnreadableEdition(f"{where} is {_kind(item)}, not an object")
    value = item.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        missing = "missing" if value is None else f"{_kind(value)}, not {kind.__name__}"
        raise UnreadableEdition(f"{where}: {key!r} is {missing}")
    return value


def _list(data: dict[str, Any], key: str, *, required: bool = False) -> list[Any]:
    return _field(data, key, list, "the edition", required=required) or []


def _shown(data: dict[str, Any], kind: str) -> Iterator[tuple[str, Any]]:
    """Each fact (``kind="facts"``) or quote the edition showed, with where it is:
    the key points, then each theme's."""
    if kind == "facts":
        for i, item in enumerate(_list(data, "key_points")):
            yield f"key_points[{i}]", item
    for t, theme in enumerate(_list(data, "themes")):
        for i, item in enumerate(_field(theme, kind, list, f"themes[{t}]") or []):
            yield f"themes[{t}].{kind}[{i}]", item


def _keys(data: dict[str, Any], key: str, fallback: Iterable[str]) -> frozenset[str]:
    """The stored keys ``data[key]``; without them, the keys of what the edition showed."""
    if data.get(key) is None:
        return frozenset(fallback)
    stored = _list(data, key)
    if not all(isinstance(k, str) for k in stored):
        raise UnreadableEdition(f"{key!r} holds a value that is not a string")
    return frozenset(stored)


# --- the comparison -------------------------------------------------------------------------


def mark(
    brief: Brief,
    sentences: list[Sentence],
    last: EditionRecord | None,
    quotes: dict[int, list[QuoteSpan]] | None = None,
    features: Features | None = None,
) -> None:
    """Set ``brief.changes`` and the ``new`` flags against the last edition's record.

    ``features``: the brief's ranking features of ``sentences`` (``Assembled.features``),
    so that they are not computed a second time."""
    if last is None:
        brief.changes = Changes(first=True)
        return
    now = record_of(brief, sentences)
    changes = Changes(
        first=False,
        previous_edition=last.edition,
        previous_published_at=last.published_at,
    )
    new_keys = {f.key for f in now.facts} - last.sentence_keys
    for fact in _facts(brief):
        if text_key(fact.text) in new_keys:
            fact.new = True
            changes.new_facts.append(fact)
    for theme in brief.themes:
        for quote in theme.quotes:
            if text_key(quote.text) not in last.quote_keys:
                quote.new = True
                changes.new_quotes.append(quote)
    changes.dropped_facts = [
        DroppedFact(f.text, f.source_title) for f in last.facts if f.key not in now.sentence_keys
    ]
    old, new = last.content_ids(), now.content_ids()
    changes.sources_added = sorted(new.keys() - old.keys())
    changes.sources_removed = sorted(old.keys() - new.keys())
    # A source whose content id was not recorded cannot be told updated: it is not.
    changes.sources_updated = sorted(
        p for p in new.keys() & old.keys() if old[p] is not None and new[p] != old[p]
    )
    changes.article_facts = article_facts(
        brief, sentences, set(last.sentence_keys), changes, quotes or {}, features=features
    )
    brief.changes = changes


def article_facts(
    brief: Brief,
    sentences: Sequence[Sentence],
    before: set[str],
    changes: Changes,
    quotes: dict[int, list[QuoteSpan]] | None = None,
    limit: int = FACTS_PER_ARTICLE,
    features: Features | None = None,
) -> list[ArticleFacts]:
    """The most salient new facts of each added or updated article (see the module doc).

    A fact is new when no sentence reporting it was in the last edition's sources;
    facts already listed as new (they made the brief) are not repeated, not even in
    other words.
    """
    by_path = {s.path: s for s in brief.sources}
    wanted = {by_path[p].n: (p, "added") for p in changes.sources_added if p in by_path}
    wanted |= {by_path[p].n: (p, "updated") for p in changes.sources_updated if p in by_path}
    if not wanted:
        return []
    cands = _fresh_candidates(features, sentences)
    origin_of = {s.n: sourcing.origin(s) for s in brief.sources}
    sources = {s.n: s for s in brief.sources if s.n in wanted}
    reuse = features is not None and len(features.cands) == len(sentences)
    index = features.index if features is not None and reuse else None  # the brief's
    groups = _article_groups(cands, sources, origin_of, quotes or {}, index)
    shown = {(c.source, c.start) for f in changes.new_facts for c in f.citations}
    # What the new facts say, so that no pick repeats one of them in other words.
    taken = [c.vector for c in cands if (c.sentence.source, c.sentence.start) in shown]
    found = []
    for n in sorted(wanted):
        fresh = [g for g in groups.get(n, []) if _is_news(g, before, shown)]
        picked = rank.select(fresh, limit, taken=taken)
        taken += [g.lead.vector for g in picked]  # one fact twice, under two articles: once
        path, change = wanted[n]
        facts = [_article_fact(g, origin_of) for g in picked]
        found.append(ArticleFacts(path=path, source=n, change=change, facts=facts))
    return found


def _fresh_candidates(
    features: Features | None, sentences: Sequence[Sentence]
) -> list[rank.Candidate]:
    """The candidates as ``sentence_features`` makes them, before the brief gave them a
    theme, a quote share and a display text: from the brief's features when given
    (their vectors and anchors), else computed."""
    if features is None or len(features.cands) != len(sentences):
        return sentence_features(sentences).cands
    return [
        rank.Candidate(sentence=c.sentence, terms=c.terms, vector=c.vector, anchors=c.anchors)
        for c in features.cands
    ]


def _is_news(group: rank.FactGroup, before: set[str], shown: set[tuple[int, int]]) -> bool:
    """No sentence saying it was in the last edition, and not already listed as new."""
    lead = group.lead.sentence
    if (lead.source, lead.start) in shown:
        return False
    return all(text_key(m.sentence.text) not in before for m in group.members)


def _article_groups(
    cands: Sequence[rank.Candidate],
    wanted: dict[int, Source],
    origin_of: dict[int, int],
    quotes: dict[int, list[QuoteSpan]],
    index: SimilarityIndex | None = None,
) -> dict[int, list[rank.FactGroup]]:
    """Every fact-sized sentence of the wanted articles, grouped with the sentences of
    other sources that report the same thing and scored as the brief scores its facts.

    Features and the centroid come from the whole corpus, as in the brief; similar
    sentences are looked up for the wanted articles' sentences only, so adding one
    article to a large story costs little.
    """
    eligible = [_fact_sized(c.sentence.text) for c in cands]
    quoted = {n: _quote_spans(source, quotes.get(n)) for n, source in wanted.items()}
    if index is None or len(index.vectors) != len(cands):
        index = SimilarityIndex([c.vector for c in cands])
    groups: dict[int, list[rank.FactGroup]] = {}
    in_groups: set[int] = set()
    for i, cand in enumerate(cands):
        n = cand.sentence.source
        if n not in wanted or not eligible[i] or _leans_back(cand.sentence.text):
            continue
        if quote_share(cand.sentence, quoted[n]) >= QUOTE_SENTENCE_SHARE:
            continue  # mostly a quotation: shown with the quotes, not as a fact
        same = _same_fact(i, cands, index, eligible)
        members = [cand, *(cands[j] for j in same)]
        groups.setdefault(n, []).append(
            rank.FactGroup(members=members, sources={m.sentence.source for m in members})
        )
        in_groups.update([i, *same])
    # The centroid is the corpus's: that of the wanted articles' groups and of every
    # other fact-sized sentence, standing alone. Only the wanted groups are scored.
    wanted_groups = [g for gs in groups.values() for g in gs]
    members = [c for g in wanted_groups for c in g.members]
    members += [c for i, c in enumerate(cands) if eligible[i] and i not in in_groups]
    center = centroid(c.vector for c in members)
    counts = Counter(c.sentence.source for c in cands)
    rank.score_groups(wanted_groups, counts, origin_of, center=center)
    return groups


def _same_fact(
    i: int, cands: Sequence[rank.Candidate], index: SimilarityIndex, eligible: Sequence[bool]
) -> list[int]:
    """Other sources' sentences reporting the same fact as sentence ``i``."""
    mine = cands[i].sentence.source
    return [
        j
        for j, sim in index.neighbours(i, rank.SAME_FACT_TWO_ANCHORS)
        if eligible[j]
        and cands[j].sentence.source != mine
        and rank.reports_same_fact(cands[i], cands[j], sim)
    ]


def _fact_sized(text: str) -> bool:
    words = len(text.split())
    return MIN_FACT_WORDS <= words <= MAX_FACT_WORDS and not text.rstrip().endswith("?")


def _leans_back(text: str) -> bool:
    """Opens on a reference the reader cannot resolve (reference.py, as the brief's facts)
    or on a connective."""
    return reference.opening_reference(text) is not None or bool(
        _CONNECTIVE_RE.match(text.lstrip("\"'“‘ "))
    )


def _quote_spans(source: Source, found: list[QuoteSpan] | None) -> list[tuple[int, int]]:
    """The article's quotes of three words or more: from the analysis the build already
    has, read again from the text only when called without it."""
    if found is None:
        blocks = [(b.start, b.end) for b in source.body]
        found = find_quotes(source.text, blocks)
    return [(q.start, q.end) for q in found if not q.scare]


def _article_fact(group: rank.FactGroup, origin_of: dict[int, int]) -> Fact:
    """The article's own sentence, cited first, then each other source's clearest one."""
    lead = group.lead.sentence
    others: dict[int, Sentence] = {}
    for m in sorted(group.members[1:], key=lambda c: -rank.clarity(c)):
        others.setdefault(m.sentence.source, m.sentence)
    citations = [fact_citation(lead)] + [fact_citation(s) for n, s in sorted(others.items())]
    return Fact(
        text=lead.text[citations[0].start - lead.start :],  # no place dateline opens it
        citations=citations,
        score=round(group.score, 4),
        entities=lead.entities,
        new=True,
        independent=len({origin_of.get(c.source, c.source) for c in citations}),
    )


def _facts(brief: Brief) -> Iterator[Fact]:
    yield from brief.key_points
    for theme in brief.themes:
        yield from theme.facts


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
