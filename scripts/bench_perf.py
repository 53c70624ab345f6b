"""Performance and scale benchmark: whole processes, wall time, peak memory and CPU use.

    .venv/bin/python scripts/bench_perf.py [--bench ../shared/bench] [--corpus duc synthetic]
        [--sizes 1000 10000] [--parts basics scale lexrank] [--profile] [--keep DIR]

Everything is measured in this one run, on this machine, as whole processes
(interpreter start-up included); each child's peak RSS (the largest of it and its
worker processes) and its CPU time (its own and its workers', so CPU% above 100 means
more than one core was busy) are read from os.wait4:

* basics: ``briefgen --help`` start-up; the sample brief (seeds/) in all five formats
  and JSON only; ``briefgen summarize CLUSTER`` on every DUC 2004 dev cluster beside
  sumy's LexRank on the same clusters;
* scale, for each corpus (``duc``: long articles on 23 unrelated stories, made by
  scripts/make_duc_corpus.py from ../shared/bench/duc2004/ when it is there;
  ``synthetic``: one story, short sentences, scripts/make_corpus.py): 1,000 articles
  to JSON, 1,000 in all five formats, 10,000 to JSON, and one article changed in the
  1,000-article folder then built again (as a share of the full JSON build), each
  against the targets of issue 15;
* lexrank: ``summarize`` and sumy's LexRank on the same 100 articles (DUC-like when
  available), in this process, side by side, with the time ratio.

``--profile`` prints the time per stage of every build, with the CPU% of each stage
(how many cores it kept busy). Folders live in a temporary directory unless ``--keep``
(which keeps the corpora; outputs are always built afresh).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import make_corpus  # noqa: E402
import make_duc_corpus  # noqa: E402

PY = sys.executable
BRIEFGEN = [PY, "-m", "briefgen.cli"]
# briefgen's CLI, plus each stage's wall and CPU seconds on stderr when it exits.
BRIEFGEN_CPU = [PY, "-c", """
import atexit, sys
from briefgen import timing
def _report():
    for name, wall, cpu in timing.cpu_report():
        print(f"stage-cpu: {wall:.3f} {cpu:.3f} {name}", file=sys.stderr)
atexit.register(_report)
from briefgen.cli import main
sys.argv = ["briefgen", *sys.argv[1:]]
main()
"""]  # fmt: skip
LEXRANK_ONE = """
import sys
sys.path.insert(0, {scripts!r})
from pathlib import Path
from bench_summary import LexRank, read_cluster
print("\\n".join(LexRank()(read_cluster(Path(sys.argv[1])), 100)))
"""
CHANGED = "\n\nOfficials said on Tuesday that the talks would resume next week in Geneva.\n"
_STAGE_RE = re.compile(r"^stage-cpu: (\S+) (\S+) (.*)$")


@dataclass
class Run:
    wall: float
    rss_mb: float
    cpu_s: float
    out: str
    stages: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def cpu_pct(self) -> float:
        return 100.0 * self.cpu_s / self.wall if self.wall else 0.0


def run(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall seconds, this child's peak RSS in MB, its CPU seconds, its output."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT, env=env
    )
    out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        sys.exit(f"{' '.join(cmd[:3])}... failed with {code}:\n{out[-3000:]}")
    stages = [
        (m.group(3), float(m.group(1)), float(m.group(2)))
        for m in map(_STAGE_RE.match, out.splitlines())
        if m
    ]
    return Run(wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, out, stages)


def build(folder: Path, out: Path, *formats: str) -> Run:
    fmt = [arg for f in formats for arg in ("-f", f)]
    return run([*BRIEFGEN_CPU, "build", str(folder), "-o", str(out), *fmt, "-q"])


def row(name: str, r: Run, target: str = "", ok: bool | None = None) -> str:
    verdict = "" if ok is None else ("yes" if ok else "**no**")
    return f"| {name} | {r.wall:.2f} | {r.rss_mb:.0f} | {r.cpu_pct:.0f} | {target} | {verdict} |"


def basics(tmp: Path, bench: Path) -> None:
    r = run([*BRIEFGEN, "--help"])
    print(row("briefgen --help", r, "< 0.5 s", r.wall < 0.5))
    r = run([*BRIEFGEN, "build", "seeds", "-o", str(tmp / "all"), "-q"])
    print(row("sample brief, all 5 formats", r, "< 2.5 s", r.wall < 2.5))
    r = run([*BRIEFGEN, "build", "seeds", "-o", str(tmp / "json"), "-f", "json", "-q"])
    print(row("sample brief, JSON only", r, "< 1 s", r.wall < 1))
    clusters_dir = make_duc_corpus.clusters_dir(bench)
    clusters = (
        sorted(p for p in clusters_dir.iterdir() if p.is_dir()) if clusters_dir.is_dir() else []
    )
    if not clusters:
        print(f"| summarize per DUC cluster | - | - | - | no clusters under {clusters_dir} | |")
        return
    ours: list[Run] = []
    theirs: list[Run] = []
    lexrank = LEXRANK_ONE.format(scripts=str(ROOT / "scripts"))
    for cluster in clusters:
        ours.append(run([*BRIEFGEN, "summarize", str(cluster), "--words", "100"]))
        theirs.append(run([PY, "-c", lexrank, str(cluster)]))
    mean_o = statistics.mean(r.wall for r in ours)
    mean_t = statistics.mean(r.wall for r in theirs)
    for name, runs, mean in (
        ("briefgen summarize", ours, mean_o),
        ("sumy LexRank", theirs, mean_t),
    ):
        summary = Run(mean, max(r.rss_mb for r in runs), statistics.mean(r.cpu_s for r in runs), "")
        print(row(f"{name}, mean of {len(runs)} DUC clusters (process)", summary,
                  f"ratio briefgen/LexRank {mean_o / mean_t:.2f}"))  # fmt: skip


def make(kind: str, folder: Path, n: int, bench: Path) -> None:
    if not folder.exists():
        if kind == "duc":
            make_duc_corpus.make(folder, n, bench=bench)
        else:
            make_corpus.make(folder, n)


def scale(kind: str, sizes: list[int], tmp: Path, bench: Path) -> dict[str, Run]:
    """The issue's table for one corpus; returns the runs by name, for --profile."""
    runs: dict[str, Run] = {}
    for size in sizes:
        folder = tmp / f"{kind}{size}"
        make(kind, folder, size, bench)
        # Outputs are made afresh even with --keep (only corpora are reused): an output
        # folder left from an earlier run holds a warm cache or an unchanged edition.
        for out in (tmp / f"{kind}{size}_json", tmp / f"{kind}{size}_all"):
            shutil.rmtree(out, ignore_errors=True)
        full = build(folder, tmp / f"{kind}{size}_json", "json")
        runs[f"{size:,} articles, JSON"] = full
        if size == 1000:
            print(row(f"{kind}: 1,000 articles, JSON", full, "≤ 10 s", full.wall <= 10))
            every = build(folder, tmp / f"{kind}{size}_all")
            runs[f"{size:,} articles, all five formats"] = every
            print(row(f"{kind}: 1,000 articles, all five formats", every, "≤ 13 s",
                      every.wall <= 13))  # fmt: skip
            changed = folder / "article_00000.txt"
            original = changed.read_text(encoding="utf-8")
            changed.write_text(original.rstrip("\n") + CHANGED, encoding="utf-8")
            try:
                again = build(folder, tmp / f"{kind}{size}_json", "json")
            finally:
                changed.write_text(original, encoding="utf-8")
            runs["one article changed in 1,000, JSON"] = again
            share = again.wall / full.wall
            print(row(f"{kind}: one article changed in 1,000, JSON", again,
                      f"≤ 25% of a full build: {100 * share:.0f}%", share <= 0.25))  # fmt: skip
        elif size == 10000:
            ok = full.wall <= 120 and full.rss_mb < 2048
            print(row(f"{kind}: 10,000 articles, JSON", full, "≤ 120 s, < 2 GB", ok))
        else:
            print(row(f"{kind}: {size:,} articles, JSON", full))
    return runs


def lexrank_side_by_side(tmp: Path, bench: Path, kind: str) -> None:
    """summarize and sumy's LexRank on the same 100 articles, in this process."""
    from bench_summary import LexRank, read_cluster

    from briefgen.stages.summarize import summarize

    folder = tmp / f"{kind}100"
    make(kind, folder, 100, bench)
    docs = read_cluster(folder)
    n_sentences = sum(len(d) for d in docs)
    summarize([d[:3] for d in docs[:3]], 20)  # imports and first-call costs, not measured
    lexrank = LexRank()
    started = time.perf_counter()
    summarize(docs, 100, order="rank")
    ours = time.perf_counter() - started
    started = time.perf_counter()
    lexrank(docs, 100)
    theirs = time.perf_counter() - started
    print(f"| {kind}: summarize, 100 articles ({n_sentences:,} sentences), in process "
          f"| {ours:.2f} | | | | |")  # fmt: skip
    print(f"| {kind}: sumy LexRank, same sentences, in process | {theirs:.2f} | | | "
          f"summarize ≥ 5× faster: {theirs / ours:.1f}× | {'yes' if theirs >= 5 * ours else '**no**'} |")  # fmt: skip


def print_profile(title: str, r: Run) -> None:
    print(f"\nTime per stage, {title} (wall {r.wall:.2f} s, CPU {r.cpu_pct:.0f}%):\n")
    print("| stage | wall s | CPU % |")
    print("|---|---|---|")
    for name, wall, cpu in r.stages:
        print(f"| {name} | {wall:.3f} | {100 * cpu / wall if wall > 0.005 else 0:.0f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", type=Path, default=make_duc_corpus.DEFAULT_BENCH)
    ap.add_argument("--corpus", nargs="+", choices=["duc", "synthetic"],
                    default=["duc", "synthetic"])  # fmt: skip
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--parts", nargs="+", choices=["basics", "scale", "lexrank"],
                    default=["basics", "scale", "lexrank"])  # fmt: skip
    ap.add_argument("--profile", action="store_true", help="time per stage of every build")
    ap.add_argument("--keep", type=Path, help="make corpora here (reused if there)")
    args = ap.parse_args()
    corpora = list(args.corpus)
    if "duc" in corpora and not make_duc_corpus.clusters_dir(args.bench).is_dir():
        print(f"(no DUC clusters under {args.bench}: the DUC-like corpus is skipped)\n")
        corpora.remove("duc")
    print(f"briefgen benchmark on {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f} at the start\n")  # fmt: skip
    print("| run | wall s | peak RSS MB | CPU % | target | met |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench_perf_") as tmp_name:
        tmp = args.keep or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        if "basics" in args.parts:
            basics(tmp, args.bench)
        profiles: list[tuple[str, Run]] = []
        if "scale" in args.parts:
            for kind in corpora:
                runs = scale(kind, args.sizes, tmp, args.bench)
                profiles += [(f"{kind}, {name}", r) for name, r in runs.items()]
        if "lexrank" in args.parts and corpora:
            lexrank_side_by_side(tmp, args.bench, corpora[0])
        if args.profile:
            for title, r in profiles:
                print_profile(title, r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
