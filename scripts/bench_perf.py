"""Performance and scale benchmark: whole processes, wall time and peak memory.

    .venv/bin/python scripts/bench_perf.py [--bench ../shared/bench] [--sizes 100 1000 5000]

Everything is measured in this one run, on this machine, as whole processes
(interpreter start-up included), each child's peak RSS read from os.wait4:

1. ``briefgen --help`` start-up;
2. the sample brief (seeds/) in all five formats, and JSON only, into empty folders;
3. ``briefgen summarize CLUSTER --words 100`` on every DUC 2004 dev cluster, side by
   side with sumy's LexRank on the same clusters (same sentences; one process per
   cluster for each), with the time ratio;
4. builds (JSON only, empty output folder) of 100, 1,000 and 5,000 synthetic articles
   made by scripts/make_corpus.py, with the growth from 1,000 to 5,000;
5. the time per stage (``briefgen build --profile``) of the 1,000-article build.

Nothing is written into the project; folders live in a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from make_corpus import make  # noqa: E402

PY = sys.executable
BRIEFGEN = [PY, "-m", "briefgen.cli"]
LEXRANK_ONE = """
import sys
sys.path.insert(0, {scripts!r})
from pathlib import Path
from bench_summary import LexRank, read_cluster
print("\\n".join(LexRank()(read_cluster(Path(sys.argv[1])), 100)))
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, this child's peak RSS in MB, and its stderr+stdout tail."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT, env=env
    )
    out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        sys.exit(f"{' '.join(cmd)} failed with {code}:\n{out}")
    return wall, usage.ru_maxrss / 1024, out


def row(name: str, wall: float, rss: float, note: str = "") -> str:
    return f"| {name} | {wall:.2f} | {rss:.0f} | {note} |"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared/bench")
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 5000])
    args = ap.parse_args()
    print(f"briefgen benchmark on {os.cpu_count()} cores\n")
    print("| run | wall s | peak RSS MB | notes |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench_perf_") as tmp_name:
        tmp = Path(tmp_name)
        wall, rss, _ = run([*BRIEFGEN, "--help"])
        print(row("briefgen --help", wall, rss, "target < 0.5 s"))
        wall, rss, _ = run([*BRIEFGEN, "build", "seeds", "-o", str(tmp / "all"), "-q"])
        print(row("sample brief, all 5 formats", wall, rss, "target < 2.5 s"))
        wall, rss, _ = run(
            [*BRIEFGEN, "build", "seeds", "-o", str(tmp / "json"), "-f", "json", "-q"]
        )
        print(row("sample brief, JSON only", wall, rss, "target < 1 s"))

        clusters_dir = args.bench / "duc2004" / "clusters"
        clusters = (
            sorted(p for p in clusters_dir.iterdir() if p.is_dir()) if clusters_dir.is_dir() else []
        )
        if clusters:
            ours, theirs, ours_rss, theirs_rss = [], [], [], []
            lexrank = LEXRANK_ONE.format(scripts=str(ROOT / "scripts"))
            for cluster in clusters:
                w, r, _ = run([*BRIEFGEN, "summarize", str(cluster), "--words", "100"])
                ours.append(w)
                ours_rss.append(r)
                w, r, _ = run([PY, "-c", lexrank, str(cluster)])
                theirs.append(w)
                theirs_rss.append(r)
            mean_o, mean_t = statistics.mean(ours), statistics.mean(theirs)
            print(row(f"summarize, mean of {len(clusters)} DUC clusters", mean_o, max(ours_rss),
                      f"max {max(ours):.2f} s"))  # fmt: skip
            print(row("sumy LexRank, same clusters", mean_t, max(theirs_rss),
                      f"max {max(theirs):.2f} s; briefgen/LexRank time ratio {mean_o / mean_t:.2f}"))  # fmt: skip
        else:
            print(f"| summarize | - | - | no clusters under {clusters_dir} |")

        walls: dict[int, float] = {}
        for size in args.sizes:
            folder = tmp / f"corpus{size}"
            make(folder, size)
            wall, rss, out = run([*BRIEFGEN, "build", str(folder), "-o", str(tmp / f"out{size}"),
                                  "-f", "json", "-q", "--profile"])  # fmt: skip
            walls[size] = wall
            note = "target < 15 s and < 1 GB" if size == 1000 else ""
            print(row(f"{size:,} articles, JSON only", wall, rss, note))
            if size == 1000:
                profile = [line for line in out.splitlines() if line.startswith("profile:")]
        if 1000 in walls and 5000 in walls:
            print(f"\nGrowth from 1,000 to 5,000 articles: {walls[5000] / walls[1000]:.2f}x "
                  "(target: at most about 5.5x)")  # fmt: skip
        if 1000 in walls:
            print("\nTime per stage, 1,000 articles (briefgen build --profile):\n")
            for line in profile:
                print("   " + line.removeprefix("profile:").strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
