"""Speaker attribution: who said each quote of an article, found with rules.

Each quote is attributed from its own sentence first ("..." X said / X said: "..." /
according to X / X's statement), then from its neighbours (the sentence before, a colon
introducing it, the quote before it in the paragraph). Pronouns and role descriptions
("the Russian presidential aide") are resolved against the names the article mentions
(``mentions.Article``). A list of people who speak together ("Ann Reyes and Tom Ware said",
"the chairmen said", "they said" after such a list) is one unnamed speaker described by
their names. Everything is regex over bounded windows (:data:`WINDOW`), so the
cost is linear in the text. The patterns are built from the active language's lists.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from types import ModuleType

from briefgen import lang
from briefgen.stages.mentions import Article, Mention, could_be_surname
from briefgen.stages.people import (
    role_head,
    roles_compatible,
    skeleton,
    split_role,
)
from briefgen.stages.quotemarks import Quote

# The active language's word lists (briefgen/lang/en.py for English).
W = lang.words

WINDOW = 600  # how far (characters) attribution looks around a quote; keeps work linear

# A party-and-state tag after a lawmaker's name: "(D-Wis.)", "(R-La.)", "(I-Vt.)", "(Vt.)".
_PARTY = r"(?:\s?\([A-Z][A-Za-z.]{0,4}(?:[-\u2013][A-Z][A-Za-z. ]{0,12})?\))?"
# One to three appositives between a name and its verb: "Scott Pruitt, the attorney general
# of Oklahoma, one of the states suing, said" (the speaker is the name before them all).
_APPOS = r"(?:(?:,\s[^,\u201c\u201d\"\n]{1,100}){1,3},)?"
# Words between the verb and the name: "said union leader Jane Moss", "said MSNBC host
# Chris Matthews", "said 9/11 widow Terry Strada", "said the Rev. Peter Wherry".
_ROLE_BEFORE = r"(?:[\w/\u2019'.\-]+[ \u00a0]+){0,3}?"
# A transcript line inside quote marks opens on its speaker's name in capitals.
_LABEL = re.compile(r"(?P<who>[A-Z][A-Z'\u2019.\-]+(?: [A-Z][A-Z'\u2019.\-]+){0,2}):\s")
_LEADING_SPACE = re.compile(r"\s*")
_LETTER = re.compile(r"[^\W\d_]")


def _patterns(L: ModuleType) -> dict[str, object]:
    """The attribution patterns for one language module (see briefgen/lang/en.py)."""
    # A capitalised token of a name: a title abbreviation ("Rep.", "Lt.", "Gen."), initials
    # ("B.", "G.K.", "U.S."), or a capitalised word ("O'Rourke").
    cap = (
        rf"(?:{L.TITLE_ABBREV}|[A-Z]\.(?:[A-Z]\.)*|"
        r"[A-Z\u00c0-\u00de][\w\-]*(?:[\u2019'][A-Z][\w\-]*)?)"
    )
    namerun = (
        rf"(?<![\w\u2019']){cap}(?:[ \u00a0]+(?:{L.NAME_PARTICLES}[ \u00a0]+){{0,2}}{cap}){{0,7}}"
    )
    role_heads = "|".join(sorted(L.ROLE_NOUNS, key=len, reverse=True))
    title_words = "|".join(sorted(L.ROLE_MODIFIERS, key=len, reverse=True))
    desc = (
        rf"\b{L.DEFINITE}[ \u00a0]+(?:[\w\u2019'.\-]+[ \u00a0]+){{0,3}}?"
        rf"(?:{role_heads}|{L.REPORT_HEADS}|{L.ORG_HEADS})\b"
    )
    # A name's statement or spokesman: "Reyes's statement said", "Reyes's spokesman said".
    # The possessive ending, or a bare apostrophe after an s ("Davis’ statement").
    poss = rf"(?:{L.POSSESSIVE_SUFFIX}|(?<=s)[\u2019'](?=[ \u00a0]))"
    poss_desc = (
        rf"{namerun}{poss}[ \u00a0]+(?:[\w\u2019'.\-]+[ \u00a0]+){{0,2}}?"
        rf"(?:{role_heads}|{L.REPORT_HEADS})\b"
    )
    # The people of a list named before: "the chairmen", "the two men", "both senators".
    group_heads = "|".join(sorted(L.GROUP_NOUNS, key=len, reverse=True))
    plural_desc = (
        rf"\b(?:{L.DEFINITE}[ \u00a0]+(?:{L.GROUP_COUNT}[ \u00a0]+)?|[Bb]oth[ \u00a0]+)"
        rf"(?:[\w\u2019'.\-]+[ \u00a0]+){{0,2}}?(?:{group_heads})\b"
    )
    who = rf"(?:{L.PRONOUN}|{desc}|{namerun})"
    # A finite saying verb, or one behind a verb of intention ("planned to ask").
    cues, filler = rf"{L.INTENT_CUES}|{L.CUES}", L.FILLER
    subj_cue = re.compile(
        rf"(?P<who>{L.PRONOUN}|{desc}|{plural_desc}|{poss_desc}|{namerun}){_PARTY}{_APPOS}"
        rf"\s+{filler}"
        rf"(?P<cue>{cues})\b"
    )
    # A body's name and its role before the speaker, longer than _ROLE_BEFORE allows:
    # "said American Unity Fund president Margaret Hoover".
    owned_role = rf"{namerun}[ \u00a0]+(?:[a-z][\w\-]*[ \u00a0]+){{0,2}}?(?:{role_heads})[ \u00a0]+"
    cue_subj = re.compile(
        rf"\b(?P<cue>{L.CUES})\s+(?P<who>{desc}|{poss_desc}|{_ROLE_BEFORE}{namerun}|"
        rf"{owned_role}{namerun}){_PARTY}"
        rf"(?=\s*(?:[,.;:(]|$)|\s+(?:{L.AFTER_NAME})\b|\s+{L.AND}\s+[A-Z])"
    )
    # "Obama and Clinton call them “lone wolves”": two names, a base-form verb (after a
    # subject, where "call" cannot be a noun opening a phrase).
    plural_cues = "|".join(sorted(L.SAY_VERBS, key=len, reverse=True))
    quoted, quoted_as = L.QUOTED_AS
    return {
        "PRON": L.PRONOUN,
        "DESC": desc,
        "POSS_DESC": re.compile(poss_desc),
        "PLURAL_DESC": re.compile(plural_desc),
        # What may stand between two names of a list: a party tag or an appositive, a comma
        # or "and", and the next one's title ("Ann Reyes, R-Va., and Judiciary Chairman").
        "LIST_GAP": re.compile(
            rf"(?P<tag>\s?\([^()\n]{{1,16}}\)|{L.PARTY_TAG}|"
            rf",\s{L.APPOSITIVE_ARTICLE}\s[^,\n\u201c\u201d\"]{{1,60}}(?=,))?"
            rf"(?P<sep>[,;][ \u00a0]+|[,;]?[ \u00a0]+(?P<and>{L.LIST_AND})[ \u00a0]+)"
            rf"(?:(?:[A-Z][\w.\u2019'\-]*|{title_words}|{role_heads}|of|for|the|"
            rf"[a-z]+{L.POSSESSIVE_SUFFIX})[ \u00a0]+){{0,5}}"
        ),
        # After the last name of a list: the saying verb ("... and Bo Lind, R-S.C., said") ...
        "LIST_END_BEFORE_CUE": re.compile(
            rf"(?:\s?\([^()\n]{{1,16}}\)|{L.PARTY_TAG})?(?:,\s[^,\n\u201c\u201d\"]{{1,100}},)?"
            rf"\s+{filler}"
        ),
        # ... or the end of the phrase, when the verb came first ("said A, B and C.") ...
        "LIST_END_AFTER_CUE": re.compile(
            rf"(?:\s?\([^()\n]{{1,16}}\)|{L.PARTY_TAG})?"
            rf"(?=\s*(?:[,.;:(]|$)|\s+(?:{L.AFTER_NAME})\b)"
        ),
        # ... or a verb, when the list is its sentence's subject ("A and B welcomed ...").
        "LIST_SUBJECT_AFTER": re.compile(
            rf"(?:\s?\([^()\n]{{1,16}}\)|{L.PARTY_TAG},?)?(?:,\s[^,\n\u201c\u201d\"]{{1,100}},)?"
            rf"\s+{filler}[a-z]"
        ),
        # Between a document and the list of its authors: " from Judiciary Chairman".
        "BY_LIST": re.compile(
            rf"\s+(?:from|by|of)\s+(?:(?:[A-Z][\w.\u2019'\-]*|{title_words}|{role_heads}|of|for|the)"
            rf"[ \u00a0]+){{0,6}}"
        ),
        # Before the first name of a subject list: only titles ("Ruritania’s Prime Minister").
        "LIST_SUBJECT_BEFORE": re.compile(
            rf"[\s\u201c\"(]*(?:(?:[A-Z][\w.\u2019'\-]*|{title_words}|{role_heads}|of|for|the)"
            rf"[ \u00a0]+){{0,6}}"
        ),
        # The owner of a possessive description: "the White House’s" in "the White House’s
        # statement", "Reyes’s" in "Reyes’s spokesman".
        "POSS_OWNER": re.compile(rf"(?:{L.DEFINITE}[ \u00a0]+)?(?P<owner>{namerun}){poss}"),
        "REPORT_HEADS": L.REPORT_HEADS,
        "ORG_HEADS": L.ORG_HEADS,
        "SUBJ_CUE": subj_cue,
        "CUE_SUBJ": cue_subj,
        "PAIR_CUE": re.compile(
            rf"(?P<who>{namerun})\s+{L.AND}\s+{namerun}\s+{filler}(?P<cue>{plural_cues})\b"
        ),
        "REFUSED": re.compile(L.REFUSED_CUES),
        "PARTICIPLE": re.compile(rf"\b(?P<cue>{'|'.join(sorted(L.PARTICIPLES))})\b"),
        "HE_SHE_OPEN": re.compile(L.HE_SHE_OPEN),
        "QUOTED_AS": re.compile(
            rf"\b(?P<cue>{quoted})\s+(?P<who>{namerun}){_APPOS}\s+{quoted_as}\b"
        ),
        "ACCORDING": re.compile(
            rf"\b(?P<cue>{L.ACCORDING})\s+(?P<who>{desc}|{_ROLE_BEFORE}{namerun})"
        ),
        "TAILS": (
            re.compile(L.TAIL_LEAD + subj_cue.pattern),
            re.compile(L.TAIL_LEAD + cue_subj.pattern),
        ),
        "WHO_ANY": re.compile(who),
        "THAT_RE": re.compile(L.THAT),
        # A lowercase verb right after a name: "has", "endorsed", "tangled" (not "of", "and").
        "VERB_NEXT": re.compile(L.VERB_NEXT),
        "PLURAL_VERB_NEXT": re.compile(L.PLURAL_VERB_NEXT),
        # “…,” one official said / a spokeswoman said: an unnamed speaker after the quote.
        "GENERIC_TAIL": re.compile(
            rf"{L.TAIL_LEAD}(?P<who>{L.UNNAMED}\s+"
            rf"(?:[\w\u2019'-]+\s+){{0,4}}?)(?P<cue>{cues})\b"
        ),
        # A spokeswoman said: “…” / One official told reporters: “…”: an unnamed speaker
        # opening the sentence that introduces the quote, a common noun at its head ("A year
        # ago Reyes said:" is Reyes).
        "GENERIC_LEAD": re.compile(
            rf"[\s\u201c\"(]*(?P<who>(?i:{L.UNNAMED})\s+(?:[\w\u2019'-]+\s+){{0,3}}?"
            rf"[a-z][\w\u2019'-]*\s+)(?P<cue>{cues})\b[^:\u201c\"]{{0,60}}:\s*$"
        ),
        # "in", "at" ... right before a name: it is a place in a phrase, not a subject.
        "PLACE_PREPOSITION": re.compile(
            rf"\b(?:{'|'.join(sorted(L.STRICT_LOCATIVES))})\s+(?:{L.DEFINITE}\s+)?\Z"
        ),
        # "A British government spokeswoman in ...", "The ministry's envoy at ...".
        "UNNAMED_SUBJECT": re.compile(
            rf"[\s\u201c\"(]*(?P<who>(?i:{L.UNNAMED}|{L.DEFINITE})\s+(?:[\w\u2019'.-]+\s+){{0,4}}?"
            rf"(?:{role_heads}))\s"
        ),
        "CONTRAST_LEAD": re.compile(L.CONTRAST_LEAD),
        # "A spokesman for", "one adviser to": an unnamed speaker for the name that follows.
        "SPEAKS_FOR": re.compile(
            rf"(?:^|(?<=[\s\u201c\"(]))(?P<who>(?i:{L.UNNAMED})\s+(?:[\w\u2019'-]+\s+){{0,3}}?"
            rf"(?:{role_heads})\s+(?:for|to|of)(?:\s+{L.DEFINITE})?)\s+\Z"
        ),
        "NAME_COLON": re.compile(rf"(?P<who>{namerun}){_PARTY}:\s*$"),
        # A sentence opening on a prepositional or participial phrase up to its comma: its
        # names are not the subject ("After meeting Putin, Obama said ...").
        "OPENING_PHRASE": re.compile(L.OPENING_PHRASE),
        "SUBORDINATE_RE": re.compile(L.SUBORDINATE, re.I),
        # "Trump’s statement about “…”": the words are the possessor's.
        "POSS_SPEECH": re.compile(
            rf"(?P<who>{namerun}){L.POSSESSIVE_SUFFIX}\s+(?:[a-z]+\s+){{0,2}}"
            rf"(?P<cue>{L.SPEECH_NOUNS})s?{L.SPEECH_NOUN_TAIL}[\s,:]*$"
        ),
        # A name directly before a participle: "footage of Trump saying".
        "NAME_BEFORE": re.compile(rf"(?P<who>{namerun})[ \u00a0]+$"),
        # A person named in an appositive right after a place: ", Marc H. Morial, the ...".
        "APPOS_NAME": re.compile(rf"{_PARTY},\s(?P<who>{namerun})(?=,)"),
        # A dash sign-off after a quote, ending its paragraph (“…” ― Karen Bobadilla) or
        # standing as the paragraph after it ("- Bernie Sanders.").
        "SIGN_OFF": re.compile(
            rf"[\s,.]*(?P<cue>[\u2015\u2014\u2013]|--?)\s*(?P<who>{namerun}){_PARTY}[\s.,]*$"
        ),
        # The head of an unnamed subject that is words, not a speaker: "one question asks".
        "DOCUMENT_HEAD": re.compile(
            rf"(?i:{L.REPORT_HEADS}|{L.SPEECH_NOUNS}|{L.DOCUMENT_NOUNS})s?"
        ),
        "REPORT_WORD": re.compile(rf"\b((?i:{L.REPORT_HEADS}))s?\b"),
        "POSS_AFTER": re.compile(L.POSSESSIVE_SUFFIX + r"\b"),
    }


_C = lang.bound(_patterns)


@dataclass
class Speaker:
    name: str | None
    role: str | None
    cue: str | None
    explicit: bool = True  # False for guesses (sentence subject, neighbouring quote)


def _owned_role(between: str) -> bool:
    """Whether the words between two names are a role the first name owns: lower-case
    content words alone ("campaign manager", "spokesperson"), not "of", "and" or a comma
    ("Joel Pollak of Breitbart California", "Reyes and Ware")."""
    words = between.split()
    return bool(words) and all(w.isalpha() and w.islower() and w not in W.STOPWORDS for w in words)


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

    def __init__(self, art: Article) -> None:
        self.art = art
        self.last_speaker: Mention | None = None
        self._lowercase_seen: dict[str, bool] = {}  # _plural_noun's answers, by word

    def who(self, match: re.Match[str] | _Who, sent_start: int, cue: str) -> Speaker | None:
        """Resolve the ``who`` group of a cue match to a speaker."""
        who = match.group("who")
        s, e = match.span("who")
        if re.fullmatch(_C.PRON, who):
            return self._pronoun(who.lower(), s, sent_start, cue)
        if _C.PLURAL_DESC.fullmatch(who):
            return self._group_described(who, s, cue)
        desc = re.fullmatch(_C.DESC, who)
        if desc or _C.POSS_DESC.fullmatch(who):
            named = self._appositive_person(match, e)
            if named is not None:  # "the press secretary, Tom Bell, said": Bell
                self.last_speaker = named
                words = who.split()
                return Speaker(named.name, named.role or " ".join(words[1 if desc else 0 :]), cue)
            if desc:
                return self._description(who, s, cue)
            return self._possessed(who, s, cue)
        mention = self._mention_at(s, e)
        if mention.kind == "other":
            # "in Washington, Marc H. Morial, the chief executive ..., told": the speaker is
            # the person the appositive names, not the place before it.
            mention = self._appositive_person(match, e) or mention
        if mention.kind == "other" and _C.PLACE_PREPOSITION.search(
            self.art.masked, max(0, s - 20), s
        ):
            # "A government spokeswoman in Lisbon said": the place is in the subject's
            # phrase; the speaker is the unnamed one it opens on, never the place.
            generic = _C.UNNAMED_SUBJECT.match(self.art.masked, sent_start, s)
            if generic is None:
                return None
            who = " ".join(generic.group("who").split())
            if re.fullmatch(_C.DESC, who):  # "the envoy in Lisbon": maybe an envoy named before
                return self._description(who, generic.start("who"), cue)
            return Speaker(None, who, cue)
        speaks_for = _C.SPEAKS_FOR.search(self.art.masked, max(sent_start, s - 80), s)
        if speaks_for and mention.kind in ("person", "org"):
            # "A spokesman for Ann Reyes said": the spokesman speaks, for Reyes.
            return Speaker(
                None, " ".join(speaks_for.group("who").split()) + " " + mention.name, cue
            )
        if mention.name in W.NAME_STOPWORDS and mention.name.endswith("s"):
            return Speaker(None, mention.name.lower(), cue)  # "Critics said": unnamed, said
        if mention.kind != "org" and self._plural_noun(mention.name, mention.end):
            return Speaker(None, mention.name, cue)  # "Protesters have said": a group
        if not mention.name or mention.name in W.NAME_STOPWORDS:
            return None
        if (
            mention.kind == "person"
            and isinstance(match, re.Match)
            and "cue" in match.re.groupindex
            and match.re is not _C.PAIR_CUE  # "Reyes and Ware call it “…”": stays Reyes
        ):
            group = self._group_at_cue(mention, match, sent_start)
            if group:  # "Ann Reyes and Tom Ware said": both
                return self._group_speaker(group, sent_start, cue)
        role = None
        if mention.kind == "person":
            self.last_speaker = mention
            role = mention.role or self.art.article_role(mention.name)
        return Speaker(mention.name, role, cue)

    def _appositive_person(self, match: re.Match[str] | _Who, end: int) -> Mention | None:
        """The person named in an appositive right after a cue's subject (", Tom Bell,")."""
        if not isinstance(match, re.Match):
            return None
        appositive = _C.APPOS_NAME.match(self.art.masked, end)
        if appositive is None:
            return None
        named = self._mention_at(*appositive.span("who"))
        return named if named.kind == "person" else None

    def _plural_noun(self, word: str, end: int) -> bool:
        """A lone capitalised word that is a plural common noun, not a surname: the verb
        after it agrees with a plural ("Protesters have said"), or the article writes it in
        lowercase too. "Peters said" stays a name."""
        if " " in word or not word.endswith("s") or not word[:1].isupper():
            return False
        if _C.PLURAL_VERB_NEXT.match(self.art.masked, end):
            return True
        if skeleton(word) in self.art.surnames:
            return False  # "Maxine Waters" was named: "Waters said" is her, whatever "waters"
        lower = word.lower()
        if lower not in self._lowercase_seen:
            self._lowercase_seen[lower] = bool(re.search(rf"\b{re.escape(lower)}\b", self.art.text))
        return self._lowercase_seen[lower]

    def _mention_at(self, s: int, e: int) -> Mention:
        """The name the recogniser found inside a speaker slot text[s:e]: its first person
        ("Cameron Easley for Morning Consult"), else its organisation, else whatever it
        found; a slot with none is a bare word of kind "other"."""
        art = self.art
        inside = art.mentions_between(s, e)
        inside = [m for m in inside if m.end <= e] or inside
        i = bisect.bisect_left(art.mention_starts, s) - 1
        if i >= 0 and s < art.mentions[i].end <= e and art.mentions[i].kind == "org":
            # The slot is the end of a longer name: "(the Department of Health and) Human
            # Services said", where the cue pattern's name stops at "and".
            inside = [art.mentions[i], *inside]
        for kind in ("person", "org"):
            found = [m for m in inside if m.kind == kind]
            if (
                kind == "person"
                and len(found) > 1
                and _owned_role(art.masked[found[0].end : found[-1].start])
            ):
                # "said Ayotte campaign manager Jon Kohan": a name, then a role it owns,
                # then the speaker, who ends the slot.
                return self._with_slot_role(found[-1], s, e)
            if found:
                return self._with_slot_role(found[0], s, e)
        if inside:
            return inside[0]
        name, role = split_role(art.masked[s:e])
        return Mention(s, e, name, role, "other")

    def _with_slot_role(self, mention: Mention, s: int, e: int) -> Mention:
        """The mention, with the role the whole slot gives it when that says more:
        "said union leader Jane Moss" -> union leader (not just "leader")."""
        name, role = split_role(self.art.masked[s:e])
        if name == mention.name and role and len(role) > len(mention.role or ""):
            return Mention(mention.start, mention.end, mention.name, role, mention.kind)
        return mention

    def _pronoun(self, pron: str, pos: int, sent_start: int, cue: str) -> Speaker | None:
        """he/she: the subject earlier in the same sentence, else the last person named."""
        art = self.art
        referent = W.PRONOUN_REFERENTS.get(pron, "m")
        if referent not in ("m", "f"):  # "it": the last organisation; "they": a list
            if referent is None:  # "Ann Reyes and Tom Ware met ... They said": both
                group = self._subject_group(pos)
                return Speaker(None, _listed(group), cue) if group else None
            org = art.last_mention(pos, "org") if referent == "org" else None
            return Speaker(org.name, None, cue) if org else None
        person = self._antecedent(pos, referent)
        if person is None:
            return None
        return Speaker(person.name, person.role or art.article_role(person.name), cue)

    def _antecedent(self, pos: int, gender: str | None = None) -> Mention | None:
        """The person "he"/"she" at ``pos`` refers to.

        Going back sentence by sentence: the speaker of a saying verb in that sentence,
        else its first person, skipping anyone the article calls by the other pronoun
        (art.gender). A sentence that itself opens on he/she/his/her continues the same
        chain, so the search goes on before it."""
        art = self.art
        for lo, hi in art.sentences_back(pos):
            hi = min(hi, lo + WINDOW)  # the subject comes early; don't scan huge run-on sentences
            opener = _C.HE_SHE_OPEN.match(art.masked, lo, hi)
            for person in self._sentence_people(lo, hi):
                if opener and person.start > opener.start():
                    continue
                if gender is None or art.gender_of(person.name) in (None, gender):
                    return person
        fallback = [
            m for m in art.recent(pos, "person", 8) if art.gender_of(m.name) in (None, gender)
        ]
        return fallback[0] if fallback else art.last_mention(pos)

    def _sentence_people(self, lo: int, hi: int) -> list[Mention]:
        """People of a sentence, the one a saying verb introduces first, then the main
        clause's before those in an opening phrase ("Preceded by Joe Arpaio, Trump ...")."""
        art = self.art
        people = [m for m in art.mentions_between(lo, hi) if m.kind == "person"]
        opening = _C.OPENING_PHRASE.match(art.masked, lo, hi)
        if opening:
            people = [m for m in people if m.start >= opening.end()] + [
                m for m in people if m.start < opening.end()
            ]
        for pattern in (_C.SUBJ_CUE, _C.CUE_SUBJ):
            found = pattern.search(art.masked, lo, hi)
            if found:
                s, e = found.span("who")
                speaking = [m for m in people if s <= m.start < e]
                if speaking:
                    return speaking[:1] + [m for m in people if m is not speaking[0]]
        return people

    def _description(self, desc: str, pos: int, cue: str) -> Speaker | None:
        """Resolve "the report" to its organisation, "the Russian presidential aide" to a person."""
        art = self.art
        words = desc.split()
        head = words[-1].lower()
        owner = _C.POSS_OWNER.match(desc)
        if owner and re.fullmatch(_C.REPORT_HEADS, head):
            # "the Kremlin’s statement", "the White House’s statement": the owner's words.
            return self._owner(pos + owner.start("owner"), pos + owner.end("owner"), cue)
        if re.fullmatch(_C.REPORT_HEADS, head):
            author = art.owner_of(head, pos)  # a body, or the person it is the title of
            if author is None:
                # "Ann Reyes and Tom Ware issued a statement": theirs.
                group = self._authors(head, pos)
                return Speaker(None, _listed(group), cue) if group else None
            if author.kind == "person":
                # "a joint statement from Ann Reyes and Tom Ware": both of theirs.
                group = self._group_with(author, author.start, _C.LIST_END_AFTER_CUE)
                if group:
                    return Speaker(None, _listed(group), cue)
            return Speaker(author.name, author.role if author.kind == "person" else None, cue)
        if re.fullmatch(_C.ORG_HEADS, head):
            body = " ".join(words[1:])
            if len(words) > 2 and all(w[:1].isupper() for w in words[1:]):
                return Speaker(body, None, cue)  # "the European Union": a name, as written
            # "the commission": the body named before with that word, else the word itself.
            orgs = art.recent(pos, "org")
            named = next((m for m in orgs if head in m.name.lower().split()), None)
            if named:
                return Speaker(named.name, None, cue)
            # Else the body as written: "the British government", "the commission".
            return Speaker(body[:1].upper() + body[1:], None, cue)
        role_text = " ".join(words[1:])
        for m in art.recent(pos):
            if roles_compatible(head, role_head(m.role or art.article_role(m.name))):
                return Speaker(m.name, role_text, cue)
        # "The mayor said" with no mayor named: said by a mayor, not by whoever came last.
        return Speaker(None, role_text, cue)

    def _lists(self, lo: int, hi: int) -> list[list[Mention]]:
        """The lists of people named in text[lo:hi]: "Ann Reyes, Tom Ware and Bo Lind",
        "Ann Reyes (D-Wis.) and Sen. Tom Ware". Only the last two names are joined by "and";
        two names joined by ", and" are two clauses ("said Reyes, and Ware agreed")."""
        art, text = self.art, self.art.masked
        people = [m for m in art.mentions_between(lo, hi) if m.kind == "person" and m.end <= hi]
        lists: list[list[Mention]] = []
        run: list[Mention] = []
        for m in people:
            gap = _C.LIST_GAP.fullmatch(text, run[-1].end, m.start) if run else None
            if gap is None:
                run = [m]
            elif not gap.group("and"):
                run.append(m)
            else:
                if len(run) > 1 or gap.group("tag") or not gap.group("sep").startswith(","):
                    lists.append([*run, m])
                run = []
        return lists

    def _group_with(self, person: Mention, lo: int, end_re: re.Pattern[str]) -> list[Mention]:
        """The list of people from text[lo:] that ``person`` is in, when what follows its
        last name matches ``end_re`` (at most a paragraph on)."""
        hi = min(self.art.paragraph_of(person.start)[1], person.end + WINDOW)
        for members in self._lists(max(0, lo), hi):
            if any(m.start == person.start for m in members) and end_re.match(
                self.art.masked, members[-1].end
            ):
                return members
        return []

    def _group_at_cue(
        self, person: Mention, match: re.Match[str], sent_start: int
    ) -> list[Mention]:
        """The list of people a cue's subject ``person`` is in: "Ann Reyes and Tom Ware said",
        "said a statement from Ann Reyes, Tom Ware and Bo Lind"."""
        text = self.art.masked
        cue_start = match.start("cue")
        if cue_start >= person.end:  # the names before the verb, and nothing else
            members = self._group_with(person, sent_start, _C.LIST_END_BEFORE_CUE)
            if members and _C.LIST_END_BEFORE_CUE.fullmatch(text, members[-1].end, cue_start):
                return members
            return []
        return self._group_with(person, match.end("cue"), _C.LIST_END_AFTER_CUE)

    def _group_speaker(self, group: list[Mention], sent_start: int, cue: str) -> Speaker:
        """A list of people as one unnamed speaker, or their spokesman ("A spokesman for
        Ann Reyes and Tom Ware said")."""
        s = group[0].start
        speaks_for = _C.SPEAKS_FOR.search(self.art.masked, max(sent_start, s - 80), s)
        if speaks_for:
            return Speaker(
                None, " ".join(speaks_for.group("who").split()) + " " + _listed(group), cue
            )
        return Speaker(None, _listed(group), cue)

    def _subject_group(self, pos: int) -> list[Mention]:
        """The list of people subject of the sentence before ``pos`` ("Ann Reyes and Tom
        Ware welcomed the deal."), or of the clause before it: who "they" are."""
        art, text = self.art, self.art.masked
        for lo, hi in art.sentences_back(pos, 3):
            if not _LETTER.search(text, lo, hi):
                continue  # only a quote's (blanked) words: the sentence before decides
            opening = _C.OPENING_PHRASE.match(text, lo, hi)
            start = opening.end() if opening else lo
            for members in self._lists(lo, hi):
                if _C.LIST_SUBJECT_BEFORE.fullmatch(
                    text, start, members[0].start
                ) and _C.LIST_SUBJECT_AFTER.match(text, members[-1].end):
                    return members
            return []
        return []

    def _authors(self, noun: str, pos: int) -> list[Mention]:
        """The people who wrote the ``noun`` ("statement") named last before ``pos``: the
        list subject of its sentence ("Ann Reyes and Tom Ware issued a statement"), or the
        list after it ("a statement from Ann Reyes and Tom Ware")."""
        art, text = self.art, self.art.masked
        near = re.compile(rf"\b{re.escape(noun)}s?\b", re.I)
        for lo, hi in art.sentences_back(pos, 4):
            found = [m.end() for m in near.finditer(text, lo, hi)]
            if not found:
                continue
            opening = _C.OPENING_PHRASE.match(text, lo, hi)
            start = opening.end() if opening else lo
            for members in self._lists(lo, hi):
                first, last = members[0], members[-1]
                if (
                    _C.LIST_SUBJECT_BEFORE.fullmatch(text, start, first.start)
                    and _C.LIST_SUBJECT_AFTER.match(text, last.end)
                ) or (
                    found[-1] <= first.start
                    and _C.BY_LIST.fullmatch(text, found[-1], first.start)
                    and _C.LIST_END_AFTER_CUE.match(text, last.end)
                ):
                    return members
            return []
        return []

    def _group_described(self, who: str, pos: int, cue: str) -> Speaker:
        """ "the chairmen", "the two men": the last list of people named with that role
        (any list for "men" or "women"), else unnamed people so described."""
        art = self.art
        words = who.split()
        singular = W.GROUP_NOUNS[words[-1].lower()]
        for lo, hi in art.sentences_back(pos, 4):
            for members in reversed(self._lists(lo, hi)):
                roles = [m.role or art.article_role(m.name) for m in members]
                if singular in ("man", "woman") or any(
                    r and (roles_compatible(singular, role_head(r)) or singular in r.lower())
                    for r in roles
                ):
                    return Speaker(None, _listed(members), cue)
        return Speaker(None, " ".join(words[1:]), cue)

    def _possessed(self, who: str, pos: int, cue: str) -> Speaker | None:
        """A name's statement or spokesman: "Reyes’s statement said" is Reyes; "Reyes’s
        spokesman said" is the spokesman, named when the article gave Reyes's spokesman a
        name, else unnamed and described."""
        owner = _C.POSS_OWNER.match(who)
        s, e = pos + owner.start("owner"), pos + owner.end("owner")  # type: ignore[union-attr]
        head = who.split()[-1].lower()
        if re.fullmatch(_C.REPORT_HEADS, head):
            return self._owner(s, e, cue)
        role_text = " ".join(who.split())
        surname = who[: e - pos].split()[-1]
        for m in self.art.recent(pos):
            role = m.role or self.art.article_role(m.name)
            if role and surname in role and roles_compatible(head, role_head(role)):
                return Speaker(m.name, role, cue)
        return Speaker(None, role_text, cue)

    def _owner(self, s: int, e: int, cue: str) -> Speaker | None:
        """The person or body named text[s:e], as the author of its statement or report."""
        mention = self._mention_at(s, e)
        name = mention.name.rstrip("\u2019'")  # "Davis’ statement": Davis
        if not name or name in W.NAME_STOPWORDS:
            return None
        role = mention.role or self.art.article_role(name)
        return Speaker(name, role if mention.kind == "person" else None, cue)

    def _subject(self, start: int, end: int, cue: str) -> Speaker | None:
        """The first person, organisation, pronoun or role description in text[start:end]."""
        text = self.art.masked
        opening = _C.OPENING_PHRASE.match(text, start, end)
        if opening and _C.WHO_ANY.search(text, opening.end(), end):
            start = opening.end()  # "In Washington, Marc Morial told ...": skip "Washington"
        first_word = _LEADING_SPACE.match(text, start, end).end()  # type: ignore[union-attr]
        for m in _C.WHO_ANY.finditer(text, max(start, end - WINDOW), end):
            who = m.group()
            if re.fullmatch(_C.PRON, who) or re.fullmatch(_C.DESC, who):
                return self.who(_Who(m), start, cue)
            if _C.POSS_AFTER.match(text, m.end()) and self.art.first_person(m.end(), m.end() + 40):
                continue  # "Hillary Clinton’s campaign manager Robby Mook" is Mook
            mention = self._mention_at(m.start(), m.end())
            if mention.kind in ("person", "org"):
                return self.who(_Who(m), start, cue)
            if (
                m.start() == first_word
                and " " not in mention.name
                and could_be_surname(mention.name)
                and _C.VERB_NEXT.match(text, m.end())
            ):
                # "Ayotte has tangled with Trump, saying …": a lone capitalised word opening
                # the sentence, right before its verb, is the subject even if named once.
                return self.who(_Who(m), start, cue)
        return None

    def attribute(
        self, q: Quote, prev: Quote | None = None, nxt: Quote | None = None
    ) -> Speaker | None:
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
            return Speaker(label.group("who").title(), None, "transcript")
        for tail_re in _C.TAILS:
            tail = tail_re.match(text, close, hi)
            if tail:
                found = self.who(tail, s_start, tail.group("cue"))
                if found and _C.CONTRAST_LEAD.match(text, close):
                    # "X said the move was “positive,” while Y said ...": Y speaks next; the
                    # words are X's when X's cue comes before them in the sentence.
                    before = self._before(lo, q.open)
                    found = before[0] if before else found
                if found:
                    return found
        generic = _C.GENERIC_TAIL.match(text, close, hi)
        if generic:  # “…,” one board member said: said, by someone the article does not name
            return self._unnamed(generic)
        para_end = art.paras[q.para][1]
        sign = _C.SIGN_OFF.match(text, close, para_end)
        if sign:  # “…” ― Karen Bobadilla
            found = self.who(sign, s_start, "sign-off")
            if found:
                return found
        if close >= para_end - 2 and q.para + 1 < len(art.paras):
            lo2, hi2 = art.paras[q.para + 1]
            sign = _C.SIGN_OFF.match(text, lo2, hi2)  # the same sign-off, as its own paragraph
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
            named = _C.NAME_COLON.search(text, max(lo, q.open - 120), q.open)
            if named:  # "... doesn't surprise pollster Daron Shaw: “…”"
                found = self.who(named, lo, ":")
                if found:
                    return found
            generic = _C.GENERIC_LEAD.match(text, s_start, q.open)
            if generic:  # said by someone the article does not name, not by the last speaker
                return self._unnamed(generic)
            return self._subject(lo, q.open, ":")
        if prev and prev.speaker and prev.speaker.name and not self._any_cue(prev.close, q.open):
            # A second quote in the paragraph with no new attribution carries on the first.
            return Speaker(prev.speaker.name, prev.speaker.role, prev.speaker.cue, False)
        if _C.REFUSED.search(text, lo, q.open):
            return None  # "Reyes declined to say whether “…”": not Reyes's words
        guess = self._subject(lo, q.open, "subject")
        if guess:
            guess.explicit = False
            return guess
        return self._neighbours(q, s_start, s_end)

    def _unnamed(self, match: re.Match[str]) -> Speaker | None:
        """The speaker a generic pattern found: unnamed, described by its ``who`` words.

        Not when those words are a document or a question ("one question asks", "a
        statement said"): its author when a body is named with that word, else no one."""
        words = match.group("who").split()
        cue = match.group("cue")
        if _C.DOCUMENT_HEAD.fullmatch(words[-1]):
            head, pos = words[-1].lower().removesuffix("s"), match.start("who")
            if not re.fullmatch(_C.REPORT_HEADS, head):
                # "one question asks": a question of the survey named just before, if any.
                document = _C.REPORT_WORD.findall(self.art.masked, max(0, pos - 300), pos)
                if not document:
                    return None
                head = document[-1].lower()
            author = self.art.owner_of(head, pos)
            if author is None:
                return None
            return Speaker(author.name, author.role if author.kind == "person" else None, cue)
        return Speaker(None, " ".join(words), cue)

    def _any_cue(self, lo: int, hi: int) -> bool:
        text = self.art.masked
        return any(p.search(text, lo, hi) for p in (_C.SUBJ_CUE, _C.CUE_SUBJ, _C.ACCORDING))

    def _introduced(self, para: int) -> Speaker | None:
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

    def _before(self, lo: int, hi: int) -> tuple[Speaker, int] | None:
        """A cue in the sentence before the quote: (speaker, end of the cue)."""
        text = self.art.masked
        poss = _C.POSS_SPEECH.search(text, max(lo, hi - 200), hi)
        outer = [m for m in _C.SUBJ_CUE.finditer(text, lo, poss.start()) if poss] if poss else []
        if outer and _C.THAT_RE.search(text, outer[0].end("cue"), poss.start()):
            poss = None  # "Ryan told CNN that Ginsburg’s comments “…”": Ryan's words
        if poss:
            found = self.who(poss, lo, poss.group("cue"))
            if found:
                return found, poss.end()
        acc = max(_C.ACCORDING.finditer(text, lo, hi), key=lambda m: m.start(), default=None)
        if acc:
            found = self.who(acc, lo, "according to")
            if found:
                return found, acc.end()
        matches = [
            m for pattern in (_C.SUBJ_CUE, _C.CUE_SUBJ, _C.QUOTED_AS, _C.PARTICIPLE)
            for m in pattern.finditer(text, lo, hi)
            if pattern is not _C.CUE_SUBJ or _inverted(text, lo, m.start("cue"))
        ] + list(_C.PAIR_CUE.finditer(text, lo, hi))  # fmt: skip
        if not matches:
            return None
        best = max(matches, key=lambda m: m.end("cue"))
        finite = sorted((m for m in matches if m.re is _C.SUBJ_CUE), key=lambda m: m.start())
        if (
            finite
            and finite[0] is not best
            and _C.THAT_RE.search(text, finite[0].end("cue"), best.start())
        ):
            # "Trump said ... that Clinton described the pact as “…”": the words are reported
            # by the outer speaker, who is the quote's source.
            best = finite[0]
        cue = best.group("cue")
        if best.re is _C.PARTICIPLE:
            speaker = self._participle_subject(lo, best, finite)
            return (speaker, best.end()) if speaker else None
        speaker = self.who(best, lo, cue)
        if speaker is None and best.re is _C.SUBJ_CUE:
            # "The Russian leader, responding to ..., said that": the subject is further back.
            speaker = self._subject(lo, best.start("cue"), cue)
        return (speaker, best.end()) if speaker else None

    def _participle_subject(
        self, lo: int, participle: re.Match[str], finite: list[re.Match[str]]
    ) -> Speaker | None:
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
        right_before = _C.NAME_BEFORE.search(
            text, max(lo, participle.start() - 80), participle.start()
        )
        if right_before:
            mention = self._mention_at(*right_before.span("who"))
            if mention.kind == "person" or (
                mention.kind == "other"
                and " " not in mention.name
                and could_be_surname(mention.name)
            ):
                return self.who(_Who(right_before, "who"), lo, cue)
        return self._subject(lo, participle.start(), cue)

    def _after(self, lo: int, hi: int) -> tuple[Speaker, int] | None:
        """A cue later in the sentence: "…” on the issue, Putin’s aide Yuri Ushakov told reporters".

        Not one in a clause of its own ("…,” when Clinton blasted him): that says what
        happened around the words, not who said them."""
        acc = _C.ACCORDING.search(self.art.masked, lo, hi)  # "…” at a rally, according to X."
        if acc:
            speaker = self.who(acc, lo, "according to")
            if speaker:
                return speaker, acc.start()
        found = [
            *_C.SUBJ_CUE.finditer(self.art.masked, lo, hi),
            *_C.CUE_SUBJ.finditer(self.art.masked, lo, hi),
        ]
        for m in sorted(found, key=lambda m: m.start()):
            if _C.SUBORDINATE_RE.search(self.art.masked, max(lo, m.start() - 12), m.start()):
                continue
            speaker = self.who(m, lo, m.group("cue"))
            if speaker:
                return speaker, m.start()
        return None

    def _neighbours(self, q: Quote, s_start: int, s_end: int) -> Speaker | None:
        """The previous sentence's cue ("Ushakov said so. “…”"), else the next sentence's."""
        art = self.art
        prev = art.previous_sentence(q.para, s_start)
        if prev:
            found = self._before(max(prev[0], prev[1] - WINDOW), prev[1])
            if found:
                found[0].explicit = False
                return found[0]
        if s_end < art.paras[q.para][1]:
            nxt = _C.SUBJ_CUE.match(art.masked, s_end, min(s_end + 200, art.paras[q.para][1]))
            speaker = self.who(nxt, s_end, nxt.group("cue")) if nxt else None
            if speaker:
                speaker.explicit = False
            return speaker
        return None


def _listed(people: list[Mention]) -> str:
    """ "Ann Reyes, Tom Ware and Bo Lind": a list of people as one speaker's description."""
    names = [m.name for m in people]
    return ", ".join(names[:-1]) + f" {W.AND_WORD} " + names[-1]


def _inverted(text: str, lo: int, cue: int) -> bool:
    """Whether a verb-first cue ("said Ann Reyes") stands where English inverts: at the
    start of its sentence, or after a comma, a dash or a quotation. "The suit states
    Ruritania would ..." has its subject before the verb: the name after it is not the
    speaker."""
    before = text[max(lo, cue - 3) : cue].rstrip()
    return not before or before[-1] in ",;:\u2014\u2013-\"\u201d\u2019'"


def attribute_all(art: Article, nested: bool) -> None:
    """Attribute quotes in order; unattributed ones inherit from the quote just before."""
    attributor = _Attributor(art)
    top = [q for q in art.quotes if q.depth == 0]
    prev: Quote | None = None
    for i, q in enumerate(top):
        before = prev if prev is not None and prev.para == q.para else None
        after = top[i + 1] if i + 1 < len(top) and top[i + 1].para == q.para else None
        q.speaker = attributor.attribute(q, before, after)
        if prev is not None and prev.speaker and prev.speaker.name:
            if _is_split(art.masked[prev.close + 1 : q.open], prev, q):
                q.group = prev.group  # “…,” he said, “…”
            if q.group == prev.group or (q.speaker is None and _adjacent(art, prev, q)):
                q.speaker = Speaker(prev.speaker.name, prev.speaker.role, prev.speaker.cue, False)
        prev = q
    for q, nxt in zip(top, top[1:], strict=False):
        # “…” and “…,” said X: the attribution after the second covers the first too.
        if q.speaker is None and nxt.speaker and art.sentence(q)[0] == art.sentence(nxt)[0]:
            q.speaker = Speaker(nxt.speaker.name, nxt.speaker.role, nxt.speaker.cue, False)
    _share_group_speakers(art)
    if nested:
        _attribute_nested(art)


def _is_split(gap: str, prev: Quote, q: Quote) -> bool:
    """The gap between two quotes is only an attribution ending in a comma or colon."""
    if prev.para != q.para or len(gap) > 120 or gap.rstrip()[-1:] not in {",", ":"}:
        return False
    return any(t.match(gap) and not gap[t.match(gap).end() :].strip(" ,:") for t in _C.TAILS)


def _adjacent(art: Article, prev: Quote, q: Quote) -> bool:
    """Nothing but the previous speaker's attribution stands between the two quotes."""
    if prev.para == q.para and art.sentence(prev)[0] == art.sentence(q)[0]:
        return True
    if q.para - prev.para > 2 or q.open - prev.close > 600:
        return False
    # Only another person stands between a speaker and their next words: "told CNN" does not.
    names = [m for m in art.mentions_between(prev.close, q.open) if m.kind == "person"]
    return all(prev.speaker is not None and m.name == prev.speaker.name for m in names)


def _share_group_speakers(art: Article) -> None:
    """Parts of one utterance share the most explicit attribution any part has."""
    groups: dict[int, list[Quote]] = {}
    for q in art.quotes:
        if q.depth == 0:
            groups.setdefault(q.group, []).append(q)
    for parts in groups.values():
        found = [p.speaker for p in parts if p.speaker and p.speaker.explicit]
        found = found or [p.speaker for p in parts if p.speaker]
        if len(parts) > 1 and found:
            for p in parts:
                p.speaker = found[0]


def _attribute_nested(art: Article) -> None:
    """A quote inside a quote is attributed within the outer quote's words only."""
    outers = [q for q in art.quotes if q.depth == 0]
    starts = [q.open for q in outers]
    inner_articles: dict[int, Article] = {}
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
            inner_articles[base] = Article(
                art.text[base : outer.end], [(0, outer.end - base)], art.surnames
            )
        inner = inner_articles[base]
        twins = inner.quote_at.get(q.open - base)
        twin = twins or Quote(q.open - base, q.close - base, q.start - base, q.end - base, 0, 0)
        q.speaker = _Attributor(inner).attribute(twin)
