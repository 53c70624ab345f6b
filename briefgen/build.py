"""The build command as one short function: config, analysis, render all, publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefgen import config as config_mod
from briefgen.pipeline import build_brief
from briefgen.render import EXTENSIONS, FORMATS, TemplateSet, render
from briefgen.stages.ingest import check_source_dir


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: str = ""


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
) -> BuildReport:
    """Build and publish the brief of ``source_dir``.

    Everything is rendered in memory before the first file is written, so a bad
    config or template stops the build with the last edition untouched.
    """
    from briefgen.editions import publish

    check_source_dir(source_dir)  # a missing folder is named before its missing config
    config = config_mod.load_config(config_mod.find_config(source_dir, config_path))
    templates = template_set(config, templates_dir)
    brief, rejected = build_brief(source_dir, config)
    outputs = {
        f"{config.output_stem}{EXTENSIONS[fmt]}": render(brief, fmt, templates)
        for fmt in (formats or FORMATS)
    }
    written = publish(outputs, out_dir)
    facts = len(brief.key_points) + sum(len(t.facts) for t in brief.themes)
    quotes = sum(len(t.quotes) for t in brief.themes)
    return BuildReport(
        written=written,
        warnings=[e.one_line() for e in rejected],
        summary=f"brief of {len(brief.sources)} sources: {facts} facts, {quotes} quotes",
    )
