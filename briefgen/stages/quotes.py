"""Direct quotations with speaker attribution, found with rules over text with offsets.

``find_quotes`` works in three passes over an article:

1. pair quote marks paragraph by paragraph (curly and straight, double and single;
   apostrophes are not marks) with a stack, repairing one mis-typed mark when the
   paragraph does not balance, and following the multi-paragraph convention;
2. note every capitalised name outside quotes (people, organisations, roles), so
   pronouns and role descriptions ("the Russian presidential aide") can be resolved;
3. attribute each quote from its own sentence ("..." X said / X said: "..." /
   according to X), then its neighbours.

Everything is regex over bounded windows, so the cost is linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from briefgen.stages.entities import find_names as recognise_names
from briefgen.stages.names import CUES, DEMONYMS, PLACE_NAMES, SAY_VERBS
from briefgen.stages.people import (
    NATIONALITIES,
    PLACE_ACRONYMS,
    PLACES,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    STOPWORDS,
    is_acronym,
    role_head,
    roles_compatible,
    skeleton,
    split_role,
    strip_possessive,
)


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


# --- quote marks ---------------------------------------------------------------------

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


def _marks(text: str, lo: int, hi: int) -> list[_Mark]:
    found = (_classify(text, m.start(), lo, hi) for m in _MARKS.finditer(text, lo, hi))
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


# --- names and mentions ----------------------------------------------------------------

# A capitalised token of a name: a title abbreviation ("Rep.", "Lt.", "Gen."), initials
# ("B.", "G.K.", "U.S."), or a capitalised word ("O'Rourke").
_TITLE_ABBREV = (
    r"(?:Rep|Reps|Sen|Sens|Gov|Gen|Lt|Col|Capt|Cpt|Sgt|Cpl|Dr|Mr|Mrs|Ms|Rev|Prof|Adm|Maj|Cmdr|"
    r"Amb|Del|Pres|Supt|Insp|Det|Atty|Hon|Jr|Sr|St)\."
)
_CAP = (
    rf"(?:{_TITLE_ABBREV}|[A-Z]\.(?:[A-Z]\.)*|"
    r"[A-Z\u00c0-\u00de][\w\-]*(?:[\u2019'][A-Z][\w\-]*)?)"
)
_CONNECT = r"(?:of|for|the|de|del|da|di|du|van|von|der|den|al|bin|ibn|la|le)"
_NAMERUN = rf"(?<![\w\u2019']){_CAP}(?:[ \u00a0]+(?:{_CONNECT}[ \u00a0]+){{0,2}}{_CAP}){{0,7}}"
_POSS_AFTER = re.compile(r"[\u2019']s\b")
_APPOSITIVE = re.compile(r",\s+(?:a|an|the)\s+([^,.;:\u201c\u201d\"]{3,100}?),")

_PARTICIPLES = frozenset(
    "saying calling describing adding noting telling stating claiming insisting warning declaring "
    "arguing asking writing explaining urging vowing".split()
)
_PRON = r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t)\b"
_ROLE_HEADS = "|".join(sorted(ROLE_NOUNS, key=len, reverse=True))
_REPORT_HEADS = (
    "report|statement|study|analysis|assessment|survey|document|release|update|communiqu\u00e9|memo"
)
# Bodies that speak as such: "the commission says", "the campaign said".
_ORG_HEADS = (
    "commission|committee|campaign|agency|company|group|department|ministry|council|court|"
    "board|network|organization|organisation|union|party|government|administration|bank|"
    "firm|university|institute|foundation|newspaper|paper|website|magazine|station|channel"
)
_DESC = (
    rf"\b[Tt]he[ \u00a0]+(?:[\w\u2019'.\-]+[ \u00a0]+){{0,3}}?"
    rf"(?:{_ROLE_HEADS}|{_REPORT_HEADS}|{_ORG_HEADS})\b"
)
_WHO = rf"(?:{_PRON}|{_DESC}|{_NAMERUN})"
_FILLER = (
    r"(?:(?:has|had|have|was|is|also|then|later|earlier|previously|once|again|[a-z]+ly)\s+){0,3}"
)
# One to three appositives between a name and its verb: "Scott Pruitt, the attorney general
# of Oklahoma, one of the states suing, said" (the speaker is the name before them all).
_APPOS = r"(?:(?:,\s[^,\u201c\u201d\"\n]{1,100}){1,3},)?"
# A party-and-state tag after a lawmaker's name: "(D-Wis.)", "(R-La.)", "(I-Vt.)", "(Vt.)".
_PARTY = r"(?:\s?\([A-Z][A-Za-z.]{0,4}(?:[-\u2013][A-Z][A-Za-z. ]{0,12})?\))?"
SUBJ_CUE = re.compile(rf"(?P<who>{_WHO}){_PARTY}{_APPOS}\s+{_FILLER}(?P<cue>{CUES})\b")
# "Obama and Clinton call them “lone wolves”": two names, a base-form verb (after a
# subject, where "call" cannot be a noun opening a phrase).
_PLURAL_CUES = "|".join(sorted(SAY_VERBS, key=len, reverse=True))
PAIR_CUE = re.compile(
    rf"(?P<who>{_NAMERUN})\s+and\s+{_NAMERUN}\s+{_FILLER}(?P<cue>{_PLURAL_CUES})\b"
)
# Words between the verb and the name: "said union leader Jane Moss", "said MSNBC host
# Chris Matthews", "said 9/11 widow Terry Strada", "said the Rev. Peter Wherry".
_ROLE_BEFORE = r"(?:[\w/\u2019'.\-]+[ \u00a0]+){0,3}?"
CUE_SUBJ = re.compile(
    rf"\b(?P<cue>{CUES})\s+(?P<who>{_DESC}|{_ROLE_BEFORE}{_NAMERUN}){_PARTY}"
    r"(?=\s*(?:[,.;:(]|$)|\s+(?:in|on|at|during|after|before|via|from|with|about|when|while|"
    r"last|this|earlier|later|to|of)\b)"
)
PARTICIPLE = re.compile(rf"\b(?P<cue>{'|'.join(sorted(_PARTICIPLES))})\b")
_HE_SHE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_HE_SHE_OPEN = re.compile(r"[\s\u201c\"(]*(?:He|She|His|Her)\b")
QUOTED_AS = re.compile(
    rf"\b(?P<cue>quoted)\s+(?P<who>{_NAMERUN}){_APPOS}\s+as\s+(?:saying|calling|describing)\b"
)
ACCORDING = re.compile(rf"\b(?P<cue>[Aa]ccording to)\s+(?P<who>{_DESC}|{_ROLE_BEFORE}{_NAMERUN})")
_TAIL_LEAD = r"[\s,;:\u2014\u2013-]*(?:(?:as|while)\s+)?"
TAILS = (re.compile(_TAIL_LEAD + SUBJ_CUE.pattern), re.compile(_TAIL_LEAD + CUE_SUBJ.pattern))
_WHO_ANY = re.compile(_WHO)
_THAT_RE = re.compile(r"\bthat\b")
# A lowercase verb right after a name: "has", "endorsed", "tangled" (not "of", "and").
_VERB_NEXT = re.compile(r"\s+(?:has|had|is|was|will|would|[a-z]+ed|[a-z]+s)\b")
# “…,” one official said / a spokeswoman said: an unnamed speaker after the quote.
_GENERIC_TAIL = re.compile(
    rf"{_TAIL_LEAD}(?P<who>(?:a|an|one|another|some|several|many|two|three|other)\s+"
    rf"(?:[\w\u2019'-]+\s+){{0,4}}?)(?P<cue>{CUES})\b"
)
_NAME_COLON = re.compile(rf"(?P<who>{_NAMERUN}){_PARTY}:\s*$")
# A sentence opening on a prepositional or participial phrase up to its comma: its names
# are not the subject ("After meeting Putin, Obama said ...").
_OPENING_PHRASE = re.compile(
    r"[\s\u201c\"]*(?:(?:In|At|On|After|Before|During|With|Without|Despite|Following|Like|"
    r"Unlike|Asked|Speaking|Preceded|Joined|Flanked|Introduced|Standing|Responding|Addressing|"
    r"Meeting|For|From|Since|Under|Over|Among|Alongside|Beside|Behind)\b)[^,\n]{0,120},"
)
_SUBORDINATE_RE = re.compile(
    r"\b(?:when|after|before|while|because|since|if|until|as|although|though)\s+$", re.I
)
# "Trump’s statement about “…”": the words are the possessor's.
_POSS_SPEECH = re.compile(
    rf"(?P<who>{_NAMERUN})[\u2019']s\s+(?:[a-z]+\s+){{0,2}}(?P<cue>statement|claim|remark|"
    r"comment|words|assertion|promise|pledge|description|warning|vow|tweet|post|message|"
    r"speech|line|phrase|slogan|quip|boast|question|answer|reply|response)s?"
    r"(?:\s+(?:about|that|of|on|calling|describing))?[\s,:]*$"
)
# A name directly before a participle: "footage of Trump saying".
_NAME_BEFORE = re.compile(rf"(?P<who>{_NAMERUN})[ \u00a0]+$")
# A person named in an appositive right after a place: ", Marc H. Morial, the ...".
_APPOS_NAME = re.compile(rf"{_PARTY},\s(?P<who>{_NAMERUN})(?=,)")
# A transcript line inside quote marks opens on its speaker's name in capitals.
_LABEL = re.compile(r"(?P<who>[A-Z][A-Z'\u2019.\-]+(?: [A-Z][A-Z'\u2019.\-]+){0,2}):\s")
# A dash sign-off after a quote, ending its paragraph (“…” ― Karen Bobadilla) or standing
# as the paragraph after it ("- Bernie Sanders.").
_SIGN_OFF = re.compile(
    rf"[\s,.]*(?P<cue>[\u2015\u2014\u2013]|--?)\s*(?P<who>{_NAMERUN}){_PARTY}[\s.,]*$"
)
_POSSESSIVE_WORD = re.compile(r"[\u2019']s$")
_WORD = re.compile(r"\w+(?:[\u2019'\-]\w+)*")
_ABBREV = frozenset(
    "Mr Mrs Ms Dr St Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Gen Sen Rep Gov Lt Col Capt Prof No vs Inc Ltd Co Jr Sr Mt".split()
)
_SENT_END = re.compile(r"[.!?\u2026][\u201d\"\u2019')\]]*\s+(?=[\u201c\"\u2018'(\[]?[A-Z0-9])")


@dataclass
class _Mention:
    start: int
    end: int
    name: str  # cleaned name ("Yuri Ushakov", "Kremlin")
    role: str | None
    kind: str  # "person", "org" or "other"


@dataclass
class _Speaker:
    name: str | None
    role: str | None
    cue: str | None
    explicit: bool = True  # False for guesses (sentence subject, neighbouring quote)


_LEADING_SPACE = re.compile(r"\s*")
_LAST_WORD = re.compile(r"([\w-]+)\s+$")


def _left_role(text: str, start: int, lo: int) -> str | None:
    """A role phrase written just before a name: "Putin’s policy aide", "U.S. special envoy"."""
    last = _LAST_WORD.search(text, max(lo, start - 30), start)
    if not last or last.group(1).lower() not in ROLE_NOUNS:
        return None  # the common case, decided without splitting a window
    words = text[max(lo, start - 80) : start].split()
    k = len(words) - 1
    while k > 0 and words[k - 1].lower() in ROLE_MODIFIERS:
        k -= 1
    prev = words[k - 1] if k > 0 else ""
    if (
        prev[:1].isupper()
        and strip_possessive(prev) not in STOPWORDS - PLACE_ACRONYMS
        and not prev.endswith(",")
    ):
        k -= 1
    return " ".join(words[k:])


# Endings of nationality and party words ("Americans", "Chinese", "Islamic", "Democrats").
_GROUP_ENDINGS = ("ans", "ese", "ish", "ic", "ics", "ats", "ists")


def _could_be_surname(word: str) -> bool:
    """A lone capitalised word that may be a person's surname: not a place, a people, a
    party, an acronym or a word that opens sentences."""
    return not (
        word in STOPWORDS
        or word in PLACES
        or word in PLACE_NAMES
        or word in DEMONYMS
        or word in NATIONALITIES
        or is_acronym(word)
        or word.lower().endswith(_GROUP_ENDINGS)
    )


_MALE_RE = re.compile(r"\b(?:he|him|his|himself)\b", re.I)
_FEMALE_RE = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_MALE_WORDS_RE = re.compile(
    r"\b(?:Mr\.?|[Cc]hairman|[Cc]ongressman|[Ss]pokesman|husband|father|son|brother|"
    r"[Kk]ing|[Pp]rince|widower|businessman|boyfriend)\s*$|^(?:Mr\.?)\b"
)
_FEMALE_WORDS_RE = re.compile(
    r"\b(?:Mrs\.?|Ms\.?|Miss|[Cc]hairwoman|[Cc]ongresswoman|[Ss]pokeswoman|wife|mother|"
    r"daughter|sister|[Qq]ueen|[Pp]rincess|widow|businesswoman|girlfriend|actress)\s*$"
)


def _gender_words(text: str) -> Counter[str]:
    """A title or role right before a name: "Mrs." -> f, "congressman" -> m."""
    tail = text[-40:]
    found: Counter[str] = Counter()
    if _MALE_WORDS_RE.search(tail):
        found["m"] += 2
    if _FEMALE_WORDS_RE.search(tail):
        found["f"] += 2
    return found


def _pronoun_genders(text: str) -> Counter[str]:
    return Counter(m=len(_MALE_RE.findall(text)), f=len(_FEMALE_RE.findall(text)))


# The entity recogniser's kinds as the attributor uses them: places speak no words.
_MENTION_KINDS = {"person": "person", "organisation": "org"}

# --- the article -----------------------------------------------------------------------

WINDOW = 600  # how far (characters) attribution looks around a quote; keeps work linear


@dataclass
class _Quote:
    open: int  # position of the opening mark
    close: int  # position of the closing mark, or paragraph end for an unclosed part
    start: int
    end: int
    para: int
    depth: int
    continues: bool = False  # multi-paragraph: carries on into the next paragraph
    group: int = -1
    speaker: _Speaker | None = None


class _Article:
    """Paragraphs, quote pairs, a masked copy of the text and the names it mentions."""

    def __init__(
        self, text: str, paras: list[tuple[int, int]], surnames: set[str] | None = None
    ) -> None:
        # ``surnames`` holds skeletons (people.skeleton) of surnames known from full names.
        self.text = text
        self.paras = paras
        self.quotes: list[_Quote] = []
        for p, (lo, hi) in enumerate(paras):
            self.quotes.extend(self._pair_paragraph(p, lo, hi))
        self._link_paragraphs()
        # Titles of shows, books and laws and nicknames inside a name are in quote marks
        # but nobody says them: they stay masked (no speaker is found inside) but are no quote.
        titles = [q for q in self.quotes if q.depth == 0 and _is_title(text, q)]
        self.quotes = [q for q in self.quotes if q not in titles]
        self.quote_at = {q.open: q for q in self.quotes}
        self.interiors = sorted(
            (q.open + 1, q.close) for q in (*self.quotes, *titles) if q.depth == 0
        )
        self.masked = self._mask()
        self.surnames: set[str] = set(surnames or ())
        self.mentions = self._collect_mentions()
        self.mention_starts = [m.start for m in self.mentions]
        # Per kind, so "the last person named" is a bisect, not a scan over every capital.
        self.by_kind: dict[str, tuple[list[_Mention], list[int]]] = {}
        for kind in ("person", "org"):
            found = [m for m in self.mentions if m.kind == kind]
            self.by_kind[kind] = (found, [m.start for m in found])
        # Roles by name and by surname, so "Ushakov said" gets the role given with "Yuri Ushakov".
        self.roles: dict[str, str] = {}
        for m in self.mentions:
            if m.kind == "person" and m.role:
                self.roles.setdefault(m.name, m.role)
                self.roles.setdefault(skeleton(m.name.split()[-1]), m.role)
        self.para_starts = [lo for lo, _ in paras]
        self.bounds = [self._sentence_bounds(lo, hi) for lo, hi in paras]
        self.genders = self._learn_genders()

    # genders, learned from the article itself

    def _learn_genders(self) -> dict[str, Counter[str]]:
        """How the article refers to each person: "he"/"his" or "she"/"her" in the rest of
        a sentence naming that person alone, or in the next sentence when it names nobody;
        and Mr./Mrs./Ms. and gendered role words ("congresswoman", "widow")."""
        votes: dict[str, Counter[str]] = {}
        for p, (_, hi) in enumerate(self.paras):
            bounds = [*self.bounds[p], hi]
            for a, b, c in zip(bounds, bounds[1:], [*bounds[2:], hi], strict=False):
                people = [m for m in self.mentions_between(a, b) if m.kind == "person"]
                if len({m.name for m in people}) != 1:
                    continue
                person = people[0]
                key = skeleton(person.name.split()[-1])
                tally = votes.setdefault(key, Counter())
                tally.update(_gender_words(self.text[a : person.start]))  # "Mrs. Clinton"
                tally.update(_gender_words(person.role or ""))
                rest = self.masked[person.end : b]
                if not [m for m in self.mentions_between(b, c) if m.kind == "person"]:
                    rest += " " + self.masked[b:c]
                tally.update(_pronoun_genders(rest))
        return votes

    def gender_of(self, name: str) -> str | None:
        """ "m", "f" or None when the article does not tell."""
        tally = self.genders.get(skeleton(name.split()[-1])) if name else None
        if not tally or tally["m"] == tally["f"]:
            return None
        return "m" if tally["m"] > tally["f"] else "f"

    # pairing

    def _pair_paragraph(self, p: int, lo: int, hi: int) -> list[_Quote]:
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

    def _quote(self, open_: int, close: int, para: int, depth: int) -> _Quote:
        start, end = open_ + 1, close
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return _Quote(open_, close, start, end, para, depth)

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
        keep: list[_Quote] = []
        dropped: list[_Quote] = []
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

    # mentions

    def _collect_mentions(self) -> list[_Mention]:
        """Every name outside quotes, as the entity recogniser reads it (one recogniser for
        entities and quotes): people, organisations, and places and unresolved names as
        "other"; a lone name becomes a person once the article gives its surname."""
        mentions = [
            self._named(kind, s, e, title, lo, hi)
            for lo, hi in self.paras
            for kind, s, e, title in recognise_names(self.masked, lo, hi)
        ]
        for m in mentions:
            # A full name, or a titled one ("President Obama", "Sen. Reid"), tells the
            # surname that later stands alone ("Obama said").
            if m.kind == "person" and (" " in m.name or (m.role and _could_be_surname(m.name))):
                self.surnames.add(skeleton(m.name.rsplit(" ", 1)[-1]))
        for m in mentions:
            if (
                m.kind == "other"
                and m.name
                and " " not in m.name
                and skeleton(m.name) in self.surnames
                and _could_be_surname(m.name)
            ):
                m.kind = "person"
        return mentions

    def _named(self, kind: str, s: int, e: int, title: str | None, lo: int, hi: int) -> _Mention:
        """A mention from the entity recogniser's (kind, span, title), with its role."""
        text = self.masked
        name = text[s:e]
        role = title if kind == "person" else None
        role = role or _left_role(text, s, lo)
        appos = _APPOSITIVE.match(text, e, min(hi, e + 120))
        if appos and not role:
            role = appos.group(1).strip()
        return _Mention(s, e, name, role, _MENTION_KINDS.get(kind, "other"))

    def owner_of(self, noun: str, before: int) -> _Mention | None:
        """The organisation whose ``noun`` ("report") it is: the latest named near that word."""
        near = re.compile(rf"\b{re.escape(noun)}s?\b", re.I)
        orgs = self.recent(before, "org")
        for i, m in enumerate(orgs):
            if near.search(self.masked, max(0, m.start - 40), m.end + 80):
                # "Institute for the Study of War (ISW)": prefer the spelled-out name.
                spelled = orgs[i + 1] if i + 1 < len(orgs) else None
                if (
                    is_acronym(m.name)
                    and spelled
                    and self.masked[spelled.end : m.start].strip() == "("
                ):
                    return spelled
                return m
        return orgs[0] if orgs else None

    def _sentence_bounds(self, lo: int, hi: int) -> list[int]:
        """Sentence start offsets within a paragraph, ignoring stops inside quotes and after abbreviations."""
        starts = [lo]
        for m in _SENT_END.finditer(self.text, lo, hi):
            if self.inside_quote(m.end() - 1):
                continue
            word = self.text[max(lo, m.start() - 12) : m.start()].split()
            last = word[-1] if word else ""
            if last in _ABBREV or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", last):
                continue
            starts.append(m.end())
        return starts

    def sentence(self, q: _Quote) -> tuple[int, int]:
        """(start, end) of the sentence holding the quote, within its paragraph."""
        hi = self.paras[q.para][1]
        bounds = self.bounds[q.para]
        i = bisect.bisect_right(bounds, q.open) - 1
        j = bisect.bisect_right(bounds, q.close)
        return bounds[max(i, 0)], bounds[j] if j < len(bounds) else hi

    def previous_sentence(self, para: int, start: int) -> tuple[int, int] | None:
        bounds = self.bounds[para]
        i = bisect.bisect_left(bounds, start)
        return (bounds[i - 1], start) if i > 0 else None

    def sentences_back(self, pos: int, limit: int = 8) -> Iterator[tuple[int, int]]:
        """Sentence ranges going back from ``pos`` (the current one clipped at ``pos``)."""
        p = bisect.bisect_right(self.paras, (pos, len(self.text) + 1)) - 1
        end = pos
        while p >= 0 and limit > 0:
            bounds = self.bounds[p]
            i = bisect.bisect_right(bounds, end - 1) - 1
            while i >= 0 and limit > 0:
                yield bounds[i], end
                end, i, limit = bounds[i], i - 1, limit - 1
            p -= 1
            if p >= 0:
                end = self.paras[p][1]

    def mentions_between(self, a: int, b: int) -> list[_Mention]:
        i = bisect.bisect_left(self.mention_starts, a)
        j = bisect.bisect_left(self.mention_starts, b)
        return self.mentions[i:j]

    def first_person(self, a: int, b: int) -> _Mention | None:
        found, starts = self.by_kind["person"]
        i = bisect.bisect_left(starts, a)
        return found[i] if i < len(found) and found[i].start < b else None

    def recent(self, before: int, kind: str = "person", limit: int = 50) -> list[_Mention]:
        """Mentions of a kind before a position, nearest first (bounded, to stay linear)."""
        found, starts = self.by_kind[kind]
        i = bisect.bisect_left(starts, before)
        return found[max(0, i - limit) : i][::-1]

    def last_mention(self, before: int, kind: str = "person") -> _Mention | None:
        found = self.recent(before, kind, 1)
        return found[0] if found else None

    def article_role(self, name: str) -> str | None:
        return self.roles.get(name) or self.roles.get(skeleton(name.split()[-1])) if name else None

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.para_starts, pos) - 1
        return self.paras[max(i, 0)]


# --- titles and nicknames in quote marks ------------------------------------------------------

_TITLE_MAX_WORDS = 8
# Words that announce a title: "the documentary “13th”", "CNN's “State of the Union”",
# "a column headlined “...”", "on “Face the Nation”".
_TITLE_CUE_RE = re.compile(
    r"(?:[\u2019']s|\b(?:on|show|program|programme|documentary|film|movie|book|memoir|"
    r"novel|series|episode|broadcast|ad|advert|spot|song|album|play|article|column|"
    r"commentary|op-ed|editorial|essay|headline|titled|entitled|headlined|act|law|bill|"
    r"doctrine|forum|hashtag))[\s,]*$",
    re.I,
)
_CAPWORD_RE = re.compile(r"[\w\u2019'\-]+")
_MINOR = frozenset("a an and at by for from in of on or the to with vs v. de la".split())


def _is_title(text: str, q: _Quote) -> bool:
    """A quoted name of a work, show, law or day, or a nickname inside a person's name.

    Titles are capitalised word by word and announced by what precedes them (a possessive,
    "on", "the documentary"); a nickname is one quoted word between parts of a name
    (Robert C. "Bobby" Scott). Quoted speech is neither."""
    inner = text[q.start : q.end]
    words = _CAPWORD_RE.findall(inner)
    if not words or len(words) > _TITLE_MAX_WORDS or inner.rstrip()[-1:] in "!?":
        return False
    capitalised = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _MINOR for w in words)
    if not capitalised:
        return False
    before = text[max(0, q.open - 40) : q.open]
    after = text[q.close + 1 : q.close + 3]
    if len(words) == 1 and re.search(r"[A-Z][\w.]*\s+$", before) and re.match(r"\s+[A-Z]", after):
        return True  # Rep. Robert C. "Bobby" Scott
    return bool(_TITLE_CUE_RE.search(before))


# --- attribution -------------------------------------------------------------------------


class _Who:
    """A bare WHO match made to look like a cue match with a ``who`` group."""

    def __init__(self, m: re.Match[str], group: int | str = 0) -> None:
        self._m = m
        self._group = group

    def group(self, name: str) -> str:
        return self._m.group(self._group)

    def span(self, name: str) -> tuple[int, int]:
        return self._m.span(self._group)


class _Attributor:
    """Resolves who said each quote of an article."""

    def __init__(self, art: _Article) -> None:
        self.art = art
        self.last_speaker: _Mention | None = None

    def who(self, match: re.Match[str] | _Who, sent_start: int, cue: str) -> _Speaker | None:
        """Resolve the ``who`` group of a cue match to a speaker."""
        who = match.group("who")
        s, e = match.span("who")
        if re.fullmatch(_PRON, who):
            return self._pronoun(who.lower(), s, sent_start, cue)
        if re.fullmatch(_DESC, who):
            return self._description(who, s, cue)
        mention = self._mention_at(s, e)
        if mention.kind == "other" and isinstance(match, re.Match):
            # "in Washington, Marc H. Morial, the chief executive ..., told": the speaker is
            # the person the appositive names, not the place before it.
            appositive = _APPOS_NAME.match(self.art.masked, e)
            if appositive:
                named = self._mention_at(*appositive.span("who"))
                if named.kind == "person":
                    mention = named
        if mention.name in STOPWORDS and mention.name.endswith("s"):
            return _Speaker(None, mention.name.lower(), cue)  # "Critics said": unnamed, said
        if not mention.name or mention.name in STOPWORDS:
            return None
        role = None
        if mention.kind == "person":
            self.last_speaker = mention
            role = mention.role or self.art.article_role(mention.name)
        return _Speaker(mention.name, role, cue)

    def _mention_at(self, s: int, e: int) -> _Mention:
        """The name the recogniser found inside a speaker slot text[s:e]: its first person
        ("Cameron Easley for Morning Consult"), else its organisation, else whatever it
        found; a slot with none is a bare word of kind "other"."""
        art = self.art
        inside = art.mentions_between(s, e)
        inside = [m for m in inside if m.end <= e] or inside
        for kind in ("person", "org"):
            found = [m for m in inside if m.kind == kind]
            if found:
                return self._with_slot_role(found[0], s, e)
        if inside:
            return inside[0]
        name, role = split_role(art.masked[s:e])
        return _Mention(s, e, name, role, "other")

    def _with_slot_role(self, mention: _Mention, s: int, e: int) -> _Mention:
        """The mention, with the role the whole slot gives it when that says more:
        "said union leader Jane Moss" -> union leader (not just "leader")."""
        name, role = split_role(self.art.masked[s:e])
        if name == mention.name and role and len(role) > len(mention.role or ""):
            return _Mention(mention.start, mention.end, mention.name, role, mention.kind)
        return mention

    def _pronoun(self, pron: str, pos: int, sent_start: int, cue: str) -> _Speaker | None:
        """he/she: the subject earlier in the same sentence, else the last person named."""
        art = self.art
        if pron in ("it", "they"):
            org = art.last_mention(pos, "org") if pron == "it" else None
            return _Speaker(org.name, None, cue) if org else None
        person = self._antecedent(pos, "f" if pron == "she" else "m")
        if person is None:
            return None
        return _Speaker(person.name, person.role or art.article_role(person.name), cue)

    def _antecedent(self, pos: int, gender: str | None = None) -> _Mention | None:
        """The person "he"/"she" at ``pos`` refers to.

        Going back sentence by sentence: the speaker of a saying verb in that sentence,
        else its first person, skipping anyone the article calls by the other pronoun
        (art.gender). A sentence that itself opens on he/she/his/her continues the same
        chain, so the search goes on before it."""
        art = self.art
        for lo, hi in art.sentences_back(pos):
            hi = min(hi, lo + WINDOW)  # the subject comes early; don't scan huge run-on sentences
            opener = _HE_SHE_OPEN.match(art.masked, lo, hi)
            for person in self._sentence_people(lo, hi):
                if opener and person.start > opener.start():
                    continue
                if gender is None or art.gender_of(person.name) in (None, gender):
                    return person
        fallback = [
            m for m in art.recent(pos, "person", 8) if art.gender_of(m.name) in (None, gender)
        ]
        return fallback[0] if fallback else art.last_mention(pos)

    def _sentence_people(self, lo: int, hi: int) -> list[_Mention]:
        """People of a sentence, the one a saying verb introduces first, then the main
        clause's before those in an opening phrase ("Preceded by Joe Arpaio, Trump ...")."""
        art = self.art
        people = [m for m in art.mentions_between(lo, hi) if m.kind == "person"]
        opening = _OPENING_PHRASE.match(art.masked, lo, hi)
        if opening:
            people = [m for m in people if m.start >= opening.end()] + [
                m for m in people if m.start < opening.end()
            ]
        for pattern in (SUBJ_CUE, CUE_SUBJ):
            found = pattern.search(art.masked, lo, hi)
            if found:
                s, e = found.span("who")
                speaking = [m for m in people if s <= m.start < e]
                if speaking:
                    return speaking[:1] + [m for m in people if m is not speaking[0]]
        return people

    def _description(self, desc: str, pos: int, cue: str) -> _Speaker | None:
        """Resolve "the report" to its organisation, "the Russian presidential aide" to a person."""
        art = self.art
        words = desc.split()
        head = words[-1].lower()
        owner = next((w for w in words if w[:1].isupper() and _POSSESSIVE_WORD.search(w)), None)
        if owner and re.fullmatch(_REPORT_HEADS, head):
            return _Speaker(strip_possessive(owner), None, cue)  # "the Kremlin’s statement"
        if re.fullmatch(_REPORT_HEADS, head):
            org = art.owner_of(head, pos)
            return _Speaker(org.name, None, cue) if org else None
        if re.fullmatch(_ORG_HEADS, head):
            # "the commission": the body named before with that word, else the word itself.
            orgs = art.recent(pos, "org")
            named = next((m for m in orgs if head in m.name.lower().split()), None)
            return _Speaker(named.name if named else head.title(), None, cue)
        role_text = " ".join(words[1:])
        for m in art.recent(pos):
            if roles_compatible(head, role_head(m.role or art.article_role(m.name))):
                return _Speaker(m.name, role_text, cue)
        person = self.last_speaker or art.last_mention(pos)
        # "The mayor said": attributed even when the article names no mayor.
        return _Speaker(person.name if person else None, role_text, cue)

    def _subject(self, start: int, end: int, cue: str) -> _Speaker | None:
        """The first person, organisation, pronoun or role description in text[start:end]."""
        text = self.art.masked
        opening = _OPENING_PHRASE.match(text, start, end)
        if opening and _WHO_ANY.search(text, opening.end(), end):
            start = opening.end()  # "In Washington, Marc Morial told ...": skip "Washington"
        first_word = _LEADING_SPACE.match(text, start, end).end()  # type: ignore[union-attr]
        for m in _WHO_ANY.finditer(text, max(start, end - WINDOW), end):
            who = m.group()
            if re.fullmatch(_PRON, who) or re.fullmatch(_DESC, who):
                return self.who(_Who(m), start, cue)
            if _POSS_AFTER.match(text, m.end()) and self.art.first_person(m.end(), m.end() + 40):
                continue  # "Hillary Clinton’s campaign manager Robby Mook" is Mook
            mention = self._mention_at(m.start(), m.end())
            if mention.kind in ("person", "org"):
                return self.who(_Who(m), start, cue)
            if (
                m.start() == first_word
                and " " not in mention.name
                and _could_be_surname(mention.name)
                and _VERB_NEXT.match(text, m.end())
            ):
                # "Ayotte has tangled with Trump, saying …": a lone capitalised word opening
                # the sentence, right before its verb, is the subject even if named once.
                return self.who(_Who(m), start, cue)
        return None

    def attribute(
        self, q: _Quote, prev: _Quote | None = None, nxt: _Quote | None = None
    ) -> _Speaker | None:
        """Try the patterns in order of how reliable they are.

        ``prev``/``nxt`` are the neighbouring quotes of the same paragraph: the search stops
        at them, so every character is looked at a bounded number of times.
        """
        art, text = self.art, self.art.masked
        s_start, s_end = art.sentence(q)
        lo = max(s_start, q.open - WINDOW, prev.close + 1 if prev else 0)
        close = min(q.close + 1, s_end)
        hi = min(s_end, q.close + WINDOW, nxt.open if nxt else s_end)
        label = _LABEL.match(art.text, q.start, q.end)
        if label:  # a transcript line: “WALLACE: Let's start ...”
            return _Speaker(label.group("who").title(), None, "transcript")
        for tail_re in TAILS:
            tail = tail_re.match(text, close, hi)
            if tail:
                found = self.who(tail, s_start, tail.group("cue"))
                if found:
                    return found
        generic = _GENERIC_TAIL.match(text, close, hi)
        if generic:  # “…,” one board member said: said, by someone the article does not name
            return _Speaker(None, " ".join(generic.group("who").split()), generic.group("cue"))
        para_end = art.paras[q.para][1]
        sign = _SIGN_OFF.match(text, close, para_end)
        if sign:  # “…” ― Karen Bobadilla
            found = self.who(sign, s_start, "sign-off")
            if found:
                return found
        if close >= para_end - 2 and q.para + 1 < len(art.paras):
            lo2, hi2 = art.paras[q.para + 1]
            sign = _SIGN_OFF.match(text, lo2, hi2)  # the same sign-off, as its own paragraph
            if sign:  # “…” ¶ - Bernie Sanders.
                found = self.who(sign, lo2, "sign-off")
                if found:
                    return found
        if q.open == art.first_char(q.para) and q.para > 0:
            found = self._introduced(q.para - 1)
            if found:
                return found
        before = self._before(lo, q.open)
        after = self._after(close, hi)
        if before and after:
            return before[0] if q.open - before[1] <= after[1] - close else after[0]
        if before or after:
            return (before or after)[0]  # type: ignore[index]
        if prev and prev.open >= s_start:
            return None  # same sentence as the quote before: the caller carries its speaker over
        if text[lo : q.open].rstrip().endswith(":"):
            named = _NAME_COLON.search(text, max(lo, q.open - 120), q.open)
            if named:  # "... doesn't surprise pollster Daron Shaw: “…”"
                found = self.who(named, lo, ":")
                if found:
                    return found
            return self._subject(lo, q.open, ":")
        if prev and prev.speaker and prev.speaker.name and not self._any_cue(prev.close, q.open):
            # A second quote in the paragraph with no new attribution carries on the first.
            return _Speaker(prev.speaker.name, prev.speaker.role, prev.speaker.cue, False)
        guess = self._subject(lo, q.open, "subject")
        if guess:
            guess.explicit = False
            return guess
        return self._neighbours(q, s_start, s_end)

    def _any_cue(self, lo: int, hi: int) -> bool:
        text = self.art.masked
        return any(p.search(text, lo, hi) for p in (SUBJ_CUE, CUE_SUBJ, ACCORDING))

    def _introduced(self, para: int) -> _Speaker | None:
        """The speaker of a quote opening a paragraph, from the paragraph before when that
        ends on a colon: "The New York Times reports:", "He said:"."""
        art = self.art
        lo, hi = art.paras[para]
        body = art.masked[lo:hi].rstrip()
        if not body.endswith(":"):
            return None
        end = lo + len(body) - 1
        bounds = art.bounds[para]
        start = bounds[bisect.bisect_right(bounds, end) - 1]
        found = self._before(start, end)
        if found:
            return found[0]
        return self._subject(start, end, ":")

    def _before(self, lo: int, hi: int) -> tuple[_Speaker, int] | None:
        """A cue in the sentence before the quote: (speaker, end of the cue)."""
        text = self.art.masked
        poss = _POSS_SPEECH.search(text, max(lo, hi - 200), hi)
        outer = [m for m in SUBJ_CUE.finditer(text, lo, poss.start()) if poss] if poss else []
        if outer and _THAT_RE.search(text, outer[0].end("cue"), poss.start()):
            poss = None  # "Ryan told CNN that Ginsburg’s comments “…”": Ryan's words
        if poss:
            found = self.who(poss, lo, poss.group("cue"))
            if found:
                return found, poss.end()
        acc = max(ACCORDING.finditer(text, lo, hi), key=lambda m: m.start(), default=None)
        if acc:
            found = self.who(acc, lo, "according to")
            if found:
                return found, acc.end()
        matches = [
            m for pattern in (SUBJ_CUE, CUE_SUBJ, QUOTED_AS, PARTICIPLE)
            for m in pattern.finditer(text, lo, hi)
        ] + list(PAIR_CUE.finditer(text, lo, hi))  # fmt: skip
        if not matches:
            return None
        best = max(matches, key=lambda m: m.end("cue"))
        finite = sorted((m for m in matches if m.re is SUBJ_CUE), key=lambda m: m.start())
        if (
            finite
            and finite[0] is not best
            and _THAT_RE.search(text, finite[0].end("cue"), best.start())
        ):
            # "Trump said ... that Clinton described the pact as “…”": the words are reported
            # by the outer speaker, who is the quote's source.
            best = finite[0]
        cue = best.group("cue")
        if best.re is PARTICIPLE:
            speaker = self._participle_subject(lo, best, finite)
            return (speaker, best.end()) if speaker else None
        speaker = self.who(best, lo, cue)
        if speaker is None and best.re is SUBJ_CUE:
            # "The Russian leader, responding to ..., said that": the subject is further back.
            speaker = self._subject(lo, best.start("cue"), cue)
        return (speaker, best.end()) if speaker else None

    def _participle_subject(
        self, lo: int, participle: re.Match[str], finite: list[re.Match[str]]
    ) -> _Speaker | None:
        """Who does the saying of ", saying …", ", arguing that …": the speaker of a saying
        verb earlier in the sentence ("Mook told CBS …, calling …"), else a name right
        before it ("footage of Trump saying"), else the sentence's subject."""
        cue = participle.group("cue")
        text = self.art.masked
        earlier = [m for m in finite if m.end("cue") <= participle.start()]
        if earlier:
            found = self.who(earlier[-1], lo, cue)
            if found:
                return found
        right_before = _NAME_BEFORE.search(
            text, max(lo, participle.start() - 80), participle.start()
        )
        if right_before:
            mention = self._mention_at(*right_before.span("who"))
            if mention.kind == "person" or (
                mention.kind == "other"
                and " " not in mention.name
                and _could_be_surname(mention.name)
            ):
                return self.who(_Who(right_before, "who"), lo, cue)
        return self._subject(lo, participle.start(), cue)

    def _after(self, lo: int, hi: int) -> tuple[_Speaker, int] | None:
        """A cue later in the sentence: "…” on the issue, Putin’s aide Yuri Ushakov told reporters".

        Not one in a clause of its own ("…,” when Clinton blasted him): that says what
        happened around the words, not who said them."""
        acc = ACCORDING.search(self.art.masked, lo, hi)  # "…” at a rally, according to X."
        if acc:
            speaker = self.who(acc, lo, "according to")
            if speaker:
                return speaker, acc.start()
        found = [
            *SUBJ_CUE.finditer(self.art.masked, lo, hi),
            *CUE_SUBJ.finditer(self.art.masked, lo, hi),
        ]
        for m in sorted(found, key=lambda m: m.start()):
            if _SUBORDINATE_RE.search(self.art.masked, max(lo, m.start() - 12), m.start()):
                continue
            speaker = self.who(m, lo, m.group("cue"))
            if speaker:
                return speaker, m.start()
        return None

    def _neighbours(self, q: _Quote, s_start: int, s_end: int) -> _Speaker | None:
        """The previous sentence's cue ("Ushakov said so. “…”"), else the next sentence's."""
        art = self.art
        prev = art.previous_sentence(q.para, s_start)
        if prev:
            found = self._before(max(prev[0], prev[1] - WINDOW), prev[1])
            if found:
                found[0].explicit = False
                return found[0]
        if s_end < art.paras[q.para][1]:
            nxt = SUBJ_CUE.match(art.masked, s_end, min(s_end + 200, art.paras[q.para][1]))
            speaker = self.who(nxt, s_end, nxt.group("cue")) if nxt else None
            if speaker:
                speaker.explicit = False
            return speaker
        return None


def _attribute_all(art: _Article, nested: bool) -> None:
    """Attribute quotes in order; unattributed ones inherit from the quote just before."""
    attributor = _Attributor(art)
    top = [q for q in art.quotes if q.depth == 0]
    prev: _Quote | None = None
    for i, q in enumerate(top):
        before = prev if prev is not None and prev.para == q.para else None
        after = top[i + 1] if i + 1 < len(top) and top[i + 1].para == q.para else None
        q.speaker = attributor.attribute(q, before, after)
        if prev is not None and prev.speaker and prev.speaker.name:
            if _is_split(art.masked[prev.close + 1 : q.open], prev, q):
                q.group = prev.group  # “…,” he said, “…”
            if q.group == prev.group or (q.speaker is None and _adjacent(art, prev, q)):
                q.speaker = _Speaker(prev.speaker.name, prev.speaker.role, prev.speaker.cue, False)
        prev = q
    for q, nxt in zip(top, top[1:], strict=False):
        # “…” and “…,” said X: the attribution after the second covers the first too.
        if q.speaker is None and nxt.speaker and art.sentence(q)[0] == art.sentence(nxt)[0]:
            q.speaker = _Speaker(nxt.speaker.name, nxt.speaker.role, nxt.speaker.cue, False)
    _share_group_speakers(art)
    if nested:
        _attribute_nested(art)


def _is_split(gap: str, prev: _Quote, q: _Quote) -> bool:
    """The gap between two quotes is only an attribution ending in a comma or colon."""
    if prev.para != q.para or len(gap) > 120 or gap.rstrip()[-1:] not in {",", ":"}:
        return False
    return any(t.match(gap) and not gap[t.match(gap).end() :].strip(" ,:") for t in TAILS)  # type: ignore[union-attr]


def _adjacent(art: _Article, prev: _Quote, q: _Quote) -> bool:
    """Nothing but the previous speaker's attribution stands between the two quotes."""
    if prev.para == q.para and art.sentence(prev)[0] == art.sentence(q)[0]:
        return True
    if q.para - prev.para > 2 or q.open - prev.close > 600:
        return False
    # Only another person stands between a speaker and their next words: "told CNN" does not.
    names = [m for m in art.mentions_between(prev.close, q.open) if m.kind == "person"]
    return all(prev.speaker is not None and m.name == prev.speaker.name for m in names)


def _share_group_speakers(art: _Article) -> None:
    """Parts of one utterance share the most explicit attribution any part has."""
    groups: dict[int, list[_Quote]] = {}
    for q in art.quotes:
        if q.depth == 0:
            groups.setdefault(q.group, []).append(q)
    for parts in groups.values():
        found = [p.speaker for p in parts if p.speaker and p.speaker.explicit]
        found = found or [p.speaker for p in parts if p.speaker]
        if len(parts) > 1 and found:
            for p in parts:
                p.speaker = found[0]


def _attribute_nested(art: _Article) -> None:
    """A quote inside a quote is attributed within the outer quote's words only."""
    outers = [q for q in art.quotes if q.depth == 0]
    starts = [q.open for q in outers]
    inner_articles: dict[int, _Article] = {}
    for q in art.quotes:
        if q.depth == 0:
            continue
        i = bisect.bisect_right(starts, q.open) - 1
        if i < 0 or outers[i].close < q.close:
            continue
        outer = outers[i]
        base = outer.start
        if base not in inner_articles:
            # The outer quote's words as an article of their own (offsets shifted by ``base``).
            inner_articles[base] = _Article(
                art.text[base : outer.end], [(0, outer.end - base)], art.surnames
            )
        inner = inner_articles[base]
        twins = inner.quote_at.get(q.open - base)
        twin = twins or _Quote(q.open - base, q.close - base, q.start - base, q.end - base, 0, 0)
        q.speaker = _Attributor(inner).attribute(twin)


# --- public API ------------------------------------------------------------------------------


def _paragraphs(text: str, blocks: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """The blocks given, else the text's non-blank lines."""
    if blocks is not None:
        return [
            (max(0, a), min(len(text), b))
            for a, b in sorted(blocks)
            if min(len(text), b) > max(0, a)
        ]
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def find_names(
    text: str, blocks: list[tuple[int, int]] | None = None
) -> list[tuple[str, str | None]]:
    """People and organisations named outside quotes, as (name, role), to feed a SpeakerIndex."""
    art = _Article(text, _paragraphs(text, blocks))
    return [(m.name, m.role) for m in art.mentions if m.kind in ("person", "org")]


def word_count(s: str) -> int:
    """Words in a quote, ignoring punctuation ("useful,constructive" is two words)."""
    return len(_WORD.findall(s))


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
    art = _Article(text, _paragraphs(text, blocks))
    _attribute_all(art, include_nested)
    out = []
    for q in art.quotes:
        scare = word_count(text[q.start : q.end]) < 3
        if (scare and not include_scare) or (q.depth > 0 and not include_nested):
            continue
        if scare and q.speaker is None:
            # One or two words nobody is found to have said are scare quotes or a term
            # ("so-called “reset”"), not a quotation.
            continue
        sp = q.speaker or _Speaker(None, None, None)
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
