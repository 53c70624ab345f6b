"""Feeds and titles: an item's <source> names its outlet, junk titles give way to the real
headline, and a date in a file name dates an article that has no other date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.pipeline import analyse
from briefgen.stages.readers import is_junk_title, read_file

BODY = (
    "Dockers at Porthmor walked out on Monday morning over a pay offer they called an insult. "
    "Grain barges queued outside the harbour mouth while the union and the port board met.\n"
    "The port board said talks would resume on Thursday with a mediator from the ministry.\n"
)

FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Morning Digest Aggregator</title><link>https://digest.example/</link>
<description>Stories from many outlets</description>
<item>
  <title>Top NewsVideo</title>
  <link>https://gazette.example/porthmor-strike</link>
  <source url="https://gazette.example/rss">Harbour Gazette</source>
  <description><![CDATA[<p>Dockers strike halts grain exports at Porthmor</p>
  <p>{BODY}</p>]]></description>
</item>
<item>
  <title>Mediator named for Porthmor port talks</title>
  <link>https://digest.example/mediator</link>
  <description><![CDATA[<p>{BODY}</p>]]></description>
</item>
</channel></rss>
""".encode()


def test_rss_item_source_names_the_outlet():
    """An item's <source> is its outlet, ahead of the aggregator feed's own title."""
    first, second = read_file(FEED, "digest.rss")
    assert first.outlet == "Harbour Gazette"
    assert second.outlet == "Morning Digest Aggregator"  # no <source>: the feed's title


PAGE = f"""<html><head>
<meta property="og:title" content="Share this article">
<meta property="og:site_name" content="Harbour Gazette">
</head><body><article>
<h1>Dockers strike halts grain exports at Porthmor</h1>
<p>{BODY}</p></article></body></html>
""".encode()

EXPORT = json.dumps(
    [
        {
            "title": "Harbour Gazette",  # the site's name, not a headline
            "outlet": "Harbour Gazette",
            "description": "Dockers strike halts grain exports at Porthmor",
            "text": BODY,
        }
    ]
).encode()

TEXT = ("Share this article\n\nDockers strike halts grain exports at Porthmor\n\n" + BODY).encode()


@pytest.mark.parametrize(
    ("name", "raw"),
    [("digest.rss", FEED), ("page.html", PAGE), ("export.json", EXPORT), ("story.txt", TEXT)],
)
def test_junk_title_gives_way_to_the_real_headline(name, raw):
    """A title that is furniture gives way to the repeated first line or the description."""
    source = read_file(raw, name)[0]
    assert source.title == "Dockers strike halts grain exports at Porthmor"


@pytest.mark.parametrize(
    ("title", "junk"),
    [
        ("Top NewsVideo", True),
        ("Share this article", True),
        ("Join the conversation", True),
        ("Latest News | Harbour Gazette", True),
        ("Harbour Gazette", True),
        ("Politics", True),
        ("Dockers strike halts grain exports at Porthmor", False),
        ("YouTube removes channel after complaints from viewers", False),
        ("Latest news from the Porthmor strike talks", False),
    ],
)
def test_what_is_plainly_not_a_headline(title, junk):
    """General rules: labels, prompts, run-together labels, short labels, the site name."""
    assert is_junk_title(title, ["Harbour Gazette"]) is junk


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_dated_file_name_gives_the_published_date(tmp_path):
    """Without any other date, the file name dates the article; a dateline still wins."""
    folder = _folder(
        tmp_path,
        {
            "2018-07-29-dockers-walk-out.txt": BODY,
            "20180730_talks.txt": BODY.replace("Monday", "Tuesday"),
            "2018-07-31-dated.txt": (
                "Porthmor dockers return to work\n\n09:15, Thu, Aug 2, 2018\n\n"
                + BODY.replace("Monday", "Friday")
            ),
        },
    )
    published = {s.path: s.published for s in analyse(folder).sources}
    assert published["2018-07-29-dockers-walk-out.txt"] == "2018-07-29"
    assert published["20180730_talks.txt"] == "2018-07-30"
    assert published["2018-07-31-dated.txt"] == "2018-08-02T09:15"  # the dateline first


def test_impossible_file_name_date_is_missing(tmp_path):
    """30 February in a file name is no date at all, and nothing fails."""
    folder = _folder(tmp_path, {"2018-02-30-dockers.txt": BODY})
    [source] = analyse(folder).sources
    assert source.published is None
