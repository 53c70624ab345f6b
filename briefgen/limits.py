"""Bounded work and clean interruption: a time limit for rendering, and signals held
back while an edition is being published.

Both use POSIX signals, which Python delivers to the main thread only; called from
another thread (or where SIGALRM does not exist) they do nothing rather than fail.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefgen.errors import RenderError

# Defaults for the config's [limits] table (see config.Limits).
MAX_ARTICLE_BYTES = 5_000_000
RENDER_SECONDS = 120


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class _Expired(BaseException):
    """Raised by SIGALRM inside the limited block. A BaseException, so that the
    renderers' ``except Exception`` wrappers cannot swallow it or reword it."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Stop the block with ``RenderError("<what> took longer than N s")`` after ``seconds``.

    ``seconds`` of 0 (or a call outside the main thread) means no limit.
    """
    if not seconds or not hasattr(signal, "SIGALRM") or not _in_main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise RenderError(
            f"{what} took longer than {seconds:g} s",
            hint="raise [limits] render_seconds, or look for an enormous article",
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def deferred_signals(signums: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)) -> Iterator[None]:
    """Hold SIGINT and SIGTERM back until the block is done, then deliver them.

    Publishing an edition writes several files; a Ctrl-C between two of them would
    leave a latest brief.pdf from one edition next to a brief.html from another.
    Inside this block a signal only is noted; afterwards it goes to the handler that
    was installed before (the CLI's turns it into exit 130, watch's stops the loop).
    """
    if not _in_main_thread():
        yield
        return
    caught: list[int] = []
    previous = {}
    for signum in signums:
        previous[signum] = signal.signal(signum, lambda s, _f: caught.append(s))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    for signum in dict.fromkeys(caught):
        handler = previous[signum]
        if callable(handler):
            handler(signum, None)
        elif handler == signal.SIG_DFL:
            raise KeyboardInterrupt  # what the default SIGINT handler would do


def worker_signals() -> None:
    """In a process pool's workers: Ctrl-C (sent to the whole terminal's process group) is
    the parent's to handle; SIGTERM ends the worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def stop_pool(pool: Any) -> None:
    """Stop a ``concurrent.futures.ProcessPoolExecutor`` now: queued work is cancelled and
    its worker processes are killed, not waited for (after Ctrl-C a worker could block
    on a result nobody reads, and the process would not exit)."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


# --- memory for a forked worker ------------------------------------------------------------

_CGROUP_FILES = (  # (limit, usage) of this process's memory cgroup: v2, then v1
    ("memory.max", "memory.current"),
    ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes"),
)


def can_fork_a_worker() -> bool:
    """Whether a forked worker process may take part of a build's work on another core:
    Linux (fork with copy-on-write), two cores or more, and memory for a copy of this
    process (``room_for_a_copy``)."""
    import os
    import sys

    return sys.platform == "linux" and (os.cpu_count() or 1) >= 2 and room_for_a_copy()


def room_for_a_copy(proc: Path = Path("/proc"), cgroup: Path = Path("/sys/fs/cgroup")) -> bool:
    """Whether there is memory for a second copy of this process: what a forked worker
    takes when it ends up writing to every page it inherits (reading a Python object
    writes its reference count). The memory the kernel calls available, and what the
    memory cgroup (a container's limit) has left, against this process's resident size.
    False when any of it cannot be read: then nothing is forked."""
    import os

    try:
        resident = int((proc / "self" / "statm").read_text().split()[1]) * os.sysconf(
            "SC_PAGE_SIZE"
        )
        available = _meminfo_available(proc / "meminfo")
    except (OSError, ValueError, IndexError):
        return False
    for limit_name, usage_name in _CGROUP_FILES:
        try:
            limit = (cgroup / limit_name).read_text().strip()
            usage = int((cgroup / usage_name).read_text())
        except (OSError, ValueError):
            continue
        if limit.isdigit():  # "max" in v2; v1 writes a huge number for no limit
            available = min(available, int(limit) - usage)
        break
    return available > resident


def _meminfo_available(meminfo: Path) -> int:
    for line in meminfo.read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    raise ValueError("no MemAvailable")
