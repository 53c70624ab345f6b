"""Direct quotations with speaker attribution, and the names an article mentions.

The public face of three modules, one job each, run over one shared view of the article
(``mentions.Article``, built once per article):

1. ``quotemarks``: pair quote marks paragraph by paragraph (curly and straight, double and
   single; apostrophes are not marks), repairing one mis-typed mark when the paragraph does
   not balance, and following the multi-paragraph convention;
2. ``mentions``: every name outside quotes (people, organisations, roles), so pronouns and
   role descriptions ("the Russian presidential aide") can be resolved;
3. ``attribution``: each quote's speaker from its own sentence ("..." X said / X said:
   "..." / according to X), then its neighbours.

:func:`analyse_quotes` gives quotes and names together (what the pipeline needs);
:func:`find_quotes` and :func:`find_names` give one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.stages.attribution import Speaker, attribute_all
from briefgen.stages.mentions import Article

_WORD = re.compile(r"\w+(?:[\u2019'\-]\w+)*")


@dataclass
class QuoteSpan:
    """A quotation: the quoted words only (no marks), ``text == source_text[start:end]``."""

    start: int
    end: int
    text: str
    speaker: str | None  # surface name as written, or None
    speaker_role: str | None  # e.g. "Putin aide", "Russian President"
    cue: str | None  # the attribution verb/pattern that matched, e.g. "said", "according to"
    scare: bool = False  # one or two words: belongs inside its sentence, not standalone
    depth: int = 0  # 0 for a top-level quote, 1 for a quote inside a quote
    group: int = -1  # start of the first part of the same utterance (split or multi-paragraph)

    @property
    def kind(self) -> str:
        """ "fragment" for a one- or two-word quote ("deplorables"), else "quote"."""
        return "fragment" if self.scare else "quote"


def _paragraphs(text: str, blocks: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """The blocks given, else the text's non-blank lines."""
    if blocks is not None:
        return [
            (max(0, a), min(len(text), b))
            for a, b in sorted(blocks)
            if min(len(text), b) > max(0, a)
        ]
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def _names(art: Article) -> list[tuple[str, str | None]]:
    return [(m.name, m.role) for m in art.mentions if m.kind in ("person", "org")]


def find_names(
    text: str, blocks: list[tuple[int, int]] | None = None
) -> list[tuple[str, str | None]]:
    """People and organisations named outside quotes, as (name, role), to feed a SpeakerIndex."""
    return _names(Article(text, _paragraphs(text, blocks)))


def word_count(s: str) -> int:
    """Words in a quote, ignoring punctuation ("useful,constructive" is two words)."""
    return len(_WORD.findall(s))


def analyse_quotes(
    text: str,
    blocks: list[tuple[int, int]] | None = None,
    *,
    include_scare: bool = False,
    include_nested: bool = False,
) -> tuple[list[QuoteSpan], list[tuple[str, str | None]]]:
    """``find_quotes`` and ``find_names`` of one article at the cost of one: the article's
    quote pairs, masked text and mentions are worked out once for both."""
    art = Article(text, _paragraphs(text, blocks))
    names = _names(art)  # before attribution, which reads but never changes the mentions
    return _quotes(art, include_scare, include_nested), names


def find_quotes(
    text: str,
    blocks: list[tuple[int, int]] | None = None,
    *,
    include_scare: bool = False,
    include_nested: bool = False,
) -> list[QuoteSpan]:
    """Direct quotations in ``text`` (only inside ``blocks`` when given), in text order.

    By default returns top-level quotes of three or more words. ``include_scare`` adds
    one- and two-word quotes that someone is found to have said (flagged ``scare=True``,
    kind "fragment"; unattributed ones are scare quotes); ``include_nested`` adds quotes
    inside quotes (``depth=1``), attributed from the outer quote's words.
    """
    return _quotes(Article(text, _paragraphs(text, blocks)), include_scare, include_nested)


def _quotes(art: Article, include_scare: bool, include_nested: bool) -> list[QuoteSpan]:
    """The article's quotes attributed, as QuoteSpans (see find_quotes)."""
    text = art.text
    attribute_all(art, include_nested)
    out = []
    for q in art.quotes:
        scare = word_count(text[q.start : q.end]) < 3
        if (scare and not include_scare) or (q.depth > 0 and not include_nested):
            continue
        if scare and q.speaker is None:
            # One or two words nobody is found to have said are scare quotes or a term
            # ("so-called “reset”"), not a quotation.
            continue
        sp = q.speaker or Speaker(None, None, None)
        out.append(
            QuoteSpan(
                q.start,
                q.end,
                text[q.start : q.end],
                sp.name,
                sp.role,
                sp.cue,
                scare,
                q.depth,
                q.group,
            )
        )
    return out
