"""``briefgen inspect DIR``: what was read from each article, as rows or JSON.

For every source: title, outlet, date, sentence and quote counts, how many of its
sentences each theme claimed, and what cleaning removed: the headline, decks, captions,
subheads, labels and notes, each with what gave it away.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from briefgen.errors import display_path, printable
from briefgen.pipeline import Analysis


def inspect_rows(
    analysis: Analysis, sentence_themes: Sequence[str | None] | None = None
) -> list[dict[str, Any]]:
    """One record per source, in citation order.

    ``sentence_themes`` is the theme each sentence was given (``assemble.sentence_themes``,
    or ``analysis.themes`` after a build), in the order of ``analysis.sentences``; this
    module classifies nothing itself. Without either (no config) no theme hits are shown."""
    themes: dict[int, Counter[str]] = {s.n: Counter() for s in analysis.sources}
    assigned = sentence_themes if sentence_themes is not None else analysis.themes
    if assigned is not None:
        for sentence, theme in zip(analysis.sentences, assigned, strict=True):
            if theme:
                themes[sentence.source][theme] += 1
    sentences = Counter(s.source for s in analysis.sentences)
    rows = []
    for source in analysis.sources:
        rows.append(
            {
                "n": source.n,
                "path": source.path,
                "title": source.title,
                "outlet": source.outlet,
                "published": source.published,
                "url": source.url,
                "author": source.author,
                "reliability": source.reliability,
                "syndicated_from": source.syndicated_from,
                "sentences": sentences[source.n],
                "quotes": len(analysis.quotes.get(source.n, [])),
                "themes": dict(sorted(themes[source.n].items())),
                "removed": [
                    {"reason": r.reason, "why": r.why, "text": source.text[r.start : r.end]}
                    for r in source.removed
                ],
            }
        )
    return rows


def format_table(rows: list[dict[str, Any]], rejected: list[str]) -> str:
    """A plain-text report for a terminal: every line printable, whatever the file names,
    titles and outlets hold (terminal escapes, bidi overrides and line breaks escaped)."""
    lines = []
    for row in rows:
        date = row["published"] or "no date"
        outlet = row["outlet"] or "outlet unknown"
        lines.append(f"[{row['n']}] {display_path(row['path'])}")
        lines.append(f"    {row['title'] or '(no headline)'}")
        extra = f", syndicated copy of [{row['syndicated_from']}]" if row["syndicated_from"] else ""
        grade = f", reliability {row['reliability']}" if row["reliability"] else ""
        lines.append(f"    {outlet} · {date}{grade}{extra}")
        hits = ", ".join(f"{k} {v}" for k, v in row["themes"].items()) or "none"
        lines.append(
            f"    {row['sentences']} sentences, {row['quotes']} quotes; theme hits: {hits}"
        )
        for removed in row["removed"]:
            snippet = " ".join(removed["text"].split())
            snippet = snippet if len(snippet) <= 70 else snippet[:67] + "..."
            why = f": {removed['why']}" if removed.get("why") else ""
            lines.append(f"    removed ({removed['reason']}{why}): {snippet}")
    lines.extend(rejected)
    return "\n".join(printable(line) for line in lines)
