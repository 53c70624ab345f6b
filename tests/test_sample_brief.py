"""End to end on the sample: every format written, every citation resolves, no debris leaks."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from briefgen.build import run_build

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
THEMES = ["Territory", "NATO", "Europe's role", "Plan revisions"]
DEBRIS = [
    "Invalid email", "Privacy Policy", "Watch video below", "Story Continues",
    "(Image: Getty)", "Getty Images/TNS", "Distributed by Tribune", "Share this article",
    "Top NewsVideo", "Russian blogger reflects", "Updated: 06:48", "unsubscribe",
]  # fmt: skip


@pytest.fixture(scope="module")
def sample(tmp_path_factory, monkeypatch_module) -> Path:
    out = tmp_path_factory.mktemp("out")
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", "1764720000")
    report = run_build(SEEDS, None, out)
    assert not report.warnings
    return out


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="module")
def brief(sample) -> dict:
    return json.loads((sample / "brief.json").read_text(encoding="utf-8"))


def source_texts(brief: dict) -> dict[int, str]:
    return {s["n"]: (SEEDS / s["path"]).read_bytes().decode("utf-8-sig") for s in brief["sources"]}


def all_items(brief: dict) -> list[dict]:
    items = list(brief["key_points"])
    for theme in brief["themes"]:
        items += theme["facts"] + theme["quotes"]
    return items


def test_all_five_files_written(sample):
    """One build writes the PDF, DOCX, HTML, Markdown and JSON files."""
    for name in ["brief.pdf", "brief.docx", "brief.html", "brief.md", "brief.json"]:
        assert (sample / name).stat().st_size > 500, name


def test_json_contract_fields(brief):
    """The JSON has the documented top-level fields, sources and themes."""
    assert brief["title"] and brief["generated_at"] == "2025-12-03T00:00:00Z"
    assert [s["n"] for s in brief["sources"]] == [1, 2, 3, 4, 5]
    for s in brief["sources"]:
        assert {"n", "id", "path", "title", "outlet", "published"} <= set(s)
    assert [t["title"] for t in brief["themes"]] == THEMES
    assert brief["key_points"]
    for item in all_items(brief):
        assert item["text"] and item["citations"]


def test_every_citation_reproduces_its_span(brief):
    """Each item's first citation is exactly its text; every citation is a real span."""
    texts = source_texts(brief)
    for item in all_items(brief):
        first = item["citations"][0]
        assert texts[first["source"]][first["start"] : first["end"]] == item["text"]
        for c in item["citations"]:
            span = texts[c["source"]][c["start"] : c["end"]]
            assert span.strip() and len(span) == c["end"] - c["start"]


def test_merged_facts_cite_each_source_once(brief):
    """Some facts are reported by several outlets and cite each of them."""
    merged = [f for f in all_items(brief) if "source_count" in f and f["source_count"] > 1]
    assert merged
    for fact in merged:
        sources = [c["source"] for c in fact["citations"]]
        assert len(sources) == len(set(sources)) == fact["source_count"]


def test_no_fact_repeated_across_the_brief(brief):
    """No sentence appears twice in the brief."""
    texts = [f["text"] for f in all_items(brief)]
    assert len(texts) == len(set(texts))


def test_each_theme_has_facts(brief):
    """Every sample theme gets facts or says coverage is thin."""
    for theme in brief["themes"]:
        assert theme["facts"] or theme["note"], theme["id"]


def test_no_debris_in_any_output(sample):
    """None of the sample's web debris reaches any text output."""
    for name in ["brief.html", "brief.md", "brief.json"]:
        text = (sample / name).read_text(encoding="utf-8")
        for debris in DEBRIS:
            assert debris not in text, (name, debris)
    pdf_text = pdf_to_text(sample / "brief.pdf")
    docx_text = "\n".join(p.text for p in docx_paragraphs(sample / "brief.docx"))
    for debris in DEBRIS:
        assert debris not in pdf_text and debris not in docx_text, debris


def citation_numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d{1,3})\]", text)}


@pytest.mark.parametrize("name", ["brief.html", "brief.md"])
def test_text_outputs_cite_only_listed_sources(sample, brief, name):
    """Every [n] in HTML and Markdown resolves to the source list, and all are used."""
    text = (sample / name).read_text(encoding="utf-8")
    cited = citation_numbers(text)
    assert cited == {s["n"] for s in brief["sources"]}


def test_html_citations_link_to_source_entries(sample):
    """Each [n] in the HTML links to an element with id src-n."""
    html = (sample / "brief.html").read_text(encoding="utf-8")
    for n in citation_numbers(html):
        assert f'href="#src-{n}"' in html and f'id="src-{n}"' in html


def pdf_to_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def docx_paragraphs(path: Path):
    import docx

    return docx.Document(str(path)).paragraphs


def test_pdf_reads_back_with_headings_citations_sources(sample, brief):
    """The PDF has the theme headings, the source list and resolvable citations."""
    text = pdf_to_text(sample / "brief.pdf")
    flat = re.sub(r"\s+", " ", text)
    for heading in ["Key points", *THEMES, "Sources"]:
        # headings may be typeset in capitals by the stylesheet
        assert heading.upper() in flat.upper(), heading
    assert citation_numbers(text) <= {s["n"] for s in brief["sources"]}
    assert len(citation_numbers(text)) >= 4
    for source in brief["sources"]:
        if source["title"]:
            assert source["title"][:30] in flat


def test_pdf_pages_render_with_poppler(sample, tmp_path):
    """pdftoppm renders every page (the file is a valid PDF for other readers too)."""
    result = subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(sample / "brief.pdf"), str(tmp_path / "p")],
        capture_output=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.glob("p-*.png"))


def test_docx_reads_back_with_headings_citations_sources(sample, brief):
    """The DOCX uses Word heading styles for themes and lists every source."""
    paragraphs = docx_paragraphs(sample / "brief.docx")
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    for heading in ["Key points", *THEMES, "Sources"]:
        assert heading in headings, (heading, headings)
    body = "\n".join(p.text for p in paragraphs)
    assert citation_numbers(body) == {s["n"] for s in brief["sources"]}
    assert brief["key_points"][0]["text"] in body


def test_markdown_lists_sources_in_order(sample, brief):
    """The Markdown source list is numbered 1..N, in that order, each entry its own source."""
    md = (sample / "brief.md").read_text(encoding="utf-8")
    assert "\n## Sources\n" in md
    listing = md.rsplit("\n## Sources\n", 1)[1]
    # Each entry: "n. **title** ..." then an indented "File: name" line (Markdown-escaped).
    entries = re.findall(r"^(\d+)\. .*\n +File: (.*)$", listing, flags=re.MULTILINE)
    assert [int(n) for n, _ in entries] == [s["n"] for s in brief["sources"]]
    files = [name.replace("\\", "") for _, name in entries]
    assert files == [s["path"] for s in brief["sources"]]


def test_bytes_of_pdf_start_like_a_pdf(sample):
    """The PDF file is a PDF (header and EOF marker)."""
    data = (sample / "brief.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


def test_sample_discrepancies_are_the_real_ones(brief):
    """The sample's two real disagreements are flagged: the meeting date and Witkoff's name."""
    subjects = {d["kind"]: {s["value"] for s in d["sides"]} for d in brief["discrepancies"]}
    assert subjects.get("date") == {"3 December 2025", "2 December"}
    assert subjects.get("name") == {"Witkoff", "Whitkoff"}
    assert len(brief["discrepancies"]) == 2


def test_sample_quotes_carry_speakers(brief):
    """Every quote in the sample brief has a speaker; known quotes have the right one."""
    quotes = {q["text"]: q["speaker"] for t in brief["themes"] for q in t["quotes"]}
    assert quotes and all(quotes.values())
    expected = {
        "without solving which we do not see a way out of the crisis": "Yuri Ushakov",
        "They don’t have a peace agenda, they’re on the side of the war": "Vladimir Putin",
        "Right now, the world clearly feels that there is a real opportunity to end the war, and current diplomatic activity in negotiations must be backed by pressure on Russia.": "Volodymyr Zelenskyy",
    }
    for text, speaker in expected.items():
        assert text in quotes, text
        assert quotes[text] == speaker, text
