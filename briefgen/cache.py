"""The per-article analysis cache: adding one article to five hundred redoes one.

An article's analysis depends on its bytes and on briefgen's version alone, so
it is stored under the hash of both. Entries are JSON files written atomically;
a damaged or foreign entry is ignored and recomputed, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from briefgen import __version__, lang
from briefgen.analysis import ArticleAnalysis
from briefgen.atomic import write_atomic
from briefgen.models import Block, Entity, Removed, Sentence, Source
from briefgen.stages.quotes import QuoteSpan

# Bump when the analysis changes shape or meaning without a version bump (development).
# 10: sentences as rows of offsets; 11: a full name keeps its own role; 12: speakers;
# 13: titles "of" a place ("Mayor of London Sadiq Khan") and boards, bureaus are bodies;
# 14: groups of speakers, quote marks inside markup tags
SCHEMA = 17


class ArticleCache:
    """Analysis results kept in ``folder`` (``OUTDIR/.briefgen/cache``)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def key(self, raw: bytes) -> str:
        return self.key_for_digest(hashlib.sha256(raw).hexdigest())

    @staticmethod
    def key_for_digest(content_sha256: str) -> str:
        """The entry name for content with this SHA-256 (as the build manifest records it),
        so entries can be pruned without reading the articles again."""
        # The active language (briefgen.lang) too: another language's analyses differ.
        key = f"{content_sha256}\0{__version__}\0{SCHEMA}\0{lang.active_code()}"
        return hashlib.sha256(key.encode()).hexdigest()

    def get(self, raw: bytes, rel: str) -> list[ArticleAnalysis] | None:
        """The cached analyses of the articles in these bytes, under path ``rel``, or None."""
        path = self.folder / f"{self.key(raw)}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = [_from_dict(item) for item in data["articles"]]
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return [_renamed(analysis, rel) for analysis in found]

    def put(self, raw: bytes, found: list[ArticleAnalysis]) -> None:
        """Store the analyses of one file; a cache that cannot be written only costs speed.

        The cache keeps no warnings: a file with some is not stored, so it is analysed
        again next time and its warnings are shown on every build."""
        if any(a.warnings for a in found):
            return
        try:
            # Not parents=True: an output folder removed mid-build must not come back.
            self.folder.mkdir(exist_ok=True)
            record = {"articles": [_to_dict(a) for a in found]}
            data = json.dumps(record, ensure_ascii=False).encode("utf-8")
            write_atomic(self.folder / f"{self.key(raw)}.json", data, sync=False, private=True)
        except OSError:
            return

    def prune(self, keep: set[str]) -> None:
        """Remove entries whose keys are not in ``keep`` (articles no longer present)."""
        if not self.folder.is_dir():
            return
        for entry in self.folder.glob("*.json"):
            if entry.stem not in keep:
                with contextlib.suppress(OSError):
                    os.unlink(entry)


def _renamed(analysis: ArticleAnalysis, rel: str) -> ArticleAnalysis:
    """The analysis under path ``rel``: the same bytes may have been renamed."""
    suffix = analysis.source.path.partition("#")[2]
    path = f"{rel}#{suffix}" if suffix else rel
    if path == analysis.source.path:
        return analysis
    return replace(analysis, source=replace(analysis.source, path=path))


def _to_dict(analysis: ArticleAnalysis) -> dict[str, Any]:
    # What ``dataclasses.asdict`` gives, field by field: asdict deep-copies every value
    # and was most of the main process's work while the workers analysed the articles.
    source = _shallow(analysis.source)
    source["body"] = [_shallow(b) for b in analysis.source.body]
    source["removed"] = [_shallow(r) for r in analysis.source.removed]
    text = analysis.source.text
    return {
        "source": source,
        "sentences": [_sentence_row(s, text) for s in analysis.sentences],
        "quotes": [_shallow(q) for q in analysis.quotes],
        "names": [list(n) for n in analysis.names],
        "terms": analysis.terms,
        "name_counts": analysis.name_counts,
        "sketch": analysis.sketch,
    }


# A sentence is stored as a row of offsets, its text and its entities' texts as slices
# of the source text (null when an entity's text is not its slice): the texts were a
# third of an entry, and each sentence's field names another third.
def _sentence_row(s: Sentence, text: str) -> list[Any]:
    entities = [
        [e.kind, e.start, e.end, e.value, None if text[e.start : e.end] == e.text else e.text]
        for e in s.entities
    ]
    return [s.source, s.start, s.end, s.position, s.paragraph, entities]


def _sentence_of(row: list[Any], text: str) -> Sentence:
    source, start, end, position, paragraph, entities = row
    return Sentence(
        source, start, end, text[start:end], position, paragraph,
        [Entity(text[a:b] if t is None else t, kind, a, b, value)
         for kind, a, b, value, t in entities],
    )  # fmt: skip


def _shallow(obj: Any) -> dict[str, Any]:
    """A dataclass instance's fields as a dict, values as they are (not copied)."""
    return {name: getattr(obj, name) for name in _field_names(type(obj))}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _from_dict(data: dict[str, Any]) -> ArticleAnalysis:
    src = dict(data["source"])
    src["body"] = [Block(**b) for b in src["body"]]
    src["removed"] = [Removed(**r) for r in src["removed"]]
    if src.get("title_span") is not None:
        src["title_span"] = tuple(src["title_span"])
    source = Source(**src)
    text = source.text
    sentences = [_sentence_of(row, text) for row in data["sentences"]]
    for s in sentences:
        if not 0 <= s.start < s.end <= len(text):
            raise ValueError("cached sentence lies outside its source")
    terms = data.get("terms")
    if terms is not None and len(terms) != len(sentences):
        raise ValueError("cached terms do not match the sentences")
    counts = data.get("name_counts")
    sketch = data.get("sketch")
    return ArticleAnalysis(
        source=source,
        sentences=sentences,
        quotes=[QuoteSpan(**q) for q in data["quotes"]],
        names=[(n[0], n[1]) for n in data["names"]],
        terms=terms,
        name_counts=(dict(counts[0]), dict(counts[1])) if counts is not None else None,
        sketch=(int(sketch[0]), [int(h) for h in sketch[1]]) if sketch is not None else None,
    )
