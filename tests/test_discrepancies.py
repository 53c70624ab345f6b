"""Discrepancies: real disagreements flagged, mere differences left alone."""

from __future__ import annotations

from briefgen.config import parse_config
from briefgen.models import Source
from briefgen.pipeline import generation_time
from briefgen.stages import assemble, clean, entities, segment
from briefgen.stages.ingest import read_article
from briefgen.stages.people import SpeakerIndex
from briefgen.stages.quotes import find_quotes

CONFIG = parse_config(
    {
        "brief": {"title": "Bridge"},
        "themes": [
            {"id": "works", "title": "Works", "description": "Repairs.", "terms": ["bridge"]}
        ],
    },
    "test.toml",
)


def build(*articles: str):
    sources: list[Source] = []
    sentences = []
    quotes = {}
    for n, text in enumerate(articles, start=1):
        source = read_article(text.encode(), f"{n}.txt")
        source.n = n
        clean.clean(source)
        sources.append(source)
        sentences += segment.segment(source)
        quotes[n] = find_quotes(source.text, [(b.start, b.end) for b in source.body])
    entities.annotate(sentences)
    return assemble.assemble(CONFIG, sources, sentences, quotes, SpeakerIndex(), generation_time())


def test_different_dates_for_same_event_are_flagged():
    """Two outlets dating the same reopening differently produce a date discrepancy."""
    brief = build(
        "Bridge news today\n\nThe river bridge reopened to traffic on 4 March after repairs by engineers.\n",
        "Other bridge story\n\nEngineers reopened the river bridge to traffic on 5 March after repairs.\n",
    )
    dates = [d for d in brief.discrepancies if d.kind == "date"]
    assert len(dates) == 1
    values = {side.value for side in dates[0].sides}
    assert values == {"4 March", "5 March"}
    assert {c.source for side in dates[0].sides for c in side.citations} == {1, 2}


def test_same_date_is_not_a_discrepancy():
    """Outlets that agree produce no discrepancy."""
    brief = build(
        "Bridge news today\n\nThe river bridge reopened to traffic on 4 March after repairs by engineers.\n",
        "Other bridge story\n\nEngineers reopened the river bridge to traffic on 4 March after repairs.\n",
    )
    assert brief.discrepancies == []


def test_different_events_with_different_dates_are_not_flagged():
    """A date of another event is a difference, not a disagreement."""
    brief = build(
        "Bridge news today\n\nThe river bridge reopened to traffic on 4 March after repairs by engineers.\n",
        "Other council story\n\nThe council approved next year's school budget on 9 April after a long debate.\n",
    )
    assert brief.discrepancies == []


def test_different_durations_of_same_meeting_are_flagged():
    """'three hours' against 'five hours' for the same meeting is a duration discrepancy."""
    brief = build(
        "Bridge talks\n\nThe mayor met the engineers about the bridge for three hours on Monday.\n",
        "Bridge meeting\n\nOn Monday the mayor met the engineers about the bridge for five hours.\n",
    )
    kinds = {d.kind for d in brief.discrepancies}
    assert "duration" in kinds


def test_quantities_of_different_units_are_not_flagged():
    """'20 items' and 'four packages' count different things."""
    brief = build(
        "Bridge plan\n\nThe bridge repair plan was cut down to 20 items by the engineers.\n",
        "Bridge plan again\n\nThe engineers split the bridge repair plan into four packages.\n",
    )
    assert [d for d in brief.discrepancies if d.kind == "quantity"] == []


def test_misspelled_name_is_flagged_but_transliteration_is_not():
    """Witkof/Witkoff is a name discrepancy; Zelensky/Zelenskyy is a spelling convention."""
    brief = build(
        "Bridge visit\n\nEngineer Steve Witkoff inspected the bridge with Volodymyr Zelensky on Monday.\n",
        "Bridge visit two\n\nEngineer Steve Whitkoff inspected the bridge with Volodymyr Zelenskyy on Monday.\n",
    )
    names = [d for d in brief.discrepancies if d.kind == "name"]
    assert len(names) == 1
    assert {s.value for s in names[0].sides} == {"Witkoff", "Whitkoff"}
