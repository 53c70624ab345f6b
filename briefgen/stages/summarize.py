"""Summarize: pick the sentences that best cover what a set of articles says.

Generic multi-document extractive summariser (the brief's key points), in the
manner of ICSISumm (Gillick & Favre, 2009): a summary is worth the total weight
of the *concepts* it covers, each counted once, so repeating a fact earns
nothing and redundancy is controlled by the objective itself.

* Concepts are Porter-stemmed word bigrams (not both stopwords, not across
  punctuation). A concept's weight is its document frequency -- how many
  articles state it -- with each article's vote scaled by how early the concept
  first appears there (news puts the key facts first). Concepts found in too
  few articles are dropped: they are one outlet's detail, not the story.
* Candidates are whole sentences, verbatim: 8-60 words, not a bare quotation
  or a piece of a quotation split across sentences, no exact repeats.
* The budgeted coverage problem is solved greedily by gain per word, then
  improved by local search (drop / add / swap one for one or two), which
  reaches the ILP optimum or very near it at this size.
* Optional per-sentence ``boost`` multiplies a sentence's own weight.

The word budget is strict: the returned sentences total at most ``words``
whitespace-separated words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from briefgen.stages.textstats import STOPWORDS, n_words, stem, words

MIN_WORDS = 8
MAX_WORDS = 60

# Concept weighting.
MIN_DF_SHARE = 0.3  # a concept must appear in >= 30% of the articles (at least 2 when n >= 2)
POSITION_DECAY = 0.0  # article vote for a concept first seen at sentence i: 1 + POSITION_BONUS/(1+i*decay)
POSITION_BONUS = 0.0
DF_POWER = 1.0
MAX_POSITION = 10**6  # candidates come from the first MAX_POSITION sentences of an article
LEAD_BONUS = 0.0  # sentence bonus: LEAD_BONUS * own value / (1 + position)
UNIGRAM_WEIGHT = 0.0  # weight of content-word unigram concepts relative to bigrams
MAX_QUOTE_SHARE = 0.5  # sentences more quoted than this are skipped
DUP_JACCARD = 0.6  # content-word overlap above which two sentences count as the same

_QUOTE_RE = re.compile(r"``|''|[\"“”„«»]")
_BREAK_RE = re.compile(r"[,;:.!?()\[\]{}\"“”„«»]|``|''|\s[-_–—]+\s")


def summarize(
    documents: Sequence[Sequence[str]],
    words: int = 100,
    *,
    order: str = "position",
    boost: dict[tuple[int, int], float] | None = None,
) -> list[tuple[int, int]]:
    """(doc, sentence) indices of an extractive summary of at most ``words`` words.

    ``documents[d][i]`` is sentence ``i`` of article ``d``. ``order`` is the
    presentation order of the result: ``"position"`` (earliest in its article
    first, ties by article), ``"document"`` (article, then sentence) or
    ``"rank"`` (order of selection, most valuable first). ``boost`` maps a
    (doc, sentence) to a bonus added to 1 on that sentence's weight
    (e.g. 0.5 -> 1.5x); negative values down to -1 disfavour it.
    """
    if order not in ("position", "document", "rank"):
        raise ValueError(f"unknown order {order!r}")
    cands = _candidates(documents)
    if not cands or words <= 0:
        return []
    matrix, weights, lengths = _concept_matrix(documents, cands)
    own = matrix @ weights
    bonus = np.array([LEAD_BONUS / (1.0 + i) for _d, i in cands]) * own
    if boost:
        for k, key in enumerate(cands):
            bonus[k] += max(-1.0, boost.get(key, 0.0)) * own[k]
    chosen = _solve(matrix, weights, lengths, bonus, words)
    picked = [cands[k] for k in chosen]
    if order == "position":
        picked.sort(key=lambda p: (p[1], p[0]))
    elif order == "document":
        picked.sort()
    return picked


# --------------------------------------------------------------------------- candidates


def _quote_share(text: str) -> float | None:
    """Share of the words inside quotation marks; None when the marks do not pair up."""
    parts = _QUOTE_RE.split(text)
    if len(parts) % 2 == 0:  # odd number of marks: a piece of a longer quotation
        return None
    inside = sum(n_words(p) for p in parts[1::2])
    total = sum(n_words(p) for p in parts)
    return inside / total if total else 1.0


def eligible(text: str) -> bool:
    """A sentence the summary may use: 8-60 words and not (mostly) a quotation."""
    n = n_words(text)
    if n < MIN_WORDS or n > MAX_WORDS:
        return False
    share = _quote_share(text)
    return share is not None and share <= MAX_QUOTE_SHARE


def _candidates(documents: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for d, doc in enumerate(documents):
        for i, text in enumerate(doc):
            if i >= MAX_POSITION or not eligible(text):
                continue
            key = tuple(words(text))
            if key in seen:
                continue
            seen.add(key)
            out.append((d, i))
    return out


# --------------------------------------------------------------------------- concepts


def _concepts(text: str) -> list[str]:
    """Stemmed bigrams (and content unigrams) of ``text``, not across punctuation."""
    out = []
    for chunk in _BREAK_RE.split(text):
        toks = words(chunk)
        stems = [stem(t) for t in toks]
        stop = [t in STOPWORDS for t in toks]
        for j in range(len(toks) - 1):
            if not (stop[j] and stop[j + 1]):
                out.append(stems[j] + " " + stems[j + 1])
        if UNIGRAM_WEIGHT:
            out.extend(s for s, st in zip(stems, stop, strict=True) if not st)
    return out


def _concept_matrix(
    documents: Sequence[Sequence[str]], cands: list[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sentence x concept incidence (bool), concept weights and sentence lengths."""
    votes: dict[str, float] = {}
    df: dict[str, int] = {}
    sent_concepts: dict[tuple[int, int], list[str]] = {}
    for d, doc in enumerate(documents):
        first: dict[str, int] = {}
        for i, text in enumerate(doc):
            cs = _concepts(text)
            sent_concepts[(d, i)] = cs
            for c in cs:
                first.setdefault(c, i)
        for c, i in first.items():
            df[c] = df.get(c, 0) + 1
            votes[c] = votes.get(c, 0.0) + 1.0 + POSITION_BONUS / (1.0 + i * POSITION_DECAY)
    n_docs = sum(1 for doc in documents if doc)
    min_df = max(min(2, n_docs), round(MIN_DF_SHARE * n_docs))
    index: dict[str, int] = {}
    rows: list[list[int]] = []
    for key in cands:
        row = []
        for c in sent_concepts[key]:
            if df[c] >= min_df:
                if c not in index:
                    index[c] = len(index)
                row.append(index[c])
        rows.append(row)
    matrix = np.zeros((len(cands), max(1, len(index))), dtype=bool)
    for k, row in enumerate(rows):
        matrix[k, row] = True
    weights = np.zeros(matrix.shape[1])
    for c, j in index.items():
        w = votes[c] ** DF_POWER
        weights[j] = w * UNIGRAM_WEIGHT if " " not in c else w
    lengths = np.array([n_words(documents[d][i]) for d, i in cands], dtype=float)
    return matrix, weights, lengths


# --------------------------------------------------------------------------- optimisation


def _value(matrix: np.ndarray, weights: np.ndarray, bonus: np.ndarray, sel: list[int]) -> float:
    """Weight of the concepts ``sel`` covers, each once, plus the sentences' own bonuses."""
    if not sel:
        return 0.0
    return float(weights @ matrix[sel].any(axis=0)) + float(bonus[sel].sum())


def _solve(
    matrix: np.ndarray,
    weights: np.ndarray,
    lengths: np.ndarray,
    bonus: np.ndarray,
    budget: int,
) -> list[int]:
    """Budgeted max-coverage: greedy by gain per word, then local search."""
    fits = lengths <= budget
    sel: list[int] = []
    used = 0.0
    covered = np.zeros(matrix.shape[1], dtype=bool)
    while True:
        gain = matrix[:, ~covered] @ weights[~covered] + bonus
        ok = fits & (lengths <= budget - used)
        ok[sel] = False
        if not ok.any():
            break
        ratio = np.where(ok, gain / lengths, -1.0)
        k = int(np.argmax(ratio))  # first index on ties: stable
        if ratio[k] <= 0:
            break
        sel.append(k)
        used += lengths[k]
        covered |= matrix[k]
    # the best single sentence can beat a greedy run that filled up on short ones
    single = np.where(fits, matrix @ weights + bonus, -1.0)
    best1 = int(np.argmax(single))
    if single[best1] > _value(matrix, weights, bonus, sel):
        sel = [best1]
    return _local_search(matrix, weights, lengths, bonus, budget, sel)


def _local_search(matrix, weights, lengths, bonus, budget, sel, max_rounds=20):
    n = len(lengths)
    best = _value(matrix, weights, bonus, sel)
    for _ in range(max_rounds):
        improved = False
        used = float(lengths[sel].sum()) if sel else 0.0
        # try: add one, swap one-for-one
        options: list[list[int]] = []
        for k in range(n):
            if k in sel:
                continue
            if used + lengths[k] <= budget:
                options.append(sel + [k])
            for j, s in enumerate(sel):
                if used - lengths[s] + lengths[k] <= budget:
                    options.append(sel[:j] + sel[j + 1 :] + [k])
        for cand in options:
            v = _value(matrix, weights, bonus, cand)
            if v > best + 1e-9:
                best, sel, improved = v, cand, True
        if not improved:
            break
    return sel
