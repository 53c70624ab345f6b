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


@main.command()
@click.argument(
    "source_dir",
    required=False,
    default=str(DEFAULT_SOURCE),
    type=click.Path(path_type=Path, file_okay=False),
)
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Config file (default: SOURCE_DIR/briefgen.toml).",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=str(DEFAULT_OUTPUT),
    show_default=True,
    help="Folder to write the brief into.",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["pdf", "docx", "html", "md", "json"]),
    help="Output format; repeat for several (default: all).",
)
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of templates that take precedence over the built-ins.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and warnings.")
def build(
    source_dir: Path,
    config_path: Path | None,
    out_dir: Path,
    formats: tuple[str, ...],
    templates_dir: Path | None,
    quiet: bool,
) -> None:
    """Build the brief of SOURCE_DIR (default: seeds/) into OUTDIR (default: output/)."""
    from briefgen.build import run_build

    started = time.perf_counter()
    report = run_build(source_dir, config_path, out_dir, formats or None, templates_dir)
    for warning in report.warnings:
        click.echo(warning.replace("error[", "warning[", 1), err=True)
    if not quiet:
        for path in report.written:
            click.echo(f"wrote {path}")
        click.echo(f"{report.summary} in {time.perf_counter() - started:.2f}s", err=False)
    if report.warnings:
        sys.exit(EXIT_PARTIAL)


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
def summarize(source_dir: Path, words: int) -> None:
    """Print a generic extractive summary of SOURCE_DIR, one sentence per line."""
    from briefgen.pipeline import summary_sentences

    sentences, rejected = summary_sentences(source_dir, words)
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
