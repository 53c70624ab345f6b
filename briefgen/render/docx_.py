"""DOCX: python-docx on top of the Word template ``brief.docx`` (imported here only).

The template supplies every style, the header and the footer, so an editor restyles
the output in Word. Structure uses Word's built-in styles (Title, Subtitle, Heading 1/2,
List Bullet, Quote) so the navigation pane works. Each ``[n]`` is an internal link to
a bookmark on the source-list entry; python-docx has no API for either, hence the XML.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefgen.errors import TemplateError
from briefgen.models import Brief
from briefgen.render.escape import one_line, strip_control
from briefgen.render.templates import TemplateSet
from briefgen.render.view import display_context

TEMPLATE = "brief.docx"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry

Data = dict[str, Any]

# Heading styles whose paragraphs get a TOC bookmark, with their outline level.
HEADING_LEVELS = {"Heading 1": 1, "Heading 2": 2}

# Placeholders an editor may type into the template's header and footer.
TOKENS = ("{title}", "{subtitle}", "{organisation}", "{date}", "{generated}", "{sources}")


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


# --- low-level XML helpers ---------------------------------------------------------------


def _clean(text: str | None) -> str:
    """Text Word can store: no XML-invalid controls, no line breaks inside an item."""
    return one_line(strip_control(text or ""))


def _inline(text: str) -> str:
    """Like _clean but keeps leading/trailing spaces (runs are joined to their neighbours)."""
    if text == "\t":
        return text
    return re.sub(r"[ \t\n\r\f\v]+", " ", strip_control(text))  # keeps no-break spaces


def _style_or(doc: DocxDocument, name: str, fallback: str | None) -> str | None:
    """A style from the template, or ``fallback`` when a user template lacks it."""
    names = _style_names(doc)
    return name if name in names else fallback


def _style_names(doc: DocxDocument) -> set[str]:
    """The names of the template's styles, read once per document."""
    cached = getattr(doc, "_briefgen_style_names", None)
    if cached is None:
        cached = {style.name for style in doc.styles}
        doc._briefgen_style_names = cached  # type: ignore[attr-defined]
    return cached


def _run_xml(text: str, style_id: str | None) -> Any:
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


class _Writer:
    """Appends the brief's parts to the document body."""

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc
        self.bookmark_id = 0
        self.headings: list[tuple[int, str, str]] = []  # (level, text, bookmark) for the TOC
        names = ("Citation", "Source Badge", "New Marker", "Hyperlink", "Speaker")
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

    def para(self, text: str = "", style: str | None = None, fallback: str | None = "Normal"):
        chosen = _style_or(self.doc, style, fallback) if style else None
        if style in HEADING_LEVELS and text:
            return self.heading(text, style, chosen)
        return self.styled(self.doc.add_paragraph(_clean(text) if text else ""), chosen)

    def heading(self, text: str, style: str, chosen: str | None) -> Paragraph:
        """A heading wrapped in a ``_Toc`` bookmark, as Word's own TOC entries link to."""
        p = self.styled(self.doc.add_paragraph(), chosen)
        name = f"_Toc{len(self.headings) + 1:06d}"
        end = self.bookmark(p, name)
        self.run(p, _clean(text))
        p._p.append(end)
        self.headings.append((HEADING_LEVELS[style], _clean(text), name))
        return p

    def run(self, p: Paragraph, text: str, char_style: str | None = None, **fmt: bool):
        run = p.add_run(_inline(text))
        if char_style and self.char_ids.get(char_style):
            run._r.style = self.char_ids[char_style]
        elif char_style:  # the template lacks the style: keep the emphasis at least
            fmt.setdefault("bold", True)
        for key, value in fmt.items():
            setattr(run, key, value)
        return run

    def internal_link(self, p: Paragraph, text: str, anchor: str) -> None:
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), anchor)
        link.set(qn("w:history"), "1")
        link.append(_run_xml(text, self.char_ids["Citation"] or self.char_ids["Hyperlink"]))
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
        link.append(_run_xml(_clean(text), self.char_ids["Hyperlink"]))
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

    # --- brief parts -------------------------------------------------------------------

    def cites(self, p: Paragraph, item: Data) -> None:
        for ref in item["refs"]:
            self.internal_link(p, f"[{ref['n']}]", _bookmark_name(ref["n"]))

    def extras(self, p: Paragraph, item: Data) -> None:
        if item["source_count"] > 1:
            self.run(p, " ")
            self.run(p, f"{item['source_count']}\u00a0sources", "Source Badge")

    def new_marker(self, p: Paragraph, item: Data) -> None:
        if item["new"]:
            self.run(p, "New", "New Marker")
            self.run(p, " ")

    def fact(self, item: Data) -> None:
        p = self.para(style="List Bullet")
        self.new_marker(p, item)
        self.run(p, item["text"])
        self.run(p, " ")
        self.cites(p, item)
        self.extras(p, item)

    def quote(self, item: Data) -> None:
        p = self.para(style="Quote", fallback="Normal")
        self.new_marker(p, item)
        self.run(p, f"\u201c{_clean(item['text'])}\u201d")
        self.run(p, " ")
        self.cites(p, item)
        self.extras(p, item)
        by = self.para(style="Quote Attribution", fallback="Normal")
        self.run(by, "\u2014 ")
        self.run(by, item["speaker_label"], "Speaker")
        if item["speaker_role"]:
            self.run(by, f", {_clean(item['speaker_role'])}")

    def source(self, src: Data) -> None:
        p = self.para(style="Source Entry")
        end = self.bookmark(p, _bookmark_name(src["n"]))
        self.run(p, f"[{src['n']}]", bold=True)
        p._p.append(end)
        self.run(p, "\t")
        self.run(p, src["label"], bold=True)
        details = [d for d in (src["outlet"], src["published_label"], *src["remarks"]) if d]
        if details:
            self.run(p, " \u00b7 " + " \u00b7 ".join(_clean(d) for d in details))
        if src["href"]:
            p.add_run().add_break()
            self.external_link(p, src["url_label"], src["href"])
        elif src["url_label"]:
            p.add_run().add_break()
            self.run(p, src["url_label"])
        if src["show_path"]:  # without a title or opening words the path is the label
            p.add_run().add_break()
            self.run(p, src["path"], italic=True)


def _bookmark_name(n: int) -> str:
    # Word bookmark names: a letter first, then letters, digits and underscores only.
    return f"src_{n}"


# --- document assembly --------------------------------------------------------------------


def _clear_body(doc: DocxDocument) -> None:
    """Drop any sample content in the template; keep the section properties."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _replace_tokens(paragraph: Paragraph, values: dict[str, str]) -> None:
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


def _fill_headers(doc: DocxDocument, values: dict[str, str]) -> None:
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
                _replace_tokens(paragraph, values)


def _tokens(ctx: Data) -> dict[str, str]:
    """Values of the header/footer placeholders (see docs/templates.md)."""
    values = {
        "{title}": ctx["plain_title"],
        "{subtitle}": ctx["subtitle"] or "",
        "{organisation}": ctx["organisation"] or "",
        "{date}": ctx["generated_date"],
        "{generated}": ctx["generated_label"],
        "{sources}": str(ctx["source_count"]),
    }
    assert tuple(values) == TOKENS
    return {token: _clean(value) for token, value in values.items()}


def _open_template(templates: TemplateSet) -> DocxDocument:
    """The Word template, or a TemplateError naming it when it is not a usable .docx."""
    path = templates.find(TEMPLATE)
    try:
        return Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and value errors alike
        raise TemplateError(
            f"{path}: not a usable Word document ({exc.__class__.__name__}: {exc})",
            path=str(path),
            hint="save the template from Word as .docx (not .doc or .dotx), or delete it "
            "to use the built-in one",
        ) from exc


def _parse_time(value: str) -> datetime:
    """generated_at as a naive UTC datetime (what python-docx writes as ...Z)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return datetime(*ZIP_EPOCH)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _core_properties(doc: DocxDocument, ctx: Data, templates: TemplateSet) -> None:
    props = doc.core_properties
    props.title = _clean(ctx["plain_title"])
    props.author = _clean(ctx["author"])
    props.subject = _clean(ctx["subtitle"] or ctx["description"])
    props.keywords = ", ".join(_clean(k) for k in ctx["keywords"])
    props.comments = _clean(ctx["description"])
    props.category = "Briefing"
    props.language = templates.lang
    props.last_modified_by = "briefgen"
    props.revision = 1
    props.created = props.modified = _parse_time(ctx["generated_at"])


def _field_runs(instruction: str, cached: list[Any]) -> list[Any]:
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


def _write_toc(w: _Writer, placeholder: Paragraph) -> None:
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
        p.style = w.doc.styles[_style_or(w.doc, f"toc {level}", "Normal")]
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        link.append(_run_xml(text, None))
        p._p.append(link)
        paragraphs.append(p._p)
    parent = placeholder._p.getparent()
    if paragraphs:
        field = _field_runs('TOC \\o "1-2" \\h \\z \\u', [])
        first = paragraphs[0]
        at = 1 if first.find(qn("w:pPr")) is not None else 0
        for offset, run in enumerate(field[:3]):  # begin, instruction, separate
            first.insert(at + offset, run)
        paragraphs[-1].append(field[3])  # end, after the last entry
        for node in paragraphs:
            placeholder._p.addprevious(node)
    parent.remove(placeholder._p)


def _write_body(w: _Writer, ctx: Data) -> Paragraph:
    """Write the brief; returns the placeholder paragraph where the TOC goes."""
    w.para(ctx["plain_title"], "Title")
    if ctx["subtitle"]:
        w.para(ctx["subtitle"], "Subtitle")
    plural = "" if ctx["source_count"] == 1 else "s"
    desk = f"{ctx['organisation']} \u00b7 " if ctx["organisation"] else ""
    w.para(
        f"{desk}Generated {ctx['generated_label']} \u00b7 {ctx['source_count']} source{plural}",
        "Brief Meta",
        "Subtitle",
    )

    w.para("Key points", "Heading 1")
    for item in ctx["key_points"]:
        w.fact(item)
    if not ctx["key_points"]:
        w.para("No key points could be drawn from these sources.")

    w.para("Contents", "TOC Heading", "Heading 2")
    toc = w.para()

    _write_changes(w, ctx)

    for theme in ctx["themes"]:
        w.para(theme["title"], "Heading 1")
        if theme["description"]:
            w.para(theme["description"], "Theme Description")
        if theme["note"]:
            w.para(theme["note"], "Note")
        for item in theme["facts"]:
            w.fact(item)
        for item in theme["quotes"]:
            w.quote(item)

    if ctx["discrepancies"]:
        w.para("Discrepancies", "Heading 1")
        w.para("Sources disagree on the following points; check before publishing.", "Note")
        for d in ctx["discrepancies"]:
            w.para(f"{d['subject']} ({d['kind']})", "Heading 2")
            for side in d["sides"]:
                p = w.para(style="List Bullet")
                w.run(p, side["value"], bold=True)
                w.run(p, ": ")
                w.run(p, side["text"])
                w.run(p, " ")
                w.cites(p, side)

    w.para("Sources", "Heading 1")
    for src in ctx["sources"]:
        w.source(src)
    desk = f" for {ctx['organisation']}" if ctx["organisation"] else ""
    w.para(
        "Every fact and quote above is a verbatim extract from the numbered sources. "
        f"Generated by briefgen{desk} on {ctx['generated_label']}.",
        "Colophon",
    )
    return toc


def _write_changes(w: _Writer, ctx: Data) -> None:
    """The "New since the last edition" section (same content as the HTML's)."""
    changes = ctx["changes"]
    if not changes:
        return
    w.para("New since the last edition", "Heading 1")
    if changes["first"]:
        w.para("This is the first edition of this brief.")
        return
    since = f" of {changes['previous_label']}" if changes["previous_label"] else ""
    w.para(f"Edition {ctx['edition']}, compared with edition {changes['previous_edition']}{since}.")
    if changes["empty"]:
        w.para("No new facts, quotes or sources since the last edition.")
    if changes["new_facts"]:
        w.para("New facts", "Heading 2")
        for item in changes["new_facts"]:
            w.fact(item)
    if changes["article_facts"]:
        w.para("From added and updated articles", "Heading 2")
        for a in changes["article_facts"]:
            w.para(f"[{a['source']}] {a['label']} ({a['change']})")
            for item in a["facts"]:
                w.fact(item)
    if changes["new_quotes"]:
        w.para("New quotes", "Heading 2")
        for item in changes["new_quotes"]:
            w.quote(item)
    if changes["dropped_facts"]:
        w.para("No longer reported", "Heading 2")
        for d in changes["dropped_facts"]:
            was = f" (was in: {d['source_title']})" if d["source_title"] else ""
            w.para(d["text"] + was, "List Bullet")
    moves = [("Added", changes["sources_added"]), ("Updated", changes["sources_updated"]),
             ("Removed", changes["sources_removed"])]  # fmt: skip
    if any(paths for _, paths in moves):
        w.para("Sources", "Heading 2")
        for label, paths in moves:
            for path in paths:
                w.para(f"{label}: {path}", "List Bullet")


def render(brief: Brief, templates: TemplateSet) -> bytes:
    # Word wraps over-long words itself, so no zero-width spaces here.
    ctx = display_context(brief, break_tokens=False)
    doc = _open_template(templates)
    _clear_body(doc)
    writer = _Writer(doc)
    toc = _write_body(writer, ctx)
    _write_toc(writer, toc)
    _fill_headers(doc, _tokens(ctx))
    _core_properties(doc, ctx, templates)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())
