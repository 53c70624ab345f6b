"""Who said what: one test per attribution pattern, each on sentences written for it.

The patterns are the error classes measured on a public quote-attribution benchmark
(scripts/bench_quotes.py); none of its text is here."""

from __future__ import annotations

import pytest

from briefgen.stages.mentions import left_role
from briefgen.stages.people import SpeakerIndex, split_role
from briefgen.stages.quotes import find_quotes


def speaker_of(text: str, starts_with: str) -> str | None:
    found = [q for q in find_quotes(text, include_scare=True) if q.text.startswith(starts_with)]
    assert found, f"no quote starting {starts_with!r}"
    return found[0].speaker


def kinds(text: str) -> dict[str, str]:
    return {q.text: q.kind for q in find_quotes(text, include_scare=True)}


# --- detection ----------------------------------------------------------------------------


def test_one_and_two_word_quotes_are_fragments():
    text = "The mayor called the plan “reckless.” Critics said it was “deeply flawed.”\n"
    assert kinds(text) == {"reckless.": "fragment", "deeply flawed.": "fragment"}
    assert speaker_of(text, "reckless") == "mayor" or speaker_of(text, "reckless") is None


def test_attributed_fragment_has_its_speaker():
    text = "Governor Ann Reyes called the budget “reckless,” and vowed to veto it.\n"
    assert speaker_of(text, "reckless") == "Ann Reyes"


def test_unattributed_scare_quote_is_not_a_quote():
    text = "The so-called “reform” passed the council on Tuesday after a long debate.\n"
    assert kinds(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "Reyes said on CNN's “Morning Desk” that the vote would pass.\n",
        "She appeared on “Face the Facts” with two other mayors.\n",
        "The documentary “Harbour Lights” opens on Friday, its director said.\n",
        "Rep. Robert C. “Bobby” Dunn spoke first at the hearing.\n",
    ],
)
def test_titles_and_nicknames_are_not_quotes(text):
    assert kinds(text) == {}


def test_swapped_curly_marks_are_read_by_their_neighbours():
    text = "”We will not back down,” Reyes said. The court called it “Mostly False.“ today.\n"
    assert speaker_of(text, "We will not back down") == "Reyes"


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "name", "role"),
    [
        ("Rep. G.K. Dunmore", "G.K. Dunmore", "Rep."),
        ("Retired Lt. Gen. Marcus Hale", "Marcus Hale", "Retired Lt. Gen."),
        ("Charles B. Renner", "Charles B. Renner", None),
        ("Representative Ann Reyes of Ohio", "Ann Reyes", "Representative of Ohio"),
        ("Tom Ware for Harbor Research", "Tom Ware", "for Harbor Research"),
        ("Secretary of State Ann Reyes", "Ann Reyes", "Secretary of State"),
        ("Institute for the Study of Ports", "Institute for the Study of Ports", None),
        # A body's title, then the person holding it.
        ("White House Counsel Tom Ware", "Tom Ware", "White House Counsel"),
        ("Harbour Authority Chairman Ann Reyes", "Ann Reyes", "Harbour Authority Chairman"),
        ("Port Council Secretary General Bo Lind", "Bo Lind", "Port Council Secretary General"),
        ("Special Counsel Ann Reyes", "Ann Reyes", "Special Counsel"),
        # A title "of" a place or body takes it; the person's name is what follows.
        ("Mayor of Lisbon Ann Reyes", "Ann Reyes", "Mayor of Lisbon"),
        ("Governor of New York Tom Ware", "Tom Ware", "Governor of New York"),
        ("Mayor of New York Bill de Vries", "Bill de Vries", "Mayor of New York"),
        ("President of France Marc Duval", "Marc Duval", "President of France"),
        ("Chancellor of the Exchequer Tom Ware", "Tom Ware", "Chancellor of the Exchequer"),
        ("Director of National Parks Ann Reyes", "Ann Reyes", "Director of National Parks"),
        ("the director of the FBI Tom Ware", "Tom Ware", "director of the FBI"),
        # A board, bureau or authority is a body, with its whole name.
        ("the Ohio Board of Elections", "Ohio Board of Elections", None),
        ("Port Authority of Lisbon", "Port Authority of Lisbon", None),
    ],
)
def test_titles_initials_and_affiliations_leave_the_name(surface, name, role):
    assert split_role(surface) == (name, role)


def test_party_state_tag_between_name_and_verb():
    text = "“This is a dog-whistle bill,” Rep. Ann Reyes (D-Ohio) said Friday.\n"
    assert speaker_of(text, "This is a dog-whistle") == "Ann Reyes"


def test_name_cut_neither_at_an_initial_nor_a_title():
    text = "“We have the votes,” said Rep. Charles B. Renner (R-Ky.), the panel's chairman.\n"
    assert speaker_of(text, "We have the votes") == "Charles B. Renner"


def test_similar_surnames_are_two_people():
    index = SpeakerIndex()
    index.add("Jon Tessler")
    index.add("Megan Hessler")
    assert index.canonical("Tessler") == "Jon Tessler"
    assert index.canonical("Hessler") == "Megan Hessler"


# --- patterns of attribution ------------------------------------------------------------------


def test_dash_sign_off():
    text = "“The bridge cannot wait another winter.” ― Maria Castell\n"
    assert speaker_of(text, "The bridge cannot wait") == "Maria Castell"


def test_sign_off_in_its_own_paragraph():
    text = "“The bridge cannot wait another winter.”\n\n- Maria Castell.\n"
    assert speaker_of(text, "The bridge cannot wait") == "Maria Castell"


def test_transcript_speaker_label():
    text = "“HOLLIS: Will the mayor attend? ¶ ”\n\n“REYES: I will be there all day.”\n"
    assert speaker_of(text, "HOLLIS:") == "Hollis"
    assert speaker_of(text, "REYES:") == "Reyes"


def test_colon_introduction_in_the_paragraph_before():
    text = "The Harbour Gazette reports:\n\n“Three ferries will stop running in May.”\n"
    assert speaker_of(text, "Three ferries") == "Harbour Gazette"


def test_writer_for_an_outlet_is_the_person():
    text = "“The port is losing money,” wrote Tom Ware for Harbor Research.\n"
    assert speaker_of(text, "The port is losing") == "Tom Ware"


def test_role_between_verb_and_name():
    text = "“It was a rout,” said TV host Dana Pell. “Nobody saw it coming,” said 9/11 widow Ann Cole.\n"
    assert speaker_of(text, "It was a rout") == "Dana Pell"
    assert speaker_of(text, "Nobody saw it") == "Ann Cole"


def test_said_name_in_a_statement():
    text = "“We will appeal,” said union director Ann Cole in a statement.\n"
    assert speaker_of(text, "We will appeal") == "Ann Cole"


def test_speaker_before_several_appositives():
    text = (
        "“It is an overreach,” Tom Ware, the attorney general of Ohio, one of the states "
        "suing the agency, said on Monday.\n"
    )
    assert speaker_of(text, "It is an overreach") == "Tom Ware"


def test_person_in_an_appositive_after_a_place():
    text = (
        "At a meeting in Dayton, Maria Castell, the head of the tenants' union, told the "
        "council that “nobody asked the tenants.”\n"
    )
    assert speaker_of(text, "nobody asked") == "Maria Castell"


def test_body_that_speaks_as_such():
    text = (
        "The Port Commission met on Monday.\n\n"
        "The commission says on its website that “the ferry will resume in June.”\n"
    )
    assert speaker_of(text, "the ferry will resume") == "Port Commission"


def test_participle_takes_the_speaker_of_the_saying_verb():
    text = (
        "Mayor Ann Reyes’s campaign manager Tom Ware told reporters on Monday that the "
        "council had stalled, calling the delay “a disgrace.”\n"
    )
    assert speaker_of(text, "a disgrace") == "Tom Ware"


def test_reported_words_belong_to_the_outer_speaker():
    text = (
        "Reyes said at a rally that Ware once described the levy as “the fairest tax,” "
        "and promised to repeal it.\n"
    )
    assert speaker_of(text, "the fairest tax") == "Reyes"


def test_clause_of_its_own_after_the_quote_is_not_the_attribution():
    text = (
        "The ad ends with footage of Ware saying at the hearing, “That is good business,” "
        "when Reyes criticised him for the closures.\n"
    )
    assert speaker_of(text, "That is good business") == "Ware"


def test_possessive_statement_names_the_speaker():
    text = "Analysts doubted Reyes’s claim that “the harbour pays for itself.”\n"
    assert speaker_of(text, "the harbour pays") == "Reyes"


def test_according_to_after_the_quote():
    text = (
        "The crowd chanted “Ferry now!” at the rally, according to union organiser Maria Castell.\n"
    )
    assert speaker_of(text, "Ferry now") == "Maria Castell"


def test_two_names_and_a_base_form_verb():
    text = "Reyes and Ware call the plan “a lifeline” for the island.\n"
    assert speaker_of(text, "a lifeline") == "Reyes"


def test_he_resolves_to_the_speaker_of_the_sentence_before():
    text = (
        "Flooding in the valley could displace thousands, Mr. Ware said in an interview.\n\n"
        "“If the dams fail,” he said, “the town is gone.”\n"
    )
    assert speaker_of(text, "If the dams fail") == "Ware"


def test_she_skips_a_man_the_article_calls_he():
    text = (
        "Tom Ware said he would vote no. Ann Reyes said she had not decided.\n\n"
        "Ware met the mayor on Friday, and the two spoke about the budget.\n\n"
        "“I need to see the numbers first,” she said.\n"
    )
    assert speaker_of(text, "I need to see the numbers") == "Ann Reyes"


def test_a_chain_of_his_and_he_goes_back_to_the_subject():
    text = (
        "Tom Ware complained about the microphone. His audio was quieter than Reyes’s.\n\n"
        "He says, “Working that microphone was harder than the debate.”\n"
    )
    assert speaker_of(text, "Working that microphone") == "Tom Ware"


def test_names_in_an_opening_phrase_are_not_the_subject():
    text = (
        "Preceded at the lectern by Sheriff Dan Kolb, Ann Reyes spoke for an hour.\n\n"
        "“We will rebuild the pier,” she said.\n"
    )
    assert speaker_of(text, "We will rebuild") == "Ann Reyes"


def test_a_titled_single_name_is_a_person_who_speaks_later():
    text = (
        "President Ware met the envoy on Monday.\n\n"
        "“It is the right thing to do,” Ware said. He called the deal “a good start.”\n"
    )
    assert speaker_of(text, "a good start") == "Ware"


def test_look_alike_surnames_alone_do_not_merge_with_a_full_name():
    index = SpeakerIndex()
    index.add("Charlie Sheene")
    index.add("Dean Bakker")
    assert index.canonical("Shene") == "Shene"
    assert index.canonical("Backer") == "Backer"
    index.add("Volodymyr Zelenskyy")
    assert index.canonical("Zelensky") == "Volodymyr Zelenskyy"


def test_name_right_before_the_colon():
    text = "The result does not surprise pollster Dana Pell: “Late deciders break for the mayor.”\n"
    assert speaker_of(text, "Late deciders") == "Dana Pell"


def test_second_quote_of_a_paragraph_carries_on():
    text = (
        "“We lost the vote,” said Reyes, whose motion to the Port Authority board failed. "
        "“Look, we will bring it back in spring.”\n"
    )
    assert speaker_of(text, "Look, we will") == "Reyes"


def test_participle_after_a_saying_verb_takes_its_speaker():
    text = (
        "Mayor Dana Pell wrote a letter to Judge Ann Cole asking for an inquiry into the "
        "“fiasco.”\n"
    )
    assert speaker_of(text, "fiasco") == "Dana Pell"


def test_lone_surname_opening_the_sentence_is_the_subject():
    text = "Reyes has clashed with Ware before, saying she was “appalled” by his remarks.\n"
    assert speaker_of(text, "appalled") == "Reyes"


def test_another_person_named_between_two_quotes_breaks_the_carry_over():
    text = (
        "“We will appeal,” Reyes told the Courier on Monday.\n\n"
        "Ware disagreed with the plan.\n\n"
        "“It is over,” one board member said.\n"
    )
    assert speaker_of(text, "We will appeal") == "Reyes"
    assert speaker_of(text, "It is over") != "Reyes"


# --- one surname, several people ----------------------------------------------------------


def _family_index() -> SpeakerIndex:
    """A story about a governor whose husband also speaks: news copy names the governor
    "Reyes" alone and her husband in full."""
    index = SpeakerIndex()
    index.add("Governor Ana Reyes")
    index.add("Governor Ana Reyes")
    for _ in range(5):
        index.add("Reyes", "Governor")
    for _ in range(3):  # the husband is named in full more often than she is
        index.add("Tomas Reyes", "husband")
    return index


def test_a_lone_surname_two_people_share_is_the_one_whose_role_fits():
    index = _family_index()
    assert index.canonical("Reyes", "Governor") == "Ana Reyes"
    assert index.canonical("Reyes", "husband") == "Tomas Reyes"
    # No role given: the one the lone surname mostly stands for.
    assert index.canonical("Reyes") == "Ana Reyes"
    assert index.role("Ana Reyes") == "Governor"
    assert index.role("Tomas Reyes") == "husband"


def test_a_lone_surname_no_role_decides_stays_a_surname():
    index = SpeakerIndex()
    index.add("Ana Reyes")
    index.add("Tomas Reyes")
    index.add("Tomas Reyes")
    index.add("Reyes")
    # Counting full names would pick Tomas; nothing says the lone "Reyes" is him.
    assert index.canonical("Reyes") == "Reyes"
    assert index.canonical("Reyes", "mayor") == "Reyes"
    # One person under several spellings of a first name is still one person.
    single = SpeakerIndex()
    single.add("Tom Reyes")
    single.add("Tomas Reyes")
    single.add("Reyes")
    assert single.canonical("Reyes") == "Tomas Reyes"


def test_a_full_name_does_not_take_the_role_of_a_namesake():
    text = (
        "Governor Reyes and Tomas Reyes, her husband, opened the bridge on Monday.\n\n"
        "“It is the proudest day of my term,” Reyes said.\n\n"
        "Tomas Reyes was “involved in every detail of the ceremony,” aides said.\n\n"
        "“We waited ten years for this,” Tomas Reyes said.\n"
    )
    found = {q.text[:12]: (q.speaker, q.speaker_role) for q in find_quotes(text)}
    assert found["It is the pr"] == ("Reyes", "Governor")
    assert found["We waited te"][0] == "Tomas Reyes"
    assert found["We waited te"][1] != "Governor"


def roles_of(text: str) -> dict[str, str | None]:
    return {q.text[:12]: q.speaker_role for q in find_quotes(text)}


def test_a_lone_surname_takes_the_role_of_the_first_person_of_that_name():
    text = (
        "Senator Lena Marsh spoke at the plant on Friday. Her brother, the engineer Paul "
        "Marsh, showed her the new line.\n\n"
        "“This line keeps two hundred jobs here,” Marsh said.\n"
    )
    assert roles_of(text)["This line ke"] == "Senator"
    # The first Marsh named in full has no role: the brother's role is not hers.
    text = (
        "Lena Marsh spoke at the plant on Friday. Her brother, the engineer Paul Marsh, "
        "showed her the new line.\n\n"
        "“This line keeps two hundred jobs here,” Marsh said.\n"
    )
    assert roles_of(text)["This line ke"] is None


def test_a_noun_and_its_relative_clause_give_no_role():
    # "The federal judge Ware was referring to" is a judge Ware spoke of, not Judge Ware.
    text = (
        "Tom Ware criticised the ruling on Monday. The federal judge Ware was referring to "
        "is Dana Pell.\n\n"
        "“The ruling is a disgrace,” Ware said.\n"
    )
    assert roles_of(text)["The ruling i"] is None
    # Without the article the same words are a role: "London mayor Khan".
    text = "As protests grew, city mayor Ware tweeted: “Everyone is welcome in this city.”\n"
    assert roles_of(text)["Everyone is "] == "mayor"


def test_a_rank_word_alone_is_no_title():
    text = "Former Ware campaign manager Dana Pell said: “We ran a clean race.”\n"
    found = find_quotes(text)
    assert found[0].speaker == "Dana Pell"
    index = SpeakerIndex()
    for q in find_quotes(
        "Former Ware aide Dana Pell spoke first. “It was close,” Ware said later.\n"
    ):
        index.add(q.speaker or "", q.speaker_role)
    assert index.role("Ware") != "Former"


def test_wordings_of_one_post_vote_together():
    index = SpeakerIndex()
    for role in [
        "presumptive party nominee",
        "presumptive party nominee",
        "party presidential nominee",
        "party nominee",
        "President",
        "President",
        "President",
    ]:
        index.add("Tom Ware", role)
    # Three "President" against four wordings of "nominee": the post named most wins,
    # in its most frequent wording.
    assert index.role("Tom Ware") == "presumptive party nominee"
    # Synonyms name one post: three "aide" wordings and two "senior adviser to the mayor".
    index = SpeakerIndex()
    for role in [
        "senior adviser to the mayor",
        "senior adviser to the mayor",
        "mayor's aide",
        "city aide",
        "policy aide",
        "press officer",
        "press officer",
    ]:
        index.add("Dana Pell", role)
    assert index.role("Dana Pell") == "senior adviser to the mayor"


def test_a_story_that_quotes_someone_often_does_not_outvote_the_others(tmp_path):
    from briefgen.pipeline import analyse

    (tmp_path / "a.txt").write_text(
        "Debate ends late\n\n"
        "The candidates met in the city hall on Tuesday night for the last debate.\n\n"
        "Tom Ware, the only doctor on stage, spoke last of the eight candidates.\n\n"
        + "".join(f"“Point {n} is settled,” Ware said after the debate.\n\n" for n in range(6)),
        encoding="utf-8",
    )
    for name, day in (("b", "Monday"), ("c", "Friday")):
        (tmp_path / f"{name}.txt").write_text(
            f"Clinic opens in {day} ceremony\n\n"
            f"A new clinic opened in the valley on {day}, the first in a decade.\n\n"
            f"Former health minister Tom Ware cut the ribbon in front of a crowd of {day} "
            "shoppers.\n\n"
            "“It serves the whole valley,” Ware said.\n",
            encoding="utf-8",
        )
    # One story's six quotes carry its description once: two stories call him a minister.
    assert analyse(tmp_path).speakers.role("Tom Ware") == "minister"


def test_an_appositive_after_a_list_describes_the_list():
    text = (
        "The mood favours Dana Pell and Tom Ware, the two other newcomers, who lead the "
        "field.\n\n“We are not insiders,” Ware said.\n"
    )
    assert roles_of(text)["We are not i"] is None


def test_a_named_owner_of_the_role_is_not_the_speaker():
    text = (
        "Sen. Ann Reyes returned the donations on Friday.\n\n"
        "“We acted out of caution,” said Reyes campaign manager Tom Ware. Reyes called on "
        "others to do the same.\n\n"
        "“The rules are clear,” said Dana Pell of Ruritania Watch.\n"
    )
    assert speaker_of(text, "We acted") == "Tom Ware"
    # "of" is no role: the person named first speaks.
    assert speaker_of(text, "The rules") == "Dana Pell"


@pytest.mark.parametrize(
    "verb",
    [
        "beamed",
        "fumed",
        "exclaimed",
        "chuckled",
        "grumbled",
        "pressed",
        "went on",
        "reacted",
        "shot back",
        "surmised",
        "barked",
        "thundered",
    ],
)
def test_verbs_of_manner_of_speaking_are_cues(verb):
    assert speaker_of(f"“This is fantastic!” {verb} Dana Pell of Lyon.\n", "This is") == "Dana Pell"


@pytest.mark.parametrize("title", ["Rev.", "Sgt.", "Maj.", "Amb.", "Atty."])
def test_a_title_abbreviation_ends_no_sentence(title):
    text = f"“We might have something here,” said {title} Dana Pell, then in Ft. Worth.\n"
    assert speaker_of(text, "We might") == "Dana Pell"


@pytest.mark.parametrize("opening", ["Added Reyes:", "Said Ann Reyes:", "Continued Reyes:"])
def test_an_inverted_attribution_opens_on_the_verb(opening):
    text = f"Ann Reyes spoke first.\n\n{opening} “We will win the vote.”\n"
    assert speaker_of(text, "We will win") in ("Reyes", "Ann Reyes")


def test_a_party_before_a_name_is_its_role():
    assert split_role("Republican Dana Pell") == ("Dana Pell", "Republican")
    assert split_role("Oversight ranking Democrat Tom Ware") == (
        "Tom Ware",
        "Oversight ranking Democrat",
    )
    assert split_role("Republican National Committee") == ("Republican National Committee", None)
    text = "“It is a waste,” said Oversight ranking Democrat Tom Ware (D-Md.).\n"
    assert speaker_of(text, "It is a waste") == "Tom Ware"
    # A capitalised present form is a word of the name: "Rules Committee Chairman Bo Lind".
    assert speaker_of("“No,” said Rules Committee Chairman Bo Lind.\n", "No") == "Bo Lind"


def test_a_relative_clause_after_the_speaker_named_after_the_verb():
    text = "“It hurt the small shops,” said Sen. Dana Pell who represents the harbour district.\n"
    assert speaker_of(text, "It hurt") == "Dana Pell"


def test_a_body_and_its_role_before_the_speaker():
    text = (
        "“This is our effort to change the party,” said Ruritania Unity Fund president Dana Pell.\n"
    )
    assert speaker_of(text, "This is our") == "Dana Pell"


# --- who is not the speaker -------------------------------------------------------------


def _speaker_and_role(text: str, starts_with: str) -> tuple[str | None, str | None]:
    found = [q for q in find_quotes(text, include_scare=True) if q.text.startswith(starts_with)]
    assert found, f"no quote starting {starts_with!r}"
    return found[0].speaker, found[0].speaker_role


def test_a_determiner_opening_the_sentence_is_not_a_speaker():
    text = (
        "The panel sent the minister a list of written questions. “When did you first learn "
        "of the leak?” reads one question. Another asks whether anyone “tried to warn the "
        "board about the costs.”\n"
    )
    assert speaker_of(text, "tried to warn") != "Another"
    assert speaker_of(text, "When did you") != "Another"


def test_an_unnamed_speaker_introducing_a_quote_is_not_the_last_one_named():
    text = (
        "Dana Pell, who leads the tenants' union, said the plan was “a betrayal.”\n\n"
        "A city hall spokesperson said: “The mayor will meet the tenants on 3 May. Details "
        "will follow in due course.”\n"
    )
    assert speaker_of(text, "a betrayal") == "Dana Pell"
    assert _speaker_and_role(text, "The mayor will meet") == (None, "A city hall spokesperson")
    said = "“The bridge opens in May, not a day later.”\n"
    assert _speaker_and_role("Two senators said: " + said, "The bridge") == (None, "Two senators")
    # A name at the head of the subject is the speaker, whatever opens the sentence.
    assert speaker_of("A year ago Ann Reyes said: " + said, "The bridge") == "Ann Reyes"


def test_a_plural_noun_opening_the_sentence_is_a_group_not_a_name():
    text = "Protesters have said the visit would draw the biggest march “ever seen” here.\n"
    assert _speaker_and_role(text, "ever seen") == (None, "Protesters")
    # A surname ending in s stays a name.
    named = "Ann Peters chairs the board.\n\n“We will not sell the land,” Peters said.\n"
    assert speaker_of(named, "We will not sell") == "Peters"


def test_the_name_after_a_verb_with_its_own_subject_is_not_the_speaker():
    text = (
        "The complaint also names the company. The suit states Ruritania, using a front "
        "firm, would release the files “at the moments that would most help the campaign.”\n"
    )
    assert speaker_of(text, "at the moments") != "Ruritania"
    # Inverted after a comma, the name is the speaker.
    inverted = "“We will appeal the ruling,” said Ann Reyes, the council's lawyer.\n"
    assert speaker_of(inverted, "We will appeal") == "Ann Reyes"


def test_a_place_in_the_speakers_phrase_is_not_the_speaker():
    text = (
        "A Canadian government spokeswoman in Lisbon said the delay was “welcome,” but the "
        "mills needed protection.\n\n"
        "“We remain worried about the effect of these levies on shipping and will keep "
        "working with our partners on a common answer.”\n"
    )
    assert _speaker_and_role(text, "welcome") == (None, "A Canadian government spokeswoman")
    assert speaker_of(text, "We remain worried") is None
    # "the envoy in Lisbon" is the envoy the article named before.
    named = (
        "Ana Reyes, the city's envoy to the trade talks, arrived on Monday.\n\n"
        "The envoy in Lisbon said the delay was “welcome.”\n"
    )
    assert speaker_of(named, "welcome") == "Ana Reyes"


def test_while_turns_to_the_next_speaker():
    text = (
        "In a statement, the Danish government said the move was “positive,” while the "
        "Chilean government said that it “will keep trade growing in a fair manner.”\n"
    )
    assert speaker_of(text, "positive") == "Danish government"
    assert speaker_of(text, "will keep trade") == "Chilean government"


def test_a_body_named_with_its_country_keeps_its_whole_name():
    assert split_role("European Union") == ("European Union", None)
    assert split_role("the European Commission") == ("European Commission", None)
    assert split_role("US Institute for the Study of War")[0] == "Institute for the Study of War"
    text = "“The decision prolongs uncertainty for exporters,” the European Union said on Monday.\n"
    assert speaker_of(text, "The decision prolongs") == "European Union"
    index = SpeakerIndex()
    index.add("European Union")
    assert index.canonical("European Union") == "European Union"


def test_a_role_with_no_one_named_in_it_is_not_given_to_the_last_person():
    text = (
        "Ann Reyes opened the new bridge on Monday.\n\n"
        "“Traffic will be slower for a week,” the city engineer said.\n"
    )
    assert _speaker_and_role(text, "Traffic will be") == (None, "city engineer")


def test_a_body_with_and_in_its_name_is_the_whole_name():
    text = (
        "“We will review every claim by the end of the month,” the Department of Health and "
        "Human Services said.\n"
    )
    assert speaker_of(text, "We will review") == "Department of Health and Human Services"


def test_a_filing_speaks_for_its_author_not_for_the_name_it_accuses():
    text = (
        "The Harbour Party filed the suit on Friday. The suit also claims port director Ann "
        "Reyes “shared the defendants' goal of closing the harbour before the vote.”\n"
    )
    assert speaker_of(text, "shared the defendants") == "Harbour Party"


def test_a_filing_is_not_given_to_whoever_answered_it():
    """ "The suit" is its author's: not the body that slammed it, nor the last one named."""
    text = (
        "The Harbour Party filed the suit on Friday.\n\n"
        "Tom Bell, chief of Harbour Holdings, Inc., slammed the suit as “a stunt.”\n\n"
        "The suit argues the port “broke every promise it made to the town.”\n"
    )
    assert speaker_of(text, "broke every promise") in ("Harbour Party", None)
    alone = "Tom Bell runs Harbour Holdings.\n\nThe report said the port “broke every promise.”\n"
    assert speaker_of(alone, "broke every promise") != "Harbour Holdings"


def test_a_statement_from_a_titled_person_is_that_persons():
    text = (
        "Lawmakers released a statement from House Budget Committee Chairman Tom Avery "
        "on Friday.\n\n"
        "The members noted that the agency kept no records.\n\n"
        "“The director kept these notes for his own purposes and shared them with no one,” "
        "the statement read.\n"
    )
    assert _speaker_and_role(text, "The director kept") == (
        "Tom Avery",
        "House Budget Committee Chairman",
    )
    # A joint statement is all its authors'.
    joint = text.replace("Tom Avery ", "Tom Avery and Rep. Lena Ortiz ")
    assert _speaker_and_role(joint, "The director kept") == (None, "Tom Avery and Lena Ortiz")


def test_a_role_set_off_by_commas_before_the_name_is_its_role():
    text = (
        "Ruritania's foreign secretary, Ann Reyes, wrote to the council on Monday.\n\n"
        "“We will not sign this treaty as it stands,” Reyes said.\n"
    )
    assert _speaker_and_role(text, "We will not sign") == ("Reyes", "Ruritania's foreign secretary")
    white = "“It was a false pretence,” the White House press secretary, Tom Bell, said.\n"
    assert _speaker_and_role(white, "It was a false") == ("Tom Bell", "White House press secretary")
    # A list of names gives none of them a role.
    listed = "The envoys met Tom Bell, Ann Reyes, and others.\n\n“We agreed,” Reyes said.\n"
    assert _speaker_and_role(listed, "We agreed") == ("Reyes", None)


def test_a_spokesman_for_someone_is_not_that_someone():
    said = "“The plan will work for everyone in the valley.”\n"
    lead = "A spokesman for Ann Reyes said the plan would " + said.replace("“The plan", "“the plan")
    assert _speaker_and_role(lead, "the plan will") == (None, "A spokesman for Ann Reyes")
    colon = "A spokesman for the Harbour Party said: " + said
    assert _speaker_and_role(colon, "The plan will") == (None, "A spokesman for the Harbour Party")
    assert speaker_of("Ann Reyes said: " + said, "The plan will") == "Ann Reyes"


def test_a_post_someone_left_is_shown_as_left():
    """Articles recall "Harbour Director Ann Reyes" and call her "former harbour director":
    the brief shows who she is now. Letter case does not split one role in two."""
    index = SpeakerIndex()
    for role in ("Harbour Director", "Harbour Director", "former Harbour Director"):
        index.add("Ann Reyes", role)
    assert index.role("Ann Reyes") == "former Harbour Director"
    other = SpeakerIndex()
    for role in ("Harbour Director", "harbour director", "Mayor of Lisbon"):
        other.add("Tom Ware", role)
    assert other.role("Tom Ware") in ("Harbour Director", "harbour director")


def test_a_names_statement_is_that_names_words():
    said = "“We will keep the ferry running through the winter,” "
    text = "Ann Reyes met the harbour board on Monday. " + said + "Reyes’s statement said.\n"
    assert speaker_of(text, "We will keep") == "Reyes"
    body = "The harbour board met on Monday. " + said + "the White House’s statement said.\n"
    assert speaker_of(body, "We will keep") == "White House"


def test_a_names_spokesman_is_an_unnamed_speaker_for_that_name():
    said = "“We will keep the ferry running through the winter,” "
    text = "Ann Reyes met the harbour board on Monday. " + said + "Reyes’s spokesman said.\n"
    assert _speaker_and_role(text, "We will keep") == (None, "Reyes’s spokesman")
    named = (
        "Reyes’s spokesman, Tom Bell, took questions on Monday. "
        + said
        + "Reyes’s spokesman said.\n"
    )
    assert speaker_of(named, "We will keep") == "Tom Bell"
    davis = "Ann Davis met the board on Monday. " + said + "Davis’ spokesman said.\n"
    assert _speaker_and_role(davis, "We will keep") == (None, "Davis’ spokesman")
    davis = davis.replace("spokesman", "statement")
    assert speaker_of(davis, "We will keep") == "Davis"


@pytest.mark.parametrize(
    "cue",
    [
        "Mr. Ware planned to ask",
        "he planned to ask",
        "he wanted to know",
        "he went on to say",
        "Ware is expected to ask",
        "Ware would later ask",
    ],
)
def test_a_saying_verb_behind_a_verb_of_intention(cue):
    text = f"Tom Ware studied the ledger twice. “Who signed off on the loan in March?” {cue}.\n"
    assert speaker_of(text, "Who signed off") in ("Ware", "Tom Ware")


def test_declining_to_say_is_not_saying():
    question = "“Who signed off on the loan in March?”"
    text = f"Tom Ware studied the ledger twice. {question} Ann Reyes declined to say.\n"
    assert speaker_of(text, "Who signed off") is None
    embedded = "Ann Reyes declined to say whether “the board ever signed the loan papers.”\n"
    assert speaker_of(embedded, "the board ever") is None
    # Not a verb of saying behind "to": "will continue to be" says nothing.
    text = "Ann Reyes will continue to be “a champion of the harbour towns,” Tom Ware said.\n"
    assert speaker_of(text, "a champion") == "Tom Ware"


def test_a_question_or_document_is_not_a_speaker():
    ask = "“Should the ferry run in winter?”"
    survey = "The survey went to every household in March. "
    assert _speaker_and_role(survey + ask + " one question asks.\n", "Should the") == (None, None)
    lead = survey + "One question reads: " + ask + "\n"
    assert _speaker_and_role(lead, "Should the") == (None, None)
    # The words are the document's author's, when a body is named with it.
    body = "The Harbour Commission sent a survey to every household. "
    assert speaker_of(body + ask + " one question asks.\n", "Should the") == "Harbour Commission"
    # An unnamed person stays a described speaker.
    said = "“The ferry will run all winter,” one harbour official said.\n"
    assert _speaker_and_role(said, "The ferry") == (None, "one harbour official")


def test_a_joint_statement_is_the_groups():
    said = "“The harbour tunnel must be finished before any new bridge,” "
    listed = (
        said + "said a statement from Judiciary Chairman Ann Reyes, R-Va., Oversight Chairman "
        "Tom Ware, R-S.C., and Intelligence Chairman Bo Lind.\n"
    )
    group = (None, "Ann Reyes, Tom Ware and Bo Lind")
    assert _speaker_and_role(listed, "The harbour tunnel") == group
    before = "Ann Reyes, Tom Ware and Bo Lind said in a joint statement: " + said.strip(", ") + "\n"
    assert _speaker_and_role(before, "The harbour tunnel") == group
    semicolons = (
        "Judiciary Chairman Ann Reyes, R-Va.; Oversight Chairman Tom Ware, R-S.C.; and "
        "Intelligence Chairman Bo Lind said in a joint statement that the plan "
        + said.strip(", ")
        + "\n"
    )
    assert _speaker_and_role(semicolons, "The harbour tunnel") == group
    after = said + "Ann Reyes and Tom Ware said in a joint statement.\n"
    assert _speaker_and_role(after, "The harbour tunnel") == (None, "Ann Reyes and Tom Ware")
    # Two clauses are not a list, nor is "and" inside an appositive.
    clauses = (
        "“The tunnel comes first,” said Ann Reyes, and Tom Ware agreed. "
        "Tom Ware and the board met later. “We will vote in May,” Ware said.\n"
    )
    assert speaker_of(clauses, "The tunnel comes") == "Ann Reyes"
    assert speaker_of(clauses, "We will vote") == "Ware"
    appositive = (
        "“The tunnel comes first,” said Ann Reyes, the Harbour and Ferries Chair at the council.\n"
    )
    assert speaker_of(appositive, "The tunnel comes") == "Ann Reyes"


def test_the_people_of_a_list_named_before():
    said = "“The harbour tunnel must be finished before any new bridge,” "
    chairmen = (
        "Judiciary Chairman Ann Reyes, Oversight Chairman Tom Ware and Intelligence Chairman "
        "Bo Lind met on Monday. " + said + "the chairmen said.\n"
    )
    assert _speaker_and_role(chairmen, "The harbour tunnel") == (
        None,
        "Ann Reyes, Tom Ware and Bo Lind",
    )
    they = (
        "Ruritania’s Prime Minister Ann Reyes and Trade Minister Tom Ware welcomed the deal. "
        + said
        + "they said in a statement.\n"
    )
    assert _speaker_and_role(they, "The harbour tunnel") == (None, "Ann Reyes and Tom Ware")
    # The second may be introduced by a possessive phrase: "the country's Trade Minister".
    country = (
        "Ruritania’s Prime Minister Ann Reyes and the country's Trade Minister Tom Ware "
        "welcomed the exemption, and said they would keep working with Lisbon.\n\n"
        + said
        + "they said in a statement.\n"
    )
    assert _speaker_and_role(country, "The harbour tunnel") == (None, "Ann Reyes and Tom Ware")


def test_a_joint_statement_named_before_or_with_a_plural_title():
    said = "“The harbour tunnel must be finished before any new bridge,” "
    reps = said + "said Reps. Ann Reyes and Tom Ware in a joint statement.\n"
    assert _speaker_and_role(reps, "The harbour tunnel") == (None, "Ann Reyes and Tom Ware")
    issued = "Ann Reyes and Tom Ware issued a joint statement. " + said + "the statement said.\n"
    assert _speaker_and_role(issued, "The harbour tunnel") == (None, "Ann Reyes and Tom Ware")


def test_a_former_post_written_before_the_body_stays_former():
    text = (
        "Memos written by former Harbour Board director Ann Reyes were released. "
        "“I kept notes of every meeting,” Reyes said.\n"
    )
    [quote] = [q for q in find_quotes(text) if q.text.startswith("I kept")]
    index = SpeakerIndex()
    index.add("Ann Reyes", left_role(text, text.index("Ann Reyes"), 0))
    assert index.role("Ann Reyes") == "former Harbour Board director"
    assert quote.speaker in ("Reyes", "Ann Reyes")
