"""Shared text features: content terms, TF-IDF vectors and cosine similarity.

Plain dictionaries of term weights keep this dependency-free and fast enough for
thousands of sentences; similarity search goes through an inverted index so it
never compares every sentence with every other one.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from briefgen import lang
from briefgen.stages import textstats

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|\d+(?:[.,]\d+)*(?:-[A-Za-z]+)?")

Vector = dict[str, float]
NAME_WEIGHT = 0.4
# The summariser's stop words plus reporting words, and the number words of anchors, of the
# active language (briefgen/lang/en.py for English).
_F = lang.bound(
    lambda L: {
        "STOPWORDS": L.STOPWORDS | L.REPORTING_WORDS,
        "NUMBER_WORDS": L.ANCHOR_NUMBER_WORDS,
        "NEGATIONS": L.NEGATIONS,
        "NEGATION_UNDONE": L.NEGATION_UNDONE,
    }
)


def __getattr__(name: str) -> frozenset[str]:
    """``features.STOPWORDS`` and ``features.NUMBER_WORDS``: the active language's."""
    if name in ("STOPWORDS", "NUMBER_WORDS"):
        return getattr(_F, name)  # type: ignore[no-any-return]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_CAPITALISED_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]")


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """Porter stem, possessive dropped: plan/plans, territory/territorial, cede/ceding.

    Memoised per word: the Porter stemmer is the same in every language briefgen reads
    (textstats.stem), so the active language does not enter the key."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return textstats.stem(w)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, stop words kept."""
    return [w.lower() for w in _WORD_RE.findall(text)]


def content_terms(text: str) -> list[str]:
    """Stemmed content words of ``text`` (stop words and one-letter tokens dropped)."""
    stopwords = _F.STOPWORDS
    return [stem(t) for t in tokens(text) if t not in stopwords and len(t) > 1]


# A word, or a mark that ends a clause: what a negation's reach stops at.
_CLAUSE_TOKEN_RE = re.compile(_WORD_RE.pattern + r"|[,;:()—–]")
NEGATION_REACH = 4  # words after a negation that it governs, within its clause


@lru_cache(maxsize=1 << 16)
def negated_terms(text: str) -> frozenset[str]:
    """Stems of the words a negation governs in ``text``: the first content words after
    "not", "never", "unlikely", "without", a "n't" and the like, within a few words and
    the clause ("he is unlikely to meet Queen Anne" -> meet, queen, anne; "not a target
    of the probe" -> target)."""
    negations = _F.NEGATIONS
    stopwords = _F.STOPWORDS
    negated: set[str] = set()
    reach = 0  # words left in which the governed words may start
    governing = False  # inside the run of content words the negation governs
    undone = _F.NEGATION_UNDONE
    after_negation = False
    for token in _CLAUSE_TOKEN_RE.findall(text):
        word = token.lower().replace("’", "'")
        content = word.isalnum() or len(word) > 1
        if after_negation and word in undone:  # "not only ... but also": no negation
            reach, governing, after_negation = 0, False, False
            continue
        after_negation = False
        if not content or word in negations or word.endswith("n't"):
            reach = NEGATION_REACH if content else 0
            governing = False
            after_negation = content
        elif word in stopwords or len(word) == 1:
            reach = 0 if governing else max(reach - 1, 0)
            governing = False
        elif reach or governing:
            negated.add(stem(word))
            reach, governing = 0, True
    return frozenset(negated)


def name_terms(texts: Iterable[str], share: float = 0.7) -> frozenset[str]:
    """Stems written capitalised in at least ``share`` of their mid-sentence uses: names.

    Sentence-initial words are capitalised anyway, so they are no evidence either way.
    """
    return names_from_counts([name_counts(texts)], share)


NameCounts = tuple[dict[str, int], dict[str, int]]


def name_counts(texts: Iterable[str]) -> NameCounts:
    """How often each stem is written capitalised mid-sentence, and used mid-sentence at
    all, in ``texts``: what ``name_terms`` decides on. Counts of separate texts add up,
    so each article's can be counted once (and cached) and summed for the corpus."""
    capitalised: dict[str, int] = {}
    total: dict[str, int] = {}
    stopwords = _F.STOPWORDS
    for text in texts:
        for word in _CAPITALISED_RE.findall(text)[1:]:  # the first is capitalised anyway
            if word.lower() in stopwords:
                continue
            term = stem(word)
            total[term] = total.get(term, 0) + 1
            if word[0].isupper():
                capitalised[term] = capitalised.get(term, 0) + 1
    return capitalised, total


def names_from_counts(counts: Iterable[NameCounts], share: float = 0.7) -> frozenset[str]:
    """``name_terms`` of the texts these ``name_counts`` were counted from, together."""
    capitalised: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for caps, uses in counts:
        capitalised.update(caps)
        total.update(uses)
    return frozenset(t for t, n in total.items() if capitalised[t] / n >= share)


def anchors(terms: Sequence[str], names: frozenset[str]) -> set[str]:
    """Adjacent content-word pairs without names ("agreed disclose", "five hour").

    Two sentences sharing such pairs very likely report the same thing even when
    the rest is worded differently; pairs with names ("envoy Witkoff") only say
    who is involved, so they do not count.
    """
    # Unordered, so "talks were held" and "held talks" share their pair.
    return {
        f"{a} {b}" if a < b else f"{b} {a}"  # the pair sorted, as a string
        for a, b in zip(terms, terms[1:], strict=False)
        if a != b and a not in names and b not in names
    }


def is_numeric_anchor(pair: str) -> bool:
    """A pair with a number in it ("five hour", "20 item") pins a fact down firmly."""
    return any(w.isdigit() or w in _F.NUMBER_WORDS for w in pair.split())


def phrase_terms(phrase: str) -> tuple[str, ...]:
    """A configured term ("security guarantees") as a tuple of stemmed content words."""
    return tuple(content_terms(phrase))


def document_frequencies(docs: Iterable[Iterable[str]]) -> tuple[Counter[str], int]:
    df: Counter[str] = Counter()
    n = 0
    for terms in docs:
        df.update(set(terms))
        n += 1
    return df, n


def tfidf(
    terms: Sequence[str], df: Counter[str], n_docs: int, damped: frozenset[str] = frozenset()
) -> Vector:
    """A unit-length TF-IDF vector (sublinear tf, smoothed idf).

    Terms in ``damped`` (names) count for less: two sentences naming the same
    people are not thereby saying the same thing.
    """
    counts = Counter(terms)
    vec = {
        t: (1 + math.log(c))
        * (math.log((1 + n_docs) / (1 + df.get(t, 0))) + 1)
        * (NAME_WEIGHT if t in damped else 1.0)
        for t, c in counts.items()
    }
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def tfidf_all(
    docs: Sequence[Sequence[str]],
    df: Counter[str],
    n_docs: int,
    damped: frozenset[str] = frozenset(),
) -> list[Vector]:
    """``[tfidf(terms, df, n_docs, damped) for terms in docs]``, each term's idf worked
    out once for the corpus rather than once per use (the same numbers, bit for bit)."""
    weight: dict[str, float] = {}
    once: dict[str, float] = {}  # a term's weight where it occurs once: most terms
    out = []
    for terms in docs:
        counts: dict[str, int] = {}
        for t in terms:
            counts[t] = counts.get(t, 0) + 1
        vec = {}
        for t, c in counts.items():
            if c == 1:
                v = once.get(t)
                if v is None:
                    # (1 + log 1) * w * damping, as below: 1.0 * w is w exactly
                    v = once[t] = _idf(t, weight, df, n_docs) * (
                        NAME_WEIGHT if t in damped else 1.0
                    )
                vec[t] = v
            else:
                w = _idf(t, weight, df, n_docs)
                vec[t] = (1 + math.log(c)) * w * (NAME_WEIGHT if t in damped else 1.0)
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


def _idf(t: str, weight: dict[str, float], df: Counter[str], n_docs: int) -> float:
    w = weight.get(t)
    if w is None:
        w = weight[t] = math.log((1 + n_docs) / (1 + df.get(t, 0))) + 1
    return w


def cosine(a: Vector, b: Vector) -> float:
    # Over the smaller vector's terms in their own order: a set intersection's order
    # follows the process's hash seed, and the sum's last bit with it.
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def centroid(vectors: Iterable[Vector]) -> Vector:
    total: defaultdict[str, float] = defaultdict(float)
    for vec in vectors:
        for t, v in vec.items():
            total[t] += v
    norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
    return {t: v / norm for t, v in total.items()}


RARE_POSTINGS = 4
MAX_CANDIDATES = 40


class SimilarityIndex:
    """Finds similar vectors without comparing every pair (an inverted index).

    Each vector is indexed under its ``signature`` heaviest terms: its most
    distinctive words. Two sentences that say the same thing share some of them.
    A term indexed for more than ``max_postings`` items says little about
    sameness and is dropped, and a candidate must share ``min_shared`` signature
    terms before a cosine is computed, so the work per item is bounded and the
    whole index costs time in proportion to the number of items.
    """

    def __init__(
        self,
        vectors: Sequence[Vector],
        signature: int = 8,
        max_postings: int = 200,
        min_shared: int = 2,
    ):
        self.vectors = vectors
        self.min_shared = min_shared
        self.signatures = [
            [t for t, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:signature]]
            for vec in vectors
        ]
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for i, terms in enumerate(self.signatures):
            for t in terms:
                postings[t].append(i)
        self.postings = {t: ids for t, ids in postings.items() if len(ids) <= max_postings}

    def neighbours(self, i: int, threshold: float) -> list[tuple[int, float]]:
        """Items other than ``i`` whose cosine with item ``i`` is at least ``threshold``."""
        shared: Counter[int] = Counter()
        for t in self.signatures[i]:
            ids = self.postings.get(t, ())
            # A word only a handful of sentences use is strong evidence on its own.
            shared.update(ids if len(ids) > RARE_POSTINGS else ids * self.min_shared)
        shared.pop(i, None)
        # Very short sentences have few terms to share; one is enough for them.
        need = min(self.min_shared, max(1, len(self.signatures[i]) // 3))
        # In a heavily syndicated corpus one sentence may match thousands; the ones
        # sharing most distinctive words are compared, a bounded number of them.
        best = sorted((-n, j) for j, n in shared.items() if n >= need)[:MAX_CANDIDATES]
        found = []
        for j in sorted(j for _, j in best):
            sim = cosine(self.vectors[i], self.vectors[j])
            if sim >= threshold:
                found.append((j, sim))
        return found
