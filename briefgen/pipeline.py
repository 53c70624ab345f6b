"""build_brief(): one call per stage, nothing else."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import lang, timing
from briefgen.analysis import ArticleAnalysis
from briefgen.config import Config
from briefgen.errors import ArticleError, NoUsableInputError, display_path, printable
from briefgen.models import Brief, Sentence, Source
from briefgen.stages import (
    assemble,
    clean,
    entities,
    features,
    ingest,
    readers,
    segment,
    sourcing,
)
from briefgen.stages.people import SpeakerIndex
from briefgen.stages.quotes import QuoteSpan, analyse_quotes

if TYPE_CHECKING:
    from briefgen.cache import ArticleCache


@dataclass
class Analysis:
    """What the per-article stages produced, before anything is chosen."""

    sources: list[Source]
    sentences: list[Sentence]
    quotes: dict[int, list[QuoteSpan]]
    speakers: SpeakerIndex
    rejected: list[ArticleError]
    notes: list[str] = field(default_factory=list)  # e.g. articles left out by --since
    # The theme of each sentence (None: none), once a brief was assembled from them.
    themes: list[str | None] | None = None
    # Each sentence's content terms and the corpus's names, from the per-article stage
    # (None when an article came without them); the ranking features, once assembled.
    terms: list[list[str]] | None = None
    names: frozenset[str] | None = None
    features: assemble.Features | None = None


def analyse_article(raw: bytes, rel: str) -> list[ArticleAnalysis]:
    """Read, clean, segment and find quotes and names in every article of one file.

    What the readers warn about (a date that is no date) goes with the file's first article.
    """
    found = []
    warnings: list[ArticleError] = []
    for read in readers.read_file(raw, rel, warnings):
        source = clean.clean(read)
        blocks = [(b.start, b.end) for b in source.body]
        sentences = [
            sentence.with_entities(entities.extract(sentence))
            for sentence in segment.segment(source)
        ]
        # One- and two-word quotes too (kind "fragment"): `briefgen quotes` lists
        # them; the brief's sections leave them inside their sentences.
        quotes, names = analyse_quotes(source.text, blocks, include_scare=True)
        texts = [s.text for s in sentences]  # what ranking needs of them, counted once here
        found.append(
            ArticleAnalysis(
                source=source,
                sentences=sentences,
                quotes=quotes,
                names=names,
                terms=[features.content_terms(t) for t in texts],
                name_counts=features.name_counts(texts),
                sketch=sourcing.sketch_of(source),
            )
        )
    if found:
        found[0] = replace(found[0], warnings=warnings)
    return found


def analyse(
    source_dir: Path,
    cache: ArticleCache | None = None,
    since: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    max_article_bytes: int = ingest.MAX_ARTICLE_BYTES,
    out_dir: Path | None = None,
    mapper: Mapper | None = None,
    reader: ingest.ArticleReader | None = None,
    on_numbered: Callable[[Sequence[Sentence]], object] | None = None,
) -> Analysis:
    """Every article of ``source_dir`` analysed (from the cache when unchanged), then
    numbered and annotated with entities across the whole corpus.

    ``since`` keeps only articles published from then on (undated ones are kept and
    flagged in the warnings). Nothing in the output folder ``out_dir``, nor anything
    briefgen published, is read as an article (see ``ingest.OwnOutput``). ``mapper``, when
    given, runs the per-article analysis instead of this machine's cores (``_analyse_all``).
    ``reader``, when given, is the build's reader: files it has read already (for the
    fingerprint of the inputs) are not read again. ``on_numbered``, when given, is called
    with the corpus's sentences once they are numbered, before the corpus stages."""
    sidecar = sourcing.load_sidecar(source_dir)  # a bad sidecar stops before any work
    reader = reader or ingest.ArticleReader(source_dir, max_article_bytes, out_dir)
    # The articles, and the entries never opened: FIFOs, devices, links out, bad names.
    paths, rejected = reader.listing()
    # Read everything first (cheap), then analyse what the cache does not have,
    # on every core when there is enough of it.
    slots: list[list[ArticleAnalysis] | None] = []
    pending: list[tuple[int, bytes, str]] = []
    for path in paths:
        rel = path.relative_to(source_dir).as_posix()
        try:
            with timing.stage("read files, cache lookup"):
                raw = reader.read(path, rel)  # size limit, no blocking, duplicates
                cached = cache.get(raw, rel) if cache else None
        except ArticleError as exc:
            rejected.append(exc)
            continue
        except OSError as exc:
            rejected.append(ArticleError(f"cannot read: {exc.strerror}", path=rel))
            continue
        if cached is None:
            pending.append((len(slots), raw, rel))
        slots.append(cached)
    with timing.stage("clean, segment, quotes, entities (per article)"):
        cache_folder = cache.folder if cache else None
        analysed = _analyse_all(pending, mapper, cache_folder)
        for done, (slot, raw, _rel, result, stored) in enumerate(analysed, start=1):
            if progress:
                progress(done, len(pending))
            if isinstance(result, ArticleError):
                rejected.append(result)
                continue
            slots[slot] = result
            if cache and not stored:  # what a mapper returned, analysed elsewhere
                cache.put(raw, result)
    articles = [a for found in slots if found for a in found]
    # A date that is no date (BG-DATE) costs the article its date, not its place in the
    # brief: a note naming the file, not a rejection (the exit code stays 0).
    warned = [w for a in articles for w in a.warnings]
    sources, sidecar_warnings = sourcing.apply_sidecar([a.source for a in articles], sidecar)
    articles = [replace(a, source=s) for a, s in zip(articles, sources, strict=True)]
    warned += sidecar_warnings
    notes = [_note(w) for w in warned]
    if since is not None:
        articles, window_notes = _in_window(articles, since)
        notes += window_notes
    with timing.stage("entities and speakers (corpus)"):
        analysis = _corpus(articles, rejected, on_numbered)
    with timing.stage("syndication"):
        marked = sourcing.mark_syndication(analysis.sources, [a.sketch for a in articles])
    return replace(analysis, sources=marked, notes=notes)


def _note(warning: ArticleError) -> str:
    """One line naming the file: ``FILE: reason [BG-CODE]``."""
    where = f"{display_path(warning.path)}: " if warning.path else ""
    return f"{where}{printable(warning.reason)} [{warning.code}]"


PARALLEL_MIN = 16  # fewer uncached articles than this are not worth a worker pool
# Articles per task sent to a worker: at most this many, so that at 10,000 articles the
# last task does not keep one core busy for seconds while the other idles.
CHUNK_MAX = 32

# Runs the per-article analysis elsewhere, called like the built-in ``map``:
# ``mapper(_analyse_or_error, raws, rels)`` yields each file's result in input order.
# ``map`` itself runs it here, one file after another; ``cluster.analysis_mapper`` on Dask.
Mapper = Callable[
    [Callable[[bytes, str], "list[ArticleAnalysis] | ArticleError"], list[bytes], list[str]],
    Iterable["list[ArticleAnalysis] | ArticleError"],
]


def _analyse_all(
    pending: list[tuple[int, bytes, str]],
    mapper: Mapper | None = None,
    cache_folder: Path | None = None,
) -> Iterator[tuple[int, bytes, str, list[ArticleAnalysis] | ArticleError, bool]]:
    """Analyse the pending files in order: with ``mapper`` when given, else in worker
    processes when there are many; in the active language, in workers too.

    On this machine each analysis is also put in the cache at ``cache_folder`` where it
    is made (the last item, ``stored``, says so): written by the main process, the cache
    entries kept it from reading the workers' results, and a worker whose result could
    not be read waited, a quarter of the per-article time at 10,000 articles. A mapper
    may run elsewhere, without the disk: the caller stores what it returns."""
    if mapper is not None and pending:
        work = partial(_analyse_or_error, language=lang.active_code())
        results = mapper(work, [raw for _, raw, _ in pending],
                         [rel for _, _, rel in pending])  # fmt: skip
        for (slot, raw, rel), result in zip(pending, results, strict=True):
            yield slot, raw, rel, result, False
        return
    work = partial(_analyse_or_error, language=lang.active_code(), cache_folder=cache_folder)
    stored = cache_folder is not None
    workers = min(os.cpu_count() or 1, 4)
    if len(pending) < PARALLEL_MIN or workers < 2:
        for slot, raw, rel in pending:
            yield slot, raw, rel, work(raw, rel), stored
        return
    from concurrent.futures import ProcessPoolExecutor

    from briefgen.limits import stop_pool, worker_signals

    pool = ProcessPoolExecutor(max_workers=workers, initializer=worker_signals)
    try:
        results = pool.map(
            work, [raw for _, raw, _ in pending], [rel for _, _, rel in pending],
            chunksize=max(1, min(CHUNK_MAX, len(pending) // (workers * 8))),
        )  # fmt: skip
        for (slot, raw, rel), result in zip(pending, results, strict=True):
            yield slot, raw, rel, result, stored
    except BaseException:
        # Ctrl-C, SIGTERM or an error: the workers are stopped at once, not waited for
        # (their analyses so far are in the cache, each entry written whole).
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def _analyse_or_error(
    raw: bytes, rel: str, language: str = "en", cache_folder: Path | None = None
) -> list[ArticleAnalysis] | ArticleError:
    """analyse_article in ``language`` (a briefgen.lang code, made the process's active
    language), with an unreadable article returned rather than raised (so it crosses
    process boundaries intact); put in the cache at ``cache_folder`` when given.

    Input that exhausts the stack or memory (JSON nested 1,000 deep, in any stage) is
    an ArticleError for this file too, in a worker process as in this one."""
    lang.use(language)
    try:
        found = analyse_article(raw, rel)
    except ArticleError as exc:
        return exc
    except (RecursionError, MemoryError) as exc:
        return readers.too_complex(exc, rel)
    if cache_folder is not None:
        from briefgen.cache import ArticleCache

        ArticleCache(cache_folder).put(raw, found)
    return found


def _in_window(
    articles: list[ArticleAnalysis], since: datetime
) -> tuple[list[ArticleAnalysis], list[str]]:
    kept, undated, dropped = [], [], 0
    for article in articles:
        verdict = sourcing.in_window(article.source, since)
        if verdict is False:
            dropped += 1
            continue
        if verdict is None:
            undated.append(article.source.path)
        kept.append(article)
    notes = []
    if dropped:
        notes.append(f"{dropped} article(s) published before {since:%Y-%m-%d %H:%M} UTC left out")
    if undated:
        notes.append(f"kept {len(undated)} article(s) without a date: {', '.join(undated)}")
    return kept, notes


def _corpus(
    articles: list[ArticleAnalysis],
    rejected: list[ArticleError],
    on_numbered: Callable[[Sequence[Sentence]], object] | None = None,
) -> Analysis:
    """Number the sources in file order (new objects: an article's analysis may come
    from the cache, unnumbered) and do the stages that need every article."""
    sources: list[Source] = []
    sentences: list[Sentence] = []
    quotes: dict[int, list[QuoteSpan]] = {}
    speakers = SpeakerIndex()
    for n, article in enumerate(articles, start=1):
        sources.append(replace(article.source, n=n))
        sentences.extend(sentence.with_source(n) for sentence in article.sentences)
        quotes[n] = article.quotes
        for name, role in article.names:
            speakers.add(name, role)
        # A quote's role is the one its article gives the speaker: it counts once per
        # article, or a speaker quoted ten times in one story would carry that story's
        # description ("only doctor on stage") over every other article's.
        voted: set[tuple[str, str | None]] = set()
        for q in article.quotes:
            if q.speaker:
                key = (q.speaker, q.speaker_role)
                speakers.add(q.speaker, None if key in voted else q.speaker_role)
                voted.add(key)
    if on_numbered is not None:
        on_numbered(sentences)
    sentences = entities.resolve(sentences)
    analysis = Analysis(sources, sentences, quotes, speakers, rejected)
    if articles and all(a.terms is not None and a.name_counts for a in articles):
        # One string object per distinct term across the corpus (each article's came
        # from its own process): a 10,000-article story holds millions of them.
        canon: dict[str, str] = {}
        analysis.terms = [
            [canon.setdefault(w, w) for w in t] for a in articles for t in a.terms or ()
        ]
        analysis.names = features.names_from_counts(
            a.name_counts for a in articles if a.name_counts
        )
    return analysis


def build_brief(
    source_dir: Path,
    config: Config,
    cache: ArticleCache | None = None,
    since: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    out_dir: Path | None = None,
    mapper: Mapper | None = None,
    reader: ingest.ArticleReader | None = None,
) -> tuple[Brief, Analysis]:
    """The whole analysis: articles in, a Brief and what the stages found out.

    ``out_dir``, where the brief is published, is never read as input. The config's
    language becomes the active one (briefgen.lang) for this build's stages."""
    with collector_paused():
        return _build_brief(source_dir, config, cache, since, progress, out_dir, mapper, reader)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a build, back as it was after.

    A build holds millions of long-lived objects (every sentence, its entities, terms
    and vectors) and makes millions more; each full collection walks all of them, so
    with the collector on, a build's corpus stages took twice as long at 1,000 articles
    and grew faster than linearly. What a build allocates is freed by reference
    counting (its data has no cycles to speak of); the collector runs again after it.
    Forked workers (summary, discrepancies) inherit the pause, so no collection
    touches, and copies, the parent's pages in them either."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build_brief(
    source_dir: Path,
    config: Config,
    cache: ArticleCache | None,
    since: datetime | None,
    progress: Callable[[int, int], None] | None,
    out_dir: Path | None,
    mapper: Mapper | None,
    reader: ingest.ArticleReader | None,
) -> tuple[Brief, Analysis]:
    lang.use(config.language)
    with ExitStack() as ahead:
        # The key points' summary reads only the sentences' text: it starts on a second
        # core as soon as they are numbered, while this process does the corpus stages.
        def start_key_points(sentences: Sequence[Sentence]) -> None:
            ahead.enter_context(_key_points_ahead(sentences, config))

        analysis = analyse(
            source_dir, cache, since, progress,
            max_article_bytes=config.limits.max_article_bytes, out_dir=out_dir, mapper=mapper,
            reader=reader, on_numbered=start_key_points,
        )  # fmt: skip
        return _brief_of(analysis, config, source_dir)


def _brief_of(analysis: Analysis, config: Config, source_dir: Path) -> tuple[Brief, Analysis]:
    """The brief of an analysed corpus (and the analysis, with what assemble found)."""
    if not analysis.sources:
        raise NoUsableInputError(
            "no usable article",
            path=str(source_dir),
            hint=f"put articles in the folder ({', '.join(sorted(readers.READERS))}; UTF-8)",
        )
    if config.discover:
        from briefgen.stages import discover

        with timing.stage("discover themes"):
            config, _found = discover.extend_config(config, analysis.sources, analysis.sentences)
    with timing.stage("select: themes, facts, quotes, key points"):
        assembled = assemble.assemble_all(
            config,
            analysis.sources,
            analysis.sentences,
            analysis.quotes,
            analysis.speakers,
            generation_time(),
            terms=analysis.terms,
            names=analysis.names,
        )
    brief = assembled.brief
    brief.warnings = [e.one_line() for e in analysis.rejected]
    return brief, replace(analysis, themes=assembled.themes, features=assembled.features)


def _key_points_ahead(
    sentences: Sequence[Sentence], config: Config
) -> AbstractContextManager[None]:
    """The key points' summary started on a second core while the corpus stages and
    assemble do the rest; assemble's call with the same sentences and budget takes its
    result."""
    from briefgen.stages import summarize

    if config.limits.key_points <= 0:
        return nullcontext()
    by_source: dict[int, list[str]] = {}
    for sentence in sentences:
        by_source.setdefault(sentence.source, []).append(sentence.text)
    documents = [by_source[n] for n in sorted(by_source)]
    words = assemble.KEY_POINT_WORDS * config.limits.key_points
    return summarize.in_background(documents, words, order="rank")


def summary_sentences(
    source_dir: Path, words: int, *, overflow: bool = False
) -> tuple[list[Sentence], list[ArticleError]]:
    """The generic summary of ``source_dir``: verbatim sentences, most important first.

    With ``overflow`` the last sentence may run past ``words`` (for scorers that cut
    summaries at a word count, as ROUGE does at 100)."""
    from briefgen.stages.summarize import summarize

    analysis = analyse(source_dir)
    documents: dict[int, list[Sentence]] = {}
    for sentence in analysis.sentences:
        documents.setdefault(sentence.source, []).append(sentence)
    ordered = [documents.get(s.n, []) for s in analysis.sources]
    texts = [[s.text for s in doc] for doc in ordered]
    picked = summarize(texts, words=words, order="rank", overflow=overflow)
    return [ordered[d][i] for d, i in picked], analysis.rejected


def generation_time() -> str:
    """Now in UTC, or ``SOURCE_DATE_EPOCH`` when set, so builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
