"""Per-stage wall-clock timings for ``briefgen build --profile``.

A process-wide registry of seconds per stage name; cheap enough to leave on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_totals: dict[str, float] = {}


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the time spent in the ``with`` block to stage ``name``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        _totals[name] = _totals.get(name, 0.0) + time.perf_counter() - started


def report() -> list[tuple[str, float]]:
    """(stage, seconds) in the order the stages first ran."""
    return list(_totals.items())
