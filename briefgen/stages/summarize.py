"""Summarize: pick the sentences that best cover what a set of articles says.

Generic multi-document extractive summariser (the brief's key points), after
ICSISumm (Gillick & Favre, 2009): a summary is worth the total weight of the
*concepts* it covers, each counted once, so restating a fact earns nothing.

* Concepts are Porter-stemmed word bigrams, not both stopwords, never across
  punctuation, and single content words (not stopwords). A concept's weight is
  its document frequency -- how many articles state it -- times
  ``UNIGRAM_WEIGHT`` for a single word. A bigram stated by fewer than half of
  the articles (at least two) is dropped: a phrase only a few outlets use is
  their wording or their detail, not the story. A single word needs only two
  articles (``UNIGRAM_MIN_DF``): words are what outlets share even when they
  phrase a fact differently, and their weight still grows with the number of
  articles that use them.
* Position prior: news puts the key facts first, so a sentence earns a bonus of
  ``LEAD_BONUS / (1 + i)`` times its own concept weight, ``i`` being its index
  in its article. The caller's ``boost`` adds to the same per-sentence bonus.
* Candidates are whole sentences, verbatim: 8-60 words, not mostly quotation,
  not a piece of a quotation split across sentences, no exact repeats. Two
  sentences sharing most of their content words never both make it in, nor two
  whose shared concepts weigh ``RESTATED`` of all they state: two ledes telling
  the same event in other words.
* The budgeted coverage problem is solved greedily by gain per word, then
  improved by local search (add one; swap one for one), which at this size
  reaches the optimum or very near it.

By default the word budget is strict: the sentences returned total at most
``words`` whitespace-separated words (ROUGE's convention for counting), which
is what the brief uses. ``overflow=True`` is for a reader that cuts the summary
at ``words`` words itself, as ROUGE's ``-l 100`` does: the last sentence may
then run past the budget, and only the concepts in its first words, up to the
budget, count. The search tries reserving 0, 1, ... ``TAIL_MAX`` words of the
budget for that tail and keeps the best whole. On the DUC 2004 dev benchmark
this scores about 1.5 ROUGE-1 and 0.5 ROUGE-2 points more than the strict
budget (it always fills the 100 words and plans for the cut), a gain a ragged
reader-facing summary would not justify: the benchmark reports both.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, cast

import numpy as np

from briefgen import lang
from briefgen.stages.textstats import n_words, stem, words

MIN_WORDS = 8
MAX_WORDS = 60
MAX_QUOTE_SHARE = 0.5  # sentences with more of their words inside quotation marks are skipped
MIN_DF_SHARE = 0.5  # a concept must be stated by this share of the articles (at least 2)
MIN_CONCEPTS = 10  # ...unless that leaves fewer concepts: then the bar is lowered
LEAD_BONUS = 0.5  # position prior: bonus LEAD_BONUS / (1 + i) x the sentence's own weight
RESTATED = 0.35  # weighted share of concepts at which one sentence restates another
DUP_JACCARD = 0.5  # content-word overlap at which two sentences say the same thing
UNIGRAM_WEIGHT = 1.25  # a content word's weight, relative to a bigram stated as widely
UNIGRAM_MIN_DF = 2  # a content word counts once this many articles use it (bigrams: MIN_DF_SHARE)
MAX_CANDIDATES = 2000  # bounds memory and time on huge inputs (see summarize)
TAIL_MAX = 30  # overflow: most words of the budget kept for the last sentence, which is cut

_QUOTE_RE = re.compile(r"``|''|[\"“”„«»]")
_BREAK_RE = re.compile(r"[,;:.!?()\[\]{}\"“”„«»]|``|''")  # no bigram across these
_DASH_RE = re.compile(r"[-_–—]+")  # ...nor across a free-standing dash

Key = tuple[int, int]


def summarize(
    documents: Sequence[Sequence[str]],
    words: int = 100,
    *,
    order: str = "position",
    boost: dict[Key, float] | None = None,
    overflow: bool = False,
) -> list[Key]:
    """(doc, sentence) indices of an extractive summary of at most ``words`` words.

    ``documents[d][i]`` is sentence ``i`` of article ``d``. ``order`` is the
    presentation order: ``"position"`` (earliest in its article first, ties by
    article), ``"document"`` (by article, then sentence) or ``"rank"`` (order of
    selection, most valuable first). ``boost`` maps (doc, sentence) to a bonus
    in units of an average sentence's worth for its length (1.0: as much again
    as a typical sentence of that many words; negative disfavours), so the
    brief can favour sentences, even ones no other article corroborates.

    ``overflow=True``: the caller cuts the summary at ``words`` words itself
    (as ROUGE does), so the last sentence returned may run past the budget --
    the others total less -- and it comes last whatever the ``order``.
    """
    if order not in ("position", "document", "rank"):
        raise ValueError(f"unknown order {order!r}")
    ahead = _take_background((documents, words, order, boost, overflow))
    if ahead is not None:
        return ahead
    return _summarize(documents, words, order=order, boost=boost, overflow=overflow)


def _summarize(
    documents: Sequence[Sequence[str]],
    words: int,
    *,
    order: str,
    boost: dict[Key, float] | None,
    overflow: bool,
) -> list[Key]:
    cands = _candidates(documents)
    if not cands or words <= 0:
        return []
    if len(cands) > MAX_CANDIDATES:
        # The near-duplicate matrix is candidates squared (65,000 sentences of one 5 MB
        # article took 19 GB): keep the earliest sentences of every article, as news
        # puts what matters first, then restore the document order.
        cands = sorted(sorted(cands, key=lambda k: (k[1], k[0]))[:MAX_CANDIDATES])
    ends, weights = _concept_matrix(documents, cands)
    matrix = ends < _ABSENT
    lengths = np.array([n_words(documents[d][i]) for d, i in cands], dtype=float)
    own = matrix @ weights
    bonus = np.array([LEAD_BONUS / (1.0 + i) for _d, i in cands]) * own
    if boost:
        density = float(own.sum() / lengths.sum())  # concept weight per word, on average
        for k, key in enumerate(cands):
            if key in boost:
                bonus[k] += boost[key] * density * lengths[k]
    clash = _Clashes(_near_duplicates(documents, cands), matrix, weights)
    chosen = _solve(matrix, weights, lengths, bonus, clash, words)
    tail = None
    if overflow:
        chosen, tail = _with_tail(ends, weights, lengths, bonus, clash, words, chosen)
    picked = [cands[k] for k in chosen]
    if order == "position":
        picked.sort(key=lambda p: (p[1], p[0]))
    elif order == "document":
        picked.sort()
    if tail is not None:
        picked.append(cands[tail])
    return picked


# --------------------------------------------------------------------------- in the background

BACKGROUND_MIN = 3000  # sentences below which a worker process costs more than it saves

_Args = tuple[Sequence[Sequence[str]], int, str, "dict[Key, float] | None", bool]
_background: list[tuple[_Args, Any, Any]] = []  # (arguments, process, connection)


@contextmanager
def in_background(
    documents: Sequence[Sequence[str]],
    words: int = 100,
    *,
    order: str = "position",
    boost: dict[Key, float] | None = None,
    overflow: bool = False,
) -> Iterator[None]:
    """Start ``summarize(documents, words, ...)`` in a worker process for the ``with``
    block, where a call to :func:`summarize` with the same arguments takes its result.

    This puts a second core to work on the summary while this process goes on with
    the rest of the corpus stages. Nothing starts for a small input, on a single core,
    where processes cannot be forked or without memory for a copy of this process
    (``limits.can_fork_a_worker``; the call then computes as usual); a result nobody
    asked for is dropped, its process stopped, when the block ends."""
    import multiprocessing

    from briefgen.limits import can_fork_a_worker

    if sum(len(doc) for doc in documents) < BACKGROUND_MIN or not can_fork_a_worker():
        yield
        return
    context = multiprocessing.get_context("fork")  # the child reads the input in place
    receive, send = context.Pipe(duplex=False)
    args: _Args = (documents, words, order, boost, overflow)
    process = context.Process(target=_background_worker, args=(send, args), daemon=True)
    process.start()
    send.close()
    entry = (args, process, receive)
    _background.append(entry)
    try:
        yield
    finally:
        if entry in _background:
            _background.remove(entry)
        receive.close()
        if process.is_alive():
            process.terminate()
        process.join()


def _background_worker(send: Any, args: _Args) -> None:
    from briefgen.limits import worker_signals

    worker_signals()  # Ctrl-C is the parent's to handle; it stops this worker quietly
    documents, words, order, boost, overflow = args
    try:
        result: list[Key] | None = _summarize(
            documents, words, order=order, boost=boost, overflow=overflow
        )
    except Exception:  # the caller computes it again and sees the error itself
        result = None
    send.send(result)
    send.close()


def _take_background(args: _Args) -> list[Key] | None:
    """The background result for these arguments, if one was started; else None."""
    for entry in list(_background):
        started, process, receive = entry
        if started[1:] != args[1:] or not _same_documents(started[0], args[0]):
            continue
        _background.remove(entry)
        try:
            result = receive.recv()
        except (EOFError, OSError):  # the worker died (out of memory, killed)
            result = None
        process.join()
        return [tuple(key) for key in result] if result is not None else None
    return None


def _same_documents(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> bool:
    return a is b or (
        len(a) == len(b) and all(list(x) == list(y) for x, y in zip(a, b, strict=True))
    )


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
    """A sentence a summary may use: 8-60 words and not (mostly) a quotation."""
    n = n_words(text)
    if n < MIN_WORDS or n > MAX_WORDS:
        return False
    share = _quote_share(text)
    return share is not None and share <= MAX_QUOTE_SHARE


def _candidates(documents: Sequence[Sequence[str]]) -> list[Key]:
    seen: set[bytes] = set()
    out = []
    for d, doc in enumerate(documents):
        for i, text in enumerate(doc):
            if not eligible(text):
                continue
            # A 12-byte digest of the words, not the words: at 10,000 articles the
            # tuples of every sentence's words took hundreds of megabytes.
            key = hashlib.blake2b("\0".join(words(text)).encode(), digest_size=12).digest()
            if key not in seen:  # wire copies repeat sentences word for word
                seen.add(key)
                out.append((d, i))
    return out


def _content_stems(text: str) -> set[str]:
    stopwords = lang.words.STOPWORDS  # the active language's (briefgen/lang/en.py)
    return {stem(t) for t in words(text) if t not in stopwords}


def _near_duplicates(documents: Sequence[Sequence[str]], cands: list[Key]) -> np.ndarray:
    """Boolean matrix: candidates whose content-stem Jaccard is at least DUP_JACCARD."""
    vocab: dict[str, int] = {}
    rows = [[vocab.setdefault(s, len(vocab)) for s in _content_stems(documents[d][i])]
            for d, i in cands]  # fmt: skip
    bag = np.zeros((len(cands), max(1, len(vocab))), dtype=np.float32)
    for k, row in enumerate(rows):
        bag[k, row] = 1.0
    inter = bag @ bag.T
    size = bag.sum(axis=1)
    union = size[:, None] + size[None, :] - inter
    clash = inter >= DUP_JACCARD * np.maximum(union, 1.0)
    np.fill_diagonal(clash, False)
    return clash


class _Clashes:
    """Which candidates may not join a summary that holds candidate k (``clashes[k]``, or
    ``clashes[rows]`` for several): its near duplicates (``_near_duplicates``) and the
    sentences that restate it, the concepts they share weighing at least RESTATED of all
    the concepts the two state (a weighted Jaccard).

    Outlets open on the same event in their own words ("The mayor cancelled the spring
    festival on Friday" and "The city's spring festival will not go ahead, the mayor
    said on Friday"): their ledes share too few words for DUP_JACCARD, yet the story's
    weighty concepts, the ones every outlet states, are largely the same, and the
    position prior favours every lede (briefs showed two or three ledes of one event
    as key points). On the DUC 2004 benchmark this costs no ROUGE.

    A row is worked out when first asked: the search asks only for the rows of the
    sentences it picks, a few dozen of up to MAX_CANDIDATES (all of them took a
    quarter of a second at 1,000 articles)."""

    def __init__(self, near: np.ndarray, matrix: np.ndarray, weights: np.ndarray):
        self.near = near
        self.dense = _dense(matrix, weights)  # exact sums, as in _solve
        self.weights = weights.astype(self.dense.dtype)
        self.own = self.dense @ self.weights
        self.rows: dict[int, np.ndarray] = {}

    def row(self, k: int) -> np.ndarray:
        found = self.rows.get(k)
        if found is None:
            shared = self.dense @ (self.dense[k] * self.weights)
            union = self.own + self.own[k] - shared
            found = self.near[k] | ((shared >= RESTATED * union) & (shared > 0))
            found[k] = False
            self.rows[k] = found
        return found

    def __getitem__(self, rows: Any) -> np.ndarray:
        if isinstance(rows, int | np.integer):
            return self.row(int(rows))
        return np.array([self.row(int(k)) for k in rows], dtype=bool).reshape(
            len(rows), len(self.own)
        )


# --------------------------------------------------------------------------- concepts


def _concepts(text: str) -> list[tuple[str, int]]:
    """Concepts of ``text``, each with the index of the whitespace token it ends in.

    Stemmed bigrams, not both stopwords, not across punctuation or a dash, and
    single content words (marked with a leading ``_``). The token index tells
    whether a concept survives when the sentence is cut after so many words.
    """
    plans = _plans()
    out = []
    prev: tuple[bool, str] | None = None  # the last word (stop word?, stem) since a break
    for t, token in enumerate(text.split()):
        plan = plans.get(token)
        if plan is None:
            plan = plans[token] = _token_plan(token)
        if plan is _DASH:
            prev = None
            continue
        first, joins, head, rest, tail = plan
        if first is None:  # no word: a break resets, else the token is passed over
            if not joins:
                prev = None
            continue
        if head is not None:
            out.append((head, t))
        if joins and prev is not None and not (prev[0] and first[0]):
            out.append((prev[1] + " " + first[1], t))
        for concept in rest:
            out.append((concept, t))
        prev = tail
    return out


# What one whitespace token adds to a sentence's concepts, worked out once per token
# and language (a corpus repeats its tokens over and over): its first word (stop word?,
# stem), whether that word joins the previous token's last word (no break before it),
# the first word's own concept, the concepts inside the token after it, and the last
# word the next token may join (None after a break). A dash alone is ``_DASH``.
_DASH: Any = ()
_PLANS: dict[str, Any] = {}
_PLANS_FOR: list[object] = [None]  # the stop words the plans were made with
_MAX_PLANS = 1 << 17


def _plans() -> dict[str, Any]:
    stopwords = lang.words.STOPWORDS
    if _PLANS_FOR[0] is not stopwords or len(_PLANS) > _MAX_PLANS:
        _PLANS.clear()
        _PLANS_FOR[0] = stopwords
    return _PLANS


def _token_plan(token: str) -> Any:
    pieces = _token_pieces(token)
    if pieces is None:
        return _DASH
    stopwords = lang.words.STOPWORDS
    found: list[str] = []
    first: tuple[bool, str] | None = None
    joins = True
    head: str | None = None
    prev: tuple[bool, str] | None = None
    for p, piece in enumerate(pieces):
        if p:
            prev = None
            if first is None:
                joins = False
        for w, s in piece:
            word = (w in stopwords, s)
            if first is None:
                first = word
                head = None if word[0] else "_" + s
            else:
                if not word[0]:
                    found.append("_" + s)
                if prev is not None and not (prev[0] and word[0]):
                    found.append(prev[1] + " " + s)
            prev = word
    return first, joins, head, tuple(found), prev


def _token_pieces(token: str) -> tuple[tuple[tuple[str, str], ...], ...] | None:
    """A whitespace token's pieces between breaks, each as its (word, stem) pairs; None
    for a free-standing dash (once per token: ``_token_plan`` is remembered)."""
    if _DASH_RE.fullmatch(token):
        return None
    return tuple(tuple((w, stem(w)) for w in words(piece)) for piece in _BREAK_RE.split(token))


_first = itemgetter(0)
_ABSENT = np.iinfo(np.int32).max  # token index of a concept a sentence does not have


def _concept_matrix(
    documents: Sequence[Sequence[str]], cands: list[Key]
) -> tuple[np.ndarray, np.ndarray]:
    """Concepts of the candidates and their weights.

    Returns a candidate x concept matrix holding the index of the whitespace
    token where the concept first ends in that sentence (``_ABSENT`` if it is
    not there), and each concept's weight (document frequency, times
    ``UNIGRAM_WEIGHT`` for a single word). Bigrams must be stated by half of
    the articles, single words by ``UNIGRAM_MIN_DF`` of them.
    """
    # Only the candidates' concepts are kept, and only their document frequencies
    # counted: every sentence's concepts (300,000 sentences at 10,000 articles) took
    # more memory than the rest of the summary.
    sent_concepts = {(d, i): _concepts(documents[d][i]) for d, i in cands}
    df = dict.fromkeys((c for cs in sent_concepts.values() for c, _t in cs), 0)
    for d, doc in enumerate(documents):
        seen: set[str] = set()
        for i, text in enumerate(doc):
            cs = sent_concepts.get((d, i))
            seen.update(map(_first, _concepts(text) if cs is None else cs))
        for c in seen:
            if c in df:
                df[c] += 1
    n_docs = sum(1 for doc in documents if doc)
    in_cands = {c for key in cands for c, _t in sent_concepts[key] if c[0] != "_"}
    min_df = max(min(2, n_docs), math.ceil(MIN_DF_SHARE * n_docs - 1e-9))
    if min_df > 2:
        # Lower the bar until MIN_CONCEPTS bigrams clear it (at 2 at the lowest): the
        # highest bar that many clear is the MIN_CONCEPTS-th largest document frequency.
        ranked = sorted((df[c] for c in in_cands), reverse=True)
        reachable = ranked[MIN_CONCEPTS - 1] if len(ranked) >= MIN_CONCEPTS else 2
        min_df = max(2, min(min_df, reachable))
    uni_df = min(min_df, UNIGRAM_MIN_DF)
    index: dict[str, int] = {}
    rows = []
    for key in cands:
        rows.append(
            [
                (index.setdefault(c, len(index)), t)
                for c, t in sent_concepts[key]
                if df[c] >= (uni_df if c[0] == "_" else min_df)
            ]
        )
    ends = np.full((len(cands), max(1, len(index))), _ABSENT, dtype=np.int32)
    for k, row in enumerate(rows):
        for j, t in reversed(row):  # the first occurrence is written last
            ends[k, j] = t
    weights = np.zeros(ends.shape[1])
    for c, j in index.items():
        weights[j] = df[c] * (UNIGRAM_WEIGHT if c[0] == "_" else 1.0)
    return ends, weights


# --------------------------------------------------------------------------- optimisation


def _value(matrix: np.ndarray, weights: np.ndarray, bonus: np.ndarray, sel: list[int]) -> float:
    """Weight of the concepts ``sel`` covers, each once, plus the sentences' bonuses."""
    if not sel:
        return 0.0
    return float(weights @ matrix[sel].any(axis=0)) + float(bonus[sel].sum())


def _solve(
    matrix: np.ndarray,
    weights: np.ndarray,
    lengths: np.ndarray,
    bonus: np.ndarray,
    clash: _Clashes,
    budget: int,
) -> list[int]:
    """Budgeted max-coverage: greedy by gain per word, then local search."""
    sel: list[int] = []
    used = 0.0
    covered = np.zeros(matrix.shape[1], dtype=bool)
    ok = lengths <= budget
    # Converted once; a covered concept's weight is masked to 0 instead of slicing the
    # matrix (a copy of it) on every step.
    dense = _dense(matrix, weights)
    while True:
        gain = _gains(dense, weights, covered) + bonus
        ok &= lengths <= budget - used
        ratio = np.where(ok, gain / lengths, -1.0)
        k = int(np.argmax(ratio))  # argmax takes the first of equals: stable ties
        if ratio[k] <= 0:
            break
        sel.append(k)
        used += lengths[k]
        covered |= matrix[k]
        ok[k] = False
        ok &= ~clash[k]
    # the best single sentence can beat a greedy run that filled up on short ones
    single = np.where(lengths <= budget, _gains(dense, weights, None) + bonus, -1.0)
    best1 = int(np.argmax(single))
    if single[best1] > _value(matrix, weights, bonus, sel):
        sel = [best1]
    return _local_search(matrix, weights, lengths, bonus, clash, budget, sel, dense=dense)


def _dense(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The boolean candidate x concept matrix as floats, for products with weights.

    Weights are multiples of 1/4, so while their total stays below 2**22 every sum
    is exact in float32 (half the memory of float64) and the picks are those of the
    boolean product; beyond that, float64 (exact to 2**51)."""
    exact32 = float(weights.sum()) < 2**22
    return matrix.astype(np.float32 if exact32 else np.float64)


def _gains(dense: np.ndarray, weights: np.ndarray, covered: np.ndarray | None) -> np.ndarray:
    """Each candidate's weight of concepts not yet ``covered`` (float64)."""
    masked = weights.astype(dense.dtype)
    if covered is not None:
        masked[covered] = 0.0
    return (dense @ masked).astype(np.float64)


def _local_search(
    matrix: np.ndarray,
    weights: np.ndarray,
    lengths: np.ndarray,
    bonus: np.ndarray,
    clash: _Clashes,
    budget: int,
    sel: list[int],
    max_rounds: int = 10,
    dense: np.ndarray | None = None,
) -> list[int]:
    """Best-improvement search over 'add one' and 'swap one for one' moves."""
    if dense is None:
        dense = _dense(matrix, weights)
    best = _value(matrix, weights, bonus, sel)
    for _ in range(max_rounds):
        move = None
        for drop in [None, *range(len(sel))]:
            rest = sel if drop is None else sel[:drop] + sel[drop + 1 :]
            room = budget - float(lengths[rest].sum()) if rest else float(budget)
            covered = matrix[rest].any(axis=0) if rest else np.zeros(matrix.shape[1], bool)
            base = float(weights @ covered) + float(bonus[rest].sum())
            ok = lengths <= room
            ok[sel] = False
            if rest:
                ok &= ~clash[rest].any(axis=0)
            if not ok.any():
                continue
            # numpy's stubs allow a scalar for .any(axis=0); on 2-D ``matrix`` it is 1-D.
            gain = _gains(dense, weights, cast(np.ndarray, covered))
            value = np.where(ok, base + gain + bonus, -np.inf)
            k = int(np.argmax(value))
            if value[k] > best + 1e-9:
                best, move = float(value[k]), [*rest, k]
        if move is None:
            break
        sel = move
    return sel


def _with_tail(ends, weights, lengths, bonus, clash, budget, chosen):
    """Overflow: the best strict selection plus one last sentence cut at the budget.

    For each tail reservation (0, 1, ... TAIL_MAX words) solve the
    strict problem on the rest of the budget, then add the sentence whose first
    words, up to the budget, add the most (its bonus pro rata). Returns the
    strict selection and the tail's index (None if nothing adds anything).
    """
    matrix = ends < _ABSENT
    best: tuple[float, list[int], int | None] = (-1.0, chosen, None)
    for slack in range(TAIL_MAX + 1):
        if slack >= budget:
            break
        sel = (
            chosen if not slack else _solve(matrix, weights, lengths, bonus, clash, budget - slack)
        )
        room = budget - int(lengths[sel].sum())
        covered = matrix[sel].any(axis=0)
        ok = ~clash[sel].any(axis=0)
        ok[sel] = False
        prefix = ends[:, ~covered] < room  # concepts in the sentence's first `room` words
        gain = prefix @ weights[~covered] + bonus * np.minimum(1.0, room / lengths)
        gain = np.where(ok, gain, 0.0)
        k = int(np.argmax(gain))
        tail = k if gain[k] > 0 else None
        total = _value(matrix, weights, bonus, sel) + float(gain[k])
        if total > best[0] + 1e-9:
            best = (total, sel, tail)
    return best[1], best[2]
