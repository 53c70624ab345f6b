"""Small helpers several test modules share (waiting for watch, reading the edition)."""

from __future__ import annotations

import time
from pathlib import Path

from briefgen import editions


def wait_for(predicate, timeout: float) -> bool:
    """Poll ``predicate`` every 0.1 s until it holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def edition_of(out: Path) -> int:
    """The published edition's number in ``out``, 0 when nothing is published."""
    manifest = editions.load_manifest(out)
    return manifest.edition if manifest else 0
