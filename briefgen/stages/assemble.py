"""Assemble: from sentences and quotes to the Brief the renderers show.

Key points first (the most salient facts of the whole story), then per theme
the best facts not already in the key points and the most telling quotes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from briefgen.config import Config, Theme
from briefgen.models import Brief, Citation, Fact, QuoteItem, Sentence, Source, ThemeSection
from briefgen.stages import discrepancies, rank, reference, selection, sourcing
from briefgen.stages.features import (
    SimilarityIndex,
    Vector,
    anchors,
    content_terms,
    cosine,
    document_frequencies,
    name_terms,
    tfidf,
    tfidf_all,
)
from briefgen.stages.people import SpeakerIndex, is_org
from briefgen.stages.quotes import QuoteSpan
from briefgen.stages.structure import lede_span, names_something

KEY_POINT_WORDS = selection.KEY_POINT_WORDS  # word budget per key point (summariser)
MIN_FACT_WORDS = 7
MAX_FACT_WORDS = 70
QUOTE_SENTENCE_SHARE = 0.6  # a sentence mostly inside quotation marks is shown as a quote
SAME_QUOTE = 0.8
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
    *,
    classifier: str = selection.DEFAULT_CLASSIFIER,
    selector: str = selection.DEFAULT_SELECTOR,
) -> Brief:
    """Build the Brief: key points, one section per theme, the source list."""
    return assemble_all(
        config, sources, sentences, quotes, speakers, generated_at,
        classifier=classifier, selector=selector,
    ).brief  # fmt: skip


@dataclass(frozen=True)
class Assembled:
    """The brief, and the theme each sentence was given (in the order of the sentences;
    None for none), so that nothing downstream classifies the sentences again."""

    brief: Brief
    themes: list[str | None]
    # The ranking features of the sentences (what's new reads them too; whatsnew.py).
    features: Features | None = None


def assemble_all(
    config: Config,
    sources: Sequence[Source],
    sentences: Sequence[Sentence],
    quotes: dict[int, list[QuoteSpan]],
    speakers: SpeakerIndex,
    generated_at: str,
    *,
    classifier: str = selection.DEFAULT_CLASSIFIER,
    selector: str = selection.DEFAULT_SELECTOR,
    terms: Sequence[list[str]] | None = None,
    names: frozenset[str] | None = None,
) -> Assembled:
    """The Brief and the per-sentence themes: the theme classifier and the fact selector
    (``selection.py``) are each called once. ``terms`` and ``names``, when given, are the
    sentences' content terms and the corpus's names, counted already (pipeline.py)."""
    feats = sentence_features(sentences, terms, names)
    pairs = rank.similar_pairs(feats.cands, index=feats.index)  # from the vectors alone
    found = discrepancies.in_background(feats.cands, pairs)  # on a second core meanwhile
    models = selection.theme_classifier(classifier).fit(config.themes, feats.terms, feats.names)
    earlier: dict[int, list[Sentence]] = {}  # each article's sentences so far
    for cand in feats.cands:
        sentence = cand.sentence
        cand.theme, cand.theme_score = models.assign(cand.terms)
        before = earlier.setdefault(sentence.source, [])
        cand.quote_share = quote_share(sentence, quotes.get(sentence.source, []))
        cand.display = reference.display_text(sentence, before)
        before.append(sentence)
    chosen = selection.fact_selector(selector).select(
        selection.FactPool(
            limits=config.limits,
            themes=config.themes,
            sources=sources,
            sentences=sentences,
            cands=feats.cands,
            pairs=pairs,
            eligible=[_is_fact_candidate(c) for c in feats.cands],
            models=models,
            other=config.other,
        )
    )
    origin_of = {s.n: sourcing.origin(s) for s in sources}
    quote_cands = _quote_candidates(sources, quotes, models, feats.df, feats.n_docs, speakers)
    # The words of every fact the brief shows, and of each quote once picked: a quote
    # that would show them again, in any section, is passed over.
    shown = ShownWords(
        g.lead.sentence.text
        for g in [*chosen.key_points, *(g for gs in chosen.by_theme.values() for g in gs)]
    )
    sections = [
        _section(theme, chosen.by_theme.get(theme.id, []), quote_cands, config, origin_of, shown)
        for theme in config.themes
    ]
    if config.other and chosen.by_theme.get(selection.OTHER):
        other = Theme(selection.OTHER, "", "", ())  # worded by render/messages.py
        sections.append(
            _section(
                other, chosen.by_theme[selection.OTHER], [], config, origin_of, shown, kind="other"
            )
        )
    brief = Brief(
        title=config.title,
        subtitle=config.subtitle,
        organisation=config.organisation,
        generated_at=generated_at,
        sources=list(sources),
        key_points=[_fact(g, origin_of) for g in chosen.key_points],
        themes=sections,
        # The disagreements most sources share come first; the cap keeps the brief bounded.
        discrepancies=found.result()[: config.limits.discrepancies],
    )
    return Assembled(brief, [c.theme for c in feats.cands], feats)


def sentence_themes(
    config: Config, sentences: Sequence[Sentence], classifier: str = selection.DEFAULT_CLASSIFIER
) -> list[str | None]:
    """The theme of each sentence as ``assemble_all`` gives it, without building a brief
    (for ``briefgen inspect``, which builds none)."""
    terms = [content_terms(s.text) for s in sentences]
    models = selection.theme_classifier(classifier).fit(
        config.themes, terms, name_terms(s.text for s in sentences)
    )
    return [models.assign(t)[0] for t in terms]


@dataclass
class Features:
    """What ranking reads off every sentence of the corpus: content terms, their document
    frequencies, the corpus's names, and a candidate per sentence (vector and anchors)."""

    terms: list[list[str]]
    df: Counter[str]
    n_docs: int
    names: frozenset[str]
    cands: list[rank.Candidate]

    @cached_property
    def index(self) -> SimilarityIndex:
        """The similarity index of the candidates' vectors, built once for all who ask."""
        return SimilarityIndex([c.vector for c in self.cands])


def sentence_features(
    sentences: Sequence[Sentence],
    terms: Sequence[list[str]] | None = None,
    names: frozenset[str] | None = None,
) -> Features:
    """Candidates with the corpus-wide features the brief ranks by; the brief and "what's
    new" both start from these, so both weigh a sentence the same way. ``terms`` (each
    sentence's content terms) and ``names`` (``name_terms`` of them all) are computed
    when not given."""
    terms = [content_terms(s.text) for s in sentences] if terms is None else list(terms)
    df, n_docs = document_frequencies(terms)
    if names is None:
        names = name_terms(s.text for s in sentences)
    pairs = [anchors(t, names) for t in terms]
    pair_df = Counter(p for ps in pairs for p in ps)
    vectors = tfidf_all(terms, df, n_docs, names)
    cands = [
        rank.Candidate(
            sentence=sentence,
            terms=sentence_terms,
            vector=vector,
            anchors={p for p in sentence_pairs if pair_df[p] <= RARE_PAIR},
        )
        for sentence, sentence_terms, sentence_pairs, vector in zip(
            sentences, terms, pairs, vectors, strict=True
        )
    ]
    return Features(terms, df, n_docs, names, cands)


def _section(
    theme: Theme,
    picked: list[rank.FactGroup],
    quote_cands: Sequence[QuoteCandidate],
    config: Config,
    origin_of: dict[int, int],
    shown: ShownWords,
    kind: str | None = None,
) -> ThemeSection:
    # A quote already visible inside a fact of this section would be shown twice.
    spans = [
        (m.sentence.source, m.sentence.start, m.sentence.end) for g in picked for m in g.members
    ]
    section = ThemeSection(
        id=theme.id,
        title=theme.title,
        description=theme.description,
        facts=[_fact(g, origin_of) for g in picked],
        quotes=_pick_quotes(
            [q for q in quote_cands if q.theme == theme.id and not _inside(q, spans)],
            config,
            shown,
        ),
        kind=kind or ("discovered" if theme.discovered else "configured"),
    )
    if len(section.facts) < THIN_THEME and section.kind != "other":
        section.note = "little-coverage"  # a message code: render/messages.py
    return section


_QUOTE_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


def _locate(words: str, text: str) -> tuple[int, int] | None:
    """Where ``text`` holds the words of ``words`` in a row, whatever the punctuation,
    spacing, letter case and apostrophes between and around them (offsets into
    ``text``, from the first word's start to the last word's end), or None."""
    pattern = r"\W+".join(
        "['’]".join(re.escape(part) for part in re.split("['’]", word))
        for word in _QUOTE_WORD_RE.findall(words)
    )
    match = re.search(rf"\b{pattern}\b", text, re.IGNORECASE) if pattern else None
    return (match.start(), match.end()) if match else None


def _quote_citation(q: QuoteCandidate) -> Citation:
    return Citation(q.source, q.span.start, q.span.start + len(_trim_quote(q.span.text)))


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
    text = lead.text[citations[0].start - lead.start : citations[0].end - lead.start]
    display = group.lead.display
    if display is not None:
        display = _without_clause_end(display)
    return Fact(
        text=text,
        citations=citations,
        score=round(group.score, 4),
        entities=lead.entities,
        independent=len(origins),
        display=display if display != text else None,
    )


def fact_citation(sentence: Sentence) -> Citation:
    """The span a fact cites: the sentence without a place dateline opening it, nor a
    semicolon or comma it was cut at ("... spoken with Kim;" before a new sentence)."""
    start, _ = lede_span(sentence.start, sentence.text)
    end = sentence.start + len(_without_clause_end(sentence.text))
    return Citation(sentence.source, start, end)


def _without_clause_end(text: str) -> str:
    """``text`` without the clause punctuation (";", ",", ":") it ends on."""
    return text.rstrip().rstrip(";,:")


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
    models: selection.ThemeModels,
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
            if names_something(q.text):
                continue  # "Take Your Daughters and Sons to Work Day": a name, not speech
            q_terms = content_terms(q.text)
            context = content_terms(_paragraph_text(source, q.start))
            # A quote is short; the paragraph that introduces it says what it is about.
            theme, fit = models.assign(q_terms, context=context)
            speaker = speakers.canonical(q.speaker, q.speaker_role) if q.speaker else None
            found.append(
                QuoteCandidate(
                    span=q,
                    source=source.n,
                    vector=tfidf(q_terms, df, n_docs),
                    theme=theme,
                    theme_score=fit,
                    speaker=speaker,
                    # An unnamed speaker keeps the words that describe them ("a spokeswoman").
                    role=speakers.role(speaker) if speaker else q.speaker_role,
                )
            )
    return found


def _paragraph_text(source: Source, offset: int) -> str:
    for block in source.body:
        if block.start <= offset < block.end:
            return source.text[block.start : block.end]
    return ""


SHINGLE = 5  # words in a row that, shared, make two texts show the same words


class ShownWords:
    """The runs of SHINGLE words a brief already shows (word shingles, as near-duplicate
    detection uses). A quote shows them again when at least half of its words lie in
    such runs, or when it holds at least half of a quote shown before."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._runs: set[tuple[str, ...]] = set()
        self._quotes: list[list[tuple[str, ...]]] = []  # each shown quote's runs
        for text in texts:
            self._runs.update(_runs_of(text))

    def add_quote(self, text: str) -> None:
        runs = _runs_of(text)
        self._runs.update(runs)
        self._quotes.append(runs)

    def repeats(self, text: str) -> bool:
        runs = _runs_of(text)
        if _half_covered([r in self._runs for r in runs]):
            return True
        mine = set(runs)
        return any(_half_covered([r in mine for r in quote]) for quote in self._quotes)


def _runs_of(text: str) -> list[tuple[str, ...]]:
    words = _WORDS_RE.findall(text.lower())
    return [tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]


def _half_covered(found: Sequence[bool]) -> bool:
    """Whether the runs found cover at least half of the words of the text they come
    from (run i covers words i to i + SHINGLE - 1)."""
    if not found:
        return False
    covered = [False] * (len(found) + SHINGLE - 1)
    for i, hit in enumerate(found):
        if hit:
            covered[i : i + SHINGLE] = [True] * SHINGLE
    return sum(covered) * 2 >= len(covered)


_WORDS_RE = re.compile(r"\w+")


def _speaker_value(q: QuoteCandidate) -> float:
    """A named person first; a body, or someone the article only describes ("a government
    spokeswoman", "Ann Reyes and Tom Ware" together), before no one."""
    if q.speaker:
        return 0.5 if is_org(q.speaker) else 1.0
    return 0.5 if q.role else 0.0


def _pick_quotes(
    cands: Sequence[QuoteCandidate], config: Config, shown: ShownWords | None = None
) -> list[QuoteItem]:
    """The most telling quotes: on theme, attributed, of a readable length, not repeated."""

    def value(q: QuoteCandidate) -> float:
        words = len(q.span.text.split())
        # A full clause of 10-35 words reads best; fragments and long passages less so.
        length_fit = 1.0 if 10 <= words <= 35 else (0.0 if words < 6 else 0.4)
        return min(q.theme_score, 2.0) + _speaker_value(q) + length_fit

    merged: list[tuple[QuoteCandidate, list[QuoteCandidate]]] = []
    # Each quote joins the first lead it is alike; only leads sharing a word with it can
    # be (the others' cosine is 0), so an inverted index names them, in order.
    leads_with: dict[str, list[int]] = {}
    for q in sorted(cands, key=lambda q: (-value(q), q.source, q.span.start)):
        for k in sorted({k for t in q.vector for k in leads_with.get(t, ())}):
            lead, same = merged[k]
            if cosine(lead.vector, q.vector) >= SAME_QUOTE:
                same.append(q)
                break
        else:
            for t in q.vector:
                leads_with.setdefault(t, []).append(len(merged))
            merged.append((q, [q]))
    items: list[QuoteItem] = []
    picked_vectors: list[Vector] = []
    for lead, same in merged:
        if len(items) >= config.limits.quotes_per_theme:
            break
        if any(cosine(lead.vector, v) >= rank.REDUNDANT * 1.5 for v in picked_vectors):
            continue
        if shown is not None and shown.repeats(lead.span.text):
            continue
        text = _trim_quote(lead.span.text)
        # A source is cited for the words shown, where it has them all, as they are: an
        # outlet that quotes the speaker otherwise ("we've" for "we have") is not.
        found: dict[int, Citation] = {lead.source: _quote_citation(lead)}
        for q in same:
            at = _locate(text, q.span.text) if q.source not in found else None
            if at is not None:
                found[q.source] = Citation(q.source, q.span.start + at[0], q.span.start + at[1])
        citations = list(found.values())
        items.append(
            QuoteItem(
                text=text,
                speaker=lead.speaker,
                speaker_role=lead.role,
                citations=citations,
                score=round(value(lead), 4),
            )
        )
        picked_vectors.append(lead.vector)
        if shown is not None:
            shown.add_quote(lead.span.text)
    return items
