"""Work done once and reused (issue 15): per-article terms and name counts from the
per-article stage and the cache, the brief's features in what's new, discrepancies on a
second core. Each must give exactly what computing it afresh gives."""

from __future__ import annotations

import json
from pathlib import Path

from briefgen import pipeline, whatsnew
from briefgen.cache import ArticleCache
from briefgen.config import parse_config
from briefgen.stages import assemble, discrepancies, rank, sourcing
from briefgen.stages.features import (
    content_terms,
    document_frequencies,
    name_counts,
    name_terms,
    names_from_counts,
    tfidf,
    tfidf_all,
)

CONFIG = parse_config(
    {
        "brief": {"title": "Bridge"},
        "themes": [
            {"id": "works", "title": "Works", "description": "Repairs.", "terms": ["bridge"]}
        ],
    },
    "test.toml",
)

ARTICLES = [
    "Bridge news today\n\nThe river bridge reopened to traffic on 4 March after repairs by "
    "engineers from Halden Works. Mayor Ada Brun said the Halden crews had worked at night.\n",
    "Other bridge story\n\nEngineers reopened the river bridge to traffic on 5 March after "
    "repairs. The Halden Works crews finished two weeks late, the council said.\n",
    "Bridge talks\n\nThe mayor met the engineers about the bridge for three hours on Monday. "
    "Ada Brun asked the council for 40 more buses while the bridge was shut.\n",
    "Bridge meeting\n\nOn Monday the mayor met the engineers about the bridge for five hours. "
    "The council agreed to pay for 40 more buses, Brun said.\n",
]


def _folder(tmp_path: Path, articles: list[str]) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(articles):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    return folder


def test_names_counted_per_article_add_up_to_the_corpus_names():
    """Summing each article's counts decides names exactly as counting all texts at once."""
    texts = [s for a in ARTICLES for s in a.split(". ")]
    per_article = [name_counts(a.split(". ")) for a in ARTICLES]
    assert names_from_counts(per_article) == name_terms(texts)
    assert {"halden", "brun"} <= name_terms(texts)


def test_analysis_carries_each_sentences_terms_and_the_names_fresh_and_cached(tmp_path):
    """Terms and names come with the analysis, from the cache too, equal to computing them."""
    folder = _folder(tmp_path, ARTICLES)
    cache = ArticleCache(tmp_path / "cache")
    fresh = pipeline.analyse(folder, cache)
    cached = pipeline.analyse(folder, cache)
    assert cache.hits == len(ARTICLES)
    for analysis in (fresh, cached):
        assert analysis.terms == [content_terms(s.text) for s in analysis.sentences]
        assert analysis.names == name_terms(s.text for s in analysis.sentences)


def test_discrepancies_found_on_a_second_core_are_the_ones_found_here(monkeypatch, tmp_path):
    analysis = pipeline.analyse(_folder(tmp_path, ARTICLES))
    cands = assemble.sentence_features(analysis.sentences).cands
    pairs = rank.similar_pairs(cands)
    here = discrepancies.find(cands, pairs)
    assert {d.kind for d in here} >= {"date", "duration"}
    monkeypatch.setattr(discrepancies, "BACKGROUND_MIN", 1)
    pending = discrepancies.in_background(cands, pairs)
    assert pending._process is not None  # a worker was started (Linux, two cores or more)
    assert pending.result() == here
    # No memory for a second copy of this process: nothing is forked, the same result.
    from briefgen import limits

    monkeypatch.setattr(limits, "room_for_a_copy", lambda: False)
    pending = discrepancies.in_background(cands, pairs)
    assert pending._process is None
    assert pending.result() == here


def test_discrepancies_worker_leaves_ctrl_c_to_the_parent(monkeypatch, capfd, tmp_path):
    """The discrepancies' worker ignores Ctrl-C, which the build handles; stopped, it
    ends quietly, with no traceback."""
    import os
    import signal
    import sys
    import time

    analysis = pipeline.analyse(_folder(tmp_path, ARTICLES))
    cands = assemble.sentence_features(analysis.sentences).cands
    monkeypatch.setattr(discrepancies, "BACKGROUND_MIN", 1)
    monkeypatch.setattr(discrepancies, "find", lambda *args: time.sleep(30))
    pending = discrepancies.in_background(cands, [])
    process = pending._process
    assert (process is not None) == (sys.platform == "linux")
    if process is not None:
        time.sleep(0.5)  # at work
        os.kill(process.pid, signal.SIGINT)
        time.sleep(0.5)
        assert process.is_alive()
        discrepancies._stop(process, pending._receive)
        assert not process.is_alive()
    assert "Traceback" not in capfd.readouterr().err


def _proc(tmp_path, resident_pages: int, available_kb: int | None):
    proc = tmp_path / "proc"
    (proc / "self").mkdir(parents=True, exist_ok=True)
    (proc / "self" / "statm").write_text(f"900000 {resident_pages} 100 1 0 500 0\n")
    lines = ["MemTotal:       24000000 kB", "MemFree:        1000 kB"]
    if available_kb is not None:
        lines.append(f"MemAvailable:   {available_kb} kB")
    (proc / "meminfo").write_text("\n".join(lines) + "\n")
    return proc


def test_a_worker_is_forked_only_with_memory_for_a_copy_of_the_process(tmp_path):
    """The kernel's available memory and the memory cgroup's room left (v2 or v1) are
    weighed against this process's resident size; anything unreadable says no."""
    import os

    from briefgen.limits import room_for_a_copy

    pages, page = 250_000, os.sysconf("SC_PAGE_SIZE")  # about 1 GB with 4 KB pages
    proc = _proc(tmp_path, pages, available_kb=pages * page // 1024 * 4)
    no_cgroup = tmp_path / "no-cgroup"
    assert room_for_a_copy(proc, no_cgroup)
    proc = _proc(tmp_path, pages, available_kb=pages * page // 1024 // 2)
    assert not room_for_a_copy(proc, no_cgroup)  # half a copy's worth available
    proc = _proc(tmp_path, pages, available_kb=None)
    assert not room_for_a_copy(proc, no_cgroup)  # no MemAvailable line: say no
    assert not room_for_a_copy(tmp_path / "nowhere", no_cgroup)

    proc = _proc(tmp_path, pages, available_kb=pages * page // 1024 * 4)
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "memory.max").write_text(f"{pages * page * 3}\n")
    (v2 / "memory.current").write_text(f"{pages * page * 5 // 2}\n")
    assert not room_for_a_copy(proc, v2)  # the container has half a copy left
    (v2 / "memory.max").write_text("max\n")
    assert room_for_a_copy(proc, v2)  # no limit
    v1 = tmp_path / "v1"
    (v1 / "memory").mkdir(parents=True)
    (v1 / "memory" / "memory.limit_in_bytes").write_text(f"{pages * page * 3}\n")
    (v1 / "memory" / "memory.usage_in_bytes").write_text(f"{pages * page}\n")
    assert room_for_a_copy(proc, v1)  # two copies' worth left
    (v1 / "memory" / "memory.usage_in_bytes").write_text(f"{pages * page * 5 // 2}\n")
    assert not room_for_a_copy(proc, v1)


def test_whats_new_from_the_briefs_features_is_what_it_computes_itself(tmp_path):
    """The brief's features handed to what's new change nothing in what it finds."""
    first = pipeline.analyse(_folder(tmp_path / "a", ARTICLES[:2]))
    last_brief = assemble.assemble(
        CONFIG, first.sources, first.sentences, first.quotes, first.speakers, "2025-01-01T00:00Z"
    )
    last = whatsnew.record_of(last_brief, first.sentences)
    analysis = pipeline.analyse(_folder(tmp_path / "b", ARTICLES))
    changes = []
    for reuse in (False, True):
        assembled = assemble.assemble_all(
            CONFIG, analysis.sources, analysis.sentences, analysis.quotes, analysis.speakers,
            "2025-01-02T00:00Z", terms=analysis.terms, names=analysis.names,
        )  # fmt: skip
        features = assembled.features if reuse else None
        whatsnew.mark(assembled.brief, analysis.sentences, last, analysis.quotes, features)
        changes.append(assembled.brief.changes)
    assert changes[0] is not None and changes[0].article_facts
    assert changes[0] == changes[1]


def test_corpus_tfidf_is_each_sentences_tfidf_bit_for_bit():
    """tfidf_all (idf once per term) gives exactly the vectors of tfidf one by one."""
    docs = [content_terms(s) for a in ARTICLES for s in a.split(". ")]
    df, n = document_frequencies(docs)
    names = name_terms(s for a in ARTICLES for s in a.split(". "))
    assert tfidf_all(docs, df, n, names) == [tfidf(d, df, n, names) for d in docs]
    assert [list(v) for v in tfidf_all(docs, df, n)] == [list(tfidf(d, df, n)) for d in docs]


def test_syndication_from_the_workers_sketches_is_what_it_finds_itself(tmp_path):
    """A wire copy is found from the sketches made with the analysis; a sketch that does
    not match its text (stale) is made again rather than trusted."""
    wire = ARTICLES[0].split("\n\n", 1)[1]
    analysis = pipeline.analyse(_folder(tmp_path, [*ARTICLES, "Copy\n\n" + wire]))
    articles = [a for a in analysis.sources]
    known = [sourcing.sketch_of(s) for s in articles]
    fresh = sourcing.mark_syndication(articles)
    assert [s.syndicated_from for s in fresh] == [None, None, None, None, 1]
    assert sourcing.mark_syndication(articles, known) == fresh
    stale = [(crc + 1, []) for crc, _ in known]
    assert sourcing.mark_syndication(articles, stale) == fresh


def _many(n: int) -> list[str]:
    """``n`` short articles of our own, enough for the worker pool (PARALLEL_MIN)."""
    return [
        f"Bridge notes {i}\n\nThe river bridge crews worked on pillar {i} for {i + 2} hours on "
        f"Monday. Mayor Ada Brun said the council would pay for {i + 10} more buses.\n"
        for i in range(n)
    ]


def test_workers_fill_the_cache_and_a_change_redoes_one_article(tmp_path):
    """Past PARALLEL_MIN articles the workers analyse and cache them; the next build reads
    the cache for all but the changed article, and builds the same brief as afresh."""
    from briefgen.build import run_build

    n = pipeline.PARALLEL_MIN + 4
    folder = _folder(tmp_path, _many(n))
    (folder / "briefgen.toml").write_text(
        '[brief]\ntitle = "Bridge"\n\n[[themes]]\nid = "works"\ntitle = "Works"\n'
        'description = "Repairs."\nterms = ["bridge"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    first = run_build(folder, None, out, ("json",))
    assert (first.cache_hits, first.cache_misses) == (0, n)
    assert len(list((out / ".briefgen" / "cache").glob("*.json"))) == n
    changed = folder / "3.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "Repairs end in May.\n")
    second = run_build(folder, None, out, ("json",))
    assert (second.cache_hits, second.cache_misses) == (n - 1, 1)
    fresh = run_build(folder, None, tmp_path / "fresh", ("json",))
    assert (fresh.cache_hits, fresh.cache_misses) == (0, n)
    keep = ("key_points", "themes")
    cached_brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    fresh_brief = json.loads((tmp_path / "fresh" / "brief.json").read_text("utf-8"))
    assert {k: cached_brief[k] for k in keep} == {k: fresh_brief[k] for k in keep}


def test_a_cache_the_workers_cannot_write_only_costs_speed(tmp_path):
    """A file where the cache folder should be: the workers' writes fail quietly and the
    brief is still published."""
    from briefgen.build import run_build

    folder = _folder(tmp_path, _many(pipeline.PARALLEL_MIN + 2))
    (folder / "briefgen.toml").write_text(
        '[brief]\ntitle = "Bridge"\n\n[[themes]]\nid = "works"\ntitle = "Works"\n'
        'description = "Repairs."\nterms = ["bridge"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    (out / ".briefgen").mkdir(parents=True)
    (out / ".briefgen" / "cache").write_text("not a folder", encoding="utf-8")
    report = run_build(folder, None, out, ("json",))
    assert report.edition == 1 and (out / "brief.json").is_file()
    assert (out / ".briefgen" / "cache").read_text(encoding="utf-8") == "not a folder"


def test_a_build_stopped_mid_analysis_leaves_no_worker_running(tmp_path):
    """Ctrl-C (or any error) while the workers analyse: they are stopped at once, not
    waited for, and none is left behind (one blocked on a result nobody read kept a
    build from exiting)."""
    import multiprocessing
    import time

    # Long enough that finishing the queue would take seconds (400 x 20 paragraphs).
    folder = _folder(tmp_path, [text + text.split("\n\n", 1)[1] * 19 for text in _many(400)])
    pending = [
        (k, path.read_bytes(), path.name) for k, path in enumerate(sorted(folder.glob("*.txt")))
    ]
    analysed = pipeline._analyse_all(pending, cache_folder=None)
    next(analysed)  # the pool is running
    assert multiprocessing.active_children()
    analysed.close()  # what Ctrl-C does to the loop reading the results
    deadline = time.monotonic() + 1.5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children()


def test_an_article_with_warnings_is_not_cached_so_it_warns_on_every_build(tmp_path):
    """A date that is no date is a note, not a rejection; the analysis that carries it is
    never cached, so the next build reads the file again and shows the note again."""
    raw = b"---\ntitle: Bridge\npublished: 2025-02-30\n---\nThe river bridge reopened today.\n"
    found = pipeline.analyse_article(raw, "a.md")
    assert found[0].warnings  # BG-DATE
    cache = ArticleCache(tmp_path / "cache")
    (tmp_path / "cache").mkdir()
    cache.put(raw, found)
    assert cache.get(raw, "a.md") is None
    clean_raw = b"Bridge\n\nThe river bridge reopened today after repairs.\n"
    cache.put(clean_raw, pipeline.analyse_article(clean_raw, "b.txt"))
    assert cache.get(clean_raw, "b.txt") is not None
