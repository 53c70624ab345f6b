"""Property-based and fuzz tests: ingest, clean, segment and quotes never crash on
arbitrary text, every span reproduces its text, and the brief does not depend on
the order (or names) of the files."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.config import load_config
from briefgen.errors import ArticleError
from briefgen.models import Source
from briefgen.pipeline import analyse, analyse_article, generation_time
from briefgen.stages import assemble, clean, ingest, segment
from briefgen.stages.quotes import find_quotes

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text with what articles are made of and what breaks parsers: quotation marks of every
# kind, apostrophes, sentence ends, newlines, dashes, capitals, plus any Unicode.
_PIECES = st.sampled_from([
    '"', "“", "”", "„", "«", "»", "‘", "’", "'", "``", "''", ".", "!", "?", "...", "…", ",",
    ":", ";", "\n", "\n\n", "\r\n", " ", "\t", "-", "—", "–", "(", ")", "Mr.", "U.S.", "Dec. 2",
    "said", "told", "according to", "Putin", "Zelensky", "the", "He", "She", "The minister",
    "\u202e", "\u2066", "\u200b", "\ufeff", "\x1b", "\x0c", "\u00a0", "2025", "Kyiv", "'s",
])  # fmt: skip
ARTICLE_TEXT = st.lists(
    st.one_of(_PIECES, st.text(max_size=12), st.text(alphabet="abcdefgh XYZ", max_size=20)),
    max_size=80,
).map("".join)


@FAST
@given(st.binary(max_size=400))
def test_read_article_on_any_bytes_returns_a_source_or_an_article_error(raw):
    """Arbitrary bytes never crash ingest: a Source whose spans index its text, or an
    ArticleError with a code."""
    for rel in ("x.txt", "x.md"):
        try:
            source = ingest.read_article(raw, rel)
        except ArticleError as exc:
            assert exc.code.startswith("BG-") and exc.one_line().count("\n") == 0
            continue
        assert source.text == raw.decode("utf-8-sig")
        assert 0 <= source.body_start <= len(source.text)
        if source.title_span:
            start, end = source.title_span
            assert source.text[start:end] == source.title


@FAST
@given(ARTICLE_TEXT)
def test_every_stage_on_any_text_keeps_offsets_exact(text):
    """Ingest, clean, segment and quotes on arbitrary text: no crash, and every block,
    sentence and quote is exactly the text at its offsets."""
    raw = text.encode("utf-8")
    try:
        articles = analyse_article(raw, "a.txt")
    except ArticleError:
        return
    for article in articles:
        source = article.source
        for block in source.body:
            assert 0 <= block.start <= block.end <= len(source.text)
        for removed in source.removed:
            assert 0 <= removed.start <= removed.end <= len(source.text)
        for sentence in article.sentences:
            assert source.text[sentence.start : sentence.end] == sentence.text
            assert sentence.text.strip()
        for quote in article.quotes:
            assert source.text[quote.start : quote.end] == quote.text


@FAST
@given(ARTICLE_TEXT)
def test_sentence_spans_are_ordered_in_bounds_and_non_empty(text):
    """syntok plus quote joining: spans in order, inside the text, never overlapping."""
    spans = segment.sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        previous_end = end


@FAST
@given(ARTICLE_TEXT, st.booleans())
def test_find_quotes_spans_reproduce_their_text(text, with_blocks):
    """Quotes found in arbitrary text (with or without paragraph blocks) are verbatim
    spans, quoted words without the marks."""
    blocks = None
    if with_blocks:
        source = Source(id="x", path="a.txt", text=text)
        source = clean.clean(source)
        blocks = [(b.start, b.end) for b in source.body]
    for quote in find_quotes(text, blocks):
        assert 0 <= quote.start <= quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_decode_accepts_exactly_clean_utf8_text(text):
    """Any text with no NUL that is not blank and not mostly control characters decodes
    to itself; the rest is refused with a code, never a crash."""
    raw = text.encode("utf-8")
    try:
        assert ingest.decode(raw, "a.txt") == text.removeprefix("\ufeff")
    except ArticleError as exc:
        assert exc.code in {"BG-EMPTY", "BG-BINARY", "BG-ENCODING"}
        assert exc.code != "BG-EMPTY" or not text.removeprefix("\ufeff").strip()


def _facts(folder: Path) -> tuple[set, set, list]:
    """What a brief says, independent of source numbers: fact and quote texts."""
    config = load_config(folder / "briefgen.toml")
    analysis = analyse(folder)
    brief = assemble.assemble(
        config, analysis.sources, analysis.sentences, analysis.quotes, analysis.speakers,
        generation_time(),
    )  # fmt: skip
    facts = {f.text for f in brief.key_points} | {
        f.text for t in brief.themes for f in t.facts
    }  # fmt: skip
    quotes = {q.text for t in brief.themes for q in t.quotes}
    per_fact_sources = sorted(
        (f.text, sorted(brief.sources[c.source - 1].id for c in f.citations))
        for t in brief.themes
        for f in t.facts
    )
    return facts, quotes, per_fact_sources


_BASELINE: dict[str, tuple] = {}


@settings(max_examples=5, deadline=None)
@given(st.randoms(use_true_random=False))
def test_brief_does_not_depend_on_file_order_or_names(rng: random.Random):
    """The seed articles under shuffled names (so in another order) give the same facts,
    quotes and citing sources."""
    if "seeds" not in _BASELINE:
        _BASELINE["seeds"] = _facts(SEEDS)
    articles = sorted(SEEDS.glob("*.txt"))
    names = [f"{i:03d}_{rng.randrange(10**6)}.txt" for i in range(len(articles))]
    rng.shuffle(names)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(SEEDS / "briefgen.toml", folder)
        for article, name in zip(articles, names, strict=True):
            shutil.copy(article, folder / name)
        assert _facts(folder) == _BASELINE["seeds"]
