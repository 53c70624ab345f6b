"""The command line: a thin click layer over the library; the only module importing click.

Errors are translated here, once: one line on stderr with a stable code, the file
and the reason; a traceback only with ``--debug``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from briefgen import __version__
from briefgen.errors import EXIT_PARTIAL, BriefgenError

DEFAULT_SOURCE = Path("seeds")
DEFAULT_OUTPUT = Path("output")


class BriefgenGroup(click.Group):
    """A click group that turns BriefgenError into one line and its exit code."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BriefgenError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(exc.one_line(), err=True)
            sys.exit(exc.exit_code)


@click.group(cls=BriefgenGroup)
@click.version_option(__version__, prog_name="briefgen")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn a folder of news articles about one story into a cited briefing."""
    ctx.obj = {"debug": debug}


def _build_options(func):
    """The options watch and schedule share with build."""
    for option in reversed([
        click.argument("source_dir", required=False, default=str(DEFAULT_SOURCE),
                       type=click.Path(path_type=Path, file_okay=False)),
        click.option("-c", "--config", "config_path",
                     type=click.Path(path_type=Path, dir_okay=False),
                     help="Config file (default: SOURCE_DIR/briefgen.toml)."),
        click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
                     default=str(DEFAULT_OUTPUT), show_default=True,
                     help="Folder to write the brief into."),
        click.option("-f", "--format", "formats", multiple=True,
                     type=click.Choice(["pdf", "docx", "html", "md", "json"]),
                     help="Output format; repeat for several (default: all)."),
        click.option("--templates", "templates_dir",
                     type=click.Path(path_type=Path, file_okay=False),
                     help="Folder of templates that take precedence over the built-ins."),
    ]):  # fmt: skip
        func = option(func)
    return func


@main.command()
@_build_options
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed.")
@click.option("--wait", is_flag=True, help="Wait for another running build instead of exiting 75.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and warnings.")
def build(
    source_dir: Path,
    config_path: Path | None,
    out_dir: Path,
    formats: tuple[str, ...],
    templates_dir: Path | None,
    force: bool,
    wait: bool,
    quiet: bool,
) -> None:
    """Build the brief of SOURCE_DIR (default: seeds/) into OUTDIR (default: output/).

    Each build that publishes is a numbered edition; when nothing changed since
    the last one, nothing is written and the exit code is 0.
    """
    from briefgen.build import run_build

    started = time.perf_counter()
    report = run_build(
        source_dir, config_path, out_dir, formats or None, templates_dir, force=force, wait=wait
    )
    for warning in report.warnings:
        click.echo(warning.replace("error[", "warning[", 1), err=True)
    if not quiet:
        for path in report.written:
            click.echo(f"wrote {path}")
        click.echo(f"{report.summary} in {time.perf_counter() - started:.2f}s")
    if report.warnings:
        sys.exit(EXIT_PARTIAL)


def _logged_builder(source_dir, config_path, out_dir, formats, templates_dir):
    """A build callable for the loops: waits for a running build, logs one line."""
    import logging

    from briefgen.build import run_build

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S"
    )
    log = logging.getLogger("briefgen.watch")

    def build() -> None:
        started = time.perf_counter()
        report = run_build(
            source_dir, config_path, out_dir, formats or None, templates_dir, wait=True
        )
        for warning in report.warnings:
            log.warning("%s", warning.replace("error[", "warning[", 1))
        log.info("%s (%.2fs)", report.summary, time.perf_counter() - started)

    return build


@main.command()
@_build_options
@click.option(
    "--debounce",
    default=800,
    show_default=True,
    type=click.IntRange(50, 60_000),
    help="Milliseconds of quiet before a burst of changes triggers a build.",
)
def watch(source_dir, config_path, out_dir, formats, templates_dir, debounce) -> None:
    """Rebuild whenever articles, the config or the templates change (Ctrl-C stops)."""
    from briefgen.config import find_config
    from briefgen.stages.ingest import check_source_dir
    from briefgen.watch import stop_on_signals
    from briefgen.watch import watch as watch_loop

    check_source_dir(source_dir)
    roots = {source_dir, find_config(source_dir, config_path).parent}
    if templates_dir:
        roots.add(templates_dir)
    builder = _logged_builder(source_dir, config_path, out_dir, formats, templates_dir)
    watch_loop(sorted(roots), builder, out_dir=out_dir, stop=stop_on_signals(),
               debounce_ms=debounce)  # fmt: skip


@main.command()
@_build_options
@click.option(
    "--every",
    "every",
    required=True,
    metavar="INTERVAL",
    help="How often to build: 30s, 15m, 2h, 1d (plain numbers are minutes).",
)
def schedule(source_dir, config_path, out_dir, formats, templates_dir, every) -> None:
    """Build now and then every INTERVAL until stopped (Ctrl-C or SIGTERM).

    Each run is an ordinary incremental `briefgen build`: unchanged inputs cost
    almost nothing. For cron or systemd timers, call `briefgen build` instead.
    """
    from briefgen.watch import parse_every, stop_on_signals
    from briefgen.watch import schedule as schedule_loop

    try:
        seconds = parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    builder = _logged_builder(source_dir, config_path, out_dir, formats, templates_dir)
    schedule_loop(seconds, builder, stop=stop_on_signals())


@main.command()
@click.argument(
    "source_dir",
    required=False,
    default=str(DEFAULT_SOURCE),
    type=click.Path(path_type=Path, file_okay=False),
)
@click.option(
    "--words",
    "-w",
    default=100,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Word budget of the summary.",
)
@click.option(
    "--overflow",
    is_flag=True,
    help="Let the last sentence run past --words (for scorers that cut at N words).",
)
def summarize(source_dir: Path, words: int, overflow: bool) -> None:
    """Print a generic extractive summary of SOURCE_DIR, one sentence per line."""
    from briefgen.pipeline import summary_sentences

    sentences, rejected = summary_sentences(source_dir, words, overflow=overflow)
    for error in rejected:
        click.echo(error.one_line().replace("error[", "warning[", 1), err=True)
    for sentence in sentences:
        click.echo(sentence.text.replace("\n", " "))


@main.command()
@click.argument(
    "source_dir",
    required=False,
    default=str(DEFAULT_SOURCE),
    type=click.Path(path_type=Path, file_okay=False),
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def quotes(source_dir: Path, as_json: bool) -> None:
    """List every quote in SOURCE_DIR with its speaker, source number and offsets."""
    import json

    from briefgen.pipeline import analyse

    analysis = analyse(source_dir)
    for error in analysis.rejected:
        click.echo(error.one_line().replace("error[", "warning[", 1), err=True)
    for source in analysis.sources:
        for q in analysis.quotes.get(source.n, []):
            speaker = analysis.speakers.canonical(q.speaker) if q.speaker else None
            if as_json:
                record = {
                    "text": q.text,
                    "speaker": speaker,
                    "source": source.n,
                    "start": q.start,
                    "end": q.end,
                }
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                text = " ".join(q.text.split())
                click.echo(f"[{source.n}] {q.start}-{q.end}  {speaker or 'Unattributed'}: “{text}”")


if __name__ == "__main__":  # pragma: no cover
    main()
