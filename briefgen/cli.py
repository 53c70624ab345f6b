"""The command line: a thin click layer over the library; the only module importing click.

Errors are translated here, once: one line on stderr with a stable code, the file
and the reason; a traceback only with ``--debug``.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import click

from briefgen import __version__
from briefgen.errors import EXIT_PARTIAL, BriefgenError, InternalError, Interrupted

DEFAULT_SOURCE = Path("seeds")
DEFAULT_OUTPUT = Path("output")

# Every command that reads a folder of articles takes it the same way.
source_dir_argument = click.argument(
    "source_dir", required=False, default=str(DEFAULT_SOURCE),
    type=click.Path(path_type=Path, file_okay=False),
)  # fmt: skip


def _warn(message: str) -> None:
    """An error about one input, reported as a warning: the command goes on."""
    click.echo(message.replace("error[", "warning[", 1), err=True)


class BriefgenGroup(click.Group):
    """A click group that turns every failure into one line and its exit code.

    BriefgenError carries its own code; Ctrl-C and SIGTERM become BG-INTERRUPTED
    (exit 130); any other exception is a bug, BG-INTERNAL (exit 70). ``--debug``
    shows the traceback instead.
    """

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        previous = _terminate_as_interrupt()
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BriefgenError as exc:
            _fail(ctx, exc)
        except KeyboardInterrupt:
            _fail(ctx, Interrupted("interrupted; the last complete edition is left as it was"))
        except BrokenPipeError:
            # The reader went away (`briefgen quotes | head`): not an error of ours. Point
            # stdout at /dev/null so Python's flush at exit does not raise again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:
            name = type(exc).__name__
            _fail(ctx, InternalError(f"internal error: {name}: {exc}", hint="run with --debug"))
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _fail(ctx: click.Context, error: BriefgenError) -> NoReturn:
    if ctx.obj and ctx.obj.get("debug"):
        raise  # the original exception, with its traceback
    click.echo(error.one_line(), err=True)
    sys.exit(error.exit_code)


def _terminate_as_interrupt() -> Any:
    """Make SIGTERM stop a command the way Ctrl-C does (cleanly, exit 130); return the
    handler it replaced. Watch and schedule install their own, to stop between builds."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (embedding): leave signals alone
        return None


@click.group(cls=BriefgenGroup)
@click.version_option(__version__, prog_name="briefgen")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.option("-v", "--verbose", count=True, help="Say more (cache use, notes); repeatable.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and warnings.")
@click.pass_context
def main(ctx: click.Context, debug: bool, verbose: int, quiet: bool) -> None:
    """Turn a folder of news articles about one story into a cited briefing."""
    ctx.obj = {"debug": debug, "verbosity": -1 if quiet else verbose}


def _verbosity() -> int:
    ctx = click.get_current_context(silent=True)
    return (ctx.find_root().obj or {}).get("verbosity", 0) if ctx else 0


def _since(value: str | None):
    """The --since option as a UTC datetime (24h, 7d, 2w or a date)."""
    if value is None:
        return None
    from briefgen.stages.sourcing import parse_since

    try:
        return parse_since(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc


class _Progress:
    """A progress bar on stderr for builds of many articles, only on a terminal."""

    MIN_ARTICLES = 50

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.MIN_ARTICLES:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="reading articles", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)
        if done == total:
            self.bar.__exit__(None, None, None)


def _build_options(func):
    """The options watch and schedule share with build."""
    for option in reversed([
        source_dir_argument,
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
@click.option(
    "--since", metavar="WHEN", help="Only articles published since: 24h, 7d or 2025-12-01."
)
@click.option("--profile", is_flag=True, help="Print the time spent in each stage (stderr).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and warnings.")
def build(
    source_dir: Path,
    config_path: Path | None,
    out_dir: Path,
    formats: tuple[str, ...],
    templates_dir: Path | None,
    force: bool,
    wait: bool,
    since: str | None,
    profile: bool,
    quiet: bool,
) -> None:
    """Build the brief of SOURCE_DIR (default: seeds/) into OUTDIR (default: output/).

    Each build that publishes is a numbered edition; when nothing changed since
    the last one, nothing is written and the exit code is 0.
    """
    from briefgen.build import run_build

    started = time.perf_counter()
    quiet = quiet or _verbosity() < 0
    report = run_build(
        source_dir, config_path, out_dir, formats or None, templates_dir,
        force=force, wait=wait, since=_since(since), progress=_Progress(not quiet),
    )  # fmt: skip
    for warning in report.warnings:
        _warn(warning)
    if not quiet:
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
        if _verbosity() > 0:
            click.echo(
                f"article cache: {report.cache_hits} reused, {report.cache_misses} analysed",
                err=True,
            )
        for path in report.written:
            click.echo(f"wrote {path}")
        click.echo(f"{report.summary} in {time.perf_counter() - started:.2f}s")
    if profile:
        from briefgen import timing

        for name, seconds in timing.report():
            click.echo(f"profile: {seconds:7.3f}s  {name}", err=True)
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
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--title", help="The brief's title (default: from the folder name).")
def init(folder: Path, title: str | None) -> None:
    """Create FOLDER for a new brief: a commented briefgen.toml and a sample article."""
    from briefgen.scaffold import init_folder

    for path in init_folder(folder, title):
        click.echo(f"wrote {path}")
    click.echo(f"next: edit the themes in {folder / 'briefgen.toml'}, add articles, then "
               f"`briefgen build {folder}`")  # fmt: skip


@main.command()
@source_dir_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--since", metavar="WHEN", help="Only articles published since: 24h, 7d or 2025-12-01."
)
def inspect(source_dir: Path, as_json: bool, since: str | None) -> None:
    """Show what was read from each article: metadata, counts, theme hits, what was cleaned."""
    import json

    from briefgen.config import find_config, load_config
    from briefgen.errors import ConfigError
    from briefgen.pipeline import analyse
    from briefgen.report import format_table, inspect_rows

    analysis = analyse(source_dir, since=_since(since))
    try:
        config = load_config(find_config(source_dir))
    except ConfigError:
        config = None  # theme hits need the config; the rest does not
    rows = inspect_rows(analysis, config)
    rejected = [e.one_line() for e in analysis.rejected]
    if as_json:
        click.echo(json.dumps({"sources": rows, "rejected": rejected, "notes": analysis.notes},
                              ensure_ascii=False, indent=2))  # fmt: skip
    else:
        click.echo(format_table(rows, rejected + [f"note: {n}" for n in analysis.notes]))


@main.command()
@source_dir_argument
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
        _warn(error.one_line())
    for sentence in sentences:
        click.echo(sentence.text.replace("\n", " "))


@main.command()
@source_dir_argument
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def quotes(source_dir: Path, as_json: bool) -> None:
    """List every quote in SOURCE_DIR with its speaker, source number and offsets."""
    import json

    from briefgen.pipeline import analyse

    analysis = analyse(source_dir)
    for error in analysis.rejected:
        _warn(error.one_line())
    for source in analysis.sources:
        for q in analysis.quotes.get(source.n, []):
            speaker = analysis.speakers.canonical(q.speaker) if q.speaker else None
            if as_json:
                record = {
                    "text": q.text,
                    "kind": q.kind,
                    "speaker": speaker,
                    "speaker_role": analysis.speakers.role(speaker) if speaker else None,
                    "source": source.n,
                    "start": q.start,
                    "end": q.end,
                }
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                text = " ".join(q.text.split())
                click.echo(f"[{source.n}] {q.start}-{q.end}  {speaker or 'Unattributed'}: “{text}”")


@main.group()
def templates() -> None:
    """Work with the templates a brief is rendered from (see docs/templates.md)."""


@templates.command("export")
@click.argument("dest", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite templates that already exist in DEST.")
def templates_export(dest: Path, force: bool) -> None:
    """Copy the built-in templates into DEST, for use with `build --templates DEST`."""
    from briefgen.render.export import export_templates

    for path in export_templates(dest, force=force):
        click.echo(f"wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
