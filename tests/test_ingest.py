"""Ingest: strict decoding, headlines, front matter, metadata the text gives away."""

from pathlib import Path

import pytest

from briefgen.errors import ArticleError
from briefgen.pipeline import analyse
from briefgen.stages.ingest import read_article


def test_txt_headline_is_first_short_line_without_full_stop():
    """A short first line with no full stop is the headline."""
    source = read_article(b"Storm hits the coast\n\nThe storm arrived at dawn.\n", "a.txt")
    assert source.title == "Storm hits the coast"
    assert source.text[source.title_span[0] : source.title_span[1]] == source.title


def test_txt_first_line_sentence_is_body():
    """A first line that ends with a full stop is body, not a headline."""
    source = read_article(b"The storm arrived at dawn and stayed.\nMore rain.\n", "a.txt")
    assert source.title is None and source.title_span is None


def test_leading_section_label_is_skipped_for_headline():
    """A one- or two-word navigation label before the headline is not the headline."""
    source = read_article(b"Top News\n\nStorm hits the coast overnight\n\nIt rained.\n", "a.txt")
    assert source.title == "Storm hits the coast overnight"


def test_bom_is_accepted_and_offsets_follow_decoded_text():
    """A UTF-8 BOM is dropped; offsets index the decoded text."""
    source = read_article("\ufeffHeadline of the day\nBody.\n".encode(), "a.txt")
    assert source.text.startswith("Headline")
    assert source.title == "Headline of the day"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("Caf\u00e9 society opens".encode("latin-1"), "not UTF-8"),
        ("Headline here".encode("utf-16"), "UTF-16"),
        (b"", "empty"),
        (b"abc\x00def", "NUL"),
    ],
)
def test_bad_encodings_are_clear_errors(raw, reason):
    """Other encodings and binary content are an ArticleError naming the file."""
    with pytest.raises(ArticleError) as info:
        read_article(raw, "bad.txt")
    assert reason in info.value.one_line() and "bad.txt" in info.value.one_line()


def test_markdown_front_matter():
    """A .md front-matter block sets title, outlet, url, published and author."""
    raw = (
        b"---\ntitle: Storm hits\noutlet: The Coast Times\nurl: https://example.org/a\n"
        b"published: 2025-12-03\nauthor: A. Writer\n---\n# Storm hits\n\nIt rained all day.\n"
    )
    source = read_article(raw, "a.md")
    assert (source.title, source.outlet, source.url) == (
        "Storm hits",
        "The Coast Times",
        "https://example.org/a",
    )
    assert source.published == "2025-12-03" and source.author == "A. Writer"
    assert source.text[source.body_start :].startswith("# Storm hits")


def test_broken_article_is_skipped_rest_are_read(tmp_path: Path):
    """A folder with one broken file yields the good articles and one rejection."""
    (tmp_path / "a.txt").write_text("Good story headline\n\nIt happened today.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("Mauvais encodage \u00e9t\u00e9".encode("cp1252"))
    (tmp_path / "notes.csv").write_text("x,y\n", encoding="utf-8")
    result = analyse(tmp_path)
    assert [s.path for s in result.sources] == ["a.txt"]
    assert result.sources[0].n == 1
    assert [e.path for e in result.rejected] == ["b.txt"]


def test_source_ids_are_stable_and_content_based(tmp_path: Path):
    """The same bytes give the same id wherever the file is."""
    a = read_article(b"Same text here\nBody.\n", "x.txt")
    b = read_article(b"Same text here\nBody.\n", "y.txt")
    assert a.id == b.id and len(a.id) == 12
