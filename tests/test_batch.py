"""`briefgen batch`: every story folder under ROOT built into OUTROOT/<story>/ on this
machine's cores; a failed story does not stop the others; exit codes per the README."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from helpers import edition_of, wait_for

from briefgen.batch import BuildOptions, Story, StoryResult, build_story, find_stories
from briefgen.cli import main

CONFIG = """[brief]
title = "{title}"

[[themes]]
id = "water"
title = "Water"
description = "Floods and the river."
terms = ["river", "flood", "water"]

[[themes]]
id = "money"
title = "Money"
description = "Who pays for the repairs."
terms = ["budget", "fund", "repairs"]
"""

ARTICLES = {
    "a.txt": (
        "River floods the old town\n\n"
        "The river Lune rose two metres overnight and flooded forty houses in the old town. "
        "Mayor Ruth Ellis said the council would open the sports hall to families. "
        '"We have never seen the water this high," said Tom Barker, a shop owner.\n'
    ),
    "b.txt": (
        "Council sets aside repair fund\n\n"
        "The council set aside a repair fund of 2 million pounds for the flooded streets. "
        "Mayor Ruth Ellis said the budget would cover the bridge repairs first. "
        "Engineers expect the river to fall by Friday.\n"
    ),
}


def make_story(folder: Path, title: str, *, broken: bool = False, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = "[brief\ntitle = 'unclosed table'\n" if broken else CONFIG.format(title=title)
    (folder / "briefgen.toml").write_text(text + extra, encoding="utf-8")
    for name, body in ARTICLES.items():
        (folder / name).write_text(body.replace("old town", f"old town of {title}"), "utf-8")
    return folder


def three_stories(root: Path) -> Path:
    make_story(root / "alpha", "Alpha")
    make_story(root / "beta", "Beta")
    make_story(root / "broken", "Broken", broken=True)
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def lines(text: str, prefix: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(prefix)]


def test_batch_publishes_each_story_and_names_the_broken_one(tmp_path: Path) -> None:
    root, out = three_stories(tmp_path / "stories"), tmp_path / "out"

    first = run("batch", str(root), "-o", str(out), "-f", "json", "-f", "md")

    assert first.exit_code == 3, first.output  # some stories failed: exit 3, as build's partial
    published = lines(first.stdout, "published")
    assert sorted(line.split()[1] for line in published) == ["alpha:", "beta:"]
    failed = lines(first.stderr, "failed")
    assert len(failed) == 1 and "broken:" in failed[0] and "error[BG-CONFIG]" in failed[0]
    assert "broken/briefgen.toml" in failed[0] and "\n" not in failed[0]
    assert first.stdout.splitlines()[-1].startswith("batch: 2 published, 0 unchanged, 1 failed")
    for story in ("alpha", "beta"):
        assert edition_of(out / story) == 1
        brief = json.loads((out / story / "brief.json").read_text(encoding="utf-8"))
        assert brief["title"] == story.capitalize() and len(brief["sources"]) == 2
    assert not (out / "broken").exists()  # a failed build leaves no folder behind

    second = run("batch", str(root), "-o", str(out), "-f", "json", "-f", "md")
    assert second.exit_code == 3
    assert sorted(line.split()[1] for line in lines(second.stdout, "unchanged")) == [
        "alpha:",
        "beta:",
    ]
    assert "batch: 0 published, 2 unchanged, 1 failed" in second.stdout
    assert edition_of(out / "alpha") == 1

    make_story(root / "broken", "Broken")  # fixed: every story is fine, exit 0
    third = run("batch", str(root), "-o", str(out), "-f", "json", "-f", "md")
    assert third.exit_code == 0, third.output
    assert "batch: 1 published, 2 unchanged, 0 failed" in third.stdout
    assert edition_of(out / "broken") == 1


def test_every_story_failing_exits_with_the_first_ones_code(tmp_path: Path) -> None:
    root = tmp_path / "stories"
    make_story(root / "a-config", "A", broken=True)
    (root / "b-empty").mkdir()
    (root / "b-empty" / "briefgen.toml").write_text(CONFIG.format(title="B"), "utf-8")

    result = run("batch", str(root), "-o", str(tmp_path / "out"), "-f", "json")

    assert result.exit_code == 78, result.output  # a-config's BG-CONFIG, first by name
    failed = lines(result.stderr, "failed")
    assert sorted(line.split()[1] for line in failed) == ["a-config:", "b-empty:"]
    assert any("error[BG-NOINPUT]" in line for line in failed)


def test_a_story_with_a_skipped_article_publishes_and_exits_3(tmp_path: Path) -> None:
    root = tmp_path / "stories"
    make_story(root / "alpha", "Alpha")
    (root / "alpha" / "empty.txt").write_bytes(b"")

    result = run("batch", str(root), "-o", str(tmp_path / "out"), "-f", "json")

    assert result.exit_code == 3
    assert "batch: 1 published, 0 unchanged, 0 failed" in result.stdout
    assert "alpha: warning[BG-EMPTY] empty.txt" in result.stderr


def test_which_folders_are_stories(tmp_path: Path) -> None:
    root = tmp_path / "stories"
    make_story(root / "europe" / "lune", "Lune")  # under a grouping folder
    make_story(root / "solo", "Solo")
    make_story(root / "solo" / "archive", "Archive")  # below a story: the story's own
    make_story(root / ".hidden", "Hidden")
    make_story(root / "out" / "copy", "Copy")  # inside OUTROOT
    (root / "notes").mkdir()  # neither a story nor holding one
    (root / "briefgen.toml").write_text(CONFIG.format(title="Root"), "utf-8")  # ROOT itself

    stories = find_stories(root, root / "out")

    assert [(s.name, s.out_dir) for s in stories] == [
        ("europe/lune", root / "out" / "europe" / "lune"),
        ("solo", root / "out" / "solo"),
    ]
    # OUTROOT may be ROOT itself: each story publishes into its own folder, and its
    # published brief does not hide it on the next run.
    same = run("batch", str(root / "europe"), "-o", str(root / "europe"), "-f", "json")
    assert same.exit_code == 0, same.output
    assert (root / "europe" / "lune" / "brief.json").exists()
    assert [s.name for s in find_stories(root / "europe", root / "europe")] == ["lune"]


def test_nothing_to_build_and_a_missing_root_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    none = run("batch", str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert none.exit_code == 65
    assert none.stderr.startswith("error[BG-NOINPUT]") and "no story folder" in none.stderr
    missing = run("batch", str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert missing.exit_code == 66 and "error[BG-NOSOURCE]" in missing.stderr
    assert not (tmp_path / "out").exists()


def test_bad_scheduler_addresses_are_refused_before_anything_runs(tmp_path: Path) -> None:
    root = three_stories(tmp_path / "stories")
    usage = run("batch", str(root), "-o", str(tmp_path / "out"), "--scheduler", "http://x:1")
    assert usage.exit_code == 2 and "tcp://HOST:PORT" in usage.output
    cluster_toml = tmp_path / "cluster.toml"
    cluster_toml.write_text('[cluster]\nscheduler = "tcp://nowhere"\n', "utf-8")
    config = run("batch", str(root), "-o", str(tmp_path / "out"), "-c", str(cluster_toml))
    assert config.exit_code == 78 and "key 'cluster.scheduler'" in config.stderr
    story = make_story(tmp_path / "one", "One", extra='\n[cluster]\nschedular = "tcp://a:1"\n')
    build = run("build", str(story), "-o", str(tmp_path / "out"))
    assert build.exit_code == 78 and "unknown key 'cluster.schedular'" in build.stderr
    assert not (tmp_path / "out").exists()


def test_story_build_runs_the_analysis_on_one_core_when_told(tmp_path: Path, monkeypatch) -> None:
    """The unit a batch hands to a worker: a build whose articles are analysed serially
    gives the same brief as a normal build."""
    root = tmp_path / "stories"
    make_story(root / "alpha", "Alpha")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764720000")
    options = BuildOptions(formats=("json",))
    one = build_story(Story("alpha", root / "alpha", tmp_path / "one"), options, serial=True)
    two = build_story(Story("alpha", root / "alpha", tmp_path / "two"), options)
    assert one.outcome == two.outcome == "published" and one.exit_code == 0
    assert (tmp_path / "one" / "brief.json").read_bytes() == (
        tmp_path / "two" / "brief.json"
    ).read_bytes()


def _dies_on_alpha(story: Story, options: BuildOptions, serial: bool = False) -> StoryResult:
    if story.name == "alpha":
        os._exit(9)  # as the kernel's out-of-memory killer would end it
    return build_story(story, options, serial)


def test_a_story_that_kills_its_process_fails_alone(tmp_path: Path, monkeypatch) -> None:
    from briefgen import batch

    monkeypatch.setattr(batch, "build_story", _dies_on_alpha)  # the forked workers run it
    root = three_stories(tmp_path / "stories")
    make_story(root / "gamma", "Gamma")

    report = batch.run_batch(find_stories(root, tmp_path / "out"), BuildOptions(("json",)), jobs=2)

    outcomes = {r.name: r.outcome for r in report.results}
    assert outcomes["alpha"] == "failed" and outcomes["broken"] == "failed"
    assert "the process building it died" in report.results[0].message
    assert "error[BG-CONFIG]" in report.results[2].message
    # The others are built, in the pool or again one by one after it broke.
    assert {outcomes["beta"], outcomes["gamma"]} <= {"published", "unchanged"}
    assert edition_of(tmp_path / "out" / "beta") == edition_of(tmp_path / "out" / "gamma") == 1
    assert report.exit_code() == 3


def test_batch_every_repeats_and_stops_on_sigterm(tmp_path: Path) -> None:
    root = three_stories(tmp_path / "stories")
    out = tmp_path / "out"
    log = tmp_path / "log"
    exe = str(Path(sys.executable).with_name("briefgen"))
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [exe, "batch", str(root), "-o", str(out), "-f", "json", "--every", "1s"],
            stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
        try:
            assert wait_for(lambda: log.read_text().count("batch: ") >= 2, 60), log.read_text()
            make_story(root / "gamma", "Gamma")  # a story added between runs is picked up
            assert wait_for(lambda: edition_of(out / "gamma") == 1, 60), log.read_text()
        finally:
            time.sleep(0.2)
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(60)
    text = log.read_text()
    assert code == 0, text
    assert "batch: 2 published, 0 unchanged, 1 failed" in text
    assert "batch: 0 published, 2 unchanged, 1 failed" in text
    assert "published  gamma:" in text and "failed     broken: error[BG-CONFIG]" in text
