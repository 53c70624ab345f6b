"""Golden output: the sample brief built from seeds/ matches tests/golden/ byte for byte.

When a change to the brief is intended, regenerate the files and review the diff:

    .venv/bin/python scripts/regen_golden.py && git diff tests/golden/
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"


def _regen_module():
    spec = importlib.util.spec_from_file_location(
        "regen_golden", ROOT / "scripts" / "regen_golden.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


regen = _regen_module()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    return regen.build_golden(tmp_path_factory.mktemp("golden"))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.parametrize("name", regen.NAMES)
def test_sample_matches_golden(built, name):
    """brief.json and brief.md of the sample are exactly the checked-in golden files."""
    expected = (GOLDEN / name).read_bytes()
    actual = built[name]
    if actual != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8").splitlines(keepends=True),
            actual.decode("utf-8").splitlines(keepends=True),
            fromfile=f"tests/golden/{name}",
            tofile=f"built/{name}",
        )
        pytest.fail(
            f"{name} differs from the golden file. If the change is intended, run "
            "`.venv/bin/python scripts/regen_golden.py` and review `git diff tests/golden/`.\n"
            + "".join(diff),
            pytrace=False,
        )


def test_golden_json_is_machine_independent(tmp_path):
    """The golden JSON holds no absolute path, nor this checkout's or a temporary folder's."""
    text = (GOLDEN / "brief.json").read_text(encoding="utf-8")
    for where in {str(ROOT), str(Path.home()), str(tmp_path.parent.parent)}:
        assert where not in text, where
    for s in _strings(json.loads(text)):
        assert not re.match(r"^(/|~|[A-Za-z]:[\\/]|\\\\)", s), s
    sources = json.loads(text)["sources"]
    assert [s["path"] for s in sources] == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
