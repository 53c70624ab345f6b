"""Generate templates/brief.docx, the Word template the DOCX renderer opens.

Editors restyle the output by editing that file in Word (fonts, colours, header and
footer); this script only produces the default. Run from the repository root:

    .venv/bin/python scripts/make_docx_template.py

The header and footer hold the tokens {title}, {organisation} and {date}, which the
renderer replaces (docs/templates.md lists them all).
Word's built-in styles carry the structure (Title, Subtitle, Heading 1/2, List Bullet,
Quote) so the navigation pane works; a few extra styles are added for the details.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefgen.render.docx_ import normalise_zip  # noqa: E402

OUT = ROOT / "templates" / "brief.docx"

SERIF = "Georgia"  # on every Windows and macOS install; LibreOffice substitutes
SANS = "Arial"
INK = RGBColor(0x1B, 0x1F, 0x24)
MUTED = RGBColor(0x5A, 0x64, 0x72)
ACCENT = RGBColor(0x1D, 0x4E, 0x7A)
NEW = RGBColor(0xA8, 0x32, 0x1E)
PAGE_WIDTH, PAGE_HEIGHT, SIDE_MARGIN = Cm(21.0), Cm(29.7), Cm(2.2)  # A4
TEXT_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN


def _set_font(style, name: str) -> None:
    """Set a style's font, dropping theme fonts (Word prefers those over names)."""
    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        return
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), name)


# Word rejects (as "unreadable content") paragraph properties out of schema order, so
# borders and shading go before these successors rather than at the end.
_PBDR_SUCCESSORS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def _drop_border(style) -> None:
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None and (border := ppr.find(qn("w:pBdr"))) is not None:
        ppr.remove(border)


def _left_rule(style, color: str, size: int = 12) -> None:
    """A vertical rule left of the paragraph (used for quotes and notes)."""
    ppr = style.element.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", str(size)),
        ("w:space", "8"),
        ("w:color", color),
    ):
        left.set(qn(key), value)
    border.append(left)
    ppr.insert_element_before(border, *_PBDR_SUCCESSORS)


def _shade(style, fill: str) -> None:
    ppr = style.element.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    ppr.insert_element_before(shd, *_PBDR_SUCCESSORS[1:])


def _style(doc, name: str, kind, base: str | None = None):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, kind)
    if base is not None:
        style.base_style = styles[base]
    style.quick_style = True
    return style


def _built_in_styles(doc) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal, SERIF)
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = INK
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.2

    title = doc.styles["Title"]
    _set_font(title, SANS)
    _drop_border(title)
    title.font.size = Pt(24)
    title.font.bold = True
    title.font.color.rgb = INK
    title.paragraph_format.space_after = Pt(4)

    subtitle = doc.styles["Subtitle"]
    _set_font(subtitle, SERIF)
    subtitle.font.size = Pt(12)
    subtitle.font.italic = True
    subtitle.font.color.rgb = MUTED
    subtitle.paragraph_format.space_after = Pt(4)
    rpr = subtitle.element.get_or_add_rPr()
    for node in rpr.findall(qn("w:spacing")):  # the default's letter-spacing reads as a gap
        rpr.remove(node)

    for name, size, color in (("Heading 1", 12, ACCENT), ("Heading 2", 10.5, INK)):
        heading = doc.styles[name]
        _set_font(heading, SANS)
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.color.rgb = color
        heading.paragraph_format.space_before = Pt(18 if name == "Heading 1" else 10)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
    doc.styles["Heading 1"].font.all_caps = True

    bullet = doc.styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(5)
    bullet.paragraph_format.keep_together = True

    quote = doc.styles["Quote"]
    _set_font(quote, SERIF)
    quote.font.italic = True
    quote.font.color.rgb = INK
    quote.paragraph_format.left_indent = Cm(0.6)
    quote.paragraph_format.space_before = Pt(6)
    quote.paragraph_format.space_after = Pt(0)
    quote.paragraph_format.keep_with_next = True
    quote.paragraph_format.keep_together = True
    _left_rule(quote, "C8CFD8")

    for name in ("Header", "Footer"):
        style = doc.styles[name]
        _set_font(style, SANS)
        style.font.size = Pt(7.5)
        style.font.color.rgb = MUTED
        # Centre and right tab stops at the A4 text width set in _header_footer
        # (python-docx's defaults are for US Letter with 1-inch margins).
        tabs = style.paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(TEXT_WIDTH // 2, WD_TAB_ALIGNMENT.CENTER)
        tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)

    toc_heading = doc.styles["TOC Heading"]  # based on Heading 1, outline level 9
    toc_heading.paragraph_format.space_before = Pt(14)
    for level in (1, 2):
        toc = _style(doc, f"toc {level}", WD_STYLE_TYPE.PARAGRAPH, "Normal")
        toc.element.set(qn("w:styleId"), f"TOC{level}")
        toc.element.attrib.pop(qn("w:customStyle"), None)  # Word's own "toc N" style
        toc.next_paragraph_style = doc.styles["Normal"]
        _set_font(toc, SANS)
        toc.font.size = Pt(9 if level == 1 else 8.5)
        toc.font.color.rgb = INK if level == 1 else MUTED
        toc.paragraph_format.left_indent = Cm(0.5 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
        toc.paragraph_format.tab_stops.add_tab_stop(
            TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )


def _extra_styles(doc) -> None:
    """Styles for details the built-ins do not cover; the renderer falls back without them."""
    para, char = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER

    meta = _style(doc, "Brief Meta", para, "Normal")
    _set_font(meta, SANS)
    meta.font.size = Pt(9)
    meta.font.color.rgb = MUTED
    meta.paragraph_format.space_after = Pt(14)

    description = _style(doc, "Theme Description", para, "Normal")
    description.font.italic = True
    description.font.color.rgb = MUTED

    note = _style(doc, "Note", para, "Normal")
    _set_font(note, SANS)
    note.font.size = Pt(9)
    note.font.color.rgb = RGBColor(0x5C, 0x4A, 0x1A)
    _left_rule(note, "D9B45A", 18)
    _shade(note, "FBF6E9")

    attribution = _style(doc, "Quote Attribution", para, "Normal")
    _set_font(attribution, SANS)
    attribution.font.size = Pt(8.5)
    attribution.font.color.rgb = MUTED
    attribution.paragraph_format.left_indent = Cm(0.6)
    attribution.paragraph_format.space_after = Pt(10)
    _left_rule(attribution, "C8CFD8")

    source = _style(doc, "Source Entry", para, "Normal")
    _set_font(source, SANS)
    source.font.size = Pt(8.5)
    source.paragraph_format.left_indent = Cm(0.9)
    source.paragraph_format.first_line_indent = Cm(-0.9)
    source.paragraph_format.space_after = Pt(6)
    source.paragraph_format.keep_together = True
    source.paragraph_format.tab_stops.add_tab_stop(Cm(0.9))

    colophon = _style(doc, "Colophon", para, "Normal")
    _set_font(colophon, SANS)
    colophon.font.size = Pt(7.5)
    colophon.font.color.rgb = MUTED
    colophon.paragraph_format.space_before = Pt(18)

    citation = _style(doc, "Citation", char)
    _set_font(citation, SANS)
    citation.font.size = Pt(7.5)
    citation.font.bold = True
    citation.font.color.rgb = ACCENT

    badge = _style(doc, "Source Badge", char)
    _set_font(badge, SANS)
    badge.font.size = Pt(7.5)
    badge.font.color.rgb = ACCENT

    new = _style(doc, "New Marker", char)
    _set_font(new, SANS)
    new.font.size = Pt(7.5)
    new.font.bold = True
    new.font.all_caps = True
    new.font.color.rgb = NEW

    link = _style(doc, "Hyperlink", char)
    link.font.color.rgb = ACCENT
    link.font.underline = True

    speaker = _style(doc, "Speaker", char)
    speaker.font.bold = True
    speaker.font.color.rgb = INK


def _field(paragraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) that Word computes when it lays out pages."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _header_footer(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = SIDE_MARGIN
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.1)
    # The first page carries the title block, so its header stays empty.
    section.different_first_page_header_footer = True

    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.add_run("{title}")
    header.add_run("\t\t{organisation}").bold = True

    for footer in (section.footer, section.first_page_footer):
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["Footer"]
        paragraph.add_run("Generated {date}\t\tPage ")
        _field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES")


def build() -> bytes:
    doc = Document()
    _built_in_styles(doc)
    _extra_styles(doc)
    _header_footer(doc)
    props = doc.core_properties
    props.author = "briefgen"
    props.last_modified_by = "briefgen"
    props.title = "Briefing"
    props.comments = "briefgen Word template: restyle freely; keep the style names."
    props.created = props.modified = datetime(2026, 1, 1)
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT.relative_to(ROOT)}")
