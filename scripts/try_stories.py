"""Build a brief for each story of ../shared/stories with the theme file written for it in
scripts/stories/, then run the stories' own checker and print what an editor reads first.

    .venv/bin/python scripts/try_stories.py [--out /tmp/briefgen-stories] [--formats json md]

The story texts stay in ../shared: nothing of them is copied into the project.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT.parent / "shared" / "stories"
CONFIGS = ROOT / "scripts" / "stories"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/briefgen-stories"))
    parser.add_argument("--formats", nargs="+", default=["json", "md"])
    parser.add_argument("--only", nargs="*", help="story folder names to build")
    parser.add_argument("--brief", action="store_true", help="print key points and facts too")
    args = parser.parse_args()
    briefgen = Path(sys.executable).parent / "briefgen"
    flagged = 0
    for config in sorted(CONFIGS.glob("*.toml")):
        story = STORIES / config.stem
        if args.only and config.stem not in args.only or not story.is_dir():
            continue
        out = args.out / config.stem
        formats = [arg for f in args.formats for arg in ("-f", f)]
        subprocess.run(
            [briefgen, "-q", "build", story, "-c", config, "-o", out, "--force", *formats],
            check=False,
        )
        check = subprocess.run(
            [sys.executable, STORIES / "check_brief.py", story, out / "brief.json"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        flagged += check.returncode != 0
        print(f"== {config.stem}")
        print(check.stdout.rstrip())
        if args.brief:
            _print_brief(json.loads((out / "brief.json").read_text()))
    return 1 if flagged else 0


def _print_brief(brief: dict) -> None:
    print("-- key points")
    for point in brief["key_points"]:
        print("  *", point.get("display") or point["text"], _cites(point))
    for theme in brief["themes"]:
        print(f"-- {theme['title']}")
        for fact in theme["facts"]:
            print("  -", fact.get("display") or fact["text"], _cites(fact))
        for quote in theme["quotes"]:
            print("  >", quote["text"][:120], "--", quote.get("speaker"))
    for d in brief.get("discrepancies", []):
        print("-- discrepancy:", d.get("subject"), "|", " | ".join(s["value"] for s in d["sides"]))


def _cites(item: dict) -> str:
    return "[" + ",".join(str(c["source"]) for c in item.get("citations", [])) + "]"


if __name__ == "__main__":
    sys.exit(main())
