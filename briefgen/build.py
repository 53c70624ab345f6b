"""The build command as one short function: config, lock, analysis, render all, publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import config as config_mod
from briefgen import timing
from briefgen.errors import ArticleError, RenderError
from briefgen.limits import deferred_signals, time_limit
from briefgen.render import RENDERERS, TemplateSet, format_names
from briefgen.stages.ingest import ArticleReader, check_source_dir
from briefgen.stages.sourcing import SIDECAR

if TYPE_CHECKING:
    from briefgen.cache import ArticleCache
    from briefgen.editions import Fingerprint, Manifest, OutputLock
    from briefgen.models import Brief
    from briefgen.pipeline import Analysis, Mapper


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: str = ""
    edition: int = 0
    unchanged: bool = False
    cache_hits: int = 0
    cache_misses: int = 0


def template_set(config: config_mod.Config, templates_dir: Path | None) -> TemplateSet:
    """The template folders to use: ``--templates`` first, else the config's ``templates`` key."""
    user_dir = templates_dir
    if user_dir is None and config.templates and config.path is not None:
        user_dir = (config.path.parent / config.templates).resolve()
    return TemplateSet(user_dir=user_dir, page_size=config.page_size, lang=config.language)


def run_build(
    source_dir: Path,
    config_path: Path | None,
    out_dir: Path,
    formats: tuple[str, ...] | None = None,
    templates_dir: Path | None = None,
    *,
    force: bool = False,
    wait: bool = False,
    since: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    mapper: Mapper | None = None,
    title: str | None = None,
) -> BuildReport:
    """Build and publish the next edition of the brief of ``source_dir`` into ``out_dir``.

    Nothing is rebuilt when the articles, config, templates and version are as
    the latest edition recorded (unless ``force``). Everything is rendered in
    memory before the first file is written, so a bad config or template stops
    the build with the last edition untouched. ``mapper`` runs the per-article analysis
    elsewhere (``pipeline.Mapper``: on a Dask cluster, or ``map`` for one core).

    A folder without ``briefgen.toml`` (and no ``config_path``) gets themes discovered
    from its articles (``stages/discover.py``); ``title`` replaces the config's title.
    """
    from briefgen import editions
    from briefgen.cache import ArticleCache
    from briefgen.pipeline import collector_paused

    check_source_dir(source_dir)  # a missing folder is named before its missing config
    config, config_file = config_mod.resolve(source_dir, config_path, title)
    templates = template_set(config, templates_dir)
    formats = tuple(formats or format_names())
    with editions.run_lock(out_dir, wait=wait) as lock:
        # One reader for the build: the analysis takes the list and the bytes the
        # fingerprint read.
        reader = ArticleReader(source_dir, config.limits.max_article_bytes, out_dir)
        articles = [(p.relative_to(source_dir).as_posix(), p) for p in reader.listing()[0]]
        with timing.stage("fingerprint of the inputs"):
            inputs = editions.fingerprint(
                ((rel, _read_or_empty(reader, path, rel)) for rel, path in articles),
                [config_file, source_dir / SIDECAR], templates.dirs, formats,
                config.output_stem, window=_options(since, title),
            )  # fmt: skip
        manifest = editions.load_manifest(out_dir)
        if not force and editions.up_to_date(manifest, inputs, out_dir):
            assert manifest is not None
            return BuildReport(
                unchanged=True, edition=manifest.edition,
                summary=f"nothing changed since edition {manifest.edition}; nothing written",
            )  # fmt: skip
        cache = ArticleCache(out_dir / editions.STATE_DIR / "cache")
        with collector_paused():  # rendering and publishing too (pipeline.collector_paused)
            brief, analysis, written, failed, unreadable = _build_and_publish(
                source_dir, config, formats, templates, since, progress, out_dir, mapper,
                reader, cache, manifest, inputs, lock,
            )  # fmt: skip
        with timing.stage("cache pruned"):
            cache.prune({cache.key_for_digest(d) for d in inputs.articles.values()})
    facts = len(brief.key_points) + sum(len(t.facts) for t in brief.themes)
    quotes = sum(len(t.quotes) for t in brief.themes)
    return BuildReport(
        written=written,
        warnings=[e.one_line() for e in analysis.rejected] + list(failed.values()),
        notes=analysis.notes
        + ([unreadable] if unreadable else [])
        + ([config_mod.discovered_note(source_dir)] if not config_file.is_file() else []),
        summary=f"edition {brief.edition}: {len(brief.sources)} sources, {facts} facts, {quotes} quotes",
        edition=brief.edition,
        cache_hits=cache.hits,
        cache_misses=cache.misses,
    )


def _build_and_publish(
    source_dir: Path,
    config: config_mod.Config,
    formats: tuple[str, ...],
    templates: TemplateSet,
    since: datetime | None,
    progress: Callable[[int, int], None] | None,
    out_dir: Path,
    mapper: Mapper | None,
    reader: ArticleReader,
    cache: ArticleCache,
    manifest: Manifest | None,
    inputs: Fingerprint,
    lock: OutputLock,
) -> tuple[Brief, Analysis, list[Path], dict[str, str], str | None]:
    """The brief built, marked with what is new, rendered and published as the next
    edition: the brief, its analysis, the files written, the formats that failed and a
    note when the last edition's record could not be read."""
    from briefgen import editions, whatsnew
    from briefgen.pipeline import build_brief
    from briefgen.render.schema import brief_data

    brief, analysis = build_brief(
        source_dir, config, cache, since, progress, out_dir=out_dir, mapper=mapper,
        reader=reader,
    )  # fmt: skip
    brief.edition = editions.next_edition(out_dir, manifest)
    last, unreadable = whatsnew.load_record(editions.last_brief_path(out_dir))
    with timing.stage("what's new"):
        whatsnew.mark(brief, analysis.sentences, last, analysis.quotes, analysis.features)
    outputs, failed = _render_all(brief, formats, templates, config)
    with timing.stage("edition record"):
        record = whatsnew.edition_record(
            brief_data(brief), analysis.sentences,
            (q.text for quotes in analysis.quotes.values() for q in quotes),
        )  # fmt: skip
    with deferred_signals(), timing.stage("publish"):  # Ctrl-C mid-publish would mix editions
        written = editions.publish(
            outputs, out_dir, edition=brief.edition, published_at=brief.generated_at,
            inputs=inputs, brief_data=record, keep=config.keep_editions,
            rejected={e.path: e.code for e in analysis.rejected if e.path},
            failed=failed, guard=lock.check,
        )  # fmt: skip
    return brief, analysis, written, failed, unreadable


def _options(since: datetime | None, title: str | None) -> str | None:
    """What else the edition depends on besides the files: --since and --title."""
    parts = [since.isoformat(timespec="minutes") if since else None, title and f"title={title}"]
    return ";".join(p for p in parts if p) or None


def _render_all(
    brief, formats: tuple[str, ...], templates: TemplateSet, config: config_mod.Config
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every format's file, and for each format that failed to render, its warning line.

    One failing format (a PDF past its time limit) does not hold back the others: they
    are published, the failed one is named and left out of the edition, and the next
    build tries it again. When every format fails, the first failure stops the build.
    """
    outputs: dict[str, bytes] = {}
    failed: dict[str, str] = {}
    first: RenderError | None = None
    for fmt in formats:
        name = f"{config.output_stem}{RENDERERS[fmt].extension}"
        try:
            with timing.stage(f"render {fmt}"):
                outputs[name] = _render(brief, fmt, templates, config)
        except RenderError as exc:
            first = first or exc
            failed[fmt] = RenderError(
                f"{exc.reason}; not in this edition (tried again next build)",
                path=name, hint=exc.hint, code=exc.code,
            ).one_line()  # fmt: skip
    if not outputs and first is not None:
        raise first
    return outputs, failed


def _render(brief, fmt: str, templates: TemplateSet, config: config_mod.Config) -> bytes:
    """Render one format, stopped with a RenderError after ``[limits] render_seconds``."""
    from briefgen.render import render

    with time_limit(config.limits.render_seconds, f"{fmt.upper()} rendering"):
        return render(brief, fmt, templates)


def _read_or_empty(reader: ArticleReader, path: Path, rel: str) -> bytes:
    # A file that vanished, cannot be read or is too large is reported by the analysis;
    # here it only needs to change the fingerprint (read safely: no FIFO, size-capped).
    try:
        return reader.raw(path, rel)
    except ArticleError as exc:
        return f"\0{exc.code}".encode()
