"""Newsroom inputs: saved pages, feeds, exports, sidecar metadata, syndication, time window,
and the everyday commands init and inspect."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.errors import ArticleError, ConfigError
from briefgen.pipeline import analyse
from briefgen.stages.readers import html_to_text, read_file

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
CONFIG = """
[brief]
title = "Port Ellen storm"
[[themes]]
id = "damage"
title = "Damage"
description = "What the storm broke."
terms = ["pier", "storm", "damage"]
[[themes]]
id = "transport"
title = "Transport"
description = "Ferries and freight."
terms = ["ferry", "ferries", "lorries", "exports"]
"""


def read(name: str):
    return read_file((FIXTURES / name).read_bytes(), name)


def test_saved_page_main_text_and_metadata():
    """A saved page gives its article text without nav, ads or comments, and its metadata."""
    [page] = read("saved_page.html")
    assert page.title == "Storm closes Port Ellen harbour for two days"
    assert page.outlet == "The Coast Times"
    assert page.author == "Ana Pérez, Bo Li"  # several authors from JSON-LD
    assert page.published == "2025-12-03T08:15"
    # a relative canonical link resolved against the page's saved-from address
    assert page.url == "https://coasttimes.example/news/harbour-closed"
    assert "We cannot risk the ferries" in page.text and "€40,000" in page.text
    assert "& cost" in page.text  # entities decoded
    for debris in ("Home", "Advertisement", "reader123", "First!!!", "All rights reserved"):
        assert debris not in page.text
    assert page.extracted


def test_rss_entries_become_sources():
    """Each RSS item is a source, with the feed's title as outlet and absolute links."""
    first, second = read("feed.rss")
    assert (first.path, second.path) == ("feed.rss#1", "feed.rss#2")
    assert first.outlet == "Island Wire" and first.author == "Mairi Campbell"
    assert first.url == "https://islandwire.example/2025/12/ferry-diverted"
    assert first.published == "2025-12-03T10:30"
    assert second.published is None  # a missing date stays missing
    assert "<p>" not in first.text and "Port Askaig" in first.text


def test_atom_entry_with_two_authors():
    """Atom entries keep every author and their HTML content as text."""
    [entry] = read("atom.xml")
    assert entry.author == "Eilidh MacLeod, Tom Brown"
    assert entry.outlet == "Hebrides Herald"
    assert "“The work is on schedule,”" in entry.text


def test_json_lines_export():
    """A JSONL export yields one source per object with text; bad URLs and empty ones drop."""
    sources = read("export.jsonl")
    assert [s.path for s in sources] == ["export.jsonl#1", "export.jsonl#2"]
    assert sources[0].outlet == "Monitor Daily" and sources[0].published == "2025-12-04"
    assert sources[1].url is None  # "not a url" is not presented as a link
    assert "Wednesday: ferries diverted" in sources[1].text


def test_json_array_export(tmp_path):
    """A JSON file holding a list (or {"articles": [...]}) of articles is read too."""
    data = {"articles": [{"title": "One", "content": "First story text here.", "outlet": "X"}]}
    [source] = read_file(json.dumps(data).encode(), "export.json")
    assert source.title == "One" and source.text.strip() == "First story text here."


@pytest.mark.parametrize(
    ("name", "raw", "reason"),
    [
        ("broken.json", b"{not json", "not valid JSON"),
        ("empty.rss", b"<rss><channel><title>x</title></channel></rss>", "feed"),
        ("blank.html", b"<html><body><nav>Home</nav></body></html>", "no article text"),
    ],
)
def test_unreadable_inputs_are_article_errors(name, raw, reason):
    """Broken exports, empty feeds and pages without text are errors for that file alone."""
    with pytest.raises(ArticleError) as info:
        read_file(raw, name)
    assert reason in info.value.one_line() and name in info.value.one_line()


def test_html_to_text_keeps_paragraphs_and_drops_scripts():
    """Feed HTML fragments become paragraphs; scripts and styles vanish."""
    text = html_to_text("<p>One &amp; two</p><script>alert(1)</script><p>Three</p>")
    assert text == "One & two\nThree"


def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    for f in FIXTURES.iterdir():
        shutil.copy(f, folder / f.name)
    (folder / "local.txt").write_text(
        "Islanders count the cost of the storm\n\n"
        "Shops in Port Ellen reopened on Thursday after the storm, though the pier stayed shut.\n",
        encoding="utf-8",
    )
    (folder / "briefgen.toml").write_text(CONFIG, encoding="utf-8")
    return folder


def test_mixed_folder_builds_one_brief_with_correct_sources(tmp_path):
    """HTML, RSS, Atom, JSONL and text build one brief whose source list is right."""
    folder = mixed_folder(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(folder), "-o", str(out), "-f", "json", "-f", "html"]
    )
    assert result.exit_code == 0, result.output + result.stderr
    data = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    by_path = {s["path"]: s for s in data["sources"]}
    assert by_path["saved_page.html"]["outlet"] == "The Coast Times"
    assert by_path["feed.rss#1"]["url"] == "https://islandwire.example/2025/12/ferry-diverted"
    assert by_path["atom.xml#1"]["published"] == "2025-12-04T09:00"
    assert by_path["local.txt"]["text"] is None  # plain text: offsets index the file itself
    # Every citation of an extracted source reproduces its text from the JSON's own copy.
    texts = {s["n"]: s["text"] for s in data["sources"]}
    for theme in data["themes"]:
        for item in theme["facts"] + theme["quotes"]:
            c = item["citations"][0]
            if texts[c["source"]] is not None:
                assert texts[c["source"]][c["start"] : c["end"]] == item["text"]
    html = (out / "brief.html").read_text(encoding="utf-8")
    assert 'href="https://islandwire.example/2025/12/ferry-diverted"' in html


WIRE = (
    "Storm closes ferry port for two days\n\n"
    "The ferry port at Kennacraig was closed on Tuesday after a storm damaged the linkspan, "
    "the harbour authority said in a statement issued in the afternoon.\n\n"
    "Engineers expect repairs to take at least two days, and sailings to Islay will leave "
    "from Port Askaig instead, the operator said.\n\n"
    "Hauliers warned that whisky exports would be delayed by the closure.\n"
)


def test_syndicated_wire_story_counts_once(tmp_path):
    """The same wire story from two outlets is one origin: listed twice, counted once."""
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "a_herald.txt").write_text(WIRE + "\n© 2025 Herald Ltd.\n", encoding="utf-8")
    (folder / "b_courier.txt").write_text(WIRE + "\n© 2025 Courier Ltd.\n", encoding="utf-8")
    (folder / "c_local.txt").write_text(
        "Local view\n\nHauliers in Islay said whisky exports would be delayed by the closure of "
        "the port at Kennacraig, which a storm damaged on Tuesday.\n",
        encoding="utf-8",
    )
    (folder / "briefgen.toml").write_text(CONFIG, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    sources = {s["path"]: s for s in data["sources"]}
    assert sources["b_courier.txt"]["syndicated_from"] == sources["a_herald.txt"]["n"]
    assert sources["a_herald.txt"]["syndicated_from"] is None
    assert sources["c_local.txt"]["syndicated_from"] is None
    assert (sources["a_herald.txt"]["outlet"], sources["b_courier.txt"]["outlet"]) == (
        "Herald",
        "Courier",
    )
    facts = data["key_points"] + [f for t in data["themes"] for f in t["facts"]]
    wire_only = [f for f in facts if {c["source"] for c in f["citations"]} == {1, 2}]
    assert wire_only and all(f["source_count"] == 1 for f in wire_only)


def test_sidecar_sets_metadata_and_reliability(tmp_path):
    """sources.toml corrects an article's metadata and adds a reliability grade."""
    folder = mixed_folder(tmp_path)
    (folder / "sources.toml").write_text(
        '["local.txt"]\noutlet = "Islay Courier"\nurl = "https://courier.example/cost"\n'
        'published = 2025-12-05\nreliability = "B2"\n\n'
        '["feed.rss"]\nreliability = "C"\n',
        encoding="utf-8",
    )
    analysis = analyse(folder)
    by_path = {s.path: s for s in analysis.sources}
    local = by_path["local.txt"]
    assert (local.outlet, local.url, local.published, local.reliability) == (
        "Islay Courier", "https://courier.example/cost", "2025-12-05", "B2",
    )  # fmt: skip
    assert by_path["feed.rss#1"].reliability == "C"  # a file's entry applies to its items


def test_bad_sidecar_is_a_config_error(tmp_path):
    """A sidecar with an unknown key stops the build, naming the file and the key."""
    folder = mixed_folder(tmp_path)
    (folder / "sources.toml").write_text('["local.txt"]\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        analyse(folder)
    assert "sources.toml" in info.value.one_line() and "colour" in info.value.one_line()


def test_since_keeps_window_and_flags_undated(tmp_path):
    """--since drops older articles, keeps undated ones and says so."""
    folder = mixed_folder(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(folder), "-o", str(out), "-f", "json", "--since", "2025-12-04"]
    )
    assert result.exit_code == 0, result.output
    paths = {s["path"] for s in json.loads((out / "brief.json").read_text())["sources"]}
    assert "saved_page.html" not in paths and "feed.rss#1" not in paths  # 3 December
    assert {"atom.xml#1", "export.jsonl#1"} <= paths  # 4 December
    assert {"feed.rss#2", "local.txt", "export.jsonl#2"} <= paths  # undated: kept
    assert "without a date" in result.stderr


def test_since_rejects_nonsense():
    """A --since value that is no duration or date is a usage error."""
    result = CliRunner().invoke(main, ["build", "seeds", "--since", "yesterday-ish"])
    assert result.exit_code == 2 and "--since" in result.output


def test_init_then_build_gives_a_working_brief(tmp_path):
    """`init DIR` then `build DIR` publishes a brief for a new story."""
    folder = tmp_path / "new-story"
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    config = tomllib.loads((folder / "briefgen.toml").read_text(encoding="utf-8"))
    assert len(config["themes"]) == 3
    again = runner.invoke(main, ["init", str(folder)])
    assert again.exit_code != 0 and "already exists" in again.stderr
    out = tmp_path / "out"
    built = runner.invoke(main, ["build", str(folder), "-o", str(out), "-f", "json", "-f", "md"])
    assert built.exit_code == 0, built.output + built.stderr
    data = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    assert data["title"] == "New Story" and data["sources"][0]["path"] == "example-article.txt"
    assert data["key_points"]


def test_inspect_reports_what_was_read(tmp_path):
    """`inspect --json` shows metadata, counts, theme hits and removed debris per article."""
    result = CliRunner().invoke(main, ["inspect", "seeds", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)["sources"]
    assert len(rows) == 5
    bloomberg = next(r for r in rows if r["outlet"] == "Bloomberg")
    assert bloomberg["sentences"] > 10 and bloomberg["quotes"] >= 2
    assert bloomberg["themes"]
    assert any(r["reason"] == "copyright" for r in bloomberg["removed"])
    table = CliRunner().invoke(main, ["inspect", "seeds"]).output
    assert "removed (caption: " in table and "theme hits" in table
