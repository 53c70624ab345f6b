"""Atomic file writes: a temp file in the same folder, synced, renamed over the target.

Its own module so that every part of briefgen that writes a file (the cache, publishing)
can import it without importing anything else of briefgen.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, sync: bool = True, private: bool = False) -> None:
    """Write to a temp file in the same folder, fsync, then rename over ``path``.

    A run killed at any moment leaves either the old file or the new one, never
    a half-written file (measured: a PDF written in place and killed was unreadable).
    The file gets 0666 minus the umask, like any file a tool writes; 0600 if ``private``.
    """
    fd, tmp = create_temp(path.parent, path.name, 0o600 if private else 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if sync:
        fsync_dir(path.parent)


def write_new(path: Path, data: bytes) -> None:
    """Write ``path`` whole, only if it does not exist: FileExistsError otherwise.

    The temp file is linked into place, and the link fails if the name exists (another
    process, a user saving at that moment), so nothing is ever replaced and no reader sees
    half a file. Where hard links do not exist (FAT, some network shares) the file is
    created exclusively and written in place instead."""
    fd, tmp = create_temp(path.parent, path.name, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            with open(path, "xb") as handle:
                handle.write(data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_dir(path.parent)


def temp_name(folder: Path, name: str) -> Path:
    """A fresh hidden temp name next to ``name``: ``.NAME.<12 hex>.tmp``."""
    return folder / f".{name}.{secrets.token_hex(6)}.tmp"


def create_temp(folder: Path, name: str, mode: int) -> tuple[int, Path]:
    """A new temp file opened for writing (never an existing one, never through a link)."""
    # Not mkstemp: it makes every file 0600 whatever the umask.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    while True:
        tmp = temp_name(folder, name)
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue


def fsync_dir(folder: Path) -> None:
    """Sync a folder's entries: a rename is durable only once its folder is synced."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
