"""Languages: the word lists and patterns the stages read, one module per language.

The stages hold the rules (a quote attributed from "X said", a name run classed by the word
before it); the words those rules look for come from the *active* language module. The
config's ``[brief] language`` chooses it by its primary subtag (``en-GB`` -> ``en``), and the
pipeline activates it with :func:`use` before any stage runs, in worker processes too.

**Adding a language.** Write ``briefgen/lang/<code>.py`` defining every name in
:data:`REQUIRED` (copy ``en.py`` and translate it: each name there says what it is for and
in what form, a frozenset of words or a regex fragment), then add one line to
:data:`LANGUAGES`. Nothing else changes: the name recogniser, quote attribution, the
statistics and the dates all read the lists through this registry.

A stage reads the active language through :func:`bound`: ``W = bound(builder)`` is a
namespace filled with ``builder(module)`` for the active language, refilled whenever
another language becomes active, so compiled patterns are built once per language and the
stages' hot loops pay one attribute lookup.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType, SimpleNamespace
from typing import Any

# Language code (an ISO 639-1 primary subtag, lower case) -> the module holding its lists.
LANGUAGES: dict[str, str] = {"en": "briefgen.lang.en"}

DEFAULT = "en"

# What a language module must define (see en.py for the meaning and form of each).
REQUIRED: tuple[str, ...] = (
    # people, organisations, places: the name recogniser (entities) and people.py
    "HONORIFICS", "TITLE_WORDS", "ROLE_NOUNS", "ROLE_MODIFIERS", "FORMER_ROLE", "ROLE_SYNONYMS", "ORG_WORDS",
    "ORG_WORDS_EXTRA", "ORG_NAMES", "NAME_STOPWORDS", "PLACES", "PLACE_NAMES", "PLACE_HEADS",
    "PLACE_HEADS_IF_LONG",
    "PLACE_NOUNS", "PLACE_OF", "PLACE_AFTER_NOUNS", "PLACE_ACRONYMS", "NON_PERSON_LAST", "NATIONALITIES", "DEMONYMS",
    "NOT_ORG_ACRONYMS", "RANK_WORDS", "TITLE_QUALIFIERS", "NAME_ABBREVIATIONS",
    "NAME_CONNECTORS", "PARTICLES", "NAME_JOINERS", "ORG_CONJUNCTIONS", "CORPORATE_SUFFIXES",
    "ARTICLES", "OF_WORDS",
    "ROLE_SPLIT",
    "POSSESSIVE_SUFFIX", "POSSESSIVE", "COMPOUND_ADJECTIVE", "ADJECTIVAL", "GROUP_ENDINGS",
    "LOCATIVES", "STRICT_LOCATIVES", "SPELLING_EQUIVALENTS", "SPELLING_FINAL_VOWELS",
    "TRANSLITERATED_ENDING",
    # saying: quote attribution (attribution.py, mentions.py, quotemarks.py)
    "SAY_VERBS", "CUES", "INTENT_CUES", "REFUSED_CUES", "PARTICIPLES", "PRONOUN",
    "PRONOUN_REFERENTS", "HE_SHE_OPEN",
    "DEFINITE", "APPOSITIVE_ARTICLE", "AND", "REPORT_HEADS", "ORG_HEADS", "FILLER",
    "NAME_FILLER", "AFTER_NAME", "PARTY_TAG", "LIST_AND", "AND_WORD", "GROUP_NOUNS",
    "GROUP_COUNT", "ACCORDING", "QUOTED_AS", "UNNAMED", "TAIL_LEAD",
    "CONTRAST_LEAD", "THAT",
    "VERB_NEXT", "PLURAL_VERB_NEXT", "OPENING_PHRASE", "SUBORDINATE", "SPEECH_NOUNS",
    "DOCUMENT_NOUNS", "SPEECH_NOUN_TAIL",
    "TITLE_ABBREV", "TITLE_ABBREVIATIONS", "NAME_PARTICLES", "SENTENCE_ABBREVIATIONS", "MALE_PRONOUNS",
    "FEMALE_PRONOUNS", "MALE_WORDS", "FEMALE_WORDS", "TITLE_CUES", "TITLE_MINOR_WORDS",
    # numbers and dates (entities.py, metadata.py)
    "NUMBER_WORDS", "WORD_NUMBERS", "HEDGE", "DURATION_UNITS", "DURATION_COMPOUNDS",
    "NOT_UNITS", "DAY_MONTH", "MONTHS", "MONTH", "ORDINAL", "WEEKDAY", "DATELINE_WORDS",
    # values compared across sources (discrepancies.py)
    "COUNT_WORDS", "COUNT_SCALES", "HEDGE_LOWER_BOUND", "HEDGE_UPPER_BOUND", "HEDGE_NEARLY",
    "HEDGE_WORDS", "PERCENT_WORDS", "NOT_A_COUNT_BEFORE", "RELATIVE_AFTER", "RELATIVE_BEFORE",
    "DURATION_DAYS", "NOT_DURATION", "DURATION_OF", "IRREGULAR_PLURALS", "NOT_PLURAL_ENDINGS",
    "GENERIC_HEADS", "APPOSITION_VERBS", "CONJUNCTIONS", "APPOSITION_CUES", "CALENDAR_STEMS",
    "ADJECTIVE_NAME", "TOPIC_DETERMINER", "TOPIC_LOCATIVE", "SURNAME_TITLES",
    "SURNAME_HONORIFICS",
    # statistics (textstats.py, features.py)
    "STOPWORDS", "REPORTING_WORDS", "ANCHOR_NUMBER_WORDS", "NEGATIONS", "NEGATION_UNDONE",
    # references back (reference.py)
    "DANGLING_START", "POINTS_BACK", "POINTS_BACK_HINTS", "PERSON_REFERENCE", "PERSON_REFERENCE_INSIDE", "OTHER_REFERENCE", "GROUP_REFERENCE", "BARE_EVENT", "LEADING_HONORIFIC",
    # finite verbs (structure.py)
    "AUXILIARIES", "IRREGULAR_VERBS", "BASE_VERBS", "NOT_VERBS", "NOUN_CONTEXT",
    "NOT_VERB_ENDINGS",
    # the structure of news copy: captions, notes, decks, headlines (structure.py)
    "CAPTION_POSITION", "CAPTION_DATE", "PAST_TENSE", "TEXT_NOTE", "PRESENT_ATTRIBUTION",
    "PAST_REPORTING", "HEADLINE_DAY",
    # theme discovery (discover.py)
    "THREAD_GENERIC", "TITLE_LINKS", "VERB_MARKERS", "DETERMINERS", "NOUN_MARKERS",
    "SPEAKER_CUES",
    # credit lines and money (metadata.py, discrepancies.py)
    "COPYRIGHT_OPEN", "COMPANY_ENDINGS", "RIGHTS_RESERVED", "ALL_RIGHTS_RESERVED",
    "DISTRIBUTED_BY", "CURRENCY_CODES",
)  # fmt: skip

_loaded: dict[str, ModuleType] = {}
_active: list[ModuleType] = []  # one element: the active language module
_bound: list[tuple[SimpleNamespace, Callable[[ModuleType], dict[str, Any]]]] = []


class UnknownLanguage(LookupError):
    """No language module for a code; ``str()`` names the languages there are."""

    def __init__(self, code: str) -> None:
        super().__init__(f"no language module for {code!r}; available: {', '.join(available())}")
        self.code = code


def code_for(tag: str) -> str:
    """The primary subtag of a language tag, lower case: "en-GB" -> "en", "EN" -> "en"."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def available() -> list[str]:
    """The language codes with a module, sorted."""
    return sorted(LANGUAGES)


def load(code: str) -> ModuleType:
    """The language module for ``code`` (a code or a tag), imported on first use.

    Raises UnknownLanguage when there is none, and AttributeError naming what a registered
    module fails to define."""
    code = code_for(code)
    if code in _loaded:
        return _loaded[code]
    if code not in LANGUAGES:
        raise UnknownLanguage(code)
    module = importlib.import_module(LANGUAGES[code])
    missing = [name for name in REQUIRED if not hasattr(module, name)]
    if missing:
        raise AttributeError(f"language module {module.__name__} lacks {', '.join(missing)}")
    _loaded[code] = module
    return module


def active() -> ModuleType:
    """The language module the stages read now."""
    if not _active:
        _active.append(load(DEFAULT))
    return _active[0]


def active_code() -> str:
    """The code of the active language ("en")."""
    module = active()
    return next(code for code, m in _loaded.items() if m is module)


def use(code: str) -> ModuleType:
    """Make ``code`` the language every stage reads from now on (in this process)."""
    module = load(code)
    if _active and _active[0] is module:
        return module
    _active[:] = [module]
    for namespace, builder in _bound:
        _fill(namespace, builder, module)
    return module


@contextmanager
def using(code: str) -> Iterator[ModuleType]:
    """The language ``code`` for a block, then the one active before it."""
    before = active_code()
    try:
        yield use(code)
    finally:
        use(before)


def bound(builder: Callable[[ModuleType], dict[str, Any]]) -> SimpleNamespace:
    """A namespace holding ``builder(language module)`` for the active language, refilled
    when another one becomes active (the stages' compiled patterns and derived sets)."""
    namespace = SimpleNamespace()
    _fill(namespace, builder, active())
    _bound.append((namespace, builder))
    return namespace


def _fill(
    namespace: SimpleNamespace, builder: Callable[[ModuleType], dict[str, Any]], module: ModuleType
) -> None:
    values = builder(module)
    namespace.__dict__.clear()
    namespace.__dict__.update(values)


def _public(module: ModuleType) -> dict[str, Any]:
    return {
        name: getattr(module, name) for name in dir(module) if name.isupper() and name[0] != "_"
    }


# The active language's lists themselves: ``words.STOPWORDS``, ``words.CUES``, ...
words = bound(_public)
