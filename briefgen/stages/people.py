"""Speaker names: split titles/roles from names and normalise names across sources.

Rules only (no model): a name is a run of capitalised words; titles and role words in
front of it ("Russian President", "Putin aide") become its role; surnames are compared
on a transliteration-insensitive skeleton so "Zelensky", "Zelenskyy" and "Zelenskiy"
are the same person.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from briefgen import lang

# The active language's word lists (briefgen/lang/en.py for English).
W = lang.words
# ... and the patterns built from them, once per language.
_P = lang.bound(
    lambda L: {
        "POSSESSIVE": re.compile(L.POSSESSIVE),
        "ROLE_SPLIT": re.compile(L.ROLE_SPLIT),
        "LEADING_ARTICLE": re.compile(rf"^(?:{'|'.join(sorted(L.ARTICLES))})\s+", re.I),
        # spelling rules behind skeleton() and _transliterations()
        "SPELLING_EQUIVALENTS": tuple(L.SPELLING_EQUIVALENTS),
        "FINAL_VOWELS": re.compile(L.SPELLING_FINAL_VOWELS),
        "TRANSLITERATED_ENDING": re.compile(L.TRANSLITERATED_ENDING),
        # kind_by_name's answers in this language, by name (emptied with a language change)
        "KINDS": {},
    }
)
_KINDS_MAX = 100_000  # names remembered per process at most
_ACRONYM = re.compile(r"^[A-Z]{2,6}$|^(?:[A-Z]\.){2,}$")


def strip_possessive(word: str) -> str:
    """Drop a trailing 's / ’s ("Putin’s" -> "Putin")."""
    return _P.POSSESSIVE.sub("", word)


def is_acronym(word: str) -> bool:
    """True for ISW, NATO, U.S. style tokens."""
    return bool(_ACRONYM.match(strip_possessive(word)))


def is_org(name: str) -> bool:
    """True when a cleaned name reads as an organisation (Kremlin, ISW, Institute for ...)."""
    words = name.split()
    if not words:
        return False
    if len(words) == 1 and is_acronym(words[0]) and words[0] not in W.PLACE_ACRONYMS:
        return True
    return any(_org_word(strip_possessive(w)) for w in words)


def _org_word(word: str) -> bool:
    return word in W.ORG_WORDS or word in W.ORG_WORDS_EXTRA


def kind_by_name(name: str) -> str | None:
    """ "organisation" or "place" when the name alone says so, whatever surrounds it;
    the one decision the entity recogniser and the quote attributor share.

    Organisation words and names (Kremlin, Pentagon, Duma, NATO, "Institute for ..."),
    their plurals, and acronyms that name a body; known places and place words ("Red
    Square", "Baltic Sea"). Memoised: the recogniser asks about the same names over and
    over, for each sentence and again for the quotes."""
    kinds: dict[str, str | None] = _P.KINDS
    if name in kinds:
        return kinds[name]
    if len(kinds) >= _KINDS_MAX:
        kinds.clear()
    kind = kinds[name] = _kind_by_name(name)
    return kind


def _kind_by_name(name: str) -> str | None:
    words = name.split()
    if not words:
        return None
    if name in W.PLACE_NAMES or name in W.PLACE_ACRONYMS:
        return "place"
    if name in W.NOT_ORG_ACRONYMS:
        return None
    singular = " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)
    if (
        name in W.ORG_NAMES
        or is_org(name)
        or is_org(singular)
        or any(w in W.ORG_WORDS_EXTRA or w in W.ORG_NAMES for w in words)
    ):
        return "organisation"
    if len(words) > 1 and words[-1] in W.PLACE_HEADS:
        return "place"
    if words[-1] in W.PLACE_HEADS_IF_LONG and (
        len(words) > 2 or len(words) == 2 and words[0].lower() in W.PLACE_NOUNS
    ):
        return "place"
    return None


def role_head(role: str | None) -> str | None:
    """The noun a role is about: "senior adviser to Putin" -> "adviser"."""
    if not role:
        return None
    core = _P.ROLE_SPLIT.split(role, maxsplit=1)[0].strip()
    words = core.split()
    return words[-1].lower() if words else None


def roles_compatible(a: str | None, b: str | None) -> bool:
    """Same head noun, or heads in one synonym group (aide ~ adviser)."""
    if not a or not b:
        return False
    if a == b:
        return True
    return any(a in group and b in group for group in W.ROLE_SYNONYMS)


@lru_cache(maxsize=65536)
def split_role(surface: str) -> tuple[str, str | None]:
    """Split "Russian President Vladimir Putin" into ("Vladimir Putin", "Russian President").

    Also handles a role phrase before the name ("Putin's aide Yuri Ushakov"), an
    appositive after it ("Yuri Ushakov, a senior adviser to Putin") and a leading article
    ("The Kremlin" -> "Kremlin").
    """
    surface = " ".join(surface.split())
    role_after: str | None = None
    if "," in surface:
        surface, rest = surface.split(",", 1)
        rest = _P.LEADING_ARTICLE.sub("", rest.strip(" ,"))
        role_after = rest or None
    words = surface.split()
    while len(words) > 1 and (words[0] in W.NAME_STOPWORDS or words[0].lower() in W.ARTICLES):
        words.pop(0)
    words, role_of = _split_of_place(words)
    lower = [i for i, w in enumerate(words) if w[:1].islower() and w not in W.NAME_CONNECTORS]
    if lower:
        # A lowercase role word ends the role: "Putin's aide | Yuri Ushakov".
        role_words, words = words[: lower[-1] + 1], words[lower[-1] + 1 :]
    else:
        role_words = []
    words, role_words = _person_after_body_title(words, role_words)
    if is_org(" ".join(words)):
        # Organisations keep their whole name; a leading article is not part of it, nor is
        # a leading country, unless the rest is one generic word: "US Institute for the
        # Study of War" is the institute, "European Union" is not a "Union".
        while len(words) > 1 and (
            words[0] == "The"
            or (len(words) > 2 and (words[0] in W.PLACE_ACRONYMS or words[0] in W.NATIONALITIES))
        ):
            words = words[1:]
        return " ".join(words), None
    # The name is the longest tail of capitalised, non-title, non-possessive words.
    cut = len(words)
    while cut > 0:
        w = words[cut - 1]
        if (
            w in W.TITLE_WORDS
            or _P.POSSESSIVE.search(w)
            or not (w[:1].isupper() or w in W.PARTICLES)
        ):
            break
        cut -= 1
    if len(words) - cut > 2 and (words[cut] in W.DEMONYMS or words[cut] in W.NATIONALITIES):
        cut += 1  # "Republican Donald Trump", "Democrat Elijah Cummings": a party, no name
    role_words, name_words = _place_of_title(role_words + words[:cut], words[cut:])
    role_words = [w for w in role_words if w not in W.HONORIFICS]
    while name_words and name_words[0] in W.PARTICLES:
        role_words.append(name_words.pop(0))
    role = " ".join([*role_words, role_of] if role_of else role_words) or None
    if role_after and not role:
        role = role_after
    elif role_after and role:
        role = f"{role}, {role_after}"
    return " ".join(name_words), role


def _forget_roles(_: object) -> dict[str, object]:
    """split_role's answers depend on the language's lists: dropped when it changes."""
    split_role.cache_clear()
    return {}


lang.bound(_forget_roles)


def _person_after_body_title(
    words: list[str], role_words: list[str]
) -> tuple[list[str], list[str]]:
    """ "White House Counsel | Don McGahn", "NATO Secretary General | Jens Stoltenberg": a
    body's title and the person holding it, not one long body. The name is the one to
    four capitalised words after the body's last title word, none a title, body or
    possessive word."""
    titles = [k for k, w in enumerate(words) if w in W.TITLE_WORDS]
    if not titles or not is_org(" ".join(words[: titles[-1]])):
        return words, role_words
    name = words[titles[-1] + 1 :]
    if not 1 <= len(name) <= 4 or any(
        not (w[:1].isupper() or w in W.PARTICLES)
        or w in W.TITLE_WORDS
        or _org_word(strip_possessive(w))
        or _P.POSSESSIVE.search(w)
        for w in name
    ):
        return words, role_words
    return name, role_words + words[: titles[-1] + 1]


def _place_of_title(role_words: list[str], words: list[str]) -> tuple[list[str], list[str]]:
    """ "Mayor of | London Sadiq Khan" -> "Mayor of London | Sadiq Khan".

    A title ending in "of" or "for" takes the place or body after it; the person's name
    is what follows: a known place ("New York", "Japan"), the one word after "the"
    ("Chancellor of the Exchequer"), or else all but the name's last two words."""
    if not role_words or len(words) < 2:
        return role_words, words
    last = role_words[-1]
    after_the = last == "the" and len(role_words) > 1 and role_words[-2] in W.OF_WORDS
    if last not in W.OF_WORDS and not after_the:
        return role_words, words
    if after_the:
        place = 1
    else:
        place = next((k for k in range(min(3, len(words) - 1), 0, -1) if _is_place(words[:k])), 0)
        if not place:
            name_starts = [k for k, w in enumerate(words) if w not in W.PARTICLES]
            place = name_starts[-2] if len(name_starts) >= 3 else 0
    return role_words + words[:place], words[place:]


def _is_place(words: list[str]) -> bool:
    name = " ".join(words)
    return name in W.PLACE_NAMES or name in W.PLACES or words[-1] in W.PLACE_HEADS


def _split_of_place(words: list[str]) -> tuple[list[str], str | None]:
    """ "Charles B. Rangel of New York" -> (["Charles", "B.", "Rangel"], "of New York").

    A person's name followed by "of", "for" or "at" and a place or body ("Cameron Easley
    for Morning Consult") names the person; the rest is a role. Not when "of" belongs to a title ("Secretary of State Mike Pompeo") or to an
    organisation's name ("Bank of America", "Institute for the Study of War")."""
    i = next((k for k, w in enumerate(words) if w in W.OF_WORDS), None)
    if i is None:
        return words, None
    before = words[:i]
    if (
        len(before) < 1
        or any(_org_word(strip_possessive(w)) for w in before)
        or before[-1] in W.TITLE_WORDS
        or not all(w[:1].isupper() or w in W.PARTICLES for w in before)
        or i + 1 >= len(words)
    ):
        return words, None
    # At least one word of the name must not be a title: "Representative Charles Rangel".
    if all(w in W.TITLE_WORDS or w in W.NAME_STOPWORDS for w in before):
        return words, None
    return before, " ".join(words[i:])


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A transliteration-insensitive key: Zelenskyy/Zelensky/Zelenskiy -> "zelenski"."""
    P = _P
    s = re.sub(r"[^a-z]", "", _ascii(strip_possessive(word)))
    for a, b in P.SPELLING_EQUIVALENTS:
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)  # double letters: Witkoff / Witkof
    return P.FINAL_VOWELS.sub("i", s)  # final -y / -yy / -iy / -i


def _forget_skeletons(_: object) -> dict[str, object]:
    """skeleton's keys follow the language's spelling rules: dropped when it changes."""
    skeleton.cache_clear()
    return {}


lang.bound(_forget_skeletons)


def surnames_match(a: str, b: str) -> bool:
    """Same surname after transliteration normalisation (Zelensky / Zelenskyy).

    Surnames that merely look alike (Tester / Hester, Baker / Booker) are different
    people; a misspelling is for the discrepancy finder to flag, not to merge."""
    ka, kb = skeleton(a), skeleton(b)
    return bool(ka) and ka == kb


def _transliterations(a: str, b: str) -> bool:
    """Two spellings of one surname that differ only in a transliterated ending
    (Zelensky / Zelenskyy / Zelenskiy) or not at all. The looser skeleton (double letters,
    "kh"/"h", "ck"/"k") merges only names that also share a first name: alone, Shen and
    Sheen, or Backer and Baker, are different people."""
    ends = _P.TRANSLITERATED_ENDING
    ka, kb = _ascii(strip_possessive(a)), _ascii(strip_possessive(b))
    ka, kb = re.sub(r"[^a-z]", "", ka), re.sub(r"[^a-z]", "", kb)
    return ends.sub("i", ka) == ends.sub("i", kb)


def first_names_compatible(a: str | None, b: str | None) -> bool:
    """Missing, equal, an initial of, or a prefix of the other (Steve / Steven)."""
    if not a or not b:
        return True
    ka, kb = skeleton(a.rstrip(".")), skeleton(b.rstrip("."))
    if len(a.rstrip(".")) == 1 or len(b.rstrip(".")) == 1:
        return ka[:1] == kb[:1]
    return ka.startswith(kb) or kb.startswith(ka)


def acronym_of(name: str) -> str:
    """Initials of the significant words: "Institute for the Study of War" -> "ISW"."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


@dataclass
class _Entry:
    name: str  # cleaned name ("Yuri Ushakov", "Kremlin")
    org: bool
    count: int = 0
    roles: Counter[str] = field(default_factory=Counter)

    @property
    def first(self) -> str | None:
        words = self.name.split()
        return words[0] if len(words) > 1 else None

    @property
    def last(self) -> str:
        return self.name.split()[-1] if self.name else ""


class SpeakerIndex:
    """Normalises speaker names across all sources of a brief."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        # Indexes so that finding a speaker's cluster costs a lookup, not a scan of every
        # name in the corpus (which made `quotes` quadratic in the number of articles).
        self._people_by_surname: dict[str, list[_Entry]] = {}
        self._orgs_by_key: dict[str, list[_Entry]] = {}
        # canonical()'s answers: role() asks again for every name of a cluster, and a
        # brief asks for every quote; emptied whenever a name is added.
        self._canonical: dict[tuple[str, str | None], str] = {}

    def add(self, surface: str, role: str | None = None) -> None:
        """Record one mention; titles in ``surface`` become a role when ``role`` is None."""
        self._canonical.clear()
        name, found_role = split_role(surface)
        if not name:
            return
        entry = self._entries.get(name)
        if entry is None:
            entry = self._entries[name] = _Entry(name=name, org=is_org(name))
            if entry.org:
                for key in {name.lower(), acronym_of(name)}:
                    self._orgs_by_key.setdefault(key, []).append(entry)
            else:
                self._people_by_surname.setdefault(skeleton(entry.last), []).append(entry)
        entry.count += 1
        role = role or found_role
        if role:
            entry.roles[role] += 1

    def _cluster(self, name: str) -> list[_Entry]:
        """Entries that may name the same speaker as ``name``."""
        if is_org(name) or (name and name not in self._entries and is_acronym(name)):
            key, initials = name.lower(), strip_possessive(name)
            found = self._orgs_by_key.get(key, []) + self._orgs_by_key.get(initials, [])
            return [
                e
                for e in {id(e): e for e in found}.values()
                if e.name.lower() == key or acronym_of(e.name) == initials
            ]
        words = name.split()
        first = words[0] if len(words) > 1 else None
        return [
            e
            for e in self._people_by_surname.get(skeleton(words[-1]), [])
            if surnames_match(e.last, words[-1])
            and first_names_compatible(e.first, first)
            and (first and e.first or _transliterations(e.last, words[-1]))
        ]

    def canonical(self, surface: str, role: str | None = None) -> str:
        """The display form: the most frequent, then longest, full name of the cluster.

        A lone surname that several people of the corpus share ("Trump": Donald and
        Melania) is the person whose roles fit the mention's (``role``, else the one the
        lone surname mostly has: news copy gives the lone surname to one person and
        names the others in full). When no one or several fit, it stays the surname:
        a first name is never guessed."""
        key = (surface, role)
        if (known := self._canonical.get(key)) is None:
            known = self._canonical[key] = self._canonical_of(surface, role)
        return known

    def _canonical_of(self, surface: str, role: str | None) -> str:
        name, found_role = split_role(surface)
        if not name:
            return surface.strip()
        cluster = self._cluster(name)
        if not cluster:
            return name
        full = [e for e in cluster if len(e.name.split()) > 1]
        if any(e.org for e in cluster):
            # For organisations the spelled-out name beats its acronym.
            full = [e for e in cluster if not is_acronym(e.name)]
        elif full and " " not in name:
            full = self._people_fitting(name, full, role or found_role)
            if not full:
                return name
        return max(full or cluster, key=_prominence).name

    def _people_fitting(self, surname: str, full: list[_Entry], role: str | None) -> list[_Entry]:
        """The full names a lone ``surname`` may stand for: all of them when they are one
        person (first names alike), else those whose roles fit ``role``, when one person."""
        if _one_person(full):
            return full
        if role is None:
            lone = self._entries.get(surname)
            role = _main_role(lone.roles) if lone and lone.roles else None
        head = role_head(role)
        fitting = [e for e in full if any(roles_compatible(head, role_head(r)) for r in e.roles)]
        return fitting if fitting and _one_person(fitting) else []

    def role(self, canonical: str) -> str | None:
        """The most frequent role recorded for any surface of this speaker."""
        roles: Counter[str] = Counter()
        for e in self._cluster(canonical):
            if self.canonical(e.name) == canonical:
                roles.update(e.roles)
        return _main_role(roles) if roles else None


def _prominence(entry: _Entry) -> tuple[int, int, str]:
    return entry.count, len(entry.name), entry.name


def _main_role(roles: Counter[str]) -> str:
    """The most frequent post, then its longest wording (the most telling). Roles written in
    other letter cases are one role; a post the person is also said to have left ("FBI
    Director" and "former FBI Director") counts as the one they left: a brief tells who
    they are now, and the bare title is the article recalling the past."""
    written: dict[str, str] = {}  # lower case -> the most frequent writing
    counts: Counter[str] = Counter()
    for role, n in sorted(roles.items(), key=lambda kv: -kv[1]):
        key = role.lower()
        written.setdefault(key, role)
        counts[key] += n
    for key in list(counts):
        for left in (form.format(key) for form in W.FORMER_ROLE):
            if left in counts:
                counts[left] += counts.pop(key)
                break
    # Wordings of one post split its vote ("presumptive Republican nominee", "presumptive
    # Republican presidential nominee"; "Putin aide", "senior adviser to Putin"): the post
    # named most wins, then its most frequent, then longest, wording.
    by_post: Counter[str | None] = Counter()
    for key, n in counts.items():
        by_post[_post(key)] += n
    best = max(
        counts.items(),
        key=lambda kv: (by_post[_post(kv[0])], kv[1], len(kv[0]), written[kv[0]]),
    )[0]
    return written[best]


def _post(role: str) -> str | None:
    """The post a role names: its head noun, one for synonyms (aide ~ adviser)."""
    head = role_head(role)
    return next((min(group) for group in W.ROLE_SYNONYMS if head in group), head)


def _one_person(entries: list[_Entry]) -> bool:
    """Whether these full names of one surname are one person: first names alike."""
    best = max(entries, key=_prominence)
    return all(first_names_compatible(e.first, best.first) for e in entries)
