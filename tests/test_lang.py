"""Languages: the registry, the config's choice, and a language the stages really read."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import lang, pipeline
from briefgen.cache import ArticleCache
from briefgen.cli import main
from briefgen.config import load_config
from briefgen.errors import ConfigError
from briefgen.stages import entities, quotes, textstats

# A quote whose only attribution is a saying verb English does not have.
ARTICLE = (
    "Harbour to reopen\n\n"
    "The council voted on Tuesday to reopen the old harbour to fishing boats next spring.\n\n"
    "“The boats will be back before the summer season starts,” Anna Berg zorbled.\n"
)

CONFIG = """
[brief]
title = "Harbour"
language = "{language}"

[[themes]]
id = "harbour"
title = "Harbour"
description = "The harbour."
terms = ["harbour", "boats"]
"""


@pytest.fixture
def zorblish(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A language "xx": English, plus the saying verb "zorble" (zorbled, zorbles)."""
    english = lang.load("en")
    module = types.ModuleType("briefgen_test_lang_xx")
    for name in lang.REQUIRED:
        setattr(module, name, getattr(english, name))
    module.SAY_VERBS = [*english.SAY_VERBS, "zorble"]
    module.CUES = "zorbled|zorbles|" + english.CUES
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(lang.LANGUAGES, "xx", module.__name__)
    yield "xx"
    lang.use("en")
    lang._loaded.pop("xx", None)


def _speakers(found: list[quotes.QuoteSpan]) -> list[str | None]:
    return [q.speaker for q in found if not q.scare]


def test_registry_loads_english_with_every_required_name() -> None:
    english = lang.load("en")
    assert all(hasattr(english, name) for name in lang.REQUIRED)
    assert lang.load("en-GB") is english  # the primary subtag chooses
    assert lang.code_for("en_US") == "en"
    assert "said" in english.CUES.split("|")
    assert lang.active_code() == "en"


def test_unknown_language_names_the_languages_there_are() -> None:
    with pytest.raises(lang.UnknownLanguage, match="available: en"):
        lang.load("xx")


def test_unknown_language_in_config_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "briefgen.toml"
    path.write_text(CONFIG.format(language="xx-YY"), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    line = error.value.one_line()
    assert line.startswith("error[BG-CONFIG]")
    assert str(path) in line and "'xx-YY'" in line and "available: en" in line
    assert "\n" not in line


def test_unknown_language_stops_a_build_before_anything_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "briefgen.toml").write_text(CONFIG.format(language="tlh"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out)])
    assert result.exit_code == 78, result.output
    assert "BG-CONFIG" in result.output and "'tlh'" in result.output
    assert not out.exists()


def test_the_active_language_is_what_attribution_reads(zorblish: str) -> None:
    text = ARTICLE
    assert _speakers(quotes.find_quotes(text)) == [None]  # English: no saying verb
    with lang.using(zorblish):
        assert _speakers(quotes.find_quotes(text)) == ["Anna Berg"]
        found, names = quotes.analyse_quotes(text)
        assert _speakers(found) == ["Anna Berg"] and ("Anna Berg", None) in names
    assert lang.active_code() == "en"
    assert _speakers(quotes.find_quotes(text)) == [None]  # and back


def test_the_name_recogniser_reads_the_active_language(zorblish: str) -> None:
    """A lone name before the language's saying verb is a person (entities.find_names)."""
    text = "Berg zorbled on Tuesday."
    assert [k for k, *_ in entities.find_names(text)] == [entities.UNRESOLVED]
    with lang.using(zorblish):
        assert [k for k, *_ in entities.find_names(text)] == ["person"]


def test_what_a_name_is_follows_the_language_though_remembered(
    zorblish: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """people.kind_by_name remembers its answers, per language: a word that names an
    organisation in one language is asked again in another."""
    from briefgen.stages.people import kind_by_name

    module = sys.modules[lang.LANGUAGES[zorblish]]
    monkeypatch.setattr(module, "ORG_WORDS", frozenset({"Gloop"}))
    assert kind_by_name("Harbour Gloop") is None
    with lang.using(zorblish):
        assert kind_by_name("Harbour Gloop") == "organisation"
    assert kind_by_name("Harbour Gloop") is None


def test_the_config_chooses_the_language_of_a_build(zorblish: str, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "briefgen.toml"
    path.write_text(CONFIG.format(language="xx-YY"), encoding="utf-8")
    _, analysis = pipeline.build_brief(folder, load_config(path))
    assert [_speakers(found) for found in analysis.quotes.values()] == [["Anna Berg"]]
    path.write_text(CONFIG.format(language="en-GB"), encoding="utf-8")
    _, analysis = pipeline.build_brief(folder, load_config(path))
    assert [_speakers(found) for found in analysis.quotes.values()] == [[None]]


def test_quotes_command_reads_in_the_config_language(zorblish: str, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "briefgen.toml").write_text(CONFIG.format(language="xx"), encoding="utf-8")
    result = CliRunner().invoke(main, ["quotes", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["speaker"] for line in result.output.splitlines()] == ["Anna Berg"]


def test_the_language_reaches_the_unit_of_work_of_a_worker(zorblish: str) -> None:
    """What a worker process or a Dask task runs takes the language as an argument."""
    raw = ARTICLE.encode()
    [english] = pipeline._analyse_or_error(raw, "a.txt")
    [other] = pipeline._analyse_or_error(raw, "a.txt", language=zorblish)
    assert (_speakers(english.quotes), _speakers(other.quotes)) == ([None], ["Anna Berg"])


def test_the_cache_keeps_languages_apart(zorblish: str) -> None:
    digest = "0" * 64
    english = ArticleCache.key_for_digest(digest)
    with lang.using(zorblish):
        assert ArticleCache.key_for_digest(digest) != english
    assert ArticleCache.key_for_digest(digest) == english


def test_stop_words_follow_the_language(zorblish: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module = sys.modules[lang.LANGUAGES[zorblish]]
    monkeypatch.setattr(module, "STOPWORDS", frozenset({"harbour"}))
    assert "harbour" not in textstats.STOPWORDS
    with lang.using(zorblish):
        assert {"harbour"} == set(textstats.STOPWORDS)


def test_surname_spelling_rules_follow_the_language(
    zorblish: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.stages.people import surnames_match

    module = sys.modules[lang.LANGUAGES[zorblish]]
    monkeypatch.setattr(module, "SPELLING_EQUIVALENTS", ())
    assert surnames_match("Jackson", "Yackson")  # English reads "j" as "y"
    with lang.using(zorblish):
        assert not surnames_match("Jackson", "Yackson")  # no answer kept from English
    assert surnames_match("Jackson", "Yackson")


def test_notes_and_datelines_are_read_in_the_active_language(
    zorblish: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.stages import metadata, structure

    module = sys.modules[lang.LANGUAGES[zorblish]]
    monkeypatch.setattr(module, "TEXT_NOTE", r"^zorbnote\b")
    monkeypatch.setattr(module, "DATELINE_WORDS", r"zuletzt|aktualisiert|am")
    note, english_note = "Zorbnote: the harbour story.", "This story has been updated."
    dateline = "Zuletzt aktualisiert am Dec 3, 2025 06:29"
    assert structure.note_reason(english_note) and not structure.note_reason(note)
    assert not metadata.is_dateline(dateline)
    with lang.using(zorblish):
        assert structure.note_reason(note) and not structure.note_reason(english_note)
        assert metadata.is_dateline(dateline)
