"""Ingest: find the articles in a folder, decode them strictly, read their metadata.

A file that cannot be read becomes an :class:`ArticleError` for that file alone;
the pipeline skips it with a warning and builds the brief from the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from briefgen.errors import ArticleError, SourceDirError, display_path
from briefgen.limits import MAX_ARTICLE_BYTES
from briefgen.models import Source
from briefgen.stages import metadata

# Plain text, Markdown, saved web pages, feeds and JSON exports (see readers.py).
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_MATTER_KEYS = {
    "title", "outlet", "url", "published", "author", "date", "source", "reliability",
}  # fmt: skip


def check_source_dir(source_dir: Path) -> None:
    """Raise SourceDirError unless ``source_dir`` is an existing folder."""
    if not source_dir.exists():
        raise SourceDirError("source folder does not exist", path=str(source_dir))
    if not source_dir.is_dir():
        raise SourceDirError("not a folder", path=str(source_dir))


def _candidates(source_dir: Path, out_dir: Path | None = None) -> list[tuple[Path, bool]]:
    """Every entry of ``source_dir`` that looks like an article by its name, sorted;
    never briefgen's own output (see ``OwnOutput``). Each comes with whether the folder
    listing itself showed a regular file that is no symlink (``os.scandir`` reads that
    without a system call per entry): its real path is then known without resolving it."""
    from briefgen.stages.readers import READERS  # the one list of formats (readers import us)

    check_source_dir(source_dir)
    own = OwnOutput(source_dir, out_dir)
    found = []
    with os.scandir(source_dir) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith(".") or Path(name).suffix.lower() not in READERS:
                continue
            path = source_dir / name
            plain = _is_plain_file(entry)
            if not (own.contains_plain(name) if plain else own.contains(path)):
                found.append((path, plain))
    return sorted(found, key=lambda found: found[0].name)


def _is_plain_file(entry: os.DirEntry[str]) -> bool:
    try:
        return not entry.is_symlink() and entry.is_file(follow_symlinks=False)
    except OSError:
        return False


# The layout of an output folder (editions.py): the state folder marks one.
STATE_DIR = ".briefgen"
_EDITIONS_DIR = "editions"
_MANIFEST = "manifest.json"
# What briefgen publishes that a reader would take for an article (brief.html, ...).
_OUTPUT_SUFFIXES = (".html", ".md", ".json")


class OwnOutput:
    """What briefgen itself wrote, as real paths: never read back as an article.

    That is the output folder ``out_dir`` with everything in it (when it is not the
    source folder itself), any folder holding briefgen's state folder ``.briefgen``,
    and, when the source folder is an output folder (``-o`` the source folder: it has
    ``.briefgen``), its ``editions/`` and ``.briefgen/`` and the files it published:
    those the manifest and the edition folders name, by name and by stem
    (``brief.html`` when ``brief.pdf`` was published).
    """

    def __init__(self, source_dir: Path, out_dir: Path | None = None):
        self.root = _real(source_dir)
        self.folders: set[Path] = set()
        self.files: set[Path] = set()
        out = _real(out_dir) if out_dir is not None else None
        if out is not None and out != self.root:
            self.folders.add(out)
        if out == self.root or (self.root / STATE_DIR).is_dir():
            self.folders |= {self.root / STATE_DIR, self.root / _EDITIONS_DIR}
            names = set(_published_names(self.root))
            stems = {name.rsplit(".", 1)[0] for name in names}
            names |= {stem + suffix for stem in stems for suffix in _OUTPUT_SUFFIXES}
            self.files = {self.root / name for name in names}
        # An output folder holding the source folder holds every entry of it too.
        self.root_is_output = any(
            folder == self.root or folder in self.root.parents for folder in self.folders
        )

    def contains_plain(self, name: str) -> bool:
        """``contains`` for a regular file named ``name`` directly in the source folder
        (no symlink): its real path is the source folder's, and a file is no folder."""
        return self.root_is_output or self.root / name in self.files

    def contains(self, path: Path) -> bool:
        """True when ``path`` (an entry of the source folder) is, or leads to, output."""
        if self.root / path.name in self.files:  # the entry itself, before links
            return True
        real = _real(path)
        if real in self.files or real in self.folders:
            return True
        if any(folder in real.parents for folder in self.folders):
            return True
        # Any folder holding a state folder is an output folder: the entry itself (a
        # folder named like an article) or a folder it lies in, below the source folder.
        below = [real, *(p for p in real.parents if self.root in p.parents)]
        return any(_is_output_folder(folder) for folder in below)


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: check_entry names it
        return path.absolute()


def _is_output_folder(folder: Path) -> bool:
    try:
        return (folder / STATE_DIR).is_dir()
    except OSError:
        return False


def _published_names(out: Path) -> list[str]:
    """The file names briefgen published in output folder ``out``: the manifest's, and
    those of the kept editions (an earlier stem, a format that failed this time)."""
    names: list[str] = []
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError, RecursionError):
        manifest = json.loads((out / STATE_DIR / _MANIFEST).read_text(encoding="utf-8"))
        names += [n for n in manifest.get("files", []) if isinstance(n, str)]
    with contextlib.suppress(OSError):
        for edition in (out / _EDITIONS_DIR).iterdir():
            if edition.is_dir() and not edition.is_symlink():
                names += [p.name for p in edition.iterdir()]
    return [n for n in names if n and "/" not in n and not n.startswith(".")]


def check_entry(path: Path, rel: str, root: Path, *, plain: bool = False) -> Path:
    """The real path of article ``path`` after checks that open nothing; else ArticleError.

    Never follows a symlink out of ``root`` (the resolved source folder); never lets a
    FIFO, device, socket or folder through; rejects names that are not UTF-8 (they
    cannot be written into the UTF-8 outputs and manifest). ``plain``: the folder
    listing showed a regular file, no symlink, directly in ``root`` (``_candidates``),
    so nothing is resolved; ``read_raw`` checks again when it opens the file.
    """
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        raise ArticleError(
            "file name is not valid UTF-8", path=rel, code="BG-FILENAME",
            hint="rename the file",
        ) from None  # fmt: skip
    if plain:
        return root / path.name
    try:
        resolved = path.resolve(strict=True)
        info = os.stat(resolved)
    except FileNotFoundError:
        gone = "is a broken symlink" if path.is_symlink() else "disappeared before it was read"
        raise ArticleError(gone, path=rel, code="BG-UNREADABLE") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ArticleError(f"cannot read: {reason}", path=rel, code="BG-UNREADABLE") from None
    if resolved != root and root not in resolved.parents:
        raise ArticleError(
            "symlink points outside the source folder; not followed",
            path=rel, code="BG-OUTSIDE", hint="copy the file into the folder instead",
        )  # fmt: skip
    if not stat.S_ISREG(info.st_mode):
        raise ArticleError(
            f"not a regular file ({_file_kind(info.st_mode)}); not opened",
            path=rel, code="BG-NOTFILE",
        )  # fmt: skip
    return resolved


def _file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"


def list_articles(source_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """Article files directly in ``source_dir`` that are safe to open, sorted by name;
    never anything in or from the output folder ``out_dir`` (see ``OwnOutput``).

    Entries that ``check_entry`` refuses are left out here; ``ArticleReader.refused`` names them.
    """
    return ArticleReader(source_dir, out_dir=out_dir).listing()[0]


# The two system calls reading goes through, as names tests can replace to simulate
# an unreadable file or one that changes while it is read (tests run as root).
_open = os.open
_read_chunk = os.read
_CHUNK = 1 << 20


def read_raw(
    path: Path, rel: str, max_bytes: int = MAX_ARTICLE_BYTES, root: Path | None = None
) -> bytes:
    """The bytes of one article file, read safely; any problem is an ArticleError.

    Checked before opening (``check_entry``), opened without following a final
    symlink and without blocking (a FIFO swapped in cannot hang the build), refused
    when over ``max_bytes`` (reading stops there), and refused when the file changed,
    was replaced or disappeared while it was read: the next build reads it again.
    """
    root = root if root is not None else path.parent.resolve()
    resolved = check_entry(path, rel, root)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        fd = _open(resolved, flags)
    except FileNotFoundError:
        raise ArticleError(
            "disappeared before it was read", path=rel, code="BG-UNREADABLE"
        ) from None
    except OSError as exc:
        raise ArticleError(
            f"cannot read: {exc.strerror or exc}", path=rel, code="BG-UNREADABLE",
            hint="check the file's permissions",
        ) from None  # fmt: skip
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):  # swapped for something else since the check
            raise ArticleError(
                f"not a regular file ({_file_kind(before.st_mode)}); not read",
                path=rel, code="BG-NOTFILE",
            )  # fmt: skip
        if before.st_size > max_bytes:
            raise _too_big(rel, before.st_size, max_bytes)
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = _read_chunk(fd, min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise _too_big(rel, total, max_bytes, growing=True)
        after = os.fstat(fd)
    except OSError as exc:
        raise ArticleError(
            f"cannot read: {exc.strerror or exc}", path=rel, code="BG-UNREADABLE"
        ) from None
    finally:
        os.close(fd)
    try:
        now = os.stat(resolved, follow_symlinks=False)
    except FileNotFoundError:
        raise ArticleError(
            "disappeared while it was read", path=rel, code="BG-CHANGED",
            hint="it is read again on the next build",
        ) from None  # fmt: skip
    if (
        _version(before) != _version(after)
        or _version(after) != _version(now)
        or total != after.st_size
    ):
        raise ArticleError(
            "changed while it was read", path=rel, code="BG-CHANGED",
            hint="it is read again on the next build",
        )  # fmt: skip
    return b"".join(chunks)


def _version(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _too_big(rel: str, size: int, limit: int, *, growing: bool = False) -> ArticleError:
    more = "more than " if growing else ""
    return ArticleError(
        f"too large: {more}{size:,} bytes, over the limit of {limit:,} bytes; skipped",
        path=rel, code="BG-TOOBIG",
        hint="raise [limits] max_article_bytes in briefgen.toml to include it",
    )  # fmt: skip


class ArticleReader:
    """Reads the articles of one folder for one build, and names those it refuses.

    ``refused()`` lists the entries that are never opened (FIFOs, devices, folders,
    symlinks out of the folder, names that are not UTF-8); ``read()`` reads one file
    with ``read_raw`` and refuses a file with the same bytes as one read before it
    (the first name is kept, the copy is named with the original).

    Each file is read once per reader: ``raw()`` (what the build's fingerprint of the
    inputs reads) keeps the bytes, or the error, and ``read()`` takes them from there.
    """

    def __init__(
        self, source_dir: Path, max_bytes: int = MAX_ARTICLE_BYTES, out_dir: Path | None = None
    ):
        self.source_dir = source_dir
        self.root = source_dir.resolve()
        self.max_bytes = max_bytes
        self.out_dir = out_dir
        self._seen: dict[str, str] = {}
        self._read: dict[Path, bytes | ArticleError] = {}
        self._listing: tuple[list[Path], list[ArticleError]] | None = None

    def refused(self) -> list[ArticleError]:
        return self.listing()[1]

    def listing(self) -> tuple[list[Path], list[ArticleError]]:
        """The articles ``list_articles`` gives and the entries ``refused`` names, from
        one pass over the folder, made once per reader: the build's fingerprint and its
        analysis read the same list, as they read the same bytes."""
        if self._listing is None:
            found, problems = [], []
            for path, plain in _candidates(self.source_dir, self.out_dir):
                try:
                    check_entry(path, path.name, self.root, plain=plain)
                except ArticleError as exc:
                    problems.append(exc)
                    continue
                found.append(path)
            self._listing = (found, problems)
        return self._listing[0][:], self._listing[1][:]

    def raw(self, path: Path, rel: str) -> bytes:
        """The bytes of ``path`` (``read_raw``, every guard included), read once."""
        found = self._read.get(path)
        if found is None:
            try:
                found = read_raw(path, rel, self.max_bytes, self.root)
            except ArticleError as exc:
                found = exc
            self._read[path] = found
        if isinstance(found, ArticleError):
            raise found
        return found

    def read(self, path: Path, rel: str) -> bytes:
        raw = self.raw(path, rel)
        digest = hashlib.sha256(raw).hexdigest()
        first = self._seen.setdefault(digest, rel)
        if first != rel:
            raise ArticleError(
                f"same content as {display_path(first)}; skipped",
                path=rel, code="BG-DUPLICATE", hint="delete one of the two copies",
            )  # fmt: skip
        return raw


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SAMPLE = 8192


def decode(raw: bytes, rel: str) -> str:
    """Strict UTF-8 (a BOM is allowed and dropped); anything else is an error for this file.

    Errors say what the file looks like instead: empty, binary, UTF-16, another
    encoding (with the offset and line of the first byte that is not UTF-8), or text
    with a NUL byte in it.
    """
    if not raw.strip() or raw.strip() == b"\xef\xbb\xbf":
        raise ArticleError("empty file", path=rel, code="BG-EMPTY")
    if raw.startswith(_UTF16_BOMS) or _looks_utf16(raw[:_SAMPLE]):
        raise ArticleError(
            "UTF-16 text is not supported", path=rel, code="BG-ENCODING",
            hint="re-save the file as UTF-8",
        )  # fmt: skip
    if _looks_binary(raw[:_SAMPLE]):
        raise ArticleError("binary file, not text", path=rel, code="BG-BINARY")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise ArticleError(
            f"contains a NUL byte at offset {nul} (line {line})",
            path=rel, code="BG-BINARY", hint="remove it, or re-save the file as plain UTF-8",
        )  # fmt: skip
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ArticleError(
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} (line {line})",
            path=rel, code="BG-ENCODING", hint="re-save the file as UTF-8",
        ) from None  # fmt: skip
    if not text.strip():
        raise ArticleError("empty file", path=rel, code="BG-EMPTY")
    return text


def _looks_utf16(sample: bytes) -> bool:
    """Many NULs at even or odd offsets alone: UTF-16 without a byte-order mark."""
    half = len(sample) // 2
    if half < 4:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) > 0.4 * half and min(even, odd) < 0.05 * half


# Bytes that do not occur in text: C0 controls but tab, line feed, form feed, carriage
# return and escape, plus NUL.
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def _looks_binary(sample: bytes) -> bool:
    """More than 5% control bytes (and more than two) in the sample: not a text file."""
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return controls > 2 and controls > 0.05 * len(sample)


def source_id(raw: bytes) -> str:
    """A stable id from the content, so renaming a file does not change its id."""
    return hashlib.sha256(raw).hexdigest()[:12]


def read_article(raw: bytes, rel: str, warnings: list[ArticleError] | None = None) -> Source:
    """Decode one article and read the metadata its text gives away.

    A front-matter date that is no date is dropped, with a warning added to ``warnings``."""
    text = decode(raw, rel)
    fields: dict[str, Any] = {}
    if rel.lower().endswith(".md"):
        fields = _read_front_matter(text, rel, warnings if warnings is not None else [])
    source = Source(id=source_id(raw), path=rel, text=text, **fields)
    return metadata.read_headline(source, source.body_start)


def _read_front_matter(text: str, rel: str, warnings: list[ArticleError]) -> dict[str, Any]:
    """The metadata of a ``---`` block of ``key: value`` lines, with ``body_start``
    where the body starts; nothing when there is no such block."""
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return {}
    fields: dict[str, Any] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        value = value.strip().strip("\"'")
        if not sep or not value or key not in _FRONT_MATTER_KEYS:
            continue
        if key in ("date", "published"):
            fields["published"] = checked_date(value, rel, warnings, strict=True)
        elif key in ("outlet", "source"):
            fields["outlet"] = value
        else:
            fields[key] = value
    fields["body_start"] = match.end()
    return fields


def checked_date(
    value: str, rel: str, warnings: list[ArticleError], *, strict: bool = False
) -> str | None:
    """``value`` as an ISO date (``metadata.parse_date``), or None with a BG-DATE warning
    for ``rel`` when it names a day that does not exist (30 February, year 0) or, when
    ``strict`` (a date an editor typed: front matter, sources.toml), is no date at all."""
    iso = metadata.parse_date(value)
    if iso:
        return iso
    impossible = metadata.impossible_date(value)
    if impossible or strict:
        reason = (
            f"date {impossible!r} is not a real date" if impossible
            else f"date {value[:60]!r} is not a date briefgen can read"
        )  # fmt: skip
        warnings.append(
            ArticleError(
                f"{reason}; treated as undated",
                path=rel,
                code="BG-DATE",
                hint="write it as YYYY-MM-DD",
            )
        )
    return None
