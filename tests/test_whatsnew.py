"""What is new is shown: an added article's key new facts appear under "New since the
last edition" even when none of them made a theme section."""

from __future__ import annotations

import json
from pathlib import Path

from briefgen.build import run_build
from briefgen.render.escape import markdown_escape

CONFIG = """
[brief]
title = "Glenmore ferry storm"
[limits]
key_points = 0
facts_per_theme = 2
[[themes]]
id = "damage"
title = "Damage"
description = "What the storm broke."
terms = ["storm", "pier", "waves", "damaged"]
"""

FIRST = {
    "a.txt": (
        "Storm damages Glenmore pier\n\n"
        "A winter storm damaged the pier at Glenmore on Sunday night, the harbour master said.\n\n"
        "Waves as high as six metres broke over the pier wall and tore away two mooring posts.\n\n"
        "The storm also flooded the ticket office beside the slipway, staff said on Monday.\n"
    ),
    "b.txt": (
        "Glenmore pier closed after storm\n\n"
        "The pier at Glenmore was closed on Monday after waves damaged its outer wall overnight.\n\n"
        "Engineers from the council inspected the damaged pier and found cracks in the deck.\n"
    ),
}

# The new article reports the insurance claim: none of the damage theme's words.
ADDED = (
    "Insurer disputes Glenmore claim\n\n"
    "The island council lodged an insurance claim for four hundred thousand pounds on Thursday.\n\n"
    "Its insurer has asked for an independent survey before agreeing to pay any of the money.\n\n"
    "Councillors voted to borrow the sum from reserves so that repairs can start in spring.\n\n"
    "The council leader told the meeting that the island could not wait for the insurer.\n\n"
    "A decision on the survey is expected from the insurer before the end of the month.\n"
)


def _build(folder: Path, out: Path) -> dict:
    run_build(folder, None, out, ("json", "md"))
    return json.loads((out / "brief.json").read_text(encoding="utf-8"))


def _cited_text(folder: Path, source: dict) -> str:
    if source["text"] is not None:
        return source["text"]
    return (folder / source["path"]).read_text(encoding="utf-8-sig")


def test_added_article_key_facts_show_under_whats_new(tmp_path):
    """The added article's facts make no theme, yet its key new facts are listed, cited
    verbatim, in the JSON and the Markdown, and none repeats a listed new fact."""
    folder, out = tmp_path / "articles", tmp_path / "out"
    folder.mkdir()
    (folder / "briefgen.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in FIRST.items():
        (folder / name).write_text(text, encoding="utf-8")
    _build(folder, out)
    (folder / "c-insurance.txt").write_text(ADDED, encoding="utf-8")
    data = _build(folder, out)

    sources = {s["n"]: s for s in data["sources"]}
    added_n = next(n for n, s in sources.items() if s["path"] == "c-insurance.txt")
    in_themes = [f for t in data["themes"] for f in t["facts"]] + data["key_points"]
    assert all(added_n not in {c["source"] for c in f["citations"]} for f in in_themes)

    changes = data["changes"]
    assert changes["sources_added"] == ["c-insurance.txt"]  # existing keys unchanged
    [entry] = changes["article_facts"]
    assert entry["path"] == "c-insurance.txt" and entry["change"] == "added"
    assert entry["source"] == added_n
    assert 1 <= len(entry["facts"]) <= 3
    new_texts = {f["text"] for f in changes["new_facts"]}
    markdown = (out / "brief.md").read_text(encoding="utf-8")
    whats_new = markdown.split("## New since the last edition", 1)[1].split("\n## ", 1)[0]
    for fact in entry["facts"]:
        assert fact["text"] not in new_texts
        assert fact["text"] in ADDED  # verbatim, never a headline
        assert fact["text"] != "Insurer disputes Glenmore claim"
        first, *others = fact["citations"]  # the added article's own sentence first
        assert first["source"] == added_n
        assert _cited_text(folder, sources[added_n])[first["start"] : first["end"]] == fact["text"]
        for c in others:  # other sources reporting the same: their own verbatim sentence
            assert _cited_text(folder, sources[c["source"]])[c["start"] : c["end"]].strip()
        assert markdown_escape(fact["text"]) in whats_new
