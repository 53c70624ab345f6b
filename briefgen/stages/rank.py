"""Rank: merge sentences that report the same fact, score them, pick without repeats.

* Corroboration: sentences from any sources that say the same thing (high
  TF-IDF cosine, found through an inverted index, never all pairs) are grouped;
  the clearest member represents the group and every member is cited.
* Salience: closeness to the corpus centroid, an article-position prior (news
  puts the important things first) and the number of distinct sources.
* Selection: maximal marginal relevance, so no two picked facts say the same.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefgen.models import Sentence
from briefgen.stages.features import SimilarityIndex, Vector, centroid, cosine

SAME_FACT = 0.55  # cosine at which two sentences are taken to report the same fact
REDUNDANT = 0.35  # cosine above which a second pick would repeat the first
_DANGLING_START_RE = re.compile(
    r"^(?:he|she|it|they|this|that|these|those|his|her|their|its|but|and|so|yet|also|"
    r"however|still|then|meanwhile)\b",
    re.I,
)


@dataclass
class Candidate:
    """A sentence with the features ranking needs."""

    sentence: Sentence
    terms: list[str]
    vector: Vector
    theme: str | None = None
    theme_score: float = 0.0
    quote_share: float = 0.0  # share of its characters inside quotation marks


@dataclass
class FactGroup:
    """Sentences reporting one fact; ``members[0]`` is the representative."""

    members: list[Candidate]
    score: float = 0.0
    theme: str | None = None
    theme_score: float = 0.0
    sources: set[int] = field(default_factory=set)

    @property
    def lead(self) -> Candidate:
        return self.members[0]


def group_facts(cands: Sequence[Candidate]) -> list[FactGroup]:
    """Union the candidates that report the same fact; order each group clearest first."""
    parent = list(range(len(cands)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index = SimilarityIndex([c.vector for c in cands])
    for i in range(len(cands)):
        for j, _ in index.neighbours(i, SAME_FACT):
            if j > i:
                parent[find(j)] = find(i)
    buckets: dict[int, list[Candidate]] = {}
    for i, cand in enumerate(cands):
        buckets.setdefault(find(i), []).append(cand)
    groups = []
    for members in buckets.values():
        members.sort(key=lambda c: (-clarity(c), c.sentence.source, c.sentence.start))
        groups.append(FactGroup(members=members, sources={m.sentence.source for m in members}))
    return groups


def clarity(cand: Candidate) -> float:
    """How well a sentence stands alone: full, self-contained, not mostly quotation."""
    words = len(cand.sentence.text.split())
    length_fit = 1.0 - min(abs(words - 24) / 30, 0.8)
    dangling = 0.5 if _DANGLING_START_RE.match(cand.sentence.text) else 0.0
    return length_fit - dangling - 0.5 * cand.quote_share


def score_groups(groups: Sequence[FactGroup], positions: dict[int, int]) -> None:
    """Salience of each group: centroid closeness, position prior, corroboration.

    ``positions`` maps a source number to its sentence count, for the position prior.
    """
    center = centroid(c.vector for g in groups for c in g.members)
    for group in groups:
        lead = group.lead
        closeness = max(cosine(m.vector, center) for m in group.members)
        first = min(
            m.sentence.position / max(1, positions.get(m.sentence.source, 1)) for m in group.members
        )
        position_prior = 1.0 - first
        corroboration = math.log2(len(group.sources)) if group.sources else 0.0
        group.score = (
            0.5 * closeness + 0.25 * position_prior + 0.25 * corroboration + 0.15 * clarity(lead)
        )
        # The group's theme is the one its members lean to most.
        votes: dict[str | None, float] = {}
        for m in group.members:
            votes[m.theme] = votes.get(m.theme, 0.0) + m.theme_score
        group.theme = max(votes, key=lambda k: (votes[k], k or ""))
        group.theme_score = votes[group.theme] / len(group.members)


def select(
    groups: Sequence[FactGroup], k: int, weight: float = 0.7, taken: Sequence[Vector] = ()
) -> list[FactGroup]:
    """Up to ``k`` groups by maximal marginal relevance against each other and ``taken``."""
    chosen: list[FactGroup] = []
    chosen_vecs = list(taken)
    pool = sorted(groups, key=lambda g: (-g.score, g.lead.sentence.source, g.lead.sentence.start))
    while pool and len(chosen) < k:
        best, best_value = None, -math.inf
        for group in pool:
            overlap = max((cosine(group.lead.vector, v) for v in chosen_vecs), default=0.0)
            if overlap >= REDUNDANT:
                continue
            value = weight * group.score - (1 - weight) * overlap
            if value > best_value:
                best, best_value = group, value
        if best is None:
            break
        chosen.append(best)
        chosen_vecs.append(best.lead.vector)
        pool.remove(best)
    return chosen
