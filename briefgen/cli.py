"""The command line: a thin click layer over the library; the only module importing click.

Errors are translated here, once: one line on stderr with a stable code, the file
and the reason; a traceback only with ``--debug``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from briefgen import __version__
from briefgen.errors import (
    EXIT_PARTIAL,
    BriefgenError,
    ConfigError,
    InternalError,
    Interrupted,
    NoUsableInputError,
    OutputError,
    TemplateError,
    display_path,
    printable,
    printable_json,
)

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from briefgen.config import Config

DEFAULT_SOURCE = Path("seeds")
DEFAULT_OUTPUT = Path("output")

# Every command that reads a folder of articles takes it the same way.
source_dir_argument = click.argument(
    "source_dir", required=False, default=str(DEFAULT_SOURCE), type=click.Path(path_type=Path),
)  # fmt: skip
# Paths are checked by the commands, not by click, so that a path of the wrong kind gets
# the same one-line error and exit code as a missing one (66, 73, 78), not a usage error.


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
        _open_closed_std_streams()
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


def _open_closed_std_streams() -> None:
    """Run with stdout or stderr closed (`>&-`): point the closed descriptor at /dev/null.

    Python leaves ``sys.stdout``/``sys.stderr`` as None then, which anything printing
    trips over; and a closed descriptor 1 or 2 would be reused by the next file opened
    (an output file or the lock), where a stray write would land.
    """
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", closefd=False))  # noqa: SIM115


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
    """The --since option as a UTC datetime (24h, 7d, 2w or a date): a usage error when
    it does not parse, reaches past the calendar or starts in the future."""
    if value is None:
        return None
    from datetime import UTC, datetime, timedelta

    from briefgen.stages.sourcing import parse_since

    try:
        since = parse_since(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    except OverflowError as exc:
        raise click.BadParameter(
            f"{value!r} reaches back past the year 1; give a shorter window or a date",
            param_hint="--since",
        ) from exc
    # A day's grace: a date is midnight UTC, which may still be tomorrow somewhere.
    if since > datetime.now(UTC) + timedelta(days=1):
        raise click.BadParameter(
            f"{value!r} is in the future: no article is published after it",
            param_hint="--since",
        )
    return since


def _unique(formats: tuple[str, ...]) -> tuple[str, ...] | None:
    """-f as given, each format once (`-f md -f md` is not a change of formats)."""
    return tuple(dict.fromkeys(formats)) or None


def _formats() -> str:
    """The article formats briefgen reads, from the readers' registry."""
    from briefgen.stages.readers import READERS

    return ", ".join(READERS)


def _no_usable_article(source_dir: Path) -> NoUsableInputError:
    return NoUsableInputError(
        "no usable article",
        path=str(source_dir),
        hint=f"put articles ({_formats()}; UTF-8) in the folder",
    )


def _check_source(source_dir: Path) -> None:
    from briefgen.stages.ingest import check_source_dir

    check_source_dir(source_dir)


def _check_paths(
    source_dir: Path,
    config_path: Path | None,
    out_dir: Path,
    templates_dir: Path | None,
) -> None:
    """Paths of the wrong kind, named in one line with the code a build would give, in
    the order a build meets them: source (66), config (78), templates (78), output (73)."""
    _check_source(source_dir)
    if config_path is not None and config_path.is_dir():
        raise ConfigError("a folder, not a config file", path=str(config_path))
    if templates_dir is not None and not templates_dir.is_dir():
        reason = "not a folder" if templates_dir.exists() else "templates folder does not exist"
        raise TemplateError(reason, path=str(templates_dir), hint="--templates names a folder")
    _check_output(out_dir, "the folder to write the brief into")


def _check_output(folder: Path, what: str) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError("cannot create the output folder: a file is in the way",
                          path=str(folder), hint=f"name {what}")  # fmt: skip


class _Progress:
    """A progress bar on stderr for builds of many articles, only on a terminal."""

    MIN_ARTICLES = 50

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr is not None and sys.stderr.isatty()
        self.bar: ProgressBar[int] | None = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.MIN_ARTICLES:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="reading articles", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)
        if done == total:
            self.bar.__exit__(None, None, None)


def _output_path(_ctx: click.Context, _param: click.Parameter, value: str) -> Path:
    """-o as a Path; an empty value (an unset `$OUT`) is refused, not the current folder."""
    if not value.strip():
        raise click.BadParameter("an empty path; name the folder to write the brief into")
    return Path(value)


class FormatChoice(click.Choice):
    """-f's choices: the output formats in the renderer registry (briefgen.render.RENDERERS),
    read each time click asks, not when this module is imported, so a renderer added to
    the registry is a choice without a change here."""

    def __init__(self) -> None:
        super().__init__((), case_sensitive=False)

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from briefgen.render import format_names

        return format_names()

    @choices.setter
    def choices(self, _value: object) -> None:
        """click.Choice.__init__ sets the choices; they are read from the registry instead."""


def _scheduler_value(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from briefgen.config import check_scheduler

    try:
        return check_scheduler(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _scheduler_option(help_text: str):
    return click.option("--scheduler", metavar="ADDRESS", callback=_scheduler_value,
                        help=f"{help_text} ADDRESS: tcp://HOST:PORT.")  # fmt: skip


def _config_scheduler(source_dir: Path, config_path: Path | None) -> str | None:
    """``[cluster] scheduler`` of the story's config; a config that cannot be read is left
    to the build to report, in its own order (after the lock, as always)."""
    from briefgen.config import find_config, load_config

    try:
        return load_config(find_config(source_dir, config_path)).scheduler
    except ConfigError:
        return None


@contextlib.contextmanager
def _analysis_mapper(scheduler: str | None) -> Iterator[Any]:
    """None (this machine's cores), or the articles' analysis on the Dask cluster."""
    if scheduler is None:
        yield None
        return
    from briefgen import cluster

    with cluster.connect(scheduler) as client:
        yield cluster.analysis_mapper(client)


def _build_options(func):
    """The options watch and schedule share with build."""
    for option in reversed([
        source_dir_argument,
        click.option("-c", "--config", "config_path", type=click.Path(path_type=Path),
                     help="Config file (default: SOURCE_DIR/briefgen.toml)."),
        click.option("-o", "--output", "out_dir", type=click.Path(), callback=_output_path,
                     default=str(DEFAULT_OUTPUT), show_default=True,
                     help="Folder to write the brief into."),
        click.option("-f", "--format", "formats", multiple=True,
                     type=FormatChoice(),
                     help="Output format; repeat for several (default: all)."),
        click.option("--templates", "templates_dir", type=click.Path(path_type=Path),
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
@_scheduler_option("Analyse the articles on this Dask cluster (default: [cluster] scheduler).")
@click.option("--title", help="The brief's title (default: the config's, or one drawn from "
              "the headlines when the themes are discovered).")  # fmt: skip
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
    scheduler: str | None,
    title: str | None,
) -> None:
    """Build the brief of SOURCE_DIR (default: seeds/) into OUTDIR (default: output/).

    Without a briefgen.toml next to the articles (and no -c), the themes are discovered
    from the articles; `briefgen themes SOURCE_DIR --write` saves them to edit.

    Each build that publishes is a numbered edition; when nothing changed since
    the last one, nothing is written and the exit code is 0.
    """
    from briefgen.build import run_build

    started = time.perf_counter()
    quiet = quiet or _verbosity() < 0
    _check_paths(source_dir, config_path, out_dir, templates_dir)
    if scheduler is None:
        scheduler = _config_scheduler(source_dir, config_path)
    with _analysis_mapper(scheduler) as mapper:
        report = run_build(
            source_dir, config_path, out_dir, _unique(formats), templates_dir,
            force=force, wait=wait, since=_since(since), progress=_Progress(not quiet),
            mapper=mapper, title=title,
        )  # fmt: skip
    for warning in report.warnings:
        _warn(warning)
    if not quiet:
        for note in report.notes:
            click.echo(printable(f"note: {note}"), err=True)
        if _verbosity() > 0:
            click.echo(
                f"article cache: {report.cache_hits} reused, {report.cache_misses} analysed",
                err=True,
            )
        for path in report.written:
            click.echo(f"wrote {display_path(path)}")
        click.echo(f"{printable(report.summary)} in {time.perf_counter() - started:.2f}s")
    if profile:
        from briefgen import timing

        for name, seconds in timing.report():
            click.echo(f"profile: {seconds:7.3f}s  {name}", err=True)
    if report.warnings:
        sys.exit(EXIT_PARTIAL)


_LOG_HANDLER = "briefgen-loop"


def _setup_loop_log() -> None:
    """The log of watch and schedule, on stderr: briefgen's own lines (one per build),
    other libraries' (WeasyPrint's "Step N", fontTools) only with -v or --debug."""
    import logging

    ctx = click.get_current_context(silent=True)
    debug = bool(ctx and (ctx.find_root().obj or {}).get("debug"))
    verbosity = _verbosity()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _LOG_HANDLER]:
        root.removeHandler(handler)  # a second loop in one process (tests)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_LOG_HANDLER)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO if verbosity > 0 else logging.ERROR)
    own = logging.INFO
    if debug or verbosity > 0:
        own = logging.DEBUG  # also names the changed files
    elif verbosity < 0:
        own = logging.WARNING
    logging.getLogger("briefgen").setLevel(own)


def _names(paths: list[str], most: int = 3) -> str:
    names = [display_path(Path(p).name) for p in paths]
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def _logged_builder(source_dir, config_path, out_dir, formats, templates_dir):
    """A build callable for the loops: waits for a running build, logs one line (and a
    line per skipped input)."""
    import logging

    from briefgen.build import run_build

    _setup_loop_log()
    log = logging.getLogger("briefgen.watch")

    def build(changed: list[str] | None = None) -> None:
        started = time.perf_counter()
        report = run_build(
            source_dir, config_path, out_dir, _unique(formats), templates_dir, wait=True
        )
        for warning in report.warnings:
            log.warning("%s", warning.replace("error[", "warning[", 1))
        after = f" after changes to {_names(changed)}" if changed else ""
        log.info("%s (%.2fs)%s", printable(report.summary), time.perf_counter() - started, after)

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
    from briefgen.config import resolve
    from briefgen.watch import stop_on_signals
    from briefgen.watch import watch as watch_loop

    _check_paths(source_dir, config_path, out_dir, templates_dir)
    roots = {source_dir, resolve(source_dir, config_path)[1].parent}
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
@click.option("--fetch", "fetch_feeds", is_flag=True,
              help="Fetch the config's [[feeds]] first; build only when something new arrived.")  # fmt: skip
def schedule(source_dir, config_path, out_dir, formats, templates_dir, every, fetch_feeds) -> None:
    """Build now and then every INTERVAL until stopped (Ctrl-C or SIGTERM).

    Each run is an ordinary incremental `briefgen build`: unchanged inputs cost
    almost nothing. With --fetch, each run first fetches the feeds (`briefgen fetch`)
    and builds when that brought new articles (and on the first run). For cron or
    systemd timers, call `briefgen fetch` and `briefgen build` instead.
    """
    from briefgen.watch import parse_every, stop_on_signals
    from briefgen.watch import schedule as schedule_loop

    try:
        seconds = parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    _check_paths(source_dir, config_path, out_dir, templates_dir)
    builder = _logged_builder(source_dir, config_path, out_dir, formats, templates_dir)
    if fetch_feeds:
        builder = _fetching_builder(source_dir, config_path, builder)
    schedule_loop(seconds, builder, stop=stop_on_signals())


def _fetching_builder(source_dir: Path, config_path: Path | None, build: Any) -> Any:
    """``build`` preceded by a fetch of the feeds (one log line per feed); the build runs
    the first time and then only when the fetch brought new articles."""
    import logging

    from briefgen.fetch import FAILED, FeedResult, fetch_folder

    log = logging.getLogger("briefgen.fetch")
    built = False

    def log_feed(result: FeedResult) -> None:
        (log.warning if result.outcome == FAILED else log.info)("%s", result.line())

    def run() -> None:
        nonlocal built
        report = fetch_folder(source_dir, config_path, on_result=log_feed)
        for note in report.notes:
            log.warning("note: %s", printable(note))
        log.info("%s", report.summary())
        if report.written or not built:
            built = True
            build()
        else:
            log.info("nothing new fetched: no build")

    return run


@main.command()
@_build_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback makes the brief readable "
              "from the network.")  # fmt: skip
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port; the URL is printed).")  # fmt: skip
@click.option("--debounce", default=800, show_default=True, type=click.IntRange(50, 60_000),
              help="Milliseconds of quiet before a burst of changes triggers a build.")  # fmt: skip
def serve(source_dir, config_path, out_dir, formats, templates_dir, host, port, debounce) -> None:
    """Build, watch and serve the brief and its editions on http://HOST:PORT/.

    The page reloads by itself after each rebuild; a build error shows as a banner over
    the last good edition. /editions/ lists the kept editions and what changed between
    them. Read-only, on 127.0.0.1 unless --host says otherwise. Ctrl-C stops (exit 130).
    """
    from briefgen.config import resolve
    from briefgen.serve import is_loopback
    from briefgen.serve import serve as serve_loop
    from briefgen.watch import stop_on_signals

    _check_paths(source_dir, config_path, out_dir, templates_dir)
    if not is_loopback(host):
        click.echo(f"warning: --host {printable(host)} is not a loopback address: the brief "
                   "is readable from the network", err=True)  # fmt: skip
    # The pages need the HTML (the brief) and the JSON (the editions' changes).
    wanted = _unique(formats)
    if wanted is not None:
        wanted = tuple(dict.fromkeys((*wanted, "html", "json")))
    roots = {source_dir, resolve(source_dir, config_path)[1].parent}
    if templates_dir:
        roots.add(templates_dir)
    builder = _logged_builder(source_dir, config_path, out_dir, wanted or (), templates_dir)

    def listening(url: str) -> None:
        click.echo(f"serving {url} (Ctrl-C stops)")
        sys.stdout.flush()

    serve_loop(sorted(roots), builder, out_dir, host=host, port=port, stop=stop_on_signals(),
               debounce_ms=debounce, on_listening=listening)  # fmt: skip
    click.echo("serve: stopped", err=True)
    sys.exit(130)


@main.command()
@click.argument("root", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_root",
    required=True,
    type=click.Path(),
    callback=_output_path,
    help="Folder to publish each story into, as OUTROOT/STORY/.",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=FormatChoice(),
    help="Output format; repeat for several (default: all).",
)
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(path_type=Path),
    help="Folder of templates that take precedence over the built-ins, for every story.",
)
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="A TOML file whose [cluster] scheduler names the Dask scheduler to use.",
)
@_scheduler_option("Build each story as a task on this Dask cluster.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 4096),
    metavar="N",
    help="Stories built at once on this machine (default: one per core).",
)
@click.option(
    "--every",
    metavar="INTERVAL",
    help="Run the batch now and then every INTERVAL: 30s, 15m, 2h, 1d (Ctrl-C stops).",
)
@click.option("--force", is_flag=True, help="Rebuild even stories where nothing changed.")
@click.option(
    "--wait", is_flag=True, help="Wait for a running build of a story instead of failing it (75)."
)
@click.option(
    "--since", metavar="WHEN", help="Only articles published since: 24h, 7d or 2025-12-01."
)
@click.option("--fetch", "fetch_feeds", is_flag=True,
              help="Fetch each story's [[feeds]] before building it.")  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but failed stories and warnings.")
def batch(
    root: Path,
    out_root: Path,
    formats: tuple[str, ...],
    templates_dir: Path | None,
    config_path: Path | None,
    scheduler: str | None,
    jobs: int | None,
    every: str | None,
    force: bool,
    wait: bool,
    since: str | None,
    fetch_feeds: bool,
    quiet: bool,
) -> None:
    """Build every story folder under ROOT (a folder with articles and a briefgen.toml)
    into OUTROOT/STORY/: on this machine's cores, or on a Dask cluster with --scheduler.

    Each story is an ordinary `briefgen build`: same editions, lock and exit codes; a
    failed story does not stop the others. One line per story, then a summary; the exit
    code is 0 when every story published or was unchanged, 3 when some failed.
    """
    from briefgen.batch import BuildOptions

    quiet = quiet or _verbosity() < 0
    seconds = _every_seconds(every)
    window = _since(since)
    _check_source(root)
    scheduler = _batch_scheduler(config_path, scheduler)
    if templates_dir is not None and not templates_dir.is_dir():
        reason = "not a folder" if templates_dir.exists() else "templates folder does not exist"
        raise TemplateError(reason, path=str(templates_dir), hint="--templates names a folder")
    _check_output(out_root, "the folder to publish the stories into")
    options = BuildOptions(_unique(formats), templates_dir, force, wait, window, fetch_feeds)
    if seconds is None:
        _batch_once(root, out_root, options, jobs, scheduler, quiet)
    else:
        _batch_every(seconds, root, out_root, options, jobs, scheduler, quiet)


def _every_seconds(every: str | None) -> float | None:
    """``--every`` in seconds (None without it); a bad interval is a usage error."""
    if every is None:
        return None
    from briefgen.watch import parse_every

    try:
        return parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc


def _batch_scheduler(config_path: Path | None, scheduler: str | None) -> str | None:
    """``--scheduler``, else ``[cluster] scheduler`` of ``-c FILE``, else None."""
    if config_path is None or scheduler is not None:
        return scheduler
    from briefgen.config import load_cluster_scheduler

    if config_path.is_dir():
        raise ConfigError("a folder, not a config file", path=str(config_path))
    return load_cluster_scheduler(config_path)


def _batch_once(root, out_root, options, jobs, scheduler, quiet: bool) -> None:
    """One batch: a line per story as it ends, the summary, the exit code."""
    from briefgen.batch import StoryResult, find_stories, run_batch

    def show(result: StoryResult) -> None:
        for warning in result.warnings:
            _warn(f"{printable(result.name)}: {warning}")
        if result.outcome == "failed":
            click.echo(result.line(), err=True)
        elif not quiet:
            click.echo(result.line())

    report = run_batch(find_stories(root, out_root), options, jobs=jobs,
                       scheduler=scheduler, on_result=show)  # fmt: skip
    if not quiet:
        click.echo(report.summary())
    if report.exit_code():
        sys.exit(report.exit_code())


def _batch_every(seconds, root, out_root, options, jobs, scheduler, quiet: bool) -> None:
    """``--every``: a batch per interval, logged, until Ctrl-C or SIGTERM."""
    import logging

    from briefgen.batch import StoryResult, find_stories, run_batch
    from briefgen.watch import schedule as schedule_loop
    from briefgen.watch import stop_on_signals

    if scheduler is not None:  # an address that cannot work is an error now, not every run
        from briefgen import cluster

        with cluster.connect(scheduler):
            pass
    _setup_loop_log()
    if quiet:  # only failed stories and warnings
        logging.getLogger("briefgen").setLevel(logging.WARNING)
    log = logging.getLogger("briefgen.batch")

    def log_result(result: StoryResult) -> None:
        for warning in result.warnings:
            log.warning("%s: %s", printable(result.name), warning.replace("error[", "warning[", 1))
        (log.error if result.outcome == "failed" else log.info)("%s", result.line())

    def run_once() -> None:
        report = run_batch(find_stories(root, out_root), options, jobs=jobs,
                           scheduler=scheduler, on_result=log_result)  # fmt: skip
        log.info("%s", report.summary())

    schedule_loop(seconds, run_once, stop=stop_on_signals())


@main.command()
@source_dir_argument
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path),
              help="Config file (default: SOURCE_DIR/briefgen.toml).")  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but failed feeds and notes.")
def fetch(source_dir: Path, config_path: Path | None, quiet: bool) -> None:
    """Download the new articles of the feeds the config lists ([[feeds]]) into SOURCE_DIR.

    One file per article (the page as .html with follow_links, else the entry as .json),
    each written atomically; what was fetched before is not fetched or written again.
    One line per feed: new, unchanged or failed. Exit 3 when some feeds failed, 69 when
    every one did. `build` never fetches.
    """
    from briefgen.fetch import FAILED, FeedResult, fetch_folder

    quiet = quiet or _verbosity() < 0
    _check_source(source_dir)
    if config_path is not None and config_path.is_dir():
        raise ConfigError("a folder, not a config file", path=str(config_path))

    def show(result: FeedResult) -> None:
        if result.outcome == FAILED:
            click.echo(result.line(), err=True)
        elif not quiet:
            click.echo(result.line())

    report = fetch_folder(source_dir, config_path, on_result=show)
    for note in report.notes:
        click.echo(printable(f"note: {note}"), err=True)
    if not quiet:
        click.echo(report.summary())
    if report.exit_code():
        sys.exit(report.exit_code())


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", help="The brief's title (default: from the folder name).")
def init(folder: Path, title: str | None) -> None:
    """Create FOLDER for a new brief: a commented briefgen.toml and a sample article."""
    from briefgen.scaffold import init_folder

    _check_output(folder, "a folder for the new brief")
    for path in init_folder(folder, title):
        click.echo(f"wrote {display_path(path)}")
    click.echo(f"next: edit the themes in {display_path(folder / 'briefgen.toml')}, add "
               f"articles, then `briefgen build {display_path(folder)}`")  # fmt: skip


@main.command()
@source_dir_argument
@click.option("--write", is_flag=True, help="Save them as SOURCE_DIR/briefgen.toml (never "
              "replacing an existing file).")  # fmt: skip
@click.option("--title", help="The brief's title (default: drawn from the headlines).")
def themes(source_dir: Path, write: bool, title: str | None) -> None:
    """Discover the themes of SOURCE_DIR's articles and print them as a commented
    briefgen.toml; building with it gives the brief a build without a config gives."""
    from briefgen.config import CONFIG_NAME, discovery_config, find_config, load_config
    from briefgen.pipeline import analyse
    from briefgen.scaffold import themes_toml, write_themes
    from briefgen.stages import discover

    _check_source(source_dir)
    config = discovery_config(title)
    if write and (source_dir / CONFIG_NAME).exists():
        write_themes(source_dir, "")  # refuses before any work: the file is never replaced
    if (source_dir / CONFIG_NAME).exists():
        # Keep what the folder's config says; discover next to its themes.
        config = load_config(find_config(source_dir))
        config = dataclasses.replace(config, title=title or config.title, discover=True, other=True)
    _use_language(source_dir, config)
    analysis = analyse(source_dir)
    if not analysis.sources:
        raise _no_usable_article(source_dir)
    for error in analysis.rejected:
        _warn(error.one_line())
    config, found = discover.extend_config(config, analysis.sources, analysis.sentences)
    if not found:
        what = "beyond the configured themes" if config.themes else "in these articles"
        _warn(f"{display_path(source_dir)}: no theme found {what}")
    text = themes_toml(config, found, analysis.sources, analysis.sentences)
    if write:
        path = write_themes(source_dir, text)
        click.echo(f"wrote {display_path(path)}")
    else:
        for line in text.splitlines():
            click.echo(printable(line))


def _use_language(source_dir: Path, config: Config | None = None) -> None:
    """Read the articles in the language of the folder's config (briefgen.lang), when it
    has a readable one; else in English."""
    from briefgen import lang
    from briefgen.config import find_config, load_config

    if config is None:
        try:
            config = load_config(find_config(source_dir))
        except ConfigError:
            lang.use(lang.DEFAULT)
            return
    lang.use(config.language)


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
    from briefgen.stages.assemble import sentence_themes

    since_time = _since(since)
    _check_source(source_dir)
    try:
        config = load_config(find_config(source_dir))
    except ConfigError:
        config = None  # theme hits need the config; the rest does not
    _use_language(source_dir, config)
    analysis = analyse(source_dir, since=since_time)
    rows = inspect_rows(analysis, sentence_themes(config, analysis.sentences) if config else None)
    rejected = [e.one_line() for e in analysis.rejected]
    if as_json:
        document = {"sources": rows, "rejected": rejected, "notes": analysis.notes}
        click.echo(printable_json(json.dumps(document, ensure_ascii=False, indent=2)))
    elif rows or rejected or analysis.notes:
        click.echo(format_table(rows, rejected + [f"note: {n}" for n in analysis.notes]))
    if not analysis.sources:
        raise _no_usable_article(source_dir)


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

    _check_source(source_dir)
    _use_language(source_dir)
    sentences, rejected = summary_sentences(source_dir, words, overflow=overflow)
    for error in rejected:
        _warn(error.one_line())
    if not sentences:
        raise _no_usable_article(source_dir)
    for sentence in sentences:
        click.echo(printable(" ".join(sentence.text.split())))


@main.command()
@source_dir_argument
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def quotes(source_dir: Path, as_json: bool) -> None:
    """List every quote in SOURCE_DIR with its speaker, source number and offsets."""
    import json

    from briefgen.pipeline import analyse

    _check_source(source_dir)
    _use_language(source_dir)
    analysis = analyse(source_dir)
    for error in analysis.rejected:
        _warn(error.one_line())
    if not analysis.sources:
        raise _no_usable_article(source_dir)
    for source in analysis.sources:
        for q in analysis.quotes.get(source.n, []):
            speaker = analysis.speakers.canonical(q.speaker, q.speaker_role) if q.speaker else None
            if as_json:
                record = {
                    "text": q.text,
                    "kind": q.kind,
                    "speaker": speaker,
                    # An unnamed speaker keeps the words that describe them.
                    "speaker_role": analysis.speakers.role(speaker) if speaker else q.speaker_role,
                    "source": source.n,
                    "start": q.start,
                    "end": q.end,
                }
                click.echo(printable_json(json.dumps(record, ensure_ascii=False)))
            else:
                text = " ".join(q.text.split())
                who = speaker or q.speaker_role or "Unattributed"
                click.echo(printable(f"[{source.n}] {q.start}-{q.end}  {who}: “{text}”"))


@main.group()
def templates() -> None:
    """Work with the templates a brief is rendered from (see docs/templates.md)."""


@templates.command("export")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite templates that already exist in DEST.")
def templates_export(dest: Path, force: bool) -> None:
    """Copy the built-in templates into DEST, for use with `build --templates DEST`."""
    from briefgen.render.export import export_templates

    _check_output(dest, "a folder for the templates")
    for path in export_templates(dest, force=force):
        click.echo(f"wrote {display_path(path)}")


if __name__ == "__main__":  # pragma: no cover
    main()
