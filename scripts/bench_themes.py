"""How well discovered themes match the themes a person wrote, and what discovery costs.

    .venv/bin/python scripts/bench_themes.py [--sizes 100 1000] [--threshold 0.2] [--held-out]

References: the theme files written for the stories of ../shared/stories (scripts/stories/)
and the sample's own seeds/briefgen.toml. For each story:

* **found**: a reference theme counts as found when some discovered theme's sentences
  overlap its sentences with a Jaccard index of at least ``--threshold`` (0.2). Both sides
  place the story's sentences with the same classifier (stages/classify.py), the reference
  from its hand-written terms, the discovered themes from theirs, so the figure compares
  the themes, not two ways of filing sentences.
* **unmatched**: discovered themes whose sentences overlap no reference theme that much.
* **struck**: the share of the no-config brief's items (key points and facts) that the
  stories' checker (../shared/stories/check_brief.py) flags as an editor would strike
  them out (headlines shown as facts, unresolved pronouns).

With ``--held-out``, every story again with each one of its articles left out, scored the
same way: how much the figures move when the input changes a little (a figure that holds
on nine stories only by chance will not hold on their forty-odd variants).

Then the time discovery adds to a build, on generated corpora of ``--sizes`` articles
(scripts/make_duc_corpus.py when ../shared/bench is there, else scripts/make_corpus.py).
The story texts stay in ../shared: nothing of them is copied into the project.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
STORIES = SHARED / "stories"
CONFIGS = ROOT / "scripts" / "stories"
sys.path.insert(0, str(ROOT))

from briefgen.config import Theme  # noqa: E402
from briefgen.pipeline import analyse  # noqa: E402
from briefgen.stages import classify, discover  # noqa: E402
from briefgen.stages.features import content_terms  # noqa: E402


def placed(themes: list[Theme], terms: list[list[str]]) -> dict[str, set[int]]:
    """The sentences each theme takes when all of them compete, as in a brief."""
    models = classify.build_models(themes, terms)
    out: dict[str, set[int]] = {t.id: set() for t in themes}
    for i, t in enumerate(terms):
        theme_id, _ = classify.assign(models, t)
        if theme_id is not None:
            out[theme_id].add(i)
    return out


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def stories() -> list[tuple[str, Path, Path]]:
    found = [("sample (seeds)", ROOT / "seeds", ROOT / "seeds" / "briefgen.toml")]
    for config in sorted(CONFIGS.glob("*.toml")):
        if (STORIES / config.stem).is_dir():
            found.append((config.stem, STORIES / config.stem, config))
    return found


def struck_share(story: Path, work: Path) -> tuple[int, int]:
    """(flagged, items) of the brief built from ``story`` without its config."""
    folder = work / story.name
    folder.mkdir(parents=True, exist_ok=True)
    for path in story.iterdir():  # a copy without briefgen.toml: the themes are discovered
        if path.is_file() and path.name != "briefgen.toml":
            (folder / path.name).write_bytes(path.read_bytes())
    out = work / f"{story.name}-out"
    briefgen = Path(sys.executable).parent / "briefgen"
    subprocess.run(
        [briefgen, "-q", "build", folder, "-o", out, "-f", "json", "--force"],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    checker = STORIES / "check_brief.py"
    result = subprocess.run(
        [sys.executable, checker, folder, out / "brief.json"], capture_output=True, text=True
    )
    last = result.stdout.strip().splitlines()[-1]  # "N items, M flagged"
    items, flagged = int(last.split()[0]), int(last.split()[2])
    return flagged, items


def score(
    sentences: list, reference: list[Theme], threshold: float
) -> tuple[list[discover.DiscoveredTheme], set[str], list[str]]:
    """Discovered themes, the reference themes found, the discovered themes matching none."""
    terms = [content_terms(s.text) for s in sentences]
    found = discover.discover(sentences)
    refs = placed(reference, terms)
    mine = placed([t.theme() for t in found], terms)
    matched_refs = {
        r for r, rs in refs.items() if any(jaccard(rs, ms) >= threshold for ms in mine.values())
    }
    unmatched = [
        m for m, ms in mine.items() if not any(jaccard(ms, rs) >= threshold for rs in refs.values())
    ]
    return found, matched_refs, unmatched


def held_out(threshold: float) -> None:
    """Each story again with each of its articles left out, scored the same way: how much
    the figures move when the input changes a little."""
    runs = refs_total = found_total = unmatched_total = fine = 0
    print("\nheld out (each story without each one of its articles)")
    print(f"{'story':28} {'found':>7} {'unmatched':>9}  runs with at most one unmatched")
    for name, folder, config in stories():
        sentences = analyse(folder).sentences
        reference = references(config)
        row = [0, 0, 0, 0, 0]
        for left_out in sorted({s.source for s in sentences}):
            subset = [s for s in sentences if s.source != left_out]
            _found, matched_refs, unmatched = score(subset, reference, threshold)
            row[0] += len(matched_refs)
            row[1] += len(reference)
            row[2] += len(unmatched)
            row[3] += len(unmatched) <= 1
            row[4] += 1
        print(f"{name:28} {row[0]:>3}/{row[1]:<3} {row[2]:>9}  {row[3]}/{row[4]}")
        found_total, refs_total, unmatched_total = (
            found_total + row[0],
            refs_total + row[1],
            unmatched_total + row[2],
        )
        fine, runs = fine + row[3], runs + row[4]
    print(
        f"{'all':28} {found_total:>3}/{refs_total:<3} {unmatched_total:>9}  {fine}/{runs}  "
        f"found {found_total / max(1, refs_total):.0%}, "
        f"{unmatched_total / max(1, runs):.2f} unmatched per run"
    )


def references(config: Path) -> list[Theme]:
    return [
        Theme(t["id"], t["title"], t["description"], tuple(t["terms"]))
        for t in tomllib.loads(config.read_text(encoding="utf-8"))["themes"]
    ]


def quality(threshold: float, work: Path) -> None:
    total_refs = total_found = total_unmatched = total_flagged = total_items = 0
    print(f"{'story':28} {'found':>7} {'unmatched':>9} {'struck':>8}  discovered titles")
    rows = []
    for name, folder, config in stories():
        reference = references(config)
        found, matched_refs, unmatched = score(analyse(folder).sentences, reference, threshold)
        flagged, items = struck_share(folder, work)
        total_refs += len(reference)
        total_found += len(matched_refs)
        total_unmatched += len(unmatched)
        total_flagged += flagged
        total_items += items
        titles = "; ".join(t.title for t in found)
        print(
            f"{name:28} {len(matched_refs):>3}/{len(reference):<3} {len(unmatched):>9} "
            f"{flagged:>3}/{items:<4}  {titles}"
        )
        rows.append((name, [t.title for t in reference], [t.title for t in found]))
    print(
        f"{'all':28} {total_found:>3}/{total_refs:<3} {total_unmatched:>9} "
        f"{total_flagged:>3}/{total_items:<4}  "
        f"found {total_found / total_refs:.0%} of the reference themes, "
        f"{total_unmatched} unmatched discovered themes, "
        f"struck {total_flagged / max(1, total_items):.1%} of the items"
    )
    print("\nhand-written vs discovered titles")
    for name, refs_titles, found_titles in rows:
        print(
            f"  {name}\n    written:    {' | '.join(refs_titles)}\n    discovered: {' | '.join(found_titles)}"
        )


def cost(sizes: list[int], work: Path) -> None:
    """Discovery's time against the build's, on generated corpora of growing size."""
    duc = SHARED / "bench"
    maker = ROOT / "scripts" / ("make_duc_corpus.py" if duc.is_dir() else "make_corpus.py")
    print(f"\ncost ({maker.name})")
    print(
        f"{'articles':>8} {'sentences':>9} {'analysis':>9} {'discover':>9} {'per 1k sentences':>17}"
    )
    for n in sizes:
        folder = work / f"corpus-{n}"
        args: list[str] = [sys.executable, str(maker), str(folder), str(n)]
        if maker.name == "make_duc_corpus.py":
            args += ["--bench", str(duc)]
        subprocess.run(args, check=True, capture_output=True)
        started = time.perf_counter()
        analysis = analyse(folder)
        analysed = time.perf_counter() - started
        started = time.perf_counter()
        discover.discover(analysis.sentences)
        took = time.perf_counter() - started
        per = took / max(1, len(analysis.sentences)) * 1000
        print(f"{n:>8} {len(analysis.sentences):>9} {analysed:>8.2f}s {took:>8.2f}s {per:>16.3f}s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.2)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="also score each story with each one of its articles left out",
    )
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1764720000")
    with tempfile.TemporaryDirectory(prefix="bench-themes-") as tmp:
        work = Path(tmp)
        quality(args.threshold, work)
        if args.held_out:
            held_out(args.threshold)
        if args.sizes:
            cost(args.sizes, work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
