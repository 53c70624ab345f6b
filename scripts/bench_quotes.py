"""Benchmark `briefgen quotes` on the PolNeAR dev split with the bench's own scorer.

    .venv/bin/python scripts/bench_quotes.py [--bench ../shared/bench/quotes] [--split dev]
                                             [--errors FILE] [--min-words N]

Runs ``score.py SPLIT GOLD --cmd "briefgen quotes {dir} --json" --inspect-cmd ... --errors``
and prints the scorer's report, then the issue's summary table for briefgen (detection F1,
strict attribution accuracy, strict end-to-end F1, seconds per article). The corpus stays in
../shared: nothing of it is copied into the project (PolNeAR, Newell et al., LREC 2018).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared/bench/quotes")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--errors", type=Path, default=None, help="write errors here (JSONL)")
    parser.add_argument("--min-words", type=int, default=0)
    args = parser.parse_args()
    briefgen = Path(sys.executable).parent / "briefgen"
    with tempfile.TemporaryDirectory() as tmp:
        metrics = Path(tmp) / "metrics.json"
        errors = args.errors or Path(tmp) / "errors.jsonl"
        command = [
            sys.executable, str(args.bench / "score.py"),
            str(args.bench / args.split), str(args.bench / f"{args.split}.gold.jsonl"),
            "--cmd", f"{briefgen} quotes {{dir}} --json",
            "--inspect-cmd", f"{briefgen} inspect {{dir}} --json",
            "--errors", str(errors), "--json-out", str(metrics),
            "--min-words", str(args.min_words), "--label", "briefgen",
        ]  # fmt: skip
        done = subprocess.run(command, check=False)
        if done.returncode != 0 or not metrics.exists():
            return done.returncode or 1
        print()
        print(_table(json.loads(metrics.read_text())))
        if args.errors:
            print(f"\nerrors written to {args.errors}")
    return 0


def _table(m: dict) -> str:
    """The issue's table row for briefgen, from the scorer's metrics."""
    strict = m["strict"]
    per_article = m.get("seconds_per_article") or m.get("time", {}).get("per_article")
    seconds = f"{per_article:.3f}" if per_article is not None else "n/a"
    return "\n".join(
        [
            "| system | detection F1 | attribution accuracy (strict) | end-to-end F1 (strict) "
            "| s/article |",
            "|---|---|---|---|---|",
            f"| briefgen | {m['detection']['f1']:.3f} | {strict['attribution_accuracy']:.3f} "
            f"| {strict['end_to_end_f1']:.3f} | {seconds} |",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
