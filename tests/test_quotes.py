"""Quote detection, speaker attribution and speaker-name normalisation."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.stages.people import SpeakerIndex, skeleton, split_role
from briefgen.stages.quotes import QuoteSpan, find_names, find_quotes

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_index() -> SpeakerIndex:
    """A SpeakerIndex fed with every name and speaker of the sample articles."""
    index = SpeakerIndex()
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for name, role in find_names(text):
            index.add(name, role)
        for q in find_quotes(text, include_scare=True):
            if q.speaker:
                index.add(q.speaker, q.speaker_role)
    return index


def _quote(quotes: list[QuoteSpan], starts_with: str) -> QuoteSpan:
    found = [q for q in quotes if q.text.startswith(starts_with)]
    assert found, f"no quote starting {starts_with!r} in {[q.text for q in quotes]}"
    return found[0]


def _speaker(text: str, starts_with: str, **kwargs: bool) -> str | None:
    return _quote(find_quotes(text, **kwargs), starts_with).speaker


# --- the sample articles ---------------------------------------------------------------

SEED_EXPECTED = [
    ("001", "Not further, that’s for sure.", "Yuri Ushakov"),
    (
        "001",
        "There is a lot of dialogue, but we need results. Our people are dying every day,",
        "Volodymyr Zelenskyy",
    ),
    ("001", "They don’t have a peace agenda, they’re on the side of the war,", "Vladimir Putin"),
    ("001", "demands that are absolutely unacceptable to Russia,", "Vladimir Putin"),
    ("002", "This is consistent with ISW’s previous predictions", "Institute for the Study of War"),
    ("002", "Senior Kremlin officials have repeatedly signalled", "Institute for the Study of War"),
    ("002", "Putin stated that Russia has no intention", "Institute for the Study of War"),
    (
        "002",
        "So far no compromise option [for a peaceful settlement] has been found,",
        "Yuri Ushakov",
    ),
    ("002", "will depend on the progress that will be achieved,", "Yuri Ushakov"),
    ("002", "the realities on the ground.", "Vladimir Putin"),
    ("003", "do not work for the Kremlin.", "Vladimir Putin"),
    ("003", "militarily or otherwise,", "Vladimir Putin"),
    ("003", "useful but difficult,", "Vladimir Putin"),
    ("004", "A dignified peace is only possible", "Volodymyr Zelenskyy"),
    ("004", "Right now, the world clearly feels", "Volodymyr Zelenskyy"),
    ("004", "a compromise hasn’t been reached yet", "Yuri Ushakov"),
]


@pytest.mark.parametrize(("seed", "starts_with", "speaker"), SEED_EXPECTED)
def test_seed_quote_speakers(
    seed_index: SpeakerIndex, seed: str, starts_with: str, speaker: str
) -> None:
    """Each expected quote of the sample articles is found and attributed to the right person."""
    q = _quote(find_quotes(_seed(seed)), starts_with)
    assert q.speaker is not None
    assert seed_index.canonical(q.speaker) == speaker


def test_seed_quote_is_exact_and_complete() -> None:
    """A whole quote is returned verbatim, from its first word to its last."""
    text = _seed("001")
    q = _quote(find_quotes(text), "There is a lot")
    assert (
        q.text == "There is a lot of dialogue, but we need results. Our people are dying every day,"
    )
    assert text[q.start : q.end] == q.text
    assert q.cue == "stated"


def test_seed_report_quote_with_sloppy_mark_stays_whole() -> None:
    """`will be” ready right now”` in a report quote neither ends it early nor runs past the paragraph."""
    text = _seed("002")
    q = _quote(find_quotes(text), "Putin stated that Russia")
    assert q.text.endswith("provoking Russian aggression,")
    assert "\n" not in q.text
    inner = [n for n in find_quotes(text, include_nested=True) if n.depth == 1]
    assert {n.text for n in inner} >= {"ready right now", "a situation would quickly arise"}
    assert all(n.speaker == "Putin" for n in inner)


def test_seed_two_word_quote_is_scare_quote() -> None:
    """“reasonably good.” (two words) is a scare quote: hidden by default, Trump's when asked for."""
    text = _seed("004")
    assert not [q for q in find_quotes(text) if q.text.startswith("reasonably good")]
    q = _quote(find_quotes(text, include_scare=True), "reasonably good")
    assert q.scare and q.speaker == "Trump"


def test_seed_sloppy_comma_quote_is_one_quote() -> None:
    """“rather useful,constructive, rather substantive,” is one quote attributed to Ushakov."""
    q = _quote(find_quotes(_seed("001")), "rather useful")
    assert q.text == "rather useful,constructive, rather substantive,"
    assert q.speaker == "Ushakov"


def test_seed_article_without_quotes() -> None:
    """An article with no quotation marks yields no quotes."""
    assert find_quotes(_seed("000"), include_scare=True, include_nested=True) == []


# Quotes found in each sample article with scare and nested quotes included (000 has none).
SEED_QUOTE_COUNTS = {"000": 0, "001": 10, "002": 17, "003": 4, "004": 5}


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_offsets(path: Path) -> None:
    """Each sample article has its known number of quotes, each a verbatim span of it."""
    text = path.read_text(encoding="utf-8")
    quotes = find_quotes(text, include_scare=True, include_nested=True)
    assert len(quotes) == SEED_QUOTE_COUNTS[path.name[:3]]
    for q in quotes:
        assert text[q.start : q.end] == q.text
        assert q.text and q.text == q.text.strip()


# --- marks -------------------------------------------------------------------------------


def test_curly_double_quote_with_said_after() -> None:
    """“…,” Name said: the words between the marks, attributed to the name after them."""
    text = "The mayor spoke on Monday.\n“We will rebuild the bridge by spring,” Anna Berg said.\n"
    (q,) = find_quotes(text)
    assert q.text == "We will rebuild the bridge by spring,"
    assert (q.speaker, q.cue) == ("Anna Berg", "said")


def test_straight_quotes_and_said_before_name() -> None:
    """Straight double quotes pair up, and "said Name" names the speaker."""
    text = 'Nobody expected it. "The harvest was the worst in a decade," said Tomas Lind.'
    (q,) = find_quotes(text)
    assert q.text == "The harvest was the worst in a decade,"
    assert q.speaker == "Tomas Lind"


def test_apostrophes_are_not_quote_marks() -> None:
    """don’t, Russia’s, Trump's and the players’ union stay inside the quote."""
    text = "“We don’t know what Russia’s plan is, or Trump's, or the players’ union’s,” Omar Haddad said."
    (q,) = find_quotes(text)
    assert q.text.startswith("We don’t know") and q.text.endswith("union’s,")
    assert q.speaker == "Omar Haddad"


def test_single_curly_quotes_as_primary_marks() -> None:
    """British style ‘…’ quotes are found, with an apostrophe inside."""
    text = "‘We won’t back down over the pension plan,’ said union leader Jane Moss."
    (q,) = find_quotes(text)
    assert q.text == "We won’t back down over the pension plan,"
    assert (q.speaker, q.speaker_role) == ("Jane Moss", "union leader")


def test_split_quote_gives_two_parts_same_speaker() -> None:
    """“…,” he said, “…” gives two spans with one speaker and one group."""
    text = "Karl Weiss met the board.\n“We are ready to talk,” he said, “but not at any price.”"
    a, b = find_quotes(text)
    assert a.text == "We are ready to talk," and b.text == "but not at any price."
    assert a.speaker == b.speaker == "Karl Weiss"
    assert a.group == b.group == a.start


def test_multi_sentence_quote() -> None:
    """A quote of several sentences is one span."""
    text = "“Prices rose. Wages did not. That is the problem,” economist Rita Okafor said."
    (q,) = find_quotes(text)
    assert q.text == "Prices rose. Wages did not. That is the problem,"
    assert (q.speaker, q.speaker_role) == ("Rita Okafor", "economist")


def test_multi_paragraph_quote() -> None:
    """A paragraph that opens a quote without closing it continues into the next reopened one."""
    text = (
        "Lena Marsh spoke for an hour.\n"
        "“The budget is balanced for the first time in ten years.\n"
        "“Nobody thought we could do it, but we did,” she said.\n"
    )
    a, b = find_quotes(text)
    assert a.text == "The budget is balanced for the first time in ten years."
    assert b.text == "Nobody thought we could do it, but we did,"
    assert a.group == b.group
    assert a.speaker == b.speaker == "Lena Marsh"


def test_blocks_limit_the_search() -> None:
    """Only text inside the given blocks is searched."""
    text = "“Ignore this header quote please,” Ann Lee said.\nBody: “Keep this one right here,” Bo Park said.\n"
    body = text.index("Body")
    (q,) = find_quotes(text, [(body, len(text))])
    assert q.text == "Keep this one right here,"
    assert q.speaker == "Bo Park"


def test_square_brackets_stay_inside_quote() -> None:
    """Editorial insertions [like this] are part of the quote."""
    text = "“They [the rebels] have not kept their word,” Colonel Ivo Brandt said."
    (q,) = find_quotes(text)
    assert q.text == "They [the rebels] have not kept their word,"
    assert (q.speaker, q.speaker_role) == ("Ivo Brandt", "Colonel")


def test_unclosed_mark_does_not_run_across_paragraphs() -> None:
    """A stray opening mark is dropped; it does not swallow the next paragraph."""
    text = (
        "The talks were “useful and then everyone went home for the night.\n"
        "Later, “we will see what happens next week,” Dana Cole said.\n"
    )
    (q,) = find_quotes(text)
    assert q.text == "we will see what happens next week,"
    assert q.speaker == "Dana Cole"


def test_mistyped_closing_mark_is_repaired() -> None:
    """`will be” ready now”` inside a report quote is read as an inner quote, not two closes."""
    text = (
        "The Centre for Grain Studies (CGS) said in a report that supplies were short.\n"
        "“Minister Abel Nkosi said the silos will be” full by June” if the rain holds, which is unlikely,”"
        " the report said.\n"
    )
    (q,) = find_quotes(text)
    assert q.text.startswith("Minister Abel Nkosi said") and q.text.endswith("which is unlikely,")
    assert q.speaker == "Centre for Grain Studies"


def test_nested_quote_outer_goes_to_report() -> None:
    """A report quoting a minister: the outer quote is the report's, the inner the minister's."""
    text = (
        "The Centre for Grain Studies (CGS) said in a report on Friday that exports would fall.\n"
        "“Farm Minister Abel Nkosi said ‘we will not sell grain below cost this year’ and the market"
        " reacted at once,” the report said.\n"
    )
    (outer,) = find_quotes(text)
    assert outer.speaker == "Centre for Grain Studies"
    inner = [q for q in find_quotes(text, include_nested=True) if q.depth == 1]
    assert [q.text for q in inner] == ["we will not sell grain below cost this year"]
    assert inner[0].speaker == "Abel Nkosi"


def test_scare_quotes_are_flagged_not_returned() -> None:
    """One- or two-word quotes are scare quotes: not returned unless asked, then flagged."""
    text = "Paul Ek called the deal “historic” and the timing “very good” on Tuesday."
    assert find_quotes(text) == []
    flagged = find_quotes(text, include_scare=True)
    assert [q.text for q in flagged] == ["historic", "very good"]
    assert all(q.scare for q in flagged)


def test_embedded_quote_of_three_words_is_returned() -> None:
    """A 3+ word quote inside a sentence is returned and attributed from that sentence."""
    text = "Paul Ek described the meeting as “honest but very difficult” after it ended."
    (q,) = find_quotes(text)
    assert (q.text, q.speaker, q.cue) == ("honest but very difficult", "Paul Ek", "described")


# --- attribution patterns ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("“The river will crest tonight,” Mia Sato says.", "Mia Sato", "says"),
        ("“The river will crest tonight,” Mia Sato told reporters.", "Mia Sato", "told"),
        ("“The river will crest tonight,” Mia Sato told CNN on Sunday.", "Mia Sato", "told"),
        ("“The river will crest tonight,” Mia Sato added.", "Mia Sato", "added"),
        ("“The river will crest tonight,” Mia Sato noted.", "Mia Sato", "noted"),
        ("Mia Sato stated: “The river will crest tonight.”", "Mia Sato", "stated"),
        ("Mia Sato claimed: “The river will crest tonight.”", "Mia Sato", "claimed"),
        ("Mia Sato said “the river will crest tonight” and left.", "Mia Sato", "said"),
        (
            "According to Mia Sato, the river “will crest tonight at nine.”",
            "Mia Sato",
            "according to",
        ),
        ("Mia Sato called the forecast “a worst-case scenario for us.”", "Mia Sato", "called"),
        (
            "The dam held, “but only just this time,” as Mia Sato stated in separate remarks.",
            "Mia Sato",
            "stated",
        ),
    ],
)
def test_attribution_patterns(text: str, speaker: str, cue: str) -> None:
    """Each attribution pattern names the speaker and reports its cue."""
    (q,) = find_quotes(text)
    assert (q.speaker, q.cue) == (speaker, cue)


def test_subject_with_appositive_and_colon() -> None:
    """With "X, a senior adviser to Y, offered … response: “…”" X speaks; the appositive is the role."""
    text = (
        "When asked about the vote, Anna Berg, a senior adviser to the mayor, offered a blunt"
        " three-word response: “Not this year.”"
    )
    (q,) = find_quotes(text)
    assert (q.speaker, q.speaker_role, q.cue) == ("Anna Berg", "senior adviser to the mayor", ":")


def test_pronoun_resolves_to_last_person_across_paragraphs() -> None:
    """“…,” he said resolves to the person named in the previous paragraph."""
    text = (
        "Mr Holt, who was visiting Oslo at the time, said the plan was sound.\n"
        "“We have checked every number twice over,” he said.\n"
    )
    (q,) = find_quotes(text)
    assert (q.speaker, q.cue) == ("Holt", "said")


def test_pronoun_prefers_the_sentence_subject() -> None:
    """He claimed: resolves to the subject of the previous sentence, not a later-named object."""
    text = (
        "Governor Lucas Grant attacked the council and blamed Mayor Ines Roy.\n"
        "He claimed: “They have no plan for the winter at all,” in a long speech.\n"
    )
    (q,) = find_quotes(text)
    assert (q.speaker, q.speaker_role) == ("Lucas Grant", "Governor")


def test_role_description_resolves_to_matching_person() -> None:
    """A role description ("the finance minister said") goes to the person holding that role."""
    text = (
        "Finance Minister Lena Marsh met President Tom Reed on Friday.\n"
        "A deal “will depend on the bond markets next week,” the finance minister said.\n"
    )
    (q,) = find_quotes(text)
    assert (q.speaker, q.speaker_role) == ("Lena Marsh", "finance minister")


def test_role_prefix_is_stripped_from_name() -> None:
    """A title before a name becomes the role: Freedonian President | Rufus Firefly."""
    text = "“We shall never surrender the pier,” Freedonian President Rufus Firefly said."
    (q,) = find_quotes(text)
    assert (q.speaker, q.speaker_role) == ("Rufus Firefly", "Freedonian President")


def test_lowercase_role_before_name() -> None:
    """A lowercase role before a name becomes the role: Firefly aide | Bo Park."""
    text = "“No decision has been taken yet,” Firefly aide Bo Park said."
    (q,) = find_quotes(text)
    assert (q.speaker, q.speaker_role) == ("Bo Park", "Firefly aide")


def test_organisation_speaker_without_article() -> None:
    """An organisation can speak: "The Ministry of Health said" -> Ministry of Health."""
    text = "The Ministry of Health said the outbreak was “under control in every region.”"
    (q,) = find_quotes(text)
    assert q.speaker == "Ministry of Health"
    assert q.speaker_role is None


def test_kremlin_is_not_a_person_name() -> None:
    """Names drop the article ("The Kremlin" -> "Kremlin") and keep people's full names."""
    names = dict(find_names("The Kremlin said it would wait. Yuri Ushakov agreed."))
    assert "Kremlin" in names and "The Kremlin" not in names
    assert "Yuri Ushakov" in names


def test_next_quote_in_same_paragraph_inherits_speaker() -> None:
    """A quote right after an attributed one, with no new name between, has the same speaker."""
    text = "“We were close to a deal,” Ada Stone said. “Then the other side walked out.”"
    a, b = find_quotes(text)
    assert a.speaker == b.speaker == "Ada Stone"


def test_unattributed_quote_has_no_speaker() -> None:
    """A quote with no cue and no one named nearby has speaker None."""
    (q,) = find_quotes("The sign read “closed until further notice” all week.")
    assert q.speaker is None


# --- speaker index -------------------------------------------------------------------------


def test_speaker_index_merges_transliterations() -> None:
    """Zelensky / Zelenskyy / Volodymyr Zelensky all map to the most frequent full form."""
    index = SpeakerIndex()
    for name in [
        "Volodymyr Zelenskyy",
        "Zelensky",
        "Zelenskyy",
        "Volodymyr Zelensky",
        "Volodymyr Zelenskyy",
    ]:
        index.add(name)
    for surface in ["Zelensky", "Zelenskyy", "Volodymyr Zelensky", "Mr Zelenskiy"]:
        assert index.canonical(surface) == "Volodymyr Zelenskyy"


def test_speaker_index_strips_roles_and_keeps_them() -> None:
    """A role prefix or a bare surname maps to the full name (Yuri Ushakov); the role is kept."""
    index = SpeakerIndex()
    index.add("Putin's aide Yuri Ushakov")
    index.add("Ushakov")
    index.add("Yuri Ushakov", "senior adviser to Putin")
    index.add("Yuri Ushakov", "senior adviser to Putin")
    assert index.canonical("Ushakov") == "Yuri Ushakov"
    assert index.canonical("Putin's aide Yuri Ushakov") == "Yuri Ushakov"
    assert index.role("Yuri Ushakov") == "senior adviser to Putin"


def test_speaker_index_titles_become_roles() -> None:
    """Titles are stripped from the name and kept as the role."""
    index = SpeakerIndex()
    index.add("US Secretary of State Marco Rubio")
    assert index.canonical("Rubio") == "Marco Rubio"
    assert index.role("Marco Rubio") == "US Secretary of State"
    assert split_role("Russian President Vladimir Putin") == ("Vladimir Putin", "Russian President")
    assert split_role("Mr Zelensky") == ("Zelensky", None)


def test_speaker_index_first_names_must_agree() -> None:
    """Same surname, different first names: different people."""
    index = SpeakerIndex()
    index.add("Donald Trump")
    index.add("Donald Trump")
    index.add("Eric Trump")
    assert index.canonical("Eric Trump") == "Eric Trump"
    assert index.canonical("D. Trump") == "Donald Trump"
    # A lone "Trump" may be either: nothing yet says which, so no first name is guessed.
    assert index.canonical("Trump") == "Trump"
    # The role the lone surname is written with says which (test_attribution.py has more).
    index.add("President Donald Trump")
    index.add("President Trump")
    assert index.canonical("Trump") == "Donald Trump"


def test_speaker_index_organisations_and_acronyms() -> None:
    """An acronym and its spelled-out organisation are one speaker (ISW)."""
    index = SpeakerIndex()
    index.add("US Institute for the Study of War")
    index.add("ISW")
    assert index.canonical("ISW") == "Institute for the Study of War"
    assert index.canonical("The Kremlin") == "Kremlin"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zelenskyy", "Zelenskiy"),
        ("Khodorkovsky", "Hodorkovsky"),
        ("Witkoff", "Whitkoff"),
        ("Schultz", "Schults"),
    ],
)
def test_surname_skeleton_variants(a: str, b: str) -> None:
    """Transliteration variants share a skeleton."""
    assert skeleton(a) == skeleton(b)


# --- robustness ----------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("ab Z.,:\n")
    + ["“", "”", '"', "'", "‘", "’", "«", "»", " said ", " he ", "Ann Lee", " the report "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_find_quotes_never_crashes_and_offsets_hold(text: str) -> None:
    """On arbitrary text: no exception, and every quote is a verbatim span."""
    for q in find_quotes(text, include_scare=True, include_nested=True):
        assert text[q.start : q.end] == q.text


@settings(max_examples=100, deadline=None)
@given(
    st.text(max_size=300),
    st.lists(st.tuples(st.integers(-5, 320), st.integers(-5, 320)), max_size=4),
)
def test_find_quotes_any_text_any_blocks(text: str, blocks: list[tuple[int, int]]) -> None:
    """Arbitrary unicode and arbitrary (even odd) blocks never break the offsets."""
    for q in find_quotes(text, blocks, include_scare=True, include_nested=True):
        assert text[q.start : q.end] == q.text


def test_text_dense_with_quote_marks_takes_linear_time() -> None:
    """Four times the text dense with quote marks takes about four times as long, not
    sixteen (a ratio measured in one run, so a busy machine does not fail it)."""
    base = _seed("002") + '\n“a "b” ‘c’ d" “e ' * 20
    text = (base * (1_000_000 // len(base) + 1))[:1_000_000]

    def seconds(chunk: str) -> float:
        started = time.perf_counter()
        assert find_quotes(chunk, include_scare=True, include_nested=True)
        return time.perf_counter() - started

    small = min(seconds(text[:250_000]) for _ in range(2))
    large = seconds(text)
    assert large < 9 * max(small, 0.01)


def test_attribution_after_a_pair_covers_both() -> None:
    """In “…” and “…,” said X, both quotes of the sentence are X's."""
    text = "“We tried every door in town” and then “we tried the windows too,” said Lee Min-ho."
    a, b = find_quotes(text)
    assert a.speaker == b.speaker == "Lee Min-ho"


def test_generic_plural_is_not_a_speaker() -> None:
    """A generic plural ("Officials said") names nobody: the speaker stays None."""
    (q,) = find_quotes("Officials said the strike was 'a clear violation of the truce'.")
    assert q.text == "a clear violation of the truce"
    assert q.speaker is None


def test_quote_marks_inside_a_markup_tag_are_no_quotes():
    """Copy scraped with its markup: `<post post-id="1234" author="@harbour">` holds
    attribute values in quote marks, which no one said; a quote after the tag still is."""
    text = (
        'Ann Reyes answered on social media.\n\n<post post-id="770390718095486977" '
        'author="@harbourwatch" date="March 7, 2026"><post/>\n\n'
        "“The tunnel comes first,” Reyes said.\n"
    )
    found = [q.text for q in find_quotes(text, include_scare=True)]
    assert found == ["The tunnel comes first,"]
