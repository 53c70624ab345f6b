"""The structure of real news copy: which paragraphs are not the story's running text.

Pages copied from the web carry more than the story: the headline (with or without a
closing full stop), a deck (the one-sentence summary under it), photo captions, subheads,
place datelines ("PHNOM PENH —") and notes about the text itself. None of them is a fact.
The rules here read the grammar and the layout of copy, not any one site's lines:

* a caption names who or what is pictured without a finite verb ("A young boy standing
  near the wall."), or places people in the frame (", left,"), or credits a photographer;
* a subhead is a short title-cased line or a lone short question between paragraphs;
* a deck sits between the headline and the lede: before a dateline lede, or as a short
  or present-tense ("X says ...") sentence right under the headline;
* a note speaks about the text ("First paragraph (index) is missing.").
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import ModuleType
from typing import Any

from briefgen import lang

W = lang.words


def _patterns(L: ModuleType) -> dict[str, Any]:
    """The active language's patterns for captions, notes, decks and headlines."""
    return {
        # Where people stand in the frame: ", left,", "(right)", "second from left", "top".
        "POSITION_RE": re.compile(L.CAPTION_POSITION, re.I),
        # Agency captions: "A woman casts her ballot in Phnom Penh, Sunday, July 29, 2018."
        # News copy tells what happened in the past tense; a caption shows it in the
        # present, dated.
        "CAPTION_DATE_RE": re.compile(L.CAPTION_DATE),
        "PAST_RE": re.compile(L.PAST_TENSE, re.I),
        # Notes about the text itself: "First paragraph (index) is missing."
        "NOTE_RE": re.compile(L.TEXT_NOTE, re.I),
        # Headline-style present tense ("X says ..."): decks summarise in it, ledes report
        # in the past ("said").
        "PRESENT_ATTRIBUTION_RE": re.compile(L.PRESENT_ATTRIBUTION),
        "PAST_REPORTING_RE": re.compile(L.PAST_REPORTING),
        "WEEKDAY_RE": re.compile(L.HEADLINE_DAY),
        "NOT_VERB_ENDINGS": tuple(L.NOT_VERB_ENDINGS),
    }


_S = lang.bound(_patterns)

# --- place datelines --------------------------------------------------------------------

# "WASHINGTON —", "WEST PALM BEACH, Fla. —", "WASHINGTON, April 30 (Reuters) -",
# "Washington (AFP) –", "TEL AVIV (Reuters) -", "PHNOM PENH ―": a place in capitals (or any
# place followed by a news agency in brackets), then a dash that opens the lede.
_DATELINE_RE = re.compile(
    r"(?P<place>[A-Z][A-Za-z.'’\-]*(?:\s+[A-Z][A-Za-z.'’\-]*){0,3})"
    r"(?:,\s+[A-Z][A-Za-z.]*\.?(?:\s+\d{1,2})?){0,2}"
    r"\s*(?P<agency>\([A-Za-z][A-Za-z .&/-]{0,30}\))?"
    r"\s*[—–―-]{1,2}\s+(?=[\"'“‘A-Z0-9])"  # a lede opens on a capital, a quote or a figure
)


def dateline_end(text: str, start: int = 0) -> int:
    """Where the lede starts after a place dateline opening ``text[start:]``, else ``start``.

    The place must be in capitals unless an agency in brackets follows it, so that a
    sentence opening on a name and a dash ("Trump — who ...") is not taken for one."""
    match = _DATELINE_RE.match(text, start)  # match() anchors at ``start``
    if not match:
        return start
    letters = [c for c in match["place"] if c.isalpha()]
    capitals = len(letters) >= 3 and all(c.isupper() for c in letters)
    return match.end() if capitals or match["agency"] else start


def lede_span(start: int, text: str) -> tuple[int, str]:
    """(start, text) of a sentence without the place dateline it may open on: what a fact
    shows and cites, still a verbatim span of the source."""
    skip = dateline_end(text)
    return start + skip, text[skip:]


def opens_with_dateline(line: str) -> bool:
    return dateline_end(line) > 0


# --- finite verbs, without a tagger ------------------------------------------------------

# The word lists of finite verbs are the active language's (briefgen/lang/en.py).
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


def has_finite_verb(text: str) -> bool:
    """True when ``text`` plausibly holds a finite verb: an auxiliary, a known irregular
    form, an -ed form or an -s form that does not follow a determiner. Errs towards
    True, so that only verbless text (captions, fragments) reads as False."""
    words = _WORD_RE.findall(_S.POSITION_RE.sub(",", text))
    not_verb_endings = _S.NOT_VERB_ENDINGS
    previous = ""
    for word in words:
        low = word.lower().replace("’", "'")
        lowercase = word[0].islower()
        if low in W.AUXILIARIES or (lowercase and low in W.IRREGULAR_VERBS):
            return True
        if lowercase and low in W.BASE_VERBS and previous not in W.NOUN_CONTEXT:
            return True
        if lowercase and len(low) >= 4 and low not in W.NOT_VERBS and "'" not in low:
            if low.endswith("ed"):
                return True
            if (
                low.endswith("s")
                and not low.endswith(not_verb_endings)
                and previous not in W.NOUN_CONTEXT
                and not previous.isdigit()
            ):
                return True
        previous = low
    return False


_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def word_count(text: str) -> int:
    """Words of ``text``. Memoised: the cleaner asks it of each line several times."""
    return len(_WORDS.findall(text))


def sentence_count(text: str) -> int:
    """Sentences by their closing marks (good enough for short paragraphs)."""
    return max(1, len(re.findall(r"[.!?…](?:[\"'”’)\]]*)(?=\s+[\"'“‘(\[]?[A-Z]|\s*$)", text)))


def is_title_case(text: str) -> bool:
    """Most longer words capitalised, as headlines and subheads are written."""
    words = [w for w in _WORD_RE.findall(text) if len(w) >= 4]
    if len(words) < 2:
        return False
    capitals = sum(1 for w in words if w[0].isupper())
    return capitals >= 0.75 * len(words)


def names_something(quoted: str) -> bool:
    """Whether quoted words are the title of something (an event, a book, a show: "Take
    Your Daughters and Sons to Work Day"), not words someone said: most longer words
    capitalised, not shouted in capitals, and no sentence's closing mark."""
    text = quoted.strip().rstrip(",;:”\"'’ ")
    if not text or text[-1] in ".!?…":
        return False
    words = [w for w in _WORD_RE.findall(text) if len(w) >= 4]
    if len(words) < 2 or any(w.isupper() for w in words):
        return False
    return sum(1 for w in words if w[0].isupper()) >= 0.75 * len(words)


# --- captions, subheads, notes, decks -------------------------------------------------------

CAPTION_MAX_WORDS = 40


def caption_reason(text: str) -> str | None:
    """Why ``text`` reads as a photo caption, or None.

    A caption places people in the frame, or is a short paragraph that names what is
    shown without a finite verb ("Tom Perez, the party chairman, during a meeting in
    Atlanta last February.")."""
    if word_count(text) > CAPTION_MAX_WORDS or '"' in text or "“" in text:
        return None
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip(), maxsplit=1)[0]
    S = _S
    if word_count(first) <= 30 and S.POSITION_RE.search(first):
        return "places people in the frame (left, right, pictured)"
    if word_count(first) >= 4 and sentence_count(text) == 1 and not has_finite_verb(first):
        return "names what is shown, with no finite verb"
    if S.CAPTION_DATE_RE.search(text) and not S.PAST_RE.search(text) and sentence_count(text) == 1:
        return "describes a picture in the present tense, with its full date"
    return None


_QUESTION_SUBHEAD_MAX = 12
_TITLE_SUBHEAD_MAX = 12


def subhead_reason(text: str) -> str | None:
    """Why a body paragraph reads as a subhead, or None: a lone short question, or a short
    title-cased line (subheads without a closing mark are labels already)."""
    stripped = text.strip()
    quoted = any(mark in stripped for mark in '"“”')
    if (
        stripped.endswith("?")
        and not quoted
        and word_count(stripped) <= _QUESTION_SUBHEAD_MAX
        and sentence_count(stripped) == 1
    ):
        return "a lone short question between paragraphs"
    if word_count(stripped) <= _TITLE_SUBHEAD_MAX and is_title_case(stripped) and not quoted:
        return "a short title-cased line"
    return None


# "More: A guide to ...", "The Bubble: ...": a named rubric pointing elsewhere.
_RUBRIC_RE = re.compile(r"^(?:[A-Z][\w'’]*\s?){1,3}:\s+\S")
_RUBRIC_MAX_WORDS = 18


def rubric_reason(text: str) -> str | None:
    """A rubric or related-link line: one to three capitalised words and a colon, short."""
    if _RUBRIC_RE.match(text) and word_count(text) <= _RUBRIC_MAX_WORDS:
        head = text.split(":", 1)[0]
        if not has_finite_verb(head):
            return "a rubric and a colon introducing a link"
    return None


# Notes about the text itself (the active language's NOTE_RE above).
_NOTE_MAX_WORDS = 16


def note_reason(text: str) -> str | None:
    if word_count(text) <= _NOTE_MAX_WORDS and _S.NOTE_RE.match(text.strip().lstrip("([")):
        return "a note about the text, not the story"
    return None


_DECK_SHORT_WORDS = 16
_DECK_MAX_WORDS = 35


def deck_reason(text: str) -> str | None:
    """Why the paragraph right under a headline reads as its deck, or None: one short
    sentence, or a summary in headline-style present tense with no past reporting verb."""
    words = word_count(text)
    if sentence_count(text) != 1 or words > _DECK_MAX_WORDS:
        return None
    if words <= _DECK_SHORT_WORDS:
        return "one short sentence under the headline"
    if _S.PRESENT_ATTRIBUTION_RE.search(text) and not _S.PAST_REPORTING_RE.search(text):
        return "a present-tense summary under the headline"
    return None


# --- headlines ----------------------------------------------------------------------------

HEADLINE_MAX_WORDS = 22


def headline_reason(line: str, next_blank: bool, repeated: bool) -> str | None:
    """Why the first line of an article is its headline, or None.

    A headline is short and either has no closing full stop, is title-cased, is repeated
    further down, or stands alone above a blank line. A short lede opening the text on
    its own line reads differently: it opens on a place dateline, or reports in the past
    ("said") or names the day, which headlines leave out."""
    words = word_count(line)
    if not 2 <= words <= HEADLINE_MAX_WORDS or opens_with_dateline(line):
        return None
    stripped = line.strip().rstrip("\"'”’)]»").rstrip()
    if stripped[-1:] not in ".!?…:;":
        return "a short first line without a closing full stop"
    if repeated:
        return "a short first line repeated further down"
    if is_title_case(line):
        return "a short title-cased first line"
    S = _S
    if next_blank and not S.PAST_REPORTING_RE.search(line) and not S.WEEKDAY_RE.search(line):
        return "a short first line standing alone above a blank line"
    return None
