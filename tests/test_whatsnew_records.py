"""What's new reads the last edition as a typed record (whatsnew.read_record): a record
from this version, one from an older version that lacks fields, and garbage each give a
clear outcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefgen import whatsnew
from briefgen.build import run_build
from briefgen.whatsnew import EditionFact, EditionSource, UnreadableEdition, read_record

CONFIG = """
[brief]
title = "Kelso bridge"
[limits]
key_points = 2
facts_per_theme = 2
[[themes]]
id = "works"
title = "Works"
description = "What is being repaired."
terms = ["bridge", "repairs", "closed", "engineers"]
"""

FIRST = {
    "a.txt": (
        "Kelso bridge closed for repairs\n\n"
        "The old road bridge at Kelso was closed on Monday so that engineers can repair its arches.\n\n"
        "The council said the repairs would take about six weeks if the weather stays dry.\n\n"
        '"We know this is hard for people who drive to work," said Ruth Allan, a councillor.\n'
    ),
    "b.txt": (
        "Diversion through Heiton\n\n"
        "Drivers are being sent through Heiton while the bridge at Kelso is closed to traffic.\n\n"
        "Engineers found loose stones in two of the arches during an inspection in October.\n"
    ),
}
ADDED = (
    "Bridge repairs cost more\n\n"
    "The bridge repairs at Kelso will cost nine hundred thousand pounds, the council said.\n\n"
    "Engineers now expect the bridge to reopen to traffic in the middle of March next year.\n"
)


def _folder(tmp_path: Path) -> tuple[Path, Path]:
    folder, out = tmp_path / "articles", tmp_path / "out"
    folder.mkdir()
    (folder / "briefgen.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in FIRST.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder, out


def _brief(out: Path) -> dict[str, Any]:
    return json.loads((out / "brief.json").read_text(encoding="utf-8"))


def _stored(out: Path) -> Path:
    return out / ".briefgen" / "last-brief.json"


def test_record_of_a_published_edition_is_what_it_showed(tmp_path):
    """The record read back from an edition's stored JSON has its number, time, sources
    (path, content id, title), the facts it showed and the keys of every sentence."""
    folder, out = _folder(tmp_path)
    run_build(folder, None, out, ("json",))
    data = _brief(out)
    record = read_record(json.loads(_stored(out).read_text(encoding="utf-8")))

    assert record.edition == 1 and record.published_at == data["generated_at"]
    assert record.sources == tuple(
        EditionSource(s["path"], s["id"], s["title"]) for s in data["sources"]
    )
    shown = data["key_points"] + [f for t in data["themes"] for f in t["facts"]]
    assert [f.text for f in record.facts] == [f["text"] for f in shown] and shown
    titles = {s["n"]: s["title"] for s in data["sources"]}
    assert all(
        f
        == EditionFact(whatsnew.text_key(d["text"]), d["text"], titles[d["citations"][0]["source"]])
        for f, d in zip(record.facts, shown, strict=True)
    )
    # Every sentence of the sources, not only the facts shown.
    assert whatsnew.text_key("Drivers are being sent through Heiton while the bridge at Kelso "
                             "is closed to traffic.") in record.sentence_keys  # fmt: skip
    assert len(record.sentence_keys) > len(record.facts)
    assert record.quote_keys  # Ruth Allan's quote


def test_an_older_edition_without_keys_or_ids_is_still_compared(tmp_path):
    """An edition record that lacks the sentence and quote keys and the sources' content
    ids (an older version's, or a public brief.json put in its place): the next edition
    is compared with it; what it showed is not new again, the added article is added, and
    no source is called updated for want of an id."""
    folder, out = _folder(tmp_path)
    run_build(folder, None, out, ("json",))
    old = _brief(out)  # the public JSON: no "corpus", no "quotes"
    for source in old["sources"]:
        del source["id"]
    old.pop("changes")
    _stored(out).write_text(json.dumps(old), encoding="utf-8")
    (folder / "c.txt").write_text(ADDED, encoding="utf-8")
    report = run_build(folder, None, out, ("json",))

    changes = _brief(out)["changes"]
    assert changes["first"] is False and changes["previous_edition"] == 1
    assert changes["sources_added"] == ["c.txt"]
    assert changes["sources_updated"] == [] and changes["sources_removed"] == []
    shown_before = {f["text"] for f in old["key_points"]}
    shown_before |= {f["text"] for t in old["themes"] for f in t["facts"]}
    assert shown_before and not shown_before & {f["text"] for f in changes["new_facts"]}
    quotes_before = {q["text"] for t in old["themes"] for q in t["quotes"]}
    assert not quotes_before & {q["text"] for q in changes["new_quotes"]}
    assert not any("could not be read" in n for n in report.notes)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe garbage", "not valid JSON"),
        (b"[1, 2, 3]", "not a JSON object but list"),
        (b'{"edition": 3}', "'sources' is missing"),
        (b'{"sources": [{"n": 1}]}', "sources[0]: 'path' is missing"),
        (b'{"sources": [], "key_points": [{"citations": []}]}', "key_points[0]: 'text' is missing"),
        (b'{"sources": [], "edition": "three"}', "'edition' is str, not int"),
        (b'{"sources": [], "corpus": [1, 2]}', "'corpus' holds a value that is not a string"),
    ],
)
def test_a_garbage_record_is_no_previous_edition_with_a_note(tmp_path, content, reason):
    """A last-brief.json that is not an edition record: the new edition is shown as a
    first edition, published, with one note naming the file and why; the edition after
    it is compared with it as usual."""
    folder, out = _folder(tmp_path)
    run_build(folder, None, out, ("json",))
    _stored(out).write_bytes(content)
    (folder / "c.txt").write_text(ADDED, encoding="utf-8")
    report = run_build(folder, None, out, ("json",))

    assert report.edition == 2 and _brief(out)["changes"]["first"] is True
    [note] = [n for n in report.notes if "could not be read" in n]
    assert note.startswith("last-brief.json: ") and reason in note, note
    assert report.warnings == []

    (folder / "c.txt").unlink()
    report = run_build(folder, None, out, ("json",))
    changes = _brief(out)["changes"]
    assert changes["first"] is False and changes["previous_edition"] == 2
    assert changes["sources_removed"] == ["c.txt"]
    assert not any("could not be read" in n for n in report.notes)


def test_no_record_is_a_first_edition_without_a_note(tmp_path):
    assert whatsnew.load_record(tmp_path / "last-brief.json") == (None, None)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (None, "not a JSON object but null"),
        ({"sources": {}}, "'sources' is dict, not list"),
        ({"sources": ["a.txt"]}, "sources[0] is str, not an object"),
        ({"sources": [{"path": 7}]}, "sources[0]: 'path' is int, not str"),
        ({"sources": [], "themes": [{"facts": "none"}]}, "themes[0]: 'facts' is str, not list"),
        ({"sources": [], "themes": [{"quotes": [{"speaker": "X"}]}]}, "'text' is missing"),
    ],
)
def test_read_record_names_what_is_wrong(data, reason):
    with pytest.raises(UnreadableEdition) as caught:
        read_record(data)
    assert reason in str(caught.value)


def test_read_record_tolerates_missing_optional_fields():
    """Only the sources' paths and the facts' texts are required."""
    record = read_record(
        {
            "sources": [{"path": "a.txt"}, {"path": "b.txt", "n": 2, "title": "Bee"}],
            "key_points": [{"text": "One fact.", "citations": [{"source": 2}]}],
            "themes": [{"facts": [{"text": "Two facts."}]}, {}],
        }
    )
    assert record.edition is None and record.published_at is None
    assert record.sources == (EditionSource("a.txt", None), EditionSource("b.txt", None, "Bee"))
    assert [(f.text, f.source_title) for f in record.facts] == [
        ("One fact.", "Bee"),
        ("Two facts.", None),
    ]
    assert record.sentence_keys == {whatsnew.text_key("One fact."), whatsnew.text_key("two FACTS")}
    assert record.quote_keys == frozenset()
