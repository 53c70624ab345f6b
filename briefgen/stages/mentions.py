"""Name mentions: every person, organisation and place an article names outside quotes.

The names come from the one name recogniser (``entities.find_names``); this module gives
each its role ("Putin’s policy aide", ", a senior adviser to ...,"), turns a lone surname
into a person once the article has named that person in full, learns from the article
whether it calls each person "he" or "she", and finds sentences. :class:`Article` is all
of that for one article, built once and read by both the quote attributor and
``quotes.find_names``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

from briefgen import lang
from briefgen.stages.entities import find_names as recognise_names
from briefgen.stages.people import first_names_compatible, is_acronym, skeleton, strip_possessive
from briefgen.stages.quotemarks import PairedText, Quote

# The active language's word lists (briefgen/lang/en.py for English).
W = lang.words


def _patterns(L: ModuleType) -> dict[str, object]:
    """This module's patterns for one language module."""
    return {
        "APPOSITIVE": re.compile(
            rf",\s+{L.APPOSITIVE_ARTICLE}\s+([^,.;:\u201c\u201d\"]{{3,100}}?),"
        ),
        "MALE_RE": re.compile(L.MALE_PRONOUNS, re.I),
        "FEMALE_RE": re.compile(L.FEMALE_PRONOUNS, re.I),
        "MALE_WORDS_RE": re.compile(L.MALE_WORDS),
        "FEMALE_WORDS_RE": re.compile(L.FEMALE_WORDS),
    }


_P = lang.bound(_patterns)
_SENT_END = re.compile(r"[.!?\u2026][\u201d\"\u2019')\]]*\s+(?=[\u201c\"\u2018'(\[]?[A-Z0-9])")


@dataclass
class Mention:
    start: int
    end: int
    name: str  # cleaned name ("Yuri Ushakov", "Kremlin")
    role: str | None
    kind: str  # "person", "org" or "other"


_LAST_WORD = re.compile(r"([\w-]+)\s+$")


def left_role(text: str, start: int, lo: int) -> str | None:
    """A role phrase written just before a name: "Putin’s policy aide", "U.S. special envoy"."""
    last = _LAST_WORD.search(text, max(lo, start - 30), start)
    if not last or last.group(1).lower() not in W.ROLE_NOUNS:
        return None  # the common case, decided without splitting a window
    words = text[max(lo, start - 80) : start].split()
    k = len(words) - 1
    while k > 0 and words[k - 1].lower() in W.ROLE_MODIFIERS:
        k -= 1
    # The body or country the role belongs to: "Putin's", "White House" (a few capitals).
    first = k
    while k > 0 and first - k < 3:
        prev = words[k - 1]
        if not (
            prev[:1].isupper()
            and strip_possessive(prev) not in W.NAME_STOPWORDS - W.PLACE_ACRONYMS
            and not prev.endswith((",", ";", ":"))
        ) or (k < first and words[k].endswith(("'s", "’s"))):
            break
        k -= 1
    # A post no longer held: "former FBI director", "ex-White House aide".
    while k > 0 and words[k - 1].lower() in _FORMER.words:
        k -= 1
    return " ".join(words[k:])


def _left_role_of(name: str, text: str, start: int, lo: int) -> str | None:
    """``left_role`` of a mention, unless an article opens a lower-case role before a
    lone name: "The federal judge Trump was referring to" is a noun with a relative
    clause, no judge Trump ("London mayor Khan" and "the Labour MP David Lammy" keep
    theirs)."""
    role = left_role(text, start, lo)
    if role and " " not in name and role.split()[-1].islower():
        before = text[max(lo, start - len(role) - 12) : start].rstrip()[: -len(role)].split()
        if before and before[-1].lower() in W.ARTICLES:
            return None
    return role


def _describes_several(role: str) -> bool:
    """An appositive about a list the name ends: "Fiorina and Carson, the two other
    political outsiders," (a number above one opens it)."""
    words = role.split()
    return bool(words) and W.WORD_NUMBERS.get(words[0].lower(), 1) > 1


_FORMER = lang.bound(lambda L: {"words": {f.format("").strip() for f in L.FORMER_ROLE}})


def could_be_surname(word: str) -> bool:
    """A lone capitalised word that may be a person's surname: not a place, a people, a
    party, an acronym or a word that opens sentences."""
    return not (
        word in W.NAME_STOPWORDS
        or word in W.PLACES
        or word in W.PLACE_NAMES
        or word in W.DEMONYMS
        or word in W.NATIONALITIES
        or is_acronym(word)
        or word.lower().endswith(W.GROUP_ENDINGS)
    )


def _gender_words(text: str) -> Counter[str]:
    """A title or role right before a name: "Mrs." -> f, "congressman" -> m."""
    tail = text[-40:]
    found: Counter[str] = Counter()
    if _P.MALE_WORDS_RE.search(tail):
        found["m"] += 2
    if _P.FEMALE_WORDS_RE.search(tail):
        found["f"] += 2
    return found


def _pronoun_genders(text: str) -> Counter[str]:
    return Counter(m=len(_P.MALE_RE.findall(text)), f=len(_P.FEMALE_RE.findall(text)))


# The entity recogniser's kinds as the attributor uses them: places speak no words.
_MENTION_KINDS = {"person": "person", "organisation": "org"}


class Article(PairedText):
    """An article's paragraphs, quote pairs, masked text, the names it mentions outside
    quotes (with roles and kinds), its sentences and the genders it gives people."""

    def __init__(
        self, text: str, paras: list[tuple[int, int]], surnames: set[str] | None = None
    ) -> None:
        # ``surnames`` holds skeletons (people.skeleton) of surnames known from full names.
        super().__init__(text, paras)
        self.surnames: set[str] = set(surnames or ())
        self.mentions = self._collect_mentions()
        self.mention_starts = [m.start for m in self.mentions]
        # Per kind, so "the last person named" is a bisect, not a scan over every capital.
        self.by_kind: dict[str, tuple[list[Mention], list[int]]] = {}
        for kind in ("person", "org"):
            found = [m for m in self.mentions if m.kind == kind]
            self.by_kind[kind] = (found, [m.start for m in found])
        # Roles by name and by surname, so "Ushakov said" gets the role given with "Yuri Ushakov".
        self.roles: dict[str, str] = {}
        # By surname: the first name the role came with (None for "President Obama").
        self.surname_roles: dict[str, tuple[str | None, str]] = {}
        owners = self._surname_owners()
        for m in self.mentions:
            if m.kind == "person" and m.role:
                self.roles.setdefault(m.name, m.role)
                words = m.name.split()
                first = words[0] if len(words) > 1 else None
                surname = skeleton(words[-1])
                owner = owners.get(surname)
                if first and owner and not first_names_compatible(owner, first):
                    continue  # "his daughter Ivanka Trump" after "Donald Trump"
                self.surname_roles.setdefault(surname, (first, m.role))
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

    # mentions

    def _collect_mentions(self) -> list[Mention]:
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
            if m.kind == "person" and (" " in m.name or (m.role and could_be_surname(m.name))):
                self.surnames.add(skeleton(m.name.rsplit(" ", 1)[-1]))
        for m in mentions:
            if (
                m.kind == "other"
                and m.name
                and " " not in m.name
                and skeleton(m.name) in self.surnames
                and could_be_surname(m.name)
            ):
                m.kind = "person"
        return mentions

    def _named(self, kind: str, s: int, e: int, title: str | None, lo: int, hi: int) -> Mention:
        """A mention from the entity recogniser's (kind, span, title), with its role."""
        text = self.masked
        name = text[s:e]
        role = title if kind == "person" else None
        role = role or _left_role_of(name, text, s, lo)
        appos = _P.APPOSITIVE.match(text, e, min(hi, e + 120))
        if appos and not role and not _describes_several(appos.group(1)):
            role = appos.group(1).strip()
        if not role and kind == "person" and text[s - 2 : s] == ", " and text[e : e + 1] == ",":
            # "Britain's foreign secretary, Boris Johnson, said": the role set off before it.
            window = text[max(lo, s - 82) : s - 2] + " "
            role = left_role(window, len(window), 0)
        return Mention(s, e, name, role, _MENTION_KINDS.get(kind, "other"))

    def owner_of(self, noun: str, before: int) -> Mention | None:
        """The organisation whose ``noun`` ("report") it is: the latest named near that word,
        or the person named right after it when its name is that person's title."""
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
                return self._titled_person(m) or m
        return None  # no body named near the word: not the last one named anywhere

    def _titled_person(self, body: Mention) -> Mention | None:
        """The person a body's name is the title of: "a statement from House Judiciary
        Chairman Bob Goodlatte" is Goodlatte's, not the committee's."""
        i = bisect.bisect_right(self.mention_starts, body.start)
        person = self.mentions[i] if i < len(self.mentions) else None
        if (
            person is not None
            and person.kind == "person"
            and person.start - body.end < 40
            and person.role
            and body.name in person.role
        ):
            return person
        return None

    def _sentence_bounds(self, lo: int, hi: int) -> list[int]:
        """Sentence start offsets within a paragraph, ignoring stops inside quotes and after abbreviations."""
        starts = [lo]
        for m in _SENT_END.finditer(self.text, lo, hi):
            if self.inside_quote(m.end() - 1):
                continue
            word = self.text[max(lo, m.start() - 12) : m.start()].split()
            last = word[-1] if word else ""
            if last in W.SENTENCE_ABBREVIATIONS or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", last):
                continue
            starts.append(m.end())
        return starts

    def sentence(self, q: Quote) -> tuple[int, int]:
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

    def mentions_between(self, a: int, b: int) -> list[Mention]:
        i = bisect.bisect_left(self.mention_starts, a)
        j = bisect.bisect_left(self.mention_starts, b)
        return self.mentions[i:j]

    def first_person(self, a: int, b: int) -> Mention | None:
        found, starts = self.by_kind["person"]
        i = bisect.bisect_left(starts, a)
        return found[i] if i < len(found) and found[i].start < b else None

    def recent(self, before: int, kind: str = "person", limit: int = 50) -> list[Mention]:
        """Mentions of a kind before a position, nearest first (bounded, to stay linear)."""
        found, starts = self.by_kind[kind]
        i = bisect.bisect_left(starts, before)
        return found[max(0, i - limit) : i][::-1]

    def last_mention(self, before: int, kind: str = "person") -> Mention | None:
        found = self.recent(before, kind, 1)
        return found[0] if found else None

    def article_role(self, name: str) -> str | None:
        """The role the article gives this name: its own, else the one given with its
        surname. A full name takes a surname's role only from the same first name: in
        "President Trump and Melania Trump", "Melania Trump" is not the president."""
        if not name:
            return None
        if role := self.roles.get(name):
            return role
        words = name.split()
        found = self.surname_roles.get(skeleton(words[-1]))
        if found is None:
            return None
        first, role = found
        if len(words) == 1 or (first and first_names_compatible(first, words[0])):
            return role
        return None

    def _surname_owners(self) -> dict[str, str]:
        """The first name of the first person the article names in full, by surname: a
        lone surname later on is that person ("Murphy" after "Sen. Chris Murphy", even
        when "Anne Marie Murphy" comes later)."""
        owners: dict[str, str] = {}
        for m in self.mentions:
            words = m.name.split()
            if m.kind == "person" and len(words) > 1:
                owners.setdefault(skeleton(words[-1]), words[0])
        return owners

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.para_starts, pos) - 1
        return self.paras[max(i, 0)]
