"""What is new since the last edition.

A fact or quote is new when its words appear in no source of the last edition
(being picked now for the first time does not make old news new). A fact of the
last edition is no longer reported when no current source carries its sentence.
Sources are compared by path: added, removed, or updated (same path, new content).

Each added or updated article also shows its most important new facts, whether or
not a theme section took them: its sentences that say something no source of the
last edition said, scored by the salience the brief ranks facts by (rank.py) and
picked without repeats, up to ``FACTS_PER_ARTICLE`` each.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
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
    fact_citation,
    quote_share,
    sentence_features,
)
from briefgen.stages.features import (
    SimilarityIndex,
)
from briefgen.stages.quotes import QuoteSpan, find_quotes

FACTS_PER_ARTICLE = 3
# A sentence opening on a pronoun or a connective leans on the one before it; out of
# its article it cannot be read as a fact.
_CONNECTIVE_RE = re.compile(r"^(?:but|and|so|yet|also)\b", re.I)


def text_key(text: str) -> str:
    """A short hash of a text with case, spacing and punctuation ignored."""
    words = re.findall(r"\w+", text.lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def corpus_keys(sentences: Iterable[Sentence]) -> list[str]:
    """Keys of every sentence of the corpus, stored with an edition for the next diff."""
    return sorted({text_key(s.text) for s in sentences})


def mark(
    brief: Brief,
    sentences: list[Sentence],
    last: dict[str, Any] | None,
    quotes: dict[int, list[QuoteSpan]] | None = None,
) -> None:
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
    changes.article_facts = article_facts(brief, sentences, before, changes, quotes or {})
    brief.changes = changes


def article_facts(
    brief: Brief,
    sentences: Sequence[Sentence],
    before: set[str],
    changes: Changes,
    quotes: dict[int, list[QuoteSpan]] | None = None,
    limit: int = FACTS_PER_ARTICLE,
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
    cands = sentence_features(sentences).cands  # as the brief builds them
    origin_of = {s.n: sourcing.origin(s) for s in brief.sources}
    sources = {s.n: s for s in brief.sources if s.n in wanted}
    groups = _article_groups(cands, sources, origin_of, quotes or {})
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
) -> dict[int, list[rank.FactGroup]]:
    """Every fact-sized sentence of the wanted articles, grouped with the sentences of
    other sources that report the same thing and scored as the brief scores its facts.

    Features and the centroid come from the whole corpus, as in the brief; similar
    sentences are looked up for the wanted articles' sentences only, so adding one
    article to a large story costs little.
    """
    eligible = [_fact_sized(c.sentence.text) for c in cands]
    quoted = {n: _quote_spans(source, quotes.get(n)) for n, source in wanted.items()}
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
    # Every other fact-sized sentence stands alone, so the centroid is the corpus's.
    rest = [
        rank.FactGroup(members=[c], sources={c.sentence.source})
        for i, c in enumerate(cands)
        if eligible[i] and i not in in_groups
    ]
    counts = Counter(c.sentence.source for c in cands)
    rank.score_groups([g for gs in groups.values() for g in gs] + rest, counts, origin_of)
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
        and rank.same_fact(sim, rank.anchor_weight(cands[i].anchors & cands[j].anchors))
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
