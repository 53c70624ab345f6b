"""Discrepancies: where sources disagree about the same thing.

Two sentences from different sources that describe the same event (similar
wording and a shared word pair, see features.anchors) but give a different date,
duration or quantity of the same unit disagree. A person's name spelled two ways
(one letter inserted or changed inside the name, not a transliteration ending
such as Zelensky/Zelenskyy) is a name discrepancy. Different events, or numbers
counting different things, are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.models import Citation, Discrepancy, DiscrepancySide, Entity, Sentence
from briefgen.stages.rank import Candidate, Pair

SAME_EVENT = 0.25  # cosine at which two sentences may describe the same event
_KINDS = ("date", "duration", "quantity")
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def find(cands: Sequence[Candidate], pairs: Sequence[Pair]) -> list[Discrepancy]:
    """Value and name discrepancies across sources, most sources involved first.

    ``pairs`` are the similar sentence pairs (rank.similar_pairs) of ``cands``."""
    found = _value_discrepancies(cands, pairs) + _name_discrepancies([c.sentence for c in cands])
    found.sort(key=lambda d: (-len({c.source for s in d.sides for c in s.citations}), d.subject))
    return found


def _value_discrepancies(cands: Sequence[Candidate], pairs: Sequence[Pair]) -> list[Discrepancy]:
    by_subject: dict[tuple[str, str], dict[str, DiscrepancySide]] = {}
    for i, j, sim in pairs:
        a, b = cands[i], cands[j]
        if sim < SAME_EVENT or a.sentence.source == b.sentence.source:
            continue
        if not (a.anchors & b.anchors):
            continue
        for kind in _KINDS:
            conflict = _conflict(a.sentence, b.sentence, kind)
            if conflict is None:
                continue
            key = (kind, conflict[2])
            sides = by_subject.setdefault(key, {})
            for sentence, entity in ((a.sentence, conflict[0]), (b.sentence, conflict[1])):
                value = _display_value(entity)
                side = sides.setdefault(value, DiscrepancySide(value, sentence.text, []))
                if all(c.source != sentence.source for c in side.citations):
                    side.citations.append(Citation(sentence.source, sentence.start, sentence.end))
    return [
        Discrepancy(subject=_subject(kind, sides), kind=kind, sides=list(sides.values()))
        for (kind, _), sides in by_subject.items()
        if len(sides) > 1
    ]


def _conflict(a: Sentence, b: Sentence, kind: str) -> tuple[Entity, Entity, str] | None:
    """The first pair of same-kind, same-unit entities whose values differ."""
    left = [e for e in a.entities if e.kind == kind and e.value]
    right = [e for e in b.entities if e.kind == kind and e.value]
    if not left or not right:
        return None
    left_values = {_comparable(e) for e in left}
    right_values = {_comparable(e) for e in right}
    if left_values & right_values:
        return None  # they share a value: the other values are other things
    for x in left:
        for y in right:
            cx, cy = _comparable(x), _comparable(y)
            if _unit(cx) == _unit(cy) and cx != cy:
                return x, y, _unit(cx)
    return None


def _comparable(entity: Entity) -> str:
    """A date as month-day (a year is often left out), else the normalised value."""
    value = entity.value or entity.text
    if entity.kind == "date":
        iso = re.match(r"\d{4}-(\d{2})-(\d{2})", value)
        if iso:
            return f"{int(iso.group(1)):02d}-{int(iso.group(2)):02d}"
        day = re.search(r"\d{1,2}", value)
        month = next((i for i, m in enumerate(_MONTHS, 1) if m in value.lower()), 0)
        return f"{month:02d}-{int(day.group(0)):02d}" if day else value
    return value


def _unit(comparable: str) -> str:
    if re.fullmatch(r"\d\d-\d\d", comparable):
        return "date"
    return comparable.split(" ", 1)[-1] if " " in comparable else comparable


def _display_value(entity: Entity) -> str:
    return entity.text.strip()


def _subject(kind: str, sides: dict[str, DiscrepancySide]) -> str:
    values = " or ".join(f"“{v}”" for v in sides)
    noun = {"date": "Date", "duration": "Duration", "quantity": "Number"}[kind]
    return f"{noun}: {values}"


# --- names -----------------------------------------------------------------------------

_NAME_TOKEN_RE = re.compile(r"\b[A-Z][a-z]{3,}\b")


def _name_discrepancies(sentences: Sequence[Sentence]) -> list[Discrepancy]:
    """Surnames spelled two ways across sources, one letter apart inside the word."""
    uses: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        for entity in sentence.entities:
            if entity.kind != "person":
                continue
            surname = entity.text.split()[-1]
            if _NAME_TOKEN_RE.fullmatch(surname):
                uses.setdefault(surname, []).append(sentence)
    found = []
    names = sorted(uses)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if not _misspelling(a, b):
                continue
            sides = [_name_side(name, uses[name]) for name in (a, b)]
            if {c.source for c in sides[0].citations} == {c.source for c in sides[1].citations}:
                continue  # one outlet's own inconsistency, not a disagreement between outlets
            found.append(Discrepancy(subject=f"Name: “{a}” or “{b}”", kind="name", sides=sides))
    return found


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
