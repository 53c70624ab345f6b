"""Soak test of `briefgen watch`: a bounded burst of changes, then a check that nothing
was lost.

Starts `briefgen watch` on a fresh folder of a few hundred articles, then makes a few
thousand changes (edits, new files, deletions, editor-style temp-file-and-rename
saves) over a couple of minutes. Afterwards it waits until the last published
edition's manifest lists exactly the folder's final articles with their final
content hashes, checks the watcher never crashed, stops it with SIGTERM and prints
the watcher's resident memory over time (from /proc/PID/status).

    .venv/bin/python scripts/soak_watch.py                      # defaults below
    .venv/bin/python scripts/soak_watch.py --files 300 --changes 3000 --seconds 120

Not part of the test suite: it takes minutes. Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEFGEN = [sys.executable, "-m", "briefgen.cli"]
SUFFIXES = (".txt", ".md")

_SUBJECTS = ["Officials", "The minister", "Negotiators", "Diplomats", "The envoy", "Analysts"]
_VERBS = ["said", "confirmed", "warned", "reported", "told reporters"]
_TOPICS = [
    "the territory talks would continue", "NATO membership was not on the table",
    "European leaders wanted a seat at the table", "the revised plan had fewer points",
    "security guarantees were still being drafted", "the ceasefire line was disputed",
]  # fmt: skip


def article(rng: random.Random, key: int, version: int) -> bytes:
    lines = [f"Talks update {key} revision {version}", ""]
    for s in range(rng.randint(3, 8)):
        lines.append(
            f"{rng.choice(_SUBJECTS)} in district {key} {rng.choice(_VERBS)} that "
            f"{rng.choice(_TOPICS)} on day {version * 10 + s}."
        )
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def tree_rss_kb(pid: int) -> int:
    """RSS of the watcher process. Builds run in it; worker processes that analyse many
    new articles at once (pipeline._analyse_all) live for one build and are not counted."""
    return rss_kb(pid) or 0


def folder_state(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.suffix in SUFFIXES and not p.name.startswith(".")
    }


def manifest_state(out: Path) -> tuple[int, dict[str, str]]:
    try:
        data = json.loads((out / ".briefgen" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0, {}
    return int(data["edition"]), dict(data["inputs"]["articles"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=300, help="articles at the start")
    parser.add_argument("--changes", type=int, default=3000, help="changes in the burst")
    parser.add_argument("--seconds", type=float, default=120, help="length of the burst")
    parser.add_argument("--settle", type=float, default=300, help="max wait for the last edition")
    parser.add_argument("--debounce", type=int, default=300, help="watch --debounce (ms)")
    parser.add_argument("--format", action="append", default=None, help="formats (default json md)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    formats = args.format or ["json", "md"]

    work = Path(tempfile.mkdtemp(prefix="briefgen-soak-"))
    folder, out = work / "articles", work / "out"
    folder.mkdir()
    shutil.copy(ROOT / "seeds" / "briefgen.toml", folder)
    versions: dict[int, int] = {}
    for key in range(args.files):
        versions[key] = 0
        (folder / f"a{key:05d}.txt").write_bytes(article(rng, key, 0))
    next_key = args.files

    command = [*BRIEFGEN, "watch", str(folder), "-o", str(out), "--debounce", str(args.debounce)]
    for fmt in formats:
        command += ["-f", fmt]
    log = open(work / "watch.log", "w")  # noqa: SIM115 - open for the child's lifetime
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    started = time.monotonic()
    samples: list[tuple[float, int]] = []

    def sample() -> None:
        samples.append((time.monotonic() - started, tree_rss_kb(proc.pid)))

    deadline = time.monotonic() + 300
    while manifest_state(out)[0] < 1 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    first_build = time.monotonic() - started
    sample()
    print(f"folder {folder}: {args.files} articles; first edition after {first_build:.1f}s")

    counts = {"edit": 0, "create": 0, "delete": 0, "rename-save": 0}
    interval = args.seconds / max(1, args.changes)
    burst_start = time.monotonic()
    last_sample = burst_start
    for n in range(args.changes):
        op = rng.choices(["edit", "create", "delete", "rename-save"], [6, 2, 1, 2])[0]
        if op in ("delete", "edit", "rename-save") and not versions:
            op = "create"
        if op == "create" or (op == "delete" and len(versions) < args.files // 2):
            key, next_key = next_key, next_key + 1
            versions[key] = 0
            (folder / f"a{key:05d}.txt").write_bytes(article(rng, key, 0))
            op = "create"
        elif op == "delete":
            key = rng.choice(list(versions))
            del versions[key]
            (folder / f"a{key:05d}.txt").unlink()
        else:
            key = rng.choice(list(versions))
            versions[key] += 1
            data = article(rng, key, versions[key])
            target = folder / f"a{key:05d}.txt"
            if op == "edit":
                target.write_bytes(data)
            else:  # how editors save: write a temp file, then rename it over the article
                temp = folder / f".a{key:05d}.txt.swp"
                temp.write_bytes(data)
                os.replace(temp, target)
        counts[op] += 1
        pause = burst_start + (n + 1) * interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        if time.monotonic() - last_sample >= 5:
            sample()
            last_sample = time.monotonic()
        if proc.poll() is not None:
            break
    burst = time.monotonic() - burst_start
    print(f"burst: {sum(counts.values())} changes in {burst:.1f}s ({counts})")

    expected = folder_state(folder)
    settle_start = time.monotonic()
    converged = False
    while time.monotonic() - settle_start < args.settle and proc.poll() is None:
        edition, published = manifest_state(out)
        if published == expected:
            converged = True
            break
        if time.monotonic() - last_sample >= 5:
            sample()
            last_sample = time.monotonic()
        time.sleep(0.5)
    settle = time.monotonic() - settle_start
    sample()
    alive = proc.poll() is None
    edition, published = manifest_state(out)
    missing = sorted(set(expected) - set(published))
    extra = sorted(set(published) - set(expected))
    stale = sorted(k for k in expected if k in published and published[k] != expected[k])
    if alive:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
    else:
        code = proc.returncode
    log.close()
    text = (work / "watch.log").read_text(errors="replace")
    tracebacks = text.count("Traceback")
    errors = [line for line in text.splitlines() if " error[" in line or "build failed" in line]

    print(
        f"last edition: {edition}; {len(published)} articles published, {len(expected)} in folder"
    )
    print(f"converged: {converged} ({settle:.1f}s after the burst); missing {len(missing)}, "
          f"extra {len(extra)}, stale {len(stale)}")  # fmt: skip
    print(f"watcher alive until stopped: {alive}; exit code after SIGTERM: {code}")
    print(f"tracebacks in the log: {tracebacks}; error lines: {len(errors)}")
    for line in errors[:5]:
        print("  ", line)
    print("RSS over time (s, MB):")
    for t, kb in samples:
        print(f"  {t:7.1f}  {kb / 1024:7.1f}")
    peak = max(kb for _t, kb in samples) / 1024
    print(f"RSS: first {samples[0][1] / 1024:.1f} MB, peak {peak:.1f} MB, "
          f"last {samples[-1][1] / 1024:.1f} MB")  # fmt: skip
    ok = converged and alive and code == 0 and tracebacks == 0 and not errors
    print("OK" if ok else "FAILED", f"(log: {work / 'watch.log'})")
    if not args.keep and ok:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
