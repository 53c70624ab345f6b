"""Entities: people, organisations, places, numbers, quantities, durations and dates.

Rules, not a model: runs of capitalised words are names, classed by what
surrounds them (a title or a speech verb means a person, an organisation word
or an acronym an organisation, a locative preposition a place); numbers are
read with the word they count ("28-point plan", "20 items", "almost five hours").
Every entity keeps offsets into the source text.
"""

from __future__ import annotations

import re

from briefgen.models import Entity, Sentence
from briefgen.stages.metadata import find_date

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen"
)
_NUMBER = rf"(?:\d+(?:[.,]\d+)*|{_NUMBER_WORDS})"
_HEDGE = (
    r"(?:(?:almost|nearly|about|around|some|more than|less than|over|under|at least|roughly)\s+)?"
)
_DURATION_UNITS = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)"
_DURATION_RE = re.compile(
    rf"\b{_HEDGE}{_NUMBER}(?:-|\s+){_DURATION_UNITS}\b|\b{_NUMBER}-(?:hour|day|week|month|year)\b",
    re.I,
)
_QUANTITY_RE = re.compile(
    rf"\b{_HEDGE}(?!(?:19|20)\d\d\b){_NUMBER}(?:-(?P<unit1>[a-z]+)\b|\s+(?P<unit2>(?!(?:{_DURATION_UNITS}|of|and|or|to|in|on|at|the|a)\b)[a-z]+)\b)",
    re.I,
)
_DAY_MONTH_RE = re.compile(
    r"\b(?:\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})\b"
    r"(?:,?\s+(?:19|20)\d{2})?"
)
_CAP_WORD = r"(?:[A-Z][a-zA-Z\-]*[a-zA-Z]|[A-Z]{2,}|U\.S\.)"
_NAME_RE = re.compile(
    rf"\b{_CAP_WORD}(?:(?:\s+(?:of|the|for|de|von|al|bin)){{0,2}}\s+{_CAP_WORD})*(?=[’']s\b|\W|$)"
)
_ORG_WORDS = re.compile(
    r"\b(?:Institute|Kremlin|Ministry|Department|Agency|Council|Commission|Parliament|Party|"
    r"Union|Bank|Fund|Office|Committee|Court|Administration|Army|Forces|Reuters|Tass|TASS|"
    r"Bloomberg|Press|News|Times|Post|Service|Group|Company|Corporation|Organisation|"
    r"Organization|University|Association|Government|Senate|Congress|House)\b"
)
_PERSON_TITLES = re.compile(
    r"(?:President|Minister|Secretary(?: of State)?|Mr|Mrs|Ms|Dr|aide|adviser|advisor|envoy|"
    r"spokesman|spokeswoman|spokesperson|negotiator|leader|Senator|General|Chancellor|"
    r"son-in-law|official)\.?\s+$"
)
_SPEECH_AFTER = re.compile(
    r"^\s*(?:,[^,]{0,60},\s*)?(?:said|says|told|stated|added|noted|claimed|described|"
    r"confirmed|warned|called|offered)\b"
)
_PLACE_BEFORE = re.compile(r"\b(?:in|to|from|at|near|across|around|into|outside|inside)\s+$")
_SKIP_NAMES = {
    "The", "A", "An", "In", "On", "At", "But", "And", "For", "If", "It", "He", "She", "They",
    "We", "This", "That", "While", "When", "After", "Before", "Despite", "With", "According",
    "Firstly", "Crucially", "However", "Yet", "So", "As", "Both", "Some", "Various",
    "Not", "No", "Yes", "There", "What", "Our", "Their", "His", "Her", "Its", "Right", "Now",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
}  # fmt: skip
_ADJECTIVAL = re.compile(r"(?:ian|ean|ese|ish|ic)$")  # Russian, European, Chinese, British


UNRESOLVED = "name"  # a lone capitalised word opening a sentence: decided by the corpus


def annotate(sentences: list[Sentence]) -> None:
    """Fill ``entities`` of every sentence (extract, then resolve across the corpus)."""
    for sentence in sentences:
        sentence.entities = extract(sentence)
    resolve(sentences)


def resolve(sentences: list[Sentence]) -> None:
    """Surnames of people named in full anywhere are people everywhere ("Putin said").

    Per-article extraction leaves lone sentence-initial names unresolved; they
    become people when the corpus names them in full, and are dropped otherwise.
    """
    people = {
        e.text.split()[-1]
        for s in sentences
        for e in s.entities
        if e.kind == "person" and " " in e.text
    }
    for sentence in sentences:
        kept = []
        for entity in sentence.entities:
            if entity.kind in (UNRESOLVED, "place") and entity.text.split()[-1] in people:
                entity.kind = "person"
            if entity.kind != UNRESOLVED:
                kept.append(entity)
        sentence.entities = kept


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

    for match in _DAY_MONTH_RE.finditer(text):
        iso = find_date(match.group(0))
        add("date", match.start(), match.end(), iso[0] if iso else _normalise_day(match.group(0)))
    for match in _DURATION_RE.finditer(text):
        add("duration", match.start(), match.end(), duration_value(match.group(0)))
    for match in _QUANTITY_RE.finditer(text):
        add("quantity", match.start(), match.end(), quantity_value(match.group(0)))
    for match in _NAME_RE.finditer(text):
        start, end = _trim_name(text, match.start(), match.end())
        kind = _name_kind(text, start, end) if end > start else None
        if kind:
            add(kind, start, end)
    found.sort(key=lambda e: e.start)
    return found


def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading sentence words ("The", "After") that merely precede a name."""
    while match := re.match(r"(\S+)\s+", text[start:end]):
        if match.group(1) not in _SKIP_NAMES:
            break
        start += match.end()
    return start, end


def _name_kind(text: str, start: int, end: int) -> str | None:
    name = text[start:end]
    words = name.split()
    before, after = text[:start], text[end:]
    sentence_initial = not before.strip(" “‘\"'(")
    if all(w in _SKIP_NAMES for w in words) or "-" in name and not name.isupper():
        return None
    if len(words) == 1 and _ADJECTIVAL.search(name):
        return None  # "Russian", "European": adjectives, not entities
    if _ORG_WORDS.search(name) or re.fullmatch(r"[A-Z]{2,}|U\.S\.", name):
        return "organisation"
    if _PERSON_TITLES.search(before) or _SPEECH_AFTER.match(after):
        return "person"
    if len(words) == 1 and sentence_initial:
        return UNRESOLVED  # capitalised anyway; the corpus decides (see resolve)
    if len(words) >= 2 and not _PLACE_BEFORE.search(before):
        return "person"
    return "place"


_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "dozen": 12, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "billion": 1_000_000_000,
}  # fmt: skip


def number_value(token: str) -> float | None:
    token = token.lower().replace(",", "")
    if token in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[token])
    try:
        return float(token)
    except ValueError:
        return None


def duration_value(text: str) -> str | None:
    """A duration as "<number> <unit>" ("almost five hours" -> "5 hour")."""
    match = re.search(
        rf"({_NUMBER})(?:-|\s+)({_DURATION_UNITS}|hour|day|week|month|year)", text, re.I
    )
    if not match:
        return None
    value = number_value(match.group(1))
    unit = match.group(2).lower().rstrip("s")
    return f"{value:g} {unit}" if value is not None else None


def quantity_value(text: str) -> str | None:
    """A quantity as "<number> <unit>" ("28-point plan" -> "28 point", "20 items" -> "20 item")."""
    match = re.search(rf"({_NUMBER})(?:-|\s+)([a-z]+)", text, re.I)
    if not match:
        return None
    value = number_value(match.group(1))
    unit = match.group(2).lower()
    unit = unit[:-1] if unit.endswith("s") and not unit.endswith("ss") else unit
    return f"{value:g} {unit}" if value is not None else None


def _normalise_day(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())
