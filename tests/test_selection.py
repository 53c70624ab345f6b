"""Selection behind an interface: strategies by name, used once by assemble; inspect
shows the themes the analysis gave; each article is read once per build."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from briefgen import report
from briefgen.build import run_build
from briefgen.config import Theme, parse_config
from briefgen.pipeline import analyse, build_brief
from briefgen.stages import classify, ingest, selection

CONFIG = parse_config(
    {
        "brief": {"title": "Floods"},
        "themes": [
            {"id": "bridge", "title": "Bridge", "description": "The bridge.", "terms": ["bridge"]},
            {"id": "rain", "title": "Rain", "description": "The weather.", "terms": ["rain"]},
        ],
    },
    "test.toml",
)
ARTICLES = {
    "a.txt": "Bridge closed after floods\n\nThe old bridge over the river was closed on Monday "
    "after the floods damaged two of its pillars. Heavy rain is expected to continue over the "
    "valley until the end of the week, the weather service said on Monday.\n",
    "b.txt": "Rain keeps falling on the valley\n\nHeavy rain fell across the valley for a third "
    "day on Tuesday and more rain is forecast for the weekend. Engineers said the old bridge "
    "over the river would stay closed until every pillar has been checked.\n",
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "briefgen.toml").write_text(
        '[brief]\ntitle = "Floods"\n\n[[themes]]\nid = "bridge"\ntitle = "Bridge"\n'
        'description = "The bridge."\nterms = ["bridge"]\n\n[[themes]]\nid = "rain"\n'
        'title = "Rain"\ndescription = "The weather."\nterms = ["rain"]\n',
        encoding="utf-8",
    )
    return folder


class _EverythingIn:
    """A classifier that files every sentence under one theme."""

    def __init__(self, theme_id: str) -> None:
        self.theme_id = theme_id
        self.fits = 0

    def fit(
        self, themes: Sequence[Theme], sentence_terms: Sequence[Sequence[str]], names: frozenset
    ) -> _EverythingIn:
        self.fits += 1
        return self

    def assign(self, terms: Sequence[str], context: Sequence[str] = ()) -> tuple[str, float]:
        return self.theme_id, 1.0

    def mentions(self, theme_id: str, terms: Sequence[str]) -> bool:
        return theme_id == self.theme_id


def test_a_registered_classifier_is_used_by_name_and_fitted_once(tmp_path, monkeypatch):
    classifier = _EverythingIn("rain")
    monkeypatch.setitem(selection.THEME_CLASSIFIERS, "all-rain", classifier)
    analysis = analyse(_folder(tmp_path))
    from briefgen.stages import assemble

    assembled = assemble.assemble_all(
        CONFIG, analysis.sources, analysis.sentences, analysis.quotes, analysis.speakers,
        "2025-01-01T00:00:00Z", classifier="all-rain",
    )  # fmt: skip
    assert classifier.fits == 1
    assert set(assembled.themes) == {"rain"}
    sections = {t.id: t for t in assembled.brief.themes}
    assert not sections["bridge"].facts  # nothing was filed under it
    default = assemble.assemble_all(
        CONFIG, analysis.sources, analysis.sentences, analysis.quotes, analysis.speakers,
        "2025-01-01T00:00:00Z",
    )  # fmt: skip
    assert "bridge" in default.themes and "rain" in default.themes


def test_a_registered_fact_selector_decides_the_facts(tmp_path, monkeypatch):
    class NoKeyPoints(selection.SalienceMMR):
        def select(self, pool: selection.FactPool) -> selection.FactSelection:
            chosen = super().select(pool)
            return selection.FactSelection([], chosen.by_theme, chosen.groups)

    monkeypatch.setitem(selection.FACT_SELECTORS, "no-key-points", NoKeyPoints())
    analysis = analyse(_folder(tmp_path))
    from briefgen.stages import assemble

    args = (CONFIG, analysis.sources, analysis.sentences, analysis.quotes, analysis.speakers, "x")
    assert assemble.assemble(*args).key_points
    assert assemble.assemble(*args, selector="no-key-points").key_points == []


def test_unknown_strategy_names_are_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="salience-mmr"):
        selection.fact_selector("nope")
    with pytest.raises(ValueError, match="seeded"):
        selection.theme_classifier("nope")


def test_inspect_counts_the_themes_the_build_gave_without_classifying_again(tmp_path, monkeypatch):
    brief, analysis = build_brief(_folder(tmp_path), CONFIG)
    assert analysis.themes is not None and len(analysis.themes) == len(analysis.sentences)

    def no_second_run(*args, **kwargs):
        raise AssertionError("classification ran again")

    monkeypatch.setattr(classify, "build_models", no_second_run)
    monkeypatch.setattr(classify, "assign", no_second_run)
    rows = report.inspect_rows(analysis)
    expected = {s.n: {} for s in analysis.sources}
    for sentence, theme in zip(analysis.sentences, analysis.themes, strict=True):
        if theme:
            expected[sentence.source][theme] = expected[sentence.source].get(theme, 0) + 1
    assert {r["n"]: r["themes"] for r in rows} == expected
    assert any(r["themes"] for r in rows)


def test_each_article_is_read_once_per_build(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    opened: list[str] = []
    real_open = ingest._open

    def counting_open(path, flags, *args):
        opened.append(Path(path).name)
        return real_open(path, flags, *args)

    monkeypatch.setattr(ingest, "_open", counting_open)
    out = tmp_path / "out"
    first = run_build(folder, None, out, ("json",))
    assert first.edition == 1
    assert sorted(opened) == ["a.txt", "b.txt"]
    opened.clear()
    again = run_build(folder, None, out, ("json",))  # the fingerprint still sees no change
    assert again.unchanged and sorted(opened) == ["a.txt", "b.txt"]
    opened.clear()
    (folder / "b.txt").write_text(ARTICLES["b.txt"] + "More rain fell overnight.\n")
    changed = run_build(folder, None, out, ("json",))
    assert changed.edition == 2 and sorted(opened) == ["a.txt", "b.txt"]


def test_a_key_point_never_opens_on_a_word_that_points_back(tmp_path, monkeypatch):
    """The summary may rank "And engineers said ..." first; read alone as a bullet it
    points back to nothing, so the key points pass over it and stay full."""
    folder = _folder(tmp_path)
    (folder / "c.txt").write_text(
        "Repairs to start next week\n\nCrews will start repairing the old bridge next week, "
        "the council said on Wednesday. And engineers said the pillars could be fixed within "
        "a month if the rain stops by the weekend.\n",
        encoding="utf-8",
    )
    analysis = analyse(folder)
    real = selection.summarize

    def dangling_first(documents, **kwargs):
        picks = list(real(documents, **kwargs))
        dangling = [
            (d, i) for d, doc in enumerate(documents) for i, s in enumerate(doc)
            if s.startswith("And ")
        ]  # fmt: skip
        assert dangling  # the corpus holds one
        return dangling + [p for p in picks if p not in dangling]

    monkeypatch.setattr(selection, "summarize", dangling_first)
    from briefgen.stages import assemble

    config = parse_config(
        {"brief": {"title": "Floods"}, "limits": {"key_points": 2},
         "themes": [{"id": "bridge", "title": "Bridge", "description": "B.", "terms": ["bridge"]}]},
        "test.toml",
    )  # fmt: skip
    brief = assemble.assemble(
        config, analysis.sources, analysis.sentences, analysis.quotes, analysis.speakers, "x"
    )
    assert len(brief.key_points) == 2
    assert not any(p.text.startswith("And ") for p in brief.key_points)


def test_words_a_fact_shows_are_not_shown_again_as_a_quote(tmp_path):
    """One outlet reports the mayor's words inside a sentence, another quotes them alone:
    the brief shows them once, and a quote holding an earlier quote is not shown either."""
    folder = _folder(tmp_path)
    (folder / "c.txt").write_text(
        "Mayor sets a date\n\nThe council said on Monday that the mayor had promised the old "
        'bridge "will reopen before the winter storms arrive in the valley" once the pillars '
        "are repaired.\n",
        encoding="utf-8",
    )
    (folder / "d.txt").write_text(
        'Bridge to reopen\n\n"The old bridge will reopen before the winter storms arrive in '
        'the valley," Mayor Ann Reyes said on Tuesday.\n',
        encoding="utf-8",
    )
    brief, _ = build_brief(folder, CONFIG)
    facts = [f.text for f in brief.key_points] + [f.text for s in brief.themes for f in s.facts]
    assert any("winter storms arrive" in text for text in facts)
    quotes = [q.text for s in brief.themes for q in s.quotes]
    assert not any("winter storms arrive" in q for q in quotes), quotes


def test_shown_words_count_runs_of_words_both_ways():
    from briefgen.stages.assemble import ShownWords

    shown = ShownWords(["The council said the bridge will reopen before the winter storms."])
    assert shown.repeats("the bridge will reopen before the winter storms, she said")
    assert not shown.repeats("The ferry will run every hour until the bridge is repaired.")
    shown.add_quote("no delay and no extra cost for the town")
    # A longer quote holding the shorter one shows it again, even with new words around it.
    assert shown.repeats("We promise no delay and no extra cost for the town, and more besides")


def test_a_quote_cites_the_outlets_that_carry_its_words(tmp_path):
    """Three outlets quote the mayor; one words it otherwise ("We've"). The brief cites
    the two that carry the words shown (a comma apart is the same words) at the place
    they do, and not the third."""
    folder = tmp_path / "articles"
    folder.mkdir()
    quotes = {
        "a.txt": "“We have rebuilt the old bridge faster than anyone expected,” Mayor Ann "
        "Reyes said.",
        "b.txt": "The bridge reopened on Monday after two years of repairs. “We have rebuilt "
        "the old bridge, faster than anyone expected,” Reyes said.",
        "c.txt": "“We've rebuilt the old bridge faster than anyone expected,” Reyes said.",
    }
    for name, text in quotes.items():
        (folder / name).write_text(f"Bridge reopens\n\n{text}\n", encoding="utf-8")
    config = parse_config(
        {"brief": {"title": "Bridge"}, "limits": {"key_points": 0},
         "themes": [{"id": "bridge", "title": "Bridge", "description": "B.", "terms": ["bridge"]}]},
        "test.toml",
    )  # fmt: skip
    brief, _ = build_brief(folder, config)
    [item] = [q for s in brief.themes for q in s.quotes if "rebuilt" in q.text]
    by_name = {Path(s.path).name: s for s in brief.sources}
    cited = {c.source: c for c in item.citations}
    assert set(cited) == {by_name["a.txt"].n, by_name["b.txt"].n}
    b = by_name["b.txt"]
    assert b.text[cited[b.n].start : cited[b.n].end] == (
        "We have rebuilt the old bridge, faster than anyone expected"
    )


def test_a_quote_whose_speaker_the_article_describes_comes_before_an_unattributed_one():
    from briefgen.config import Limits
    from briefgen.stages.assemble import QuoteCandidate, _pick_quotes
    from briefgen.stages.features import content_terms, tfidf
    from briefgen.stages.quotes import QuoteSpan

    texts = {
        None: "The harbour tunnel must open before any new bridge is built in the valley",
        "Ann Reyes and Tom Ware": "Every ferry will run on time while the old bridge is rebuilt",
    }
    cands = [
        QuoteCandidate(
            span=QuoteSpan(0, len(text), text, None, role, "said"),
            source=n,
            vector=tfidf(content_terms(text), Counter(content_terms(text)), 1),
            theme="bridge",
            theme_score=1.0,
            speaker=None,
            role=role,
        )
        for n, (role, text) in enumerate(texts.items(), start=1)
    ]
    config = replace(CONFIG, limits=Limits(quotes_per_theme=1))
    [picked] = _pick_quotes(cands, config)
    assert picked.speaker_role == "Ann Reyes and Tom Ware"


def test_a_fact_cut_at_a_semicolon_does_not_end_on_it(tmp_path):
    folder = _folder(tmp_path)
    (folder / "c.txt").write_text(
        "Bridge talks\n\nEngineers said the old bridge over the river has not been inspected "
        "since the floods by Ann Reyes; The council reported that the inspection is planned "
        "for May.\n",
        encoding="utf-8",
    )
    analysis = analyse(folder)
    cut = [s for s in analysis.sentences if s.text.endswith("Reyes;")]
    assert cut, [s.text for s in analysis.sentences]  # the segmenter cut there
    from briefgen.stages import assemble, rank

    cand = rank.Candidate(sentence=cut[0], terms=[], vector={})
    fact = assemble._fact(rank.FactGroup(members=[cand], sources={cut[0].source}))
    assert fact.text.endswith("Ann Reyes") and fact.display is None
    source = {s.n: s for s in analysis.sources}[cut[0].source]
    cited = fact.citations[0]
    assert (folder / source.path).read_text()[cited.start : cited.end] == fact.text


def test_the_quoted_title_of_an_event_is_no_quote_of_the_brief(tmp_path):
    """Quote marks around the name of an event, a book or a show set off a title, not
    words someone said: the brief's sections show no such "quote"."""
    folder = _folder(tmp_path)
    (folder / "c.txt").write_text(
        "Bridge day for children\n\nPupils crossed the river by ferry on Friday.\n\n"
        "In the town hall, Mayor Ann Reyes spoke to pupils of the valley's schools at "
        '"Take Your Daughters and Sons to See the Old Bridge Day" on Friday.\n',
        encoding="utf-8",
    )
    # One fact per theme: the sentence holding the title is not shown as a fact.
    one_fact = replace(CONFIG, limits=replace(CONFIG.limits, key_points=0, facts_per_theme=1))
    brief, analysis = build_brief(folder, one_fact)
    found = [q.text for qs in analysis.quotes.values() for q in qs]
    assert any("Take Your Daughters" in q for q in found)  # `briefgen quotes` lists it
    quotes = [q.text for s in brief.themes for q in s.quotes]
    assert not any("Take Your Daughters" in q for q in quotes), quotes


@pytest.mark.parametrize(
    ("quoted", "title"),
    [
        ("Take Your Daughters and Sons to Work Day", True),
        ("Guardians of the Galaxy,", True),
        ("NO COLLUSION AND NO OBSTRUCTION", False),  # shouted words are said
        ("We Will Win This Race.", False),  # a sentence's closing mark
        ("the bridge will reopen before the winter", False),
    ],
)
def test_names_something(quoted, title):
    from briefgen.stages.structure import names_something

    assert names_something(quoted) is title
