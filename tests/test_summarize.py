"""Tests for the multi-document extractive summariser (invented event, invented text)."""

from __future__ import annotations

import sys

import pytest

from briefgen.stages.summarize import (
    _ABSENT,
    UNIGRAM_WEIGHT,
    _concept_matrix,
    _concepts,
    eligible,
    summarize,
)
from briefgen.stages.textstats import STOPWORDS, n_words, stem, words

# Four short reports on an invented event: a footbridge collapse in a fictional town.
DOCS = [
    [
        "The Kestrel footbridge over the river Vell in Dunmarrow collapsed on Tuesday morning, "
        "injuring four cyclists.",
        "Engineers had flagged corrosion in the steel cables of the footbridge last spring.",
        "The town council said it would open an independent inquiry into the collapse.",
        "A bakery on the east bank handed out free bread to rescue workers all afternoon.",
    ],
    [
        "Four cyclists were hurt when the Kestrel footbridge in Dunmarrow collapsed into the "
        "river Vell on Tuesday.",
        '"It just folded like paper," said a witness.',
        "The town council promised an independent inquiry into the collapse of the footbridge.",
        "Corrosion in the steel cables had been reported by engineers last spring.",
    ],
    [
        "Dunmarrow's Kestrel footbridge collapsed on Tuesday, and four cyclists were injured "
        "when it fell into the river Vell.",
        "Divers recovered two bicycles from the riverbed by evening, police said.",
        "The mayor said the town council would fund an independent inquiry into the collapse.",
        "Local schools stayed open.",
    ],
    [
        "The Kestrel footbridge over the river Vell in Dunmarrow collapsed on Tuesday morning, "
        "injuring four cyclists on their way to work.",
        "A retired ferryman said the crossing had been built in 1962 by a shipyard firm that "
        "no longer exists.",
        "Engineers had warned about corrosion in the steel cables of the bridge last spring, "
        "according to council records.",
    ],
]


def _text(key: tuple[int, int]) -> str:
    d, i = key
    return DOCS[d][i]


def _content(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in STOPWORDS}


@pytest.mark.parametrize("budget", [15, 25, 40, 60, 100])
def test_respects_word_budget(budget):
    """The selected sentences never total more words than the budget."""
    picked = summarize(DOCS, budget)
    assert sum(n_words(_text(k)) for k in picked) <= budget


def test_no_near_duplicate_sentences():
    """Restatements of one fact across articles are picked at most once."""
    picked = summarize(DOCS, 200)
    assert len(picked) >= 2
    bags = [_content(_text(k)) for k in picked]
    for a in range(len(bags)):
        for b in range(a + 1, len(bags)):
            jaccard = len(bags[a] & bags[b]) / len(bags[a] | bags[b])
            assert jaccard < 0.5, (_text(picked[a]), _text(picked[b]))


def test_prefers_content_repeated_across_documents():
    """With room for one sentence, it is the collapse that every article reports."""
    picked = summarize(DOCS, 20)
    assert len(picked) == 1
    assert "collapsed" in _text(picked[0])
    assert "cyclists" in _text(picked[0])


def test_single_outlet_details_come_last():
    """Facts only one article mentions are not chosen while shared facts remain."""
    picked = summarize(DOCS, 50)
    texts = " ".join(_text(k) for k in picked)
    assert "bakery" not in texts
    assert "ferryman" not in texts
    assert "inquiry" in texts or "corrosion" in texts.lower()


def test_deterministic():
    """The same input gives the same output, every time."""
    first = summarize(DOCS, 60)
    for _ in range(3):
        assert summarize(DOCS, 60) == first
    assert summarize([list(d) for d in DOCS], 60) == first


def test_empty_input_returns_empty():
    """No documents, empty documents or a zero budget give an empty summary."""
    assert summarize([]) == []
    assert summarize([[], []]) == []
    assert summarize(DOCS, 0) == []


def test_skips_quotes_short_and_long_sentences():
    """Quotation-only, very short (< 8 words) and very long (> 60 words) sentences are skipped."""
    assert not eligible('"It just folded like paper," said a witness.')
    assert not eligible("``It just folded like paper, and then it was gone into the water.''")
    assert not eligible("Local schools stayed open.")
    assert not eligible(" ".join(["word"] * 61))
    assert eligible(DOCS[0][2])
    picked = summarize(DOCS, 500)
    assert (1, 1) not in picked and (2, 3) not in picked


def test_boost_favours_a_sentence():
    """A boosted sentence makes it in where it otherwise would not."""
    key = (2, 1)  # the divers: reported by one article only
    assert key not in summarize(DOCS, 40)
    assert key in summarize(DOCS, 40, boost={key: 5.0})


def test_orders():
    """The same selection comes back in position, document or rank order."""
    by_position = summarize(DOCS, 60)
    by_document = summarize(DOCS, 60, order="document")
    by_rank = summarize(DOCS, 60, order="rank")
    assert sorted(by_position) == sorted(by_document) == sorted(by_rank)
    assert by_document == sorted(by_document)
    assert by_position == sorted(by_position, key=lambda k: (k[1], k[0]))
    with pytest.raises(ValueError):
        summarize(DOCS, 60, order="random")


def test_stem_matches_porter():
    """The stemmer gives Porter's (1980) stems; words of one or two letters are kept."""
    cases = {
        "caresses": "caress", "ponies": "poni", "cats": "cat", "agreed": "agre",
        "hopping": "hop", "filing": "file", "happy": "happi", "relational": "relat",
        "conditional": "condit", "generalization": "gener", "electrical": "electr",
        "adjustment": "adjust", "controlling": "control", "collapsed": "collaps",
    }  # fmt: skip
    for word, expected in cases.items():
        assert stem(word) == expected, word
    # Snowball's Porter alone would strip these to "a" and "u".
    assert [stem("as"), stem("us")] == ["as", "us"]


@pytest.mark.parametrize("budget", [15, 25, 40])
def test_overflow_only_the_last_sentence_runs_past(budget):
    """With overflow, all but the last sentence fit the budget and the budget is filled
    (DOCS tell three facts several outlets share in 42 words, each fact told once)."""
    picked = summarize(DOCS, budget, overflow=True)
    sizes = [n_words(_text(k)) for k in picked]
    assert sum(sizes[:-1]) < budget
    assert sum(sizes) >= budget  # enough eligible text here to fill every budget above
    assert len(set(picked)) == len(picked)


def test_shared_facts_are_told_once_and_details_nobody_shares_add_nothing():
    """Past the three shared facts (collapse, corrosion, inquiry) the summary stops: a
    restatement of one of them, or a detail one outlet alone gives, adds nothing."""
    picked = summarize(DOCS, 100)
    facts = [{"inquiry"}, {"corrosion"}, {"collapsed"}]  # "inquiry into the collapse"
    told = [next(i for i, f in enumerate(facts) if f & set(words(_text(k)))) for k in picked]
    assert sorted(told) == [0, 1, 2]


def test_overflow_tail_comes_last_in_every_order():
    """The cut sentence is the last one whatever the order; the rest are ordered as asked."""
    for order in ("position", "document", "rank"):
        picked = summarize(DOCS, 40, order=order, overflow=True)
        head = picked[:-1]
        assert sum(n_words(_text(k)) for k in head) < 40
        if order == "position":
            assert head == sorted(head, key=lambda k: (k[1], k[0]))
        elif order == "document":
            assert head == sorted(head)


def test_overflow_is_off_by_default():
    """The default budget stays strict (the brief shows whole sentences)."""
    assert summarize(DOCS, 40) == summarize(DOCS, 40, overflow=False)
    assert summarize(DOCS, 0, overflow=True) == []


def test_concepts_bigrams_and_content_words():
    """Bigrams (not both stopwords, not across punctuation or a dash) and content words."""
    got = [c for c, _t in _concepts("The bridge collapsed, injuring four -- of the cyclists.")]
    assert "bridg collaps" in got and "_bridg" in got and "_cyclist" in got
    assert "collaps injur" not in got  # a comma breaks the bigram
    assert "four of" not in got  # ...and so does a free-standing dash
    assert "of the" not in got  # two stopwords
    assert "_the" not in got


def test_concepts_know_where_they_end():
    """A concept's token index says whether it survives cutting the sentence after n words."""
    text = DOCS[3][0]
    full = _concepts(text)
    tokens = text.split()
    for n in range(1, len(tokens) + 1):
        cut = {c for c, _t in _concepts(" ".join(tokens[:n]))}
        assert cut == {c for c, t in full if t < n}


def test_words_need_two_articles_bigrams_half():
    """A content word counts once two articles use it; a bigram needs half of them."""
    filler = "Report {} covers the weather, traffic and markets in the quiet coastal town of Brell today."
    docs = [[filler.format(n)] for n in range(8)]
    docs[0].append("The harbour crane toppled onto a moored trawler near the quay.")
    docs[1].append("A trawler was crushed when the harbour crane toppled over.")
    cands = [(d, 0) for d in range(8)] + [(0, 1), (1, 1)]
    ends, weights = _concept_matrix(docs, cands)
    event = (ends[8:] < _ABSENT).any(axis=0)
    assert event.any()  # "trawler", "harbour", "crane", "toppled": two articles of eight
    assert set(weights[event]) == {2 * UNIGRAM_WEIGHT}  # "harbour crane" (2 < 4) is none


def test_summary_computed_in_the_background_is_the_same(monkeypatch):
    """A summary started on another core (in_background) is the one summarize returns
    for the same arguments; other arguments are computed in place as usual."""
    from briefgen.stages import summarize as module

    expected = summarize(DOCS, 40, order="rank")
    other = summarize(DOCS, 25)
    monkeypatch.setattr(module, "BACKGROUND_MIN", 0)
    with module.in_background(DOCS, 40, order="rank"):
        assert len(module._background) == (1 if sys.platform == "linux" else 0)
        assert summarize(DOCS, 25) == other  # not the one started: computed here
        assert summarize(DOCS, 40, order="rank") == expected
        assert module._background == []  # taken


def test_no_background_summary_without_memory_for_a_copy(monkeypatch):
    """Where the machine has no room for a second copy of the process, nothing is forked
    and the summary is computed in place, the same."""
    from briefgen import limits
    from briefgen.stages import summarize as module

    expected = summarize(DOCS, 40, order="rank")
    monkeypatch.setattr(module, "BACKGROUND_MIN", 0)
    monkeypatch.setattr(limits, "room_for_a_copy", lambda: False)
    with module.in_background(DOCS, 40, order="rank"):
        assert module._background == []
        assert summarize(DOCS, 40, order="rank") == expected


def test_background_summary_worker_leaves_ctrl_c_to_the_parent(monkeypatch, capfd):
    """Ctrl-C reaches every process of the terminal's group: the summary's worker ignores
    it (the build handles it and stops the worker), so no traceback of the worker's
    is printed next to the build's one-line message."""
    import os
    import signal
    import time

    from briefgen.stages import summarize as module

    monkeypatch.setattr(module, "BACKGROUND_MIN", 0)
    monkeypatch.setattr(module, "_summarize", lambda *args, **kwargs: time.sleep(30))
    with module.in_background(DOCS, 40):
        assert len(module._background) == (1 if sys.platform == "linux" else 0)
        processes = [entry[1] for entry in module._background]
        for process in processes:
            time.sleep(0.5)  # at work
            os.kill(process.pid, signal.SIGINT)
            time.sleep(0.5)
            assert process.is_alive()
    assert all(not p.is_alive() for p in processes)  # stopped when the block ended
    assert "Traceback" not in capfd.readouterr().err


def test_unused_background_summary_is_stopped(monkeypatch):
    """Leaving the block without asking for the summary stops its worker."""
    from briefgen.stages import summarize as module

    monkeypatch.setattr(module, "BACKGROUND_MIN", 0)
    with module.in_background(DOCS, 40):
        processes = [entry[1] for entry in module._background]
    assert module._background == []
    assert all(not p.is_alive() for p in processes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A bracket breaks bigrams inside a token and across tokens.
        ("Officials (in Kyiv) said", [("_offici", 0), ("_kyiv", 2), ("in kyiv", 2)]),
        # A token without a word ("&") is passed over: "the of" stays two stop words.
        ("the & of talks", [("_talk", 3), ("of talk", 3)]),
        # A comma inside a token breaks the bigram there, not after it.
        ("peace,talks resumed", [("_peac", 0), ("_talk", 0), ("_resum", 1), ("talk resum", 1)]),
        ("a -- b c", [("_b", 2), ("_c", 3), ("b c", 3)]),
    ],
)
def test_concepts_across_and_inside_tokens(text, expected):
    assert _concepts(text) == expected


def test_concepts_follow_the_active_stop_words(monkeypatch):
    """Concepts are worked out once per token, for the stop words they were made with."""
    from briefgen import lang

    assert ("_the", 0) not in _concepts("the talks")
    monkeypatch.setattr(lang.words, "STOPWORDS", frozenset())
    assert _concepts("the talks") == [("_the", 0), ("_talk", 1), ("the talk", 1)]


# Four outlets on an invented cancellation, each in its own words.
RETOLD = [
    [
        "The mayor of Harwell cancelled the spring lantern festival on Friday because of the "
        "storm warning.",
        "Organisers had sold nine thousand tickets for the lantern parade along the harbour.",
        "Refunds will be paid within thirty days, the festival office said.",
    ],
    [
        "Harwell's spring lantern festival will not go ahead this year, the mayor announced on "
        "Friday, citing the storm.",
        "Stallholders said they had already bought stock for the weekend.",
        "Refunds for the festival tickets will be paid within thirty days.",
    ],
    [
        "Citing a storm warning, the Harwell mayor called off the lantern festival on Friday.",
        "The harbour wall was damaged in a similar storm two winters ago.",
        "Organisers had sold nine thousand tickets, the festival office said.",
    ],
    [
        "The spring lantern festival in Harwell has been cancelled by the mayor over the storm, "
        "officials said on Friday.",
        "A smaller lantern walk may be held in May instead, the mayor said.",
        "Stallholders asked the council for help with their losses.",
    ],
]


@pytest.mark.parametrize("budget", [50, 60, 70])
def test_a_fact_retold_in_other_words_is_summarised_once(budget):
    """Two outlets' "sold nine thousand tickets" share few words with each other beyond
    the story's own, but what they state is the same: the summary tells it once."""
    picked = summarize(RETOLD, budget)
    told = [key for key in picked if "nine thousand tickets" in RETOLD[key[0]][key[1]]]
    assert len(told) == 1, [RETOLD[d][i] for d, i in picked]
