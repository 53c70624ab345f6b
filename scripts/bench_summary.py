"""Benchmark the key-points summariser against LexRank on DUC 2004 task 2.

    .venv/bin/python scripts/bench_summary.py [--bench ../shared/bench] [--out DIR]

For every cluster of ``BENCH/duc2004/clusters``: segment each article, write
briefgen's 100-word summary and sumy's LexRank summary (one sentence per line)
to ``OUT/briefgen/<cluster>.txt`` and ``OUT/lexrank/<cluster>.txt`` (a
temporary folder unless ``--out`` is given), score both with the bench's own
``score.py`` and print its table, then a timing table measured in the same run.

LexRank follows the bench's baseline convention: sentences in rank order,
skipping those under 5 words and near-copies (word Jaccard >= 0.6) of one
already taken, until at least 100 words (the scorer cuts at 100). Both
systems get the same sentences; timings cover summarising a cluster from its
sentences (segmentation, shared, is timed apart).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_T0 = time.perf_counter()
from briefgen.stages.summarize import summarize  # noqa: E402  (import time is measured)

_IMPORT_BRIEFGEN = time.perf_counter() - _T0

from briefgen.stages.segment import sentence_spans  # noqa: E402

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")


def _pin_hash_seed() -> None:
    """sumy breaks rating ties through Python sets: fix the hash seed (re-exec once)."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], env)


def read_cluster(path: Path) -> list[list[str]]:
    """Sentences of each doc*.txt of a cluster folder, in file-name order."""
    docs = []
    for f in sorted(path.glob("doc*.txt")):
        text = f.read_text(encoding="utf-8").strip()
        docs.append([text[a:b] for a, b in sentence_spans(text)])
    return docs


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
        self._summarizer(document_model(paragraphs), lambda infos: ranked.extend(
            str(i.sentence) for i in infos) or infos)  # fmt: skip
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

    with tempfile.TemporaryDirectory(prefix="bench_summary_") as tmp:
        out = args.out or Path(tmp)
        (out / "briefgen").mkdir(parents=True, exist_ok=True)
        (out / "lexrank").mkdir(parents=True, exist_ok=True)
        lexrank = LexRank()
        t_seg: list[float] = []
        t_ours: list[float] = []
        t_lex: list[float] = []
        for c in clusters:
            t0 = time.perf_counter()
            docs = read_cluster(c)
            t_seg.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            picked = summarize(docs, args.words)
            t_ours.append(time.perf_counter() - t0)
            lines = [docs[d][i] for d, i in picked]
            (out / "briefgen" / f"{c.name}.txt").write_text("\n".join(lines) + "\n", "utf-8")

            t0 = time.perf_counter()
            lex = lexrank(docs, args.words)
            t_lex.append(time.perf_counter() - t0)
            (out / "lexrank" / f"{c.name}.txt").write_text("\n".join(lex) + "\n", "utf-8")

        cmd = [sys.executable, str(args.bench / "score.py"), str(clusters_dir), "--no-baselines",
               "--limit-words", str(args.words), "--bootstrap", str(args.bootstrap),
               "--system-dir", f"briefgen={out / 'briefgen'}",
               "--system-dir", f"lexrank={out / 'lexrank'}"]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            sys.stderr.write(done.stderr)
            return done.returncode
        print(f"ROUGE recall/F x100 on {len(clusters)} clusters, first {args.words} words "
              f"(bench score.py):\n")  # fmt: skip
        print(done.stdout.rstrip())

    mean_o, mean_l = statistics.mean(t_ours), statistics.mean(t_lex)
    print("\nSeconds per cluster (from segmented sentences; same run):\n")
    print("| system | mean | max | import |")
    print("|---|---|---|---|")
    print(f"| briefgen | {mean_o:.4f} | {max(t_ours):.4f} | {_IMPORT_BRIEFGEN:.3f} |")
    print(f"| LexRank (sumy) | {mean_l:.4f} | {max(t_lex):.4f} | {lexrank.import_seconds:.3f} |")
    print(f"| segmentation (shared) | {statistics.mean(t_seg):.4f} | {max(t_seg):.4f} | |")
    print(f"\nbriefgen / LexRank time ratio (mean): {mean_o / mean_l:.2f}")
    return 0


if __name__ == "__main__":
    _pin_hash_seed()
    sys.exit(main())
