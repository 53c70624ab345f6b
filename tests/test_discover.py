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
