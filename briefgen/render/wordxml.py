"""Word XML plumbing for python-docx: runs, styles, bookmarks, hyperlinks, fields,
header/footer placeholders and a deterministic zip. Nothing here knows what a brief is;
the layout of the brief is ``render/docx_.py``.

python-docx has no API for bookmarks, internal hyperlinks or fields, hence the XML.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import UTC, datetime
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefgen.render.escape import one_line, strip_control

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry

# Heading styles whose paragraphs get a TOC bookmark, with their outline level.
HEADING_LEVELS = {"Heading 1": 1, "Heading 2": 2}


# --- deterministic zip -------------------------------------------------------------------


def _zip_time() -> tuple[int, int, int, int, int, int]:
    """SOURCE_DATE_EPOCH when set (clamped to what zip can store), else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return ZIP_EPOCH
    moment = datetime.fromtimestamp(int(epoch), tz=UTC)
    if moment.year < 1980:
        return ZIP_EPOCH
    if moment.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a DOCX zip with fixed timestamps and a stable entry order.

    python-docx stamps every entry with the current time, so two runs differ.
    ``[Content_Types].xml`` stays first, as Office writes it.
    """
    stamp = _zip_time()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()


def clean(text: str | None) -> str:
    """Text Word can store: no XML-invalid controls, no line breaks inside an item."""
    return one_line(strip_control(text or ""))


def inline(text: str) -> str:
    """Like clean but keeps leading/trailing spaces (runs are joined to their neighbours)."""
    if text == "\t":
        return text
    return re.sub(r"[ \t\n\r\f\v]+", " ", strip_control(text))  # keeps no-break spaces


def style_or(doc: DocxDocument, name: str, fallback: str | None) -> str | None:
    """A style from the template, or ``fallback`` when a user template lacks it."""
    names = style_names(doc)
    return name if name in names else fallback


def style_names(doc: DocxDocument) -> set[str]:
    """The names of the template's styles, read once per document."""
    cached = getattr(doc, "_briefgen_style_names", None)
    if cached is None:
        cached = {style.name for style in doc.styles}
        doc._briefgen_style_names = cached  # type: ignore[attr-defined]
    return cached


def run_xml(text: str, style_id: str | None) -> Any:
    run = OxmlElement("w:r")
    if style_id:
        props = OxmlElement("w:rPr")
        rstyle = OxmlElement("w:rStyle")
        rstyle.set(qn("w:val"), style_id)
        props.append(rstyle)
        run.append(props)
    node = OxmlElement("w:t")
    node.set(qn("xml:space"), "preserve")
    node.text = text
    run.append(node)
    return run


# --- writing paragraphs ------------------------------------------------------------------


class WordWriter:
    """Appends paragraphs, runs, bookmarks and links to a document's body, with the
    template's styles looked up once (a missing style falls back, never fails)."""

    def __init__(self, doc: DocxDocument, char_styles: tuple[str, ...] = ("Hyperlink",)) -> None:
        self.doc = doc
        self.bookmark_id = 0
        self.headings: list[tuple[int, str, str]] = []  # (level, text, bookmark) for the TOC
        names = dict.fromkeys((*char_styles, "Hyperlink"))
        self.char_ids = {n: self._char_style_id(n) for n in names}
        # Looked up once: python-docx finds a style by name, and an external link's
        # relationship, by a linear search, which made 10,000 sources take minutes.
        self.styles: dict[str, str] = {}
        self.link_ids: dict[str, str] = {}

    def _char_style_id(self, name: str) -> str | None:
        try:
            return self.doc.styles[name].style_id
        except KeyError:
            return None

    def styled(self, p: Paragraph, name: str | None) -> Paragraph:
        """Give ``p`` paragraph style ``name`` by its id, looked up once. (python-docx's
        setter finds the styles part by scanning every relationship, one per linked
        source URL, so 10,000 sources took minutes.)"""
        if name:
            if name not in self.styles:
                self.styles[name] = self.doc.styles[name].style_id
            p._p.style = self.styles[name]
        return p

    def para(
        self, text: str = "", style: str | None = None, fallback: str | None = "Normal"
    ) -> Paragraph:
        chosen = style_or(self.doc, style, fallback) if style else None
        if style in HEADING_LEVELS and text:
            return self.heading(text, style, chosen)
        return self.styled(self.doc.add_paragraph(clean(text) if text else ""), chosen)

    def heading(self, text: str, style: str, chosen: str | None) -> Paragraph:
        """A heading wrapped in a ``_Toc`` bookmark, as Word's own TOC entries link to."""
        p = self.styled(self.doc.add_paragraph(), chosen)
        name = f"_Toc{len(self.headings) + 1:06d}"
        end = self.bookmark(p, name)
        self.run(p, clean(text))
        p._p.append(end)
        self.headings.append((HEADING_LEVELS[style], clean(text), name))
        return p

    def run(self, p: Paragraph, text: str, char_style: str | None = None, **fmt: bool) -> Any:
        run = p.add_run(inline(text))
        if char_style and self.char_ids.get(char_style):
            run._r.style = self.char_ids[char_style]
        elif char_style:  # the template lacks the style: keep the emphasis at least
            fmt.setdefault("bold", True)
        for key, value in fmt.items():
            setattr(run, key, value)
        return run

    def internal_link(
        self, p: Paragraph, text: str, anchor: str, char_style: str = "Hyperlink"
    ) -> None:
        """A link to bookmark ``anchor``, in ``char_style`` (else the Hyperlink style)."""
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), anchor)
        link.set(qn("w:history"), "1")
        style = self.char_ids.get(char_style) or self.char_ids["Hyperlink"]
        link.append(run_xml(text, style))
        p._p.append(link)

    def external_link(self, p: Paragraph, text: str, url: str) -> None:
        rel_id = self.link_ids.get(url)
        if rel_id is None:
            rels = p.part.rels
            rel_id = f"rIdLink{len(self.link_ids) + 1}"
            while rel_id in rels:
                rel_id += "_"
            rels.add_relationship(RT.HYPERLINK, url, rel_id, is_external=True)
            self.link_ids[url] = rel_id
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel_id)
        link.set(qn("w:history"), "1")
        link.append(run_xml(clean(text), self.char_ids["Hyperlink"]))
        p._p.append(link)

    def bookmark(self, p: Paragraph, name: str) -> Any:
        """Open a bookmark at the current end of ``p``; returns the closing element."""
        self.bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmark_id))
        start.set(qn("w:name"), name)
        p._p.append(start)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmark_id))
        return end


# --- document parts ------------------------------------------------------------------


def clear_body(doc: DocxDocument) -> None:
    """Drop any sample content in the template; keep the section properties."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def replace_tokens(paragraph: Paragraph, values: dict[str, str]) -> None:
    """Replace ``{title}``-style tokens even when Word split them over several runs."""
    runs = [r for r in paragraph.runs if r.text]
    for token, value in values.items():
        start = 0
        while True:
            texts = [r.text for r in runs]
            full = "".join(texts)
            at = full.find(token, start)
            if at < 0:
                break
            first, offset, pos = None, 0, 0
            for k, text in enumerate(texts):
                if first is None and pos + len(text) > at:
                    first, offset = k, at - pos
                if pos + len(text) >= at + len(token):
                    last = k
                    break
                pos += len(text)
            assert first is not None
            joined = "".join(texts[first : last + 1])
            runs[first].text = joined[:offset] + value + joined[offset + len(token) :]
            for k in range(first + 1, last + 1):
                runs[k].text = ""
            start = at + len(value)


def fill_headers(doc: DocxDocument, values: dict[str, str]) -> None:
    for section in doc.sections:
        parts = (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        )
        for part in parts:
            if part.is_linked_to_previous:
                continue  # reading it would otherwise create an empty definition
            for paragraph in part.paragraphs:
                replace_tokens(paragraph, values)


def field_runs(instruction: str, cached: list[Any]) -> list[Any]:
    """The runs of a complex field: begin, instruction, separate, cached result, end."""
    runs = []
    for kind in ("begin", "instr", "separate", "result", "end"):
        if kind == "result":
            runs.extend(cached)
            continue
        run = OxmlElement("w:r")
        if kind == "instr":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {instruction} "
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        run.append(node)
        runs.append(run)
    return runs


def write_toc(w: WordWriter, placeholder: Paragraph) -> None:
    """A real Word TOC field (``TOC \\o "1-2" \\h``) in place of ``placeholder``.

    Its cached result lists every heading, linked to the heading's ``_Toc`` bookmark,
    without page numbers: only a layout engine knows them, and a wrong cached number
    is worse than none. Word ("Update Field", F9) and LibreOffice ("Update All")
    regenerate the table with page numbers from the template's "toc 1"/"toc 2" styles.
    No ``w:dirty`` or ``updateFields`` flag: either makes Word prompt on opening.
    """
    paragraphs = []
    for level, text, name in w.headings:
        p = Paragraph(OxmlElement("w:p"), placeholder._parent)
        p.style = w.doc.styles[style_or(w.doc, f"toc {level}", "Normal")]
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        link.append(run_xml(text, None))
        p._p.append(link)
        paragraphs.append(p._p)
    parent = placeholder._p.getparent()
    if paragraphs:
        field = field_runs('TOC \\o "1-2" \\h \\z \\u', [])
        first = paragraphs[0]
        at = 1 if first.find(qn("w:pPr")) is not None else 0
        for offset, run in enumerate(field[:3]):  # begin, instruction, separate
            first.insert(at + offset, run)
        paragraphs[-1].append(field[3])  # end, after the last entry
        for node in paragraphs:
            placeholder._p.addprevious(node)
    parent.remove(placeholder._p)
