"""The structure of real copy: headlines, decks, captions, subheads, notes and datelines
are recognised, shown by `inspect`, and never become facts or key points."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.stages import structure
from briefgen.stages.clean import clean
from briefgen.stages.ingest import read_article
from briefgen.stages.segment import segment

THEMES = """[brief]
title = "Harbour dispute"
[[themes]]
id = "harbour"
title = "The harbour"
description = "The harbour and its fishing fleet."
terms = ["harbour", "fishing", "boats", "quay", "fleet"]
[[themes]]
id = "council"
title = "The council"
description = "The council's decisions."
terms = ["council", "vote", "budget", "mayor"]
"""


def article(text: str, name: str = "a.txt") -> tuple:
    source = read_article(text.encode(), name)
    source = clean(source)
    kept = [source.text[b.start : b.end] for b in source.body]
    removed = {source.text[r.start : r.end]: r.reason for r in source.removed}
    return source, kept, removed


def test_headline_with_a_full_stop_above_a_blank_line():
    """A short first line standing alone is the headline even when it ends with a full stop."""
    source, kept, removed = article(
        "Harbour council votes to close the old quay.\n\n"
        "The harbour council voted on Tuesday to close the old quay to fishing boats, "
        "the mayor said after a long meeting.\n\n"
        "Fishermen said the closure would cost them a season of work and money.\n"
    )
    assert source.title == "Harbour council votes to close the old quay."
    assert removed["Harbour council votes to close the old quay."] == "headline"
    assert all("votes to close" not in k for k in kept)


def test_short_lede_that_reports_in_the_past_is_not_a_headline():
    """A one-line lede reporting what someone said on a named day stays body text."""
    source, kept, _ = article(
        "The council closed the quay on Tuesday, the mayor said.\n\n"
        "Fishermen said the closure would cost them a season of work.\n"
    )
    assert source.title is None
    assert kept[0].startswith("The council closed the quay")


def test_title_cased_and_repeated_headlines():
    _, _, removed = article(
        "Council Closes The Old Quay To Fishing Boats.\n"
        "The council closed the old quay to fishing boats after a vote that split the town.\n"
    )
    assert removed["Council Closes The Old Quay To Fishing Boats."] == "headline"
    source, kept, removed = article(
        "Quay closed after council vote.\n"
        "The council closed the old quay to fishing boats after a vote that split the town.\n"
        "Quay closed after council vote.\n"
    )
    assert source.title == "Quay closed after council vote."
    assert "Quay closed after council vote." not in kept


@pytest.mark.parametrize(
    "caption",
    [
        "A young fisherman from the north coast standing on the old quay.",
        "Mayor Ann Dorsey, left, and the harbour master Tom Reid on Monday in Port Ellen.",
        "The harbour master and his crew during the storm last winter.",
        "Tom Reid, the harbour master, at the council meeting in March.",
        "A fisherman unloads his catch at the old quay in Port Ellen, Tuesday, March 4, 2025.",
    ],
)
def test_captions_without_credit_are_recognised(caption):
    """Captions name what is shown without a finite verb, or place people in the frame."""
    _, kept, removed = article(
        "Quay closed after council vote\n\n"
        "The council closed the old quay to fishing boats after a vote that split the town.\n\n"
        f"{caption}\n\n"
        "Fishermen said the closure would cost them a season of work and money.\n"
    )
    assert removed[caption] == "caption"
    assert caption not in kept


@pytest.mark.parametrize(
    "sentence",
    [
        "Fishermen fear the closure will cost them a season.",
        "The boats are already tied up in the inner basin.",
        "Officials in the town expect a second vote.",
        "Reid agreed that the quay was unsafe.",
        "Boats left the old quay on Tuesday, March 4, 2025.",
        "The quay opens on Monday, March 10, and closes in May.",
        # Past forms that are also base forms or nouns: a finite verb all the same.
        "Former harbour master Tom Ware cut the ribbon before a crowd on Monday.",
        "Residents of the old quay heard the blast across the bay.",
    ],
)
def test_ordinary_short_sentences_are_not_captions(sentence):
    assert structure.caption_reason(sentence) is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("What happens to the fleet now?", "subhead"),
        ("Winter Storms And The Old Quay.", "subhead"),
        ("More: A guide to the town's harbours and their history.", "label"),
        ("First paragraph (index) is missing.", "note"),
        ("This story has been updated.", "note"),
    ],
)
def test_subheads_rubrics_and_notes_inside_the_body(line, reason):
    _, kept, removed = article(
        "Quay closed after council vote\n\n"
        "The council closed the old quay to fishing boats after a vote that split the town.\n\n"
        f"{line}\n\n"
        "Fishermen said the closure would cost them a season of work and money.\n"
    )
    assert removed[line] == reason
    assert line not in kept


def test_deck_and_caption_above_a_dateline_lede():
    """What stands between the headline and the dateline that opens the story is not it."""
    deck = "The town's fishermen say they were never consulted about the closure."
    caption = "Boats moored at the old quay, which closes on Friday."
    _, kept, removed = article(
        "Quay closed after council vote\n\n"
        f"{deck}\n\n{caption}\n\n"
        "PORT ELLEN, Islay — The council closed the old quay to fishing boats on Tuesday "
        "after a vote that split the town.\n\n"
        "Fishermen said the closure would cost them a season of work and money.\n"
    )
    assert removed[deck] == "deck"
    assert removed[caption] in ("deck", "caption")
    assert kept[0].startswith("PORT ELLEN")


def test_present_tense_deck_under_the_headline():
    deck = "The mayor says the old quay is unsafe and must close before the winter storms."
    _, kept, removed = article(
        "Quay to close\n\n"
        f"{deck}\n\n"
        "The council closed the old quay to fishing boats on Tuesday after a vote that "
        "split the town, officials said.\n\n"
        "Fishermen said the closure would cost them a season of work and money.\n"
    )
    assert removed[deck] == "deck"


def test_place_dateline_stays_in_the_sentence_but_opens_no_fact():
    """The dateline is split off before syntok (its "Fla." would end a sentence), stays at
    the head of the first sentence, and the span a fact cites starts after it."""
    text = (
        "Quay closed after council vote\n\n"
        "PORT ELLEN, Isl. (Reuters) - The council closed the old quay on Tuesday. It reopens "
        "in May.\n"
    )
    source = read_article(text.encode(), "a.txt")
    source = clean(source)
    sentences = segment(source)
    first = sentences[0]
    assert first.text == "PORT ELLEN, Isl. (Reuters) - The council closed the old quay on Tuesday."
    start, lede = structure.lede_span(first.start, first.text)
    assert lede == "The council closed the old quay on Tuesday."
    assert source.text[start : first.end] == lede


@pytest.mark.parametrize(
    ("line", "lede"),
    [
        ("WASHINGTON — The bill passed.", "The bill passed."),
        ("WEST PALM BEACH, Fla. — The bill passed.", "The bill passed."),
        ("LONDON, March 3 (Reuters) - The bill passed.", "The bill passed."),
        ("Paris (AFP) – The bill passed.", "The bill passed."),
        ("Reid — who runs the harbour — said no.", "Reid — who runs the harbour — said no."),
    ],
)
def test_place_datelines(line, lede):
    assert line[structure.dateline_end(line) :] == lede


def test_inspect_shows_what_was_recognised_and_why(tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "briefgen.toml").write_text(THEMES)
    (folder / "a.txt").write_text(
        "Harbour council votes to close the old quay.\n\n"
        "A young fisherman from the north coast standing on the old quay.\n\n"
        "The harbour council voted on Tuesday to close the old quay to fishing boats, the "
        "mayor said after a long meeting.\n"
    )
    result = CliRunner().invoke(main, ["inspect", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    removed = {r["reason"]: r for r in rows["sources"][0]["removed"]}
    assert removed["headline"]["why"] == "a short first line standing alone above a blank line"
    assert removed["caption"]["why"] == "names what is shown, with no finite verb"
    table = CliRunner().invoke(main, ["inspect", str(folder)]).output
    assert "removed (caption: names what is shown, with no finite verb)" in table


def story_folder(tmp_path: Path) -> Path:
    """Three outlets' copy with headlines, decks, captions and subheads left in."""
    folder = tmp_path / "harbour"
    folder.mkdir()
    (folder / "briefgen.toml").write_text(THEMES)
    (folder / "a.txt").write_text(
        "Harbour council votes to close the old quay.\n\n"
        "Tom Reid, the harbour master, at the council meeting in March.\n\n"
        "PORT ELLEN — The harbour council voted on Tuesday to close the old quay to fishing "
        "boats after engineers found cracks in its wall.\n\n"
        "What happens to the fleet now?\n\n"
        "Fishermen said the closure would cost the fleet a season of work and money.\n\n"
        "The council will pay for a temporary pontoon in the inner basin, the mayor said.\n"
    )
    (folder / "b.txt").write_text(
        "Old Quay Closes To Fishing Boats\n\n"
        "The mayor says the quay is unsafe.\n\n"
        "The harbour council decided on Tuesday to close the old quay to fishing boats "
        "because engineers found cracks in the harbour wall.\n\n"
        "A young fisherman from the north coast standing on the old quay.\n\n"
        "Fishermen fear the closure will cost the fleet a season of work, their union said.\n\n"
        "A temporary pontoon in the inner basin will take the boats until spring, the "
        "council said on Wednesday.\n"
    )
    (folder / "c.txt").write_text(
        "Council shuts quay.\n\n"
        "Engineers found cracks in the wall of the old quay, and the harbour council voted "
        "on Tuesday to close it to fishing boats.\n\n"
        "Boats and their crews.\n\n"
        "The fleet of 40 boats will move to a temporary pontoon in the inner basin, the "
        "harbour master said.\n"
    )
    return folder


def test_no_structure_line_becomes_a_fact_or_key_point(tmp_path):
    """End to end: headlines, decks, captions and subheads never reach the brief."""
    folder = story_folder(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    brief = json.loads((out / "brief.json").read_text())
    shown = [k["text"] for k in brief["key_points"]]
    shown += [f["text"] for t in brief["themes"] for f in t["facts"]]
    assert shown
    furniture = [
        "Harbour council votes to close the old quay.",
        "Tom Reid, the harbour master, at the council meeting in March.",
        "What happens to the fleet now?",
        "Old Quay Closes To Fishing Boats",
        "The mayor says the quay is unsafe.",
        "A young fisherman from the north coast standing on the old quay.",
        "Council shuts quay.",
        "Boats and their crews.",
    ]
    for text in shown:
        assert not text.startswith("PORT ELLEN")
        for line in furniture:
            assert line not in text


def test_front_matter_title_keeps_a_one_line_lede(tmp_path):
    """With the headline in front matter, a short first paragraph is the lede, not a headline."""
    source, kept, removed = article(
        "---\ntitle: Quay closes\n---\n"
        "The council closed the quay to boats.\n\n"
        "Fishermen said the closure would cost them a season of work and money.\n",
        "a.md",
    )
    assert source.title == "Quay closes"
    assert kept[0] == "The council closed the quay to boats."
    assert "headline" not in removed.values()


def test_a_name_and_a_dash_is_not_a_dateline():
    for line in ("NATO — the alliance met.", "Reid — who runs the harbour — said no."):
        assert structure.dateline_end(line) == 0


def test_an_article_of_furniture_only_does_not_stop_the_brief(tmp_path):
    folder = story_folder(tmp_path)
    (folder / "d.txt").write_text("Quay to close\n\nWhat happens now?\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "brief.json").read_text())["key_points"]
