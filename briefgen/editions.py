"""Editions: the manifest, the run lock, and atomic publishing of numbered editions.

Layout of an output folder::

    brief.pdf brief.docx ...        links to .briefgen/live/brief.pdf ...: the latest edition
    editions/0007/brief.pdf ...     the last K editions (config: [editions] keep)
    .briefgen/live                  link to gen/0007: the published edition, switched in one step
    .briefgen/gen/0007/             that edition's files, with its manifest.json and last-brief.json
    .briefgen/manifest.json         link to live/manifest.json: what the latest edition was built from
    .briefgen/last-brief.json       link to live/last-brief.json: its content, for "what is new"
    .briefgen/cache/                per-article analyses (see cache.py), private
    .briefgen/lock                  held by the running build (with a second lock outside OUTDIR)

An edition is written whole into a staging folder (every file synced), renamed into
``gen/``, copied (hard links) into ``editions/``, and published by replacing the one
``live`` link. A build that fails or is killed at any moment, a full disk included,
leaves every ``brief.*`` of the previous edition; never a mix of two editions.

Published files follow the umask like any file a tool writes (0644 under umask 022);
the cache and the state files are private (0600).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.atomic import fsync_dir as _fsync_dir
from briefgen.atomic import temp_name as _temp_name
from briefgen.atomic import write_atomic
from briefgen.errors import BusyError, OutputError

STATE_DIR = ".briefgen"
EDITIONS_DIR = "editions"
GEN_DIR = "gen"
LIVE = "live"
MANIFEST = "manifest.json"
LAST_BRIEF = "last-brief.json"
# Read failures that may pass by themselves: a build that met one does not count as
# having seen the folder's state (unless the fingerprint saw the same failure).
RETRY_CODES = ("BG-CHANGED", "BG-UNREADABLE")

_TEMP = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")  # our temp files and temp links
_STAGING = re.compile(r"^\.\d+\.staging-[0-9a-f]{12}$")  # our staging folders


# --- the lock ------------------------------------------------------------------------


@dataclass
class OutputLock:
    """The held lock of one output folder, and what that folder was when it was taken."""

    out_dir: Path
    identity: tuple[int, int]
    lock_identity: tuple[int, int]
    fds: list[int] = field(default_factory=list)

    def check(self) -> None:
        """Raise OutputError (BG-OUTGONE) when the output folder was removed or replaced
        since the lock was taken: publishing there would mix with another build."""
        try:
            now = os.stat(self.out_dir)
            lock = os.stat(self.out_dir / STATE_DIR / "lock")
            same = (
                stat.S_ISDIR(now.st_mode)
                and _identity(now) == self.identity
                and _identity(lock) == self.lock_identity
            )
        except OSError:
            same = False
        if not same:
            raise OutputError(
                "the output folder was removed or replaced during the build; nothing published",
                path=str(self.out_dir), code="BG-OUTGONE", hint="build again",
            )  # fmt: skip


def _identity(info: os.stat_result) -> tuple[int, int]:
    return (info.st_dev, info.st_ino)


@contextlib.contextmanager
def run_lock(out_dir: Path, *, wait: bool = False) -> Iterator[OutputLock]:
    """Hold the output folder's locks for the whole build.

    Two OS locks (flock), so both are released when the process dies, kill -9
    included: no stale lock files. One is keyed by OUTDIR's real path in a private
    per-user folder outside OUTDIR (``$XDG_RUNTIME_DIR`` or the temp folder), so it
    survives ``rm -rf OUTDIR`` and is shared through a symlink to OUTDIR; the other is
    ``OUTDIR/.briefgen/lock``, shared by every user who can write OUTDIR. A second run
    fails at once with BusyError, or waits its turn with ``wait=True``. The yielded
    lock's ``check()`` says whether OUTDIR is still the folder that was locked.
    """
    fds: list[int] = []
    try:
        outer = _outside_lock_path(out_dir)
        if outer is not None:
            fds.append(_open_lock(outer, 0o600, out_dir))
            _flock(fds[-1], wait, out_dir / STATE_DIR / "lock")
        created = not os.path.lexists(out_dir)
        state = out_dir / STATE_DIR
        try:
            state.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the lock: {exc.strerror}", path=str(state)) from exc
        fds.append(_open_lock(state / "lock", 0o644, state))
        _flock(fds[-1], wait, state / "lock")
        lock = OutputLock(out_dir, _identity(os.stat(out_dir)), _identity(os.fstat(fds[-1])), fds)
        try:
            yield lock
        except BaseException:
            # A run that created the output folder and failed leaves nothing behind
            # (only if the folder is still the one it created).
            with contextlib.suppress(OSError):
                if (
                    created
                    and _identity(os.stat(out_dir)) == lock.identity
                    and not any(p.name != STATE_DIR for p in out_dir.iterdir())
                ):
                    shutil.rmtree(out_dir, ignore_errors=True)
            raise
    finally:
        for fd in reversed(fds):
            os.close(fd)


def _open_lock(path: Path, mode: int, shown: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    except OSError as exc:
        raise OutputError(f"cannot create the lock: {exc.strerror}", path=str(shown)) from exc


def _flock(fd: int, wait: bool, shown: Path) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            raise BusyError(
                "another build holds the lock", path=str(shown), hint="wait for it, or pass --wait"
            ) from exc
        raise OutputError(f"cannot take the lock: {exc.strerror}", path=str(shown)) from exc


def _outside_lock_path(out_dir: Path) -> Path | None:
    """``<runtime dir>/briefgen-<uid>/<hash of OUTDIR's real path>.lock``, in a folder
    only this user can write (None when no such folder can be had: OUTDIR's own lock
    and the identity check still apply)."""
    uid = os.getuid()
    for base in (os.environ.get("XDG_RUNTIME_DIR"), tempfile.gettempdir()):
        if not base:
            continue
        folder = Path(base) / f"briefgen-{uid}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            info = os.lstat(folder)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o077:
            key = hashlib.sha256(os.fsencode(os.path.realpath(out_dir))).hexdigest()
            return folder / f"{key[:32]}.lock"
    return None


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
    rejected: dict[str, str] = field(default_factory=dict)  # article path -> error code
    failed: list[str] = field(default_factory=list)  # formats that did not render


def load_manifest(out_dir: Path) -> Manifest | None:
    """The manifest of the latest edition, or None (first run, or unreadable: rebuild)."""
    try:
        data = json.loads((out_dir / STATE_DIR / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(
            edition=int(data["edition"]),
            published_at=str(data["published_at"]),
            inputs=dict(data["inputs"]),
            files=list(data["files"]),
            rejected={str(k): str(v) for k, v in dict(data.get("rejected", {})).items()},
            failed=[str(f) for f in data.get("failed", [])],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def up_to_date(manifest: Manifest | None, current: Fingerprint, out_dir: Path) -> bool:
    """True when the latest edition was built from exactly these inputs, is all there,
    and has nothing to retry (a format that failed, an article read while it changed)."""
    return (
        manifest is not None
        and manifest.inputs == current.as_dict()
        and not manifest.failed
        and not _retry_pending(manifest)
        and all(_published(out_dir, name) for name in manifest.files)
    )


def _retry_pending(manifest: Manifest) -> bool:
    """An article rejected for a passing reason that the fingerprint did not see (it
    read the file's bytes): the next build must read it again, even though its bytes
    are the same. A rejected path the fingerprint does not list (a broken link) or saw
    fail the same way changes the fingerprint when it comes right."""
    digests = manifest.inputs.get("articles", {})
    for rel, code in manifest.rejected.items():
        marker = hashlib.sha256(f"\0{code}".encode()).hexdigest()
        if code in RETRY_CODES and digests.get(rel) not in (None, marker):
            return True
    return False


def _published(out_dir: Path, name: str) -> bool:
    path = out_dir / name
    if os.path.lexists(out_dir / STATE_DIR / LIVE):
        return _is_link_to(path, _link_target(name)) and path.is_file()
    return path.is_file()  # a folder written by an older briefgen (plain files)


def last_brief_path(out_dir: Path) -> Path:
    """Where the latest edition's data for the "what's new" diff is (``whatsnew.load_record``
    reads it)."""
    return out_dir / STATE_DIR / LAST_BRIEF


def next_edition(out_dir: Path, manifest: Manifest | None) -> int:
    """The number of the next edition: one past the manifest's, or, when the state was
    lost, past every edition still on disk (never reusing an archived number)."""
    if manifest is not None:
        return manifest.edition + 1
    numbers = [0]
    for folder in (out_dir / EDITIONS_DIR, out_dir / STATE_DIR / GEN_DIR):
        with contextlib.suppress(OSError):
            numbers += [int(p.name) for p in folder.iterdir() if p.name.isdigit()]
    return max(numbers) + 1


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
    rejected: dict[str, str] | None = None,
    failed: Iterable[str] = (),
    guard: Callable[[], None] | None = None,
) -> list[Path]:
    """Publish edition ``edition``: every file or none.

    The edition is written into a staging folder (each file synced), renamed to
    ``.briefgen/gen/NNNN``, linked into ``editions/NNNN``, and then published by one
    atomic rename of the ``.briefgen/live`` link that every ``brief.*`` points through.
    Any failure before that rename (a full disk, a read-only folder, ``guard`` saying
    the output folder was replaced) removes what was staged and raises OutputError;
    the previous edition stays published.
    """
    state = out_dir / STATE_DIR
    gen = state / GEN_DIR
    staged: list[Path] = []
    new_links: list[Path] = []
    manifest = {
        "edition": edition,
        "published_at": published_at,
        "inputs": inputs.as_dict(),
        "files": sorted(outputs),
        "rejected": _retry_codes(rejected or {}),
        "failed": sorted(failed),
    }
    previous = _live_number(state)
    try:
        if guard is not None:
            guard()
        gen.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out_dir)
        _adopt_plain_files(out_dir)
        previous = _live_number(state)
        folder = _new_folder(gen, edition)
        staged.append(folder)
        for name, data in outputs.items():
            write_atomic(folder / name, data)
        write_atomic(folder / LAST_BRIEF, _json(brief_data), private=True)
        write_atomic(folder / MANIFEST, _json(manifest), private=True)
        final = gen / f"{edition:04d}"
        staged[-1] = _rename_folder(folder, final)
        if keep > 0:
            if not os.path.lexists(out_dir / EDITIONS_DIR):
                staged.append(out_dir / EDITIONS_DIR)  # removed last, if this publish fails
            staged.append(_archive(final, list(outputs), out_dir / EDITIONS_DIR, edition))
        # The links exist before the switch (dangling or to the previous edition's file).
        links = [(out_dir / name, _link_target(name)) for name in outputs]
        links += [(state / name, f"{LIVE}/{name}") for name in (MANIFEST, LAST_BRIEF)]
        for path, target in links:
            if not os.path.lexists(path):
                new_links.append(path)
            _ensure_link(path, target)
        if guard is not None:
            guard()
        _ensure_link(state / LIVE, f"{GEN_DIR}/{final.name}", replace=True)  # the switch
    except OSError as exc:
        _remove(staged, new_links)
        kept = "nothing published" if previous is None else f"edition {previous} still published"
        raise OutputError(
            f"cannot write: {exc.strerror or exc}; {kept}",
            path=exc.filename or str(out_dir), hint=getattr(exc, "hint", None),
        ) from exc  # fmt: skip
    except BaseException:
        _remove(staged, new_links)
        raise
    # Published. What follows only tidies up; a failure there changes nothing visible.
    for path in out_dir.glob("*"):
        if path.name not in outputs and _is_link_to(path, _link_target(path.name)):
            with contextlib.suppress(OSError):
                path.unlink()
    prune_editions(out_dir, keep)
    _prune_generations(gen, {edition, previous})
    return [out_dir / name for name in outputs]


def _retry_codes(rejected: dict[str, str]) -> dict[str, str]:
    """The rejections to remember: those worth retrying, of paths the manifest can hold
    (a name that is not UTF-8 is never an article, so never needs a retry)."""
    kept = {}
    for rel, code in sorted(rejected.items()):
        with contextlib.suppress(UnicodeEncodeError):
            if code in RETRY_CODES and rel.encode("utf-8"):
                kept[rel] = code
    return kept


def _link_target(name: str) -> str:
    return f"{STATE_DIR}/{LIVE}/{name}"


def _is_link_to(path: Path, target: str) -> bool:
    try:
        return os.readlink(path) == target
    except OSError:
        return False


def _ensure_link(path: Path, target: str, *, replace: bool = False) -> None:
    """Make ``path`` a symlink to ``target``, replacing what is there in one rename."""
    if not replace and _is_link_to(path, target):
        return
    tmp = _temp_name(path.parent, path.name)
    try:
        os.symlink(target, tmp)
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS):
            exc.strerror = f"symbolic links not supported ({exc.strerror})"
            hint = "publishing needs a file system with symbolic links (not FAT/exFAT)"
            # An attribute OSError does not declare: publish reads it with getattr(exc, "hint").
            setattr(exc, "hint", hint)  # noqa: B010
        raise
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _live_number(state: Path) -> int | None:
    try:
        return int(os.readlink(state / LIVE).rpartition("/")[2])
    except (OSError, ValueError):
        return None


def _new_folder(parent: Path, edition: int) -> Path:
    """A new, empty staging folder (mode from the umask; mkdtemp would make it 0700)."""
    while True:
        folder = parent / f".{edition:04d}.staging-{secrets.token_hex(6)}"
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def _rename_folder(folder: Path, final: Path) -> Path:
    """Rename a complete staging folder to ``final``, replacing a leftover of a run that
    died before publishing it (never the published edition: its number is lower)."""
    _fsync_dir(folder)
    if os.path.lexists(final):
        shutil.rmtree(final)
    os.rename(folder, final)
    _fsync_dir(final.parent)
    return final


def _archive(source: Path, names: list[str], editions_dir: Path, edition: int) -> Path:
    """``editions/NNNN``: hard links to the edition's files (copies where links fail)."""
    editions_dir.mkdir(exist_ok=True)
    folder = _new_folder(editions_dir, edition)
    try:
        for name in names:
            try:
                os.link(source / name, folder / name)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                    raise
                shutil.copyfile(source / name, folder / name)
                with open(folder / name, "rb+") as handle:
                    os.fsync(handle.fileno())
        return _rename_folder(folder, editions_dir / f"{edition:04d}")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _adopt_plain_files(out_dir: Path) -> None:
    """Take over a folder written by an older briefgen (plain ``brief.*`` and state
    files): make its edition a generation and point ``live`` at it, then swap each plain
    file for a link to the same bytes. Readers see the same edition throughout."""
    state = out_dir / STATE_DIR
    if os.path.lexists(state / LIVE):
        return
    manifest = load_manifest(out_dir)
    if manifest is None or not (state / MANIFEST).is_file() or (state / MANIFEST).is_symlink():
        return
    plain = [
        n for n in manifest.files if (out_dir / n).is_file() and not (out_dir / n).is_symlink()
    ]
    if len(plain) != len(manifest.files):
        return  # not a complete edition: the new one replaces it
    gen = state / GEN_DIR
    folder = _new_folder(gen, manifest.edition)
    try:
        for name in plain:
            os.link(out_dir / name, folder / name)
        for name in (MANIFEST, LAST_BRIEF):
            if (state / name).is_file():
                os.link(state / name, folder / name)
        final = _rename_folder(folder, gen / f"{manifest.edition:04d}")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _ensure_link(state / LIVE, f"{GEN_DIR}/{final.name}", replace=True)
    for name in plain:
        _ensure_link(out_dir / name, _link_target(name))
    for name in (MANIFEST, LAST_BRIEF):
        _ensure_link(state / name, f"{LIVE}/{name}")


def _remove_leftovers(out_dir: Path) -> None:
    """Temp files and staging folders of runs that died (we hold the lock)."""
    state = out_dir / STATE_DIR
    for folder in (out_dir, state, state / GEN_DIR, out_dir / EDITIONS_DIR):
        with contextlib.suppress(OSError):
            for path in folder.iterdir():
                if _STAGING.match(path.name) and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                elif _TEMP.match(path.name) and not path.is_dir():
                    with contextlib.suppress(OSError):
                        path.unlink()


def _remove(folders: list[Path], links: list[Path]) -> None:
    """Undo a publish that did not happen: its staged folders and the links it added."""
    for path in reversed(folders):
        shutil.rmtree(path, ignore_errors=True)
    for path in links:
        with contextlib.suppress(OSError):
            path.unlink()


def _prune_generations(gen: Path, keep: set[int | None]) -> None:
    """Keep the published generation and the one before it (a reader that resolved
    the old link a moment ago can still open its file)."""
    with contextlib.suppress(OSError):
        for path in gen.iterdir():
            if path.name.isdigit() and int(path.name) not in keep:
                shutil.rmtree(path, ignore_errors=True)


def prune_editions(out_dir: Path, keep: int) -> None:
    """Keep the newest ``keep`` edition folders."""
    folder = out_dir / EDITIONS_DIR
    if not folder.is_dir():
        return
    numbered = sorted(
        (p for p in folder.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)
    )
    for old in numbered[: max(0, len(numbered) - keep)]:
        shutil.rmtree(old, ignore_errors=True)


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
