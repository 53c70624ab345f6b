"""Metadata an article's text gives away: headline, dateline, copyright holder.

General rules, not a list of one site's lines: a headline is a short first line
with no closing full stop; a dateline is a short line that is mostly a date; a
copyright or distribution line names the outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from types import ModuleType

from briefgen import lang
from briefgen.models import Source
from briefgen.stages.structure import word_count

_TIME = r"(?:(?P<hour>\d{1,2}):(?P<minute>\d{2})(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?)"


def _date_patterns(L: ModuleType) -> dict[str, object]:
    """Dates as the active language writes them (month names from briefgen/lang/en.py)."""
    day, month, ordinal = r"(?P<day>\d{1,2})", L.MONTH, L.ORDINAL
    return {
        # "Dec 3, 2025", "December 3 2025", "3 December 2025", "2025-12-03"
        "DATE_PATTERNS": [
            re.compile(month + rf"\s+{day}{ordinal},?\s+(?P<year>(?:19|20)\d{{2}})\b"),
            re.compile(rf"\b{day}{ordinal}\s+" + month + r",?\s+(?P<year>(?:19|20)\d{2})\b"),
            re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{2})-(?P<day>\d{2})(?!\d)"),
        ],
        "WEEKDAY_RE": re.compile(L.WEEKDAY, re.I),
        # "Updated", "GMT": what a dateline line holds besides its date and time
        "DATELINE_WORDS_RE": re.compile(rf"\b(?:{L.DATELINE_WORDS})\b", re.I),
        "MONTHS": L.MONTHS,
        # "© 2025 Reuters", "Copyright Example Ltd. All rights reserved."
        "COPYRIGHT_RE": re.compile(
            rf"^\s*(?:{L.COPYRIGHT_OPEN})\s*(?:©\s*)?(?:\d{{4}}\s*)?(?P<holder>[^.,;|]+?)"
            rf"(?:\s+(?:{L.COMPANY_ENDINGS}))?"
            rf"(?:[.,;|]|\s+{L.RIGHTS_RESERVED}|$)",
            re.I,
        ),
        "RIGHTS_RE": re.compile(L.ALL_RIGHTS_RESERVED, re.I),
        "DISTRIBUTED_RE": re.compile(rf"{L.DISTRIBUTED_BY}\s+(?P<who>[^.,;]+)", re.I),
    }


_D = lang.bound(_date_patterns)
# Any year-month-day shape, to find a date given in metadata that is not on the calendar
# ("0000-01-01", "2025-13-45"); parse_date reads only the patterns above.
_ANY_ISO_RE = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?!\d)")
_TIME_RE = re.compile(_TIME)
_HEADLINE_MAX_WORDS = 22
_END_PUNCT = ".!?…:;"
_CLOSERS = "\"'”’)]»"


def lines_with_offsets(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of every line from ``start``, without the line break, blank lines included."""
    pos = start
    for match in re.finditer(r"[^\n]*(?:\n|$)", text[start:]):
        if match.start() == match.end():
            break
        line_start = pos + match.start()
        line_end = pos + match.end()
        while line_end > line_start and text[line_end - 1] in "\r\n":
            line_end -= 1
        yield line_start, line_end


def ends_like_sentence(line: str) -> bool:
    """True when the line ends with sentence-final punctuation (closing quotes allowed)."""
    stripped = line.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in ".!?…"


def looks_like_headline(line: str) -> bool:
    """Short, several words, no closing full stop: how headlines are written."""
    stripped = line.strip().lstrip("#").strip()
    words = word_count(stripped)
    if not 3 <= words <= _HEADLINE_MAX_WORDS:
        return False
    last = stripped.rstrip(_CLOSERS)[-1:]
    return last not in _END_PUNCT and not stripped.startswith(("©", "(c)"))


def read_headline(source: Source, body_start: int) -> Source:
    """``source`` with the first line as its headline when it reads as one
    (structure.headline_reason); the same source when it does not.

    Leading one- or two-word labels (a site's section name, "Top News") are
    skipped first, because they are navigation, not the article.
    """
    from briefgen.stages import structure

    lines = [(start, end) for start, end in lines_with_offsets(source.text, body_start)]
    for i, (start, end) in enumerate(lines):
        line = source.text[start:end]
        if not line.strip():
            continue
        if word_count(line) <= 2 and not ends_like_sentence(line):
            continue
        # With a title from front matter, a first line standing alone may be the lede:
        # only a line that reads as a headline by its form is taken for one.
        next_blank = (
            not source.title
            and i + 1 < len(lines)
            and not source.text[slice(*lines[i + 1])].strip()
        )
        key = _words(line)
        repeated = any(
            _words(source.text[s:e]) == key for s, e in lines[i + 1 :] if e - s >= len(line) // 2
        )
        why = structure.headline_reason(line.strip().lstrip("#").strip(), next_blank, repeated)
        if why:
            lead = len(line) - len(line.lstrip(" \t#"))
            trail = len(line.rstrip())
            return replace(
                source,
                title_span=(start + lead, start + trail),
                title_why=why,
                title=source.title or line[lead:trail],
            )
        return source
    return source


def _words(line: str) -> str:
    return " ".join(re.findall(r"\w+", line.lower()))


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601 (with the time when one is given).

    Only calendar dates count: "30 February 2025" or "2025-13-01" is no date."""
    found = find_date(text)
    return found[0] if found else None


def impossible_date(text: str) -> str | None:
    """The first span of ``text`` written like a date that is on no calendar ("30
    February 2025", "2025-02-30", "0000-01-01"), or None. ``parse_date`` skips such
    spans; readers use this to warn that a date was given but could not be used."""
    for pattern in (*_D.DATE_PATTERNS, _ANY_ISO_RE):
        for match in pattern.finditer(text):
            if _calendar_date(match.groupdict()) is None:
                return match.group(0)
    return None


def _calendar_date(groups: dict[str, str | None]) -> date | None:
    """The date a pattern's groups name, or None when there is no such day."""
    if groups.get("mnum"):
        month = int(groups["mnum"] or 0)
    else:
        name = (groups.get("month") or "").lower()
        month = _D.MONTHS.get(name) or _D.MONTHS.get(name[:3], 0)
    try:
        return date(int(groups["year"] or 0), month, int(groups["day"] or 0))
    except ValueError:  # 30 February, month 13, year 0
        return None


def find_date(text: str) -> tuple[str, int, int] | None:
    """(ISO value, start, end) of the first calendar date in ``text``, or None."""
    best: tuple[str, int, int] | None = None
    for pattern in _D.DATE_PATTERNS:
        for match in pattern.finditer(text):
            if best and match.start() >= best[1]:
                break
            day = _calendar_date(match.groupdict())
            if day is None:
                continue  # 30 February is a typo, not a date to trust: look further on
            best = (day.isoformat(), match.start(), match.end())
            break
    if best is None:
        return None
    iso, start, end = best
    time = _TIME_RE.search(text[max(0, start - 12) : end + 12])
    if time:
        hour, minute = int(time["hour"]), int(time["minute"])
        if time["ampm"] and time["ampm"][0].lower() == "p" and hour < 12:
            hour += 12
        if hour < 24 and minute < 60:
            iso += f"T{hour:02d}:{minute:02d}"
    return iso, start, end


def is_dateline(line: str) -> bool:
    """A short line that is mostly a date and time ("06:29, Wed, Dec 3, 2025 Updated: ...")."""
    if word_count(line) > 16 or not find_date(line):
        return False
    rest = line
    for pattern in _D.DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = _TIME_RE.sub(" ", rest)
    rest = _D.WEEKDAY_RE.sub(" ", rest)
    rest = _D.DATELINE_WORDS_RE.sub(" ", rest)
    return word_count(rest) <= 2


def copyright_holder(line: str) -> str | None:
    """The outlet a copyright or distribution line names, if it is one."""
    match = _D.COPYRIGHT_RE.match(line)
    if match:
        holder = match["holder"].strip()
        if holder and word_count(holder) <= 6:
            return holder
    return None


def is_copyright_line(line: str) -> bool:
    stripped = line.strip()
    return bool(
        _D.COPYRIGHT_RE.match(stripped)
        or _D.RIGHTS_RE.search(stripped)
        or (_D.DISTRIBUTED_RE.search(stripped) and word_count(stripped) <= 25)
    )
