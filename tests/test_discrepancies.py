"""Discrepancies: real disagreements flagged, mere differences left alone."""

from __future__ import annotations

from dataclasses import replace

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


def build(*articles: str, config=CONFIG):
    sources: list[Source] = []
    sentences = []
    quotes = {}
    for n, text in enumerate(articles, start=1):
        source = clean.clean(replace(read_article(text.encode(), f"{n}.txt"), n=n))
        sources.append(source)
        sentences += segment.segment(source)
        quotes[n] = find_quotes(source.text, [(b.start, b.end) for b in source.body])
    sentences = entities.annotate(sentences)
    return assemble.assemble(config, sources, sentences, quotes, SpeakerIndex(), generation_time())


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


def test_close_surnames_of_different_people_are_not_a_spelling_conflict():
    """Marek Dolan and Pavel Dolen are two people; Marek Dolan and Marek Dolen are one."""
    two_people = build(
        "Bridge protest\n\nPolice arrested the union leader Marek Dolan at the bridge on Monday.\n",
        "Bridge arrests\n\nThe engineer Pavel Dolen was arrested at the bridge on Monday.\n",
    )
    assert [d for d in two_people.discrepancies if d.kind == "name"] == []
    one_person = build(
        "Bridge protest\n\nPolice arrested the union leader Marek Dolan at the bridge on Monday.\n",
        "Bridge arrests\n\nThe union leader Marek Dolen was arrested at the bridge on Monday.\n",
    )
    names = [d for d in one_person.discrepancies if d.kind == "name"]
    assert len(names) == 1 and {s.value for s in names[0].sides} == {"Dolan", "Dolen"}
    assert "Marek" in names[0].subject


MIGRANTS = (
    "Caravan at the border\n\nAbout 150 migrants from the caravan reached the border crossing "
    "at Nogales on Sunday, officials said. The caravan left southern Mexico a month ago.\n",
    "Migrants wait\n\nSome 200 Central American migrants arrived at the border crossing on "
    "Sunday hoping to apply for asylum. Lawyers offered them advice.\n",
    "Asylum queue\n\nBorder officials said only 130 migrants from the caravan were waiting at "
    "the crossing on Sunday evening. Officials processed eight of them.\n",
    "Border standoff\n\nA group of 400 people, most of them migrants from the caravan, gathered "
    "at the border crossing on Sunday. Volunteers brought food and water.\n",
)


def test_count_conflict_across_outlets_is_one_discrepancy_with_every_value():
    """130, 150, 200 or 400 migrants at the border: one discrepancy naming the migrants."""
    brief = build(*MIGRANTS)
    assert len(brief.discrepancies) == 1
    found = brief.discrepancies[0]
    assert found.kind == "quantity"
    assert found.subject == "Migrants at the border: 130, about 150, some 200 or 400"
    assert {s.value for s in found.sides} == {
        "About 150 migrants",
        "Some 200 Central American migrants",
        "130 migrants",
        "400 people",
    }
    assert {c.source for s in found.sides for c in s.citations} == {1, 2, 3, 4}


def test_durations_of_different_events_are_not_flagged():
    """Sentenced to three years, ran the city for 15 years: two events, no conflict."""
    brief = build(
        "Mayor jailed\n\nThe court sentenced the former mayor to three years in prison for "
        "taking bribes over the bridge contract.\n",
        "Mayor denies\n\nThe former mayor, who ran the city for 15 years, denied taking bribes "
        "over the bridge contract.\n",
    )
    assert brief.discrepancies == []


def test_same_count_reported_alike_is_not_a_discrepancy():
    """Every outlet saying 150 migrants (hedged or not) agrees."""
    brief = build(
        MIGRANTS[0],
        MIGRANTS[1].replace("Some 200", "Some 150"),
        MIGRANTS[2].replace("only 130", "150"),
    )
    assert brief.discrepancies == []


def test_counts_of_different_nouns_are_not_compared():
    """Three missiles and five people; 30 days and 25 percent: different things."""
    brief = build(
        "Depot strike\n\nThree missiles struck the fuel depot outside Darnell on Tuesday night, "
        "the army said. The ministry will delay the new steel tariff by 30 days, officials said.\n",
        "Depot attack\n\nFive people were hurt when missiles struck the fuel depot outside "
        "Darnell on Tuesday night. The ministry will delay the new steel tariff of 25 percent, "
        "officials said.\n",
    )
    assert brief.discrepancies == []


def test_spelling_pairs_are_every_pair_one_inner_letter_apart():
    """The bucketed search pairs exactly the surnames the all-pairs check accepts."""
    import random

    from briefgen.stages.discrepancies import _misspelling, _spelling_pairs

    rng = random.Random(7)
    for _ in range(200):
        names = sorted(
            {
                "".join(rng.choice("aeky") for _ in range(rng.randint(1, 6))).title()
                for _ in range(30)
            }
        )
        every = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if _misspelling(a, b)]
        assert [p for p in _spelling_pairs(names) if _misspelling(*p)] == every


def test_discrepancies_are_capped_by_the_limits_most_widely_reported_first():
    """However many disagreements the articles hold, the brief shows [limits] discrepancies,
    those that most sources take part in first (a bounded brief)."""
    articles = (
        "Bridge news today\n\nThe river bridge reopened to traffic on 4 March after repairs by "
        "engineers.\n\nThe ferry across the bay resumed service on 9 June after a strike.\n",
        "Other bridge story\n\nEngineers reopened the river bridge to traffic on 5 March after "
        "repairs.\n\nThe ferry across the bay resumed service on 10 June after a strike.\n",
        "Third report\n\nThe river bridge reopened to traffic on 6 March after repairs by "
        "engineers, the council said.\n",
    )
    everything = build(*articles).discrepancies
    assert len(everything) >= 2
    capped = replace(CONFIG, limits=replace(CONFIG.limits, discrepancies=1))
    shown = build(*articles, config=capped).discrepancies
    assert len(shown) == 1
    # The bridge, reported by three outlets, outranks the ferry, reported by two.
    assert {side.value for side in shown[0].sides} == {"4 March", "5 March", "6 March"}
