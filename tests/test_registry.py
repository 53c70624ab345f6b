"""The registries that list formats: renderers (output) and readers (input).

The CLI's -f choices, the template files and the folder listing all read them, so a
format added in one place is known everywhere.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import briefgen.render as render_mod
from briefgen.cli import main
from briefgen.render import RENDERERS, Renderer, template_files
from briefgen.render.templates import BUILTIN_DIR
from briefgen.stages.ingest import list_articles
from briefgen.stages.readers import READERS

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def _format_option(command: str = "build") -> click.Option:
    command_obj = main.commands[command]
    return next(p for p in command_obj.params if p.name == "formats")


@pytest.mark.parametrize("command", ["build", "watch", "schedule"])
def test_format_choices_are_the_registry(command):
    """-f offers exactly the registered renderers, in registry order."""
    option = _format_option(command)
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == tuple(RENDERERS)


def test_registry_snapshots_agree():
    """FORMATS and EXTENSIONS are the registry's names and extensions."""
    assert tuple(RENDERERS) == render_mod.FORMATS
    assert {n: r.extension for n, r in RENDERERS.items()} == render_mod.EXTENSIONS
    for name, renderer in RENDERERS.items():
        assert renderer.name == name
        assert renderer.extension.startswith(".")


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_renderer_templates_exist(name):
    """Every template file a renderer declares is a built-in template."""
    for template in RENDERERS[name].templates:
        assert (TEMPLATES / template).is_file(), template
        assert (BUILTIN_DIR / template).is_file(), template


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_renderer_module_declares_what_it_reads(name):
    """A renderer module's own template constants are among its declared templates."""
    renderer = RENDERERS[name]
    module = importlib.import_module(renderer.module)
    assert callable(module.render)
    for constant in ("TEMPLATE", "PRINT_CSS"):
        if hasattr(module, constant):
            assert getattr(module, constant) in renderer.templates


def test_exported_templates_are_the_renderers():
    """`briefgen templates export` copies exactly the files the renderers read."""
    from briefgen.render.export import TEMPLATE_FILES

    assert set(TEMPLATE_FILES) == set(template_files())


def test_every_reader_suffix_is_listed(tmp_path):
    """A folder with one file per reader suffix: list_articles lists every one."""
    for suffix in READERS:
        (tmp_path / f"article{suffix}").write_text("Some text.\n", encoding="utf-8")
    (tmp_path / "notes.unknown").write_text("not an article\n", encoding="utf-8")
    listed = {path.suffix for path in list_articles(tmp_path)}
    assert listed == set(READERS)


def test_added_renderer_is_a_format_choice(monkeypatch, tmp_path):
    """A renderer added to the registry is a valid -f choice with no change to cli.py,
    and shows in --help; the build receives it by name."""
    fake = Renderer("fake", ".fake", "tests.no_such_module")
    monkeypatch.setitem(RENDERERS, "fake", fake)
    received = {}

    def run_build(source_dir, config_path, out_dir, formats, templates_dir, **kwargs):
        from briefgen.build import BuildReport

        received["formats"] = formats
        return BuildReport(summary="stub")

    monkeypatch.setattr("briefgen.build.run_build", run_build)
    source = tmp_path / "articles"
    source.mkdir()
    runner = CliRunner()
    result = runner.invoke(
        main, ["build", str(source), "-o", str(tmp_path / "out"), "-f", "FAKE", "-f", "md"]
    )
    assert result.exit_code == 0, result.output
    assert received["formats"] == ("fake", "md")
    help_text = runner.invoke(main, ["build", "--help"]).output
    assert "fake" in help_text
    monkeypatch.delitem(RENDERERS, "fake")
    refused = runner.invoke(main, ["build", str(source), "-f", "fake"])
    assert refused.exit_code == 2 and "fake" in refused.output
