"""Renderers: every output format on a tiny hand-built brief."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefgen.errors import TemplateError
from briefgen.models import (
    Brief,
    Citation,
    Discrepancy,
    DiscrepancySide,
    Entity,
    Fact,
    QuoteItem,
    Source,
    ThemeSection,
)
from briefgen.render import EXTENSIONS, FORMATS, TemplateSet, render
from briefgen.render.escape import ZWSP, markdown_escape
from briefgen.render.schema import brief_data
from briefgen.render.view import display_context

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

TEXTS = {
    1: (
        "Leaders met in Geneva on Sunday. The plan has 28 points. "
        "Officials said <script>alert('x')</script> was *not* a _typo_ # at all. "
        '"We will not give up our land," Zelensky said.'
    ),
    2: (
        "The revised plan has 19 points, according to officials. "
        '"Nothing is agreed until everything is agreed," a diplomat said. '
        "Leaders met in Geneva on Sunday."
    ),
    3: ("The plan has 28 points. Europe wants a seat at the table. Token: " + "x" * 150 + " end."),
}


def _cite(n: int, text: str) -> Citation:
    start = TEXTS[n].index(text)
    return Citation(source=n, start=start, end=start + len(text))


def _fact(text: str, *sources: int, new: bool = False, entities: bool = False) -> Fact:
    cites = [_cite(n, text) for n in sources]
    ents = []
    if entities:
        at = TEXTS[sources[0]].index("28")
        ents = [Entity(text="28", kind="number", start=at, end=at + 2, value="28")]
    return Fact(text=text, citations=cites, score=1.0, entities=ents, new=new)


def make_tiny_brief() -> Brief:
    """A three-source brief that exercises every part of every output."""
    sources = [
        Source(
            id="a1",
            path="001_geneva.txt",
            text=TEXTS[1],
            title="Talks in Geneva",
            outlet="Wire & Co",
            url="https://example.org/geneva?a=1&b=2",
            published="2026-11-20",
            author="A. Writer",
            n=1,
        ),
        Source(
            id="b2",
            path="002_revised.txt",
            text=TEXTS[2],
            title="Plan revised",
            outlet="Daily <Times>",
            url=None,
            published="2026-11-21T08:30:00+00:00",
            n=2,
        ),
        Source(
            id="c3",
            path="003_europe.txt",
            text=TEXTS[3],
            title=None,
            outlet=None,
            url="javascript:alert(1)",
            published=None,
            n=3,
        ),
    ]
    geneva = _fact("Leaders met in Geneva on Sunday.", 1, 2, new=True)
    points = _fact("The plan has 28 points.", 1, 3, entities=True)
    script = _fact("Officials said <script>alert('x')</script> was *not* a _typo_ # at all.", 1)
    europe = _fact("Europe wants a seat at the table.", 3)
    token = _fact("Token: " + "x" * 150 + " end.", 3)
    land = "We will not give up our land,"
    agreed = "Nothing is agreed until everything is agreed,"
    themes = [
        ThemeSection(
            id="territory",
            title="Territory",
            description="Land, borders and control.",
            facts=[points, script],
            quotes=[
                QuoteItem(
                    text=land,
                    speaker="Volodymyr Zelensky",
                    citations=[_cite(1, land)],
                    speaker_role="President of Ukraine",
                    new=True,
                ),
            ],
        ),
        ThemeSection(
            id="europe",
            title="Europe's role",
            description="What Europe asks for.",
            facts=[europe, token],
            quotes=[QuoteItem(text=agreed, speaker=None, citations=[_cite(2, agreed)])],
        ),
        ThemeSection(
            id="nato",
            title="NATO",
            description="Alliance questions.",
            note="Little coverage in these sources.",
        ),
    ]
    discrepancy = Discrepancy(
        subject="Number of points in the plan",
        kind="number",
        sides=[
            DiscrepancySide(
                value="28",
                text="The plan has 28 points.",
                citations=[
                    _cite(1, "The plan has 28 points."),
                    _cite(3, "The plan has 28 points."),
                ],
            ),
            DiscrepancySide(
                value="19",
                text="The revised plan has 19 points",
                citations=[_cite(2, "The revised plan has 19 points")],
            ),
        ],
    )
    return Brief(
        title="Ukraine peace plan",
        generated_at="2026-11-22T06:00:00Z",
        sources=sources,
        key_points=[geneva, points],
        themes=themes,
        discrepancies=[discrepancy],
        subtitle="Morning briefing",
        organisation="Kyiv Desk",
    )


@pytest.fixture
def tiny_brief() -> Brief:
    """A fresh tiny brief per test (renderers must not mutate it, but be safe)."""
    return make_tiny_brief()


@pytest.fixture(scope="module")
def templates() -> TemplateSet:
    """The built-in templates."""
    return TemplateSet()


@pytest.fixture(scope="module")
def pdf_bytes(templates: TemplateSet) -> bytes:
    """One PDF render shared by the PDF tests (WeasyPrint takes about a second)."""
    return render(make_tiny_brief(), "pdf", templates)


@pytest.fixture(scope="module")
def docx_bytes(templates: TemplateSet) -> bytes:
    """One DOCX render shared by the DOCX tests."""
    return render(make_tiny_brief(), "docx", templates)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).replace(ZWSP, "")


# --- registry ------------------------------------------------------------------------------


def test_formats_and_extensions_agree() -> None:
    """Every format has a file extension, in a stable order."""
    assert FORMATS == ("html", "pdf", "md", "json", "docx")
    assert set(EXTENSIONS) == set(FORMATS)


def test_import_does_not_load_heavy_libraries() -> None:
    """`import briefgen.render` imports neither WeasyPrint nor python-docx."""
    code = (
        "import sys, briefgen.render; "
        "print(any(m.split('.')[0] in ('weasyprint', 'docx') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    assert out.stdout.strip() == "False"


def test_unknown_format_is_an_error(tiny_brief: Brief, templates: TemplateSet) -> None:
    """Asking for an unknown format raises a BriefgenError naming the choices."""
    from briefgen.errors import RenderError

    with pytest.raises(RenderError, match="unknown output format"):
        render(tiny_brief, "rtf", templates)


# --- HTML ----------------------------------------------------------------------------------


def test_html_links_citations_to_sources(tiny_brief: Brief, templates: TemplateSet) -> None:
    """Each [n] links to #src-n and each source entry carries id src-n."""
    html = render(tiny_brief, "html", templates).decode()
    assert '<a class="cite" href="#src-1" title="Source 1">[1]</a>' in html
    assert '[1]</a><a class="cite" href="#src-2"' in html  # merged fact: [1][2]
    for n in (1, 2, 3):
        assert f'id="src-{n}"' in html


def test_html_escapes_article_text(tiny_brief: Brief, templates: TemplateSet) -> None:
    """Markup inside article text is escaped, never executed."""
    html = render(tiny_brief, "html", templates).decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "Daily &lt;Times&gt;" in html
    assert 'href="https://example.org/geneva?a=1&amp;b=2"' in html


def test_html_refuses_unsafe_source_urls(tiny_brief: Brief, templates: TemplateSet) -> None:
    """A javascript: source URL is shown as text but never becomes a link."""
    html = render(tiny_brief, "html", templates).decode()
    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html


def test_html_is_self_contained_and_phone_ready(tiny_brief: Brief, templates: TemplateSet) -> None:
    """lang, title, meta tags and viewport present; no external stylesheet or script."""
    html = render(tiny_brief, "html", templates).decode()
    assert '<html lang="en">' in html
    assert "<title>Ukraine peace plan</title>" in html
    for name in ("author", "description", "keywords", "viewport"):
        assert f'<meta name="{name}"' in html
    assert "<link" not in html and "<script" not in html
    hrefs = re.findall(r'(?:href|src)="([^"#][^"]*)"', html)
    assert hrefs == ["https://example.org/geneva?a=1&amp;b=2"]


def test_html_shows_badges_markers_notes_and_speakers(
    tiny_brief: Brief, templates: TemplateSet
) -> None:
    """Multi-source badge, New marker, theme note, Unattributed speaker all appear."""
    html = render(tiny_brief, "html", templates).decode()
    assert ">2 sources</span>" in html
    assert ">New</span>" in html
    assert "Little coverage in these sources." in html
    assert "Unattributed" in html and "Volodymyr Zelensky" in html
    assert '<h2 id="discrepancies-title">Discrepancies</h2>' in html


def test_html_breaks_long_tokens(tiny_brief: Brief, templates: TemplateSet) -> None:
    """Tokens over 60 characters get zero-width spaces so layout can wrap them."""
    html = render(tiny_brief, "html", templates).decode()
    assert "x" * 61 not in html
    assert ("x" * 20 + ZWSP + "x" * 20) in html


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_escapes_markup(tiny_brief: Brief, templates: TemplateSet) -> None:
    """Article *, _, #, < render literally; reference links point at source URLs."""
    md = render(tiny_brief, "md", templates).decode()
    assert r"\<script\>" in md and "<script>" not in md
    assert r"\*not\* a \_typo\_ \# at all" in md
    assert r"[\[1\]][1][2]" in md  # [2] has no URL: plain, rendered literally
    assert "[2]:" not in md
    assert "[1]: <https://example.org/geneva?a=1&b=2>" in md
    assert "javascript:" not in md.split("## Sources")[1].split("[1]:")[1]
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_markdown_quotes_are_blockquotes(tiny_brief: Brief, templates: TemplateSet) -> None:
    """Quotes are > blockquotes followed by an em-dash attribution."""
    md = render(tiny_brief, "md", templates).decode()
    assert "> — **Volodymyr Zelensky**, President of Ukraine" in md
    assert "> — **Unattributed**" in md


def test_an_unnamed_speaker_is_shown_as_described(
    tiny_brief: Brief, templates: TemplateSet
) -> None:
    """A quote said by "a city hall spokesperson" shows that description, not Unattributed,
    in every format; a quote with neither name nor description stays Unattributed."""
    import dataclasses

    import docx

    quote = tiny_brief.themes[1].quotes[0]
    described = dataclasses.replace(quote, speaker_role="a city hall spokesperson")
    themes = list(tiny_brief.themes)
    themes[1] = dataclasses.replace(themes[1], quotes=[described])
    brief = dataclasses.replace(tiny_brief, themes=themes)
    md = render(brief, "md", templates).decode()
    assert "> — **A city hall spokesperson**\n" in md
    assert "Unattributed" not in md
    html = render(brief, "html", templates).decode()
    assert '<span class="speaker">A city hall spokesperson</span>' in html
    document = docx.Document(io.BytesIO(render(brief, "docx", templates)))
    assert any("A city hall spokesperson" in p.text for p in document.paragraphs)
    assert "> — **Unattributed**" in render(tiny_brief, "md", templates).decode()


def test_markdown_escape_neutralises_block_starts() -> None:
    """Leading list or heading markers in article text are escaped."""
    assert markdown_escape("- item") == r"\- item"
    assert markdown_escape("1. item") == r"1\. item"
    assert markdown_escape("a\n# b") == r"a \# b"


# --- JSON ----------------------------------------------------------------------------------


def test_json_round_trips(tiny_brief: Brief, templates: TemplateSet) -> None:
    """JSON parses back to brief_data, is UTF-8 with a trailing newline, offsets are ints."""
    raw = render(tiny_brief, "json", templates)
    data = json.loads(raw)
    assert data == json.loads(json.dumps(brief_data(tiny_brief)))
    assert raw.endswith(b"}\n")
    assert set(data) == {
        "title",
        "generated_at",
        "sources",
        "key_points",
        "themes",
        "discrepancies",
        "edition",
        "changes",
    }
    fact = data["key_points"][0]
    assert fact["source_count"] == 2 and fact["new"] is True
    for cite in fact["citations"]:
        assert isinstance(cite["start"], int) and isinstance(cite["end"], int)
        text = TEXTS[cite["source"]]
        assert text[cite["start"] : cite["end"]] == fact["text"]
    assert data["key_points"][1]["entities"][0]["kind"] == "number"
    assert data["themes"][1]["quotes"][0]["speaker"] is None


def test_json_is_deterministic(tiny_brief: Brief, templates: TemplateSet) -> None:
    """Same brief, same bytes."""
    assert render(tiny_brief, "json", templates) == render(make_tiny_brief(), "json", templates)


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_text_has_headings_citations_and_sources(pdf_bytes: bytes) -> None:
    """The PDF reads back with headings, [n] citations, source titles and page footer."""
    text = _pdf_text(pdf_bytes).casefold()  # headings are typeset in capitals
    for needle in (
        "Key points",
        "Territory",
        "Europe's role",
        "Discrepancies",
        "Sources",
        "[1][2]",
        "Talks in Geneva",
        "Plan revised",
        "Page 1 of 2",
        "Little coverage in these sources.",
        "<script>",
        "Unattributed",
    ):
        assert needle.casefold() in text, needle


def test_pdf_outline_and_metadata(pdf_bytes: bytes) -> None:
    """Bookmarks mirror the h1/h2 headings; title, author and language are set."""
    from pypdf import PdfReader

    def walk(items: list, depth: int = 1) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for item in items:
            out += walk(item, depth + 1) if isinstance(item, list) else [(depth, item.title)]
        return out

    reader = PdfReader(io.BytesIO(pdf_bytes))
    outline = walk(reader.outline)
    assert outline[0] == (1, "Ukraine peace plan")
    sections = [title for depth, title in outline if depth == 2]
    assert sections == [
        "Key points",
        "Territory",
        "Europe's role",
        "NATO",
        "Discrepancies",
        "Sources",
    ]
    assert (3, "Number of points in the plan") in outline
    assert reader.metadata.title == "Ukraine peace plan"
    assert reader.metadata.author == "Kyiv Desk"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_pdf_internal_links_point_at_sources(pdf_bytes: bytes) -> None:
    """Named destinations exist for every source entry."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    assert {"src-1", "src-2", "src-3"} <= set(reader.named_destinations)


def test_pdf_is_deterministic(pdf_bytes: bytes, templates: TemplateSet) -> None:
    """Rendering the same brief twice gives identical bytes."""
    assert render(make_tiny_brief(), "pdf", templates) == pdf_bytes


def test_safe_fetcher_refuses_local_files_and_network(tmp_path: Path) -> None:
    """file:///etc/passwd and http:// are refused; data: and template files are served."""
    from briefgen.render.pdf import FetchRefused, SafeFetcher

    (tmp_path / "ok.css").write_text("p { color: red }")
    fetcher = SafeFetcher([tmp_path])
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        f"file://{tmp_path}/../{tmp_path.name}/../../etc/passwd",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/css,p{}").read() == b"p{}"
    assert fetcher.fetch((tmp_path / "ok.css").as_uri()).read() == b"p { color: red }"


def test_pdf_never_embeds_local_files(tiny_brief: Brief, tmp_path: Path) -> None:
    """An attachment link to /etc/passwd in a user template is not embedded."""
    (tmp_path / "brief.html.j2").write_text(
        '{% extends "default:brief.html.j2" %}{% block footer %}'
        '<a rel="attachment" href="file:///etc/passwd">x</a>'
        '<img src="http://127.0.0.1:9/x.png">{% endblock %}'
    )
    data = render(tiny_brief, "pdf", TemplateSet(user_dir=tmp_path))
    assert b"/EmbeddedFiles" not in data and b"root:" not in data


# --- DOCX ----------------------------------------------------------------------------------


def _docx(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


def test_docx_uses_word_heading_styles(docx_bytes: bytes) -> None:
    """Title, Heading 1 per section, List Bullet facts and Quote quotes."""
    doc = _docx(docx_bytes)
    styled = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("Title", "Ukraine peace plan") in styled
    headings = [t for s, t in styled if s == "Heading 1"]
    assert headings == [
        "Key points",
        "Territory",
        "Europe's role",
        "NATO",
        "Discrepancies",
        "Sources",
    ]
    assert any(s == "List Bullet" and "Geneva" in t for s, t in styled)
    assert any(s == "Quote" and "give up our land" in t for s, t in styled)


def test_docx_citations_link_to_bookmarks(docx_bytes: bytes) -> None:
    """Every w:hyperlink anchor has a matching bookmark on a source entry."""
    body = _docx(docx_bytes).element.body
    anchors = {h.get(f"{W_NS}anchor") for h in body.iter(f"{W_NS}hyperlink")} - {None}
    marks = {b.get(f"{W_NS}name") for b in body.iter(f"{W_NS}bookmarkStart")}
    assert {a for a in anchors if not a.startswith("_Toc")} == {"src_1", "src_2", "src_3"}
    assert anchors <= marks


def test_docx_external_links_and_core_properties(docx_bytes: bytes) -> None:
    """Source URLs are external hyperlinks; core properties come from the brief."""
    doc = _docx(docx_bytes)
    urls = {r.target_ref for r in doc.part.rels.values() if r.is_external}
    assert urls == {"https://example.org/geneva?a=1&b=2"}
    props = doc.core_properties
    assert props.title == "Ukraine peace plan"
    assert props.author == "Kyiv Desk"
    assert "Territory" in props.keywords
    assert props.created.isoformat().startswith("2026-11-22T06:00")


def test_docx_header_tokens_filled(docx_bytes: bytes) -> None:
    """The template's {title} and {date} tokens are replaced in header and footer."""
    section = _docx(docx_bytes).sections[0]
    assert "Ukraine peace plan" in section.header.paragraphs[0].text
    assert "Generated 22 November 2026" in section.footer.paragraphs[0].text


def test_docx_is_deterministic(docx_bytes: bytes, templates: TemplateSet) -> None:
    """Same brief, same bytes; zip entries carry a fixed timestamp."""
    assert render(make_tiny_brief(), "docx", templates) == docx_bytes
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"


def test_docx_strips_control_characters(tiny_brief: Brief, templates: TemplateSet) -> None:
    """XML-invalid control characters in article text do not break the document."""
    tiny_brief.key_points[0].text = "Leaders\x00 met\x0b in \x1fGeneva & <co>."
    doc = _docx(render(tiny_brief, "docx", templates))
    assert any("Leaders met in Geneva & <co>." in p.text for p in doc.paragraphs)


# --- templates -----------------------------------------------------------------------------


def test_undefined_variable_names_template_file(tiny_brief: Brief, tmp_path: Path) -> None:
    """A typo in a user template raises TemplateError naming the file and line."""
    (tmp_path / "brief.md.j2").write_text("# {{ title }}\n\n{{ no_such_thing }}\n")
    with pytest.raises(TemplateError) as info:
        render(tiny_brief, "md", TemplateSet(user_dir=tmp_path))
    message = str(info.value)
    assert "brief.md.j2" in message and "line 3" in message
    assert "no_such_thing" in message


def test_syntax_error_names_template_file(tiny_brief: Brief, tmp_path: Path) -> None:
    """A syntax error raises TemplateError naming the file and line."""
    (tmp_path / "brief.html.j2").write_text("<p>\n{% if %}\n")
    with pytest.raises(TemplateError, match=r"brief\.html\.j2, line 2"):
        render(tiny_brief, "html", TemplateSet(user_dir=tmp_path))


def test_user_template_extends_builtin(tiny_brief: Brief, tmp_path: Path) -> None:
    """A user template can extend default:brief.html.j2 and override one block."""
    (tmp_path / "brief.html.j2").write_text(
        '{% extends "default:brief.html.j2" %}{% block footer %}<p>Desk copy</p>{% endblock %}'
    )
    html = render(tiny_brief, "html", TemplateSet(user_dir=tmp_path)).decode()
    assert "<p>Desk copy</p>" in html and 'id="src-1"' in html


def test_display_context_cleans_control_characters(tiny_brief: Brief) -> None:
    """Control characters never reach templates."""
    tiny_brief.title = "Plan\x07 talks"
    assert display_context(tiny_brief)["title"] == "Plan talks"


def test_docx_zip_time_follows_source_date_epoch(
    tiny_brief: Brief, templates: TemplateSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With SOURCE_DATE_EPOCH set, every zip entry carries that time."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # 2026-11-18 11:06:40 UTC
    with zipfile.ZipFile(io.BytesIO(render(tiny_brief, "docx", templates))) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 18, 11, 6, 40)}
