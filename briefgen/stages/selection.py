"""Selection behind two small interfaces: a theme classifier and a fact selector.

``assemble.assemble`` calls each once per brief. A new strategy is one class here and
one line in its registry (``THEME_CLASSIFIERS`` or ``FACT_SELECTORS``); it is chosen by
name with ``assemble.assemble(..., classifier=NAME, selector=NAME)``.

* A **theme classifier** is fitted to the corpus once (``fit``) and then gives each
  sentence, or each quote with the paragraph around it, its theme and how well it fits
  (``assign``); ``mentions`` says whether a text names one of a theme's own terms.
  The default, ``"seeded"``, is ``classify.build_models`` + ``classify.assign``.
* A **fact selector** groups the sentences that report the same fact, scores the groups
  and picks the key points and each theme's facts (``select``). The default,
  ``"salience-mmr"``, is ``rank.group_facts`` + ``rank.score_groups``, the generic summary
  for the key points (newest development first) and maximal marginal relevance
  (``rank.select``) within each theme.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from briefgen.config import Limits, Theme
from briefgen.models import Sentence, Source
from briefgen.stages import classify, rank, sourcing
from briefgen.stages.features import Vector
from briefgen.stages.summarize import summarize

KEY_POINT_WORDS = 30  # word budget per key point for the summariser


# --- theme classification ---------------------------------------------------------


class ThemeModels(Protocol):
    """A theme classifier fitted to one corpus."""

    def assign(self, terms: Sequence[str], context: Sequence[str] = ()) -> tuple[str | None, float]:
        """The best theme for these stemmed content terms and its fit, or (None, 0.0).
        ``context`` (the paragraph around a short quote) may help place it."""
        ...

    def mentions(self, theme_id: str, terms: Sequence[str]) -> bool:
        """Whether the terms name one of the theme's own (seed) terms."""
        ...


class ThemeClassifier(Protocol):
    def fit(
        self,
        themes: Sequence[Theme],
        sentence_terms: Sequence[Sequence[str]],
        names: frozenset[str],
    ) -> ThemeModels:
        """Models for ``themes`` from the stemmed content terms of every sentence of the
        corpus and the corpus's names."""
        ...


@dataclass(frozen=True)
class SeededModels:
    """The default classifier's models: seed terms from the config, words learned from
    the corpus (``classify.py``)."""

    models: tuple[classify.ThemeModel, ...]

    def assign(self, terms: Sequence[str], context: Sequence[str] = ()) -> tuple[str | None, float]:
        return classify.assign(self.models, terms, context=context)

    def mentions(self, theme_id: str, terms: Sequence[str]) -> bool:
        return any(m.id == theme_id and m.has_seed(terms) for m in self.models)


class SeededThemes:
    """Themes from their seed terms, expanded with corpus-learned words (classify.py)."""

    def fit(
        self,
        themes: Sequence[Theme],
        sentence_terms: Sequence[Sequence[str]],
        names: frozenset[str],
    ) -> SeededModels:
        return SeededModels(tuple(classify.build_models(themes, sentence_terms, names)))


# --- fact selection ---------------------------------------------------------------


@dataclass(frozen=True)
class FactPool:
    """What a fact selector chooses from: every sentence as a candidate (with its theme,
    quote share and display text set), the similar pairs among them, which candidates
    may be facts at all, and the fitted theme models."""

    limits: Limits
    themes: Sequence[Theme]
    sources: Sequence[Source]
    sentences: Sequence[Sentence]
    cands: Sequence[rank.Candidate]
    pairs: Sequence[rank.Pair]
    eligible: Sequence[bool]
    models: ThemeModels
    other: bool = False  # also pick "Other developments": salient facts no theme took


@dataclass
class FactSelection:
    """The key points, in the order shown, and each theme's facts (by theme id)."""

    key_points: list[rank.FactGroup]
    by_theme: dict[str, list[rank.FactGroup]]
    groups: list[rank.FactGroup] = field(default_factory=list)  # every group, scored


class FactSelector(Protocol):
    def select(self, pool: FactPool) -> FactSelection: ...


class SalienceMMR:
    """Group the same facts, score them by salience, pick without repeats (rank.py)."""

    def select(self, pool: FactPool) -> FactSelection:
        groups = rank.group_facts(pool.cands, pool.pairs, pool.eligible)
        origin_of = {s.n: sourcing.origin(s) for s in pool.sources}
        rank.score_groups(groups, Counter(s.source for s in pool.sentences), origin_of)
        k = pool.limits.key_points
        key_groups = _key_point_groups(pool.sentences, groups, k)
        key_groups = _newest_first(key_groups, groups, pool.sources, k)
        key_vectors = [g.lead.vector for g in key_groups]
        rest = [g for g in groups if g not in key_groups]
        picked = _pick_facts(pool, rest, key_vectors)
        return FactSelection(key_points=key_groups, by_theme=picked, groups=groups)


def _key_point_groups(
    sentences: Sequence[Sentence], groups: Sequence[rank.FactGroup], k: int
) -> list[rank.FactGroup]:
    """The generic multi-document summary, as fact groups so merged facts cite every source.

    A summary sentence that belongs to a fact group brings the whole group (its
    representative is shown); the summariser already avoids saying a thing twice. A group
    whose representative does not stand alone (``rank.stands_alone``) is no key point.
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
        # A key point is read alone: one opening on "And" or "He" points back to nothing.
        if group is not None and group not in picked and rank.stands_alone(group.lead):
            picked.append(group)
    picked = picked[:k]
    if len(picked) < k:  # summary sentences that cannot stand alone left room
        taken = [g.lead.vector for g in picked]
        spare = [g for g in groups if g not in picked and rank.stands_alone(g.lead)]
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
        pool = [
            g for g in groups if carries_news(g) and g not in picked and rank.stands_alone(g.lead)
        ]
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
    pool: FactPool, groups: Sequence[rank.FactGroup], key_vectors: Sequence[Vector]
) -> dict[str, list[rank.FactGroup]]:
    """The facts of every theme: first those that fit it best; then, for a theme with
    room left, facts that name one of its terms but were filed under a theme that did
    not show them (a sentence about NATO and territory is still about NATO)."""
    limit = pool.limits.facts_per_theme
    picked: dict[str, list[rank.FactGroup]] = {}
    for theme in pool.themes:
        on_topic = [g for g in groups if g.theme == theme.id]
        for g in on_topic:  # within a theme, fit matters as much as salience
            g.score = g.score * (0.6 + 0.4 * min(g.theme_score, 3.0) / 3.0)
        picked[theme.id] = _standalone_first(on_topic, limit, taken=key_vectors)
    shown = {id(g) for chosen in picked.values() for g in chosen}
    for theme in pool.themes:
        room = limit - len(picked[theme.id])
        if room <= 0:
            continue
        spare = [
            g for g in groups if id(g) not in shown and pool.models.mentions(theme.id, g.lead.terms)
        ]
        taken = [*key_vectors, *(g.lead.vector for c in picked.values() for g in c)]
        extra = _standalone_first(spare, room, taken=taken)
        picked[theme.id] += extra
        shown.update(id(g) for g in extra)
    if pool.other:
        # Facts no theme fits with confidence are shown as such, not forced into a theme.
        unthemed = [g for g in groups if g.theme is None and id(g) not in shown]
        taken = [*key_vectors, *(g.lead.vector for c in picked.values() for g in c)]
        picked[OTHER] = _standalone_first(unthemed, limit, taken=taken)
    return picked


def _standalone_first(
    groups: Sequence[rank.FactGroup], k: int, taken: Sequence[Vector]
) -> list[rank.FactGroup]:
    """Up to ``k`` groups by maximal marginal relevance, those whose representative reads
    alone first (``rank.stands_alone``); the others only fill what room is left."""
    alone = [g for g in groups if rank.stands_alone(g.lead)]
    chosen = rank.select(alone, k, taken=taken)
    if len(chosen) < k:
        rest = [g for g in groups if not rank.stands_alone(g.lead)]
        taken = [*taken, *(g.lead.vector for g in chosen)]
        chosen += rank.select(rest, k - len(chosen), taken=taken)
    return chosen


OTHER = "other"  # the id of "Other developments" (never a theme's id: config.py refuses it)


# --- the registries -----------------------------------------------------------------

THEME_CLASSIFIERS: dict[str, ThemeClassifier] = {"seeded": SeededThemes()}
FACT_SELECTORS: dict[str, FactSelector] = {"salience-mmr": SalienceMMR()}
DEFAULT_CLASSIFIER = "seeded"
DEFAULT_SELECTOR = "salience-mmr"


def theme_classifier(name: str = DEFAULT_CLASSIFIER) -> ThemeClassifier:
    """The registered theme classifier called ``name``."""
    try:
        return THEME_CLASSIFIERS[name]
    except KeyError:
        raise ValueError(
            f"unknown theme classifier {name!r}; known: {', '.join(sorted(THEME_CLASSIFIERS))}"
        ) from None


def fact_selector(name: str = DEFAULT_SELECTOR) -> FactSelector:
    """The registered fact selector called ``name``."""
    try:
        return FACT_SELECTORS[name]
    except KeyError:
        raise ValueError(
            f"unknown fact selector {name!r}; known: {', '.join(sorted(FACT_SELECTORS))}"
        ) from None
