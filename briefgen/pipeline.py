"""build_brief(): one call per stage, nothing else."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefgen.config import Config
from briefgen.errors import ArticleError, NoUsableInputError
from briefgen.models import Brief, Sentence, Source
from briefgen.stages import assemble, clean, entities, ingest, segment
from briefgen.stages.people import SpeakerIndex
from briefgen.stages.quotes import QuoteSpan, find_names, find_quotes


@dataclass
class Analysis:
    """What the per-article stages produced, before anything is chosen."""

    sources: list[Source]
    sentences: list[Sentence]
    quotes: dict[int, list[QuoteSpan]]
    speakers: SpeakerIndex
    rejected: list[ArticleError]


def analyse(source_dir: Path) -> Analysis:
    """Ingest, clean, segment, find quotes and entities in every article of ``source_dir``."""
    result = ingest.ingest(source_dir)
    sentences: list[Sentence] = []
    quotes: dict[int, list[QuoteSpan]] = {}
    for source in result.sources:
        clean.clean(source)
        sentences.extend(segment.segment(source))
        quotes[source.n] = find_quotes(source.text, [(b.start, b.end) for b in source.body])
    entities.annotate(sentences)
    speakers = speaker_index(result.sources, quotes)
    return Analysis(result.sources, sentences, quotes, speakers, result.rejected)


def speaker_index(sources: Sequence[Source], quotes: dict[int, list[QuoteSpan]]) -> SpeakerIndex:
    """Every person and organisation named in the sources, so "Zelensky" in one article
    resolves to the "Volodymyr Zelenskyy" named in full in another."""
    index = SpeakerIndex()
    for source in sources:
        for name, role in find_names(source.text, [(b.start, b.end) for b in source.body]):
            index.add(name, role)
        for q in quotes.get(source.n, []):
            if q.speaker:
                index.add(q.speaker, q.speaker_role)
    return index


def build_brief(source_dir: Path, config: Config) -> tuple[Brief, list[ArticleError]]:
    """The whole analysis: articles in, a Brief and the rejected articles out."""
    analysis = analyse(source_dir)
    if not analysis.sources:
        raise NoUsableInputError(
            "no usable article",
            path=str(source_dir),
            hint="put .txt or .md articles (UTF-8) in the folder",
        )
    brief = assemble.assemble(
        config,
        analysis.sources,
        analysis.sentences,
        analysis.quotes,
        analysis.speakers,
        generation_time(),
    )
    brief.warnings = [e.one_line() for e in analysis.rejected]
    return brief, analysis.rejected


def summary_sentences(source_dir: Path, words: int) -> tuple[list[Sentence], list[ArticleError]]:
    """The generic summary of ``source_dir``: verbatim sentences, most important first."""
    from briefgen.stages.summarize import summarize

    result = ingest.ingest(source_dir)
    documents = []
    for source in result.sources:
        clean.clean(source)
        documents.append(segment.segment(source))
    picked = summarize([[s.text for s in doc] for doc in documents], words=words, order="rank")
    return [documents[d][i] for d, i in picked], result.rejected


def generation_time() -> str:
    """Now in UTC, or ``SOURCE_DATE_EPOCH`` when set, so builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
