"""``briefgen init DIR``: a new brief folder with a commented config and a sample article."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.config import CONFIG_NAME, Config
from briefgen.errors import OutputError
from briefgen.models import Sentence, Source

if TYPE_CHECKING:
    from briefgen.stages.discover import DiscoveredTheme

CONFIG_TEMPLATE = """# briefgen.toml: what the brief of this folder is about.
# Build it with:  briefgen build {folder} -o output/{name}
# Every key is explained in the README ("Configuration").

[brief]
title = "{title}"
# subtitle = "One line under the title"
# organisation = "Our desk"        # author in the PDF and DOCX
# language = "en"
# output_stem = "brief"            # output/brief.pdf, output/brief.docx, ...
# page_size = "A4"                 # or "Letter"
# templates = "templates"          # a folder of your own templates

[limits]
key_points = 5
facts_per_theme = 5
quotes_per_theme = 3

# [editions]
# keep = 10                        # archived editions under OUTDIR/editions/

# One [[themes]] table per section of the brief. `terms` are seed words: a
# sentence with one of them belongs to the theme, and briefgen learns related
# words from the articles themselves. Replace these examples with your story's.
[[themes]]
id = "what-happened"
title = "What happened"
description = "The events themselves: who did what, where and when."
terms = ["announced", "happened", "reported", "confirmed"]

[[themes]]
id = "reactions"
title = "Reactions"
description = "What officials, experts and those affected said."
terms = ["said", "warned", "criticised", "welcomed"]

[[themes]]
id = "what-next"
title = "What comes next"
description = "Plans, deadlines and open questions."
terms = ["will", "plan", "next", "expected", "deadline"]
"""

SAMPLE_ARTICLE = """Example headline: replace this file with real articles

Save articles here as .txt or .md files (UTF-8), web pages as .html, feeds as .rss or
.xml, or exports as .json or .jsonl. The first line of a .txt file is its headline
when it is short and has no full stop.

The council announced on Monday that the new bridge will open next spring, a month
later than planned. "We would rather be late than unsafe," the council leader said.
Engineers reported that the final inspection is expected in March.
"""


def init_folder(folder: Path, title: str | None = None) -> list[Path]:
    """Create ``folder`` with a commented config and a sample article; never overwrite."""
    config = folder / CONFIG_NAME
    sample = folder / "example-article.txt"
    existing = [p for p in (config, sample) if p.exists()]
    if existing:
        raise OutputError(
            "already exists; nothing was changed", path=str(existing[0]),
            hint="choose a new folder, or edit the existing config",
        )  # fmt: skip
    try:
        folder.mkdir(parents=True, exist_ok=True)
        name = folder.name or "brief"
        text = CONFIG_TEMPLATE.format(
            folder=folder,
            name=name,
            title=(title or name.replace("-", " ").title()).replace('"', "'"),
        )
        config.write_text(text, encoding="utf-8")
        sample.write_text(SAMPLE_ARTICLE, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot create: {exc.strerror}", path=str(folder)) from exc
    return [config, sample]


def themes_toml(
    config: Config,
    found: Sequence[DiscoveredTheme],
    sources: Sequence[Source],
    sentences: Sequence[Sentence],
) -> str:
    """A commented ``briefgen.toml`` holding the discovered themes (``briefgen themes``).

    Building with it gives the brief a build without a config gives: the same title, the
    same themes in the same order (still marked ``discovered = true`` until someone edits
    them), and "Other developments". Comments say how large each theme is, which articles
    support it, and two of its sentences."""
    paths = {s.n: s.path for s in sources}
    out = [
        "# briefgen.toml: themes discovered from the articles of this folder by",
        "# `briefgen themes`. Edit freely: rename the themes, change their terms, and remove",
        "# `discovered = true` from the ones you have made your own.",
        "",
        "[brief]",
        f"title = {_toml_string(config.title)}",
        f"language = {_toml_string(config.language)}",
        "",
        "[limits]",
        f"key_points = {config.limits.key_points}",
        f"facts_per_theme = {config.limits.facts_per_theme}",
        f"quotes_per_theme = {config.limits.quotes_per_theme}",
        "",
        "[themes]",
        "# discover = true   # also discover themes these miss, next to them",
        f'other = {_toml_bool(config.other)}   # facts no theme takes: "Other developments"',
    ]
    described = {t.id: t for t in found}
    for theme in config.themes:
        out += ["", "[[themes.configured]]"]
        about = described.get(theme.id)
        if about is not None:
            names = [paths.get(n, str(n)) for n in about.articles]
            out.append(
                f"# {len(about.sentences)} sentences in {len(about.articles)} of "
                f"{len(sources)} articles: {_toml_comment(_listed(names), 200)}"
            )
            out += [f"# e.g. {_toml_comment(text)}" for text in _examples(about, sentences)]
        out += [
            f"id = {_toml_string(theme.id)}",
            f"title = {_toml_string(theme.title)}",
            f"description = {_toml_string(theme.description)}",
            f"terms = [{', '.join(_toml_string(t) for t in theme.terms)}]",
        ]
        if theme.discovered:
            out.append("discovered = true")
    return "\n".join(out) + "\n"


def write_themes(folder: Path, text: str) -> Path:
    """Save ``text`` as the folder's ``briefgen.toml``; an existing file is never replaced."""
    from briefgen.atomic import write_new

    path = folder / CONFIG_NAME
    exists = OutputError(
        "already exists; nothing was changed",
        path=str(path),
        hint="print the themes without --write and copy what you want into it",
    )
    if path.exists() or path.is_symlink():
        raise exists
    try:
        write_new(path, text.encode("utf-8"))
    except FileExistsError:
        raise exists from None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=str(path)) from exc
    return path


def _examples(theme: DiscoveredTheme, sentences: Sequence[Sentence], most: int = 2) -> list[str]:
    """Readable sentences of the theme from different articles: fact-sized ones first."""
    chosen: list[str] = []
    used: set[int] = set()
    members = sorted(
        theme.sentences, key=lambda i: (not 12 <= len(sentences[i].text.split()) <= 40, i)
    )
    for i in members:
        sentence = sentences[i]
        if sentence.source in used:
            continue
        used.add(sentence.source)
        chosen.append(sentence.text)
        if len(chosen) == most:
            break
    return chosen


def _listed(names: list[str], most: int = 5) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _toml_string(value: str) -> str:
    # JSON's escapes (\", \\, \n, \uXXXX) are TOML's basic-string escapes too.
    return json.dumps(value, ensure_ascii=False)


def _toml_bool(value: bool) -> str:
    return "true" if value else "false"


def _toml_comment(text: str, width: int = 100) -> str:
    # TOML comments take no control characters; one line of printable text.
    flat = "".join(c for c in " ".join(text.split()) if c.isprintable())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "\u2026"
