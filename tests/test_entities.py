"""Entities: names, places, organisations, numbers, durations and dates with offsets."""

from briefgen.models import Sentence
from briefgen.stages.entities import annotate, extract


def sentence(text: str, start: int = 0) -> Sentence:
    return Sentence(
        source=1, start=start, end=start + len(text), text=text, position=0, paragraph=0
    )


def kinds(text: str) -> dict[str, str]:
    return {e.text: e.kind for e in extract(sentence(text))}


def test_quantities_durations_dates_are_normalised():
    """'28-point plan', '20 items', 'almost five hours' and '2 December' get values."""
    found = {e.text: (e.kind, e.value) for e in extract(sentence(
        "The 28-point plan was cut to 20 items after almost five hours of talks on 2 December."
    ))}  # fmt: skip
    assert found["28-point"] == ("quantity", "28 point")
    assert found["20 items"] == ("quantity", "20 item")
    assert found["almost five hours"] == ("duration", "5 hour")
    assert found["2 December"][0] == "date"


def test_people_organisations_places():
    """Titles mark people (and stay out of the name), organisation words mark organisations,
    prepositions places."""
    found = kinds(
        "Russian President Vladimir Putin met envoys from the Institute for the Study of War in Moscow."
    )
    assert found["Vladimir Putin"] == "person"
    assert found["Institute for the Study of War"] == "organisation"
    assert found["Moscow"] == "place"


def test_years_are_not_quantities():
    """'2025 because' is not a quantity of becauses."""
    assert not [
        e
        for e in extract(sentence("It began in 2025 because talks failed."))
        if e.kind == "quantity"
    ]


def test_offsets_point_into_the_source():
    """Entity offsets are source offsets, not sentence offsets."""
    text = "Talks lasted almost five hours."
    e = next(e for e in extract(sentence(text, start=100)) if e.kind == "duration")
    assert (e.start, e.end) == (100 + text.index("almost"), 100 + text.index(" hours") + 6)


def test_surnames_of_named_people_are_people_elsewhere():
    """'Putin' alone is a person once 'Vladimir Putin' was named in any sentence."""
    first = sentence("Vladimir Putin met the envoys.")
    second = sentence("The envoys left before Putin spoke.")
    annotate([first, second])
    assert {e.text: e.kind for e in second.entities}["Putin"] == "person"
