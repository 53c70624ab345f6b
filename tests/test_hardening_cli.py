"""Hardening of the command line and of watch: every input format watched, exit codes a
careless operator meets, printable output, a second Ctrl-C, a quiet watch log."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import edition_of, wait_for

from briefgen.cli import main
from briefgen.stages.readers import READERS
from briefgen.watch import relevant

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
INPUTS = ROOT / "tests" / "fixtures" / "inputs"
BRIEFGEN = [sys.executable, "-m", "briefgen.cli"]
LAST_ARTICLE = "004_242cf01acb44bb19.txt"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def stop(proc: subprocess.Popen, timeout: float = 30) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


# --- item 5: watch follows the one registry of readers ------------------------------------


def test_watch_filter_accepts_every_registered_reader_suffix(tmp_path):
    """Every suffix a reader is registered for (any case) triggers a rebuild, as do the
    config and templates; editors' temp files and the output folder do not."""
    assert len(READERS) >= 9
    for suffix in READERS:
        for name in (f"a{suffix}", f"B{suffix.upper()}"):
            assert relevant(str(tmp_path / name)), name
    for name in ("briefgen.toml", "sources.toml", "brief.html.j2", "print.css", "brief.docx"):
        assert relevant(str(tmp_path / name)), name
    for name in (".a.html.swp", "a.json~", "a.jsonl.part", "a.rss.tmp", "#a.md#", "a.pdf"):
        assert not relevant(str(tmp_path / name)), name
    out = tmp_path / "out"
    out.mkdir()
    assert not relevant(str(out / "brief.html"), out)


def test_ingest_lists_every_registered_suffix(tmp_path):
    """The folder listing and the readers agree, so nothing watched is left unread."""
    from briefgen.stages import ingest

    folder = tmp_path / "all-formats"
    folder.mkdir()
    for suffix in READERS:
        (folder / f"a{suffix}").write_text("x")
    listed = {p.suffix for p in ingest.list_articles(folder)}
    assert listed == set(READERS)


def _article_files() -> dict[str, bytes]:
    """One new article per registered non-.txt suffix, each with different bytes."""
    page = (INPUTS / "saved_page.html").read_bytes()
    feed = (INPUTS / "feed.rss").read_bytes()
    atom = (INPUTS / "atom.xml").read_bytes()
    lines = (INPUTS / "export.jsonl").read_bytes()
    records = [json.loads(line) for line in lines.decode().splitlines() if line.strip()]
    files = {
        "note.md": b"---\ntitle: Harbour dues frozen\noutlet: Quay News\n---\n\n"
        b"The harbour board froze its dues for the winter on Friday, its chair said.\n\n"
        b"Fishing crews had asked for the freeze after the storm closed the pier.\n",
        "page.html": page,
        "page2.htm": page + b"\n<!-- a second copy -->\n",
        "wire.rss": feed,
        "herald.atom": atom,
        "wire.xml": feed + b"\n<!-- a second copy -->\n",
        "export.json": json.dumps({"articles": records}).encode(),
        "export.jsonl": lines,
    }
    assert {Path(n).suffix for n in files} | {".txt"} == set(READERS), "a suffix is missing"
    return files


def test_watch_rebuilds_on_a_real_event_for_every_reader_suffix(tmp_path):
    """A new file of each registered format, written into a watched folder, is followed
    by a rebuild that adds it."""
    folder, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(SEEDS, folder)
    log = tmp_path / "watch.log"
    with open(log, "w") as handle:
        proc = subprocess.Popen(
            [*BRIEFGEN, "watch", str(folder), "-o", str(out), "-f", "json", "--debounce", "100"],
            cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        assert wait_for(lambda: "watching" in log.read_text(), 60), log.read_text()
        time.sleep(0.3)
        for n, (name, data) in enumerate(_article_files().items(), start=2):
            (folder / name).write_bytes(data)
            assert wait_for(lambda n=n: edition_of(out) == n, 30), (name, log.read_text())
            added = read_json(out / "brief.json")["changes"]["sources_added"]
            assert any(p == name or p.startswith(name + "#") for p in added), (name, added)
    finally:
        code = stop(proc)
    assert code == 0, log.read_text()


# --- item 11: exit codes ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "watch", "schedule"])
def test_output_that_is_a_regular_file_is_73_one_line(tmp_path, command):
    """`-o FILE` cannot be created: exit 73 and one line naming it, nothing built."""
    blocker = tmp_path / "brief-out"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    extra = ["--every", "15m"] if command == "schedule" else []
    result = run(command, str(SEEDS), "-o", str(blocker), *extra)
    assert result.exit_code == 73, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-OUTPUT" in lines[0] and "brief-out" in lines[0], lines
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


@pytest.mark.parametrize("command", ["init", "templates"])
def test_init_and_export_into_a_regular_file_is_73(tmp_path, command):
    blocker = tmp_path / "taken"
    blocker.write_text("x", encoding="utf-8")
    args = (
        ["templates", "export", str(blocker)] if command == "templates" else ["init", str(blocker)]
    )
    result = run(*args)
    assert result.exit_code == 73, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-OUTPUT" in lines[0] and "taken" in lines[0], lines


@pytest.mark.parametrize("since", ["99999999d", "1000000w", "9999999999h", "9999-12-31"])
def test_absurd_since_is_a_usage_error(tmp_path, since):
    """A window that overflows the calendar or starts in the future: exit 2, a clear
    line naming --since, nothing built."""
    out = tmp_path / "out"
    for command in ("build", "inspect"):
        args = [command, str(SEEDS), "--since", since]
        result = run(*args, "-o", str(out)) if command == "build" else run(*args)
        assert result.exit_code == 2, (command, result.output)
        assert "--since" in result.stderr and "internal error" not in result.stderr
    assert not out.exists()


def test_since_with_a_timezone_is_accepted(tmp_path):
    result = run("build", str(SEEDS), "-o", str(tmp_path / "o"), "-f", "json",
                 "--since", "2025-12-01T00:00+05:00")  # fmt: skip
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "command", ["build", "inspect", "quotes", "summarize", "watch", "schedule"]
)
def test_source_that_is_a_file_or_missing_is_66(tmp_path, command):
    """A SOURCE_DIR that is a file is reported like a missing one: exit 66, one line;
    schedule says so at once rather than logging it every interval."""
    source = tmp_path / "article.txt"
    source.write_text("Not a folder\n", encoding="utf-8")
    extra = {"build": ["-o", str(tmp_path / "o")], "watch": ["-o", str(tmp_path / "o")],
             "schedule": ["-o", str(tmp_path / "o"), "--every", "1d"]}.get(command, [])  # fmt: skip
    result = run(command, str(source), *extra)
    assert result.exit_code == 66, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-NOSOURCE" in lines[0] and "article.txt" in lines[0], lines
    result = run(command, str(tmp_path / "missing"), *extra)
    assert result.exit_code == 66, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-NOSOURCE" in lines[0] and "missing" in lines[0], lines


def test_config_path_that_is_a_folder_is_78(tmp_path):
    """`-c DIR`: a config error like a missing config (exit 78), not a usage error."""
    folder = tmp_path / "conf"
    folder.mkdir()
    result = run("build", str(SEEDS), "-o", str(tmp_path / "o"), "-c", str(folder))
    assert result.exit_code == 78, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-CONFIG" in lines[0] and "conf" in lines[0], lines
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_templates_folder_missing_or_a_file_is_78(tmp_path, kind):
    """A mistyped --templates folder is an error (exit 78), never silently the built-ins."""
    templates = tmp_path / "my-templates"
    if kind == "file":
        templates.write_text("x", encoding="utf-8")
    result = run("build", str(SEEDS), "-o", str(tmp_path / "o"), "--templates", str(templates))
    assert result.exit_code == 78, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-TEMPLATE" in lines[0] and "my-templates" in lines[0], lines
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("every", ["99999999999999d", "0s", "1ms", "-5m"])
def test_schedule_bad_interval_is_2_before_any_build(tmp_path, every):
    out = tmp_path / "o"
    result = run("schedule", str(SEEDS), "-o", str(out), "-f", "json", "--every", every)
    assert result.exit_code == 2, result.output
    assert "--every" in result.stderr and not out.exists()


@pytest.mark.parametrize("command", ["quotes", "summarize", "inspect"])
def test_empty_folder_is_65_naming_the_formats(tmp_path, command):
    """Nothing to read: exit 65 as build does, one line that names what is looked for."""
    folder = tmp_path / "empty"
    folder.mkdir()
    result = run(command, str(folder))
    assert result.exit_code == 65, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-NOINPUT" in lines[0], lines
    for suffix in READERS:
        assert suffix in lines[0]


def _shell(command: list[str], redirect: str) -> subprocess.CompletedProcess:
    script = 'exec "$@" ' + redirect
    return subprocess.run(["sh", "-c", script, "sh", *command], cwd=ROOT, timeout=120,
                          capture_output=True, text=True)  # fmt: skip


@pytest.mark.parametrize("redirect", [">&-", "2>&-", ">&- 2>&-"])
def test_closed_stdout_or_stderr_is_no_crash(tmp_path, redirect):
    """Run with a standard stream closed: the exit code is the command's own, never 70."""
    out = tmp_path / "o"
    built = _shell([*BRIEFGEN, "build", str(SEEDS), "-o", str(out), "-f", "json"], redirect)
    assert built.returncode == 0 and (out / "brief.json").is_file()
    missing = _shell([*BRIEFGEN, "build", str(tmp_path / "nope"), "-o", str(out)], redirect)
    assert missing.returncode == 66
    for command in ("quotes", "inspect"):
        assert _shell([*BRIEFGEN, command, str(SEEDS)], redirect).returncode == 0


def test_no_color_and_dumb_terminal(tmp_path):
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run([*BRIEFGEN, "build", str(SEEDS), "-o", str(tmp_path / "o"), "-f",
                             "json"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0 and "\x1b" not in result.stdout + result.stderr


# --- item 11: printable output ------------------------------------------------------------

ESC = "\x1b]0;pwned\x07\x1b[31m"


def _hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    (folder / f"evil{ESC}\u202e\nname.txt").write_text(
        f"Ferry {ESC}service\u202e resumes\n\n"
        f"The ferry service resumed on Wednesday, the operator said.\n\n"
        f"“We are back{ESC} on time,” said Ian\u202e Reid, the harbour master.\n",
        encoding="utf-8",
    )
    (folder / "export.json").write_text(
        json.dumps([{"title": f"Pier {ESC}repairs", "outlet": f"Wire{ESC}\u202e",
                     "text": "Engineers began repairing the pier on Thursday, the council said. "
                             "The work will take two weeks, a spokesman said."}]),
        encoding="utf-8",
    )  # fmt: skip
    return folder


def _assert_printable(text: str) -> None:
    for line in text.splitlines():
        bad = [c for c in line if not c.isprintable()]
        assert not bad, (bad, line)


@pytest.mark.parametrize(
    "args", [["inspect"], ["inspect", "--json"], ["quotes"], ["quotes", "--json"], ["summarize"]]
)
def test_terminal_escapes_in_names_titles_and_text_are_escaped(tmp_path, args):
    folder = _hostile_folder(tmp_path)
    result = run(args[0], str(folder), *args[1:])
    assert result.exit_code == 0, result.output
    _assert_printable(result.stdout)
    _assert_printable(result.stderr)
    if args == ["inspect"]:
        assert "evil\\x1b]0;pwned\\x07" in result.stdout and "\\u202e" in result.stdout
        assert "Pier \\x1b" in result.stdout and "Wire\\x1b" in result.stdout
    if args[-1] == "--json":  # still JSON, with the values as they are
        text = result.stdout
        if args[0] == "quotes":
            data = [json.loads(line) for line in text.splitlines()]
        else:
            data = json.loads(text)
        assert any(ESC in value for value in _strings(data))


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []


def test_build_names_written_files_printably(tmp_path):
    out = tmp_path / f"out{ESC}\ndir"
    result = run("build", str(SEEDS), "-o", str(out), "-f", "json")
    assert result.exit_code == 0, result.output
    _assert_printable(result.stdout)
    assert (out / "brief.json").is_file()


# --- item 11: watch: a second Ctrl-C, a quiet log -------------------------------------------


def _holds_lock(pid: int, out: Path) -> bool:
    lock = str((out / ".briefgen" / "lock").resolve())
    try:
        return any(os.readlink(fd) == lock for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def test_second_ctrl_c_stops_watch_mid_rebuild_with_130(tmp_path):
    """Ctrl-C during a rebuild asks watch to stop after it; a second Ctrl-C stops at once
    (exit 130, one BG-INTERRUPTED line) and the last complete edition stays in place."""
    folder, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(SEEDS, folder)
    first = subprocess.run([*BRIEFGEN, "build", str(folder), "-o", str(out), "-f", "json"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "cache" not in p.parts}
    log = tmp_path / "watch.log"
    with open(log, "w") as handle:
        proc = subprocess.Popen(
            [*BRIEFGEN, "watch", str(folder), "-o", str(out), "-f", "json", "--debounce", "100"],
            cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        assert wait_for(lambda: "watching" in log.read_text(), 60), log.read_text()
        time.sleep(0.3)
        sentence = "Officials said the territory question in the talks was still open on day {}. "
        (folder / "slow.txt").write_text(
            "Slow article\n\n" + "".join(sentence.format(i) for i in range(30_000)),
            encoding="utf-8",
        )
        assert wait_for(lambda: _holds_lock(proc.pid, out), 30), "the rebuild never started"
        time.sleep(0.3)
        assert proc.poll() is None, "the rebuild finished before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        code = proc.wait(timeout=20)
        assert time.monotonic() - started < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = log.read_text()
    assert code == 130, text
    assert sum("error[BG-INTERRUPTED]" in line for line in text.splitlines()) == 1, text
    assert "Traceback" not in text
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "cache" not in p.parts}
    assert after == before
    assert edition_of(out) == 1


def test_watch_log_is_one_line_per_rebuild_without_weasyprint_steps(tmp_path):
    """With PDF output the log has no WeasyPrint or fontTools lines: the first build, the
    watching line, one line per rebuild and the stop."""
    folder, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(SEEDS, folder)
    (folder / LAST_ARTICLE).unlink()
    log = tmp_path / "watch.log"
    with open(log, "w") as handle:
        proc = subprocess.Popen(
            [*BRIEFGEN, "watch", str(folder), "-o", str(out), "-f", "pdf", "--debounce", "100"],
            cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        assert wait_for(lambda: "watching" in log.read_text(), 120), log.read_text()
        shutil.copy(SEEDS / LAST_ARTICLE, folder / LAST_ARTICLE)
        assert wait_for(lambda: edition_of(out) == 2, 120), log.read_text()
        assert wait_for(lambda: log.read_text().count("edition 2:") == 1, 10), log.read_text()
    finally:
        code = stop(proc)
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    assert code == 0, lines
    patterns = [r"edition 1: .* \(\d+\.\d+s\)$", r"watching ", r"edition 2: .* \(\d+\.\d+s\) after changes to " + re.escape(
        LAST_ARTICLE) + "$", r"stopping on signal SIGTERM"]  # fmt: skip
    assert len(lines) == len(patterns), lines
    for line, pattern in zip(lines, patterns, strict=True):
        assert re.search(pattern, line), (pattern, line)


def test_repeated_or_capitalised_format_is_the_same_build(tmp_path):
    """`-f md -f JSON -f md` is the formats md and json: no new edition after `-f json -f md`."""
    out = tmp_path / "o"
    assert run("build", str(SEEDS), "-o", str(out), "-f", "json", "-f", "md").exit_code == 0
    again = run("build", str(SEEDS), "-o", str(out), "-f", "md", "-f", "JSON", "-f", "md")
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.stdout and edition_of(out) == 1
    assert sorted(p.name for p in out.glob("brief.*")) == ["brief.json", "brief.md"]


def test_empty_output_path_is_a_usage_error(tmp_path):
    """`-o ""` (an unset variable) is refused, not taken as the current folder."""
    result = CliRunner().invoke(main, ["build", str(SEEDS), "-o", "", "-f", "json"])
    assert result.exit_code == 2 and "empty path" in result.stderr, result.output
