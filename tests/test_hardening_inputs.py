"""Hardening of the inputs (issue 13): one hostile file never stops a brief.

Deeply nested JSON (a file, a JSON Lines line, a page's JSON-LD), impossible dates
with ``--since``, and an output folder inside the source folder: each case is one
line naming the file (or nothing at all, for briefgen's own output) and the brief is
published from the rest.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import pipeline
from briefgen.cli import main
from briefgen.errors import ArticleError
from briefgen.stages import ingest, metadata, readers, sourcing

CONFIG = """\
[brief]
title = "Harbour budget"
output_stem = "brief"

[[themes]]
id = "budget"
title = "Budget"
description = "What the harbour budget pays for and who approved it."
terms = ["budget", "harbour", "council", "quays", "channel"]

[[themes]]
id = "reactions"
title = "Reactions"
description = "What people said about the plan."
terms = ["said", "warned", "welcomed"]
"""

ARTICLES = {
    "a.txt": (
        "Council approves harbour budget\n\n"
        "The city council approved a harbour budget of 40 million euros on Monday after a "
        "long debate in the chamber.\n\n"
        "The money will pay for two new quays and a wider shipping channel, the mayor said.\n\n"
        '"This harbour has waited twenty years for this," said Mayor Anna Berg.\n'
    ),
    "b.txt": (
        "Harbour plan wins council vote\n\n"
        "Councillors voted 31 to 12 on Monday to approve the 40 million euro harbour budget.\n\n"
        "Fishermen welcomed the wider shipping channel but warned about noise from the "
        "building work.\n\n"
        '"We need the channel, not the noise," said Piet Vos, who leads the fishermen\'s '
        "union.\n"
    ),
    "c.md": (
        "---\ntitle: Harbour works to start in spring\noutlet: The Coast Times\n"
        "published: 2025-03-04\n---\n"
        "Work on the two new quays will start in the spring, the harbour authority said on "
        "Tuesday.\n\n"
        "The council approved the 40 million euro harbour budget on Monday.\n"
    ),
}
GOOD = set(ARTICLES)
BODY = (
    "The harbour authority said the dredging of the shipping channel would take two years "
    "and cost 12 million euros."
)
DEEP = "[" * 1000 + "]" * 1000


def story(tmp_path: Path, name: str = "src") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "briefgen.toml").write_text(CONFIG, encoding="utf-8")
    for file_name, text in ARTICLES.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


def build(folder: Path, out: Path, *args: str):
    return CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "-f", "json", *args])


def warnings(result) -> dict[str, str]:
    """{file: code} of the warning lines on stderr; fails on any other stderr line
    (but notes)."""
    named = {}
    for line in result.stderr.strip().splitlines():
        if line.startswith("note: "):
            continue
        match = re.match(r"warning\[(BG-[A-Z]+)\] (.+?): ", line)
        assert match, line
        named[match.group(2)] = match.group(1)
    return named


def date_notes(result) -> dict[str, str]:
    """{file: code} of the notes that name a file: ``note: FILE: reason [BG-CODE]``."""
    found = re.findall(r"^note: (.+?): .*\[(BG-[A-Z]+)\]$", result.stderr, re.M)
    return dict(found)


def sources(out: Path) -> list[dict]:
    return json.loads((out / "brief.json").read_text(encoding="utf-8"))["sources"]


def _page(head: str) -> str:
    return (
        f"<html><head><title>Dredging to take two years</title>{head}</head><body><article>"
        f"<h1>Dredging to take two years</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>"
    )


# --- 1. deeply nested JSON ----------------------------------------------------------------

HOSTILE_JSON = {
    "deep.json": DEEP,
    "deep.jsonl": json.dumps({"title": "Dredging to take two years", "text": BODY}) + "\n" + DEEP,
    "deep-ld.html": _page(f'<script type="application/ld+json">{DEEP}</script>'),
    "deep-ld-inside.html": _page(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
        f'"Dredging", "about": {DEEP}}}</script>'
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_deeply_nested_json_skips_that_file_and_publishes_the_rest(tmp_path, name):
    """JSON nested 1,000 deep (a file, a JSON Lines line, a page's JSON-LD) is one warning
    naming the file; the brief is published from the rest and the build exits 3."""
    folder = story(tmp_path)
    (folder / name).write_text(HOSTILE_JSON[name], encoding="utf-8")
    out = tmp_path / "out"
    result = build(folder, out)
    assert result.exit_code == 3, result.output + result.stderr
    assert warnings(result) == {name: "BG-NESTING"}
    assert "nested too deeply" in result.stderr
    assert {s["path"] for s in sources(out)} == GOOD


@pytest.mark.parametrize("command", [["inspect"], ["inspect", "--json"], ["quotes"], ["summarize"]])
def test_deeply_nested_json_does_not_stop_inspect_quotes_summarize(tmp_path, command):
    """The other commands that read a folder name the file and carry on."""
    folder = story(tmp_path)
    (folder / "deep.json").write_text(DEEP, encoding="utf-8")
    result = CliRunner().invoke(main, [*command, str(folder)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "BG-NESTING" in result.output + result.stderr
    assert "deep.json" in result.output + result.stderr


def test_deeply_nested_json_in_a_worker_process(tmp_path, monkeypatch):
    """With enough files for the worker pool, the hostile one is still one rejection."""
    folder = story(tmp_path)
    for i in range(pipeline.PARALLEL_MIN + 2):
        (folder / f"extra{i:02d}.txt").write_text(
            f"Harbour note {i}\n\nThe harbour office published note {i} on the channel "
            f"works on Tuesday, {i + 1} days after the council vote.\n",
            encoding="utf-8",
        )
    (folder / "deep.json").write_text(DEEP, encoding="utf-8")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    analysis = pipeline.analyse(folder)
    assert [(e.path, e.code) for e in analysis.rejected] == [("deep.json", "BG-NESTING")]
    assert len(analysis.sources) == len(GOOD) + pipeline.PARALLEL_MIN + 2


@pytest.mark.parametrize(
    ("error", "code"), [(RecursionError("too deep"), "BG-NESTING"), (MemoryError(), "BG-MEMORY")]
)
def test_recursion_or_memory_error_anywhere_in_one_article_rejects_only_it(
    tmp_path, monkeypatch, error, code
):
    """Not only json.loads: any RecursionError or MemoryError while one file is read or
    analysed becomes an ArticleError for that file."""
    folder = story(tmp_path)
    real = pipeline.segment.segment

    def fragile(source):
        if source.path == "b.txt":
            raise error
        return real(source)

    monkeypatch.setattr(pipeline.segment, "segment", fragile)
    analysis = pipeline.analyse(folder)
    assert [(e.path, e.code) for e in analysis.rejected] == [("b.txt", code)]
    assert {s.path for s in analysis.sources} == GOOD - {"b.txt"}


def test_read_file_turns_recursion_into_an_article_error():
    with pytest.raises(ArticleError) as info:
        readers.read_file(DEEP.encode(), "deep.json")
    assert info.value.code == "BG-NESTING" and info.value.path == "deep.json"


# --- 3. impossible dates --------------------------------------------------------------------


def _rss(pub_date: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Coast Wire</title>'
        f"<item><title>Dredging to take two years</title><pubDate>{pub_date}</pubDate>"
        f"<description>{BODY}</description></item></channel></rss>"
    )


def _export(published: str) -> str:
    return json.dumps(
        [{"title": "Dredging to take two years", "text": BODY, "published": published}]
    )


IMPOSSIBLE = {
    "feed.rss": _rss("Sun, 30 Feb 2025 10:00:00 GMT"),
    "feed.atom": (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Coast</title>'
        "<entry><title>Dredging to take two years</title><updated>2025-02-30T10:00:00Z</updated>"
        f"<content>{BODY}</content></entry></feed>"
    ),
    "export.json": _export("2025-02-30"),
    "export-time.json": _export("2025-04-31T08:00:00Z"),
    "year-zero.json": _export("0000-01-01"),
    "front.md": f"---\ntitle: Dredging to take two years\npublished: 2025-02-30\n---\n{BODY}\n",
    "words.md": f"---\ntitle: Dredging to take two years\ndate: 30 February 2025\n---\n{BODY}\n",
    "page.html": _page('<meta property="article:published_time" content="2025-02-30T10:00">'),
}


@pytest.mark.parametrize("name", sorted(IMPOSSIBLE))
def test_impossible_date_with_since_is_missing_with_a_warning(tmp_path, name):
    """30 February (RSS pubDate, Atom updated, JSON published, front matter, page meta)
    is no date: a line names the file (a note with code BG-DATE: the article is not
    rejected, so the exit code stays 0), --since keeps it as undated, the brief is built
    and its source list shows no impossible date."""
    folder = story(tmp_path)
    (folder / name).write_text(IMPOSSIBLE[name], encoding="utf-8")
    out = tmp_path / "out"
    result = build(folder, out, "--since", "2025-01-01")
    assert result.exit_code == 0, result.output + result.stderr
    assert warnings(result) == {}
    named = date_notes(result)
    assert set(named.values()) == {"BG-DATE"} and all(k.startswith(name) for k in named), named
    assert "not a real date" in result.stderr
    assert re.search(rf"without a date: .*{re.escape(name)}", result.stderr)
    listed = {s["path"].split("#")[0]: s["published"] for s in sources(out)}
    assert name in listed and listed[name] is None
    for published in listed.values():
        assert published is None or metadata.parse_date(published)


def test_front_matter_date_that_is_no_date_is_none_not_raw():
    warned: list[ArticleError] = []
    raw = f"---\ntitle: Dredging\npublished: 2025-02-30\n---\n{BODY}\n".encode()
    source = ingest.read_article(raw, "front.md", warnings=warned)
    assert source.published is None
    assert [(w.path, w.code) for w in warned] == [("front.md", "BG-DATE")]
    raw = f"---\ntitle: Dredging\npublished: last Tuesday\n---\n{BODY}\n".encode()
    source = ingest.read_article(raw, "vague.md", warnings=warned)
    assert source.published is None and warned[-1].path == "vague.md"


@pytest.mark.parametrize(
    "text", ["30 February 2025", "Feb 30, 2025", "2025-02-30", "2025-13-01", "2023-02-29"]
)
def test_parse_date_refuses_impossible_dates(text):
    assert metadata.parse_date(text) is None
    assert metadata.impossible_date(text)


def test_parse_date_keeps_real_dates():
    assert metadata.parse_date("29 February 2024") == "2024-02-29"
    assert metadata.impossible_date("29 February 2024") is None


@pytest.mark.parametrize(
    "value", ["2025-02-30", "2025-02-30T10:00", "0000-01-01", "yesterday", "9999-99-99"]
)
def test_in_window_treats_a_bad_stored_date_as_missing(value):
    source = ingest.Source(id="x", path="x.txt", text="x", published=value)
    since = sourcing.parse_since("2025-01-01")
    assert sourcing.in_window(source, since) is None


def test_far_dates_do_not_crash_the_window():
    since = sourcing.parse_since("2025-01-01")
    late = ingest.Source(id="x", path="x.txt", text="x", published="9999-12-31T23:59")
    assert sourcing.in_window(late, since) is True


@pytest.mark.parametrize("since", ["99999999999999d", "999999999999h", "0000-01-01"])
def test_since_out_of_range_is_a_usage_error_not_a_crash(tmp_path, since):
    result = build(story(tmp_path), tmp_path / "out", "--since", since)
    assert result.exit_code == 2, result.output + result.stderr


def test_sidecar_impossible_date_is_missing_with_a_warning(tmp_path):
    folder = story(tmp_path)
    (folder / "sources.toml").write_text('["a.txt"]\npublished = "2025-02-30"\n', "utf-8")
    out = tmp_path / "out"
    result = build(folder, out, "--since", "2025-01-01")
    assert result.exit_code == 0, result.output + result.stderr
    assert date_notes(result) == {"a.txt": "BG-DATE"}
    assert {s["path"]: s["published"] for s in sources(out)}["a.txt"] is None


def test_sidecar_nested_too_deeply_is_a_config_error(tmp_path):
    folder = story(tmp_path)
    (folder / "sources.toml").write_text('["a.txt"]\ntitle = ' + DEEP + "\n", "utf-8")
    result = build(folder, tmp_path / "out")
    assert result.exit_code == 78, result.output + result.stderr
    assert "sources.toml" in result.stderr


# --- 4. an output folder inside the source folder -----------------------------------------


def test_output_folder_equal_to_source_folder_is_never_read(tmp_path):
    """-o the source folder, built twice: the second brief has the same sources (none of
    its own brief.* files), no key point counts its own output as a source, and a third
    build sees nothing changed."""
    folder = story(tmp_path)
    first = CliRunner().invoke(main, ["build", str(folder), "-o", str(folder), "-f", "json", "-f", "md", "-f", "html"])  # fmt: skip
    assert first.exit_code == 0, first.output + first.stderr
    before = sources(folder)
    assert {s["path"] for s in before} == GOOD
    second = CliRunner().invoke(main, ["build", str(folder), "-o", str(folder), "-f", "json", "-f", "md", "-f", "html", "--force"])  # fmt: skip
    assert second.exit_code == 0, second.output + second.stderr
    brief = json.loads((folder / "brief.json").read_text(encoding="utf-8"))
    assert [s["path"] for s in brief["sources"]] == [s["path"] for s in before]
    own = {s["n"] for s in brief["sources"] if s["path"].startswith("brief")}
    assert not own
    for point in brief["key_points"]:
        assert not {c["source"] for c in point["citations"]} & own
    third = CliRunner().invoke(main, ["build", str(folder), "-o", str(folder), "-f", "json", "-f", "md", "-f", "html"])  # fmt: skip
    assert third.exit_code == 0 and "nothing changed" in third.output, third.output
    for command in (["inspect", "--json"], ["quotes"]):
        result = CliRunner().invoke(main, [*command, str(folder)])
        assert result.exit_code == 0 and "brief." not in result.output.replace("brief.md", "")


@pytest.mark.parametrize("sub", ["out", "out.json", "editions.html"])
def test_output_folder_inside_the_source_folder_is_skipped_silently(tmp_path, sub):
    folder = story(tmp_path)
    out = folder / sub
    for _ in range(2):
        result = build(folder, out, "--force")
        assert result.exit_code == 0, result.output + result.stderr
        assert result.stderr == ""
        assert {s["path"] for s in sources(out)} == GOOD


def test_link_into_the_output_folder_is_not_read(tmp_path):
    """A symlink in the source folder to a published file is briefgen's output too."""
    folder = story(tmp_path)
    out = folder / "out"
    assert build(folder, out).exit_code == 0
    (folder / "latest.json").symlink_to(out / "brief.json")
    (folder / "old.json").symlink_to(out / "editions" / "0001" / "brief.json")
    (folder / "state.json").symlink_to(out / ".briefgen" / "manifest.json")
    result = build(folder, out, "--force")
    assert result.exit_code == 0, result.output + result.stderr
    assert {s["path"] for s in sources(out)} == GOOD


def test_pipeline_listing_skips_the_output_folder(tmp_path):
    folder = story(tmp_path)
    assert build(folder, folder, "-f", "md").exit_code == 0
    (folder / "notes.md").write_text("Notes\n\n" + BODY + "\n", encoding="utf-8")
    names = {p.name for p in ingest.list_articles(folder, out_dir=folder)}
    assert names == GOOD | {"notes.md"}
    names = {p.name for p in ingest.list_articles(folder)}  # the state dir gives it away
    assert names == GOOD | {"notes.md"}


def test_listing_tells_plain_files_from_links_folders_and_output(tmp_path):
    """The listing takes a regular file's real path from the folder listing itself; a
    link, a folder named like an article, a published file and a source folder lying in
    its own output folder still get the full checks."""
    folder = story(tmp_path)
    (folder / "folder.txt").mkdir()
    (folder / "again.txt").symlink_to(folder / sorted(GOOD)[0])
    reader = ingest.ArticleReader(folder)
    found, refused = reader.listing()
    assert {p.name for p in found} == GOOD | {"again.txt"}
    assert [(e.path, e.code) for e in refused] == [("folder.txt", "BG-NOTFILE")]
    assert reader.listing() == (found, refused)  # one pass per reader, the same answer
    (folder / "folder.txt").rmdir()
    (folder / "again.txt").unlink()
    out = tmp_path / "out"
    out.mkdir()
    moved = folder.rename(out / "src")
    assert ingest.list_articles(moved, out_dir=out) == []  # inside the output: none
    assert {p.name for p in ingest.list_articles(moved)} == GOOD


# --- probing: odd exports, big feeds ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"articles": {"a": {"text": "x"}}}', "expected an article object"),
        ('{"articles": "none"}', "expected an article object"),
        ('{"articles": null}', "expected an article object"),
        ("42", "expected an article object"),
        ('[{"text": "x", "n": ' + "9" * 5000 + "}]", "not valid JSON"),
    ],
)
def test_odd_exports_are_one_line_each(tmp_path, text, words):
    folder = story(tmp_path)
    (folder / "odd.json").write_text(text, encoding="utf-8")
    result = build(folder, tmp_path / "out")
    assert result.exit_code == 3, result.output + result.stderr
    assert warnings(result) == {"odd.json": "BG-ARTICLE"} and words in result.stderr


def test_nan_and_infinity_in_an_export_are_ignored_values(tmp_path):
    folder = story(tmp_path)
    (folder / "nan.json").write_text(
        f'[{{"title": NaN, "text": "{BODY}", "published": Infinity, "url": -Infinity, '
        '"outlet": 1e999, "author": [NaN, {"name": NaN}]}]',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = build(folder, out)
    assert result.exit_code == 0, result.output + result.stderr
    entry = {s["path"]: s for s in sources(out)}["nan.json#1"]
    assert entry["published"] is None and entry["url"] is None and entry["outlet"] is None


def test_feed_entry_ids_are_computed_without_rehashing_the_file(monkeypatch):
    """A feed of 2,000 entries hashes its bytes a bounded number of times (it used to
    hash the whole file once per entry: minutes for a feed of 10,000)."""
    items = "".join(
        f"<item><title>Harbour note {i} today</title><description>{BODY} Note {i}."
        "</description></item>"
        for i in range(2000)
    )
    raw = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    )
    hashed = []
    real = readers.hashlib.sha256

    def counting(data=b"", *args, **kwargs):
        hashed.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(readers.hashlib, "sha256", counting)
    found = readers.read_file(raw.encode(), "big.rss")
    assert len(found) == 2000
    assert sum(hashed) < 3 * len(raw)
    # the same ids as before: sha256 of the bytes and "#N"
    assert found[41].id == real(raw.encode() + b"#42").hexdigest()[:12]


def test_hostile_state_folder_in_the_source_folder_is_no_crash(tmp_path):
    """A manifest nested 100,000 deep in the source folder's .briefgen, a symlink loop
    and a link to the folder itself: the build names the loop and publishes the rest."""
    folder = story(tmp_path)
    (folder / ".briefgen").mkdir()
    (folder / ".briefgen" / "manifest.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "self.html").symlink_to(folder)
    out = tmp_path / "out"
    result = build(folder, out)
    assert result.exit_code == 3, result.output + result.stderr
    assert warnings(result) == {"loop.txt": "BG-UNREADABLE"}
    assert {s["path"] for s in sources(out)} == GOOD


def test_config_nested_too_deeply_is_a_config_error(tmp_path):
    """A briefgen.toml nested thousands deep is a config error (78) naming it, not a crash."""
    from click.testing import CliRunner

    from briefgen.cli import main

    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text("The council closed the quay on Tuesday after a long vote.\n")
    (folder / "briefgen.toml").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 78, result.output
    assert "briefgen.toml" in result.output and "nested too deeply" in result.output
    assert not (tmp_path / "out").exists()
