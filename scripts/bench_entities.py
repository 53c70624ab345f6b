"""Score `entities.extract` (plus `resolve`) on the hand-labelled sentences of the project.

    .venv/bin/python scripts/bench_entities.py [--gold tests/fixtures/entities_gold.jsonl]
                                               [--module PATH] [--errors]

The gold sets are invented news copy written for briefgen (no benchmark text): one sentence a
line with its names as ``[text, kind]`` pairs, kinds person, organisation and place.
entities_gold.jsonl was written first and the word lists with it in view; entities_heldout.jsonl
was written after the code, so it is the fairer measure (``--gold`` picks the file). All the
sentences are annotated as one corpus, as a brief does, so "Starmer" alone can be resolved by
"Keir Starmer" elsewhere. A predicted name counts when its text and kind equal a gold one of
the same sentence. ``--module`` scores another copy of entities.py (an older commit, say).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from briefgen.models import Sentence

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests/fixtures/entities_gold.jsonl"
KINDS = ("person", "organisation", "place")

Pair = tuple[str, str]


def load_gold(path: Path = GOLD) -> list[tuple[str, list[Pair]]]:
    """(sentence, [(text, kind), ...]) for every line of the gold file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append((row["text"], [(t, k) for t, k in row["entities"]]))
    return rows


def predict(module: ModuleType, texts: list[str]) -> list[list[Pair]]:
    """The names the module finds in each sentence, annotated as one corpus."""
    sentences = [
        Sentence(source=1, start=0, end=len(t), text=t, position=i, paragraph=i)
        for i, t in enumerate(texts)
    ]
    # annotate returns new sentences; older copies of entities.py filled them in place
    # and returned None.
    sentences = module.annotate(sentences) or sentences
    return [[(e.text, e.kind) for e in s.entities if e.kind in KINDS] for s in sentences]


def score(gold: list[list[Pair]], found: list[list[Pair]]) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per kind and over all kinds (micro-averaged)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for want, got in zip(gold, found, strict=True):
        hits = Counter(want) & Counter(got)
        for (_, kind), n in hits.items():
            tp[kind] += n
        for (_, kind), n in (Counter(got) - hits).items():
            fp[kind] += n
        for (_, kind), n in (Counter(want) - hits).items():
            fn[kind] += n
    table = {kind: _prf(tp[kind], fp[kind], fn[kind]) for kind in KINDS}
    table["all"] = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return table


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": precision, "r": recall, "f1": f1, "gold": tp + fn, "found": tp + fp}


def load_module(path: Path | None) -> ModuleType:
    """briefgen's entities module, or the copy of it at ``path``."""
    if path is None:
        from briefgen.stages import entities

        return entities
    spec = importlib.util.spec_from_file_location("entities_under_test", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--module", type=Path, default=None, help="another entities.py")
    parser.add_argument("--errors", action="store_true", help="list every miss and false hit")
    args = parser.parse_args()
    rows = load_gold(args.gold)
    found = predict(load_module(args.module), [text for text, _ in rows])
    gold = [pairs for _, pairs in rows]
    print(f"{'kind':<14}{'gold':>6}{'found':>7}{'P':>8}{'R':>8}{'F1':>8}")
    for kind, m in score(gold, found).items():
        print(f"{kind:<14}{m['gold']:>6}{m['found']:>7}{m['p']:>8.3f}{m['r']:>8.3f}{m['f1']:>8.3f}")
    if args.errors:
        for (text, want), got in zip(rows, found, strict=True):
            missed, extra = Counter(want) - Counter(got), Counter(got) - Counter(want)
            if missed or extra:
                print(f"\n{text}\n  missed: {sorted(missed)}\n  extra:  {sorted(extra)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
