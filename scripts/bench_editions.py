"""Benchmark incremental builds: no-op and one-article rebuilds against a full build.

    .venv/bin/python scripts/bench_editions.py [--articles 500] [--formats json ...]

Makes a folder of synthetic articles (scripts/make_corpus.py), then times whole
``briefgen build`` processes (interpreter start-up included) in one run:

1. a full build into an empty output folder (no cache),
2. a rebuild with nothing changed (must write nothing),
3. a rebuild after one article among them changed,
4. a forced full rebuild without the cache, for the same comparison in the same run.

Prints wall time, peak memory (max RSS of the child) and each rebuild as a
share of the full build.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from make_corpus import make  # noqa: E402


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of the child, and its last line of output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 3):
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    lines = (done.stdout or done.stderr).strip().splitlines()
    # ru_maxrss of children is the max over all children so far: report it as an upper bound.
    return wall, max(peak, before) / 1024, lines[-1] if lines else ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--formats", nargs="*", default=["pdf", "docx", "html", "md", "json"])
    args = ap.parse_args()
    briefgen = [sys.executable, "-m", "briefgen.cli", "build"]
    with tempfile.TemporaryDirectory(prefix="bench_editions_") as tmp:
        folder, out = Path(tmp) / "articles", Path(tmp) / "out"
        make(folder, args.articles)
        fmt = [x for f in args.formats for x in ("-f", f)]
        build = [*briefgen, str(folder), "-o", str(out), *fmt]
        rows = []
        rows.append(("full build (empty output, no cache)", *timed(build)))
        rows.append(("rebuild, nothing changed", *timed(build)))
        article = sorted(folder.glob("*.txt"))[args.articles // 2]
        article.write_text(
            article.read_text(encoding="utf-8") + "\nA late paragraph adds one new fact.\n",
            encoding="utf-8",
        )
        rows.append(("rebuild, one article changed", *timed(build)))
        shutil.rmtree(out / ".briefgen" / "cache")
        rows.append(("full rebuild (--force, no cache)", *timed([*build, "--force"])))
    full = rows[0][1]
    print(f"{args.articles} articles, formats: {' '.join(args.formats)}\n")
    print("| run | wall s | share of full build | peak RSS MB (max so far) | briefgen says |")
    print("|---|---|---|---|---|")
    for name, wall, rss, said in rows:
        print(f"| {name} | {wall:.2f} | {wall / full:.1%} | {rss:.0f} | {said} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
