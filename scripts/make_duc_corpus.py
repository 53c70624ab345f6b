"""Make a folder of N long news articles on many unrelated stories, for benchmarks.

    .venv/bin/python scripts/make_duc_corpus.py OUT_DIR N [--seed 1] [--bench ../shared/bench]
        [--words 716]

A realistic counterpart to scripts/make_corpus.py (one story, short sentences): the
articles are rebuilt from the DUC 2004 newswire clusters in ``../shared/bench/duc2004/``
(23 unrelated 1998 stories, ten articles each). Article ``i`` is about cluster
``i mod 23``: one of its articles, with sentences from the cluster's other articles
mixed in until it reaches about ``--words`` words (716 on average by default, the
length the performance issue measured), a few of its own sentences dropped, split into
paragraphs, under a headline and a dateline. Deterministic for a given seed.

The text is written only into OUT_DIR (e.g. under /tmp), never into the project: DUC
text is for measuring, not for the repository. The sample's ``briefgen.toml`` is copied
alongside so the folder builds as is.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = ROOT.parent / "shared" / "bench"
_SENTENCE_END_RE = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z“\"(])")


class NoDucData(SystemExit):
    """The DUC folder is missing: the message says where it was looked for."""


def clusters_dir(bench: Path) -> Path:
    return bench / "duc2004" / "clusters"


def load_clusters(bench: Path) -> list[list[list[str]]]:
    """Every cluster as a list of articles, each a list of sentences."""
    folder = clusters_dir(bench)
    if not folder.is_dir():
        raise NoDucData(
            f"make_duc_corpus: no DUC 2004 clusters in {folder}.\n"
            "This corpus is built from ../shared/bench/duc2004/ (not shipped with the project); "
            "pass --bench DIR where DIR/duc2004/clusters/<cluster>/doc*.txt exist, "
            "or use scripts/make_corpus.py for the synthetic one-story corpus."
        )
    clusters = []
    for cluster in sorted(p for p in folder.iterdir() if p.is_dir()):
        docs = []
        for path in sorted(cluster.glob("doc*.txt")):
            text = " ".join(path.read_text(encoding="utf-8").split())
            sentences = [s for s in _SENTENCE_END_RE.split(text) if len(s.split()) >= 3]
            if sentences:
                docs.append(sentences)
        if docs:
            clusters.append(docs)
    if not clusters:
        raise NoDucData(f"make_duc_corpus: no doc*.txt under {folder}")
    return clusters


def article(docs: list[list[str]], rng: random.Random, index: int, mean_words: int) -> str:
    base = rng.randrange(len(docs))
    own = [s for s in docs[base] if rng.random() > 0.1] or docs[base][:1]
    others = [s for d, doc in enumerate(docs) if d != base for s in doc]
    target = max(200, int(rng.gauss(mean_words, mean_words * 0.3)))
    body: list[str] = []
    count = 0
    for sentence in own:  # a long article is cut to its target length
        if body and count + len(sentence.split()) > target:
            break
        body.append(sentence)
        count += len(sentence.split())
    while others:
        extra = others.pop(rng.randrange(len(others)))
        if count + len(extra.split()) > target:
            break
        # after the lead: the first sentence of an article stays its first
        body.insert(rng.randint(1, len(body)), extra)
        count += len(extra.split())
    paragraphs, i = [], 0
    while i < len(body):
        n = rng.randint(1, 3)
        paragraphs.append(" ".join(body[i : i + n]))
        i += n
    headline = " ".join(body[0].rstrip(".!?").split()[:10])
    day = 1 + index % 28
    return f"{headline}\n\n{day:02d}:00, Mon, Dec {day}, 2025\n\n" + "\n\n".join(paragraphs) + "\n"


def make(
    out: Path, n: int, seed: int = 1, bench: Path = DEFAULT_BENCH, mean_words: int = 716
) -> None:
    """Write ``n`` articles ``article_00000.txt``... and the sample config into ``out``."""
    clusters = load_clusters(bench)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = article(clusters[i % len(clusters)], rng, i, mean_words)
        (out / f"article_{i:05d}.txt").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "seeds" / "briefgen.toml", out / "briefgen.toml")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--words", type=int, default=716, help="mean words per article")
    args = ap.parse_args()
    try:
        make(args.out, args.n, args.seed, args.bench, args.words)
    except NoDucData as exc:
        print(exc.code, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
