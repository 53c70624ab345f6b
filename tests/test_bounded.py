"""A bounded brief (issue 15): the PDF and DOCX list the sources the brief cites, then one
line "…and N more articles" pointing to the HTML and JSON, which list every source."""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.models import Brief, Citation, Fact, Source, ThemeSection
from briefgen.render import TemplateSet, render
from briefgen.render.escape import ZWSP

CONFIG = """\
[brief]
title = "Harbour works"
output_stem = "brief"

[[themes]]
id = "works"
title = "Works and money"
description = "What is built, when, and what it costs."
terms = ["quay", "channel", "dredging", "budget", "euros", "works"]

[[themes]]
id = "voices"
title = "Voices"
description = "What people said."
terms = ["said", "warned", "welcomed"]
"""

THINGS = [
    "crane",
    "lighthouse",
    "slipway",
    "warehouse",
    "ticket office",
    "fuel dock",
    "boat lift",
    "sea wall",
    "footbridge",
    "car park",
    "pontoon",
    "customs shed",
    "signal mast",
    "rescue station",
    "cafe",
    "tide gauge",
    "net loft",
    "bus stop",
    "bike rack",
    "fish auction",
    "yacht club",
    "pilot boat",
    "ice plant",
    "dry dock",
    "museum",
    "ramp",
    "workshop",
    "kiosk",
    "harbour office",
    "visitor centre",
]
VERBS = [
    "repainted",
    "rebuilt",
    "moved",
    "closed",
    "reopened",
    "extended",
    "sold",
    "inspected",
    "renamed",
    "cleaned",
]
PEOPLE = ["Anna Berg", "Piet Vos", "Lena Holm", "Omar Said", "Mia Kron", "Tom Aas",
          "Eva Lind", "Rui Costa", "Ida Moe", "Jon Dahl"]  # fmt: skip


def article(i: int, rng: random.Random) -> str:
    """A short local news item about one thing in the harbour, its own for each ``i``."""
    thing = THINGS[(i - 1) % len(THINGS)]
    verb = rng.choice(VERBS)
    name = PEOPLE[i % len(PEOPLE)]
    return (
        f"The {thing} is {verb}\n\n"
        f"The harbour {thing} was {verb} this week after complaints from visitors.\n\n"
        f"Workers spent several days on the {thing}, according to the port office.\n\n"
        f'"The {thing} looks better than ever," said {name}, who works nearby.\n'
    )


def lead_sources(data: Any) -> set[int]:
    """The source each cited item of brief.json is taken from (its first citation), and
    what's new's articles: what the paged formats list."""
    found: set[int] = set()
    if isinstance(data, dict):
        if data.get("citations"):
            found.add(data["citations"][0]["source"])
        for key, value in data.items():
            if key == "article_facts":
                found |= {a["source"] for a in value}
            if key != "sources":
                found |= lead_sources(value)
    elif isinstance(data, list):
        for value in data:
            found |= lead_sources(value)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 30-article folder built in every format; returns the output folder."""
    root = tmp_path_factory.mktemp("bounded")
    src = root / "src"
    src.mkdir()
    (src / "briefgen.toml").write_text(CONFIG, encoding="utf-8")
    rng = random.Random(15)
    for i in range(1, 31):
        (src / f"item{i:02d}.txt").write_text(article(i, rng), encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(main, ["build", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_docx_and_pdf_list_only_cited_sources_html_and_json_all(built: Path) -> None:
    """Of 30 articles, the DOCX and PDF list exactly the ones the brief's items are taken
    from, under their own numbers, and cite no other; then "…and N more articles read but
    not cited" naming the HTML and JSON; the HTML and JSON list all 30."""
    from docx import Document
    from pypdf import PdfReader

    data = json.loads((built / "brief.json").read_text(encoding="utf-8"))
    assert len(data["sources"]) == 30
    cited = lead_sources(data)
    assert 0 < len(cited) < 30, cited  # the brief is taken from some articles, not all
    more = f"and {30 - len(cited)} more articles read but not cited"

    doc = Document(io.BytesIO((built / "brief.docx").read_bytes()))
    entries = [p.text for p in doc.paragraphs if p.style.name == "Source Entry"]
    assert [int(e.split("\t")[0].strip("[]")) for e in entries] == sorted(cited)
    body = "\n".join(p.text for p in doc.paragraphs if p.style.name != "Source Entry")
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body)} == cited
    tail = [p.text for p in doc.paragraphs if more in p.text]
    assert len(tail) == 1 and "HTML and JSON" in tail[0] and "all 30 sources" in tail[0]

    reader = PdfReader(io.BytesIO((built / "brief.pdf").read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages).replace(ZWSP, "")
    text = re.sub(r"\s+", " ", text)
    listed = re.findall(r"\[(\d+)\] The ", text.split("SOURCES")[-1], re.I)
    assert {int(n) for n in listed} == cited
    assert more in text and "all 30 sources" in text

    html = (built / "brief.html").read_text(encoding="utf-8")
    assert html.count('<li id="src-') == 30
    assert "more articles read but not cited" not in html


def test_markdown_lists_every_source(built: Path) -> None:
    """Markdown, like HTML, is not paged: it keeps the full list and no "more" line."""
    text = (built / "brief.md").read_text(encoding="utf-8")
    sources = text.split("\n## Sources\n", 1)[1]
    assert len(re.findall(r"^\d+\. \*\*", sources, re.M)) == 30
    assert "more articles" not in text


def widely_reported_brief(n_sources: int) -> Brief:
    """One key point carried by every one of ``n_sources`` articles (taken from source 5),
    and a theme fact from source 2 alone."""
    text = "The ferry pier reopens on Friday."
    sources = [Source(id=f"s{n}", path=f"{n:03d}.txt", text=text, title=f"Pier story {n:03d}",
                      n=n) for n in range(1, n_sources + 1)]  # fmt: skip
    order = [5, *(n for n in range(1, n_sources + 1) if n != 5)]
    fact = Fact(text=text, citations=[Citation(n, 0, len(text)) for n in order], score=1.0,
                independent=n_sources)  # fmt: skip
    own = Fact(text=text, citations=[Citation(2, 0, len(text))], score=1.0)
    theme = ThemeSection(id="pier", title="Pier", description="The pier.", facts=[own])
    return Brief(title="Pier", generated_at="2026-11-22T06:00:00Z", sources=sources,
                 key_points=[fact], themes=[theme])  # fmt: skip


def test_a_fact_many_articles_carry_cites_only_listed_sources_in_paged_formats() -> None:
    """A fact in 40 articles shows [n] for the source it is taken from and for any other
    source the list has anyway (here [2], from another item), then "+38", in the DOCX and
    the PDF, whose source lists have those 2 entries; the HTML shows all 40 citations
    and lists all 40 sources."""
    from docx import Document
    from pypdf import PdfReader

    brief = widely_reported_brief(40)
    doc = Document(io.BytesIO(render(brief, "docx", TemplateSet())))
    point = next(p.text for p in doc.paragraphs if p.text.startswith("The ferry pier"))
    assert re.findall(r"\[(\d+)\]", point) == ["2", "5"] and "+38" in point
    entries = [p.text.split("\t")[0] for p in doc.paragraphs if p.style.name == "Source Entry"]
    assert entries == ["[2]", "[5]"]

    pdf = PdfReader(io.BytesIO(render(brief, "pdf", TemplateSet())))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages).replace(ZWSP, ""))
    assert re.search(r"\[2\] ?\[5\] ?\+38", text), text[:600]
    assert re.findall(r"Pier story (\d+)", text) == ["002", "005"]
    assert "and 38 more articles read but not cited" in text

    html = render(brief, "html", TemplateSet()).decode()
    assert html.count('class="cite"') == 41 and html.count('<li id="src-') == 40
    assert 'class="cites-more"' not in html
