"""Shared word-level helpers: tokenising, Porter stemming, stopwords.

:func:`stem` is Martin Porter's original algorithm (1980), memoised, from PyStemmer
(the Snowball stemmers in C; importing it takes about 1 ms, where nltk's stemmer
took a third of a second). Snowball has stemmers for other languages too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from briefgen import lang

if TYPE_CHECKING:
    import Stemmer

_WORD_RE = re.compile(r"[a-z0-9]+")
_APOS_RE = re.compile(r"['\u2019]s\b")


def __getattr__(name: str) -> frozenset[str]:
    """``textstats.STOPWORDS``: the active language's stop words (briefgen/lang/en.py)."""
    if name == "STOPWORDS":
        return lang.words.STOPWORDS  # type: ignore[no-any-return]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def words(text: str) -> list[str]:
    """Lower-cased alphanumeric tokens of ``text``; a possessive 's is dropped."""
    return _WORD_RE.findall(_APOS_RE.sub("", text.lower()))


def n_words(text: str) -> int:
    """Whitespace-separated word count (the convention of ROUGE's word limit)."""
    return len(text.split())


# --------------------------------------------------------------------------- Porter (1980)


@lru_cache(maxsize=1)
def _porter() -> Stemmer.Stemmer:
    import Stemmer

    # Snowball's "porter" is Porter's original algorithm (1980), in C: the stems of the
    # hand-written version this replaces, at about 1/15 of its cost per new word.
    return Stemmer.Stemmer("porter", 0)  # 0: no cache of its own, lru_cache below is one


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Porter stem of a lower-case word (words of one or two letters are kept)."""
    if len(word) <= 2:
        return word
    return _porter().stemWord(word)
