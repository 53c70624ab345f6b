"""Publishing outputs: every file is written whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from briefgen.errors import OutputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename over ``path``.

    A run killed at any moment leaves either the old file or the new one, never
    a half-written file (measured: a PDF written in place and killed was unreadable).
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # The rename itself is durable only once the folder's entry is synced.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def publish(outputs: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write every rendered output into ``out_dir``; names are file names."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create output folder: {exc.strerror}", path=str(out_dir)
        ) from exc
    written = []
    for name, data in outputs.items():
        path = out_dir / name
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", path=str(path)) from exc
        written.append(path)
    return written
