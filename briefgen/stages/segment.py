"""Segment: body paragraphs -> sentences with offsets into the source text.

syntok does the splitting (fast, handles "U.S.", "Dec. 2", "Mr Zelensky" and a
missing space after a full stop). On top of it, a sentence that opens a
quotation and does not close it is joined with the next ones, so a quote that
spans sentences is never cut in half.
"""

from __future__ import annotations

import re

import syntok.segmenter as syntok_segmenter
from syntok._segmentation_states import State

from briefgen import lang
from briefgen.models import Sentence, Source
from briefgen.stages.structure import dateline_end

_OPEN_QUOTES = "“«„"
_CLOSE_QUOTES = "”»"
_MAX_JOIN = 6  # a runaway quote from sloppy copy must not swallow a paragraph
_QUOTE_MARKS = frozenset(_OPEN_QUOTES + _CLOSE_QUOTES + '"')
# Where syntok may end a sentence: its terminals, an opening bracket (both from syntok's
# own lists), an ellipsis or a line break. A paragraph with none of them before its final
# punctuation is one sentence, and syntok is not asked (about a quarter of news
# paragraphs; syntok is the largest cost of the per-article stage).
_TERMINALS = "".join(sorted(t for t in State.terminals if len(t) == 1))
_MAY_SPLIT = re.compile(
    "[" + re.escape(_TERMINALS + "".join(sorted(State.opening_brackets)) + "\u2026\n") + "]"
)
_SENTENCE_END = ".!?;\u2026\"”’')]}»"


# “Is it over?” Ann Reyes asked: a quotation ending on a question or exclamation mark, then
# its speaker and a saying verb, is one sentence, though a capital follows the mark.
_P = lang.bound(
    lambda L: {
        "ATTRIBUTION_OPENING": re.compile(
            r"(?:[A-Z][\w\u2019'.-]*\s+){1,4}(?:[a-z]+\s+){0,2}"
            rf"(?:{L.CUES}|{'|'.join(L.SAY_VERBS)})\b"
        ),
        "NAME_STOPWORDS": L.NAME_STOPWORDS,
        "TITLE_ABBREVIATIONS": L.TITLE_ABBREVIATIONS,
        # A piece that ends on a title abbreviation ("... said Rev."): its name follows.
        "ENDS_ON_TITLE": re.compile(r"(?<![\w.'’-])([A-Z][a-z]{1,4})\.$"),
    }
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text[start:end]``, quote-aware."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for lo, hi in _pieces(text, start, end):
        spans.extend(_syntok_spans(text, lo, hi))
    return _join_attributions(text, _join_open_quotes(text, _join_titles(text, spans)))


def _join_titles(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a sentence that ends on a title abbreviation to the next ("said Rev." +
    "Kyev Tatum, then pastor in Ft." + "Worth, Texas."): syntok knows "Gen." and
    "Sen." but not "Rev.", "Sgt." or "Ft."."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _ends_on_title(text, joined[-1]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _ends_on_title(text: str, span: tuple[int, int]) -> bool:
    tail = _P.ENDS_ON_TITLE.search(text, max(span[0], span[1] - 8), span[1])
    return tail is not None and tail.group(1) in _P.TITLE_ABBREVIATIONS


def _join_attributions(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a quoted question or exclamation to the attribution after it (“Why now?” Ann
    Reyes asked, ...): the attribution alone is no sentence, it lacks what was said."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _attributes_the_quote_before(text, joined[-1], start):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _attributes_the_quote_before(text: str, before: tuple[int, int], start: int) -> bool:
    tail = text[max(before[0], before[1] - 4) : before[1]].rstrip()
    if len(tail) < 2 or tail[-1] not in '”"’»' or tail[-2] not in "?!":
        return False
    opening = _P.ATTRIBUTION_OPENING.match(text, start)
    if opening is None:
        return False
    # A name opens it: "The crowd ...", "He said nothing more" are sentences of their own.
    first = text[start : start + 40].split(None, 1)[0]
    return first not in _P.NAME_STOPWORDS


def _syntok_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """syntok's sentences of ``text[start:end]``, without asking it when there can be
    only one."""
    chunk = text[start:end]
    single = _single_sentence(chunk)
    if single is not None:
        return [(start + single[0], start + single[1])] if single[1] > single[0] else []
    return [
        (start + sent[0].offset, start + sent[-1].offset + len(sent[-1].value))
        for paragraph in syntok_segmenter.analyze(chunk)
        for sent in paragraph
        if sent
    ]


# A sure sentence end, where syntok always splits: a word of three letters or more, in
# lower case or capitalised ("July", not "XIV"), that is none of syntok's abbreviations
# ("approx", "Gen", "Sept"), a full stop, question or exclamation mark, white space, and
# a capital, or an opening quotation mark and a capital. The text between such ends goes to syntok piece by piece (most pieces are
# one sentence and skip it): the same sentences on 88,315 paragraphs, in half the time.
_SURE_END = re.compile(r"(?:(?<=\s)|^)([a-z]{3,}|[A-Z][a-z]{2,})[.!?](\s+)(?=(?:``|[“\"«])?[A-Z])")
# syntok reads what is inside brackets as one
_BRACKETS = re.compile(
    "[" + re.escape("".join(sorted(State.opening_brackets | State.closing_brackets)) + "\n") + "]"
)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut at its sure sentence ends (whole, with brackets in it)."""
    if _BRACKETS.search(text, start, end):
        return [(start, end)]
    pieces = []
    lo = start
    for match in _SURE_END.finditer(text, start, end):
        if match.group(1) in _SYNTOK_ABBREVIATIONS or match.group(1) in _P.TITLE_ABBREVIATIONS:
            continue
        pieces.append((lo, match.start(2)))
        lo = match.end(2)
    pieces.append((lo, end))
    return pieces


_SYNTOK_ABBREVIATIONS = frozenset(State.abbreviations) | frozenset(State.months)


def _single_sentence(chunk: str) -> tuple[int, int] | None:
    """The (start, end) syntok gives ``chunk`` when it can only be one sentence (its
    text without the white space before it), else None: syntok must decide. Trailing
    white space (which syntok keeps in a last sentence without a full stop) goes to it
    too; a body block never has any."""
    stripped = chunk.strip()
    if chunk[-1:].isspace() or _MAY_SPLIT.search(stripped.rstrip(_SENTENCE_END)):
        return None
    lead = len(chunk) - len(chunk.lstrip())
    return lead, lead + len(stripped)


def quote_depth(fragment: str) -> int:
    """Open quotation marks left unclosed at the end of ``fragment``.

    Curly marks say which way they face; a straight double quote opens when it
    follows a space or starts the text, and closes otherwise.
    """
    if _QUOTE_MARKS.isdisjoint(fragment):
        return 0
    depth = 0
    for i, ch in enumerate(fragment):
        if ch in _OPEN_QUOTES or (ch == '"' and (i == 0 or fragment[i - 1].isspace())):
            depth += 1
        elif ch in _CLOSE_QUOTES or ch == '"':
            depth = max(0, depth - 1)
    return depth


def _join_open_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        j = i
        while quote_depth(text[start:end]) > 0 and j + 1 < len(spans) and j - i < _MAX_JOIN:
            j += 1
            end = spans[j][1]
        if quote_depth(text[start:end]) > 0:
            j, end = i, spans[i][1]  # never closed: keep the sentence as syntok split it
        joined.append((start, end))
        i = j + 1
    return joined


def segment(source: Source) -> list[Sentence]:
    """Sentences of every kept body block of ``source``, in document order."""
    sentences: list[Sentence] = []
    for paragraph, block in enumerate(source.body):
        # A place dateline ("WEST PALM BEACH, Fla. —") is split off before syntok sees it
        # (its abbreviations would end a "sentence"), then kept at the head of the first
        # sentence as the article has it; facts start after it (structure.lede_span).
        opening = dateline_end(source.text, block.start)
        spans = sentence_spans(source.text, opening, block.end)
        if spans and opening > block.start:
            spans[0] = (block.start, spans[0][1])
        for start, end in spans:
            text = source.text[start:end]
            if re.search(r"\w", text):
                sentences.append(
                    Sentence(
                        source=source.n,
                        start=start,
                        end=end,
                        text=text,
                        position=len(sentences),
                        paragraph=paragraph,
                    )
                )
    return sentences
