"""One section outline: every renderer shows the brief's sections in the order of
``render/outline.py``, with titles and notes from the message catalogue."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from briefgen.models import (
    Brief,
    Changes,
    Citation,
    Discrepancy,
    DiscrepancySide,
    Fact,
    Source,
    ThemeSection,
)
from briefgen.render import TemplateSet, outline, render
from briefgen.render.escape import ZWSP
from briefgen.render.view import display_context

TEXTS = {
    1: "The harbour bridge will close on Monday for repairs. Crews start at dawn.",
    2: "The ferry adds four crossings a day while the bridge is shut. Fares stay the same.",
    3: "The repair costs 12 million euros, the council said. Work lasts six weeks.",
    4: "The repair costs 15 million euros, a contractor said. Work lasts two months.",
}


def _fact(n: int, sentence: int = 0, new: bool = False) -> Fact:
    text = TEXTS[n].split(". ")[sentence].rstrip(".") + "."
    start = TEXTS[n].index(text)
    return Fact(text=text, citations=[Citation(n, start, start + len(text))], score=1.0, new=new)


def outline_brief() -> Brief:
    """A brief with every section: key points, what's new (a second edition), two
    themes (one thin, with the "little-coverage" note code), discrepancies, sources."""
    sources = [
        Source(id=f"s{n}", path=f"{n}.txt", text=t, title=f"Report {n}", n=n)
        for n, t in TEXTS.items()
    ]
    cost = Discrepancy(
        subject="Repair cost",
        kind="number",
        sides=[
            DiscrepancySide("12 million", _fact(3).text, _fact(3).citations),
            DiscrepancySide("15 million", _fact(4).text, _fact(4).citations),
        ],
    )
    return Brief(
        title="Harbour bridge closure",
        generated_at="2026-11-22T06:00:00Z",
        sources=sources,
        key_points=[_fact(1)],
        themes=[
            ThemeSection(id="traffic", title="Traffic and ferries", description="Getting across.",
                         facts=[_fact(2), _fact(1, 1)]),
            ThemeSection(id="money", title="Money matters", description="Who pays.",
                         facts=[_fact(3, 1)], note="little-coverage"),
        ],
        discrepancies=[cost],
        edition=2,
        changes=Changes(first=False, previous_edition=1, new_facts=[_fact(2, 1, new=True)]),
    )  # fmt: skip


def expected_titles(brief: Brief) -> list[str]:
    """The section titles in the outline's order (the contents list)."""
    return [e["title"] for e in outline.contents(display_context(brief))]


def _in_order(text: str, patterns: list[str]) -> list[str]:
    """The patterns found in ``text``, in the order of their first match (each must match)."""
    found = []
    for pattern in patterns:
        match = re.search(pattern, text, re.M | re.I)
        assert match, (pattern, text[:3000])
        found.append((match.start(), pattern))
    return [p for _, p in sorted(found)]


def html_sections(brief: Brief) -> list[str]:
    html = render(brief, "html", TemplateSet()).decode()
    body = html.split("</nav>", 1)[1]  # after the contents list
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html.split('<nav class="contents"')[0] + body)
    return [h.replace("&#39;", "'") for h in headings]


def md_sections(brief: Brief) -> list[str]:
    text = render(brief, "md", TemplateSet()).decode()
    return [line[3:].replace("\\", "") for line in text.splitlines() if line.startswith("## ")]


def docx_sections(brief: Brief) -> list[str]:
    from docx import Document

    doc = Document(io.BytesIO(render(brief, "docx", TemplateSet())))
    return [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]


def pdf_sections(brief: Brief, titles: list[str], tmp_path: Path) -> list[str]:
    """Heading patterns in the order the PDF's text shows them: a line that is just the
    title, in any case (contents entries end in a page number, so they do not count)."""
    data = render(brief, "pdf", TemplateSet())
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                              check=True, text=True).stdout  # fmt: skip
    else:
        from pypdf import PdfReader

        text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    text = text.replace(ZWSP, "")
    return _in_order(text, [rf"^\s*{re.escape(t)}\s*$" for t in titles])


PERMUTED = ("sources", "discrepancies", "themes", "contents", "whats_new", "key_points")


@pytest.fixture(params=["default", "permuted"])
def order(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The built-in outline, and one with the sections reordered: renderers must follow
    whichever the outline says, not an order of their own."""
    if request.param == "permuted":
        by_key = {s.key: s for s in outline.SECTIONS}
        monkeypatch.setattr(outline, "SECTIONS", tuple(by_key[k] for k in PERMUTED))
    return request.param


def test_outline_lists_every_section_once_in_order() -> None:
    """The contents list follows the outline: key points, what's new, each theme,
    discrepancies, sources; no contents entry for the contents list itself."""
    assert expected_titles(outline_brief()) == [
        "Key points",
        "New since the last edition",
        "Traffic and ferries",
        "Money matters",
        "Discrepancies",
        "Sources",
    ]


def test_html_md_docx_follow_the_outline(order: str) -> None:
    """HTML, Markdown and DOCX headings come in the outline's order (also a reordered one)."""
    brief = outline_brief()
    titles = expected_titles(brief)
    assert html_sections(brief) == titles
    assert md_sections(brief) == titles
    assert docx_sections(brief) == titles
    if order == "permuted":
        assert titles[0] == "Sources" and titles[-1] == "Key points"


def test_pdf_follows_the_outline(order: str, tmp_path: Path) -> None:
    """The PDF's text shows the section headings in the outline's order."""
    brief = outline_brief()
    titles = expected_titles(brief)
    text_order = pdf_sections(brief, titles, tmp_path)
    assert text_order == [rf"^\s*{re.escape(t)}\s*$" for t in titles]


def test_contents_entries_link_to_their_sections() -> None:
    """Each contents entry of the HTML links to a section of that id, in the same order."""
    html = render(outline_brief(), "html", TemplateSet()).decode()
    nav = html.split('<nav class="contents"', 1)[1].split("</nav>", 1)[0]
    anchors = re.findall(r'<a href="#([^"]+)"', nav)
    ids = re.findall(r'<section class="[^"]+" id="([^"]+)"', html)
    assert anchors == [i for i in ids if i in anchors] and len(anchors) == 6


def test_theme_note_code_is_worded_by_the_catalogue(tmp_path: Path) -> None:
    """The stage sets the code "little-coverage"; readers see the sentence in HTML,
    Markdown and DOCX, and brief.json keeps the English text as before."""
    from docx import Document

    brief = outline_brief()
    sentence = "Little coverage of this theme in these sources."
    assert sentence in render(brief, "html", TemplateSet()).decode()
    assert f"**Note:** {sentence}" in render(brief, "md", TemplateSet()).decode()
    doc = Document(io.BytesIO(render(brief, "docx", TemplateSet())))
    assert sentence in [p.text for p in doc.paragraphs if p.style.name == "Note"]
    data = json.loads(render(brief, "json", TemplateSet()))
    assert [t["note"] for t in data["themes"]] == [None, sentence]
    assert "little-coverage" not in render(brief, "html", TemplateSet()).decode()
