"""Discover: themes found in the articles themselves, for a folder without a theme set.

Words that belong to one thread of a story keep company: "tariffs", "steel" and
"exemption" turn up in the same sentences, "protests" and "mayor" in others. Discovery
finds those groups in a table of how strongly each pair of words shares sentences
(positive pointwise mutual information), splits the table into a few candidate threads by
non-negative matrix factorisation, and takes the candidates that together account for
most of the story, one at a time (``_select``): a thread must win sentences of several
articles from those taken before it, and add sentences they leave out.

Each thread becomes an ordinary theme: its strongest words are its seed terms, and the
theme classifier (``classify.py``) places sentences exactly as it would had a person
written those terms into ``briefgen.toml``. So ``briefgen themes --write`` writes just
that, and building with the written file gives the same brief. Its title is a noun phrase
of its own sentences (``_Titler``).

Cost: counting word pairs is linear in the sentences; the table's size is capped
(``MAX_VOCABULARY``) and sparse, and past ``SAMPLE`` sentences discovery reads a sample, so
the cost stops growing with the corpus. No dense matrix product or decomposition of the
table is made: those spread over every core and crawl on a busy machine. Every tie breaks
on the words themselves, so the same articles give the same themes in any file order.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from briefgen import lang
from briefgen.config import Config, Theme
from briefgen.models import Sentence, Source
from briefgen.stages import classify
from briefgen.stages.features import content_terms, stem
from briefgen.stages.selection import OTHER

MAX_VOCABULARY = 400  # words in the table, the most widely used first
MIN_ARTICLES = 2  # a word, and a theme, needs at least this many articles behind it
MIN_SENTENCES = 3  # a word in fewer sentences is too rare to define a thread
MAX_SHARE = 0.4  # a word in more of the sentences than this runs through the whole story
PARTS = 7  # parts the factorisation looks for: the candidate threads
MOST = 5  # themes at most
MIN_THEMES = 3  # themes at least, when the articles support that many
MOST_EXTRA = 2  # themes discovered next to configured ones, at most (when 6 are configured)
MIN_THEME_SHARE = 0.1  # of the sentences a theme must take when all compete, or it is dropped
MIN_GAIN = 0.05  # of the sentences a theme past MIN_THEMES must bring that no other holds
SEEDS = 7  # seed terms per theme
MAX_SHARED_SEEDS = 3  # a part with this many seed terms of a stronger one is dropped
MIN_SEED_WEIGHT = 0.15  # of the part's strongest word
ITERATIONS = 150  # multiplicative updates; the start is deterministic (NNDSVD)
EIGEN_ROUNDS = 60  # subspace iterations for the start's eigenvectors
EIGEN_SPARE = 5  # vectors iterated beyond those needed: they speed convergence
MOSTLY_QUOTED = 0.5
TITLE_WORDS_MAX = 4
SAMPLE = 3000  # sentences discovery reads at most (a sample, past that)
TITLE_SAMPLE = 300  # sentences of a theme searched for its title
TITLE_CHOICES = 12  # the strongest phrases of a theme, compared by how much they are its own

NAME_KINDS = frozenset({"person", "organisation", "place"})
_P = lang.bound(lambda L: {"POSSESSIVE": re.compile(L.POSSESSIVE)})
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*%?|[^\w\s]")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
# A full stop after a word ending in lowercase ("in July."): not "U.S." or "..."; the
# language's abbreviations ("Inc.") keep theirs.
_SENTENCE_STOP = re.compile(r"(?:^|\s)([^\s.]*[a-z]{2})\.$")
# A dateline: a place in capitals opening the copy, then a dash ("WASHINGTON —").
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’\- ]*[A-Z.](?:,? [A-Z][A-Za-z.]*)*(?: \([^)]{1,40}\))? ?[—–-]+ "
)


@dataclass(frozen=True)
class Candidate:
    """One sentence as discovery sees it: its article, its text, and its keys (a stem, or
    a name's stems joined by spaces) with the way each key is written there."""

    source: int
    text: str
    keys: tuple[str, ...]
    forms: tuple[tuple[str, str], ...] = ()
    names: tuple[tuple[int, int], ...] = ()  # where names are in the text: a title never cuts one


@dataclass
class DiscoveredTheme:
    """A theme the articles support, with what `briefgen themes` shows about it."""

    id: str
    title: str
    description: str
    terms: list[str]  # as written in the articles: in a config, they reproduce the theme
    sentences: list[int] = field(default_factory=list)  # indexes into the sentences given
    articles: list[int] = field(default_factory=list)  # Source.n of supporting articles

    def theme(self) -> Theme:
        return Theme(self.id, self.title, self.description, tuple(self.terms), discovered=True)


def discover(
    sentences: Sequence[Sentence],
    most: int = MOST,
    taken: Sequence[bool] | None = None,
    reserved: Sequence[str] = (),
) -> list[DiscoveredTheme]:
    """Up to ``most`` themes the articles support, largest first.

    ``taken`` marks sentences a configured theme already holds: discovery then looks
    only at the rest, for the threads the configured themes miss. ``reserved`` are theme
    ids already in use.

    Past ``SAMPLE`` sentences, discovery reads a sample of them chosen by a hash of
    their text (so neither the order nor the names of the files matter): the threads of a
    story show in a few thousand of its sentences, and the cost stops growing with it."""
    if len(sentences) > SAMPLE:
        return _discover_sampled(sentences, most, taken, reserved)
    candidates = [
        candidate(s) if not (taken and taken[i]) else Candidate(s.source, s.text, ())
        for i, s in enumerate(sentences)
    ]
    vocab = vocabulary(candidates)
    if len(vocab) < SEEDS:
        return []
    import numpy as np  # only a build that discovers pays for numpy's import here

    table = _ppmi(np, candidates, vocab)
    if not table.nnz:
        return []  # no two words share sentences twice: no thread to tell apart
    parts = _factorise(np, table, PARTS)
    forms = _surface_forms(candidates)
    seed_sets: list[list[str]] = []
    for row in parts:
        weight = row / (row.max() or 1.0)
        order = sorted(range(len(vocab)), key=lambda i: (-weight[i], vocab[i]))
        seeds = [vocab[i] for i in order[:SEEDS] if weight[i] >= MIN_SEED_WEIGHT]
        # A part that shares much of its words with a stronger one is the same thread.
        if len(seeds) >= 3 and not any(
            len(set(seeds) & set(kept)) >= min(MAX_SHARED_SEEDS, (len(seeds) + 1) // 2)
            for kept in seed_sets
        ):
            seed_sets.append(seeds)
    terms = [content_terms(s.text) for s in sentences]
    seed_sets, members = _select(seed_sets, forms, terms, sentences, most, taken)
    found = [
        DiscoveredTheme(
            id="",
            title="",
            description="",
            terms=[forms[k] for k in keys],
            sentences=idxs,
            articles=sorted({sentences[i].source for i in idxs}),
        )
        for keys, idxs in zip(seed_sets, members, strict=True)
    ]
    keys_of = {id(t): keys for t, keys in zip(found, seed_sets, strict=True)}
    found.sort(key=lambda t: (-len(t.sentences), t.terms))
    titler = _Titler(candidates, [t.sentences for t in found])
    used = set(reserved)
    titles: set[str] = set()
    for theme in found:
        theme.title = titler.title(keys_of[id(theme)], theme, titles)
        titles.add(theme.title.lower())
        theme.id = _unique_id(theme.title, used)
        theme.description = _description(theme, len({s.source for s in sentences}))
    return found


def _discover_sampled(
    sentences: Sequence[Sentence],
    most: int,
    taken: Sequence[bool] | None,
    reserved: Sequence[str],
) -> list[DiscoveredTheme]:
    """``discover`` on a sample of the sentences, with the themes' sizes scaled back."""
    import hashlib
    import heapq

    blake2b = hashlib.blake2b
    keys = [blake2b(s.text.encode("utf-8"), digest_size=8).digest() for s in sentences]
    picked = sorted(heapq.nsmallest(SAMPLE, range(len(sentences)), key=keys.__getitem__))
    found = discover(
        [sentences[i] for i in picked],
        most,
        [taken[i] for i in picked] if taken else None,
        reserved,
    )
    n_articles = len({s.source for s in sentences})
    scale = len(sentences) / len(picked)
    for theme in found:
        theme.sentences = [picked[i] for i in theme.sentences]
        theme.description = _description(theme, n_articles, scale)
    return found


def candidate(sentence: Sentence) -> Candidate:
    """A sentence's keys: a person by surname, an organisation or place by its whole
    name ("White House"), other content words by stem.

    A sentence mostly inside quotation marks gives none: threads are told by what
    happened, and a vivid quote every outlet repeats would make its own words a theme.
    Nor does a dateline ("WASHINGTON —"): it says where the copy was filed, in every
    thread alike."""
    text = sentence.text
    quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(text))
    if quoted > MOSTLY_QUOTED * len(text):
        return Candidate(sentence.source, text, ())
    W = lang.words
    stopwords, generic, title_words = W.STOPWORDS, W.THREAD_GENERIC, W.TITLE_WORDS
    keys: list[str] = []
    forms: list[tuple[str, str]] = []
    covered: list[tuple[int, int]] = []
    names: list[tuple[int, int]] = []
    dateline = _DATELINE.match(text)
    if dateline:
        covered.append((0, dateline.end()))
    for entity in sentence.entities:
        start, end = entity.start - sentence.start, entity.end - sentence.start
        covered.append((start, end))
        if entity.kind not in NAME_KINDS:
            continue  # numbers and dates: covered, never keys
        names.append((start, end))
        if dateline and start < dateline.end():
            continue
        words = [w for w in _WORD.findall(text[start:end]) if w not in title_words]
        if entity.kind == "person":
            words = words[-1:]  # "Mike Pompeo", "Mr. Pompeo" and "Pompeo" are one key
        words = [_P.POSSESSIVE.sub("", w) for w in words]
        if words and stem(words[-1]) not in generic:
            key = " ".join(stem(w) for w in words)
            keys.append(key)
            forms.append((key, " ".join(words)))
    covered.sort()
    span = 0  # the first covered span that may still hold a word (words come in order)
    for m in _WORD.finditer(text):
        word = m.group(0)
        low = word.lower()
        if len(low) < 3 or low in stopwords or low in generic or word in title_words:
            continue
        at = m.start()
        while span < len(covered) and covered[span][1] <= at:
            span += 1
        if span < len(covered) and _inside(at, covered, span):
            continue
        key = stem(word)
        if key in generic:
            continue
        keys.append(key)
        forms.append((key, word if word[0].isupper() and at > 0 else low))
    return Candidate(sentence.source, text, tuple(keys), tuple(forms), tuple(sorted(names)))


def _inside(at: int, spans: list[tuple[int, int]], first: int) -> bool:
    """Whether offset ``at`` is inside one of ``spans`` (sorted by start) from ``first`` on."""
    for start, end in spans[first:]:
        if start > at:
            return False
        if at < end:
            return True
    return False


def vocabulary(candidates: Sequence[Candidate]) -> list[str]:
    """Keys several articles use, but not ones that run through the whole story."""
    articles: defaultdict[str, set[int]] = defaultdict(set)
    sentence_df: Counter[str] = Counter()
    for c in candidates:
        for key in set(c.keys):
            articles[key].add(c.source)
            sentence_df[key] += 1
    n = max(1, len(candidates))
    keep = [
        key
        for key, where in articles.items()
        if len(where) >= MIN_ARTICLES
        and sentence_df[key] >= MIN_SENTENCES
        and sentence_df[key] / n <= MAX_SHARE
    ]
    keep.sort(key=lambda k: (-len(articles[k]), -sentence_df[k], k))
    return sorted(keep[:MAX_VOCABULARY])


def _ppmi(np, candidates: Sequence[Candidate], vocab: list[str]):
    """Positive PMI of keys sharing a sentence, weighted by how often they do: frequent
    associations weigh more than rare perfect ones. Pairs seen in one sentence are chance;
    the same sentence carried by several outlets counts once.

    A sparse table (scipy): few pairs of a few hundred words share two sentences, and
    sparse products run in one thread, where dense ones would spread over every core and
    slow down, not speed up, on a machine that is busy with other work."""
    from scipy import sparse

    index = {k: i for i, k in enumerate(vocab)}
    seen: set[tuple[int, ...]] = set()
    indices: list[int] = []
    indptr = [0]
    for c in candidates:
        ids = tuple(sorted({index[k] for k in c.keys if k in index}))
        if not ids or ids in seen:
            continue
        seen.add(ids)
        indices.extend(ids)
        indptr.append(len(indices))
    n = len(vocab)
    x = sparse.csr_matrix(
        (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(indptr) - 1, n),
    )
    counts = (x.T @ x).tocoo()
    single = np.asarray(x.sum(axis=0)).ravel()
    total = max(1.0, float(single.sum()))
    i, j, c = counts.row, counts.col, counts.data
    keep = (i != j) & (c >= 2)
    i, j, c = i[keep], j[keep], c[keep]
    pmi = np.log(c * total / (single[i] * single[j]))
    positive = pmi > 0
    data = pmi[positive] * np.log1p(c[positive])
    return sparse.csr_matrix((data, (i[positive], j[positive])), shape=(n, n))


def _factorise(np, matrix, k: int):
    """The k rows of H in W·H ≈ matrix, both non-negative: each row weighs the words of
    one part. The start is NNDSVD (Boutsidis and Gallopoulos, 2008): deterministic.

    The table is symmetric, so its singular vectors are its eigenvectors (only the k
    largest are needed: ARPACK, from a fixed start); a singular value is an eigenvalue's
    magnitude."""
    n = matrix.shape[0]
    k = min(k, n)
    if n > 4 * k:
        values, vectors = _leading_eigen(np, matrix, k)
    else:
        values, vectors = np.linalg.eigh(matrix.toarray())
    order = np.argsort(-np.abs(values), kind="stable")[:k]
    s = np.abs(values[order])
    u = vectors[:, order]
    # An eigenvector's sign is the solver's choice. For a negative eigenvalue the two
    # halves below tie, and the sign decides which goes to the words (H, its negative
    # half): make that the heavier half, whatever the solver.
    heavier = np.linalg.norm(np.maximum(u, 0), axis=0) > np.linalg.norm(np.maximum(-u, 0), axis=0)
    u = u * np.where((values[order] < 0) & heavier, -1.0, 1.0)
    vt = (u * np.sign(values[order])).T
    w = np.zeros((n, k))
    h = np.zeros((k, n))
    for j in range(k):
        x, y = u[:, j], vt[j, :]
        halves = [(np.maximum(x, 0), np.maximum(y, 0)), (np.maximum(-x, 0), np.maximum(-y, 0))]
        a, b = max(halves, key=lambda p: float(np.linalg.norm(p[0]) * np.linalg.norm(p[1])))
        size = float(np.linalg.norm(a) * np.linalg.norm(b))
        if size == 0:
            continue
        scale = math.sqrt(s[j] * size)
        w[:, j] = scale * a / np.linalg.norm(a)
        h[j, :] = scale * b / np.linalg.norm(b)
    eps = 1e-9
    w += eps
    h += eps
    for _ in range(ITERATIONS):  # Lee and Seung's multiplicative updates (matrix symmetric)
        h *= (matrix @ w).T / (w.T @ w @ h + eps)
        w *= (matrix @ h.T) / (w @ (h @ h.T) + eps)
    return h


def _leading_eigen(np, matrix, k: int):
    """The k eigenvalues of largest magnitude of a symmetric sparse matrix, with their
    eigenvectors: subspace iteration from a fixed start, then Rayleigh-Ritz. Products
    with the sparse table and a QR of a thin matrix: no threaded dense algebra."""
    n = matrix.shape[0]
    p = min(n, k + EIGEN_SPARE)
    q = np.cos(np.outer(np.arange(n) + 1.0, np.arange(p) + 1.0) * 1.618) + 0.5  # fixed start
    q, _ = np.linalg.qr(q)
    for _ in range(EIGEN_ROUNDS):
        q, _ = np.linalg.qr(matrix @ q)
    small = q.T @ (matrix @ q)
    values, vectors = np.linalg.eigh((small + small.T) / 2)
    return values, q @ vectors


def _surface_forms(candidates: Sequence[Candidate]) -> dict[str, str]:
    """How each key is most often written."""
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for c in candidates:
        for key, form in c.forms:
            seen[key][form] += 1
    return {k: min(f.items(), key=lambda kv: (-kv[1], kv[0]))[0] for k, f in seen.items()}


def _select(
    seed_sets: list[list[str]],
    forms: dict[str, str],
    terms: list[list[str]],
    sentences: Sequence[Sentence],
    most: int,
    taken: Sequence[bool] | None,
) -> tuple[list[list[str]], list[list[int]]]:
    """The candidate threads that together account for most of the story, and the
    sentences each takes when they compete as they will in the brief.

    Threads are taken one at a time, each time the one that holds the most sentences no
    theme taken so far holds: the story's broad threads first, then what they leave out.
    A thread that wins too few sentences from the others, or sentences of one article
    only, is passed over; past ``MIN_THEMES`` (or any, next to configured themes), one
    that adds less than ``MIN_GAIN`` of the sentences is not worth a section. So two parts
    that are one thread seen twice are not both taken (the second adds little), and a
    story of three threads gets three sections, not five."""
    open_ = [i for i in range(len(terms)) if not (taken and taken[i])]
    if not open_ or not seed_sets:
        return [], []
    score, holds = _scores(classify.build_models(_themes(seed_sets, forms), terms), terms, open_)
    floor = max(MIN_SENTENCES, MIN_THEME_SHARE * len(open_))

    def supported(chosen: list[int]) -> bool:
        """Whether the last of ``chosen`` wins enough sentences, of several articles."""
        j = chosen[-1]
        won = [
            row
            for row in holds[j]
            if all(score[row][k] < score[row][j] for k in chosen[:-1] if row in holds[k])
        ]
        return (
            len(won) >= floor and len({sentences[open_[row]].source for row in won}) >= MIN_ARTICLES
        )

    # Next to configured themes, every discovered one must earn its place.
    least = MIN_THEMES if taken is None else 0
    chosen: list[int] = []
    covered: set[int] = set()
    while len(chosen) < most:
        ranked = sorted(
            (j for j in range(len(seed_sets)) if j not in chosen),
            key=lambda j: (-len(holds[j] - covered), -len(holds[j]), seed_sets[j]),
        )
        pick = next((j for j in ranked if supported([*chosen, j])), None)
        if pick is None:
            break
        if len(chosen) >= least and len(holds[pick] - covered) < MIN_GAIN * len(open_):
            break
        chosen.append(pick)
        covered |= holds[pick]
    # The brief places sentences with the chosen themes only (their learned words follow
    # from that set): a theme that ends up with too little there is dropped.
    for _ in range(len(chosen) + 1):
        kept = [seed_sets[j] for j in chosen]
        members = _compete(kept, forms, terms, taken)
        weak = [
            n
            for n, idxs in enumerate(members)
            if len(idxs) < floor or len({sentences[i].source for i in idxs}) < MIN_ARTICLES
        ]
        if not weak:
            return kept, members
        chosen = [j for n, j in enumerate(chosen) if n not in weak]
    return [], []


def _scores(
    models: Sequence[classify.ThemeModel], terms: list[list[str]], rows: list[int]
) -> tuple[list[list[float]], list[set[int]]]:
    """Each model's score for each of ``rows`` (ThemeModel.score, rounded so that the
    order of a sum never decides a tie), and the rows each model may take at all (a seed
    word, or learned words enough: what classify.assign decides on). One pass over each
    sentence's words for all models, rather than one per model."""
    single: defaultdict[str, list[tuple[int, float, bool]]] = defaultdict(list)
    phrases: list[tuple[int, tuple[str, ...], float]] = []
    for j, model in enumerate(models):
        for phrase, weight in model.seeds.items():
            if len(phrase) == 1:
                single[phrase[0]].append((j, weight, True))
            else:
                phrases.append((j, phrase, weight))
        for word, weight in model.learned.items():
            single[word].append((j, weight, False))
    score: list[list[float]] = []
    holds: list[set[int]] = [set() for _ in models]
    for row, i in enumerate(rows):
        t = terms[i]
        present = set(t)
        total = [0.0] * len(models)
        seeded = [False] * len(models)
        for word in present.intersection(single):
            for j, weight, seed in single[word]:
                total[j] += weight
                seeded[j] = seeded[j] or seed
        for j, phrase, weight in phrases:
            if present.issuperset(phrase) and _holds_phrase(t, phrase):
                total[j] += weight
                seeded[j] = True
        total = [round(x, 9) for x in total]
        score.append(total)
        for j, x in enumerate(total):
            if x > 0 and (seeded[j] or x >= classify.MIN_LEARNED_SCORE):
                holds[j].add(row)
    return score, holds


def _holds_phrase(terms: Sequence[str], phrase: tuple[str, ...]) -> bool:
    """Whether the words of ``phrase`` follow one another in ``terms`` (as a seed phrase
    counts in classify)."""
    n = len(phrase)
    return any(tuple(terms[i : i + n]) == phrase for i in range(len(terms) - n + 1))


def _themes(seed_sets: list[list[str]], forms: dict[str, str]) -> list[Theme]:
    return [Theme(f"t{i}", "", "", tuple(forms[k] for k in s)) for i, s in enumerate(seed_sets)]


def _compete(
    seed_sets: list[list[str]],
    forms: dict[str, str],
    terms: list[list[str]],
    taken: Sequence[bool] | None,
) -> list[list[int]]:
    """The sentences each theme takes when all compete (as classify.assign places them)."""
    rows = [i for i in range(len(terms)) if not (taken and taken[i])]
    score, holds = _scores(classify.build_models(_themes(seed_sets, forms), terms), terms, rows)
    members: list[list[int]] = [[] for _ in seed_sets]
    for row, i in enumerate(rows):
        best, won = 0.0, -1
        for j, x in enumerate(score[row]):
            if x > best and row in holds[j]:  # the first best, as classify.assign takes
                best, won = x, j
        if won >= 0:
            members[won].append(i)
    return members


class _Titler:
    """Titles for themes: noun phrases of the themes' own sentences.

    Which words may end a title, or stand in one, is read from how the articles use them,
    a cheap stand-in for a part-of-speech tagger: a word after "to", "will", "he" or
    "was", or before "the", is a verb there; one after "the" or "of" a noun; a word that
    ends a phrase (before a comma, a stop word or the end) is a head, one always followed
    by another content word ("federal court", "working visit") a modifier, and a title
    does not end on a modifier."""

    def __init__(self, candidates: Sequence[Candidate], members: Sequence[Sequence[int]]):
        self.candidates = candidates
        # The sentences read for titles: a sample of each theme's, taken by text (not
        # by position) so that the file order does not matter.
        self.samples = [
            sorted(idxs, key=lambda i: candidates[i].text)[:TITLE_SAMPLE] for idxs in members
        ]
        self.verb: Counter[str] = Counter()
        self.noun: Counter[str] = Counter()
        self.head: Counter[str] = Counter()
        self.modifier: Counter[str] = Counter()
        self.speaker: Counter[str] = Counter()  # before "said": who spoke
        self.uses: Counter[str] = Counter()
        self.lower: set[str] = set()  # words written in lower case somewhere
        W = lang.words
        seen: set[int] = set()
        for sample in self.samples:
            for i in sample:
                if i in seen:
                    continue
                seen.add(i)
                tokens = _TOKEN.findall(candidates[i].text)
                low = [t.lower() for t in tokens]
                for n, word in enumerate(low):
                    if not word[0].isalpha():
                        continue
                    before = low[n - 1] if n else ""
                    after = low[n + 1] if n + 1 < len(low) else "."
                    self.uses[word] += 1
                    if tokens[n][0].islower():
                        self.lower.add(word)
                    if after in W.SPEAKER_CUES:
                        self.speaker[word] += 1
                    if before in W.VERB_MARKERS or after in W.DETERMINERS:
                        self.verb[word] += 1
                    if before in W.DETERMINERS or before in W.NOUN_MARKERS:
                        self.noun[word] += 1
                    if not after[0].isalpha() or after in W.STOPWORDS:
                        self.head[word] += 1
                    elif after not in W.STOPWORDS and tokens[n + 1][0].islower():
                        self.modifier[word] += 1
        self.texts = [c.text.lower() for c in candidates]

    def verbish(self, word: str) -> bool:
        """Whether a lower-case word reads as a verb, a participle or an adverb."""
        w = word.lower()
        W = lang.words
        if w in W.NOT_VERBS:
            return False
        if w.endswith("ly") or w in W.IRREGULAR_VERBS:
            return True
        if w.endswith("ed") and not self.noun[w]:
            return True
        return self.verb[w] > self.noun[w]

    def speaks(self, word: str) -> bool:
        """Whether the articles use a word as the one who spoke ("the engineer said")."""
        w = word.lower()
        return self.speaker[w] > 0 and 5 * self.speaker[w] >= self.uses[w]

    def ends(self, word: str) -> bool:
        """Whether a word may end a title: a name, or a noun that heads phrases."""
        w = word.lower()
        if word[0].isupper() and w not in self.lower:
            return True  # a name (or a word only ever written as one)
        return self.head[w] > 0 and 4 * self.head[w] >= self.modifier[w] and not self.verbish(w)

    def phrases(self, sample: Sequence[int], seed_words: set[str]):
        """Every run of words of the sentences that reads as a noun phrase and holds one of
        ``seed_words``: (words, their stems, sentence). A noun phrase here has content words
        at both ends, only one linking word ("of", "on", "with") inside, no verb, no word
        that every thread uses, and ends on a noun or a name; it stays outside quotations,
        crosses no punctuation, and cuts no name ("Union" of "European Union", "Director
        Mike" of "Director Mike Pompeo")."""
        W = lang.words
        stopwords, links, generic = W.STOPWORDS, W.TITLE_LINKS, W.THREAD_GENERIC
        not_last = W.TITLE_WORDS | W.NATIONALITIES | W.DEMONYMS
        for i in sample:
            cand = self.candidates[i]
            text = cand.text
            quoted = [m.span() for m in _QUOTED.finditer(text)]
            tokens = [
                m for m in _TOKEN.finditer(text) if not any(a <= m.start() < b for a, b in quoted)
            ]
            words = [m.group(0) for m in tokens]
            low = [w.lower() for w in words]
            content = [w[0].isalpha() and w.lower() not in stopwords for w in words]
            stems = [stem(w) if c else "" for w, c in zip(words, content, strict=True)]
            if seed_words.isdisjoint(stems):
                continue
            size = len(words)
            # Words no title holds: those every thread uses, verbs, participles, adverbs.
            bad = [
                c and (w in generic or (words[n][0].islower() and self.verbish(w)))
                for n, (w, c) in enumerate(zip(low, content, strict=True))
            ]
            opens = [
                content[n]
                and not bad[n]
                and not _cuts(tokens[n].start(), cand.names)
                and not (n and _in_name(words[n - 1], words[n]))
                and not (words[n][0].isupper() and low[n] in self.lower and self.verbish(low[n]))
                for n in range(size)
            ]
            closes = [
                content[n]
                and not bad[n]
                and not _cuts(tokens[n].end(), cand.names)
                and not (n + 1 < size and _in_name(words[n], words[n + 1]))
                and words[n] not in not_last
                and not low[n].endswith(("'s", "’s"))
                and not (words[n].isupper() and "-" in words[n])
                and self.ends(words[n])
                for n in range(size)
            ]
            for n in range(size):
                if not opens[n]:
                    continue
                linked = 0
                seeded = stems[n] in seed_words
                for m in range(n, min(n + TITLE_WORDS_MAX, size)):
                    if m > n:
                        if not words[m][0].isalpha() or tokens[m].start() - tokens[m - 1].end() > 1:
                            break  # punctuation, or a gap (a quotation left out)
                        inner = m - 1
                        if inner > n and not content[inner]:
                            if low[inner] not in links or linked:
                                break
                            linked += 1
                        elif inner > n and bad[inner]:
                            break
                        seeded = seeded or stems[m] in seed_words
                    if seeded and closes[m]:
                        yield words[n : m + 1], [x for x in stems[n : m + 1] if x], i

    def title(self, keys: list[str], theme: DiscoveredTheme, taken: set[str]) -> str:
        """The phrase of the theme's own sentences that holds most of its seed words, used
        by the most articles, and used mostly in this theme: "Threat of protests", not
        "protests, London, threat". Falls back to two of its words joined by "and"."""
        W = lang.words
        weight = {k: 1.0 - 0.5 * i / len(keys) for i, k in enumerate(keys)}
        seed_words = {w for k in keys for w in k.split()}
        score: dict[str, float] = {}
        spelled: defaultdict[str, Counter[str]] = defaultdict(Counter)
        where: defaultdict[str, set[int]] = defaultdict(set)
        sample = sorted(theme.sentences, key=lambda i: self.candidates[i].text)[:TITLE_SAMPLE]
        for gram, stems, i in self.phrases(sample, seed_words):
            key = " ".join(w.lower() for w in gram)
            if key in taken:
                continue
            joined = " ".join(stems)
            score[key] = sum(weight.get(s, 0.0) for s in set(stems)) + sum(
                0.5 * weight.get(k, 0.0) for k in keys if " " in k and k in joined
            )
            spelled[key][" ".join(gram)] += 1
            where[key].add(self.candidates[i].source)
        if not score:
            # No phrase of its sentences will do: two of its seed terms that are nouns.
            nouns = [t for t in theme.terms if self.ends(t.split()[-1])] or theme.terms[:1]
            return _capitalise(" and ".join(nouns[:2]))
        # Words several outlets use, rather than one writer's.
        shared = {k: v for k, v in score.items() if len(where[k]) >= MIN_ARTICLES}
        score = shared or score

        def who(key: str) -> bool:
            """Names only, or a speaker ("the engineer said"): who, rather than what."""
            words = [w for w in key.split() if w not in W.STOPWORDS]
            return all(w[0].isupper() for w in words) or self.speaks(words[-1])

        # A phrase that joins two of the theme's words says more than either alone.
        joined_up = {
            k: v for k, v in score.items() if v >= 1.2 and len(where[k]) >= 2 and not who(k)
        }
        score = joined_up or score

        def value(key: str) -> float:
            length = key.count(" ") + 1
            return (
                score[key]
                * math.log1p(len(where[key]))
                * (0.6 if who(key) else 1.0)
                / (1 + 0.2 * max(0, length - 2))
            )

        # Among the strongest, the phrase used mostly in this theme's sentences names it
        # better than one the whole story uses ("Trump administration").
        ranked = sorted(score, key=lambda k: (-value(k), k))[:TITLE_CHOICES]
        own = {k: self.specificity(k, theme.sentences) for k in ranked}
        ranked.sort(key=lambda k: (-value(k) * own[k], k))
        best = ranked[0]
        text = _most_common(spelled[best])
        if " " not in best:
            # Two words of a kind ("Canada and Mexico", "trade and climate") say more than
            # one; a name and a common noun, or a thing and who spoke of it ("spillway and
            # engineer"), joined rarely read as a thread's name.
            name = text[:1].isupper()
            other = next(
                (
                    k
                    for k in ranked[1:]
                    if " " not in k
                    and stem(k) != stem(best)
                    and _most_common(spelled[k])[:1].isupper() == name
                    and who(k) == who(best)
                    and value(k) * own[k] >= 0.5 * value(best) * own[best]
                ),
                None,
            )
            if other:
                text += " and " + _most_common(spelled[other])
        return _capitalise(text)

    def specificity(self, phrase: str, members: Sequence[int]) -> float:
        """The share of the sentences holding ``phrase`` that are the theme's."""
        pattern = re.compile(r"(?<![\w'’-])" + re.escape(phrase) + r"(?![\w'’-])")
        texts = self.texts
        inside = sum(1 for i in members if phrase in texts[i] and pattern.search(texts[i]))
        everywhere = sum(1 for text in self.texts if phrase in text and pattern.search(text))
        return inside / everywhere if everywhere else 0.0


def _in_name(first: str, second: str) -> bool:
    """Whether two words in a row are both capitalised: one name ("Trump Tower"), unless
    the first is a stop word opening the sentence ("In Moscow")."""
    return (
        first[:1].isupper() and second[:1].isupper() and first.lower() not in lang.words.STOPWORDS
    )


def _cuts(at: int, names: Sequence[tuple[int, int]]) -> bool:
    """Whether a phrase bound at offset ``at`` falls inside a name ("Union" of "European
    Union", "Prime Minister Shinzo" of "Prime Minister Shinzo Abe")."""
    return any(start < at < end for start, end in names)


def _most_common(spellings: Counter[str]) -> str:
    """The usual spelling, in lower case when the words are ever written so (a capital
    at the start of a sentence is no name)."""
    return min(spellings.items(), key=lambda kv: (kv[0][:1].isupper(), -kv[1], kv[0]))[0]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _unique_id(title: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].rstrip("-") or "theme"
    candidate_id, n = base, 2
    while candidate_id in used:
        candidate_id, n = f"{base}-{n}", n + 1
    used.add(candidate_id)
    return candidate_id


def _description(theme: DiscoveredTheme, n_articles: int, scale: float = 1.0) -> str:
    """One line: the theme's leading words and its size (estimated from a sample when
    ``scale`` > 1: the articles counted are those of the sample)."""
    words = ", ".join(theme.terms[:4])
    if scale > 1:
        return (
            f"Discovered from the articles: {words}; about "
            f"{round(len(theme.sentences) * scale, -1):.0f} sentences in {len(theme.articles)} "
            f"or more of {n_articles} articles."
        )
    return (
        f"Discovered from the articles: {words}; "
        f"{len(theme.sentences)} sentences in {len(theme.articles)} of {n_articles} articles."
    )


def extend_config(
    config: Config, sources: Sequence[Source], sentences: Sequence[Sentence]
) -> tuple[Config, list[DiscoveredTheme]]:
    """The config with the discovered themes after the configured ones (when it asks for
    discovery), and a title from the headlines when it has none."""
    if not config.discover:
        return config, []
    taken = None
    if config.themes:
        # Only what the configured themes miss is left to discover.
        terms = [content_terms(s.text) for s in sentences]
        models = classify.build_models(config.themes, terms)
        taken = [classify.assign(models, t)[0] is not None for t in terms]
    most = MOST - len(config.themes) if config.themes else MOST
    found = discover(
        sentences,
        most=max(MOST_EXTRA, most),
        taken=taken,
        reserved=[t.id for t in config.themes] + [OTHER],
    )
    title = config.title or headline_title(sources) or (found[0].title if found else "Brief")
    themes = config.themes + tuple(t.theme() for t in found)
    return replace(config, title=title, themes=themes), found


def headline_title(sources: Sequence[Source]) -> str | None:
    """The headline that shares most words with the other headlines: the story's own
    name for itself, in one outlet's words (ties: the shorter, then the first in order
    of the words)."""
    titles = sorted({s.title.strip() for s in sources if s.title and s.title.strip()})
    if not titles:
        return None
    terms = [set(content_terms(t)) for t in titles]
    df = Counter(term for t in terms for term in t)
    if len(titles) > 1 and max(df.values()) < 2:
        return None  # nothing in common: no headline speaks for the rest

    def shared(i: int) -> float:
        return sum(df[t] - 1 for t in terms[i]) / math.sqrt(max(1, len(terms[i])))

    best = min(range(len(titles)), key=lambda i: (-shared(i), len(titles[i]), titles[i]))
    # A headline takes no full stop; some feeds give their first sentence as the title.
    title = titles[best]
    stop = _SENTENCE_STOP.search(title)
    if stop and stop.group(1) not in lang.words.SENTENCE_ABBREVIATIONS:
        return title[:-1]
    return title
