"""Editions: the manifest, the run lock, and atomic publishing of numbered editions.

Layout of an output folder::

    brief.pdf brief.docx ...       the latest edition, always complete
    editions/0007/brief.pdf ...    the last K editions (config: [editions] keep)
    .briefgen/manifest.json        what the latest edition was built from
    .briefgen/last-brief.json      its content, to say what is new next time
    .briefgen/cache/               per-article analyses (see cache.py)
    .briefgen/lock                 held by the running build

Every file is written to a temp file in its folder, synced and renamed into
place, and the manifest is written last: a run killed at any moment leaves the
previous edition complete and readable, and the next run redoes the work.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.errors import BusyError, OutputError

STATE_DIR = ".briefgen"
EDITIONS_DIR = "editions"
MANIFEST = "manifest.json"
LAST_BRIEF = "last-brief.json"


def write_atomic(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write to a temp file in the same folder, fsync, then rename over ``path``.

    A run killed at any moment leaves either the old file or the new one, never
    a half-written file (measured: a PDF written in place and killed was unreadable).
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # The rename itself is durable only once the folder's entry is synced.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the lock ------------------------------------------------------------------------


@contextlib.contextmanager
def run_lock(out_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold ``OUTDIR/.briefgen/lock`` for the whole build.

    An OS lock (flock), so it is released when the process dies, kill -9
    included: no stale lock files. A second run fails at once with BusyError,
    or waits its turn with ``wait=True``.
    """
    created = not out_dir.exists()
    state = out_dir / STATE_DIR
    try:
        state.mkdir(parents=True, exist_ok=True)
        fd = os.open(state / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot create the lock: {exc.strerror}", path=str(state)) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise BusyError(
                    "another build holds the lock",
                    path=str(state / "lock"),
                    hint="wait for it, or pass --wait",
                ) from exc
            raise
        try:
            yield
        except BaseException:
            # A run that created the output folder and failed leaves nothing behind.
            if created and not any(p.name != STATE_DIR for p in out_dir.iterdir()):
                shutil.rmtree(out_dir, ignore_errors=True)
            raise
    finally:
        os.close(fd)


# --- the manifest --------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """Everything an edition depends on, as content hashes."""

    articles: dict[str, str]
    config: str
    templates: str
    formats: tuple[str, ...]
    stem: str
    window: str | None = None  # the --since cutoff, when one is given
    version: str = __version__

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "config": self.config,
            "templates": self.templates,
            "formats": list(self.formats),
            "stem": self.stem,
            "window": self.window,
            "articles": dict(sorted(self.articles.items())),
        }


def fingerprint(
    articles: Iterable[tuple[str, bytes]],
    config_files: Iterable[Path],
    template_dirs: Iterable[Path],
    formats: Iterable[str],
    stem: str,
    window: str | None = None,
) -> Fingerprint:
    """Hash the articles, the config files (config, sources.toml) and every template file."""
    templates = hashlib.sha256()
    for folder in template_dirs:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            templates.update(path.relative_to(folder).as_posix().encode() + b"\0")
            templates.update(hashlib.sha256(path.read_bytes()).digest())
    return Fingerprint(
        articles={rel: hashlib.sha256(raw).hexdigest() for rel, raw in articles},
        config=_hash_files(config_files),
        templates=templates.hexdigest(),
        formats=tuple(sorted(formats)),
        stem=stem,
        window=window,
    )


def _hash_files(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<none>")
    return digest.hexdigest()


@dataclass
class Manifest:
    edition: int
    published_at: str
    inputs: dict[str, Any]
    files: list[str]


def load_manifest(out_dir: Path) -> Manifest | None:
    """The manifest of the latest edition, or None (first run, or unreadable: rebuild)."""
    try:
        data = json.loads((out_dir / STATE_DIR / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(
            edition=int(data["edition"]),
            published_at=str(data["published_at"]),
            inputs=dict(data["inputs"]),
            files=list(data["files"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def up_to_date(manifest: Manifest | None, current: Fingerprint, out_dir: Path) -> bool:
    """True when the latest edition was built from exactly these inputs and is all there."""
    return (
        manifest is not None
        and manifest.inputs == current.as_dict()
        and all((out_dir / name).is_file() for name in manifest.files)
    )


def load_last_brief(out_dir: Path) -> dict[str, Any] | None:
    """The content of the latest edition (its JSON data), for the "what's new" diff."""
    try:
        return json.loads((out_dir / STATE_DIR / LAST_BRIEF).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --- publishing ----------------------------------------------------------------------


def publish(
    outputs: dict[str, bytes],
    out_dir: Path,
    *,
    edition: int,
    published_at: str,
    inputs: Fingerprint,
    brief_data: dict[str, Any],
    keep: int,
) -> list[Path]:
    """Write edition ``edition``: its archive copy, then the latest files, then the manifest."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        archive = out_dir / EDITIONS_DIR / f"{edition:04d}"
        if keep > 0:
            archive.mkdir(parents=True, exist_ok=True)
            for name, data in outputs.items():
                write_atomic(archive / name, data)
        written = []
        for name, data in outputs.items():
            write_atomic(out_dir / name, data)
            written.append(out_dir / name)
        state = out_dir / STATE_DIR
        write_atomic(state / LAST_BRIEF, _json(brief_data))
        manifest = {
            "edition": edition,
            "published_at": published_at,
            "inputs": inputs.as_dict(),
            "files": sorted(outputs),
        }
        write_atomic(state / MANIFEST, _json(manifest))
    except OSError as exc:
        raise OutputError(
            f"cannot write: {exc.strerror}", path=exc.filename or str(out_dir)
        ) from exc
    prune_editions(out_dir, keep)
    return written


def prune_editions(out_dir: Path, keep: int) -> None:
    """Keep the newest ``keep`` edition folders."""
    folder = out_dir / EDITIONS_DIR
    if not folder.is_dir():
        return
    numbered = sorted(p for p in folder.iterdir() if p.is_dir() and p.name.isdigit())
    for old in numbered[: max(0, len(numbered) - keep)]:
        shutil.rmtree(old, ignore_errors=True)


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
