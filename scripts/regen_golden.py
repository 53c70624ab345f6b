"""Regenerate the golden sample brief in tests/golden/ (brief.json and brief.md).

    .venv/bin/python scripts/regen_golden.py
    git diff tests/golden/      # review: every changed line should be a change you meant

tests/test_golden.py builds the sample from seeds/ the same way (this file's
``build_golden``) and compares with these files byte for byte. Run this script only
when a change to the brief is intended, then review and commit the diff with the change.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "tests" / "golden"
EPOCH = "1764720000"  # 2025-12-03T00:00:00Z: generated_at and dates do not follow the clock
FORMATS = ("json", "md")
NAMES = ("brief.json", "brief.md")


def build_golden(out_dir: Path) -> dict[str, bytes]:
    """Build the sample from seeds/ into ``out_dir``; the golden files' names and bytes."""
    sys.path.insert(0, str(ROOT))
    from briefgen.build import run_build

    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        report = run_build(SEEDS, None, out_dir, formats=FORMATS)
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    if report.warnings:
        raise RuntimeError(f"the sample built with warnings: {report.warnings}")
    return {name: (out_dir / name).read_bytes() for name in NAMES}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        files = build_golden(Path(tmp))
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = GOLDEN / name
        old = path.read_bytes() if path.exists() else None
        path.write_bytes(data)
        state = "unchanged" if old == data else ("written" if old is None else "CHANGED")
        print(f"{path.relative_to(ROOT)}: {state}")
    print("Review with: git diff tests/golden/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
