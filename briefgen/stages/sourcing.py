"""Sourcing: what an editor knows about the sources beyond their text.

* ``sources.toml`` next to the articles sets or corrects title, outlet, URL, date
  and a reliability grade for any article (``FILE`` or ``FILE#N`` for one entry of
  a feed or export).
* A date in a file name (``2018-07-29-voters.txt``) dates an article that has no
  other date: metadata, front matter, ``sources.toml`` and datelines come first.
* Syndication: the same wire story published by two outlets (near-identical
  text) is one origin. Both stay in the source list, but a fact they share
  counts once when the brief says how many independent sources confirm it.
* Time window: ``--since 24h`` or ``--since 2025-12-01`` keeps the articles
  published in the window; articles without a date are kept and flagged.
"""

from __future__ import annotations

import heapq
import re
import tomllib
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from briefgen.errors import ArticleError, ConfigError
from briefgen.models import Source
from briefgen.stages import metadata
from briefgen.stages.ingest import checked_date

SIDECAR = "sources.toml"
_SIDECAR_KEYS = {"title", "outlet", "url", "published", "author", "reliability"}
SHINGLE = 5  # words per shingle for near-duplicate detection
SKETCH = 64  # smallest shingle hashes kept per article (a bottom-k MinHash sketch)
MAX_POSTINGS = 50
SYNDICATED = 0.6  # estimated shingle Jaccard at which two articles are one wire story


# --- sources.toml ---------------------------------------------------------------------


def load_sidecar(source_dir: Path) -> dict[str, dict[str, str]]:
    """Per-article metadata from ``sources.toml``; {} when there is none."""
    path = source_dir / SIDECAR
    if not path.is_file():
        return {}
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=where) from exc
    except RecursionError:  # arrays nested hundreds deep: tomllib recurses
        raise ConfigError("nested too deeply to read", path=where) from None
    entries: dict[str, dict[str, str]] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(
                f"key '{name}': expected a table of metadata for that article", path=where,
                hint='write ["file.txt"] then title = "...", outlet = "..."',
            )  # fmt: skip
        for key, value in table.items():
            if key not in _SIDECAR_KEYS:
                raise ConfigError(
                    f"unknown key '{name}.{key}'", path=where,
                    hint=f"expected one of: {', '.join(sorted(_SIDECAR_KEYS))}",
                )  # fmt: skip
            if not isinstance(value, str | datetime) and not hasattr(value, "isoformat"):
                raise ConfigError(f"key '{name}.{key}': expected a string", path=where)
        entries[name] = {
            k: v.isoformat() if hasattr(v, "isoformat") else str(v) for k, v in table.items()
        }
    return entries


def apply_sidecar(
    sources: Sequence[Source], entries: dict[str, dict[str, str]]
) -> tuple[list[Source], list[ArticleError]]:
    """The sources with the metadata of their entries (by ``path``, or the file of
    ``FILE#N``), and what is still undated dated by its file name (see
    ``apply_file_name_dates``); new objects, in the same order.

    A ``published`` that is no date (30 February) leaves the article undated; the
    returned warnings (BG-DATE) name each such article."""
    warnings: list[ArticleError] = []
    updated = []
    for source in sources:
        entry = entries.get(source.path) or entries.get(source.path.split("#", 1)[0]) or {}
        fields: dict[str, Any] = {}
        for key, value in entry.items():
            if key == "published":
                fields[key] = checked_date(value, source.path, warnings, strict=True)
                continue
            fields[key] = value.strip() if isinstance(value, str) else value
        updated.append(replace(source, **fields) if fields else source)
    return apply_file_name_dates(updated), warnings


# --- dates in file names --------------------------------------------------------------

# 2018-07-29-voters.txt, 20180729_voters.txt, 2018_07_29voters.txt: one separator (or
# none) used twice; not glued to a letter or digit before it, so a hash is not a date.
_FILE_DATE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?P<year>(?:19|20)\d{2})(?P<sep>[-_.]?)(?P<month>\d{2})(?P=sep)"
    r"(?P<day>\d{2})(?!\d)"
)


def file_name_date(path: str) -> str | None:
    """The ISO date a file name carries (``FILE#N``: the file's); None when there is
    none or it is impossible (30 February is a typo, not a date to trust)."""
    name = path.split("#", 1)[0].rsplit("/", 1)[-1]
    for match in _FILE_DATE_RE.finditer(name):
        try:
            day = date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            continue
        return day.isoformat()
    return None


def apply_file_name_dates(sources: Sequence[Source]) -> list[Source]:
    """The sources, each undated one dated by its file name (a new object).

    Runs after the sidecar, and after cleaning has read datelines, so a date from the
    metadata, front matter, ``sources.toml`` or a dateline always wins; and on every
    build, so a renamed file (its analysis cached under its bytes) is dated by its new name.
    """
    return [
        source if source.published else replace(source, published=file_name_date(source.path))
        for source in sources
    ]


# --- syndication ----------------------------------------------------------------------


def _sketch(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    # crc32: fast and the same in every process, so the result is reproducible.
    return set(heapq.nsmallest(SKETCH, {zlib.crc32(s.encode()) for s in shingles}))


Sketch = tuple[int, list[int]]  # (crc32 of the text sketched, its bottom-k hashes)


def sketch_of(source: Source) -> Sketch:
    """The syndication sketch of a source, computed once per article (with its analysis,
    in the worker processes, cached) and checked against the text it was made from."""
    body = source.text[source.body_start :]
    return zlib.crc32(body.encode()), sorted(_sketch(body))


def mark_syndication(
    sources: Sequence[Source], known: Sequence[Sketch | None] | None = None
) -> list[Source]:
    """The sources, every later copy of the same wire story with ``syndicated_from``
    set (a new object; the others as they were).

    Bottom-k sketches estimate shingle Jaccard; candidates come from shared sketch
    hashes (an inverted index), so the work grows with the number of articles.
    ``known``: each source's ``sketch_of`` when computed already (one that does not
    match its text is computed again).
    """
    if known is None or len(known) != len(sources):
        known = [None] * len(sources)
    sketches = [_known_sketch(s, k) for s, k in zip(sources, known, strict=True)]
    postings: defaultdict[int, list[int]] = defaultdict(list)
    for i, sketch in enumerate(sketches):
        for h in sketch:
            postings[h].append(i)
    marked = list(sources)
    for i, source in enumerate(sources):
        shared: defaultdict[int, int] = defaultdict(int)
        for h in sketches[i]:
            ids = postings[h]
            if len(ids) > MAX_POSTINGS:
                continue  # a stock phrase many articles share says nothing about copying
            for j in ids:
                if j < i:
                    shared[j] += 1
        # The union is at least this sketch's size, so fewer shared hashes than
        # SYNDICATED of it cannot reach SYNDICATED: no union to count for those.
        enough = SYNDICATED * len(sketches[i])
        for j in sorted(j for j, n in shared.items() if n >= enough):
            union = len(sketches[i] | sketches[j])
            if union and shared[j] / union >= SYNDICATED:
                first = marked[j]
                marked[i] = replace(source, syndicated_from=first.syndicated_from or first.n)
                break
    return marked


def _known_sketch(source: Source, known: Sketch | None) -> set[int]:
    body = source.text[source.body_start :]
    if known is not None and known[0] == zlib.crc32(body.encode()):
        return set(known[1])
    return _sketch(body)


def origin(source: Source) -> int:
    """The number of the first source carrying this story."""
    return source.syndicated_from or source.n


# --- time window ----------------------------------------------------------------------

_RELATIVE_RE = re.compile(r"^\s*(\d+)\s*(h|d|w)\s*$", re.I)


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """'24h', '7d', '2w' before now, or an ISO date/datetime, as an aware UTC datetime."""
    now = now or datetime.now(UTC)
    match = _RELATIVE_RE.match(text)
    if match:
        unit = {"h": "hours", "d": "days", "w": "weeks"}[match.group(2).lower()]
        try:
            return now - timedelta(**{unit: int(match.group(1))})
        except OverflowError:
            raise ValueError(f"{text.strip()!r} reaches back before the year 1") from None
    parsed = _parse_moment(text)
    if parsed is None:
        raise ValueError(f"expected 24h, 7d, 2w or a date such as 2025-12-01, got {text!r}")
    return parsed


def _parse_moment(value: str | None) -> datetime | None:
    """An aware datetime for an ISO date or datetime, else for the first date in
    ``value``; None when there is none (a date that is no date, 30 February, is none)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        iso = metadata.parse_date(value)
        if not iso:
            return None
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def in_window(source: Source, since: datetime) -> bool | None:
    """True or False by the publication date; None when the source has no usable date."""
    published = _parse_moment(source.published)
    if published is None:
        return None
    return published >= since
