"""Benchmark the key-points summariser against LexRank on DUC 2004 task 2.

    .venv/bin/python scripts/bench_summary.py [--bench ../shared/bench] [--out DIR]

For every cluster of ``BENCH/duc2004/clusters``: segment each article, write
briefgen's 100-word summary and sumy's LexRank summary (one sentence per line)
to ``OUT/<system>/<cluster>.txt`` (a temporary folder unless ``--out`` is
given), score them with the bench's own ``score.py`` and print its table, the
same scores on two halves of the clusters (alternate clusters by sorted name,
so a change that helps one half only shows), then a timing table measured in
the same run.

Two briefgen rows: ``briefgen`` is ``briefgen summarize DIR --words 100 --overflow``
(the same reading of the folder and ``summarize(..., overflow=True)``): the
scorer cuts every summary at 100 words, so the last sentence may run past the
budget and is cut there, as LexRank's last sentence is. ``briefgen-strict`` is
the strict budget the brief itself uses (whole sentences, at most 100 words).

LexRank follows the bench's baseline convention: sentences in rank order,
skipping those under 5 words and near-copies (word Jaccard >= 0.6) of one
already taken, until at least 100 words (the scorer cuts at 100). Both
systems get the same sentences; timings cover summarising a cluster from its
sentences (segmentation, shared, is timed apart).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_T0 = time.perf_counter()
from briefgen.stages.summarize import summarize  # noqa: E402  (import time is measured)

_IMPORT_BRIEFGEN = time.perf_counter() - _T0

from briefgen.pipeline import analyse  # noqa: E402

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")


def _pin_hash_seed() -> None:
    """sumy breaks rating ties through Python sets: fix the hash seed (re-exec once)."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], env)


def read_cluster(path: Path) -> list[list[str]]:
    """Sentences of each article of a cluster folder, read exactly as `briefgen summarize`
    reads a folder (ingest, clean, segment), in file-name order."""
    analysis = analyse(path)
    docs: dict[int, list[str]] = {s.n: [] for s in analysis.sources}
    for sentence in analysis.sentences:
        docs[sentence.source].append(sentence.text)
    return [docs[n] for n in sorted(docs)]


class _RegexTokenizer:
    """sumy tokenizer without NLTK's punkt data (sentences come pre-split)."""

    language = "english"

    def to_sentences(self, paragraph):
        return (paragraph,)

    def to_words(self, sentence):
        return tuple(_WORD_RE.findall(sentence))


class LexRank:
    """sumy's LexRank with the bench baseline's selection convention."""

    def __init__(self) -> None:
        t0 = time.perf_counter()
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
        from sumy.nlp.stemmers import Stemmer
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.utils import get_stop_words

        self._dom = (ObjectDocumentModel, Paragraph, Sentence)
        self._summarizer = LexRankSummarizer(Stemmer("english"))
        self._summarizer.stop_words = get_stop_words("english")
        self._tok = _RegexTokenizer()
        self.import_seconds = time.perf_counter() - t0

    def __call__(self, docs: list[list[str]], words: int = 100) -> list[str]:
        document_model, paragraph, sentence = self._dom
        paragraphs = [paragraph([sentence(s, self._tok) for s in doc]) for doc in docs if doc]
        ranked: list[str] = []

        def keep_order(infos: Any) -> Any:  # sumy's selection hook: note the ranking
            ranked.extend(str(i.sentence) for i in infos)
            return infos

        self._summarizer(document_model(paragraphs), keep_order)
        chosen: list[str] = []
        seen: list[set[str]] = []
        total = 0
        for s in ranked:
            bag = {w.lower() for w in _WORD_RE.findall(s)}
            if len(s.split()) < 5 or any(len(bag & o) >= 0.6 * len(bag | o) for o in seen):
                continue
            chosen.append(s)
            seen.append(bag)
            total += len(s.split())
            if total >= words:
                break
        return chosen


def halves_table(results: list[dict], names: list[str]) -> str:
    """ROUGE-1/2 recall x100 on the even- and odd-numbered clusters (by sorted name)."""
    halves = {"even": names[0::2], "odd": names[1::2]}
    sizes = ", ".join(f"{h}: {len(v)}" for h, v in halves.items())
    lines = [f"\nHalves of the clusters, alternating by sorted name (0-based index) ({sizes}):\n",
             "| system | even R-1 R | even R-2 R | odd R-1 R | odd R-2 R |", "|---|---|---|---|---|"]  # fmt: skip
    for r in results:
        cells = [r["system"]]
        for half in halves.values():
            rows = [r["per_cluster"][n] for n in half if n in r["per_cluster"]]
            for metric in ("rouge1", "rouge2"):  # per-cluster (P, R, F)
                cells.append(f"{100 * statistics.mean(x[metric][1] for x in rows):.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--bench",
        type=Path,
        default=root.parent / "shared/bench",
        help="bench folder holding score.py and duc2004/ (default: %(default)s)",
    )
    ap.add_argument("--out", type=Path, help="keep the summaries here (default: a temp folder)")
    ap.add_argument("--words", type=int, default=100)
    ap.add_argument("--bootstrap", type=int, default=1000, help="passed to score.py")
    args = ap.parse_args(argv)  # fmt: skip

    clusters_dir = args.bench / "duc2004" / "clusters"
    clusters = sorted(p for p in clusters_dir.iterdir() if (p / "refs").is_dir())
    if not clusters:
        sys.exit(f"no clusters under {clusters_dir}")

    systems = ("briefgen", "briefgen-strict", "lexrank")
    with tempfile.TemporaryDirectory(prefix="bench_summary_") as tmp:
        out = args.out or Path(tmp)
        for name in systems:
            (out / name).mkdir(parents=True, exist_ok=True)
        lexrank = LexRank()
        t_seg: list[float] = []
        t_ours: list[float] = []
        t_lex: list[float] = []
        for c in clusters:
            t0 = time.perf_counter()
            docs = read_cluster(c)
            t_seg.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            picked = summarize(docs, args.words, overflow=True)
            t_ours.append(time.perf_counter() - t0)
            lines = [docs[d][i] for d, i in picked]
            (out / "briefgen" / f"{c.name}.txt").write_text("\n".join(lines) + "\n", "utf-8")
            lines = [docs[d][i] for d, i in summarize(docs, args.words)]
            (out / "briefgen-strict" / f"{c.name}.txt").write_text("\n".join(lines) + "\n", "utf-8")

            t0 = time.perf_counter()
            lex = lexrank(docs, args.words)
            t_lex.append(time.perf_counter() - t0)
            (out / "lexrank" / f"{c.name}.txt").write_text("\n".join(lex) + "\n", "utf-8")

        scores = Path(tmp) / "scores.json"
        cmd = [sys.executable, str(args.bench / "score.py"), str(clusters_dir), "--no-baselines",
               "--limit-words", str(args.words), "--bootstrap", str(args.bootstrap),
               "--out-json", str(scores)]  # fmt: skip
        for name in systems:
            cmd += ["--system-dir", f"{name}={out / name}"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            sys.stderr.write(done.stderr)
            return done.returncode
        print(f"ROUGE recall/F x100 on {len(clusters)} clusters, first {args.words} words "
              f"(bench score.py):\n")  # fmt: skip
        print(done.stdout.rstrip())
        print(
            "\nbriefgen: last sentence may run past the budget (cut by the scorer, like "
            "LexRank's);\nbriefgen-strict: whole sentences within the budget, as in the brief."
        )
        print(halves_table(json.loads(scores.read_text("utf-8")), [c.name for c in clusters]))

    mean_o, mean_l = statistics.mean(t_ours), statistics.mean(t_lex)
    print("\nSeconds per cluster (from segmented sentences; same run):\n")
    print("| system | mean | max | import |")
    print("|---|---|---|---|")
    print(f"| briefgen | {mean_o:.4f} | {max(t_ours):.4f} | {_IMPORT_BRIEFGEN:.3f} |")
    print(f"| LexRank (sumy) | {mean_l:.4f} | {max(t_lex):.4f} | {lexrank.import_seconds:.3f} |")
    print(f"| reading + analysis (shared) | {statistics.mean(t_seg):.4f} | {max(t_seg):.4f} | |")
    print(
        f"\nbriefgen summarize of a cluster, analysis included: mean "
        f"{statistics.mean(t_seg) + mean_o:.3f}s, max {max(a + b for a, b in zip(t_seg, t_ours, strict=True)):.3f}s"
    )
    print(sample_timing(root / "seeds"))
    print(f"\nbriefgen / LexRank time ratio (mean): {mean_o / mean_l:.2f}")
    return 0


def sample_timing(seeds: Path) -> str:
    """Analysis of the sample articles (every stage up to the Brief, no rendering)."""
    from briefgen.config import load_config
    from briefgen.pipeline import build_brief

    config = load_config(seeds / "briefgen.toml")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        build_brief(seeds, config)
        times.append(time.perf_counter() - t0)
    return f"analysis of the {seeds.name}/ sample into a brief (no rendering): best of 3 {min(times):.3f}s"


if __name__ == "__main__":
    _pin_hash_seed()
    sys.exit(main())
