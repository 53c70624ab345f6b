"""``briefgen init DIR``: a new brief folder with a commented config and a sample article."""

from __future__ import annotations

from pathlib import Path

from briefgen.config import CONFIG_NAME
from briefgen.errors import OutputError

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
