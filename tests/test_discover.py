"""Themes discovered from the articles (issue: a brief from any folder).

The articles are written for these tests: one flood story with two clearly separate
threads, the shelters and the cracked dam."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from briefgen.cli import main
from briefgen.config import CONFIG_NAME

ARTICLES = {
    "a-council.txt": """Flood leaves Millbrook divided over shelters and the dam

MILLBROOK — Hundreds of families spent a third night in emergency shelters on Tuesday after the river burst its banks.
The school gymnasium on Elm Street now houses 300 evacuees, and volunteers serve hot meals there every evening.
Red Cross volunteers said the shelters need more blankets, cots and baby formula.
Engineers inspecting the Harlow dam found a crack in the concrete spillway.
The county engineer said repairs to the spillway could cost four million dollars.
Council members argued over who should pay for the dam repairs.
Evacuees at the gymnasium said they did not know when they could return home.
The state agreed to send inspectors to check the cracked spillway again next week.
""",
    "b-gazette.txt": """Evacuees crowd shelters as engineers study cracked dam

Evacuees filled a second shelter at the community centre as water kept rising in Millbrook.
Volunteers at the community centre handed out blankets and hot meals to families.
Parents at the shelter said children had no school and no dry clothes.
At the Harlow dam, engineers measured the crack in the spillway for a second day.
Engineers warned that the spillway repairs must begin before the spring rains.
The dam operator said the concrete repairs would take at least three months.
The county asked the state to share the cost of the dam repairs.
The Red Cross said more volunteers were needed to run the shelters overnight.
""",
    "c-radio.txt": """Shelters full, spillway repairs costly

Millbrook opened a third shelter on Wednesday because the gymnasium and the community centre were full.
Volunteers said the shelters now hold more than 500 evacuees, many of them elderly.
Hot meals and blankets are running short at the shelters, a volunteer coordinator said.
Engineers said the cracked spillway of the Harlow dam is stable for now.
The repairs to the spillway will need a crane and new concrete, engineers said.
The state dam safety office will decide next month who funds the repairs.
Families at the shelters asked for buses to take children to school.
Inspectors from the state visited the Harlow dam on Wednesday afternoon.
""",
    "d-times.txt": """Millbrook waits as water recedes

The river began to fall on Thursday, but most evacuees remained in the shelters.
Shelter volunteers said they had served 2,000 hot meals since Sunday.
The Red Cross brought cots and blankets to the gymnasium shelter by truck.
Engineers at the Harlow dam started to pump water away from the cracked spillway.
Spillway repairs will begin in May if the state approves the funding, the county engineer said.
The concrete crack is two metres long, according to the dam inspectors.
Council members said the dam repairs should not raise local taxes.
Evacuees at the community centre shelter said they hoped to go home by the weekend.
""",
}

DAM_WORDS = {"dam", "spillway", "repairs", "engineers", "crack", "concrete"}
SHELTER_WORDS = {"shelters", "shelter", "meals", "volunteers", "blankets", "evacuees"}


def write_story(folder: Path, names: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / (names or {}).get(name, name)).write_text(text, encoding="utf-8")
    return folder


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764720000")


def discovered(out: Path) -> list[dict]:
    data = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    return [t for t in data["themes"] if t["discovered"]]


def words_of(theme: dict) -> set[str]:
    return {w.lower() for w in " ".join([theme["title"], *theme.get("terms", [])]).split()}


def test_a_folder_without_config_gets_both_threads(tmp_path):
    story = write_story(tmp_path / "flood")
    result = run("build", str(story), "-o", str(tmp_path / "out"), "-f", "json", "-f", "md")
    assert result.exit_code == 0, result.output
    assert "themes were discovered from the articles, not configured" in result.stderr
    themes = discovered(tmp_path / "out")
    assert 2 <= len(themes) <= 6
    titles = [t["title"].lower() for t in themes]
    # Each thread has a theme whose title names it in its own distinctive words.
    assert any(DAM_WORDS & set(t.split()) for t in titles), titles
    assert any(SHELTER_WORDS & set(t.split()) for t in titles), titles
    # The two threads are not mixed: no title speaks of both.
    assert not any(DAM_WORDS & set(t.split()) and SHELTER_WORDS & set(t.split()) for t in titles)
    data = json.loads((tmp_path / "out" / "brief.json").read_text(encoding="utf-8"))
    assert data["title"] == "Flood leaves Millbrook divided over shelters and the dam"
    assert all(t["kind"] in {"discovered", "other"} for t in data["themes"])
    md = (tmp_path / "out" / "brief.md").read_text(encoding="utf-8")
    assert "Theme discovered from the articles" in md


def test_title_option_replaces_the_headline_title(tmp_path):
    story = write_story(tmp_path / "flood")
    result = run("build", str(story), "-o", str(tmp_path / "out"), "-f", "json",
                 "--title", "Millbrook flood")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "brief.json").read_text(encoding="utf-8"))
    assert data["title"] == "Millbrook flood"


def test_file_order_and_names_do_not_change_the_themes(tmp_path):
    first = write_story(tmp_path / "one")
    renamed = {name: f"{9 - i}-{name}" for i, name in enumerate(ARTICLES)}  # reversed order
    second = write_story(tmp_path / "two", renamed)
    a, b = run("themes", str(first)), run("themes", str(second))
    assert a.exit_code == 0 and b.exit_code == 0, a.output + b.output

    def themes_only(text: str) -> list[str]:
        # Everything but the comments naming the files.
        return [line for line in text.splitlines() if line and not line.startswith("#")]

    assert themes_only(a.stdout) == themes_only(b.stdout)
    assert "[[themes.configured]]" in a.stdout


def test_themes_write_round_trips_and_never_overwrites(tmp_path):
    story = write_story(tmp_path / "flood")
    before = run("build", str(story), "-o", str(tmp_path / "before"), "-f", "json")
    assert before.exit_code == 0, before.output
    written = run("themes", str(story), "--write")
    assert written.exit_code == 0, written.output
    config = story / CONFIG_NAME
    text = config.read_text(encoding="utf-8")
    assert "discovered = true" in text and "# e.g. " in text and "sentences in" in text
    after = run("build", str(story), "-o", str(tmp_path / "after"), "-f", "json")
    assert after.exit_code == 0, after.output
    assert "discovered from the articles, not configured" not in after.stderr
    # The written config gives the brief the build without a config gave, byte for byte.
    assert (tmp_path / "after" / "brief.json").read_bytes() == (
        tmp_path / "before" / "brief.json"
    ).read_bytes()
    again = run("themes", str(story), "--write")
    assert again.exit_code == 73
    assert "already exists" in again.stderr
    assert config.read_text(encoding="utf-8") == text


def test_configured_themes_come_first_and_discovered_ones_are_marked(tmp_path):
    story = write_story(tmp_path / "flood")
    (story / CONFIG_NAME).write_text(
        '[brief]\ntitle = "Flood"\n\n[themes]\ndiscover = true\n\n'
        '[[themes.configured]]\nid = "shelters"\ntitle = "Shelters"\n'
        'description = "Where the evacuees sleep."\n'
        'terms = ["shelter", "shelters", "evacuees", "volunteers", "meals", "blankets"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run("build", str(story), "-o", str(out), "-f", "json", "-f", "docx")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    kinds = [t["kind"] for t in data["themes"]]
    assert kinds[0] == "configured" and data["themes"][0]["id"] == "shelters"
    found = [t for t in data["themes"] if t["discovered"]]
    assert found, kinds
    # What the configured theme misses is the dam: that is what was discovered.
    assert any(DAM_WORDS & set(t["title"].lower().split()) for t in found)
    doc = Document(str(out / "brief.docx"))
    assert any(p.text == "Theme discovered from the articles" for p in doc.paragraphs)


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        ("[themes]\nother = true\n", "expected [[themes.configured]] tables or discover = true"),
        ('[[themes]]\nid = "other"\ntitle = "X"\ndescription = "Y"\nterms = ["z"]\n',
         "'other' is reserved"),
        ("[themes]\ndiscover = 1\n", "key 'themes.discover': expected"),
    ],
)  # fmt: skip
def test_bad_theme_settings_stop_before_anything_is_written(tmp_path, themes, message):
    story = write_story(tmp_path / "flood")
    (story / CONFIG_NAME).write_text(f'[brief]\ntitle = "Flood"\n\n{themes}', encoding="utf-8")
    result = run("build", str(story), "-o", str(tmp_path / "out"))
    assert result.exit_code == 78
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_too_little_text_still_builds_with_a_warning(tmp_path):
    story = tmp_path / "tiny"
    story.mkdir()
    (story / "one.txt").write_text(
        "Bridge opens\n\nThe new bridge over the river opened on Monday morning.\n",
        encoding="utf-8",
    )
    themes = run("themes", str(story))
    assert themes.exit_code == 0
    assert "no theme found in these articles" in themes.stderr
    result = run("build", str(story), "-o", str(tmp_path / "out"), "-f", "json")
    assert result.exit_code == 0, result.output


# --- how discovery chooses its themes and names them (briefgen/stages/discover.py) ------

DAM = [
    "Engineers found a crack in the dam spillway on Monday.",
    "The crack in the spillway of the dam is two metres long.",
    "Engineers said the dam spillway crack is stable for now.",
    "A second crack showed up near the dam spillway gate.",
    "The state sent inspectors to the cracked dam spillway.",
]
SHELTER = [
    "Volunteers served hot meals at the shelter.",
    "The shelter ran short of meals and blankets.",
    "Volunteers at the shelter asked for more blankets.",
    "Families ate meals cooked by volunteers at the shelter.",
]
SCHOOL = [
    "Buses took the children to a school in the next town.",
    "The school buses left before dawn with the children.",
]


def sentences_of(articles: list[list[str]]) -> list:
    """Sentences of articles written for the tests, numbered as the pipeline does."""
    from briefgen.models import Sentence

    out = []
    for n, texts in enumerate(articles):
        for i, text in enumerate(texts):
            out.append(Sentence(n, 0, len(text), text, i, i))
    return out


BRIDGE = [
    "The bridge toll rose to four dollars.",
    "Drivers queued at the bridge toll for an hour.",
    "The bridge toll will fund the new road.",
    "Council members voted for the bridge toll in June.",
    "The bridge toll is the highest in the state.",
]


def threads_story() -> list:
    """Four articles, each with the dam, the shelter and the school threads; the first
    also speaks of a bridge toll at length."""
    return sentences_of([DAM + SHELTER + SCHOOL + (BRIDGE * 2 if i == 0 else []) for i in range(4)])


def seeds(*words: str) -> list[str]:
    from briefgen.stages.features import stem

    return [stem(w) for w in words]


def select(sentences, candidates, taken=None, most=5):
    from briefgen.stages import discover
    from briefgen.stages.features import content_terms

    forms = {k: w for words in candidates for k, w in zip(seeds(*words), words, strict=True)}
    chosen, members = discover._select(
        [seeds(*words) for words in candidates],
        forms,
        [content_terms(s.text) for s in sentences],
        sentences,
        most,
        taken,
    )
    return [[forms[k] for k in keys] for keys in chosen], members


def test_themes_are_the_threads_that_add_most_each_once_and_from_several_articles():
    story = threads_story()
    dam, dam_again = ["dam", "spillway", "crack"], ["spillway", "dam"]
    shelter, school = ["shelter", "meals", "volunteers"], ["school", "buses", "children"]
    tiny = ["dawn", "bakery", "mill"]  # a sentence of each article: no thread
    bridge = ["bridge", "toll"]  # one article's thread
    # Wins some shelter sentences from the shelter theme, but holds none it leaves out.
    blankets = ["blankets", "families", "short", "asked", "cooked"]
    candidates = [dam_again, dam, bridge, shelter, tiny, blankets, school]
    chosen, members = select(story, candidates, most=3)
    # The broadest threads first; the second view of the dam wins no sentence from the
    # first and is passed over, and so is the bridge toll, which one article alone tells;
    # the school thread, small but in every article, is taken; the blankets bring no
    # sentence the others do not hold.
    assert chosen == [dam, shelter, school]
    assert [len(m) for m in members] == [20, 16, 8]
    assert len({story[i].source for i in members[2]}) == 4
    assert select(story, candidates, most=5)[0] == chosen


def test_next_to_configured_themes_a_discovered_theme_must_add_sentences():
    story = threads_story()
    dam, shelter = ["dam", "spillway", "crack"], ["shelter", "meals", "volunteers"]
    school = ["school", "buses", "children"]
    # Wins dam sentences from the dam theme, but holds none it leaves out.
    engineers = ["engineers", "monday", "metres", "stable", "inspectors"]
    # The configured themes hold the shelter, school and bridge sentences: only the dam
    # is left, and the engineers add nothing to it.
    taken = [not any(w in s.text.lower() for w in ("dam", "spillway")) for s in story]
    chosen, members = select(story, [shelter, school, engineers, dam], taken=taken)
    assert chosen == [dam]
    assert all(not taken[i] for i in members[0])
    # Without configured themes, three are taken when the articles support three.
    assert select(story, [shelter, school, dam])[0] == [dam, shelter, school]


def titler_for(texts_by_article: list[list[str]]):
    from briefgen.stages import discover

    story = sentences_of(texts_by_article)
    candidates = [discover.candidate(s) for s in story]
    everyone = list(range(len(story)))
    titler = discover._Titler(candidates, [everyone])

    def title(*words: str) -> str:
        theme = discover.DiscoveredTheme("t", "", "", list(words), everyone, [])
        return titler.title(seeds(*words), theme, set())

    return title


def test_a_title_is_a_noun_phrase_not_a_clause_or_a_modifier():
    title = titler_for(
        [
            ["The company filed a complaint in federal court against the union.",
             "Its complaint in federal court asks for damages."],
            ["A complaint in federal court names the union and its leaders.",
             "The federal court will hear the complaint next month."],
            ["Lawyers filed the complaint in federal court on Friday.",
             "The complaint in federal court came after the strike."],
        ]
    )  # fmt: skip
    # "Complaint in federal" ends on a word always followed by a noun; "complaint filed"
    # ends on a verb.
    for seed_words in [("complaint", "federal", "court"), ("federal", "complaint")]:
        assert title(*seed_words).lower().split()[-1] in {"court", "complaint"}
    assert "filed" not in title("complaint", "filed").lower().split()
    # A participle the articles never use after "to", "has" or before "the" is no noun.
    title = titler_for(
        [["The complaint filed in court names the union."],
         ["The union read the complaint filed in court."],
         ["A complaint filed in court began the case."]]
    )  # fmt: skip
    assert "filed" not in title("complaint", "filed", "union").lower().split()


def test_a_title_never_cuts_a_name_nor_ends_on_a_speaker():
    title = titler_for(
        [
            ["CIA Director Mike Pompeo met the envoy in secret.",
             "The county engineer said the spillway needs work."],
            ["CIA Director Mike Pompeo kept the visit secret for weeks.",
             "The county engineer said the spillway is safe."],
            ["The secret visit by CIA Director Mike Pompeo came before Easter.",
             "The county engineer said the spillway repairs start in May."],
        ]
    )  # fmt: skip
    # "Director Mike" would cut a name.
    assert not title("Mike", "director").endswith("Mike")
    # "County engineer" names who spoke ("the county engineer said"), not what happened.
    assert title("spillway", "engineer", "county").split()[-1] != "engineer"


def test_a_dateline_gives_no_key():
    from briefgen.stages import discover

    (sentence,) = sentences_of([["MILLBROOK — Volunteers opened a shelter at the school."]])
    keys = discover.candidate(sentence).keys
    assert seeds("Millbrook")[0] not in keys
    assert set(seeds("volunteers", "shelter", "school")) <= set(keys)


def test_leading_eigenvectors_match_a_dense_solver():
    import numpy as np
    from scipy import sparse

    from briefgen.stages import discover

    rng = np.random.default_rng(7)
    dense = rng.random((60, 60)) * (rng.random((60, 60)) < 0.1)
    dense = dense + dense.T
    values, vectors = discover._leading_eigen(np, sparse.csr_matrix(dense), 5)
    expected = np.linalg.eigvalsh(dense)
    expected = expected[np.argsort(-np.abs(expected))][:5]
    top = np.argsort(-np.abs(values))[:5]
    assert np.allclose(values[top], expected, atol=1e-6)
    for j in top:  # each vector is an eigenvector of its value
        assert np.allclose(dense @ vectors[:, j], values[j] * vectors[:, j], atol=1e-5)


def test_a_sample_of_a_large_story_does_not_depend_on_the_file_order(monkeypatch, tmp_path):
    from briefgen.pipeline import analyse
    from briefgen.stages import discover

    monkeypatch.setattr(discover, "SAMPLE", 20)  # the flood story has more sentences
    one = analyse(write_story(tmp_path / "one")).sentences
    renamed = {name: f"{9 - i}-{name}" for i, name in enumerate(ARTICLES)}
    two = analyse(write_story(tmp_path / "two", renamed)).sentences
    assert len(one) > discover.SAMPLE

    def found(sentences) -> list[tuple[str, list[str], int]]:
        return [(t.title, t.terms, len(t.sentences)) for t in discover.discover(sentences)]

    assert found(one) == found(two)
    assert found(one)


def test_a_headline_title_drops_a_sentence_full_stop_but_not_an_abbreviation():
    """Some feeds give a first sentence as the headline: the brief's title takes no full
    stop, while "U.S." and "Inc." keep theirs."""
    from briefgen.models import Source
    from briefgen.stages.discover import headline_title

    def title_of(*headlines: str) -> str | None:
        return headline_title(
            [Source(f"a{i}", f"a{i}.txt", "x", title=h) for i, h in enumerate(headlines)]
        )

    assert title_of("River floods the valley town.") == "River floods the valley town"
    assert title_of("Valley floods reach town in July.") == "Valley floods reach town in July"
    assert title_of("Flood aid comes from the U.S.") == "Flood aid comes from the U.S."
    assert title_of("Flood aid for Acme Inc.") == "Flood aid for Acme Inc."
    assert title_of("Is the valley safe now...") == "Is the valley safe now..."
    assert title_of("Valley floods") == "Valley floods"
