"""Quote-mark pairing: which marks open and close a quotation, paragraph by paragraph.

Curly and straight, double and single marks are paired with a stack (apostrophes are not
marks), one mis-typed mark is repaired when that balances a paragraph, and a quote left
open at a paragraph's end runs on when the next paragraph reopens one (the multi-paragraph
convention). Titles in quote marks ("on “Face the Nation”") are set apart: no one says them.

:class:`PairedText` is the result for one article; ``mentions.Article`` builds on it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen import lang

if TYPE_CHECKING:
    from briefgen.stages.attribution import Speaker

# The active language's patterns for titles in quote marks.
_T = lang.bound(
    lambda L: {"TITLE_CUE_RE": re.compile(L.TITLE_CUES, re.I), "MINOR": L.TITLE_MINOR_WORDS}
)

_MARKS = re.compile("[\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\u2039\u203a]")
_DOUBLE_OPEN, _DOUBLE_CLOSE = "\u201c\u201e\u00ab", "\u201d\u00bb"
_SINGLE_OPEN, _SINGLE_CLOSE = "\u2018\u2039", "\u2019\u203a"
_OPENERS = "([{\u2014\u2013-/"  # characters a quote may open right after
MAX_REPAIR_MARKS = 200  # beyond this a paragraph is not worth trial re-pairings


@dataclass
class _Mark:
    pos: int
    kind: str  # "d" double, "s" single
    role: str  # "open", "close" or "either"
    straight: bool


def _classify(text: str, i: int, lo: int, hi: int) -> _Mark | None:
    """Classify the mark at ``i``; None for an apostrophe (don’t, Russia’s, ’90s)."""
    ch = text[i]
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    before_space = prev.isspace() or prev in _OPENERS
    after_space = nxt.isspace() or nxt in ",.;:!?)]}\u2014\u2013"
    if ch in _DOUBLE_OPEN or ch in _DOUBLE_CLOSE:
        # Typists and converters swap curly marks ("”Mr. Trump ...", "False.“"): a mark
        # facing text with a space on its other side is read by where it stands, and
        # only a mark its neighbours leave undecided by its glyph.
        if before_space and not after_space:
            return _Mark(i, "d", "open", False)
        if after_space and not before_space:
            return _Mark(i, "d", "close", False)
        return _Mark(i, "d", "open" if ch in _DOUBLE_OPEN else "close", False)
    if ch == '"':
        role = (
            "open"
            if before_space and not after_space
            else "close"
            if after_space and not before_space
            else "either"
        )
        return _Mark(i, "d", role, True)
    # Single marks double as apostrophes: inside words, before digits ('90s), after s (players’).
    if prev.isalnum() and nxt.isalnum():
        return None
    if nxt.isdigit() and not prev.isalnum():
        return None
    if ch in _SINGLE_OPEN:
        return _Mark(i, "s", "open", False)
    if before_space and nxt.isalpha():
        return _Mark(i, "s", "open", ch == "'")
    if not before_space:
        return _Mark(i, "s", "close", ch == "'")
    return None


# A markup tag left in the copy (`<tweet tweet-id="7701" author="@x">`): its attribute
# values are in quote marks, and no one says them.
_TAG = re.compile(r"<[A-Za-z/][^<>\n]*>")


def _marks(text: str, lo: int, hi: int) -> list[_Mark]:
    tags = [t.span() for t in _TAG.finditer(text, lo, hi)] if "<" in text[lo:hi] else []
    found = (
        _classify(text, m.start(), lo, hi)
        for m in _MARKS.finditer(text, lo, hi)
        if not any(a < m.start() < b for a, b in tags)
    )
    return [m for m in found if m is not None]


@dataclass
class _Pairing:
    pairs: list[tuple[int, int, int]]  # (open mark index, close mark index, depth)
    orphans: list[int]  # close marks with nothing to close
    unclosed: list[tuple[int, int]]  # (open mark index, depth) still open at the end

    @property
    def problems(self) -> int:
        return len(self.orphans) + len(self.unclosed)


def _pair(marks: list[_Mark], text: str, override: dict[int, str] | None = None) -> _Pairing:
    """Stack-pair marks; ``override`` forces a mark's role ("open", "close" or "drop")."""
    override = override or {}
    stack: list[int] = []
    doubles: list[int] = []  # the double opens in ``stack``, so a close finds its open in O(1)
    out = _Pairing([], [], [])
    last_single_close = max(
        (i for i, m in enumerate(marks) if m.kind == "s" and m.role == "close"), default=-1
    )
    for i, m in enumerate(marks):
        role = override.get(i, m.role)
        if role == "drop":
            continue
        if m.kind == "d":
            # Straight quotes do not nest, so a straight mark closes a pending straight one.
            if role == "either" or (
                role == "open" and m.straight and doubles and marks[doubles[-1]].straight
            ):
                role = "close" if doubles else "open"
            if role == "open":
                stack.append(i)
                doubles.append(i)
            elif not doubles:
                out.orphans.append(i)
            else:
                j = doubles.pop()
                while stack.pop() != j:  # an unclosed single inside ends with its double
                    pass
                out.pairs.append((j, i, len(stack)))
        elif role == "open":
            stack.append(i)
        elif stack and marks[stack[-1]].kind == "s":
            # "players’ union" inside a single-quoted passage: a later close may be the real one.
            after = text[m.pos + 1 : m.pos + 3]
            if text[m.pos - 1] == "s" and re.match(r"\s[a-z]", after) and i < last_single_close:
                continue
            out.pairs.append((stack.pop(), i, len(stack)))
    out.unclosed = [(j, d) for d, j in enumerate(stack)]
    return out


def _repair(marks: list[_Mark], text: str, base: _Pairing) -> _Pairing:
    """Fix one mis-typed double mark (``will be” ready right now”``) when that balances the paragraph."""
    if not base.orphans or len(marks) > MAX_REPAIR_MARKS:
        return base
    first = base.orphans[0]
    closes = sorted(
        (c for _, c, _ in base.pairs if c < first and marks[c].kind == "d"), reverse=True
    )[:3]
    best = base
    for c in closes:
        for role in ("open", "drop"):
            trial = _pair(marks, text, {c: role})
            if trial.problems < best.problems:
                best = trial
    return best


# --- quotes of an article ---------------------------------------------------------------


@dataclass
class Quote:
    open: int  # position of the opening mark
    close: int  # position of the closing mark, or paragraph end for an unclosed part
    start: int
    end: int
    para: int
    depth: int
    continues: bool = False  # multi-paragraph: carries on into the next paragraph
    group: int = -1
    speaker: Speaker | None = None


_LEADING_SPACE = re.compile(r"\s*")


class PairedText:
    """An article's paragraphs, its quotes (marks paired), and a copy of its text with the
    quotes' words blanked out (``masked``), so names and verbs inside them don't count."""

    def __init__(self, text: str, paras: list[tuple[int, int]]) -> None:
        self.text = text
        self.paras = paras
        self.quotes: list[Quote] = []
        for p, (lo, hi) in enumerate(paras):
            self.quotes.extend(self._pair_paragraph(p, lo, hi))
        self._link_paragraphs()
        # Titles of shows, books and laws and nicknames inside a name are in quote marks
        # but nobody says them: they stay masked (no speaker is found inside) but are no quote.
        titles = [q for q in self.quotes if q.depth == 0 and is_title(text, q)]
        self.quotes = [q for q in self.quotes if q not in titles]
        self.quote_at = {q.open: q for q in self.quotes}
        self.interiors = sorted(
            (q.open + 1, q.close) for q in (*self.quotes, *titles) if q.depth == 0
        )
        self.masked = self._mask()

    # pairing

    def _pair_paragraph(self, p: int, lo: int, hi: int) -> list[Quote]:
        marks = _marks(self.text, lo, hi)
        pairing = _repair(marks, self.text, _pair(marks, self.text))
        out = [self._quote(marks[a].pos, marks[b].pos, p, d) for a, b, d in pairing.pairs]
        # Only an outermost unclosed quote can run on (multi-paragraph convention).
        for j, depth in pairing.unclosed[:1]:
            if depth == 0:
                q = self._quote(marks[j].pos, hi, p, 0)
                q.continues = True
                out.append(q)
        return [q for q in out if q.end > q.start]

    def _quote(self, open_: int, close: int, para: int, depth: int) -> Quote:
        start, end = open_ + 1, close
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Quote(open_, close, start, end, para, depth)

    def _reopens(self, para: int) -> bool:
        """True when paragraph ``para`` starts with an opening quote mark."""
        if para >= len(self.paras):
            return False
        return self.text[self.first_char(para) : self.first_char(para) + 1] in set(
            _DOUBLE_OPEN + _SINGLE_OPEN + "\"'"
        )

    def first_char(self, para: int) -> int:
        """Offset of the first non-space character of a paragraph."""
        lo, hi = self.paras[para]
        return _LEADING_SPACE.match(self.text, lo, hi).end()  # type: ignore[union-attr]

    def _link_paragraphs(self) -> None:
        """Keep an unclosed quote only when the next paragraph reopens one; link the parts."""
        keep: list[Quote] = []
        dropped: list[Quote] = []
        groups: dict[int, int] = {}  # paragraph -> group carried into it
        for q in sorted(self.quotes, key=lambda q: (q.start, q.depth)):
            opens_para = q.depth == 0 and q.open == self.first_char(q.para)
            q.group = groups.pop(q.para, q.start) if opens_para else q.start
            if not q.continues:
                keep.append(q)
            elif self._reopens(q.para + 1):
                groups[q.para + 1] = q.group
                keep.append(q)
            elif self.text[max(0, q.open - 3) : q.open].strip().endswith(":"):
                q.continues = False  # X said: "... (never closed): quote to the paragraph end
                keep.append(q)
            else:
                dropped.append(q)  # a stray mark from sloppy copy: no quote
        stray = {d.para: d.open for d in dropped}
        for q in keep:
            # Quotes that looked nested inside a stray mark are really top-level.
            if q.depth > 0 and q.open > stray.get(q.para, len(self.text)):
                q.depth -= 1
        self.quotes = sorted(keep, key=lambda q: (q.start, q.depth))

    def _mask(self) -> str:
        """The text with top-level quote interiors blanked, so names and verbs inside don't count."""
        chars = list(self.text)
        for a, b in self.interiors:
            chars[a:b] = " " * (b - a)
        return "".join(chars)

    def inside_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.interiors, (pos, len(self.text) + 1)) - 1
        return i >= 0 and self.interiors[i][0] <= pos < self.interiors[i][1]


# --- titles and nicknames in quote marks ------------------------------------------------------

_TITLE_MAX_WORDS = 8
_CAPWORD_RE = re.compile(r"[\w\u2019'\-]+")


def is_title(text: str, q: Quote) -> bool:
    """A quoted name of a work, show, law or day, or a nickname inside a person's name.

    Titles are capitalised word by word and announced by what precedes them (a possessive,
    "on", "the documentary"); a nickname is one quoted word between parts of a name
    (Robert C. "Bobby" Scott). Quoted speech is neither."""
    inner = text[q.start : q.end]
    words = _CAPWORD_RE.findall(inner)
    if not words or len(words) > _TITLE_MAX_WORDS or inner.rstrip()[-1:] in "!?":
        return False
    capitalised = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _T.MINOR for w in words)
    if not capitalised:
        return False
    before = text[max(0, q.open - 40) : q.open]
    after = text[q.close + 1 : q.close + 3]
    if len(words) == 1 and re.search(r"[A-Z][\w.]*\s+$", before) and re.match(r"\s+[A-Z]", after):
        return True  # Rep. Robert C. "Bobby" Scott
    return bool(_T.TITLE_CUE_RE.search(before))
