"""Per-stage wall-clock timings for ``briefgen build --profile``.

A process-wide registry of seconds per stage name; cheap enough to leave on. Each
stage also adds up the CPU time spent meanwhile, by this process and by the worker
processes it waited for (``os.times``), so ``cpu / wall`` tells how many cores the
stage kept busy.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

_totals: dict[str, float] = {}
_cpu: dict[str, float] = {}


def _cpu_seconds() -> float:
    """User and system time of this process and of its children that have ended."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the time spent in the ``with`` block to stage ``name``."""
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    try:
        yield
    finally:
        _totals[name] = _totals.get(name, 0.0) + time.perf_counter() - started
        _cpu[name] = _cpu.get(name, 0.0) + _cpu_seconds() - cpu_started


def report() -> list[tuple[str, float]]:
    """(stage, seconds) in the order the stages first ran."""
    return list(_totals.items())


def cpu_report() -> list[tuple[str, float, float]]:
    """(stage, wall seconds, CPU seconds of this process and its finished workers)."""
    return [(name, wall, _cpu.get(name, 0.0)) for name, wall in _totals.items()]
