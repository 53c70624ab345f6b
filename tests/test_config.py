"""Config loading: good files parse, every mistake names the file, the key and the expectation."""

from pathlib import Path

import pytest

from briefgen.config import find_config, load_config
from briefgen.errors import ConfigError

GOOD = """
[brief]
title = "A story"
[[themes]]
id = "money"
title = "Money"
description = "Who pays."
terms = ["budget", "cost"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "briefgen.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_config_has_four_themes():
    """The sample config describes the four sample themes with terms."""
    config = load_config(Path("seeds/briefgen.toml"))
    assert [t.id for t in config.themes] == ["territory", "nato", "europe", "revisions"]
    assert all(t.terms and t.description for t in config.themes)


def test_minimal_config_gets_defaults(tmp_path):
    """Only a title and one theme are required; limits and stem have defaults."""
    config = load_config(write(tmp_path, GOOD))
    assert config.output_stem == "brief"
    assert config.limits.facts_per_theme == 5
    assert config.themes[0].terms == ("budget", "cost")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[brief\ntitle=1", "not valid TOML"),
        ("colour = 'red'\n" + GOOD, "unknown key 'colour'"),
        (GOOD + "colour = 'red'\n", "unknown key 'themes[0].colour'"),
        (GOOD.replace('title = "A story"', "title = 3"), "key 'brief.title': expected a string"),
        ('[brief]\ntitle = "x"\n', "key 'themes': expected at least one"),
        (GOOD.replace('terms = ["budget", "cost"]', "terms = []"), "themes[0].terms"),
        (GOOD.replace('id = "money"', 'id = "Money Talk"'), "themes[0].id"),
        (GOOD + "[limits]\nkey_points = true\n", "key 'limits.key_points': expected an integer"),
        (GOOD.replace("[brief]", "[brief]\npage_size = 'A3'"), "brief.page_size"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path, text, expected):
    """Each config mistake raises ConfigError naming the file and the offending key."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    line = info.value.one_line()
    assert str(path) in line
    assert expected in line
    assert "\n" not in line


def test_missing_config_says_how_to_fix(tmp_path):
    """A folder without briefgen.toml gets an error that names the expected file."""
    with pytest.raises(ConfigError) as info:
        find_config(tmp_path)
    assert "briefgen.toml" in info.value.one_line()
