"""Watch and schedule: rebuild when the inputs change, or every N minutes.

Both loops call the same idempotent build (``build.run_build``): an unchanged
folder costs a fingerprint, a changed one an incremental build. Errors are
logged and the loop goes on; Ctrl-C and SIGTERM stop it cleanly between builds, and a
second one stops at once (the last complete edition stays in place).

What is watched follows the readers' registry (``stages.readers.READERS``): a file of
any format briefgen reads, plus the config, sidecar and templates.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from briefgen.errors import BriefgenError, BusyError, ConfigError, display_path
from briefgen.stages.readers import READERS

log = logging.getLogger("briefgen.watch")

# Editors' and downloaders' temporary files: a save is "write temp, rename", and
# only the rename's result matters.
_TEMP_NAME_RE = re.compile(
    r"(^\.|~$|\.sw[a-p]$|\.tmp$|\.part$|\.crdownload$|\.bak$|^#.*#$|\.kate-swp$)", re.I
)
# Articles of every format a reader is registered for; config and sidecar (.toml);
# templates (.j2, print.css, brief.docx).
WATCHED_SUFFIXES = frozenset(READERS) | {".toml", ".j2", ".css", ".docx"}
SETTLE_SECONDS = 0.3  # a file whose size still changes over this time is still being written
_EVERY_RE = re.compile(r"^\s*(\d+)\s*(s|m|h|d)?\s*$", re.I)
MAX_EVERY_SECONDS = 366 * 86400  # a longer interval is a typo, and past what a timer can wait


def relevant(path: str, out_dir: Path | None = None) -> bool:
    """Whether a changed path can change the brief (articles, config, templates)."""
    p = Path(path)
    if out_dir is not None:
        try:
            p.resolve().relative_to(out_dir.resolve())
            return False  # our own output, never a reason to rebuild
        except ValueError:
            pass
    return not _TEMP_NAME_RE.search(p.name) and p.suffix.lower() in WATCHED_SUFFIXES


def wait_until_settled(paths: Iterable[str], timeout: float = 10.0) -> None:
    """Wait while any of ``paths`` is still growing (a file being written or copied)."""

    def sizes() -> dict[str, int]:
        found = {}
        for p in paths:
            try:
                found[p] = Path(p).stat().st_size
            except OSError:
                found[p] = -1
        return found

    deadline = time.monotonic() + timeout
    before = sizes()
    while time.monotonic() < deadline:
        time.sleep(SETTLE_SECONDS)
        after = sizes()
        if after == before:
            return
        before = after


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM (and SIGINT), so loops finish the current build and stop.

    A second signal raises KeyboardInterrupt: the build in progress stops at once (the
    CLI reports BG-INTERRUPTED, exit 130) and, the publish being atomic, the last
    complete edition stays in place. Worker processes forked during a build inherit
    the handler; there it does nothing, the parent decides.
    """
    stop = threading.Event()
    owner = os.getpid()

    def handler(signum: int, _frame: object) -> None:
        if os.getpid() != owner:
            return
        if stop.is_set():
            raise KeyboardInterrupt
        log.info(
            "stopping on signal %s (a second one stops at once)",
            signal.Signals(signum).name,
        )
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


def safe_build(build: Callable[..., object], *args: object, **kwargs: object) -> bool:
    """Run one build; log instead of raising, so the loop survives bad input."""
    try:
        build(*args, **kwargs)
        return True
    except BusyError as exc:
        log.warning("skipped: %s", exc.one_line())
    except ConfigError as exc:
        log.error("%s (fix it and save again)", exc.one_line())
    except BriefgenError as exc:
        log.error("%s", exc.one_line())
    except Exception:  # a bug must not end a long-running watch; it is logged in full
        log.exception("build failed")
    return False


def watch(
    roots: Iterable[Path],
    build: Callable[..., object],
    *,
    out_dir: Path | None = None,
    stop: threading.Event | None = None,
    debounce_ms: int = 800,
    on_ready: Callable[[], None] | None = None,
) -> int:
    """Build once, then again after every relevant change under ``roots``; return builds run.

    ``build`` is called with no argument first, then with ``changed=`` the changed
    paths, so that it can log one line per rebuild naming them."""
    import watchfiles

    stop = stop or threading.Event()
    safe_build(build)
    builds = 1
    watched = [str(r) for r in roots if r.exists()]
    log.info("watching %s", ", ".join(display_path(w) for w in watched))
    if on_ready:
        on_ready()
    for changes in watchfiles.watch(
        *watched,
        watch_filter=lambda _change, path: relevant(path, out_dir),
        debounce=debounce_ms,
        stop_event=stop,
        raise_interrupt=False,
        yield_on_timeout=False,
    ):
        paths = sorted({path for _, path in changes})
        log.debug("changed: %s", ", ".join(display_path(Path(p).name) for p in paths))
        wait_until_settled(paths)
        safe_build(build, changed=paths)
        builds += 1
        if stop.is_set():
            break
    return builds


def parse_every(text: str) -> float:
    """'15m' -> 900.0 seconds; plain numbers are minutes; at most a year."""
    match = _EVERY_RE.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"expected an interval such as 30s, 15m, 2h or 1d, got {text!r}")
    unit = (match.group(2) or "m").lower()
    if len(match.group(1)) > 12:  # int() of thousands of digits is refused, and absurd
        raise ValueError(f"an interval of at most 366d, got {text!r}")
    seconds = int(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    if seconds > MAX_EVERY_SECONDS:
        raise ValueError(f"an interval of at most 366d, got {text!r}")
    return seconds


def schedule(
    every_seconds: float,
    build: Callable[[], object],
    *,
    stop: threading.Event | None = None,
    max_runs: int | None = None,
) -> int:
    """Build now and then every ``every_seconds`` (measured start to start); return builds run."""
    stop = stop or threading.Event()
    runs = 0
    next_start = time.monotonic()
    while not stop.is_set():
        safe_build(build)
        runs += 1
        if max_runs is not None and runs >= max_runs:
            break
        next_start += every_seconds
        # A build longer than the interval is not followed by a burst of catch-up runs.
        next_start = max(next_start, time.monotonic())
        stop.wait(next_start - time.monotonic())
    return runs
