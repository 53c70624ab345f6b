"""Shared word-level helpers: tokenising, Porter stemming, stopwords.

Self-contained on purpose: importing nltk for its stemmer costs about a third of
a second, more than summarising a whole cluster. :func:`stem` is Martin
Porter's original algorithm (1980), memoised.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD_RE = re.compile(r"[a-z0-9]+")
_APOS_RE = re.compile(r"['\u2019]s\b")

STOPWORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another
    any anyone anything are around as at be became because become been before being below
    between both but by can cannot could did do does doing done down during each either else
    enough even ever every few for from further get gets got had has have having he her here
    hers herself him himself his how however i if in into is it its itself just least less
    like made make many may me might more most much must my myself neither never no nor not
    now of off often on once one only or other others our ours ourselves out over own per
    perhaps quite rather really s said same say says shall she should since so some something
    still such than that the their theirs them themselves then there these they this those
    though through thus to too toward towards under until up upon us very via was we well
    were what whatever when where whether which while who whom whose why will with within
    without would yet you your yours yourself yourselves mr mrs ms t
    """.split()
)


def words(text: str) -> list[str]:
    """Lower-cased alphanumeric tokens of ``text``; a possessive 's is dropped."""
    return _WORD_RE.findall(_APOS_RE.sub("", text.lower()))


def n_words(text: str) -> int:
    """Whitespace-separated word count (the convention of ROUGE's word limit)."""
    return len(text.split())


# --------------------------------------------------------------------------- Porter (1980)

_VOWELS = frozenset("aeiou")


def _is_cons(w: str, i: int) -> bool:
    ch = w[i]
    if ch in _VOWELS:
        return False
    if ch == "y":
        return i == 0 or not _is_cons(w, i - 1)
    return True


def _measure(w: str) -> int:
    """m in [C](VC){m}[V]."""
    m, prev_vowel = 0, False
    for i in range(len(w)):
        cons = _is_cons(w, i)
        if cons and prev_vowel:
            m += 1
        prev_vowel = not cons
    return m


def _has_vowel(w: str) -> bool:
    return any(not _is_cons(w, i) for i in range(len(w)))


def _double_cons(w: str) -> bool:
    return len(w) >= 2 and w[-1] == w[-2] and _is_cons(w, len(w) - 1)


def _cvc(w: str) -> bool:
    n = len(w)
    return (
        n >= 3
        and _is_cons(w, n - 3)
        and not _is_cons(w, n - 2)
        and _is_cons(w, n - 1)
        and w[-1] not in "wxy"
    )


_STEP2 = (
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"),
    ("izer", "ize"), ("abli", "able"), ("alli", "al"), ("entli", "ent"), ("eli", "e"),
    ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
    ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"),
    ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
)  # fmt: skip
_STEP3 = (
    ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
    ("ful", ""), ("ness", ""),
)  # fmt: skip
_STEP4 = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
    "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize",
)  # fmt: skip
# longest first, so the first suffix that matches is the one Porter's rule picks
_STEP2 = tuple(sorted(_STEP2, key=lambda r: -len(r[0])))
_STEP3 = tuple(sorted(_STEP3, key=lambda r: -len(r[0])))
_STEP4 = tuple(sorted(_STEP4, key=len, reverse=True))


def _replace(w: str, rules: tuple[tuple[str, str], ...], min_m: int) -> str:
    for suffix, repl in rules:
        if w.endswith(suffix):
            stem = w[: -len(suffix)]
            return stem + repl if _measure(stem) > min_m else w
    return w


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Porter stem of a lower-case word (words of one or two letters are kept)."""
    w = word
    if len(w) <= 2:
        return w
    # step 1a
    if w.endswith("sses") or w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    # step 1b
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    else:
        for suffix in ("ed", "ing"):
            if w.endswith(suffix) and _has_vowel(w[: -len(suffix)]):
                w = w[: -len(suffix)]
                if w.endswith(("at", "bl", "iz")):
                    w += "e"
                elif _double_cons(w) and w[-1] not in "lsz":
                    w = w[:-1]
                elif _measure(w) == 1 and _cvc(w):
                    w += "e"
                break
    # step 1c
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    w = _replace(w, _STEP2, 0)
    w = _replace(w, _STEP3, 0)
    # step 4
    for suffix in _STEP4:
        if w.endswith(suffix):
            stem_ = w[: -len(suffix)]
            if _measure(stem_) > 1 and (suffix != "ion" or stem_.endswith(("s", "t"))):
                w = stem_
            break
    # step 5
    if w.endswith("e"):
        m = _measure(w[:-1])
        if m > 1 or (m == 1 and not _cvc(w[:-1])):
            w = w[:-1]
    if w.endswith("ll") and _measure(w) > 1:
        w = w[:-1]
    return w
