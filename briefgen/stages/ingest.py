"""Ingest: find the articles in a folder, decode them strictly, read their metadata.

A file that cannot be read becomes an :class:`ArticleError` for that file alone;
the pipeline skips it with a warning and builds the brief from the rest.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from briefgen.errors import ArticleError, SourceDirError
from briefgen.models import Source
from briefgen.stages import metadata

ARTICLE_SUFFIXES = (".txt", ".md")
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_MATTER_KEYS = {"title", "outlet", "url", "published", "author", "date", "source"}


def check_source_dir(source_dir: Path) -> None:
    """Raise SourceDirError unless ``source_dir`` is an existing folder."""
    if not source_dir.exists():
        raise SourceDirError("source folder does not exist", path=str(source_dir))
    if not source_dir.is_dir():
        raise SourceDirError("not a folder", path=str(source_dir))


def list_articles(source_dir: Path) -> list[Path]:
    """Article files directly in ``source_dir``, sorted by name for a stable order."""
    check_source_dir(source_dir)
    root = source_dir.resolve()
    found = []
    for path in sorted(source_dir.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        # Never follow a symlink out of the folder; never open FIFOs or devices.
        resolved = path.resolve()
        if resolved.parent != root and root not in resolved.parents:
            continue
        if path.is_file():
            found.append(path)
    return found


def decode(raw: bytes, rel: str) -> str:
    """Strict UTF-8 (a BOM is allowed and dropped); anything else is an error for this file."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleError(
            "UTF-16 text is not supported", path=rel, hint="re-save the file as UTF-8"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
            path=rel,
            hint="re-save the file as UTF-8",
        ) from exc
    if "\x00" in text:
        raise ArticleError("contains NUL bytes (binary file?)", path=rel)
    if not text.strip():
        raise ArticleError("empty file", path=rel)
    return text


def source_id(raw: bytes) -> str:
    """A stable id from the content, so renaming a file does not change its id."""
    return hashlib.sha256(raw).hexdigest()[:12]


def read_article(raw: bytes, rel: str) -> Source:
    """Decode one article and read the metadata its text gives away."""
    text = decode(raw, rel)
    source = Source(id=source_id(raw), path=rel, text=text)
    if rel.lower().endswith(".md"):
        source.body_start = _read_front_matter(source)
    metadata.read_headline(source, source.body_start)
    return source


def _read_front_matter(source: Source) -> int:
    """Fill metadata from a ``---`` block of ``key: value`` lines; return where the body starts."""
    match = _FRONT_MATTER_RE.match(source.text)
    if not match:
        return 0
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        value = value.strip().strip("\"'")
        if not sep or not value or key not in _FRONT_MATTER_KEYS:
            continue
        if key in ("date", "published"):
            source.published = metadata.parse_date(value) or value
        elif key in ("outlet", "source"):
            source.outlet = value
        else:
            setattr(source, key, value)
    return match.end()
