"""Classify: which theme each sentence belongs to.

A theme's configured terms are seeds. The corpus itself adds related words: a
word that is much more frequent in the seed sentences of a theme than in the
rest of the corpus (lift), and not itself a seed of another theme, joins the
theme with a lower weight. So a sentence about ceding Donbas lands under
territory without the word "territory". Each sentence goes to the one theme it
fits best, or to none.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from briefgen.config import Theme
from briefgen.stages.features import phrase_terms

EXPANSION_WEIGHT = 0.45
MAX_EXPANSION_TERMS = 12
MIN_LIFT = 2.5
MAX_LEARNED_SHARE = 0.12
MAX_LEARNED_NAME_SHARE = 0.04
CONTEXT_WEIGHT = 0.5
MIN_LEARNED_SCORE = 0.6  # learned words alone: one strong associate or two loose ones
COMMON_SEED = 0.15  # a seed in more than this share of all sentences separates little  # at least one seed term, or several learned ones


@dataclass
class ThemeModel:
    id: str
    seeds: dict[tuple[str, ...], float]  # stemmed phrase -> weight
    learned: dict[str, float]  # stemmed word -> weight

    def score(self, terms: Sequence[str]) -> float:
        """How well a sentence with these stemmed content terms fits the theme."""
        present = set(terms)
        total = (  # most sentences have no seed word: one set operation decides that
            sum(w for p, w in self.seeds.items() if _contains(terms, p, present))
            if not present.isdisjoint(self.seed_words)
            else 0
        )
        # In the sentence's order, not a set's: a set's order follows the process's hash
        # seed, and floats summed in another order can differ in the last bit.
        learned = self.learned
        total += sum(learned[t] for t in dict.fromkeys(terms) if t in learned)
        return total

    def has_seed(self, terms: Sequence[str]) -> bool:
        present = set(terms)
        if not present & self.seed_words:
            return False  # the common case, decided by one set operation
        return any(_contains(terms, phrase, present) for phrase in self.seeds)

    @cached_property
    def seed_words(self) -> set[str]:
        return {w for phrase in self.seeds for w in phrase}


def _contains(terms: Sequence[str], phrase: tuple[str, ...], present: set[str]) -> bool:
    if len(phrase) == 1:
        return phrase[0] in present
    if not all(p in present for p in phrase):
        return False
    n = len(phrase)
    return any(tuple(terms[i : i + n]) == phrase for i in range(len(terms) - n + 1))


def build_models(
    themes: Sequence[Theme],
    sentences_terms: Sequence[Sequence[str]],
    names: frozenset[str] = frozenset(),
) -> list[ThemeModel]:
    """Seed each theme from its terms and expand it from the corpus."""
    n = max(1, len(sentences_terms))
    df: Counter[str] = Counter()
    for terms in sentences_terms:
        df.update(set(terms))
    seed_sets = {t.id: {p: 1.0 for p in map(phrase_terms, t.terms) if p} for t in themes}
    all_seed_words = {w for seeds in seed_sets.values() for p in seeds for w in p}
    # The sentences holding each word of a multi-word seed, found in one pass: only
    # sentences holding all of a phrase's words are searched for the phrase.
    multi = {w for seeds in seed_sets.values() for p in seeds if len(p) > 1 for w in p}
    having: dict[str, set[int]] = {w: set() for w in multi}
    for k, terms in enumerate(sentences_terms if multi else ()):
        for w in multi.intersection(terms):
            having[w].add(k)
    models = []
    for theme in themes:
        seeds = seed_sets[theme.id]
        # A seed found in a large share of all sentences ("plan" in a story about a plan)
        # separates little; it counts for less.
        for phrase in seeds:
            if len(phrase) == 1:
                share = df[phrase[0]] / n
            else:
                holding = set.intersection(*(having[w] for w in phrase))
                share = (
                    sum(
                        1
                        for k in holding
                        if _contains(sentences_terms[k], phrase, set(sentences_terms[k]))
                    )
                    / n
                )
            seeds[phrase] = seed_weight(share)
        probe = ThemeModel(theme.id, seeds, {})
        seed_hits = [t for t in sentences_terms if probe.has_seed(t)]
        learned = _expand(seed_hits, df, n, exclude=all_seed_words, names=names)
        models.append(ThemeModel(theme.id, seeds, learned))
    return models


def seed_weight(share: float) -> float:
    """A seed's weight from the share of sentences it appears in.

    Common seeds separate little and count for less; among the rest a rarer, more
    specific seed counts a little more, so a sentence naming both NATO and territory
    goes to the theme its more specific word belongs to.
    """
    if share > COMMON_SEED:
        return max(0.35, COMMON_SEED / share)
    if share <= 0:
        return 1.0
    return min(1.3, 1.0 + 0.1 * math.log(COMMON_SEED / share))


def _expand(
    seed_hits: Sequence[Sequence[str]],
    df: Counter[str],
    n: int,
    exclude: set[str],
    names: frozenset[str],
) -> dict[str, float]:
    """Words over-represented in a theme's seed sentences, weighted by their lift."""
    if not seed_hits:
        return {}
    in_seed: Counter[str] = Counter()
    for terms in seed_hits:
        in_seed.update(set(terms))
    m = len(seed_hits)
    scored = []
    for term, count in in_seed.items():
        # Learned words must be specific: not in a large share of all sentences, and not a
        # name that runs through the whole story (a place like Donbas may still be learned).
        share = df[term] / n
        if term in exclude or share > MAX_LEARNED_SHARE or term.isdigit():
            continue
        if term in names and share > MAX_LEARNED_NAME_SHARE:
            continue
        # Evidence, not coincidence: seen in three seed sentences, or in two and nowhere else.
        if count < 3 and not (count == 2 and df[term] == 2):
            continue
        lift = (count / m) / (df[term] / n)
        if lift >= MIN_LIFT:
            scored.append((lift * math.log1p(count), lift, term))
    scored.sort(key=lambda x: (-x[0], x[2]))
    # A word found almost only with the theme's seeds weighs more than a loose associate.
    return {
        term: round(EXPANSION_WEIGHT * min(lift / MIN_LIFT, 2.0), 3)
        for _, lift, term in scored[:MAX_EXPANSION_TERMS]
    }


def assign(
    models: Sequence[ThemeModel],
    terms: Sequence[str],
    context: Sequence[str] = (),
    min_score: float = MIN_LEARNED_SCORE,
) -> tuple[str | None, float]:
    """The best-fitting theme and its score, or (None, 0) when nothing fits well enough.

    ``context`` (the paragraph around a short quote) counts at half weight. Weights
    compare themes; to qualify at all a sentence needs a seed term, or learned
    words worth ``min_score``.
    """
    best_id, best = None, 0.0
    for model in models:
        score = model.score(terms) + (CONTEXT_WEIGHT * model.score(context) if context else 0.0)
        # Any seed term qualifies; learned words alone must add up to the threshold.
        if score > best and (
            score >= min_score or model.has_seed(terms) or model.has_seed(context)
        ):
            best_id, best = model.id, score
    return best_id, best
