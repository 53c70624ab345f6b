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
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefgen import lang
from briefgen.models import Sentence
from briefgen.stages.features import (
    MAX_CANDIDATES,
    RARE_POSTINGS,
    SimilarityIndex,
    Vector,
    centroid,
    content_terms,
    cosine,
    is_numeric_anchor,
    negated_terms,
)

SAME_FACT = 0.45  # cosine at which two sentences are taken to report the same fact
SAME_FACT_ANCHORED = 0.3  # ... when they also share a rare word pair (see features.anchors)
SAME_FACT_TWO_ANCHORS = 0.2  # ... when they share two or more
REDUNDANT = 0.35  # cosine above which a second pick would repeat the first
# What a sentence read alone cannot point back to, in the active language (lang/en.py).
_R = lang.bound(
    lambda L: {
        "DANGLING_START_RE": re.compile(L.DANGLING_START, re.I),
        "POINTS_BACK_RE": re.compile(L.POINTS_BACK),
        "POINTS_BACK_HINTS": L.POINTS_BACK_HINTS,
        # Two names or places joined by "and" ("Ann Reyes and Tom Ware", "North and South
        # Korea"): what "the two ..." after them counts.
        "NAMED_PAIR_RE": re.compile(
            rf"\b[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*,?\s+(?:{L.AND}|&)\s+[A-Z]"
        ),
    }
)


Pair = tuple[int, int, float]


@dataclass
class Candidate:
    """A sentence with the features ranking needs."""

    sentence: Sentence
    terms: list[str]
    vector: Vector
    theme: str | None = None
    theme_score: float = 0.0
    quote_share: float = 0.0  # share of its characters inside quotation marks
    anchors: set[str] = field(default_factory=set)
    # What a brief shows: the text, or the text with an opening pronoun resolved in
    # brackets; None when it opens on a reference nobody can resolve (reference.py).
    display: str | None = None
    # Worked out once when first asked (stands_alone, same_polarity), not compared.
    alone: bool | None = field(default=None, compare=False, repr=False)
    negated: frozenset[str] | None = field(default=None, compare=False, repr=False)


# Compared by identity: each candidate is in one group, so two groups are the same only
# when they are one object, and ``group in picked`` (asked of every group of a corpus)
# compared every field, members and their sentences included.
@dataclass(eq=False)
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


def similar_pairs(
    cands: Sequence[Candidate],
    threshold: float = SAME_FACT_TWO_ANCHORS,
    index: SimilarityIndex | None = None,
) -> list[Pair]:
    """(i, j, cosine) for i < j of every pair at least ``threshold`` alike.

    Found through an inverted index of distinctive words, never by comparing all
    pairs; computed once and shared by fact grouping and discrepancy finding.
    ``index``: the candidates' vectors' index when it was built already.
    """
    if index is None:
        index = SimilarityIndex([c.vector for c in cands])
    if len(cands) < SPARSE_MIN:
        return [
            (i, j, sim)
            for i in range(len(cands))
            for j, sim in index.neighbours(i, threshold)
            if j > i
        ]
    return _sparse_pairs(index, threshold)


SPARSE_MIN = 200  # below this many candidates the index's own loop is quicker than scipy
PAIR_CHUNK = 2048  # rows of the shared-signature product held in memory at once
PAIR_THREADS = 4  # chunks worked on at once, at most (each holds its product)


def _sparse_pairs(index: SimilarityIndex, threshold: float) -> list[Pair]:
    """What ``index.neighbours(i, threshold)`` finds for every i, kept for j > i, by
    sparse matrix products instead of Counters and dict cosines (same candidates, same
    rule; a cosine may differ from the dict one in its last bit, the order of the sum).

    The number of signature terms items i and j share (a rare term counting
    ``min_shared`` times) is row i of S W S^T, S the item x kept-term incidence
    matrix; each row's candidates are the ``MAX_CANDIDATES`` sharing the most, ties
    to the lower index, as in ``SimilarityIndex.neighbours``.
    """
    import numpy as np
    from scipy import sparse

    n = len(index.vectors)
    terms = {t: k for k, t in enumerate(index.postings)}
    # Each item's kept signature terms, as (row, column) pairs of the incidence matrix.
    rows = np.repeat(np.arange(n), [len(signature) for signature in index.signatures])
    cols = np.fromiter(
        (terms.get(t, -1) for signature in index.signatures for t in signature),
        dtype=np.int64,
        count=len(rows),
    )
    kept = cols >= 0
    rows, cols = rows[kept], cols[kept]
    incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(1, len(terms))))
    term_weight = np.array(
        [index.min_shared if len(ids) <= RARE_POSTINGS else 1 for ids in index.postings.values()]
        or [1],
        dtype=float,
    )
    weighted_t = (incidence @ sparse.diags(term_weight)).T.tocsr()
    need = np.minimum(
        index.min_shared, np.maximum(1, np.array([len(s) for s in index.signatures]) // 3)
    )
    tfidf = _tfidf_matrix(index.vectors)

    def chunk(lo: int):  # -> the (i, j, cosine) arrays of rows lo..lo+PAIR_CHUNK
        hi = min(n, lo + PAIR_CHUNK)
        shared = (incidence[lo:hi] @ weighted_t).tocoo()
        i = shared.row.astype(np.int64) + lo
        j = shared.col.astype(np.int64)
        count = shared.data
        keep = (i != j) & (count >= need[i])
        i, j, count = i[keep], j[keep], count[keep]
        i, j = _most_shared(i, j, count, lo, hi)
        keep = j > i
        i, j = i[keep], j[keep]
        sim = np.asarray(tfidf[i].multiply(tfidf[j]).sum(axis=1)).ravel()
        keep = sim >= threshold
        return i[keep], j[keep], sim[keep]

    # The chunks in threads: numpy and scipy let go of the interpreter lock in the
    # products, sorts and selections that are most of the work, so two cores share it
    # (at 10,000 articles this step ran on one core, the summary's being done). Joined
    # before anything forks; the results in chunk order, so the pairs are the same.
    starts = range(0, n, PAIR_CHUNK)
    if len(starts) < 2:
        found = [chunk(lo) for lo in starts]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(os.cpu_count() or 1, PAIR_THREADS)) as threads:
            found = list(threads.map(chunk, starts))
    if not found:
        return []
    first = np.concatenate([f[0] for f in found])
    second = np.concatenate([f[1] for f in found])
    sims = np.concatenate([f[2] for f in found])
    order = np.lexsort((second, first))
    return list(
        zip(first[order].tolist(), second[order].tolist(), sims[order].tolist(), strict=True)
    )


def _most_shared(i, j, count, lo: int, hi: int):  # numpy arrays in and out
    """The (i, j) candidates kept for each row i in lo..hi: all of them where a row has
    at most MAX_CANDIDATES, else the MAX_CANDIDATES sharing most, ties to the lower j.
    Only the crowded rows are sorted (sorting every candidate was most of the time)."""
    import numpy as np

    crowded = np.bincount(i - lo, minlength=hi - lo)[i - lo] > MAX_CANDIDATES
    ic, jc, cc = i[crowded], j[crowded], count[crowded]
    order = np.lexsort((jc, -cc, ic))  # by row, most shared first, then lower index
    ic, jc = ic[order], jc[order]
    rank = np.arange(len(ic)) - np.searchsorted(ic, ic, side="left")
    top = rank < MAX_CANDIDATES
    return np.concatenate([i[~crowded], ic[top]]), np.concatenate([j[~crowded], jc[top]])


def _tfidf_matrix(vectors: Sequence[Vector]):  # -> scipy.sparse.csr_matrix
    """The vectors as rows of a sparse matrix over their joint vocabulary."""
    import numpy as np
    from scipy import sparse

    vocab: dict[str, int] = {}
    indices = [vocab.setdefault(t, len(vocab)) for vec in vectors for t in vec]
    data = [v for vec in vectors for v in vec.values()]
    indptr = np.zeros(len(vectors) + 1, dtype=np.int64)
    np.cumsum([len(vec) for vec in vectors], out=indptr[1:])
    return sparse.csr_matrix(
        (np.array(data, dtype=float), np.array(indices, dtype=np.int64), indptr),
        shape=(len(vectors), max(1, len(vocab))),
    )


def group_facts(
    cands: Sequence[Candidate], pairs: Sequence[Pair], eligible: Sequence[bool]
) -> list[FactGroup]:
    """Group the eligible candidates that report the same fact; clearest member first.

    Groups merge only when more than half of their (sampled) cross pairs are the
    same fact (average linkage), so a chain of loosely related sentences does not
    collapse into one "fact".
    """
    ordered = _same_fact_pairs(cands, pairs, eligible)
    same = set(ordered) | {(j, i) for i, j in ordered}
    group_of = list(range(len(cands)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(cands)) if eligible[i]}
    for i, j in ordered:
        gi, gj = group_of[i], group_of[j]
        if gi == gj or not _mostly_same(same, members[gi], members[gj]):
            continue
        for k in members[gj]:
            group_of[k] = gi
        members[gi].extend(members.pop(gj))
    groups = []
    for ids in members.values():
        group = (
            sorted(
                (cands[k] for k in ids),
                key=lambda c: (-clarity(c), c.sentence.source, c.sentence.start),
            )
            if len(ids) > 1
            else [cands[ids[0]]]
        )
        groups.append(FactGroup(members=group, sources={m.sentence.source for m in group}))
    return groups


def _same_fact_pairs(
    cands: Sequence[Candidate], pairs: Sequence[Pair], eligible: Sequence[bool]
) -> list[tuple[int, int]]:
    """The (i, j) of the ``pairs`` between eligible candidates that report the same
    fact (``reports_same_fact``), most alike first, then by i and j.

    The same test, in arrays: a corpus of wire copies has hundreds of thousands of
    similar pairs, and only the few alike through shared anchors, or with a negated
    word, need a look at their sentences (this loop was a quarter of selecting)."""
    import numpy as np

    if not pairs:
        return []
    first_list, second_list, sim_list = zip(*pairs, strict=True)
    first = np.array(first_list, dtype=np.int64)
    second = np.array(second_list, dtype=np.int64)
    sims = np.array(sim_list, dtype=float)
    allowed = np.array(eligible, dtype=bool)
    anchored = np.array([bool(c.anchors) for c in cands], dtype=bool)
    keep = allowed[first] & allowed[second]
    alike = keep & (sims >= SAME_FACT)
    # Below SAME_FACT only shared anchors make two sentences alike (same_fact).
    for k in np.flatnonzero(keep & ~alike & anchored[first] & anchored[second]).tolist():
        shared = cands[first_list[k]].anchors & cands[second_list[k]].anchors
        alike[k] = same_fact(sim_list[k], anchor_weight(shared))
    # Opposite polarity: only where either sentence negates a word.
    involved = np.unique(np.concatenate([first[alike], second[alike]]))
    negates = np.zeros(len(cands), dtype=bool)
    for k in involved.tolist():
        cand = cands[k]
        if cand.negated is None:
            cand.negated = negated_terms(cand.sentence.text)
        negates[k] = bool(cand.negated)
    for k in np.flatnonzero(alike & (negates[first] | negates[second])).tolist():
        alike[k] = same_polarity(cands[first_list[k]], cands[second_list[k]])
    first, second, sims = first[alike], second[alike], sims[alike]
    order = np.lexsort((second, first, -sims))
    return list(zip(first[order].tolist(), second[order].tolist(), strict=True))


def reports_same_fact(a: Candidate, b: Candidate, sim: float | None = None) -> bool:
    """Whether two sentences report the same fact: alike (``same_fact``) and of the same
    polarity. ``sim`` is their cosine, when known already."""
    sim = cosine(a.vector, b.vector) if sim is None else sim
    # alike enough whatever the anchors (no need to count them), or alike and anchored
    alike = sim >= SAME_FACT or same_fact(sim, anchor_weight(a.anchors & b.anchors))
    return alike and same_polarity(a, b)


def same_polarity(a: Candidate, b: Candidate) -> bool:
    """False when a word both sentences use is negated in one and not in the other:
    "he is unlikely to meet the queen" and "he will meet the queen" are opposite
    reports, not one fact told twice."""
    if a.negated is None:
        a.negated = negated_terms(a.sentence.text)
    if b.negated is None:
        b.negated = negated_terms(b.sentence.text)
    negated_a, negated_b = a.negated, b.negated
    if negated_a == negated_b:
        return True
    shared = set(a.terms) & set(b.terms)
    return not (shared & (negated_a ^ negated_b))


LINKAGE_SAMPLE = 6  # members per side compared when two groups may merge


def _mostly_same(same: set[tuple[int, int]], left: list[int], right: list[int]) -> bool:
    # Pairs not found alike by the index count as different; comparing a bounded
    # sample of each group keeps merging linear in the corpus size.
    left, right = left[:LINKAGE_SAMPLE], right[:LINKAGE_SAMPLE]
    matches = sum((i, j) in same for i in left for j in right)
    return matches * 2 > len(left) * len(right)


def anchor_weight(shared: set[str]) -> int:
    """Shared anchors as separate pieces of evidence: pairs that overlap in a word come
    from one phrase ("federal district court" gives "district federal" and "court
    district") and count once; a phrase with a number in it counts twice."""
    if len(shared) < 2:
        return sum(2 if is_numeric_anchor(a) else 1 for a in shared)
    parent: dict[str, str] = {}  # union-find over the anchors' words

    def root(word: str) -> str:
        while parent.setdefault(word, word) != word:
            word = parent[word]
        return word

    for anchor in shared:
        first, second = anchor.split()
        parent[root(first)] = root(second)
    numeric: dict[str, bool] = {}
    for anchor in shared:
        phrase = root(anchor.split()[0])
        numeric[phrase] = numeric.get(phrase, False) or is_numeric_anchor(anchor)
    return sum(2 if n else 1 for n in numeric.values())


def same_fact(similarity: float, shared_anchors: int) -> bool:
    """Whether two sentences report the same fact, from their cosine and shared anchors."""
    return (
        similarity >= SAME_FACT
        or (shared_anchors >= 1 and similarity >= SAME_FACT_ANCHORED)
        or shared_anchors >= 2
    )


def stands_alone(cand: Candidate) -> bool:
    """Whether a sentence opens on its own subject, not on a pronoun or conjunction that
    points back to text the reader of a bullet does not see ("And he said ...")."""
    if cand.alone is None:
        # The text as the brief shows it: a pronoun resolved in brackets points back no
        # more. (Asked once the display is set: assemble sets it before any grouping.)
        text = cand.display or cand.sentence.text
        cand.alone = not (_R.DANGLING_START_RE.match(text) or _points_back(text))
    return cand.alone


def _points_back(text: str) -> bool:
    low = text.lower()
    if not any(hint in low for hint in _R.POINTS_BACK_HINTS):
        return False  # the common case, decided without the pattern
    return any(not _named_before(text, m) for m in _R.POINTS_BACK_RE.finditer(text))


def _named_before(text: str, match: re.Match[str]) -> bool:
    """Whether the thing a "such a visit" or "these sites" points to is named earlier in
    the same sentence ("A state visit was proposed ..., but ... put such a visit on ice"),
    so that the sentence read alone still says what it is."""
    rest = text[match.start() :].split()
    if len(rest) > 1 and rest[0].lower() == "the":
        # "the two leaders" after "Ann Reyes and Tom Ware": the two named before it.
        return _R.NAMED_PAIR_RE.search(text, 0, match.start()) is not None
    if len(rest) < 2 or rest[0].lower() not in ("such", "those", "these"):
        return False
    noun = rest[2] if rest[1].lower() in ("a", "an") and len(rest) > 2 else rest[1]
    wanted = content_terms(noun)
    return bool(wanted) and wanted[0] in content_terms(text[: match.start()])


def clarity(cand: Candidate) -> float:
    """How well a sentence stands alone: full, self-contained, not mostly quotation."""
    words = len(cand.sentence.text.split())
    length_fit = 1.0 - min(abs(words - 24) / 30, 0.8)
    dangling = 0.0 if stands_alone(cand) else 0.5
    return length_fit - dangling - 0.5 * cand.quote_share


def score_groups(
    groups: Sequence[FactGroup],
    positions: dict[int, int],
    origin_of: dict[int, int] | None = None,
    center: Vector | None = None,
) -> None:
    """Salience of each group: centroid closeness, position prior, corroboration.

    ``positions`` maps a source number to its sentence count, for the position prior.
    ``center``: the centroid closeness is measured to, when not that of ``groups``.
    """
    if center is None:
        center = centroid(c.vector for g in groups for c in g.members)
    for group in groups:
        lead = group.lead
        closeness = max(cosine(m.vector, center) for m in group.members)
        first = min(
            m.sentence.position / max(1, positions.get(m.sentence.source, 1)) for m in group.members
        )
        position_prior = 1.0 - first
        # Syndicated copies of one wire story are one source, not corroboration.
        origins = {(origin_of or {}).get(n, n) for n in group.sources}
        corroboration = math.log2(len(origins)) if origins else 0.0
        group.score = (
            0.5 * closeness + 0.25 * position_prior + 0.25 * corroboration + 0.15 * clarity(lead)
        )
        # The shown sentence decides where the fact goes: a reader judges the section
        # by it. Only when it fits no theme do the other members vote, and then the
        # best member on the winning theme becomes the one shown.
        if lead.theme is not None:
            group.theme, group.theme_score = lead.theme, lead.theme_score
            continue
        votes: dict[str | None, float] = {}
        for m in group.members:
            votes[m.theme] = votes.get(m.theme, 0.0) + m.theme_score
        group.theme = max(votes, key=lambda k: (votes[k], k or ""))
        group.theme_score = votes[group.theme] / len(group.members)
        # Show a member that is visibly on the theme the group is filed under.
        on_theme = [m for m in group.members if m.theme == group.theme]
        if on_theme and group.theme is not None:
            group.members.remove(on_theme[0])
            group.members.insert(0, on_theme[0])


def select(
    groups: Sequence[FactGroup], k: int, weight: float = 0.7, taken: Sequence[Vector] = ()
) -> list[FactGroup]:
    """Up to ``k`` groups by maximal marginal relevance against each other and ``taken``."""
    chosen: list[FactGroup] = []
    pool = sorted(groups, key=lambda g: (-g.score, g.lead.sentence.source, g.lead.sentence.start))
    # Each group's overlap with everything taken or chosen so far, kept up to date with
    # the one vector each round adds instead of compared with all of them again (a max is
    # exact in any order); None until there is something to overlap with.
    overlaps: list[float | None] = [None] * len(pool)
    for vec in taken:
        _raise_overlaps(pool, overlaps, vec)
    while pool and len(chosen) < k:
        best, best_value = -1, -math.inf
        for i, group in enumerate(pool):
            overlap = overlaps[i]
            if overlap is None:
                overlap = 0.0
            elif overlap >= REDUNDANT:
                continue
            value = weight * group.score - (1 - weight) * overlap
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        picked = pool.pop(best)
        del overlaps[best]
        chosen.append(picked)
        _raise_overlaps(pool, overlaps, picked.lead.vector)
    return chosen


def _raise_overlaps(pool: Sequence[FactGroup], overlaps: list[float | None], vec: Vector) -> None:
    """Raise each group's overlap to its cosine with ``vec`` where that is higher; a group
    already redundant stays so and is not compared again."""
    for i, group in enumerate(pool):
        overlap = overlaps[i]
        if overlap is not None and overlap >= REDUNDANT:
            continue
        sim = cosine(group.lead.vector, vec)
        if overlap is None or sim > overlap:
            overlaps[i] = sim
