"""Editions: manifest, no-op rebuilds, cache, what's new, lock, atomic publish, watch."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from helpers import edition_of, wait_for

from briefgen import editions
from briefgen.build import run_build
from briefgen.errors import BusyError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BRIEFGEN = [sys.executable, "-m", "briefgen.cli"]
LAST_ARTICLE = "004_242cf01acb44bb19.txt"


def folder_without_last(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    (folder / LAST_ARTICLE).unlink()
    return folder


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_first_then_second_edition_says_what_is_new(tmp_path):
    """Edition 1 says it is the first; adding an article makes edition 2 list what is new."""
    folder, out = folder_without_last(tmp_path), tmp_path / "out"
    first = run_build(folder, None, out, ("json", "md"))
    assert first.edition == 1
    data = read_json(out / "brief.json")
    assert data["edition"] == 1 and data["changes"]["first"] is True
    shutil.copy(SEEDS / LAST_ARTICLE, folder / LAST_ARTICLE)
    second = run_build(folder, None, out, ("json", "md"))
    assert second.edition == 2
    data = read_json(out / "brief.json")
    changes = data["changes"]
    assert changes["first"] is False and changes["previous_edition"] == 1
    assert changes["sources_added"] == [LAST_ARTICLE]
    new_items = changes["new_facts"] + changes["new_quotes"]
    assert new_items, "the added article brings something new"
    added_n = next(s["n"] for s in data["sources"] if s["path"] == LAST_ARTICLE)
    for item in new_items:  # every new item is cited to the new article
        assert added_n in {c["source"] for c in item["citations"]}
    marked = [f for t in data["themes"] for f in t["facts"] + t["quotes"] if f["new"]]
    marked += [f for f in data["key_points"] if f["new"]]
    assert {m["text"] for m in marked} == {i["text"] for i in new_items}
    assert "New since the last edition" in (out / "brief.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (out / "editions").iterdir()) == ["0001", "0002"]


def test_removed_article_facts_are_no_longer_reported(tmp_path):
    """Removing an article lists it as removed and its shown facts as no longer reported."""
    folder, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(SEEDS, folder)
    run_build(folder, None, out, ("json",))
    (folder / LAST_ARTICLE).unlink()
    run_build(folder, None, out, ("json",))
    changes = read_json(out / "brief.json")["changes"]
    assert changes["sources_removed"] == [LAST_ARTICLE]
    assert changes["dropped_facts"]


def test_nothing_changed_writes_nothing(tmp_path):
    """A second build of unchanged inputs reports it and touches no file."""
    out = tmp_path / "out"
    run_build(SEEDS, None, out, ("json",))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    report = run_build(SEEDS, None, out, ("json",))
    assert report.unchanged and report.edition == 1 and not report.written
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_force_and_config_change_rebuild(tmp_path):
    """--force rebuilds unchanged inputs; a config change is a change."""
    folder, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(SEEDS, folder)
    run_build(folder, None, out, ("json",))
    assert run_build(folder, None, out, ("json",), force=True).edition == 2
    config = folder / "briefgen.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("key_points = 5", "key_points = 4")
    )
    assert run_build(folder, None, out, ("json",)).edition == 3
    assert len(read_json(out / "brief.json")["key_points"]) <= 4


def test_cache_redoes_only_changed_articles(tmp_path):
    """After one article changes, only that one is analysed again."""
    folder, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(SEEDS, folder)
    first = run_build(folder, None, out, ("json",))
    assert (first.cache_hits, first.cache_misses) == (0, 5)
    article = folder / LAST_ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\nA new closing line was added.\n")
    second = run_build(folder, None, out, ("json",))
    assert (second.cache_hits, second.cache_misses) == (4, 1)


def test_corrupt_cache_entry_is_recomputed(tmp_path):
    """A damaged cache file is ignored, never trusted."""
    out = tmp_path / "out"
    run_build(SEEDS, None, out, ("json",))
    good = read_json(out / "brief.json")
    for entry in (out / ".briefgen" / "cache").glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    report = run_build(SEEDS, None, out, ("json",), force=True)
    assert report.cache_misses == 5
    again = read_json(out / "brief.json")
    assert again["key_points"] == good["key_points"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda row: row.__setitem__(2, 10**9),  # a sentence running past its source
        lambda row: row.__setitem__(1, -5),  # one starting before it
        lambda row: row.pop(),  # a row one field short
        lambda row: row.__setitem__(5, [["person", 0]]),  # an entity cut short
    ],
)
def test_a_cache_entry_of_valid_json_but_wrong_rows_is_recomputed(tmp_path, damage):
    """Sentences are kept as rows of offsets into the source text: a row that does not fit
    its source is a damaged entry, recomputed, and the brief is the same."""
    out = tmp_path / "out"
    run_build(SEEDS, None, out, ("json",))
    good = read_json(out / "brief.json")
    for entry in (out / ".briefgen" / "cache").glob("*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        damage(data["articles"][0]["sentences"][0])
        entry.write_text(json.dumps(data), encoding="utf-8")
    report = run_build(SEEDS, None, out, ("json",), force=True)
    assert (report.cache_hits, report.cache_misses) == (0, 5)
    assert read_json(out / "brief.json")["key_points"] == good["key_points"]


def test_keep_limits_archived_editions(tmp_path):
    """Only the newest `keep` editions stay under editions/."""
    folder, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(SEEDS, folder)
    config = folder / "briefgen.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[editions]\nkeep = 2\n")
    for _ in range(4):
        run_build(folder, None, out, ("json",), force=True)
    assert sorted(p.name for p in (out / "editions").iterdir()) == ["0003", "0004"]


def test_second_build_is_refused_while_lock_is_held(tmp_path):
    """While a build holds the lock, another exits 75 at once; --wait waits its turn."""
    out = tmp_path / "out"
    with editions.run_lock(out):
        started = time.monotonic()
        busy = subprocess.run(
            [*BRIEFGEN, "build", str(SEEDS), "-o", str(out), "-f", "json"],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
        assert busy.returncode == 75, busy.stderr
        assert "BG-BUSY" in busy.stderr and time.monotonic() - started < 10
        waiting = subprocess.Popen(
            [*BRIEFGEN, "build", str(SEEDS), "-o", str(out), "-f", "json", "--wait"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        time.sleep(1.5)
        assert waiting.poll() is None, "a --wait build must wait while the lock is held"
    assert waiting.wait(timeout=60) == 0
    assert (out / "brief.json").is_file()


def test_lock_in_process_raises_busy(tmp_path):
    """The lock is exclusive even within one process (two open file descriptions)."""
    with editions.run_lock(tmp_path), pytest.raises(BusyError):  # noqa: SIM117
        with editions.run_lock(tmp_path):
            pass


def test_two_concurrent_builds_one_publishes_one_is_busy(tmp_path):
    """Two builds started together: each either publishes or exits busy, never both half."""
    out = tmp_path / "out"
    cmd = [*BRIEFGEN, "build", str(SEEDS), "-o", str(out)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE) for _ in range(2)]
    codes = sorted(p.wait(timeout=120) for p in procs)
    assert codes in ([0, 75], [0, 0])
    assert_complete_edition(out)


def assert_complete_edition(out: Path) -> None:
    """Every latest file opens: the JSON parses, the PDF reads, the DOCX is a valid zip."""
    from pypdf import PdfReader

    data = read_json(out / "brief.json")
    assert data["themes"]
    assert len(PdfReader(out / "brief.pdf").pages) >= 1
    with zipfile.ZipFile(out / "brief.docx") as docx:
        assert docx.testzip() is None
    assert (out / "brief.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_killed_build_leaves_previous_edition_intact(tmp_path):
    """kill -9 at many moments of a rebuild never leaves a broken or half-written file."""
    out = tmp_path / "out"
    subprocess.run([*BRIEFGEN, "build", str(SEEDS), "-o", str(out)], cwd=ROOT, check=True)
    for delay in [0.2, 0.5, 0.8, 1.0, 1.2, 1.4, 1.6, 1.9, 2.3]:
        proc = subprocess.Popen(
            [*BRIEFGEN, "build", str(SEEDS), "-o", str(out), "--force"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert_complete_edition(out)
        leftovers = [p.name for p in out.rglob("*.tmp")]
        # a killed run may leave its own temp file; it is never one of the brief files
        assert all(name.startswith(".") for name in leftovers)
    manifest = editions.load_manifest(out)
    assert manifest is not None and manifest.edition >= 1


def test_watch_rebuilds_on_real_file_events_and_stops_on_sigterm(tmp_path):
    """watch builds once, rebuilds after an editor-style save (temp file, rename), stops on SIGTERM."""
    folder, out = folder_without_last(tmp_path), tmp_path / "out"
    proc = subprocess.Popen(
        [*BRIEFGEN, "watch", str(folder), "-o", str(out), "-f", "json", "--debounce", "200"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert wait_for(lambda: edition_of(out) == 1, 60), "first build"
        time.sleep(0.5)  # let the watcher start
        # An editor's save: write a temp file (ignored), then rename it into place.
        temp = folder / ".new-article.txt.swp"
        temp.write_bytes((SEEDS / LAST_ARTICLE).read_bytes())
        os.replace(temp, folder / LAST_ARTICLE)
        assert wait_for(lambda: edition_of(out) == 2, 30), "rebuild after the change"
        changes = read_json(out / "brief.json")["changes"]
        assert changes["sources_added"] == [LAST_ARTICLE]
        # A broken config is logged and survived; fixing it builds again.
        config = folder / "briefgen.toml"
        good = config.read_text(encoding="utf-8")
        config.write_text("[brief\n", encoding="utf-8")
        time.sleep(1.5)
        assert proc.poll() is None, "watch survives a broken config"
        config.write_text(good.replace("key_points = 5", "key_points = 3"), encoding="utf-8")
        assert wait_for(lambda: edition_of(out) == 3, 30), "rebuild after the fix"
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    log = proc.stdout.read()
    assert code == 0, log
    assert "BG-CONFIG" in log


def test_manifest_fingerprint_tracks_every_input(tmp_path):
    """The fingerprint changes with an article, the config, a template, the formats."""
    config = tmp_path / "briefgen.toml"
    config.write_text("x", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "brief.md.j2").write_text("a", encoding="utf-8")

    def fp(articles=(("a.txt", b"1"),), formats=("json",)):
        return editions.fingerprint(articles, [config], [templates], formats, "brief").as_dict()

    base = fp()
    assert fp(articles=(("a.txt", b"2"),)) != base
    assert fp(formats=("json", "pdf")) != base
    config.write_text("y", encoding="utf-8")
    assert fp() != base
    config.write_text("x", encoding="utf-8")
    (templates / "brief.md.j2").write_text("b", encoding="utf-8")
    assert fp() != base
    (templates / "brief.md.j2").write_text("a", encoding="utf-8")
    assert fp() == base
