"""What is new is shown: an added article's key new facts appear under "New since the
last edition" even when none of them made a theme section."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from briefgen.build import run_build
from briefgen.models import ArticleFacts, Brief, Changes, Citation, Fact, Source, ThemeSection
from briefgen.render import TemplateSet, render
from briefgen.render.escape import ZWSP, markdown_escape

CONFIG = """
[brief]
title = "Glenmore ferry storm"
[limits]
key_points = 0
facts_per_theme = 2
[[themes]]
id = "damage"
title = "Damage"
description = "What the storm broke."
terms = ["storm", "pier", "waves", "damaged"]
"""

FIRST = {
    "a.txt": (
        "Storm damages Glenmore pier\n\n"
        "A winter storm damaged the pier at Glenmore on Sunday night, the harbour master said.\n\n"
        "Waves as high as six metres broke over the pier wall and tore away two mooring posts.\n\n"
        "The storm also flooded the ticket office beside the slipway, staff said on Monday.\n"
    ),
    "b.txt": (
        "Glenmore pier closed after storm\n\n"
        "The pier at Glenmore was closed on Monday after waves damaged its outer wall overnight.\n\n"
        "Engineers from the council inspected the damaged pier and found cracks in the deck.\n"
    ),
}

# The new article reports the insurance claim: none of the damage theme's words.
ADDED = (
    "Insurer disputes Glenmore claim\n\n"
    "The island council lodged an insurance claim for four hundred thousand pounds on Thursday.\n\n"
    "Its insurer has asked for an independent survey before agreeing to pay any of the money.\n\n"
    "Councillors voted to borrow the sum from reserves so that repairs can start in spring.\n\n"
    "The council leader told the meeting that the island could not wait for the insurer.\n\n"
    "A decision on the survey is expected from the insurer before the end of the month.\n"
)


def _build(folder: Path, out: Path) -> dict:
    run_build(folder, None, out, ("json", "md"))
    return json.loads((out / "brief.json").read_text(encoding="utf-8"))


def _cited_text(folder: Path, source: dict) -> str:
    if source["text"] is not None:
        return source["text"]
    return (folder / source["path"]).read_text(encoding="utf-8-sig")


def test_added_article_key_facts_show_under_whats_new(tmp_path):
    """The added article's facts make no theme, yet its key new facts are listed, cited
    verbatim, in the JSON and the Markdown, and none repeats a listed new fact."""
    folder, out = tmp_path / "articles", tmp_path / "out"
    folder.mkdir()
    (folder / "briefgen.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in FIRST.items():
        (folder / name).write_text(text, encoding="utf-8")
    _build(folder, out)
    (folder / "c-insurance.txt").write_text(ADDED, encoding="utf-8")
    data = _build(folder, out)

    sources = {s["n"]: s for s in data["sources"]}
    added_n = next(n for n, s in sources.items() if s["path"] == "c-insurance.txt")
    in_themes = [f for t in data["themes"] for f in t["facts"]] + data["key_points"]
    assert all(added_n not in {c["source"] for c in f["citations"]} for f in in_themes)

    changes = data["changes"]
    assert changes["sources_added"] == ["c-insurance.txt"]  # existing keys unchanged
    [entry] = changes["article_facts"]
    assert entry["path"] == "c-insurance.txt" and entry["change"] == "added"
    assert entry["source"] == added_n
    assert 1 <= len(entry["facts"]) <= 3
    new_texts = {f["text"] for f in changes["new_facts"]}
    markdown = (out / "brief.md").read_text(encoding="utf-8")
    whats_new = markdown.split("## New since the last edition", 1)[1].split("\n## ", 1)[0]
    for fact in entry["facts"]:
        assert fact["text"] not in new_texts
        assert fact["text"] in ADDED  # verbatim, never a headline
        assert fact["text"] != "Insurer disputes Glenmore claim"
        first, *others = fact["citations"]  # the added article's own sentence first
        assert first["source"] == added_n
        assert _cited_text(folder, sources[added_n])[first["start"] : first["end"]] == fact["text"]
        for c in others:  # other sources reporting the same: their own verbatim sentence
            assert _cited_text(folder, sources[c["source"]])[c["start"] : c["end"]].strip()
        assert markdown_escape(fact["text"]) in whats_new


# --- a bounded what's new in the paged formats (issue 15) ---------------------------------

HARBOUR_CONFIG = """
[brief]
title = "Harbour works"
[[themes]]
id = "works"
title = "Works"
description = "What is built and repaired."
terms = ["quay", "harbour", "repaired", "works", "crane"]
"""
THINGS = [
    "crane",
    "slipway",
    "warehouse",
    "fuel dock",
    "boat lift",
    "sea wall",
    "footbridge",
    "pontoon",
    "customs shed",
    "signal mast",
    "tide gauge",
    "net loft",
    "ice plant",
    "kiosk",
]
ORGS = [
    "port office",
    "town council",
    "fishermen's union",
    "coastguard",
    "ferry company",
    "harbour trust",
    "yacht club",
    "chamber of commerce",
    "lifeboat crew",
    "tourist board",
    "water board",
    "school governors",
    "police station",
]
ACTS = [
    "asked for a new {t} by the {p}",
    "complained that the {t} near the {p} leaks",
    "paid for lights on the {t} beside the {p}",
    "warned that the {t} at the {p} is unsafe",
    "offered volunteers to paint the {t} at the {p}",
    "wants the {t} at the {p} moved inland",
    "voted to close the {t} by the {p} in winter",
]
WHEN = [
    "before Easter",
    "by the summer",
    "next spring",
    "within a month",
    "after the storms",
    "during the autumn",
    "before the regatta",
]
TOWNS = [
    "Dunmore",
    "Kilrush",
    "Ardglass",
    "Portavogie",
    "Carnlough",
    "Glenarm",
    "Ballycastle",
    "Portrush",
    "Annalong",
    "Kilkeel",
    "Strangford",
    "Killough",
    "Donaghadee",
]
NAMES = ["Anna Berg", "Piet Vos", "Lena Holm", "Omar Said", "Mia Kron", "Tom Aas"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]  # fmt: skip


def harbour_article(i: int) -> str:
    """A short local item, its own for each ``i``: one group, one thing, one town."""
    thing, town = THINGS[i % len(THINGS)], TOWNS[i % len(TOWNS)]
    org = ORGS[(i * 5) % len(ORGS)]
    act = ACTS[(i * 3) % len(ACTS)].format(t=thing, p=town)
    return (
        f"{org.capitalize()} and the {thing} at {town}\n\n"
        f"The {org} {act}, its members agreed at a meeting on {DAYS[i % 5]}.\n\n"
        f"Work at {town} is expected to start {WHEN[(i * 2) % len(WHEN)]} if the money can be "
        "found in time.\n\n"
        f"Neighbours in {town} have signed a letter about the {thing} to the {org}.\n\n"
        f'"We have waited long enough for the {thing}," said {NAMES[i % len(NAMES)]}, who '
        f"lives in {town}.\n"
    )


def _second_edition(root: Path, added: int) -> Path:
    """Edition 1 of four articles; edition 2 after ``added`` more, one updated and one
    removed. Returns the output folder."""
    folder, out = root / "articles", root / "out"
    folder.mkdir(parents=True)
    (folder / "briefgen.toml").write_text(HARBOUR_CONFIG, encoding="utf-8")
    for i in range(4):
        (folder / f"base{i}.txt").write_text(harbour_article(100 + i), encoding="utf-8")
    run_build(folder, None, out, ("json",))  # what's new compares with its record
    for i in range(added):
        (folder / f"new{i:02d}.txt").write_text(harbour_article(i), encoding="utf-8")
    update = harbour_article(100) + "\nThe quay reopened on Friday morning after the works.\n"
    (folder / "base0.txt").write_text(update, encoding="utf-8")
    (folder / "base3.txt").unlink()
    report = run_build(folder, None, out, ("json", "html", "pdf", "docx"))
    assert report.edition == 2 and not report.warnings, report.warnings
    return out


def _docx_whats_new(out: Path) -> list[tuple[str, str]]:
    from docx import Document

    doc = Document(io.BytesIO((out / "brief.docx").read_bytes()))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    start = paragraphs.index(("Heading 1", "New since the last edition"))
    end = next(i for i in range(start + 1, len(paragraphs)) if paragraphs[i][0] == "Heading 1")
    return paragraphs[start:end]


def test_whats_new_of_60_added_articles_takes_the_pages_of_10(tmp_path):
    """After 60 articles were added the PDF has as many pages as after 10; the DOCX lists
    10 of the added files then "…and 50 more articles added" naming the HTML and JSON,
    which list all 60."""
    from pypdf import PdfReader

    ten, sixty = _second_edition(tmp_path / "ten", 10), _second_edition(tmp_path / "sixty", 60)
    pages = {n: len(PdfReader(out / "brief.pdf").pages) for n, out in ((10, ten), (60, sixty))}
    assert pages[60] == pages[10], pages

    changes = json.loads((sixty / "brief.json").read_text(encoding="utf-8"))["changes"]
    added = [f"new{i:02d}.txt" for i in range(60)]
    assert changes["sources_added"] == added
    assert changes["sources_updated"] == ["base0.txt"]
    assert changes["sources_removed"] == ["base3.txt"]
    html = (sixty / "brief.html").read_text(encoding="utf-8")
    assert all(f"<li>Added: {p}</li>" in html for p in added) and "more articles added" not in html

    section = _docx_whats_new(sixty)
    listed = [t for s, t in section if t.startswith("Added: ")]
    assert listed == [f"Added: {p}" for p in added[:10]]
    [more] = [t for s, t in section if "more articles added" in t]
    assert more == (
        "\u2026and 50 more articles added. The HTML and JSON editions of this brief list all 60."
    )
    assert [t for s, t in section if t.startswith(("Updated: ", "Removed: "))] == [
        "Updated: base0.txt",
        "Removed: base3.txt",
    ]
    # Ten added: the whole list, no "more" line.
    ten_section = _docx_whats_new(ten)
    assert len([t for s, t in ten_section if t.startswith("Added: ")]) == 10
    assert not any("more articles" in t for s, t in ten_section)
    text = " ".join(p.extract_text() for p in PdfReader(sixty / "brief.pdf").pages)
    assert "and 50 more articles added" in re.sub(r"\s+", " ", text.replace(ZWSP, ""))


def _brief_with_many_changes() -> Brief:
    """A second edition with 8 added articles that each bring a new fact, 25 added,
    12 updated and 11 removed sources."""
    sources = []
    for n in range(1, 41):
        text = f"The council repaired pier number {n} at the harbour on Tuesday morning."
        sources.append(Source(id=f"s{n}", path=f"{n:03d}.txt", text=text,
                              title=f"Pier {n:03d} repaired", n=n))  # fmt: skip

    def fact(n: int) -> Fact:
        text = sources[n - 1].text
        return Fact(text=text, citations=[Citation(n, 0, len(text))], score=1.0, new=True)

    articles = [ArticleFacts(path=f"{n:03d}.txt", source=n, change="added", facts=[fact(n)])
                for n in range(1, 9)]  # fmt: skip
    changes = Changes(
        first=False,
        previous_edition=1,
        sources_added=[f"{n:03d}.txt" for n in range(1, 26)],
        sources_updated=[f"{n:03d}.txt" for n in range(26, 38)],
        sources_removed=[f"gone{n:02d}.txt" for n in range(11)],
        article_facts=articles,
    )
    theme = ThemeSection(id="works", title="Works", description="Repairs.", facts=[fact(40)])
    return Brief(title="Piers", generated_at="2026-11-30T06:00:00Z", sources=sources,
                 key_points=[fact(39)], themes=[theme], edition=2, changes=changes)  # fmt: skip


def test_paged_whats_new_caps_each_list_and_the_articles_with_new_facts():
    """DOCX and PDF: 10 of each list of sources with its "…and N more" line, 5 of the 8
    articles with new facts then "…and 3 more", and only those 5 in the source list; the
    HTML shows every entry and no "more" line."""
    from docx import Document
    from pypdf import PdfReader

    brief = _brief_with_many_changes()
    doc = Document(io.BytesIO(render(brief, "docx", TemplateSet())))
    texts = [p.text for p in doc.paragraphs]
    labels = [t for t in texts if re.match(r"\[\d+\] Pier \d+ repaired \(added\)$", t)]
    assert labels == [f"[{n}] Pier {n:03d} repaired (added)" for n in range(1, 6)]
    for prefix, shown, more in (("Added: ", 10, "15 more articles added"),
                                ("Updated: ", 10, "2 more articles updated"),
                                ("Removed: ", 10, "1 more article removed")):  # fmt: skip
        assert len([t for t in texts if t.startswith(prefix)]) == shown
        assert len([t for t in texts if more in t]) == 1
    assert "\u2026and 3 more added or updated articles with new facts." in " ".join(texts)
    entries = [p.text.split("\t")[0] for p in doc.paragraphs if p.style.name == "Source Entry"]
    assert entries == [f"[{n}]" for n in (1, 2, 3, 4, 5, 39, 40)]

    pdf = PdfReader(io.BytesIO(render(brief, "pdf", TemplateSet())))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages).replace(ZWSP, ""))
    assert "Pier 005 repaired (added)" in text and "Pier 006 repaired (added)" not in text
    for more in ("and 15 more articles added", "and 2 more articles updated",
                 "and 1 more article removed", "and 3 more added or updated articles"):  # fmt: skip
        assert more in text
    assert "Added: 010.txt" in text and "Added: 011.txt" not in text

    html = render(brief, "html", TemplateSet()).decode()
    assert html.count("<li>Added: ") == 25 and html.count("<li>Removed: ") == 11
    assert html.count('class="article-label"') == 8 and "changes-more" not in html
