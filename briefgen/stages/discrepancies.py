"""Discrepancies: where sources disagree about the same thing, and nowhere else.

A value is compared only with values that describe the same thing:

* counts of the same counted noun (the noun the number modifies, after its
  adjectives: "some 200 Central American migrants" counts migrants; "400 people,
  most of them migrants" may stand for migrants), or durations of the same thing
  ("a 30-day delay"), or the dates of one event;
* in sentences from different sources about the same event: the words around the
  two numbers overlap (two shared content words, or one in similar sentences),
  and they do not name different people as the ones doing it.

Percentages, sums of money, ages and relative times ("three years ago") are left
alone: one story often holds several of them for different things. Claims about
one thing that different outlets report with different values merge into one
discrepancy with every value. A surname spelled two ways is a name discrepancy
only when the person is evidently the same: the same given name, or (given name
unknown on one side) the same title, and a one-letter change inside the surname
that is not a transliteration ending (Zelensky/Zelenskyy).
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from types import ModuleType
from typing import Any

from briefgen import lang
from briefgen.limits import can_fork_a_worker, worker_signals
from briefgen.models import Citation, Discrepancy, DiscrepancySide, Entity, Sentence
from briefgen.stages.features import cosine, stem
from briefgen.stages.rank import Candidate, Pair

SAME_EVENT = 0.25  # cosine at which two sentences may describe the same event
LOOSE_EVENT = 0.12  # ... enough when the words next to both numbers agree twice over
WINDOW = 10  # words either side of a number that say what it is about
CLAUSE_WORDS = 6  # words of its own clause either side that say whose time a duration is
APPOSITION_WORDS = 10
MAX_POSTINGS = 60  # a nearby word shared by more claims than this says nothing
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z.'’\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)*")
_CLAUSE_MARKS = (",", ";", ":", "—", "–", "(", ")", '"', "“", "”")


def _vocabulary(L: ModuleType) -> dict[str, Any]:
    """The active language's words and patterns for reading values (briefgen/lang/en.py)."""
    months = [min((m for m, n in L.MONTHS.items() if n == i), key=len) for i in range(1, 13)]
    return {
        "STOPWORDS": L.STOPWORDS | L.REPORTING_WORDS,
        "MONEY_BEFORE": re.compile(rf"[$€£¥]\s*$|\b(?:{L.CURRENCY_CODES})\s*$"),
        "MONTHS": months,  # "jan" ... "dec": a month named in a date's value
        "WORD_VALUES": dict(L.COUNT_WORDS),
        "SCALES": dict(L.COUNT_SCALES),
        "NUMBER_RE": re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(L.COUNT_WORDS) + r")\b", re.I),
        "SCALE_RE": re.compile(r"\s*(?:-\s*)?(" + "|".join(L.COUNT_SCALES) + r")\b", re.I),
        # Hedges: a bound makes "more than 100" agree with 150; "about 150" is just 150.
        "LOWER_BOUND": re.compile(f"(?:{L.HEDGE_LOWER_BOUND})\\s*$", re.I),
        "UPPER_BOUND": re.compile(f"(?:{L.HEDGE_UPPER_BOUND})\\s*$", re.I),
        "NEARLY": re.compile(f"(?:{L.HEDGE_NEARLY})\\s*$", re.I),
        "HEDGE_RE": re.compile(f"(?:(?:{L.HEDGE_WORDS})\\s+)+$", re.I),
        "PERCENT_AFTER": re.compile(f"^\\s*(?:{L.PERCENT_WORDS})", re.I),
        # A number after a month, a hyphenated year range or "No." is part of a date or label.
        "NOT_A_COUNT_BEFORE": re.compile(L.NOT_A_COUNT_BEFORE),
        # Relative times say when, not how long: "three years ago", "in the past two months".
        "RELATIVE_AFTER": re.compile(f"^\\s*(?:{L.RELATIVE_AFTER})\\b", re.I),
        "RELATIVE_BEFORE": re.compile(f"\\b(?:{L.RELATIVE_BEFORE})\\s*$", re.I),
        "DURATION_UNITS": dict(L.DURATION_DAYS),
        "NOT_DURATION": tuple(L.NOT_DURATION),
        "NOT_DURATION_PARTS": tuple([w] for w in L.NOT_DURATION),
        "DURATION_OF": re.compile(L.DURATION_OF),
        "IRREGULAR_PLURALS": L.IRREGULAR_PLURALS,
        "NOT_PLURAL_ENDINGS": tuple(L.NOT_PLURAL_ENDINGS),
        # Heads that only say "persons": "400 people, most of them migrants" counts migrants.
        "GENERIC": frozenset(stem(w) for w in L.GENERIC_HEADS),
        "APPOSITION_END": L.APPOSITION_VERBS | L.CONJUNCTIONS,
        "APPOSITION_CUES": L.APPOSITION_CUES,
        "CALENDAR": L.CALENDAR_STEMS,
        "ADJECTIVE_NAME": re.compile(L.ADJECTIVE_NAME),  # "Central American": not a person
        "DETERMINER_RE": re.compile(L.TOPIC_DETERMINER, re.I),
        "LOCATIVE_RE": re.compile(L.TOPIC_LOCATIVE, re.I),
        "TITLES": L.SURNAME_TITLES,
        "NOT_GIVEN": L.SURNAME_TITLES | L.SURNAME_HONORIFICS,
    }


_V = lang.bound(_vocabulary)


@dataclass
class _Claim:
    """One value in one sentence, with what it is about."""

    kind: str  # date, duration or quantity
    thing: str  # stem of the counted or measured noun; "date"; "" for a bare duration
    noun: str  # that noun as written, for the subject ("migrants")
    low: float  # the range the hedge allows ("more than 100": 100 to infinity)
    high: float
    shown: str  # the value as written, from hedge to head noun
    cand: int  # index into the candidates
    source: int
    start: int  # offsets of the value inside the sentence
    end: int
    near: frozenset[str] = frozenset()  # content stems around the value
    clause: frozenset[str] = frozenset()  # ... of those, the ones in its own clause
    after: frozenset[str] = frozenset()  # what a generic head is said to be, in apposition
    actors: frozenset[str] = frozenset()  # surnames named around the value


def find(cands: Sequence[Candidate], pairs: Sequence[Pair]) -> list[Discrepancy]:
    """Value and name discrepancies across sources, most sources involved first.

    ``pairs`` are the similar sentence pairs (rank.similar_pairs) of ``cands``;
    dates of one event are found among them, counts and durations through the
    words around them."""
    claims = [c for i, cand in enumerate(cands) for c in _claims(i, cand.sentence)]
    found = _value_discrepancies(cands, pairs, claims)
    found += _name_discrepancies([c.sentence for c in cands])
    found.sort(key=lambda d: (-len({c.source for s in d.sides for c in s.citations}), d.subject))
    return found


BACKGROUND_MIN = 3000  # candidates below which a worker process costs more than it saves


class Pending:
    """``find(cands, pairs)`` under way in a forked worker process (a second core) while
    the caller goes on; ``result()`` waits for it. ``find`` reads only the candidates'
    sentences, vectors and anchors, so the caller may set their themes meanwhile.

    Nothing is started for a small input (``BACKGROUND_MIN``), on a single core, where
    processes cannot be forked, or when the machine has no memory for a second copy of
    this process (``limits.room_for_a_copy``: the worker reads most of the corpus, so it
    may come to hold a copy of it): ``result()`` then computes it here, as it does when
    the worker failed. At 10,000 articles the worker's peak was 1,685 MB next to this
    process's 1,835 MB, on a machine with 23 GB available.
    A worker whose result nobody asked for is stopped when this object goes away."""

    def __init__(self, cands: Sequence[Candidate], pairs: Sequence[Pair]):
        self.cands, self.pairs = cands, pairs
        self._receive: Any = None
        self._process: Any = None
        if len(cands) < BACKGROUND_MIN or not can_fork_a_worker():
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")  # the child reads the input in place
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_background_worker, args=(send, cands, pairs))
        process.daemon = True
        process.start()
        send.close()
        self._receive, self._process = receive, process
        weakref.finalize(self, _stop, process, receive)

    def result(self) -> list[Discrepancy]:
        found: list[Discrepancy] | None = None
        if self._process is not None:
            try:
                found = self._receive.recv()
            except (EOFError, OSError):  # the worker died (out of memory, killed)
                found = None
            _stop(self._process, self._receive)
            self._process = None
        return find(self.cands, self.pairs) if found is None else found


def in_background(cands: Sequence[Candidate], pairs: Sequence[Pair]) -> Pending:
    """Start ``find(cands, pairs)`` on a second core; ``.result()`` is its list."""
    return Pending(cands, pairs)


def _background_worker(send: Any, cands: Sequence[Candidate], pairs: Sequence[Pair]) -> None:
    worker_signals()  # Ctrl-C is the parent's to handle; it stops this worker quietly
    try:
        found: list[Discrepancy] | None = find(cands, pairs)
    except Exception:  # the caller computes it again and sees the error itself
        found = None
    send.send(found)
    send.close()


def _stop(process: Any, receive: Any) -> None:
    receive.close()
    if process.is_alive():
        process.terminate()
    process.join()


# --- claims ------------------------------------------------------------------------------


def _claims(index: int, sentence: Sentence) -> Iterator[_Claim]:
    """The comparable values of one sentence: dates, counts and durations of a named thing."""
    words: list[re.Match[str]] | None = None  # found once a sentence has a claim
    persons = [e for e in sentence.entities if e.kind == "person"]
    for entity in sentence.entities:
        if entity.kind == "date":
            claim = _date_claim(index, sentence, entity)
        elif entity.kind in ("quantity", "duration"):
            claim = _number_claim(index, sentence, entity)
        else:
            continue
        if claim is not None:
            if words is None:
                words = list(_WORD_RE.finditer(sentence.text))
            _context(words, claim, sentence.text)
            claim.actors = _actors(sentence, persons, claim)
            yield claim


def _date_claim(index: int, sentence: Sentence, entity: Entity) -> _Claim | None:
    day = _month_day(entity.value or entity.text)
    if day is None:
        return None
    start = entity.start - sentence.start
    shown = entity.text.strip()
    end = start + len(entity.text)
    return _Claim("date", "date", "date", day, day, shown, index, sentence.source, start, end)


def _month_day(value: str) -> float | None:
    """A date as month*100+day: a year is often left out by one outlet and not the other."""
    iso = re.match(r"\d{4}-(\d{2})-(\d{2})", value)
    if iso:
        return float(int(iso.group(1)) * 100 + int(iso.group(2)))
    day = re.search(r"\b\d{1,2}\b", value)
    month = next((i for i, m in enumerate(_V.MONTHS, 1) if m in value.lower()), 0)
    return float(month * 100 + int(day.group(0))) if day and month else None


def _number_claim(index: int, sentence: Sentence, entity: Entity) -> _Claim | None:
    """A count or duration with the noun it measures, or None when it is not comparable."""
    V = _V
    text = sentence.text
    local = entity.start - sentence.start
    number = V.NUMBER_RE.search(text, local, local + len(entity.text))
    if number is None:
        return None
    before, value = text[: number.start()], _number(number.group(0))
    if value is None or value <= 1 or V.NOT_A_COUNT_BEFORE.search(before):
        return None  # "one" is mostly a pronoun; "May 12" a date
    if V.MONEY_BEFORE.search(before) or V.PERCENT_AFTER.match(text[number.end() :]):
        return None  # sums and shares: one story holds many, for different things
    end = number.end()
    while scale := V.SCALE_RE.match(text, end):
        value *= V.SCALES[scale.group(1).lower()]
        end = scale.end()
    head = _head(text, end, entity.kind)
    if head is None:
        return None
    thing, noun, head_end, factor = head
    low, high = _range(before, value * factor)
    hedge = V.HEDGE_RE.search(before)
    start = hedge.start() if hedge else number.start()
    shown = text[start:head_end]
    return _Claim(
        entity.kind, thing, noun, low, high, shown, index, sentence.source, start, head_end
    )


def _number(token: str) -> float | None:
    token = token.lower()
    values = _V.WORD_VALUES
    if token in values:
        return values[token]
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


def _range(before: str, value: float) -> tuple[float, float]:
    """The values a hedged number allows: bounds stretch, "about" does not."""
    V = _V
    if V.LOWER_BOUND.search(before):
        return value, math.inf
    if V.UPPER_BOUND.search(before):
        return 0.0, value
    if V.NEARLY.search(before):
        return value * 0.85, value
    return value, value


def _head(text: str, end: int, kind: str) -> tuple[str, str, int, float] | None:
    """(thing stem, noun, end offset, unit factor) of what the number at ``end`` measures.

    "30-day delay": a compound modifier, the thing is the noun after it (the delay).
    "200 Central American migrants": the thing is the first plural noun, after
    adjectives. A duration without such a noun ("for three years") measures the
    event of its clause: its thing is "", to be matched by the words around it.
    """
    words = list(islice(_WORD_RE.finditer(text, end), 5))
    if not words or words[0].start() - end > 2:
        return None
    joined = text[end : words[0].start()]
    first = words[0].group(0).lower()
    if kind == "duration":
        return _duration_head(text, words, joined)
    if "-" in joined or first.startswith("-"):
        return _compound_head(text, words, joined, unit=first.strip("-"))
    stopwords = _V.STOPWORDS
    for i, word in enumerate(words[:4]):
        lower = word.group(0).lower()
        if i and text[words[i - 1].end() : word.start()].strip():
            return None  # punctuation ends the noun phrase
        if lower in stopwords:
            return None
        if _plural(lower):
            return stem(lower), lower, word.end(), 1.0
    return None


def _duration_head(
    text: str, words: list[re.Match[str]], joined: str
) -> tuple[str, str, int, float] | None:
    V = _V
    unit_word = words[0].group(0).lower().strip("-")
    parts = unit_word.split("-")
    unit = parts[0].rstrip("s")
    if unit not in V.DURATION_UNITS or parts[1:2] in V.NOT_DURATION_PARTS:
        return None  # "a 45-year-old": an age
    factor = V.DURATION_UNITS[unit]
    after = text[words[0].end() :]
    if V.RELATIVE_AFTER.match(after) or V.RELATIVE_BEFORE.search(text[: words[0].start()]):
        return None
    if "-" in joined or "-" in words[0].group(0)[:1] or len(parts) > 1:
        head = _compound_head(text, words, joined, unit)
        return (head[0], head[1], head[2], factor) if head else None
    # "three years of talks": the thing is what the time is spent on.
    of_noun = V.DURATION_OF.match(after)
    if of_noun and of_noun.group(1) not in V.STOPWORDS:
        noun = of_noun.group(1)
        return stem(noun), noun, words[0].end() + of_noun.end(), factor
    return "", "", words[0].end(), factor


def _compound_head(
    text: str, words: list[re.Match[str]], joined: str, unit: str
) -> tuple[str, str, int, float] | None:
    """The noun after "30-day" or "28-point": what the compound modifier describes."""
    rest = words[1:] if len(words) > 1 else []
    if not rest or text[words[0].end() : rest[0].start()].strip():
        return None
    V = _V
    noun = rest[0].group(0).lower()
    if noun in V.STOPWORDS or noun in V.NOT_DURATION:
        return None
    units = V.DURATION_UNITS
    key = stem(noun) if unit in units or unit.rstrip("s") in units else ""
    return key or f"{unit} {stem(noun)}", noun, rest[0].end(), 1.0


def _plural(word: str) -> bool:
    """A plural noun: what a number above one counts in English ("migrants", "people")."""
    V = _V
    if word in V.IRREGULAR_PLURALS:
        return True
    return (
        len(word) > 3
        and word.endswith("s")
        and not word.endswith(V.NOT_PLURAL_ENDINGS)
        and "-" not in word
    )


# --- what a value is about ----------------------------------------------------------------


def _context(words: list[re.Match[str]], claim: _Claim, text: str) -> None:
    """Fill the claim's nearby words: within WINDOW words, in its clause, in apposition.

    The thing itself, numbers and calendar words are left out: they do not tell
    one event from another ("on Sunday" is every event of a Sunday story)."""
    inside = [i for i, w in enumerate(words) if claim.start <= w.start() < claim.end]
    if not inside:
        return
    first, last = inside[0], inside[-1]
    around = words[max(0, first - WINDOW) : first] + words[last + 1 : last + 1 + WINDOW]
    claim.near = _terms(around, claim.thing)
    # A clause ends at punctuation: "who ran the city for 15 years," is about running it.
    lo = max((text.rfind(p, 0, claim.start) for p in _CLAUSE_MARKS), default=-1)
    hi = min((k for p in _CLAUSE_MARKS if (k := text.find(p, claim.end)) >= 0), default=len(text))
    clause = [w for w in around if lo < w.start() and w.end() <= hi]
    claim.clause = _terms(clause[-2 * CLAUSE_WORDS :], claim.thing)
    claim.after = _apposition(words[last + 1 :], text, claim)


def _apposition(following: list[re.Match[str]], text: str, claim: _Claim) -> frozenset[str]:
    """What a generic head is said to be: "400 people, most of them migrants" -> migrants.

    Only an apposition renames the head: words after a comma, dash or bracket, or
    after "mostly", "including", "many of them", before any verb or conjunction
    ends the noun phrase. "Five people were hurt when missiles hit" does not make
    the people missiles."""
    V = _V
    if claim.thing not in V.GENERIC:
        return frozenset()
    ends, cues = V.APPOSITION_END, V.APPOSITION_CUES
    renamed, cued, previous = [], False, claim.end
    for word in following[:APPOSITION_WORDS]:
        gap, lower = text[previous : word.start()], word.group(0).lower()
        if re.search(r"[.;:!?]", gap) or lower in ends:
            break
        cued = cued or bool(re.search(r"[,(—–]", gap)) or lower in cues
        if cued and lower not in cues:
            renamed.append(word)
        previous = word.end()
    return _terms(renamed, claim.thing)


def _terms(words: list[re.Match[str]], thing: str) -> frozenset[str]:
    """The content stems of ``words``: no stop word, number, calendar word or ``thing``."""
    V = _V
    stopwords, values, calendar, scales = V.STOPWORDS, V.WORD_VALUES, V.CALENDAR, V.SCALES
    terms: set[str] = set()
    for word in words:
        lower = word.group(0).lower()
        if lower in stopwords or len(lower) < 3 or not lower[0].isalpha() or lower in values:
            continue
        term = stem(lower)
        if term in calendar or term == thing or term in scales or lower.rstrip("s") in scales:
            continue
        terms.add(term)
    return frozenset(terms)


def _actors(sentence: Sentence, persons: list[Entity], claim: _Claim) -> frozenset[str]:
    """Surnames of the people named in the value's clause: who did what it measures."""
    lo = sentence.start + max(0, claim.start - 80)
    hi = sentence.start + claim.end + 80
    adjective = _V.ADJECTIVE_NAME
    return frozenset(
        e.text.split()[-1]
        for e in persons
        if lo <= e.start < hi and not adjective.search(e.text.split()[-1])
    )


# --- linking claims about one thing ------------------------------------------------------


def _value_discrepancies(
    cands: Sequence[Candidate], pairs: Sequence[Pair], claims: list[_Claim]
) -> list[Discrepancy]:
    parent = list(range(len(claims)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    given: dict[tuple[str, str, int], list[_Claim]] = {}
    for claim in claims:
        given.setdefault((claim.kind, claim.thing, claim.source), []).append(claim)
    for i, j in _candidate_links(cands, pairs, claims):
        if _same_thing(cands, claims[i], claims[j], given):
            parent[root(i)] = root(j)
    components: dict[int, list[_Claim]] = {}
    for i, claim in enumerate(claims):
        components.setdefault(root(i), []).append(claim)
    return [d for group in components.values() if (d := _discrepancy(cands, group)) is not None]


def _candidate_links(
    cands: Sequence[Candidate], pairs: Sequence[Pair], claims: list[_Claim]
) -> Iterator[tuple[int, int]]:
    """Claim pairs worth testing: same kind and thing, sharing a nearby word.

    An inverted index of nearby words per thing keeps this near-linear; dates
    of similar sentences (rank's pairs) are added, as they have no noun of their own."""
    generic = _V.GENERIC
    buckets: dict[tuple[str, str], list[int]] = {}
    for i, claim in enumerate(claims):
        buckets.setdefault((claim.kind, claim.thing), []).append(i)
        if claim.thing in generic:
            for term in claim.after:  # "400 people ... migrants" may count migrants
                buckets.setdefault((claim.kind, term), []).append(i)
    seen: set[tuple[int, int]] = set()
    for members in buckets.values():
        postings: dict[str, list[int]] = {}
        for i in members:
            for term in claims[i].near:
                postings.setdefault(term, []).append(i)
        for ids in postings.values():
            if len(ids) > MAX_POSTINGS:
                continue
            for a, i in enumerate(ids):
                for j in ids[a + 1 :]:
                    if i != j and (min(i, j), max(i, j)) not in seen:
                        seen.add((min(i, j), max(i, j)))
                        yield i, j
    by_cand: dict[int, list[int]] = {}
    for i, claim in enumerate(claims):
        if claim.kind == "date":
            by_cand.setdefault(claim.cand, []).append(i)
    for a, b, _ in pairs:
        for i in by_cand.get(a, ()):
            for j in by_cand.get(b, ()):
                if (min(i, j), max(i, j)) not in seen:
                    seen.add((min(i, j), max(i, j)))
                    yield i, j


def _same_thing(
    cands: Sequence[Candidate],
    x: _Claim,
    y: _Claim,
    given: dict[tuple[str, str, int], list[_Claim]],
) -> bool:
    """Whether two claims from different sources report the same thing of the same event."""
    a, b = cands[x.cand], cands[y.cand]
    if x.kind != y.kind or x.source == y.source:
        return False
    if not _same_noun(x, y):
        return False
    if x.actors and y.actors and not x.actors & y.actors:
        return False  # different people did it: "X served three years", "Y served 15"
    if _other_value_agrees(x, y, given):
        return False
    # The cosine last: it is the costly test, and most pairs fail a cheaper one first.
    shared = len(x.near & y.near)
    if x.kind == "date":  # no noun says which event: the sentences must report the same one
        return (
            shared >= 1 and bool(a.anchors & b.anchors) and cosine(a.vector, b.vector) >= SAME_EVENT
        )
    if not x.thing:  # a bare duration: only its own clause says whose time it is
        return (
            shared >= 2 and bool(x.clause & y.clause) and cosine(a.vector, b.vector) >= SAME_EVENT
        )
    if shared == 0:
        return False
    sim = cosine(a.vector, b.vector)
    return (shared >= 2 and sim >= LOOSE_EVENT) or sim >= SAME_EVENT


def _same_noun(x: _Claim, y: _Claim) -> bool:
    if x.thing == y.thing:
        return True
    # "400 people, most of them migrants" against "150 migrants"
    generic = _V.GENERIC
    return (x.thing in generic and y.thing in x.after) or (
        y.thing in generic and x.thing in y.after
    )


def _other_value_agrees(
    x: _Claim, y: _Claim, given: dict[tuple[str, str, int], list[_Claim]]
) -> bool:
    """Whether either source also gives the other's value for this thing elsewhere.

    Then the two outlets agree on that number, and these two describe different
    things (1,000 set out, 150 reached the border): no disagreement."""
    if _overlap(x, y):
        return False
    x_also = given.get((x.kind, x.thing, x.source), [])
    y_also = given.get((y.kind, y.thing, y.source), [])
    return any(_overlap(c, y) for c in x_also) or any(_overlap(c, x) for c in y_also)


def _overlap(x: _Claim, y: _Claim) -> bool:
    """Whether two values can both be true ("more than 100" and "150" can)."""
    return x.low <= y.high and y.low <= x.high


# --- one discrepancy per disputed thing ---------------------------------------------------


def _discrepancy(cands: Sequence[Candidate], group: list[_Claim]) -> Discrepancy | None:
    """The sides of one disputed thing, or None when its sources do not disagree."""
    by_value: dict[tuple[float, float], list[_Claim]] = {}
    for claim in sorted(group, key=lambda c: (c.low, c.high, c.source, c.start)):
        by_value.setdefault((claim.low, claim.high), []).append(claim)
    values = list(by_value.values())
    disputed = any(
        not _overlap(a[0], b[0]) and {c.source for c in a} != {c.source for c in b}
        for k, a in enumerate(values)
        for b in values[k + 1 :]
    )
    if not disputed:
        return None
    sides = [_side(cands, claims) for claims in values]
    kind = group[0].kind
    subject = f"{_topic(cands, group)}: {_listing([claims[0] for claims in values])}"
    return Discrepancy(subject=subject, kind=kind, sides=sides)


def _side(cands: Sequence[Candidate], claims: list[_Claim]) -> DiscrepancySide:
    citations: list[Citation] = []
    for claim in claims:
        sentence = cands[claim.cand].sentence
        if all(c.source != sentence.source for c in citations):
            citations.append(Citation(sentence.source, sentence.start, sentence.end))
    return DiscrepancySide(claims[0].shown, cands[claims[0].cand].sentence.text, citations)


def _listing(claims: list[_Claim]) -> str:
    """ "130, 150, 200 or 400": each value as written, without its noun."""
    shown = [_bare_value(c) for c in claims]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _bare_value(claim: _Claim) -> str:
    """A count without its noun ("some 200"): the subject already names what is counted."""
    shown = claim.shown
    if claim.kind == "quantity" and shown[1:2].islower():  # "About 150" opened its sentence
        shown = shown[0].lower() + shown[1:]
    if claim.noun and claim.kind != "date" and shown.endswith(claim.noun):
        number = list(_V.NUMBER_RE.finditer(shown))
        scale = _V.SCALE_RE.match(shown, number[-1].end()) if number else None
        cut = scale.end() if scale else number[-1].end() if number else len(shown)
        return shown[:cut] + (shown[cut:].split()[0] if shown[cut : cut + 1] == "-" else "")
    return shown


# --- naming the thing in dispute ----------------------------------------------------------


def _topic(cands: Sequence[Candidate], group: list[_Claim]) -> str:
    """The thing in dispute in words taken from the sentences ("Migrants at the border")."""
    shared = _shared_near(group)
    if group[0].kind == "quantity":
        noun = next((c.noun for c in group if c.thing not in _V.GENERIC), group[0].noun)
        place = _phrase(cands, group, _V.LOCATIVE_RE, shared, after_value=True)
        return f"{noun.capitalize()} {place}" if place else f"Number of {noun}"
    label = "Date" if group[0].kind == "date" else "Duration"
    noun = next((c.noun for c in group if c.noun and c.kind == "duration"), "")
    if noun:
        return f"{label} of the {noun}"
    if group[0].kind == "duration":  # how long what its clause says took: the clause says it
        clause = _clause_before(cands[group[0].cand].sentence.text, group[0])
        return f"How long {clause}" if clause else label
    event = _phrase(cands, group, _V.DETERMINER_RE, shared, after_value=False)
    return f"{label} of {event}" if event else label


def _clause_before(text: str, claim: _Claim) -> str:
    """The words of the value's clause before it ("the mayor met the engineers"), verbatim."""
    start = max((text.rfind(p, 0, claim.start) for p in _CLAUSE_MARKS), default=-1) + 1
    words = text[start : claim.start].split()
    while words and words[-1].lower() in _V.STOPWORDS:
        words.pop()  # "... for" three hours
    words = words[-CLAUSE_WORDS * 2 :]
    if words and not words[0][1:2].isupper():
        words[0] = words[0][0].lower() + words[0][1:]
    return " ".join(words)


def _shared_near(group: list[_Claim]) -> set[str]:
    """Nearby words that at least two sources use around the value."""
    seen: dict[str, set[int]] = {}
    for claim in group:
        for term in claim.near:
            seen.setdefault(term, set()).add(claim.source)
    return {t for t, sources in seen.items() if len(sources) > 1}


def _phrase(
    cands: Sequence[Candidate],
    group: list[_Claim],
    pattern: re.Pattern[str],
    shared: set[str],
    after_value: bool,
) -> str:
    """The phrase closest to a value whose noun the sources share, verbatim and lower-cased."""
    best: tuple[int, str] | None = None
    for claim in group:
        text = cands[claim.cand].sentence.text
        for match in pattern.finditer(text):
            if stem(match.group(1).lower()) not in shared or match.group(1)[0].isupper():
                continue
            if after_value and match.start() < claim.end:
                continue
            distance = min(abs(match.start() - claim.end), abs(claim.start - match.end()))
            if best is None or distance < best[0]:
                best = (distance, match.group(0).lower())
    return best[1] if best else ""


# --- names -----------------------------------------------------------------------------

_NAME_TOKEN_RE = re.compile(r"\b[A-Z][a-z]{3,}\b")


@dataclass
class _Person:
    """Every use of one surname spelling: given names and titles seen with it."""

    sentences: list[Sentence] = field(default_factory=list)
    given: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)


def _name_discrepancies(sentences: Sequence[Sentence]) -> list[Discrepancy]:
    """Surnames spelled two ways across sources for what is evidently one person."""
    people = _people(sentences)
    found = []
    for a, b in _spelling_pairs(sorted(people)):
        if not _misspelling(a, b) or not _same_person(people[a], people[b]):
            continue
        sides = [_name_side(name, people[name].sentences) for name in (a, b)]
        if {c.source for c in sides[0].citations} == {c.source for c in sides[1].citations}:
            continue  # one outlet's own inconsistency, not a disagreement between outlets
        subject = f"Spelling of {_full_name(a, b, people)}’s name: {a} or {b}"
        found.append(Discrepancy(subject=subject, kind="name", sides=sides))
    return found


def _spelling_pairs(names: list[str]) -> list[tuple[str, str]]:
    """Pairs (a, b) of ``names`` (sorted) that may be one inner letter apart, in the
    order of a loop over all pairs, without that loop: names meet under a shared key.

    One letter dropped from inside the longer name gives the shorter one; one changed
    at inner position k gives both the same name with letter k dropped. So every pair
    ``_misspelling`` accepts shares a key, and the work grows with the number of
    names times their length, not with its square."""
    rank = {name: n for n, name in enumerate(names)}
    by_key: dict[tuple[int, str], list[str]] = {}
    for name in names:
        by_key.setdefault((-1, name), []).append(name)
        for k in range(1, len(name) - 1):
            by_key.setdefault((k, name[:k] + name[k + 1 :]), []).append(name)
    pairs: set[tuple[str, str]] = set()
    for name in names:
        for k in range(1, len(name) - 1):
            dropped = name[:k] + name[k + 1 :]
            # one letter dropped (the other name is shorter) or one changed (same length)
            for other in by_key.get((-1, dropped), []) + by_key.get((k, dropped), []):
                if other != name:
                    pairs.add((name, other) if rank[name] < rank[other] else (other, name))
    return sorted(pairs, key=lambda p: (rank[p[0]], rank[p[1]]))


def _people(sentences: Sequence[Sentence]) -> dict[str, _Person]:
    titles_of, not_given = _V.TITLES, _V.NOT_GIVEN
    people: dict[str, _Person] = {}
    for sentence in sentences:
        for entity in sentence.entities:
            words = entity.text.split()
            if entity.kind != "person" or not _NAME_TOKEN_RE.fullmatch(words[-1]):
                continue
            person = people.setdefault(words[-1], _Person())
            person.sentences.append(sentence)
            titles = [w.lower() for w in words[:-1] if w.lower() in titles_of]
            before = sentence.text[: entity.start - sentence.start].split()[-2:]
            titles += [w.lower().strip(",’'s") for w in before if w.lower() in titles_of]
            person.titles.update(titles)
            given = words[-2].rstrip(".") if len(words) > 1 else ""
            if given[:1].isupper() and given.lower() not in not_given:
                person.given.add(given)
    return people


def _same_person(a: _Person, b: _Person) -> bool:
    """Same given name; or, a given name missing on one side, the same title.

    Two different given names are two different people (Uon Chhin, Rong Chhun),
    however close their surnames."""
    if a.given and b.given:
        return bool(a.given & b.given)
    return bool(a.titles & b.titles)


def _full_name(a: str, b: str, people: dict[str, _Person]) -> str:
    common = sorted(people[a].given & people[b].given)
    surname = max((a, b), key=lambda n: (len({s.source for s in people[n].sentences}), n))
    return f"{common[0]} {surname}" if common else surname


def _name_side(name: str, sentences: list[Sentence]) -> DiscrepancySide:
    citations: list[Citation] = []
    for s in sentences:
        if all(c.source != s.source for c in citations):
            start = s.text.index(name)
            citations.append(Citation(s.source, s.start + start, s.start + start + len(name)))
    return DiscrepancySide(value=name, text=sentences[0].text, citations=citations)


def _misspelling(a: str, b: str) -> bool:
    """One letter inserted, dropped or changed inside the name (not at its end)."""
    if a[0] != b[0] or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if a.rstrip("yi") == b.rstrip("yi"):
        return False  # Zelensky / Zelenskyy / Zelenskiy: transliteration endings
    shorter, longer = sorted((a, b), key=len)
    for k in range(1, len(longer) - 1):
        if len(shorter) < len(longer) and longer[:k] + longer[k + 1 :] == shorter:
            return True
        if len(shorter) == len(longer) and shorter[:k] + longer[k] + shorter[k + 1 :] == longer:
            return True
    return False
