"""The command line: help, version, exit codes and one-line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import __version__
from briefgen.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_version():
    """--version prints the package version."""
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command):
    """Every command answers --help with its usage and is mentioned in the README."""
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"briefgen {command}" in readme


def test_missing_source_folder_is_one_line_error(tmp_path):
    """A missing folder exits 66 with one line naming it."""
    result = run("build", str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 66
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nope" in lines[0] and "BG-NOSOURCE" in lines[0]


def make_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


def test_bad_config_writes_nothing(tmp_path):
    """A broken config exits 78, names file and key, and leaves the output folder alone."""
    folder = make_folder(tmp_path)
    (folder / "briefgen.toml").write_text('[brief]\ntitle = "x"\nthemes = 3\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", str(folder), "-o", str(out))
    assert result.exit_code == 78
    assert "briefgen.toml" in result.stderr and "themes" in result.stderr
    assert not out.exists()


def test_broken_article_is_skipped_and_brief_published(tmp_path):
    """A non-UTF-8 article is named in a warning; the brief is built and exit code is 3."""
    folder = make_folder(tmp_path)
    (folder / "zz_latin1.txt").write_bytes("Caf\xe9 au lait headline\n".encode("latin-1"))
    out = tmp_path / "out"
    result = run("build", str(folder), "-o", str(out), "-f", "json", "-f", "md")
    assert result.exit_code == 3, result.output
    assert "zz_latin1.txt" in result.stderr and "not UTF-8" in result.stderr
    assert sorted(p.name for p in out.glob("brief.*")) == ["brief.json", "brief.md"]


def test_format_option_limits_outputs(tmp_path):
    """-f json writes only the JSON file, named after the configured stem."""
    out = tmp_path / "out"
    result = run("build", str(SEEDS), "-o", str(out), "-f", "json")
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.glob("brief.*")] == ["brief.json"]
    assert [p.name for p in (out / "editions" / "0001").iterdir()] == ["brief.json"]


def test_quotes_json_lines_reproduce_spans():
    """`quotes --json` prints one object per quote whose offsets reproduce its text."""
    import json

    from briefgen.stages.quotes import word_count

    result = run("quotes", str(SEEDS), "--json")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) > 20
    paths = sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")
    for r in records:
        assert set(r) == {"text", "kind", "speaker", "speaker_role", "source", "start", "end"}
        assert r["kind"] == ("fragment" if word_count(r["text"]) < 3 else "quote")
        text = paths[r["source"] - 1].read_bytes().decode("utf-8-sig")
        assert text[r["start"] : r["end"]] == r["text"]
    speakers = {r["text"]: r["speaker"] for r in records}
    assert speakers["Not further, that’s for sure."] == "Yuri Ushakov"
    assert speakers[
        "There is a lot of dialogue, but we need results. Our people are dying every day,"
    ] == ("Volodymyr Zelenskyy")


def test_summarize_respects_word_budget():
    """`summarize --words 60` prints verbatim sentences totalling at most 60 words."""
    result = run("summarize", str(SEEDS), "--words", "60")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines and sum(len(line.split()) for line in lines) <= 60
    corpus = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    assert all(line in corpus for line in lines)


def test_a_reader_that_stops_early_is_no_error():
    """`briefgen quotes | head -1`: a closed pipe ends the command quietly, exit 0."""
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "briefgen"
    proc = subprocess.Popen(
        [exe, "quotes", str(SEEDS), "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away with most of the output unread
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "internal error" not in err


def test_quotes_show_an_unnamed_speaker_as_described(tmp_path):
    """`quotes` gives a speaker the article describes without naming: `speaker` null and
    the description as `speaker_role` in JSON, the description in the plain listing."""
    import json

    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Harbour talks stall\n\nTom Bell, who leads the dockers, called the offer “an insult.”"
        "\n\nA port authority spokeswoman said: “The offer stands until Friday and will not "
        "be improved.”\n",
        encoding="utf-8",
    )
    result = run("quotes", str(folder), "--json")
    assert result.exit_code == 0, result.output
    records = {
        json.loads(line)["text"][:9]: json.loads(line) for line in result.output.splitlines()
    }
    unnamed = records["The offer"]
    assert (unnamed["speaker"], unnamed["speaker_role"]) == (None, "A port authority spokeswoman")
    assert records["an insult"]["speaker"] == "Tom Bell"
    plain = run("quotes", str(folder))
    assert "A port authority spokeswoman: “The offer stands" in plain.output
