"""Self-contained statements: a fact must not open on a reference the reader cannot resolve.

A sentence lifted out of its article may open on "He accused Europe ...", "It apparently
..." or "The move ...": clear in the article, opaque in a brief. Journalists resolve such
a pronoun with an editorial insertion in square brackets ("[Putin] accused Europe ...").
This stage does the same for a person's pronoun when the article itself names the person
just before; anything else that opens on a bare reference is not shown as a fact, so the
brief picks another sentence. The verbatim span is never changed: the insertion lives in
a separate display text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen import lang
from briefgen.models import Sentence
from briefgen.stages.structure import lede_span

W = lang.words

# Opening quotation marks and brackets a sentence may start with.
_OPENERS = "\"'“‘«(["
# Sentence openers that refer back, from the active language (briefgen/lang/en.py).
_R = lang.bound(
    lambda L: {
        "PERSON_RE": re.compile(L.PERSON_REFERENCE),
        "PERSON_INSIDE_RE": re.compile(L.PERSON_REFERENCE_INSIDE),
        "OTHER_RE": re.compile(f"{L.OTHER_REFERENCE}|{L.GROUP_REFERENCE}"),
        "BARE_EVENT_RE": re.compile(L.BARE_EVENT),
        "HONORIFIC_RE": re.compile(L.LEADING_HONORIFIC),
    }
)
LOOKBACK = 3  # sentences searched for the person a pronoun refers to


@dataclass(frozen=True)
class Opening:
    """A reference opening a sentence: its kind and offsets within the sentence text."""

    kind: str  # "person" (He, She, His, Her) or "other"
    start: int
    end: int
    quoted: bool  # inside an opening quotation: it is the speaker's word, not ours


def opening_reference(text: str) -> Opening | None:
    """The pronoun or bare reference ``text`` opens on, if any."""
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    quoted = False
    while stripped[:1] in _OPENERS and stripped[:1]:
        quoted = quoted or stripped[:1] in "\"'“‘«"
        stripped, lead = stripped[1:], lead + 1
    match = _R.PERSON_RE.match(stripped)
    if match:
        return Opening("person", lead, lead + match.end(), quoted)
    match = _R.OTHER_RE.match(stripped) or _R.BARE_EVENT_RE.match(stripped)
    if match:
        return Opening("other", lead, lead + match.end(), quoted)
    return None


def display_text(sentence: Sentence, before: Sequence[Sentence]) -> str | None:
    """What a brief shows for ``sentence``: its text, the text with the opening pronoun
    resolved in square brackets, or None when it cannot stand alone.

    ``before`` are the sentences preceding it in its article, nearest last."""
    start, text = lede_span(sentence.start, sentence.text)  # a dateline opens no fact
    opening = opening_reference(text) or _pronoun_inside(sentence, start, text)
    if opening is None:
        return text
    if opening.kind != "person" or opening.quoted:
        return None
    name = antecedent(before)
    if name is None:
        return None
    word = text[opening.start : opening.end]
    insertion = f"[{name}’s]" if word in ("His", "Her") else f"[{name}]"
    return text[: opening.start] + insertion + text[opening.end :]


def _pronoun_inside(sentence: Sentence, start: int, text: str) -> Opening | None:
    """A "he" or "she" opening a clause of ``text`` (which starts at source offset
    ``start``) before the sentence names anyone, outside quotation marks: it refers to
    someone named in an earlier sentence, as an opening pronoun does."""
    if " he " not in text and " she " not in text:  # most sentences have neither
        return None
    match = _R.PERSON_INSIDE_RE.search(text)
    if match is None:
        return None
    at = match.start("word")
    if not _opens_the_sentence(text[:at]):
        return None  # ", when he flew ...": a later clause, its "he" may be anyone named
    named = [e.start - start for e in sentence.entities if e.kind == "person"]
    if any(0 <= offset < at for offset in named) or _in_quote(sentence, start + at):
        return None
    if _describes_someone(text[:at]):
        return None  # "The queen has hosted ... since she succeeded": she is the queen
    # "When he took office, President Ann Reyes promised ...": the clause's subject,
    # named just after the comma, is who the pronoun means (the pronoun points ahead).
    comma = text.find(",", match.end("word"))
    if comma >= 0 and any(comma < offset <= comma + CATAPHORA_REACH for offset in named):
        return None
    return Opening("person", at, match.end("word"), quoted=False)


INTRO_WORDS = 8  # words of an opening phrase before ", he ..." ("In the evening, he")
SUBORDINATE_WORDS = 3  # words before "he" in an opening clause ("Only after he ...")


def _opens_the_sentence(before: str) -> bool:
    """Whether a pronoun after ``before`` is in the sentence's opening clause: after a
    short opening phrase and its comma, or in a clause the sentence opens on."""
    before = before.rstrip()
    if before.endswith(","):
        return "," not in before[:-1] and len(before.split()) <= INTRO_WORDS
    return "," not in before and len(before.split()) <= SUBORDINATE_WORDS


def _describes_someone(text: str) -> bool:
    """Whether ``text`` names someone by a title or role ("the queen", "the president"),
    whom a pronoun after it may mean."""
    return any(
        word in W.ROLE_NOUNS or word.capitalize() in W.TITLE_WORDS
        for word in (w.strip(",.;:").lower() for w in text.split())
    )


CATAPHORA_REACH = 30  # characters after the comma where the name a pronoun points to starts


def antecedent(before: Sequence[Sentence]) -> str | None:
    """The person a sentence-opening "he" or "she" most likely means: the first person
    named in the nearest preceding sentence that names one (the subject comes first in
    news copy), within a few sentences and the same paragraph or the one before.

    A preceding sentence that itself opens on "he" or "she" continues the same chain
    ("Putin stepped up ... He claimed ... He accused ..."), so the person is looked for
    before it, whoever else it mentions."""
    if not before:
        return None
    paragraph = before[-1].paragraph
    for previous in reversed(before[-LOOKBACK:]):
        if previous.paragraph < paragraph - 1:
            break
        opening = opening_reference(lede_span(previous.start, previous.text)[1])
        if opening is not None and opening.kind == "person" and not opening.quoted:
            continue
        people = sorted(
            (
                e
                for e in previous.entities
                if e.kind == "person" and not _in_quote(previous, e.start)
            ),
            key=lambda e: e.start,
        )
        if people:
            return _R.HONORIFIC_RE.sub("", people[0].text).strip() or None
    return None


def _in_quote(sentence: Sentence, offset: int) -> bool:
    """Whether ``offset`` (into the source) falls inside quotation marks of the sentence."""
    head = sentence.text[: max(0, offset - sentence.start)]
    opened = head.count("“") - head.count("”")
    straight = head.count('"') % 2
    return opened > 0 or straight == 1
