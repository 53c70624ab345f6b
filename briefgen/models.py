"""The data model every stage reads and writes.

Provenance by construction: every span keeps character offsets into its source
file's decoded text, so ``source.text[span.start:span.end] == span.text`` can be
checked mechanically for every item of every brief.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Citation:
    """A cited span: source number ``n`` and offsets into that source's decoded text."""

    source: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph-like stretch of a source's text kept as article body."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Removed:
    """Text the cleaner dropped, kept so `inspect`-style reports can show why."""

    start: int
    end: int
    reason: str  # a short stable code: headline, deck, caption, subhead, label, ...
    why: str = ""  # what gave it away, in words, for `briefgen inspect`


@dataclass(frozen=True)
class Source:
    """One article: its decoded text, metadata and the body blocks cleaning kept.

    Never changed in place: each stage that learns something about a source (cleaning,
    the sidecar, numbering, syndication) returns a new one (``dataclasses.replace``)."""

    id: str
    path: str  # relative to the source folder, POSIX separators
    text: str  # the file's decoded text; every offset points into this
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    author: str | None = None
    n: int = 0  # citation number, 1-based, assigned after sorting
    body: list[Block] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    title_span: tuple[int, int] | None = None
    title_why: str | None = None  # what made the first line the headline
    body_start: int = 0  # after a front-matter block, when there is one
    extracted: bool = False  # text extracted from HTML, a feed or an export (not the file)
    reliability: str | None = None  # an editor's grade, from sources.toml or front matter
    syndicated_from: int | None = None  # n of the first source carrying the same wire story


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a source's body, with offsets into the source text."""

    source: int  # Source.n
    start: int
    end: int
    text: str
    position: int  # index of the sentence within its source (0-based)
    paragraph: int  # index of the body block it belongs to
    entities: list[Entity] = field(default_factory=list)

    # ``replace(self, ...)`` at less than half the cost, for the stages that copy every
    # sentence of the corpus. Name every field in both when adding one.
    def with_entities(self, entities: list[Entity]) -> Sentence:
        """This sentence with other entities."""
        s = self
        return Sentence(s.source, s.start, s.end, s.text, s.position, s.paragraph, entities)

    def with_source(self, source: int) -> Sentence:
        """This sentence numbered as source ``source``."""
        s = self
        return Sentence(source, s.start, s.end, s.text, s.position, s.paragraph, s.entities)

    def __reduce__(self) -> tuple[type[Sentence], tuple[object, ...]]:
        # Pickled as its fields: a slotted frozen dataclass's default pickling sets each
        # field through object.__setattr__, and every analysis crosses a process boundary.
        s = self
        return Sentence, (s.source, s.start, s.end, s.text, s.position, s.paragraph, s.entities)


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity or quantity found inside a sentence (offsets into the source)."""

    text: str
    kind: str  # person, organisation, place, number, quantity, date, duration
    start: int
    end: int
    value: str | None = None  # normalised value when known (ISO date, number; a person's title)

    def with_kind(self, kind: str) -> Entity:
        """This entity with another kind: ``replace(self, kind=...)`` at a third of the cost.
        Name every field here when adding one."""
        return Entity(self.text, kind, self.start, self.end, self.value)

    def __reduce__(self) -> tuple[type[Entity], tuple[object, ...]]:
        return Entity, (self.text, self.kind, self.start, self.end, self.value)  # as Sentence's


@dataclass
class Quote:
    """A direct quotation: the quoted words only, with offsets into the source text."""

    source: int
    start: int
    end: int
    text: str
    speaker: str | None = None  # canonical display name
    speaker_role: str | None = None
    sentence: int | None = None  # Sentence.position of the sentence holding it


@dataclass
class Fact:
    """A fact reported by one or more sources; ``text`` is the representative span."""

    text: str
    citations: list[Citation]
    score: float = 0.0
    entities: list[Entity] = field(default_factory=list)
    new: bool = False
    independent: int | None = None  # distinct origins (syndicated copies count once)
    display: str | None = None  # what the brief shows when it differs from ``text``

    @property
    def source_count(self) -> int:
        """How many independent sources carry the fact."""
        if self.independent is not None:
            return self.independent
        return len({c.source for c in self.citations})


@dataclass
class QuoteItem:
    """A quote as shown in a brief: text, speaker and every source that carries it."""

    text: str
    speaker: str | None
    citations: list[Citation]
    speaker_role: str | None = None
    score: float = 0.0
    new: bool = False


@dataclass
class Discrepancy:
    """Two or more sources disagreeing about the same thing (a date, number, name)."""

    subject: str
    kind: str
    sides: list[DiscrepancySide]


@dataclass
class DiscrepancySide:
    value: str
    text: str
    citations: list[Citation]


@dataclass
class ThemeSection:
    id: str
    title: str
    description: str
    facts: list[Fact] = field(default_factory=list)
    quotes: list[QuoteItem] = field(default_factory=list)
    note: str | None = None  # a message code ("little-coverage"), worded by render/messages.py
    # "configured" (briefgen.toml), "discovered" (stages/discover.py), or "other": the
    # salient facts no theme took, titled by render/messages.py.
    kind: str = "configured"

    @property
    def discovered(self) -> bool:
        return self.kind == "discovered"


@dataclass
class DroppedFact:
    """A fact of the last edition whose sentence no source carries any more."""

    text: str
    source_title: str | None


@dataclass
class ArticleFacts:
    """An added or updated article's most salient facts that are new since the last
    edition, shown under "New since the last edition" even when no theme took them."""

    path: str
    source: int  # Source.n
    change: str  # "added" or "updated"
    facts: list[Fact] = field(default_factory=list)


@dataclass
class Changes:
    """What is new since the last edition (``first`` when there was none)."""

    first: bool
    previous_edition: int | None = None
    previous_published_at: str | None = None
    new_facts: list[Fact] = field(default_factory=list)
    new_quotes: list[QuoteItem] = field(default_factory=list)
    dropped_facts: list[DroppedFact] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)  # paths
    sources_removed: list[str] = field(default_factory=list)
    sources_updated: list[str] = field(default_factory=list)
    article_facts: list[ArticleFacts] = field(default_factory=list)  # added/updated articles


@dataclass
class Brief:
    title: str
    generated_at: str  # ISO 8601, UTC
    sources: list[Source]
    key_points: list[Fact]
    themes: list[ThemeSection]
    discrepancies: list[Discrepancy] = field(default_factory=list)
    subtitle: str | None = None
    organisation: str | None = None
    warnings: list[str] = field(default_factory=list)
    edition: int = 1
    changes: Changes | None = None
