"""Self-contained statements, and a lead that follows the news."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.models import Entity, Sentence
from briefgen.stages import reference

THEMES = """[brief]
title = "Bridge repairs"
[limits]
key_points = 3
[[themes]]
id = "bridge"
title = "The bridge"
description = "The bridge and its repairs."
terms = ["bridge", "repairs", "engineers", "cracks", "traffic"]
[[themes]]
id = "money"
title = "Money"
description = "Who pays."
terms = ["budget", "cost", "pay", "million", "funds"]
"""


def sentence(text: str, position: int, people: tuple[str, ...] = (), paragraph: int = 0):
    start = position * 200
    ents = [
        Entity(name, "person", start + text.index(name), start + text.index(name) + len(name))
        for name in people
    ]
    return Sentence(1, start, start + len(text), text, position, paragraph, ents)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("He accused the council of delay.", "person"),
        ("Her office declined to comment.", "person"),
        ("It apparently places no limit on traffic.", "other"),
        ("They said the work would take a year.", "other"),
        ("The move angered drivers.", "other"),
        ("This decision was criticised.", "other"),
        ("“They will pay for it,” the mayor said.", "other"),
        ("Another asks who approved the budget.", "other"),
        ("Among them are two engineers from the port.", "other"),
        ("Many of those questions concern the budget.", "other"),
        ("At the time, the council closed the bridge.", "other"),
        ("The majority relate to the budget.", "other"),
        ("The two leaders also said the bridge would reopen.", "other"),
        ("The appointment came after weeks of delay.", "other"),
        ("The decisions came a day before the vote.", "other"),
        ("The chairmen said the plan was sound.", "other"),
        ("The harbour officials spoke on condition of anonymity.", "other"),
    ],
)
def test_openings_that_cannot_stand_alone(text, kind):
    assert reference.opening_reference(text).kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "The mayor accused the council of delay.",
        "The move of the offices to the old mill was approved.",
        "Italy's bridge inspectors arrived on Monday.",
        "Theresa Hale, the engineer, said the cracks were new.",
        "At the time of the flood, the bridge was closed.",
        "The majority of drivers use the ring road.",
        "The meeting between the engineers and the council lasted an hour.",
        "The three Labour councillors voted against the plan.",
        "The leaders of Lisbon and Porto met on Monday.",
        "The mayor said the bridge would reopen.",
    ],
)
def test_self_contained_openings(text):
    assert reference.opening_reference(text) is None


def test_pronoun_resolved_from_the_article_with_brackets():
    before = [
        sentence("Mayor Ann Dorsey met the engineers on Monday.", 0, ("Ann Dorsey",)),
        sentence("The cracks were wider than expected.", 1),
    ]
    he = sentence("She accused the council of ignoring the warnings.", 2)
    assert reference.display_text(he, before) == (
        "[Ann Dorsey] accused the council of ignoring the warnings."
    )
    his = sentence("Her office will publish the report.", 2)
    assert reference.display_text(his, before) == "[Ann Dorsey’s] office will publish the report."


def test_a_pronoun_opening_a_clause_before_anyone_is_named_is_resolved():
    """ "In the evening, he hosted ..." points back as "He hosted ..." does: the first
    such pronoun is resolved from the article, or the sentence is not shown."""
    before = [sentence("Mayor Ann Dorsey met the engineers on Monday.", 0, ("Ann Dorsey",))]
    evening = sentence("In the evening, he hosted a dinner for the engineers.", 1)
    assert reference.display_text(evening, before) == (
        "In the evening, [Ann Dorsey] hosted a dinner for the engineers."
    )
    both = sentence("While she praised the engineers, she said the cost was too high.", 1)
    assert reference.display_text(both, before) == (
        "While [Ann Dorsey] praised the engineers, she said the cost was too high."
    )
    named = sentence("When Tom Reyes arrived, he inspected the pillars.", 1, ("Tom Reyes",))
    assert reference.display_text(named, before) == named.text
    # The pronoun may point ahead, to the subject named just after the comma.
    ahead = sentence(
        "When he took office, Governor Tom Reyes promised new pillars.", 1, ("Tom Reyes",)
    )
    assert reference.display_text(ahead, before) == ahead.text
    # "she" after "the queen" in the same sentence is the queen; a pronoun in a later
    # clause ("..., when he flew in") may mean anyone the sentence describes.
    queen = sentence("The queen has met 100 leaders since she took the throne.", 1)
    assert reference.display_text(queen, before) == queen.text
    later = sentence("The trip is the tycoon's first since 2016, when he flew in to golf.", 1)
    assert reference.display_text(later, before) == later.text
    quoted = sentence("The engineer wrote: “If he reads this, he will understand.”", 1)
    assert reference.display_text(quoted, before) == quoted.text
    nobody = [sentence("The cracks were wider than expected.", 0)]
    assert reference.display_text(evening, nobody) is None


def test_pronoun_without_a_named_person_nearby_is_not_shown():
    before = [sentence("The cracks were wider than expected.", 0)]
    assert reference.display_text(sentence("He said the bridge would close.", 1), before) is None
    assert reference.display_text(sentence("It will close in May.", 1), before) is None


def write_story(folder: Path, dated: bool) -> None:
    folder.mkdir()
    (folder / "briefgen.toml").write_text(THEMES)
    older = "2024-03-01-bridge-cracks.txt" if dated else "a-bridge-cracks.txt"
    older2 = "2024-03-02-bridge-closure.txt" if dated else "b-bridge-closure.txt"
    newer = "2024-03-09-bridge-reopens.txt" if dated else "c-bridge-reopens.txt"
    (folder / older).write_text(
        "Engineers find cracks in river bridge\n\n"
        "Engineers found deep cracks in the river bridge on Friday, and the council closed "
        "it to traffic while repairs are planned.\n\n"
        "Council leader Mark Ellis said the repairs would cost about 4 million pounds.\n\n"
        "He accused the previous council of ignoring warnings about the bridge for years.\n\n"
        "The move angered drivers who use the bridge every day to reach the town centre.\n"
    )
    (folder / older2).write_text(
        "River bridge shut after cracks found\n\n"
        "The river bridge was closed to traffic after engineers found deep cracks in its "
        "main span, the council said.\n\n"
        "Repairs to the bridge will cost about 4 million pounds from the council's budget, "
        "council leader Mark Ellis said.\n\n"
        "Drivers face a detour of twenty minutes while the bridge stays closed to traffic.\n"
    )
    (folder / newer).write_text(
        "River bridge reopens to buses\n\n"
        "The river bridge reopened to buses and bicycles on Saturday after engineers "
        "finished emergency repairs to the main span.\n\n"
        "Cars will stay banned from the bridge until the full repairs end in the autumn, "
        "the council said.\n"
    )


def build(folder: Path, out: Path) -> dict:
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads((out / "brief.json").read_text())


def test_no_fact_opens_on_an_unresolved_reference(tmp_path):
    """Facts show a resolved pronoun in brackets, or another sentence; text stays verbatim."""
    folder = tmp_path / "story"
    write_story(folder, dated=False)
    brief = build(folder, tmp_path / "out")
    items = brief["key_points"] + [f for t in brief["themes"] for f in t["facts"]]
    sources = {s["n"]: s for s in brief["sources"]}
    for item in items:
        shown = item.get("display") or item["text"]
        assert reference.opening_reference(shown) is None, shown
        cite = item["citations"][0]
        text = (folder / sources[cite["source"]]["path"]).read_text()
        assert text[cite["start"] : cite["end"]] == item["text"]
    resolved = [i for i in items if "display" in i]
    for item in resolved:
        assert item["display"].startswith("[Mark Ellis]")
        assert item["text"].startswith("He ")


def test_the_newest_article_leads(tmp_path):
    """With dated file names, the first key point comes from the newest article."""
    folder = tmp_path / "dated"
    write_story(folder, dated=True)
    brief = build(folder, tmp_path / "out")
    newest = next(s["n"] for s in brief["sources"] if s["path"].startswith("2024-03-09"))
    assert brief["key_points"][0]["citations"][0]["source"] == newest
    # The rest still say what several sources confirm.
    assert any(k["source_count"] >= 2 for k in brief["key_points"][1:])


def test_undated_articles_keep_the_summary_order(tmp_path):
    folder = tmp_path / "undated"
    write_story(folder, dated=False)
    brief = build(folder, tmp_path / "out")
    assert brief["key_points"][0]["source_count"] >= 2


def test_a_chain_of_pronouns_goes_back_to_its_subject():
    """ "Ellis spoke ... He claimed ... (naming someone else) ... He accused ...": Ellis."""
    before = [
        sentence("Council leader Mark Ellis stepped up his attack on Monday.", 0, ("Mark Ellis",)),
        sentence(
            "He claimed the works were late, in a jab at Jo Park and her party.", 1, ("Jo Park",)
        ),
    ]
    he = sentence("He accused the contractor of hiding the cracks.", 2)
    assert reference.display_text(he, before) == (
        "[Mark Ellis] accused the contractor of hiding the cracks."
    )


def test_an_impossible_date_does_not_make_an_article_the_newest(tmp_path):
    """A front-matter date that is no real day (30 February) is not "newest"."""
    folder = tmp_path / "story"
    write_story(folder, dated=False)
    (folder / "d.md").write_text(
        "---\ntitle: Bridge note\npublished: 2099-02-30\n---\n"
        "A council spokesperson confirmed the bridge inspection timetable to reporters today.\n"
    )
    (folder / "a-bridge-cracks.txt").rename(folder / "2024-03-01-bridge-cracks.txt")
    (folder / "c-bridge-reopens.txt").rename(folder / "2024-03-09-bridge-reopens.txt")
    brief = build(folder, tmp_path / "out")
    newest = next(s["n"] for s in brief["sources"] if s["path"].startswith("2024-03-09"))
    assert brief["key_points"][0]["citations"][0]["source"] == newest
