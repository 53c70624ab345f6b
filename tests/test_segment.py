"""Segment: sentences with exact offsets; abbreviations, quotes and glued full stops."""

from briefgen.stages.segment import quote_depth, sentence_spans


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_abbreviations_do_not_split():
    """U.S., Dec. 2 and Mr do not end sentences."""
    text = "The U.S. envoy met Mr Smith on Dec. 2 in Moscow. Talks lasted hours."
    assert split(text) == [
        "The U.S. envoy met Mr Smith on Dec. 2 in Moscow.",
        "Talks lasted hours.",
    ]


def test_missing_space_after_full_stop_splits():
    """'team.Ukrainian' is two sentences."""
    text = "They met a Ukrainian team.Ukrainian officials were pleased."
    assert split(text) == ["They met a Ukrainian team.", "Ukrainian officials were pleased."]


def test_quote_spanning_sentences_stays_whole():
    """A quotation of two sentences is one unit with its attribution."""
    text = "“We talk a lot. We need results,” he said. Then he left."
    assert split(text) == ["“We talk a lot. We need results,” he said.", "Then he left."]


def test_offsets_reproduce_text_with_base_offset():
    """Offsets of a sub-range point into the whole text."""
    text = "HEADER\nFirst one here. Second one here.\nFOOTER"
    spans = sentence_spans(text, 7, 39)
    assert [text[a:b] for a, b in spans] == ["First one here.", "Second one here."]


def test_quote_depth_understands_straight_and_curly_marks():
    """Open marks are counted whichever style closes them."""
    assert quote_depth("“open and never closed") == 1
    assert quote_depth('“mixed close," he said') == 0
    assert quote_depth('he said "fine" twice') == 0
