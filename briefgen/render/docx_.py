"""DOCX: the brief's layout on top of the Word template ``brief.docx`` (python-docx is
imported here and in ``wordxml`` only).

The template supplies every style, the header and the footer, so an editor restyles
the output in Word. Structure uses Word's built-in styles (Title, Subtitle, Heading 1/2,
List Bullet, Quote) so the navigation pane works. Sections come in the order of
``render/outline.py``, one writer per section key. Each ``[n]`` is an internal link to a
bookmark on the source-list entry. Like the PDF, the source list has the cited sources
only, then one line on the others (the HTML and JSON list them all), so the document
does not grow with the number of articles read. The XML plumbing is ``render/wordxml.py``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph

from briefgen.errors import TemplateError
from briefgen.models import Brief
from briefgen.render.messages import message
from briefgen.render.templates import TemplateSet
from briefgen.render.view import cited_only, display_context
from briefgen.render.wordxml import (
    ZIP_EPOCH,
    WordWriter,
    clean,
    clear_body,
    fill_headers,
    normalise_zip,
    write_toc,
)

__all__ = ["TEMPLATE", "TOKENS", "normalise_zip", "render"]

TEMPLATE = "brief.docx"

Data = dict[str, Any]

# Placeholders an editor may type into the template's header and footer.
TOKENS = ("{title}", "{subtitle}", "{organisation}", "{date}", "{generated}", "{sources}")

# Character styles of the template the brief uses (see docs/templates.md).
CHAR_STYLES = ("Citation", "Source Badge", "New Marker", "Hyperlink", "Speaker")


def _bookmark_name(n: int) -> str:
    # Word bookmark names: a letter first, then letters, digits and underscores only.
    return f"src_{n}"


class _BriefWriter(WordWriter):
    """Writes a brief's items: facts, quotes, source entries."""

    def __init__(self, doc: DocxDocument) -> None:
        super().__init__(doc, CHAR_STYLES)
        self.toc: Paragraph | None = None  # where the contents list goes

    def cites(self, p: Paragraph, item: Data) -> None:
        for ref in item["refs"]:
            self.internal_link(p, f"[{ref['n']}]", _bookmark_name(ref["n"]), "Citation")
        if item.get("refs_more"):  # citations left out of a paged document
            self.run(p, f"\u00a0+{item['refs_more']}", "Citation")

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
        self.run(p, f"\u201c{clean(item['text'])}\u201d")
        self.run(p, " ")
        self.cites(p, item)
        self.extras(p, item)
        by = self.para(style="Quote Attribution", fallback="Normal")
        self.run(by, "\u2014 ")
        self.run(by, item["speaker_label"], "Speaker")
        if item["speaker_role"]:
            self.run(by, f", {clean(item['speaker_role'])}")

    def source(self, src: Data) -> None:
        p = self.para(style="Source Entry")
        end = self.bookmark(p, _bookmark_name(src["n"]))
        self.run(p, f"[{src['n']}]", bold=True)
        p._p.append(end)
        self.run(p, "\t")
        self.run(p, src["label"], bold=True)
        details = [d for d in (src["outlet"], src["published_label"], *src["remarks"]) if d]
        if details:
            self.run(p, " \u00b7 " + " \u00b7 ".join(clean(d) for d in details))
        if src["href"]:
            p.add_run().add_break()
            self.external_link(p, src["url_label"], src["href"])
        elif src["url_label"]:
            p.add_run().add_break()
            self.run(p, src["url_label"])
        if src["show_path"]:  # without a title or opening words the path is the label
            p.add_run().add_break()
            self.run(p, src["path"], italic=True)


# --- the sections, in outline order ---------------------------------------------------------


def _key_points(w: _BriefWriter, ctx: Data, title: str) -> None:
    w.para(title, "Heading 1")
    for item in ctx["key_points"]:
        w.fact(item)
    if not ctx["key_points"]:
        w.para(message("key_points.empty"))


def _contents(w: _BriefWriter, ctx: Data, title: str) -> None:
    w.para(title, "TOC Heading", "Heading 2")
    w.toc = w.para()  # filled by write_toc once every heading is known


def _whats_new(w: _BriefWriter, ctx: Data, title: str) -> None:
    """The "New since the last edition" section (same content as the HTML's)."""
    changes = ctx["changes"]
    if not changes:
        return
    w.para(title, "Heading 1")
    if changes["first"]:
        w.para(message("whats_new.first"))
        return
    since = f" of {changes['previous_label']}" if changes["previous_label"] else ""
    w.para(message("whats_new.compared", edition=ctx["edition"],
                   previous=changes["previous_edition"], since=since))  # fmt: skip
    if changes["empty"]:
        w.para(message("whats_new.empty"))
    if changes["new_facts"]:
        w.para(message("whats_new.new_facts"), "Heading 2")
        for item in changes["new_facts"]:
            w.fact(item)
    if changes["article_facts"]:
        w.para(message("whats_new.article_facts"), "Heading 2")
        for a in changes["article_facts"]:
            w.para(f"[{a['source']}] {a['label']} ({a['change']})")
            for item in a["facts"]:
                w.fact(item)
        if changes["article_facts_more"]:
            w.para(changes["article_facts_more"], "Note")
    if changes["new_quotes"]:
        w.para(message("whats_new.new_quotes"), "Heading 2")
        for item in changes["new_quotes"]:
            w.quote(item)
    if changes["dropped_facts"]:
        w.para(message("whats_new.dropped"), "Heading 2")
        for d in changes["dropped_facts"]:
            was = f" (was in: {d['source_title']})" if d["source_title"] else ""
            w.para(d["text"] + was, "List Bullet")
    moves = [("Added", "sources_added"), ("Updated", "sources_updated"),
             ("Removed", "sources_removed")]  # fmt: skip
    if any(changes[key] for _, key in moves):
        w.para(message("whats_new.sources"), "Heading 2")
        for label, key in moves:
            for path in changes[key]:
                w.para(f"{label}: {path}", "List Bullet")
            if changes[f"{key}_more"]:  # the list was cut (cited_only)
                w.para(changes[f"{key}_more"], "Note")


def _themes(w: _BriefWriter, ctx: Data, title: str) -> None:
    for theme in ctx["themes"]:
        w.para(theme["title"], "Heading 1")
        if theme.get("label"):
            w.para(theme["label"], "Note")
        if theme["description"]:
            w.para(theme["description"], "Theme Description")
        if theme["note"]:
            w.para(theme["note"], "Note")
        for item in theme["facts"]:
            w.fact(item)
        for item in theme["quotes"]:
            w.quote(item)


def _discrepancies(w: _BriefWriter, ctx: Data, title: str) -> None:
    w.para(title, "Heading 1")
    w.para(message("discrepancies.intro"), "Note")
    for d in ctx["discrepancies"]:
        w.para(f"{d['subject']} ({d['kind']})", "Heading 2")
        for side in d["sides"]:
            p = w.para(style="List Bullet")
            w.run(p, side["value"], bold=True)
            w.run(p, ": ")
            w.run(p, side["text"])
            w.run(p, " ")
            w.cites(p, side)


def _sources(w: _BriefWriter, ctx: Data, title: str) -> None:
    w.para(title, "Heading 1")
    for src in ctx["sources"]:
        w.source(src)
    if ctx["sources_more"]:
        w.para(ctx["sources_more"], "Note")


SECTION_WRITERS: dict[str, Callable[[_BriefWriter, Data, str], None]] = {
    "key_points": _key_points,
    "contents": _contents,
    "whats_new": _whats_new,
    "themes": _themes,
    "discrepancies": _discrepancies,
    "sources": _sources,
}


def _write_body(w: _BriefWriter, ctx: Data) -> None:
    """Write the brief: title block, then each section of the outline, then the colophon."""
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
    for section in ctx["outline"]:
        SECTION_WRITERS[section["key"]](w, ctx, section["title"])
    desk = f" for {ctx['organisation']}" if ctx["organisation"] else ""
    w.para(
        "Every fact and quote above is a verbatim extract from the numbered sources. "
        f"Generated by briefgen{desk} on {ctx['generated_label']}.",
        "Colophon",
    )


# --- document assembly --------------------------------------------------------------------


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
    return {token: clean(value) for token, value in values.items()}


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
    props.title = clean(ctx["plain_title"])
    props.author = clean(ctx["author"])
    props.subject = clean(ctx["subtitle"] or ctx["description"])
    props.keywords = ", ".join(clean(k) for k in ctx["keywords"])
    props.comments = clean(ctx["description"])
    props.category = "Briefing"
    props.language = templates.lang
    props.last_modified_by = "briefgen"
    props.revision = 1
    props.created = props.modified = _parse_time(ctx["generated_at"])


def render(brief: Brief, templates: TemplateSet) -> bytes:
    # Word wraps over-long words itself, so no zero-width spaces here.
    # Only the cited sources are listed, as in the PDF; `source_count` stays the total.
    ctx = cited_only(display_context(brief, break_tokens=False))
    doc = _open_template(templates)
    clear_body(doc)
    writer = _BriefWriter(doc)
    _write_body(writer, ctx)
    if writer.toc is not None:
        write_toc(writer, writer.toc)
    fill_headers(doc, _tokens(ctx))
    _core_properties(doc, ctx, templates)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())
