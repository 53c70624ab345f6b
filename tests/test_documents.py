"""Publication-grade documents: the sample brief's PDF and DOCX read back, reproducible
builds, user templates and hostile article text, end to end through the CLI."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_render import make_tiny_brief  # tests/ is on sys.path (rootdir-relative import)

from briefgen.cli import main
from briefgen.render import TemplateSet, render
from briefgen.render.escape import ZWSP

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
EPOCH = "1795000000"  # 2026-11-18T11:06:40Z
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OUTPUTS = ("brief.pdf", "brief.docx", "brief.html", "brief.md", "brief.json")
SECTIONS = [
    "Key points",
    "New since the last edition",
    "Territory",
    "NATO",
    "Europe's role",
    "Plan revisions",
    "Discrepancies",
    "Sources",
]


def build(source: Path, out: Path, *args: str) -> tuple[int, str]:
    """Run `briefgen build` with SOURCE_DATE_EPOCH set; (exit code, stderr)."""
    result = CliRunner().invoke(
        main,
        ["build", str(source), "-o", str(out), "-q", *args],
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    return result.exit_code, result.stderr


def pdf_reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def pdf_text(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages).replace(ZWSP, "")


def outline(reader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) for every bookmark."""

    def walk(items: list, depth: int) -> list[tuple[int, str, int]]:
        out: list[tuple[int, str, int]] = []
        for item in items:
            if isinstance(item, list):
                out += walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))
        return out

    return walk(reader.outline, 1)


def docx_document(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The seeds brief built once through the CLI (all formats), by file name."""
    out = tmp_path_factory.mktemp("sample")
    code, err = build(SEEDS, out)
    assert code == 0, err
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def sample_pdf(sample: dict[str, bytes]):
    """The sample PDF opened with pypdf."""
    return pdf_reader(sample["brief.pdf"])


@pytest.fixture(scope="module")
def sample_docx(sample: dict[str, bytes]):
    """The sample DOCX opened with python-docx."""
    return docx_document(sample["brief.docx"])


@pytest.fixture(scope="module")
def tiny_pdf() -> bytes:
    """The tiny brief (with a linkable source URL) as a PDF."""
    return render(make_tiny_brief(), "pdf", TemplateSet())


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_metadata(sample_pdf) -> None:
    """Title, author (organisation), subject, keywords (themes), creator and date are set."""
    meta = sample_pdf.metadata
    assert meta.title == "Ukraine peace plan: the Moscow talks"
    assert meta.author == "briefgen sample desk"
    assert meta.subject and "Ukraine peace plan" in meta.subject
    assert meta["/Keywords"] == "Territory, NATO, Europe's role, Plan revisions"
    assert meta.creator == "briefgen"
    assert meta["/CreationDate"] == "D:20261118110640Z"


def test_pdf_is_tagged_pdf_ua_with_language(sample_pdf) -> None:
    """StructTreeRoot, MarkInfo/Marked, /Lang and the PDF/UA-1 identifier are present."""
    root = sample_pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()


def test_pdf_bookmarks_cover_every_section(sample_pdf) -> None:
    """The title, each section and each discrepancy have a bookmark; Contents has none."""
    marks = outline(sample_pdf)
    assert marks[0][:2] == (1, "Ukraine peace plan: the Moscow talks")
    assert [title for depth, title, _ in marks if depth == 2] == SECTIONS
    assert sum(1 for depth, _, _ in marks if depth == 3) >= 1
    assert "Contents" not in {title for _, title, _ in marks}


def test_pdf_contents_list_has_page_numbers(sample_pdf) -> None:
    """Each contents entry on page 1 ends in the page its section starts on."""
    first_page = sample_pdf.pages[0].extract_text()
    contents = first_page.split("CONTENTS", 1)[1]
    for _, title, page in (m for m in outline(sample_pdf) if m[0] == 2):
        pattern = re.escape(title) + r"[ .\u2026]*" + str(page + 1) + r"\b"
        assert re.search(pattern, contents), (title, page + 1)


def test_pdf_running_header_and_footer(sample_pdf) -> None:
    """Page 2 carries the title and organisation on top, date and Page X of Y below."""
    pages = len(sample_pdf.pages)
    text = sample_pdf.pages[1].extract_text()
    assert "Ukraine peace plan: the Moscow talks" in text
    assert "BRIEFGEN SAMPLE DESK" in text
    assert "Generated 18 November 2026" in text
    assert f"Page 2 of {pages}" in text
    assert 2 <= pages <= 8


def test_pdf_citations_link_to_source_entries(sample_pdf) -> None:
    """Every internal link goes to a named destination; every [n] has one to src-n."""
    names = set(sample_pdf.named_destinations)
    targets = []
    for page in sample_pdf.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            assert annot["/Subtype"] == "/Link"
            if "/Dest" in annot:
                targets.append(str(annot["/Dest"]))
            elif annot["/A"]["/S"] == "/GoTo":
                targets.append(str(annot["/A"]["/D"]))
    assert targets and set(targets) <= names
    cited = set(re.findall(r"\[(\d+)\]", pdf_text(sample_pdf).split("SOURCES")[0]))
    assert {f"src-{n}" for n in cited} <= set(targets)


def test_pdf_source_urls_are_live_links(tiny_pdf: bytes) -> None:
    """An http(s) source URL is a URI link; a javascript: URL is not linked."""
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in pdf_reader(tiny_pdf).pages
        for annot in page.get("/Annots") or []
        if "/A" in annot.get_object() and annot.get_object()["/A"]["/S"] == "/URI"
    ]
    assert uris == ["https://example.org/geneva?a=1&b=2"]


def test_pdf_fonts_are_dejavu_and_cover_cyrillic_and_accents() -> None:
    """Cyrillic and accented text survives into the PDF, set in embedded DejaVu fonts."""
    brief = make_tiny_brief()
    brief.title = "Мирний план: café, naïve, Zürich, Łódź"
    reader = pdf_reader(render(brief, "pdf", TemplateSet()))
    assert "Мирний план: café, naïve, Zürich, Łódź" in pdf_text(reader)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.startswith("DejaVu") for name in fonts), fonts


@pytest.mark.parametrize(("size", "points"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_pdf_page_size_follows_config(size: str, points: tuple[int, int]) -> None:
    """page_size A4 or Letter sets the PDF media box."""
    reader = pdf_reader(render(make_tiny_brief(), "pdf", TemplateSet(page_size=size)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == points


# --- DOCX ----------------------------------------------------------------------------------


def test_docx_uses_word_styles(sample_docx) -> None:
    """Title, Heading 1 per section, Heading 2, Quote, List Bullet and TOC Heading are used."""
    styled = [(p.style.name, p.text) for p in sample_docx.paragraphs]
    used = {style for style, _ in styled}
    assert {"Title", "Heading 1", "Heading 2", "Quote", "List Bullet", "TOC Heading"} <= used
    assert [text for style, text in styled if style == "Heading 1"] == SECTIONS
    assert styled[0] == ("Title", "Ukraine peace plan: the Moscow talks")


def test_docx_has_a_word_toc_field_linked_to_headings(sample_docx) -> None:
    """A TOC \\o "1-2" \\h field lists every heading, each linked to its _Toc bookmark."""
    body = sample_docx.element.body
    instructions = [node.text for node in body.iter(f"{W_NS}instrText")]
    assert any('TOC \\o "1-2" \\h' in text for text in instructions)
    toc = [p for p in sample_docx.paragraphs if p.style.name.startswith("toc ")]
    headings = [p for p in sample_docx.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert [p.text for p in toc] == [p.text for p in headings]
    for entry, heading in zip(toc, headings, strict=True):
        anchor = entry._p.find(f"{W_NS}hyperlink").get(f"{W_NS}anchor")
        marks = [b.get(f"{W_NS}name") for b in heading._p.iter(f"{W_NS}bookmarkStart")]
        assert marks == [anchor]


def test_docx_citations_are_bookmark_links(sample_docx) -> None:
    """Every [n] is a w:hyperlink to the bookmark src_n on source entry n."""
    body = sample_docx.element.body
    links = [h for h in body.iter(f"{W_NS}hyperlink") if h.get(f"{W_NS}anchor", "")[:4] == "src_"]
    assert links
    for link in links:
        text = "".join(t.text for t in link.iter(f"{W_NS}t"))
        assert f"src_{text.strip('[]')}" == link.get(f"{W_NS}anchor")
    entries = [p for p in sample_docx.paragraphs if p.style.name == "Source Entry"]
    for n, entry in enumerate(entries, 1):
        assert [b.get(f"{W_NS}name") for b in entry._p.iter(f"{W_NS}bookmarkStart")] == [f"src_{n}"]


def test_docx_source_urls_are_hyperlinks() -> None:
    """An http(s) source URL becomes an external hyperlink relationship; javascript: not."""
    doc = docx_document(render(make_tiny_brief(), "docx", TemplateSet()))
    rels = {r.rId: r.target_ref for r in doc.part.rels.values() if r.is_external}
    linked = {rels[h.get(f"{{{R_NS}}}id")] for h in doc.element.body.iter(f"{W_NS}hyperlink")
              if h.get(f"{{{R_NS}}}id")}  # fmt: skip
    assert linked == {"https://example.org/geneva?a=1&b=2"}


def test_docx_core_properties(sample_docx) -> None:
    """Title, author (organisation), subject, keywords (themes) and created are set."""
    props = sample_docx.core_properties
    assert props.title == "Ukraine peace plan: the Moscow talks"
    assert props.author == "briefgen sample desk"
    assert props.subject.startswith("Putin meets the US envoys")
    assert props.keywords == "Territory, NATO, Europe's role, Plan revisions"
    assert props.created.isoformat().startswith("2026-11-18T11:06:40")
    assert props.language == "en"


def test_docx_header_and_footer_tokens_filled(sample_docx) -> None:
    """{title}, {organisation} and {date} in the template header/footer are replaced."""
    section = sample_docx.sections[0]
    header = section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0].text
    assert "Ukraine peace plan: the Moscow talks" in header and "briefgen sample desk" in header
    assert "Generated 18 November 2026" in footer and "{" not in header + footer


def test_docx_paragraph_properties_in_schema_order(sample: dict[str, bytes]) -> None:
    """w:pPr children follow the schema order (Word reports misordered XML as corrupt)."""
    order = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
             "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
             "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange"]  # fmt: skip
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(sample["brief.docx"])) as z:
        for name in ("word/document.xml", "word/styles.xml", "word/header1.xml"):
            if name not in z.namelist():
                continue
            tree = etree.fromstring(z.read(name))
            for ppr in tree.iter(f"{W_NS}pPr"):
                tags = [etree.QName(child).localname for child in ppr]
                positions = [order.index(t) for t in tags]
                assert positions == sorted(positions), (name, tags)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_docx_converts_with_libreoffice(sample: dict[str, bytes], tmp_path: Path) -> None:
    """LibreOffice opens the DOCX headless and lays it out with header, footer and sections."""
    source = tmp_path / "brief.docx"
    source.write_bytes(sample["brief.docx"])
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    reader = pdf_reader((tmp_path / "brief.pdf").read_bytes())
    text = pdf_text(reader)
    assert 2 <= len(reader.pages) <= 8
    assert "Ukraine peace plan: the Moscow talks" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    for section in SECTIONS:
        assert section.upper() in text or section in text, section


# --- reproducibility -----------------------------------------------------------------------


def test_builds_are_byte_identical(sample: dict[str, bytes], tmp_path: Path) -> None:
    """With SOURCE_DATE_EPOCH set, a second build gives the same bytes in every format."""
    code, err = build(SEEDS, tmp_path / "again")
    assert code == 0, err
    for name in OUTPUTS:
        assert (tmp_path / "again" / name).read_bytes() == sample[name], name


# --- user templates ------------------------------------------------------------------------


def test_html_block_override_via_extends(tmp_path: Path) -> None:
    """A user brief.html.j2 extending default: overrides one block; the rest stays."""
    user = tmp_path / "tpl"
    user.mkdir()
    (user / "brief.html.j2").write_text(
        '{% extends "default:brief.html.j2" %}\n'
        '{% block theme %}<section class="mine"><h2>{{ theme.title }}!</h2></section>'
        "{% endblock %}\n"
        "{% block footer %}<footer>Desk copy</footer>{% endblock %}\n"
    )
    code, err = build(SEEDS, tmp_path / "out", "-f", "html", "--templates", str(user))
    assert code == 0, err
    html = (tmp_path / "out" / "brief.html").read_text()
    assert '<section class="mine"><h2>Territory!</h2></section>' in html
    assert "<footer>Desk copy</footer>" in html and "verbatim extract" not in html
    assert 'id="key-points"' in html and 'id="src-1"' in html


def test_docx_style_override_from_user_template(tmp_path: Path) -> None:
    """A restyled copy of brief.docx in the user folder (config key) styles the output."""
    from docx import Document
    from docx.shared import RGBColor

    source = tmp_path / "articles"
    shutil.copytree(SEEDS, source)
    config = source / "briefgen.toml"
    config.write_text(config.read_text().replace("[limits]", 'templates = "tpl"\n\n[limits]', 1))
    (source / "tpl").mkdir()
    template = Document(str(ROOT / "templates" / "brief.docx"))
    heading = template.styles["Heading 1"]
    heading.font.color.rgb = RGBColor(0xC0, 0x10, 0x10)
    heading.font.name = "DejaVu Serif"
    template.save(str(source / "tpl" / "brief.docx"))

    code, err = build(source, tmp_path / "out", "-f", "docx")
    assert code == 0, err
    doc = docx_document((tmp_path / "out" / "brief.docx").read_bytes())
    style = doc.styles["Heading 1"]
    assert style.font.color.rgb == RGBColor(0xC0, 0x10, 0x10)
    assert style.font.name == "DejaVu Serif"
    assert any(p.style.name == "Heading 1" for p in doc.paragraphs)


def test_templates_export_refuses_to_overwrite(tmp_path: Path) -> None:
    """`templates export` copies every template; a second run exits 73 unless --force."""
    dest = tmp_path / "mine"
    runner = CliRunner()
    first = runner.invoke(main, ["templates", "export", str(dest)])
    assert first.exit_code == 0, first.stderr
    names = sorted(p.name for p in dest.iterdir())
    assert names == sorted(
        ["brief.html.j2", "macros.html.j2", "screen.css", "print.css", "brief.md.j2", "brief.docx"]
    )
    for name in names:
        assert (dest / name).read_bytes() == (ROOT / "templates" / name).read_bytes()
    (dest / "print.css").write_text("/* mine */")
    again = runner.invoke(main, ["templates", "export", str(dest)])
    assert again.exit_code == 73 and "--force" in again.stderr
    assert (dest / "print.css").read_text() == "/* mine */"
    forced = runner.invoke(main, ["templates", "export", "--force", str(dest)])
    assert forced.exit_code == 0
    assert (dest / "print.css").read_bytes() == (ROOT / "templates" / "print.css").read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("brief.html.j2", "<p>\n{% for x in %}\n", r"brief\.html\.j2, line 2"),
        ("brief.html.j2", '{% extends "default:brief.html.j2" %}\n{% block footer %}\n'
         "{{ no_such_key }}{% endblock %}", r"brief\.html\.j2, line 3: 'no_such_key'"),
        ("print.css", "@page {\n size: {{ page_size }\n}", r"print\.css, line 2"),
        ("brief.docx", "not a zip", r"brief\.docx: not a usable Word document"),
    ],
    ids=["syntax", "undefined", "css", "docx"],
)  # fmt: skip
def test_template_error_exits_78_and_writes_nothing(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    """A broken user template: exit 78, one line naming the file (and line), no output."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / name).write_text(content)
    out = tmp_path / "out"
    code, err = build(SEEDS, out, "--templates", str(bad))
    assert code == 78, err
    assert "BG-TEMPLATE" in err and re.search(message, err), err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_template_error_leaves_last_edition_unchanged(tmp_path: Path) -> None:
    """After a good build, a build with a broken template changes no file in OUT."""
    out = tmp_path / "out"
    assert build(SEEDS, out, "-f", "html")[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "brief.html.j2").write_text("{% if %}")
    assert build(SEEDS, out, "-f", "html", "--templates", str(bad))[0] == 78
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


# --- hostile article text ------------------------------------------------------------------

LONG = "Z" * 10_000


def _hostile_folder(root: Path, canary: Path) -> Path:
    folder = root / "articles"
    folder.mkdir()
    shutil.copy(SEEDS / "briefgen.toml", folder / "briefgen.toml")
    leak = canary.as_uri()
    (folder / "001_markup.md").write_text(
        "---\n"
        f"title: Plan talks <img src={leak}> {{{{ config }}}} {{% for x in range(3) %}}{{% endfor %}}\n"
        f"outlet: <a rel=attachment href={leak}>Wire</a>\n"
        f"url: {leak}\n"
        "published: 2025-12-03\n"
        "---\n"
        f"The peace plan on territory was discussed in Moscow <img src={leak}> with NATO envoys.\n"
        f"Officials said the territory plan <a rel=attachment href={leak}>annex</a> would cede"
        " land in Donbas.\n"
        "Europe's leaders said the plan {{ config }} and {% for x in items %}{{ x }}{% endfor %}"
        " was not agreed by NATO allies.\n",
        encoding="utf-8",
    )
    (folder / "002_long.md").write_text(
        "---\ntitle: Long token story\n"
        f"url: https://example.org/{LONG}\n---\n"
        f"The revised peace plan for territory in Donbas includes the code {LONG} according"
        " to NATO officials.\n"
        "Control\x01 characters\x07 in the plan\x0b about territory and NATO were"
        " \x1b[31mreported\x1b[0m by Europe's ministers.\n",
        encoding="utf-8",
    )
    (folder / "003_normal.md").write_text(
        "---\ntitle: Normal story about the plan\nurl: https://example.org/normal\n---\n"
        "Putin met the US envoys in Moscow to discuss the peace plan and territory in Donbas.\n"
        "European leaders said NATO membership for Ukraine remained part of the plan.\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A folder of hostile articles built once through the CLI: outputs, canary, seconds."""
    root = tmp_path_factory.mktemp("hostile")
    canary = root / "canary.txt"
    canary.write_text("CANARY-7d1e0c5b-do-not-leak\n")
    folder = _hostile_folder(root, canary)
    started = time.perf_counter()
    code, err = build(folder, root / "out")
    seconds = time.perf_counter() - started
    assert code in (0, 3), err
    outputs = {name: (root / "out" / name).read_bytes() for name in OUTPUTS}
    return {"outputs": outputs, "canary": b"CANARY-7d1e0c5b", "seconds": seconds}


def _pdf_payloads(data: bytes) -> list[bytes]:
    """The raw PDF, every stream decompressed (WeasyPrint deflates them all, object
    streams included) and every embedded file's bytes."""
    payloads = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            payloads.append(zlib.decompressobj().decompress(stream))
        except zlib.error:
            payloads.append(stream)
    for files in pdf_reader(data).attachments.values():
        payloads.extend(files)
    return payloads


def test_hostile_text_never_reads_local_files(hostile: dict) -> None:
    """A file:/// canary referenced from article text appears in no output."""
    canary = hostile["canary"]
    outputs = hostile["outputs"]
    for name in ("brief.html", "brief.md", "brief.json"):
        assert canary not in outputs[name], name
    assert all(canary not in payload for payload in _pdf_payloads(outputs["brief.pdf"]))
    reader = pdf_reader(outputs["brief.pdf"])
    assert not reader.attachments and b"/EmbeddedFile" not in outputs["brief.pdf"]
    with zipfile.ZipFile(io.BytesIO(outputs["brief.docx"])) as z:
        for entry in z.namelist():
            assert canary not in z.read(entry), entry


def test_hostile_markup_renders_as_text(hostile: dict) -> None:
    """<img>, <a rel=attachment> and file: URLs are escaped text, never tags or links."""
    outputs = hostile["outputs"]
    html = outputs["brief.html"].decode()
    assert "<img" not in html and "<a rel=attachment" not in html
    assert "&lt;img src=file:///" in html and "&lt;a rel=attachment href=file:///" in html
    assert 'href="file:' not in html and 'src="file:' not in html
    reader = pdf_reader(outputs["brief.pdf"])
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            assert action is None or not str(action.get("/URI", "")).startswith("file:")
    assert "<img src=file:///" in pdf_text(reader)
    doc = docx_document(outputs["brief.docx"])
    assert any("<img src=file:///" in p.text for p in doc.paragraphs)
    assert all(not r.target_ref.startswith("file:") for r in doc.part.rels.values())


def test_hostile_template_syntax_appears_literally(hostile: dict) -> None:
    """{{ config }} and {% for %} in article text come out as typed, unevaluated."""
    outputs = hostile["outputs"]
    for name in ("brief.html", "brief.md"):
        text = outputs[name].decode()
        assert "{{ config }}" in text.replace("\\", ""), name
        assert "{% for x in range(3) %}" in text.replace("\\", ""), name
    assert "{{ config }}" in pdf_text(pdf_reader(outputs["brief.pdf"]))
    paragraphs = [p.text for p in docx_document(outputs["brief.docx"]).paragraphs]
    assert any("{{ config }}" in text for text in paragraphs)


def test_hostile_control_characters_are_removed(hostile: dict) -> None:
    """Control characters never reach HTML, Markdown or the DOCX XML."""
    outputs = hostile["outputs"]
    control = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
    for name in ("brief.html", "brief.md"):
        assert not control.search(outputs[name]), name
    with zipfile.ZipFile(io.BytesIO(outputs["brief.docx"])) as z:
        for entry in z.namelist():
            if entry.endswith(".xml"):
                assert not control.search(z.read(entry)), entry


def test_hostile_long_token_keeps_layout_bounded(hostile: dict) -> None:
    """A 10,000-character token is shortened: few PDF pages, no overflow, quick build."""
    outputs = hostile["outputs"]
    reader = pdf_reader(outputs["brief.pdf"])
    assert len(reader.pages) <= 4
    width = float(reader.pages[0].mediabox.width)
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            left, _, right, _ = (float(v) for v in annot.get_object()["/Rect"])
            assert left >= 0 and right <= width
    assert LONG.encode() not in re.sub(rb'href="[^"]*"', b"", outputs["brief.html"])
    assert "\u2026" in outputs["brief.html"].decode()
    assert hostile["seconds"] < 30
    assert LONG in outputs["brief.json"].decode()  # the data keeps the full text
