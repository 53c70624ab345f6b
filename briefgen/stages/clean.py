"""Clean: keep the article's body, drop the web debris around it.

Each line of the source is one candidate paragraph. General rules decide what
is debris, so that other sites' debris is caught as well as the sample's:

* a line that does not end like a sentence and is short is a label (share
  buttons, section names, sub-headings, "Watch video below :", "Story Continues");
* a line addressing the reader about sign-ups, consent or privacy is promotion;
* a line ending in a parenthesised photo credit, or opening like a caption, is a caption;
* copyright and distribution lines, datelines, separators and repeats of the
  headline are furniture (copyright lines and datelines also give metadata).

Nothing is rewritten: kept paragraphs are (start, end) ranges of the source text.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TypedDict

from briefgen.models import Block, Removed, Source
from briefgen.stages import metadata, structure

_LABEL_MAX_WORDS = 12
# Words of reader-directed promotion and consent boilerplate.
_PROMO_RE = re.compile(
    r"\b(?:sign[- ]?up|subscribe|unsubscribe|newsletter|privacy (?:policy|notice)|"
    r"consent(?:ed)?|cookies?|invalid email|e-?mail address|terms of (?:use|service)|"
    r"download (?:our|the) app|follow us|click here|read more|advert(?:s|isement)?)\b",
    re.I,
)
_SECOND_PERSON_RE = re.compile(r"\b(?:you|your|yours)\b", re.I)
_CREDIT_RE = re.compile(
    r"\((?:[^()]*/[^()]*|(?:image|photo|picture|video|credit|source)s?\s*:[^()]*|"
    r"[^()]*\b(?:getty|afp|reuters|ap photo|shutterstock|alamy|epa|pool)\b[^()]*)\)\s*$",
    re.I,
)
_CAPTION_START_RE = re.compile(
    r"^(?:in this (?:\w+ )?(?:photo|photograph|picture|image|handout)|pictured:|"
    r"file photo|photo:|image:|caption:)",
    re.I,
)
_SEPARATOR_RE = re.compile(r"^[\W_]*$")


def clean(source: Source) -> Source:
    """``source`` with ``body`` the kept paragraphs and ``removed`` the rest, and the
    outlet and date a copyright line or dateline gave when it had none."""
    start = source.body_start
    title = normalise(source.title or "")
    seen: set[str] = set()
    body: list[Block] = list(source.body)
    removed: list[Removed] = list(source.removed)
    found_meta: _Metadata = {}
    if source.title_span:
        why = source.title_why or "the article's headline"
        removed.append(Removed(*source.title_span, "headline", why))
    for line_start, line_end in metadata.lines_with_offsets(source.text, start):
        if source.title_span and line_start <= source.title_span[0] < line_end:
            seen.add(normalise(source.text[line_start:line_end]))
            continue
        raw = source.text[line_start:line_end]
        lead = len(raw) - len(raw.lstrip())
        line = raw.strip()
        if not line:
            continue
        span_start, span_end = line_start + lead, line_start + lead + len(line)
        key = normalise(line)
        found = explain_debris(line, title, seen, key)
        seen.add(key)
        if found:
            reason, why = found
            _take_metadata(source, found_meta, line, reason)
            removed.append(Removed(span_start, span_end, reason, why))
        else:
            body.append(Block(span_start, span_end))
    _drop_front_matter(source, body, removed)
    removed.sort(key=lambda r: r.start)
    return replace(source, body=body, removed=removed, **found_meta)


# The lede opens on a place dateline within this many paragraphs of the top, and what
# stands above it (a deck, a caption, a related video's line) is not the story.
_FRONT_MAX_BLOCKS = 3
_FRONT_MAX_WORDS = 60
_DECK_MIN_BLOCKS = 3  # a short text (a feed's summary) keeps its only paragraphs


def _drop_front_matter(source: Source, blocks: list[Block], removed: list[Removed]) -> None:
    """Move decks and captions between the headline and the lede from ``blocks`` (the
    body being built) to ``removed``."""
    texts = [source.text[b.start : b.end] for b in blocks]
    lede = next(
        (
            i
            for i, t in enumerate(texts[: _FRONT_MAX_BLOCKS + 1])
            if structure.opens_with_dateline(t)
        ),
        None,
    )
    if lede and all(structure.word_count(t) <= _FRONT_MAX_WORDS for t in texts[:lede]):
        for block, text in zip(blocks[:lede], texts[:lede], strict=True):
            kind = "caption" if structure.caption_reason(text) else "deck"
            why = "stands above the dateline that opens the story"
            removed.append(Removed(block.start, block.end, kind, why))
        del blocks[:lede]
        return
    if source.title and len(blocks) >= _DECK_MIN_BLOCKS and lede is None:
        deck_why = structure.deck_reason(texts[0])
        if deck_why:
            removed.append(Removed(blocks[0].start, blocks[0].end, "deck", deck_why))
            del blocks[0]


def debris_reason(line: str, title: str = "", seen: set[str] | None = None) -> str | None:
    """Why ``line`` is not article body (a short code), or None when it is body text."""
    found = explain_debris(line, title, seen)
    return found[0] if found else None


def explain_debris(
    line: str, title: str = "", seen: set[str] | None = None, key: str | None = None
) -> tuple[str, str] | None:
    """(code, what gave it away) when ``line`` is not article body, else None.
    ``key``: ``normalise(line)``, when the caller has it."""
    key = normalise(line) if key is None else key
    if _SEPARATOR_RE.match(line):
        return "separator", "no words"
    if metadata.is_copyright_line(line):
        return "copyright", "a copyright or distribution line"
    if metadata.is_dateline(line):
        return "dateline", "mostly a date and time"
    if title and key == title or (seen is not None and key in seen):
        return "repeat", "repeats the headline or an earlier line"
    note = structure.note_reason(line)
    if note:
        return "note", note
    if _CREDIT_RE.search(line):
        return "caption", "ends with a photo credit"
    if _CAPTION_START_RE.match(line):
        return "caption", "opens like a caption"
    # The promotion words last: their pattern is the slowest, and most lines are long
    # and do not address the reader.
    short_or_to_you = metadata.word_count(line) <= 8 or _SECOND_PERSON_RE.search(line)
    if short_or_to_you and _PROMO_RE.search(line):
        return "promotion", "addresses the reader about sign-ups, consent or links"
    rubric = structure.rubric_reason(line)
    if rubric:
        return "label", rubric
    if not metadata.ends_like_sentence(line) and metadata.word_count(line) <= _LABEL_MAX_WORDS:
        return "label", "short, and does not end like a sentence"
    subhead = structure.subhead_reason(line)
    if subhead:
        return "subhead", subhead
    caption = structure.caption_reason(line)
    if caption:
        return "caption", caption
    return None


class _Metadata(TypedDict, total=False):
    """What a removed line tells about the article (``Source`` fields)."""

    outlet: str | None
    published: str | None


def _take_metadata(source: Source, found: _Metadata, line: str, reason: str) -> None:
    """Note in ``found`` the outlet a copyright line or the date a dateline gives, when
    the source has none yet."""
    if reason == "copyright" and not (found.get("outlet") or source.outlet):
        found["outlet"] = metadata.copyright_holder(line)
    elif reason == "dateline" and not (found.get("published") or source.published):
        found["published"] = metadata.parse_date(line)


def normalise(line: str) -> str:
    """Lower-case words only, for comparing lines and headlines."""
    return re.sub(r"\W+", " ", line).strip().lower()
