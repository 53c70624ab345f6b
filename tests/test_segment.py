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


def test_title_abbreviations_before_a_name_do_not_split():
    """Rev., Sgt., Maj. and Ft. are written before a name; syntok knows Gen. and Sen. only."""
    text = (
        "“We have something,” said Rev. Kyev Tatum, a pastor in Ft. Worth, Texas. "
        "Sgt. Dana Pell and Maj. Tom Ware counted 400 people. The choir sang."
    )
    assert split(text) == [
        "“We have something,” said Rev. Kyev Tatum, a pastor in Ft. Worth, Texas.",
        "Sgt. Dana Pell and Maj. Tom Ware counted 400 people.",
        "The choir sang.",
    ]
    # Abbreviations that may close a sentence still do.
    assert split("He founded Acme Inc. The firm grew.") == [
        "He founded Acme Inc.",
        "The firm grew.",
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


def test_paragraphs_syntok_is_not_asked_about_split_as_syntok_would():
    """One-sentence paragraphs skip syntok, and others are cut at sure sentence ends
    first; the result is still exactly syntok's (abbreviations, brackets, quotes), and a
    semicolon, a bracket or a line break sends the paragraph to syntok."""
    import syntok.segmenter as syntok_segmenter

    def syntok_spans(text: str) -> list[tuple[int, int]]:
        return [
            (sent[0].offset, sent[-1].offset + len(sent[-1].value))
            for paragraph in syntok_segmenter.analyze(text)
            for sent in paragraph
            if sent
        ]

    paragraphs = [
        "  Rain fell all day on the valley  ",
        "The mayor said the bridge would reopen in spring.",
        "Water rose fast; Residents left their homes before dawn.",
        "Crews worked overnight (the river had burst its banks) and left at six.",
        "“We are safe now,” she said.”",
        "The road closed\nBuses ran late.",
        "Officials met in Brussels!",
        "",
        "   ",
        "The mayor spoke at noon. Residents left by bus. Crews stayed? Nobody knew.",
        "Sandbags, pumps, boats etc. The list went on. Repairs cost approx. Ten million.",
        "The levee broke (the third time this year. Nobody was hurt) and water rose.",
        "He said the dam held. “Trust me,” he said. It did not. U.S. crews came.",
        "Water rose 3.5 metres. Dr. Lee spoke. The river fell by Friday. Jan. Floods",
        "The levee held （the third time this year. Nobody was hurt） and water fell.",
        "Crews worked overnight ⦅the pumps failed⦆ Then the river fell.",
        # Capitalised words before a full stop: a name ends a sentence, an abbreviation
        # ("Gen.", "Sept.", "Inc.") or a Roman numeral ("XIV.") does not always.
        "Talks resumed in July. The envoy left. Gen. Lee spoke to Acme Inc. Staff left.",
        "They met at the National Assembly. A vote followed in Sept. Nobody objected.",
        "Crews came from Louis XIV. Street and from Ward III. Nobody else came.",
        "The river rose in Kyiv. 1,500 people left. The mayor spoke of Vol. Two again.",
        "It rained in Geneva. ``Nobody came,'' she said. Then it stopped in Bern. Yes.",
        'Rain fell. “Go home,” he said. Rain fell. "Stay," she said. Mr. “Lee” stayed.',
        "The dam held. « Non », dit-il. Gen. “Lee” left. The end. 'Tis done. ‘Yes’ he said.",
    ]
    for text in paragraphs:
        assert sentence_spans(text) == syntok_spans(text), text
    assert split("Water rose fast; Residents left their homes before dawn.") == [
        "Water rose fast;",
        "Residents left their homes before dawn.",
    ]


def test_a_quoted_question_and_its_speaker_are_one_sentence():
    """“Is it over?” Ann Reyes asked.: a capital after the question mark opens no sentence
    when a name and a saying verb follow; other capitals do."""
    assert split("“Is it over?” Ann Reyes asked. Nobody answered.") == [
        "“Is it over?” Ann Reyes asked.",
        "Nobody answered.",
    ]
    assert split('"Why now?" Mr. Bell wanted to ask, and sat down. The hall was quiet.') == [
        '"Why now?" Mr. Bell wanted to ask, and sat down.',
        "The hall was quiet.",
    ]
    assert split("“Is it over?” The crowd fell silent. Reyes said nothing.") == [
        "“Is it over?”",
        "The crowd fell silent.",
        "Reyes said nothing.",
    ]
    assert split("He asked “why?” He said nothing more.") == [
        "He asked “why?”",
        "He said nothing more.",
    ]
