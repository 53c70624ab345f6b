"""Assemble: from sentences and quotes to the Brief the renderers show.

Key points first (the most salient facts of the whole story), then per theme
the best facts not already in the key points and the most telling quotes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from briefgen.config import Config
from briefgen.models import Brief, Citation, Fact, QuoteItem, Sentence, Source, ThemeSection
from briefgen.stages import classify, discrepancies, rank, reference, sourcing
from briefgen.stages.features import (
    Vector,
    anchors,
    content_terms,
    cosine,
    document_frequencies,
    name_terms,
    tfidf,
)
from briefgen.stages.people import SpeakerIndex, is_org
from briefgen.stages.quotes import QuoteSpan
from briefgen.stages.structure import lede_span
from briefgen.stages.summarize import summarize

MIN_FACT_WORDS = 7
MAX_FACT_WORDS = 70
QUOTE_SENTENCE_SHARE = 0.6  # a sentence mostly inside quotation marks is shown as a quote
SAME_QUOTE = 0.8
KEY_POINT_WORDS = 30  # word budget per key point for the summariser
MIN_QUOTE_WORDS = 6  # shorter quoted phrases stay inside their sentence
MAX_QUOTE_WORDS = 60  # longer passages are reports being summarised, not telling quotes
THIN_THEME = 2  # fewer facts than this and the section says coverage is thin
RARE_PAIR = 4  # a word pair in more sentences than this is a stock phrase, not an anchor


@dataclass
class QuoteCandidate:
    span: QuoteSpan
    source: int
    vector: Vector
    theme: str | None
    theme_score: float
    speaker: str | None
    role: str | None


def assemble(
    config: Config,
    sources: Sequence[Source],
    sentences: Sequence[Sentence],
    quotes: dict[int, list[QuoteSpan]],
    speakers: SpeakerIndex,
    generated_at: str,
) -> Brief:
    """Build the Brief: key points, one section per theme, the source list."""
    feats = sentence_features(sentences)
    terms, df, n_docs, names, cands = feats.terms, feats.df, feats.n_docs, feats.names, feats.cands
    models = classify.build_models(config.themes, terms, names)
    earlier: dict[int, list[Sentence]] = {}  # each article's sentences so far
    for cand in cands:
        sentence = cand.sentence
        cand.theme, cand.theme_score = classify.assign(models, cand.terms)
        before = earlier.setdefault(sentence.source, [])
        cand.quote_share = quote_share(sentence, quotes.get(sentence.source, []))
        cand.display = reference.display_text(sentence, before)
        before.append(sentence)
    pairs = rank.similar_pairs(cands)
    groups = rank.group_facts(cands, pairs, [_is_fact_candidate(c) for c in cands])
    sentence_counts = _sentence_counts(sentences)
    origin_of = {s.n: sourcing.origin(s) for s in sources}
    rank.score_groups(groups, sentence_counts, origin_of)

    key_groups = _key_point_groups(sentences, groups, config.limits.key_points)
    key_groups = _newest_first(key_groups, groups, sources, config.limits.key_points)
    key_vectors = [g.lead.vector for g in key_groups]
    rest = [g for g in groups if g not in key_groups]
    quote_cands = _quote_candidates(sources, quotes, models, df, n_docs, speakers)
    picked = _pick_facts(config, models, rest, key_vectors)
    sections = [
        _section(theme, picked[theme.id], quote_cands, config, origin_of) for theme in config.themes
    ]
    return Brief(
        title=config.title,
        subtitle=config.subtitle,
        organisation=config.organisation,
        generated_at=generated_at,
        sources=list(sources),
        key_points=[_fact(g, origin_of) for g in key_groups],
        themes=sections,
        discrepancies=discrepancies.find(cands, pairs),
    )


@dataclass
class Features:
    """What ranking reads off every sentence of the corpus: content terms, their document
    frequencies, the corpus's names, and a candidate per sentence (vector and anchors)."""

    terms: list[list[str]]
    df: Counter[str]
    n_docs: int
    names: frozenset[str]
    cands: list[rank.Candidate]


def sentence_features(sentences: Sequence[Sentence]) -> Features:
    """Candidates with the corpus-wide features the brief ranks by; the brief and "what's
    new" both start from these, so both weigh a sentence the same way."""
    terms = [content_terms(s.text) for s in sentences]
    df, n_docs = document_frequencies(terms)
    names = name_terms(s.text for s in sentences)
    pairs = [anchors(t, names) for t in terms]
    pair_df = Counter(p for ps in pairs for p in ps)
    cands = [
        rank.Candidate(
            sentence=sentence,
            terms=sentence_terms,
            vector=tfidf(sentence_terms, df, n_docs, names),
            anchors={p for p in sentence_pairs if pair_df[p] <= RARE_PAIR},
        )
        for sentence, sentence_terms, sentence_pairs in zip(sentences, terms, pairs, strict=True)
    ]
    return Features(terms, df, n_docs, names, cands)


def _key_point_groups(
    sentences: Sequence[Sentence], groups: Sequence[rank.FactGroup], k: int
) -> list[rank.FactGroup]:
    """The generic multi-document summary, as fact groups so merged facts cite every source.

    A summary sentence that belongs to a fact group brings the whole group (its
    representative is shown); the summariser already avoids saying a thing twice.
    """
    if k <= 0:
        return []
    by_source: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_source.setdefault(s.source, []).append(s)
    order = sorted(by_source)
    documents = [[s.text for s in by_source[n]] for n in order]
    group_of = {(m.sentence.source, m.sentence.start): g for g in groups for m in g.members}
    picked: list[rank.FactGroup] = []
    for doc, i in summarize(documents, words=KEY_POINT_WORDS * k, order="rank"):
        sentence = by_source[order[doc]][i]
        group = group_of.get((sentence.source, sentence.start))
        if group is not None and group not in picked:
            picked.append(group)
    picked = picked[:k]
    if len(picked) < k:  # summary sentences that cannot stand alone left room
        taken = [g.lead.vector for g in picked]
        spare = [g for g in groups if g not in picked]
        picked += rank.select(spare, k - len(picked), taken=taken)
    return picked


def _newest_first(
    picked: list[rank.FactGroup],
    groups: Sequence[rank.FactGroup],
    sources: Sequence[Source],
    k: int,
) -> list[rank.FactGroup]:
    """Key points lead with the newest development when the articles' dates differ.

    The summary's picks favour what several sources confirm, which is what older
    articles have had time to share; a story moves on in its newest article. So the
    first key point is the most salient fact the newest article(s) carry: a picked one
    when there is one, else the best of their facts, in place of the last pick."""
    days = {n: day for n, day in ((s.n, _day(s.published)) for s in sources) if day}
    if k <= 0 or len(set(days.values())) < 2:
        return picked
    newest = max(days.values())
    fresh = {n for n, day in days.items() if day == newest}

    def carries_news(group: rank.FactGroup) -> bool:
        return any(m.sentence.source in fresh for m in group.members)

    lead = next((g for g in picked if carries_news(g)), None)
    if lead is None:
        pool = [g for g in groups if carries_news(g) and g not in picked]
        chosen = rank.select(pool, 1)
        if not chosen:
            return picked
        lead = chosen[0]
        picked = picked[: k - 1]
    else:
        picked = [g for g in picked if g is not lead]
    # Show the newest article's own sentence, so the lead reads as the news it is.
    mine = [m for m in lead.members if m.sentence.source in fresh]
    if lead.lead.sentence.source not in fresh and mine:
        lead.members.remove(mine[0])
        lead.members.insert(0, mine[0])
    return [lead, *picked]


def _day(published: str | None) -> str | None:
    """The calendar day of an ISO date or datetime, or None when there is none."""
    try:
        return date.fromisoformat((published or "")[:10]).isoformat()
    except ValueError:  # missing, or not a real date ("2025-02-30", "yesterday")
        return None


def _pick_facts(
    config: Config,
    models: Sequence[classify.ThemeModel],
    groups: Sequence[rank.FactGroup],
    key_vectors: Sequence[Vector],
) -> dict[str, list[rank.FactGroup]]:
    """The facts of every theme: first those that fit it best; then, for a theme with
    room left, facts that name one of its terms but were filed under a theme that did
    not show them (a sentence about NATO and territory is still about NATO)."""
    limit = config.limits.facts_per_theme
    picked: dict[str, list[rank.FactGroup]] = {}
    for theme in config.themes:
        on_topic = [g for g in groups if g.theme == theme.id]
        for g in on_topic:  # within a theme, fit matters as much as salience
            g.score = g.score * (0.6 + 0.4 * min(g.theme_score, 3.0) / 3.0)
        picked[theme.id] = rank.select(on_topic, limit, taken=key_vectors)
    shown = {id(g) for chosen in picked.values() for g in chosen}
    for model in models:
        room = limit - len(picked[model.id])
        if room <= 0:
            continue
        spare = [g for g in groups if id(g) not in shown and model.has_seed(g.lead.terms)]
        taken = [*key_vectors, *(g.lead.vector for c in picked.values() for g in c)]
        extra = rank.select(spare, room, taken=taken)
        picked[model.id] += extra
        shown.update(id(g) for g in extra)
    return picked


def _section(
    theme, picked: list[rank.FactGroup], quote_cands, config: Config, origin_of: dict[int, int]
) -> ThemeSection:
    # A quote already visible inside a fact of this section would be shown twice.
    shown = [
        (m.sentence.source, m.sentence.start, m.sentence.end) for g in picked for m in g.members
    ]
    section = ThemeSection(
        id=theme.id,
        title=theme.title,
        description=theme.description,
        facts=[_fact(g, origin_of) for g in picked],
        quotes=_pick_quotes(
            [q for q in quote_cands if q.theme == theme.id and not _inside(q, shown)], config
        ),
    )
    if len(section.facts) < THIN_THEME:
        section.note = "little-coverage"  # a message code: render/messages.py
    return section


def _trim_quote(text: str) -> str:
    """Drop the comma or colon a quotation ends on before its attribution ("...," he said)."""
    return text.rstrip().rstrip(",;:").rstrip()


def _inside(quote: QuoteCandidate, spans: Sequence[tuple[int, int, int]]) -> bool:
    return any(
        n == quote.source and start <= quote.span.start and quote.span.end <= end
        for n, start, end in spans
    )


def _fact(group: rank.FactGroup, origin_of: dict[int, int] | None = None) -> Fact:
    """One citation per source: that source's clearest sentence of the group."""
    per_source: dict[int, Sentence] = {}
    for m in group.members:  # members are ordered clearest first
        per_source.setdefault(m.sentence.source, m.sentence)
    lead = group.lead.sentence
    citations = [fact_citation(lead)] + [
        fact_citation(s) for n, s in sorted(per_source.items()) if n != lead.source
    ]
    origins = {(origin_of or {}).get(c.source, c.source) for c in citations}
    text = lead.text[citations[0].start - lead.start :]
    return Fact(
        text=text,
        citations=citations,
        score=round(group.score, 4),
        entities=lead.entities,
        independent=len(origins),
        display=group.lead.display if group.lead.display != text else None,
    )


def fact_citation(sentence: Sentence) -> Citation:
    """The span a fact cites: the sentence without a place dateline opening it."""
    start, _ = lede_span(sentence.start, sentence.text)
    return Citation(sentence.source, start, sentence.end)


def _is_fact_candidate(cand: rank.Candidate) -> bool:
    words = len(cand.sentence.text.split())
    return (
        MIN_FACT_WORDS <= words <= MAX_FACT_WORDS
        and cand.quote_share < QUOTE_SENTENCE_SHARE
        and not cand.sentence.text.rstrip().endswith("?")
        and cand.display is not None  # it can stand alone, or be made to
    )


def quote_share(
    sentence: Sentence, spans: Sequence[QuoteSpan] | Sequence[tuple[int, int]]
) -> float:
    """The share of a sentence's characters inside quotation marks (spans: quotes, or
    (start, end) pairs)."""
    pairs = [(q.start, q.end) if isinstance(q, QuoteSpan) else q for q in spans]
    inside = sum(max(0, min(e, sentence.end) - max(s, sentence.start)) for s, e in pairs)
    return inside / max(1, sentence.end - sentence.start)


def _quote_candidates(
    sources: Sequence[Source],
    quotes: dict[int, list[QuoteSpan]],
    models: Sequence[classify.ThemeModel],
    df: Counter[str],
    n_docs: int,
    speakers: SpeakerIndex,
) -> list[QuoteCandidate]:
    """Standalone quotes with their theme; the paragraph around a quote helps place it."""
    found = []
    for source in sources:
        for q in quotes.get(source.n, []):
            if q.scare or not MIN_QUOTE_WORDS <= len(q.text.split()) <= MAX_QUOTE_WORDS:
                continue
            q_terms = content_terms(q.text)
            context = content_terms(_paragraph_text(source, q.start))
            # A quote is short; the paragraph that introduces it says what it is about.
            theme, fit = classify.assign(models, q_terms, context=context)
            speaker = speakers.canonical(q.speaker) if q.speaker else None
            found.append(
                QuoteCandidate(
                    span=q,
                    source=source.n,
                    vector=tfidf(q_terms, df, n_docs),
                    theme=theme,
                    theme_score=fit,
                    speaker=speaker,
                    role=speakers.role(speaker) if speaker else None,
                )
            )
    return found


def _paragraph_text(source: Source, offset: int) -> str:
    for block in source.body:
        if block.start <= offset < block.end:
            return source.text[block.start : block.end]
    return ""


def _pick_quotes(cands: Sequence[QuoteCandidate], config: Config) -> list[QuoteItem]:
    """The most telling quotes: on theme, attributed, of a readable length, not repeated."""

    def value(q: QuoteCandidate) -> float:
        words = len(q.span.text.split())
        # A full clause of 10-35 words reads best; fragments and long passages less so.
        length_fit = 1.0 if 10 <= words <= 35 else (0.0 if words < 6 else 0.4)
        speaker = 0.0 if not q.speaker else (0.5 if is_org(q.speaker) else 1.0)
        return min(q.theme_score, 2.0) + speaker + length_fit

    merged: list[tuple[QuoteCandidate, list[QuoteCandidate]]] = []
    for q in sorted(cands, key=lambda q: (-value(q), q.source, q.span.start)):
        for lead, same in merged:
            if cosine(lead.vector, q.vector) >= SAME_QUOTE:
                same.append(q)
                break
        else:
            merged.append((q, [q]))
    items: list[QuoteItem] = []
    picked_vectors: list[Vector] = []
    for lead, same in merged:
        if len(items) >= config.limits.quotes_per_theme:
            break
        if any(cosine(lead.vector, v) >= rank.REDUNDANT * 1.5 for v in picked_vectors):
            continue
        first_per_source: dict[int, QuoteCandidate] = {}
        for q in same:
            first_per_source.setdefault(q.source, q)
        citations = [
            Citation(q.source, q.span.start, q.span.start + len(_trim_quote(q.span.text)))
            for q in first_per_source.values()
        ]
        items.append(
            QuoteItem(
                text=_trim_quote(lead.span.text),
                speaker=lead.speaker,
                speaker_role=lead.role,
                citations=citations,
                score=round(value(lead), 4),
            )
        )
        picked_vectors.append(lead.vector)
    return items


def _sentence_counts(sentences: Sequence[Sentence]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for s in sentences:
        counts[s.source] = counts.get(s.source, 0) + 1
    return counts
