"""Entities: people, organisations, places, numbers, quantities, durations and dates.

Rules, not a model: runs of capitalised words are names, classed by what
surrounds them (a title or a speech verb means a person, an organisation word
or an acronym an organisation, a locative preposition a place); numbers are
read with the word they count ("28-point plan", "20 items", "almost five hours").
Every entity keeps offsets into the source text.
"""

from __future__ import annotations

import re
import string
from types import ModuleType
from typing import NamedTuple

from briefgen import lang
from briefgen.models import Entity, Sentence
from briefgen.stages.metadata import find_date
from briefgen.stages.people import is_acronym, kind_by_name

# The active language's word lists (briefgen/lang/en.py for English).
W = lang.words

# A word, or an abbreviation with its stops ("U.S."); a trailing stop is kept only when the
# word is an abbreviation (see _token), since it usually ends the sentence.
_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_][\w’'\-]*\.?|&")
_GAP_RE = re.compile(r"[ \u00a0]+")  # only spaces join two words into one name
# How far back the word before a name is looked for: an end-anchored search over the whole
# sentence would try every position of it.
_TAIL = 40
_CONTEXT = 200  # characters either side of a name that its kind is read from


def _plain_words(alternation: str) -> tuple[str, ...] | None:
    words = alternation.lower().split("|")
    return tuple(words) if all(re.escape(w) == w for w in words) else None


def _vocabulary(L: ModuleType) -> dict[str, object]:
    """The recogniser's patterns and derived sets for one language module."""
    number = rf"(?:\d+(?:[.,]\d+)*|{L.NUMBER_WORDS})"
    units = L.DURATION_UNITS
    articles = "|".join(sorted(L.ARTICLES))  # each is followed by a space: order is moot
    return {
        # The word before a name, past an article ("aide | Yuri", "in the | Vatican").
        "LAST_WORD": re.compile(rf"([\w-]+)\s+(?:(?:{articles})\s+)?$"),
        "ARTICLE_ENDINGS": tuple(" " + article for article in sorted(L.ARTICLES)),
        "OF_PLACE": re.compile(rf"\b(\w+)\s+{L.PLACE_OF}\s+$"),  # "the port of | Bandar Abbas"
        "NUMBER": number,
        # The number words as plain strings, for a cheap test before the number patterns
        # (None when the language writes them as a pattern: then every sentence is tried).
        "NUMBER_WORD_LIST": _plain_words(L.NUMBER_WORDS),
        # ... and as the patterns need one: a word of its own, a hyphen or a space after it.
        "NUMBER_WORD_RE": re.compile(rf"\b(?:{L.NUMBER_WORDS.lower()})(?=[-\s])"),
        # What every duration holds, a unit after a space or hyphen, as the case-blind
        # DURATION_RE sees it in the folded text: a cheap test before that pattern. None
        # when the units are not plain lower-case ASCII (the fold would not be exact).
        "DURATION_UNIT_RE": (
            re.compile(rf"[-\s](?:{units})\b|-{L.DURATION_COMPOUNDS}\b")
            if (units + L.DURATION_COMPOUNDS).isascii()
            and (units + L.DURATION_COMPOUNDS) == (units + L.DURATION_COMPOUNDS).lower()
            else None
        ),
        "DURATION_RE": re.compile(
            rf"\b{L.HEDGE}{number}(?:-|\s+){units}\b|\b{number}-{L.DURATION_COMPOUNDS}\b",
            re.I,
        ),
        "QUANTITY_RE": re.compile(
            rf"\b{L.HEDGE}(?!(?:19|20)\d\d\b){number}(?:-(?P<unit1>[a-z]+)\b|\s+(?P<unit2>(?!(?:{units}|{L.NOT_UNITS})\b)[a-z]+)\b)",
            re.I,
        ),
        "DURATION_VALUE_RE": re.compile(
            rf"({number})(?:-|\s+)({units}|{L.DURATION_COMPOUNDS})", re.I
        ),
        "QUANTITY_VALUE_RE": re.compile(rf"({number})(?:-|\s+)([a-z]+)", re.I),
        "DAY_MONTH_RE": re.compile(L.DAY_MONTH),
        # Lowercase words that may sit inside a name: "Institute for the Study of War", "von der".
        "JOINERS_AND_PARTICLES": L.NAME_JOINERS | L.PARTICLES,
        # ... and the words a run is tokenised for: those, and "and" inside a body's name.
        "RUN_WORDS": L.NAME_JOINERS | L.PARTICLES | L.ORG_CONJUNCTIONS,
        "SPEECH_AFTER": re.compile(rf"\s*(?:,[^,]{{0,60}},\s*)?{L.NAME_FILLER}(?:{L.CUES})\b"),
        # "Kherson region", "Gagauzia province": a lowercase place noun right after the name.
        "PLACE_AFTER": re.compile(
            rf"\s+(?:{'|'.join(sorted(L.PLACE_NOUNS | L.PLACE_AFTER_NOUNS))})\b"
        ),
        "ADJECTIVAL": re.compile(L.ADJECTIVAL),
        "COMPOUND_ADJECTIVE": re.compile(L.COMPOUND_ADJECTIVE),
        "ALL_DEMONYMS": L.NATIONALITIES | L.DEMONYMS,
        # Title words as the recogniser reads them: the language's titles and honorifics,
        # plus rank words ("Retired") that precede them.
        "TITLES": L.TITLE_WORDS | L.RANK_WORDS,
        "TITLES_AND_QUALIFIERS": L.TITLE_WORDS | L.RANK_WORDS | L.TITLE_QUALIFIERS,
        # Saying verbs written with a capital where they open an inverted attribution
        # ("Added Clinton: ...", "Stated Stone:"): no part of the name after them.
        # Past forms only: "Rules Committee Chairman Bruce Ash" keeps its "Rules".
        "CUE_WORDS": frozenset(
            w.capitalize()
            for w in L.CUES.split("|")
            if w.endswith("ed") or w in ("said", "told", "wrote")
        ),
    }


_V = lang.bound(_vocabulary)
_DIGIT_RE = re.compile(r"\d")


# What IGNORECASE takes each letter matching an ASCII letter for: A-Z, and the four others
# Python's re matches ("ſix" and "sİx" are "six" to it; casefold() keeps "İ" two letters
# long and "ı" as it is). The same length as the text, so word boundaries stay in place.
_AS_IGNORECASE_SEES = str.maketrans(
    {c: c.lower() for c in string.ascii_uppercase}
    | {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}  # İ ı ſ, Kelvin sign
)


def _may_hold_number(text: str, folded: str) -> bool:
    """False only when ``text`` (``folded``: as IGNORECASE sees it) has no digit and no
    number word, so neither the duration nor the quantity pattern can match (two
    case-insensitive scans of every sentence were a third of the recogniser's time;
    half the sentences have no number)."""
    words = _V.NUMBER_WORD_LIST
    if words is None or _DIGIT_RE.search(text):
        return True
    # The substring test is cheap and mostly says no; "one" in "money" is sorted out by
    # the word test, before the two patterns are tried.
    return any(w in folded for w in words) and _V.NUMBER_WORD_RE.search(folded) is not None


def _may_hold_duration(folded: str) -> bool:
    """False only when the folded text has no unit of time after a space or hyphen, so
    the duration pattern cannot match (it is the slowest of the recogniser's patterns)."""
    units = _V.DURATION_UNIT_RE
    return units is None or units.search(folded) is not None


UNRESOLVED = "name"  # a lone capitalised word opening a sentence: decided by the corpus


def annotate(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences with their ``entities`` (extract, then resolve across the corpus):
    new objects, the sentences given are left as they are."""
    return resolve([s.with_entities(extract(s)) for s in sentences])


def resolve(sentences: list[Sentence]) -> list[Sentence]:
    """Surnames of people named in full anywhere are people everywhere ("Putin said").

    Per-article extraction leaves lone names without context unresolved; they become
    people when the corpus names them in full, take the kind the corpus gives the same
    name elsewhere ("in the Donbas"), and are dropped otherwise.

    Returns the sentences in the same order: the same object where no entity changed, a
    new one (with new entities) where one did; nothing given is changed in place.
    """
    people = {
        e.text.split()[-1]
        for s in sentences
        for e in s.entities
        if e.kind == "person" and " " in e.text
    }
    seen = {
        e.text: e.kind for s in sentences for e in s.entities if e.kind in ("organisation", "place")
    }
    resolved: list[Sentence] = []
    for sentence in sentences:
        kept: list[Entity] = []
        changed = False
        for entity in sentence.entities:
            kind = _resolved_kind(entity, people, seen)
            if kind == UNRESOLVED:
                changed = True
            elif kind != entity.kind:
                kept.append(entity.with_kind(kind))
                changed = True
            else:
                kept.append(entity)
        resolved.append(sentence.with_entities(kept) if changed else sentence)
    return resolved


def _resolved_kind(entity: Entity, people: set[str], seen: dict[str, str]) -> str:
    """The kind of a lone name once the corpus is known; other entities keep theirs."""
    if entity.kind not in (UNRESOLVED, "place") or entity.text in W.PLACE_NAMES:
        return entity.kind  # a known place stays one ("Washington", not George Washington)
    if entity.text.split()[-1] in people:
        return "person"
    return seen.get(entity.text, entity.kind) if entity.kind == UNRESOLVED else entity.kind


def extract(sentence: Sentence) -> list[Entity]:
    """Every entity of one sentence, with offsets into its source, in text order."""
    text, base = sentence.text, sentence.start
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int, value: str | None = None) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Entity(text[start:end], kind, base + start, base + end, value))

    for match in _V.DAY_MONTH_RE.finditer(text):
        iso = find_date(match.group(0))
        add("date", match.start(), match.end(), iso[0] if iso else _normalise_day(match.group(0)))
    folded = text.translate(_AS_IGNORECASE_SEES)  # for the cheap tests, made once
    if _may_hold_number(text, folded):
        if _may_hold_duration(folded):
            for match in _V.DURATION_RE.finditer(text):
                add("duration", match.start(), match.end(), duration_value(match.group(0)))
        for match in _V.QUANTITY_RE.finditer(text):
            add("quantity", match.start(), match.end(), quantity_value(match.group(0)))
    for run in _name_runs(text):
        for kind, start, end, value in _classify_run(text, run):
            add(kind, start, end, value)
    found.sort(key=lambda e: e.start)
    return found


def find_names(
    text: str, lo: int = 0, hi: int | None = None
) -> list[tuple[str, int, int, str | None]]:
    """(kind, start, end, title) of every name in ``text[lo:hi]``, offsets into ``text``:
    the one name recogniser, used for entities and by the quote attributor. ``kind`` is
    person, organisation, place or UNRESOLVED (a lone name the corpus must decide)."""
    chunk = text[lo:hi]
    return [
        (kind, lo + start, lo + end, value)
        for run in _name_runs(chunk)
        for kind, start, end, value in _classify_run(chunk, run)
    ]


class _Token(NamedTuple):
    """One word of a capitalised run: ``text`` without a possessive, offsets of that.
    (A named tuple: every capitalised word of every sentence makes one, twice.)"""

    text: str
    start: int
    end: int
    possessive: bool  # "Putin's": the name ends here


def _token(match: re.Match[str]) -> _Token:
    """A word match, with a sentence-final stop and a possessive split off."""
    word, start, end = match.group(0), match.start(), match.end()
    if word.endswith(".") and not _is_abbreviation(word):
        word, end = word[:-1], end - 1
    possessive = word.endswith(("'s", "’s"))
    if possessive:
        word, end = word[:-2], end - 2
    return _Token(word, start, end, possessive)


def _is_abbreviation(word: str) -> bool:
    """Titles, initials and acronyms keep their stop: "Sen.", "B.", "U.S."."""
    if len(word) == 2 and word[0].isupper():
        return True
    return word in W.TITLE_WORDS or word in W.NAME_ABBREVIATIONS or word.count(".") > 1


def _capitalised(word: str) -> bool:
    """A name word: capitalised, and so is what follows its last hyphen ("Jean-Claude",
    "Mar-a-Lago"; not "Kremlin-backed"). Compounds of places ("Russia-Ukraine") are not."""
    if not word[:1].isupper():
        return False
    parts = word.split("-")
    if len(parts) == 1:
        return True
    if not parts[-1][:1].isupper():
        # "Geun-hye" is a given name; "Kremlin-backed", "Iowa-based" are adjectives.
        return len(parts) == 2 and not _V.COMPOUND_ADJECTIVE.search(parts[-1])
    return not all(
        p in W.PLACE_NAMES or p in _V.ALL_DEMONYMS or p in W.PLACE_ACRONYMS for p in parts
    )


def _name_runs(text: str) -> list[list[_Token]]:
    """Runs of capitalised words that may be one name, joined by "of", "for", "the" or a
    particle only where the run reads as an organisation or title ("Ministry of Health",
    "Secretary of State") or a name with particles ("Ursula von der Leyen")."""
    # Other lowercase words need no token: a run never reaches across them (_adjacent).
    joiners = _V.RUN_WORDS
    tokens = [
        _token(m) for m in _TOKEN_RE.finditer(text) if (w := m[0])[0].isupper() or w in joiners
    ]
    runs: list[list[_Token]] = []
    run: list[_Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if run and _adjacent(text, run[-1], token):
            if _capitalised(token.text):
                run.append(token)
                i += 1
                continue
            joined = _joiners(text, run, tokens, i)
            if joined:
                run.extend(tokens[i:joined])
                i = joined
                continue
        if run:
            runs.append(run)
        run = [token] if _capitalised(token.text) else []
        i += 1
    if run:
        runs.append(run)
    return runs


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """Only spaces between them, and the left word is no possessive ("Putin's Kremlin")."""
    return not left.possessive and bool(_GAP_RE.fullmatch(text, left.end, right.start))


def _joiners(text: str, run: list[_Token], tokens: list[_Token], i: int) -> int:
    """Index after the joiners starting at ``i`` when they carry ``run`` on to a capitalised
    word; 0 when the run ends before them."""
    if tokens[i].text in W.ORG_CONJUNCTIONS:
        return _org_conjunction(text, run, tokens, i)
    j = i
    while j < len(tokens) and j - i < 2 and tokens[j].text in _V.JOINERS_AND_PARTICLES:
        if j > i and not _adjacent(text, tokens[j - 1], tokens[j]):
            return 0
        j += 1
    if j == i or j == len(tokens) or not _capitalised(tokens[j].text):
        return 0
    if not _adjacent(text, tokens[j - 1], tokens[j]):
        return 0
    if all(t.text in W.PARTICLES for t in tokens[i:j]):
        return j  # "von der Leyen", "da Silva"
    words = [t.text for t in run]
    return j if words[-1] in W.TITLE_WORDS or _is_org(" ".join(words)) else 0


def _org_conjunction(text: str, run: list[_Token], tokens: list[_Token], i: int) -> int:
    """Index after an "and" inside one body's name ("Department of Health and Human
    Services", "Ways and Means Committee"), else 0. Only where the run before it is an
    organisation not yet complete (it ends on no organisation word or acronym, and names no
    person) and the words after it go on to an organisation word, not opening on one:
    "NATO and EU officials", "the Pentagon and State Department" are two bodies."""
    j = i + 1
    if j == len(tokens) or not _adjacent(text, tokens[i], tokens[j]):
        return 0
    last = run[-1].text
    if last in W.ORG_WORDS or is_acronym(last) or not _is_org(_words(run)):
        return 0
    if _names_a_person(run) or tokens[j].text in W.ORG_WORDS:
        return 0  # "White House Press Secretary Ann Reyes and Kremlin ...": a person, a body
    k = j
    while k < len(tokens) and _capitalised(tokens[k].text):
        if tokens[k].text in W.ORG_WORDS:
            return j
        if tokens[k].possessive or k + 1 == len(tokens):
            break
        if not _adjacent(text, tokens[k], tokens[k + 1]):
            break
        k += 1
    return 0


def _classify_run(text: str, run: list[_Token]) -> list[tuple[str, int, int, str | None]]:
    """(kind, start, end, value) for the names in one run: the run itself, or a person
    after a title and the organisation or place the title names ("Kremlin Spokesman")."""
    # Only a bounded window around the run is looked at: slicing the whole text for every
    # run made a long one-paragraph article quadratic.
    start = run[0].start
    initial = start <= _CONTEXT and not text[:start].strip(" “‘\"'(")
    run = _strip_leading(run)
    if not run or (len(run) == 1 and run[0].text.rstrip(".") in W.CORPORATE_SUFFIXES):
        return []  # "..., Inc., said": the suffix of a name cut off by its comma, no name
    cut = _title_cut(run)
    if _names_a_person(run, cut):
        # A title before a name: the name is a person, the title (not "Mr") its value.
        title = _words([t for t in run[:cut] if t.text not in W.HONORIFICS]) or None
        found = [("person", run[cut].start, run[-1].end, title)]
        return _title_body(text, run[:cut]) + found
    run = [t for t in run if t.text not in W.HONORIFICS] if cut else run
    run = _strip_ranks(run)
    if not run:
        return []
    before = text[max(0, run[0].start - _CONTEXT) : run[0].start]
    after = text[run[-1].end : run[-1].end + _CONTEXT]
    kind = _name_kind(_words(run), before, after, initial)
    if kind == "person" and len(run) > 2 and run[0].text in _V.ALL_DEMONYMS:
        run = run[1:]  # "Republican Donald Trump", "Democrat Elijah Cummings": the party
    return [(kind, run[0].start, run[-1].end, None)] if kind else []


def _words(run: list[_Token]) -> str:
    return " ".join(t.text for t in run)


def _strip_leading(run: list[_Token]) -> list[_Token]:
    """Drop sentence words that merely precede a name ("The", "After", "Officials")."""
    k = 0
    while k < len(run) and (
        (run[k].text in W.NAME_STOPWORDS and not is_acronym(run[k].text))
        or (run[k].text in _V.CUE_WORDS and k + 1 < len(run))
    ):
        k += 1
    return run[k:]


def _strip_ranks(run: list[_Token]) -> list[_Token]:
    """Drop rank words before an organisation ("Senior Kremlin officials")."""
    k = 0
    while k < len(run) - 1 and run[k].text in W.RANK_WORDS:
        k += 1
    return run[k:]


def _names_a_person(run: list[_Token], cut: int | None = None) -> bool:
    """A title with a person's name after it (``cut``: where _title_cut puts the name)."""
    cut = _title_cut(run) if cut is None else cut
    return (
        0 < cut < len(run)
        # Rank words alone are no title: "Former Trump campaign manager Corey Lewandowski"
        # makes no "Former Trump".
        and any(t.text not in W.RANK_WORDS for t in run[:cut])
        and not _org_or_place(_words(run[cut:]))
    )


def _title_cut(run: list[_Token]) -> int:
    """Where the name starts after a title, as people.split_role reads it: the longest tail
    of capitalised words that are no title word. 0 when the run has no title in front."""
    cut = len(run)
    while cut > 0 and (run[cut - 1].text not in _V.TITLES or run[cut - 1].text in W.PARTICLES):
        if run[cut - 1].possessive and cut < len(run):
            break
        cut -= 1
    return cut


def _title_body(text: str, title: list[_Token]) -> list[tuple[str, int, int, str | None]]:
    """The organisation or place a title names before its first title word: "Kremlin" in
    "Kremlin Spokesman", "White House" in "White House Press Secretary", "U.S." in "U.S.
    President"."""
    k = 0
    while k < len(title) and title[k].text not in _V.TITLES_AND_QUALIFIERS:
        k += 1
    body = _strip_ranks(title[:k])
    if not body:
        return []
    kind = _org_or_place(_words(body))
    return [(kind, body[0].start, body[-1].end, None)] if kind else []


def _org_or_place(name: str) -> str | None:
    """ "organisation" or "place" when the name alone says so (people.kind_by_name)."""
    return kind_by_name(name)


def _is_org(name: str) -> bool:
    return kind_by_name(name) == "organisation"


def _name_kind(name: str, before: str, after: str, initial: bool) -> str | None:
    """person, organisation, place, UNRESOLVED or None (no entity) for a name without a
    title: what the name says first, then what surrounds it."""
    words = name.split()
    known = _org_or_place(name)
    if known:
        return known
    if len(words) == 1 and (name.rstrip("s") in _V.ALL_DEMONYMS or name in _V.ALL_DEMONYMS):
        return None  # "Russian", "Democrats": adjectives and groups, not entities
    if is_acronym(name) or name in W.NAME_STOPWORDS:
        return None  # an acronym that is no organisation ("VIP"), a stray sentence word
    if len(words) > 1 and words[-1] in W.NON_PERSON_LAST:
        return None  # "Peace Plan", "Alaska Summit": things, not names
    if any(w in W.NAME_STOPWORDS for w in words[1:]):
        return None  # "Following Monday": a day, a month or a sentence word is no name part
    if len(words) > 1 and all(w.isupper() and len(w) > 1 for w in words):
        return None  # "CONGRESS HAS INVESTIGATED HIM": a heading in capitals
    if _role_before(before):
        return "person"
    if _place_before(before, strict=len(words) > 1) or _V.PLACE_AFTER.match(after):
        return "place"  # before a speech verb: "officials in Goma said" quotes no Goma
    if _V.SPEECH_AFTER.match(after):
        return "person"
    if len(words) == 1:
        if _V.ADJECTIVAL.search(name):
            return None  # "Croatian", "Europeans"
        return UNRESOLVED  # capitalised anyway; the corpus decides (see resolve)
    return "person"


def _role_before(before: str) -> bool:
    """A lowercase role noun right before the name: "aide Yuri Ushakov"."""
    V = _V
    last = V.LAST_WORD.search(before[-_TAIL:])
    return (
        last is not None
        and last.group(1) in W.ROLE_NOUNS
        and not before.rstrip().endswith(V.ARTICLE_ENDINGS)
    )


def _place_before(before: str, strict: bool = False) -> bool:
    """A locative preposition ("in Kyiv", "at the Vatican") or "the port of" before it;
    ``strict`` (a name of several words) only the prepositions of place alone."""
    V = _V
    last = V.LAST_WORD.search(before[-_TAIL:])
    if last and last.group(1).lower() in (W.STRICT_LOCATIVES if strict else W.LOCATIVES):
        return True
    of = V.OF_PLACE.search(before[-_TAIL:])
    return of is not None and of.group(1).lower() in W.PLACE_NOUNS


def number_value(token: str) -> float | None:
    token = token.lower().replace(",", "")
    if token in W.WORD_NUMBERS:
        return float(W.WORD_NUMBERS[token])
    try:
        return float(token)
    except ValueError:
        return None


def duration_value(text: str) -> str | None:
    """A duration as "<number> <unit>" ("almost five hours" -> "5 hour")."""
    match = _V.DURATION_VALUE_RE.search(text)
    if not match:
        return None
    value = number_value(match.group(1))
    unit = match.group(2).lower().rstrip("s")
    return f"{value:g} {unit}" if value is not None else None


def quantity_value(text: str) -> str | None:
    """A quantity as "<number> <unit>" ("28-point plan" -> "28 point", "20 items" -> "20 item")."""
    match = _V.QUANTITY_VALUE_RE.search(text)
    if not match:
        return None
    value = number_value(match.group(1))
    unit = match.group(2).lower()
    unit = unit[:-1] if unit.endswith("s") and not unit.endswith("ss") else unit
    return f"{value:g} {unit}" if value is not None else None


def _normalise_day(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())
