"""Hardening of the renderers: sandboxed templates that stay inside their folders,
template and template-folder errors that exit 78 naming the file, and a PDF whose
size does not grow with the number of articles read."""

from __future__ import annotations

import builtins
import io
import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.errors import ConfigError, TemplateError
from briefgen.models import Brief, Citation, Fact, QuoteItem, Source, ThemeSection
from briefgen.render import TemplateSet, render
from briefgen.render.escape import ZWSP

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
EPOCH = "1795000000"


def build(source: Path, out: Path, *args: str) -> tuple[int, str]:
    """Run `briefgen build` in process; (exit code, stderr)."""
    result = CliRunner().invoke(
        main,
        ["build", str(source), "-o", str(out), "-q", *args],
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    return result.exit_code, result.stderr


def template_folder(tmp_path: Path, **files: str) -> Path:
    """A user template folder holding ``files`` (name -> text; dots as ``__``)."""
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return folder


def assert_template_error(code: int, err: str, out: Path, *words: str) -> None:
    """Exit 78, one line, BG-TEMPLATE, each of ``words`` in it, nothing written."""
    assert code == 78, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert "BG-TEMPLATE" in lines[0], lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert not out.exists()


# --- item 6: the sandbox ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "prefix"),
    [("brief.html.j2", '{% extends "default:brief.html.j2" %}{% block footer %}'),
     ("brief.md.j2", ""), ("print.css", ""), ("macros.html.j2", "")],
)  # fmt: skip
def test_template_cannot_run_code(tmp_path: Path, name: str, prefix: str) -> None:
    """`cycler.__init__.__globals__.os.popen(...)` is refused in every Jinja template:
    exit 78 naming the file, the command never runs, nothing is written."""
    marker = tmp_path / "pwned"
    attack = f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}"
    suffix = "{% endblock %}" if prefix else ""
    folder = template_folder(tmp_path)
    (folder / name).write_text(prefix + attack + suffix, encoding="utf-8")
    out = tmp_path / "out"
    code, err = build(SEEDS, out, "--templates", str(folder))
    assert not marker.exists()
    assert_template_error(code, err, out, name)


def test_sandbox_refuses_internals_but_allows_filters_and_loops(tmp_path: Path) -> None:
    """Attribute access to internals (``__class__``, ``mro``, ``__globals__``) fails;
    variables, filters, loops and macros work."""
    ok = TemplateSet(user_dir=template_folder(tmp_path, brief__md__j2=(
        "{% for k in keywords %}{{ k | upper }};{% endfor %}{{ range(3) | list | length }}"
        "{{ title | truncate(9, True, '') }}"
    )))  # fmt: skip
    assert render(make_brief(3), "md", ok).decode() == "SUBJECT;3Many sour\n"
    for attack in ("{{ ''.__class__.__mro__ }}", "{{ lipsum.__globals__ }}",
                   "{{ self._TemplateReference__context }}", "{{ title.format.__self__ }}"):  # fmt: skip
        bad = tmp_path / f"bad{abs(hash(attack))}"
        bad.mkdir()
        (bad / "brief.md.j2").write_text(attack, encoding="utf-8")
        with pytest.raises(TemplateError) as info:
            render(make_brief(3), "md", TemplateSet(user_dir=bad))
        assert "brief.md.j2" in info.value.one_line()


def test_symlinked_template_pointing_outside_is_refused(tmp_path: Path) -> None:
    """A template file that is a symlink out of its folder is refused, naming the file;
    the outside file's text appears nowhere."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-7f3a {{ title }}", encoding="utf-8")
    folder = template_folder(tmp_path)
    (folder / "brief.md.j2").symlink_to(secret)
    out = tmp_path / "out"
    code, err = build(SEEDS, out, "-f", "md", "--templates", str(folder))
    assert_template_error(code, err, out, "brief.md.j2", "outside")
    assert "SECRET-7f3a" not in err


def test_include_of_symlink_pointing_outside_is_refused(tmp_path: Path) -> None:
    """An include of a file that is a symlink out of the folder is refused too."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-7f3a", encoding="utf-8")
    folder = template_folder(tmp_path, brief__md__j2='{% include "part.txt" %}')
    (folder / "part.txt").symlink_to(secret)
    with pytest.raises(TemplateError) as info:
        render(make_brief(3), "md", TemplateSet(user_dir=folder))
    assert "part.txt" in info.value.one_line() and "SECRET" not in info.value.one_line()


def test_symlinked_word_template_pointing_outside_is_refused(tmp_path: Path) -> None:
    """brief.docx as a symlink out of the folder: exit 78 naming it."""
    outside = tmp_path / "elsewhere.docx"
    shutil.copyfile(ROOT / "templates" / "brief.docx", outside)
    folder = template_folder(tmp_path)
    (folder / "brief.docx").symlink_to(outside)
    out = tmp_path / "out"
    code, err = build(SEEDS, out, "-f", "docx", "--templates", str(folder))
    assert_template_error(code, err, out, "brief.docx", "outside")


def test_symlink_inside_the_folder_and_folder_symlink_work(tmp_path: Path) -> None:
    """A symlink to another file of the same folder is fine, and so is a template folder
    that is itself a symlink."""
    real = template_folder(tmp_path, mine__md="MINE {{ source_count }}")
    (real / "brief.md.j2").symlink_to(real / "mine.md")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    out = tmp_path / "out"
    code, err = build(SEEDS, out, "-f", "md", "--templates", str(link))
    assert code == 0, err
    assert (out / "brief.md").read_text(encoding="utf-8").startswith("MINE ")


@pytest.mark.parametrize(
    ("template", "words"),
    [('{% include "/etc/passwd" %}', "/etc/passwd"),
     ('{% extends "../../x" %}', "../../x"),
     ('{% include "../secret.txt" %}', "../secret.txt"),
     ('{% import "default:../../README.md" as r %}', "README.md")],
)  # fmt: skip
def test_names_outside_the_template_folders_are_refused(
    tmp_path: Path, template: str, words: str
) -> None:
    """Absolute names and `..` never leave the template folders: exit 78 naming the
    template asked for."""
    (tmp_path / "secret.txt").write_text("SECRET-7f3a", encoding="utf-8")
    folder = template_folder(tmp_path, brief__md__j2=template)
    out = tmp_path / "out"
    code, err = build(SEEDS, out, "-f", "md", "--templates", str(folder))
    assert_template_error(code, err, out, words)
    assert "SECRET" not in err and "root:" not in err


# --- runaway templates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    ["{% for i in range(10**9) %}x{% endfor %}", "{{ 'x' * 10**10 }}", "{{ (7 ** 10000000000) > 1 }}",
     "{{ [0] * 10**10 }}", "{{ 'ab' | center(10**10) }}", "{{ '%2000000000d' % 1 }}",
     "{{ '{:>2000000000}'.format(1) }}", "{{ '%*d' | format(2000000000, 1) }}",
     "{{ lipsum(10**6) }}", "{{ 1 / 0 }}"],
)  # fmt: skip
def test_huge_template_work_is_refused_quickly(tmp_path: Path, template: str) -> None:
    """Ranges, repetitions and powers too large to compute are a template error (78),
    not an hour of work or an out-of-memory kill."""
    folder = template_folder(tmp_path, brief__md__j2=template)
    out = tmp_path / "out"
    started = time.monotonic()
    code, err = build(SEEDS, out, "-f", "md", "--templates", str(folder))
    assert_template_error(code, err, out, "brief.md.j2")
    assert time.monotonic() - started < 30


# --- item 11: template files and folders --------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    ['{% include "brief.md.j2" %}', '{% extends "brief.md.j2" %}',
     '{% include "other.md.j2" %}'],
)  # fmt: skip
def test_self_including_template_is_a_template_error(tmp_path: Path, template: str) -> None:
    """Endless include/extends recursion: exit 78 naming the file, nothing written."""
    folder = template_folder(tmp_path, brief__md__j2=template, other__md__j2=template)
    out = tmp_path / "out"
    code, err = build(SEEDS, out, "-f", "md", "--templates", str(folder))
    assert_template_error(code, err, out, ".md.j2")
    assert "recursion" in err or "includes itself" in err


def test_unreadable_template_is_a_template_error(tmp_path: Path, monkeypatch) -> None:
    """A template file that cannot be read: exit 78 naming it, nothing written."""
    folder = template_folder(tmp_path, brief__md__j2="{{ title }}")
    target = folder / "brief.md.j2"
    target.chmod(0)
    if os.geteuid() == 0:  # root reads anything: refuse the open instead
        real_open = builtins.open

        def refusing_open(file, *args, **kwargs):
            if isinstance(file, (str, os.PathLike)) and Path(file) == target:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", refusing_open)
        monkeypatch.setattr(io, "open", refusing_open)
    out = tmp_path / "out"
    try:
        code, err = build(SEEDS, out, "-f", "md", "--templates", str(folder))
    finally:
        target.chmod(0o644)
    assert_template_error(code, err, out, "brief.md.j2", "cannot read")


def test_template_that_is_a_folder_or_fifo_is_a_template_error(tmp_path: Path) -> None:
    """A folder or a FIFO where a template belongs: exit 78 naming it, never opened
    (a FIFO would block the build)."""
    folder = template_folder(tmp_path)
    os.mkfifo(folder / "brief.md.j2")
    (folder / "print.css").mkdir()
    out = tmp_path / "out"
    code, err = build(SEEDS, out, "-f", "md", "--templates", str(folder))
    assert_template_error(code, err, out, "brief.md.j2", "not a regular file")
    code, err = build(SEEDS, out, "-f", "pdf", "--templates", str(folder))
    assert code == 78 and "BG-TEMPLATE" in err


def test_missing_templates_option_folder_is_a_config_error(tmp_path: Path) -> None:
    """`--templates` naming a folder that does not exist: exit 78 naming it, nothing
    written (the CLI checks the option itself; the template set checks it for any caller)."""
    missing = tmp_path / "no-such-folder"
    out = tmp_path / "out"
    code, err = build(SEEDS, out, "--templates", str(missing))
    assert code == 78, err
    assert len(err.strip().splitlines()) == 1
    assert re.search(r"BG-(CONFIG|TEMPLATE)", err) and "no-such-folder" in err, err
    assert "does not exist" in err
    assert not out.exists()
    with pytest.raises(ConfigError) as info:
        TemplateSet(user_dir=missing)
    assert "no-such-folder" in info.value.one_line() and "does not exist" in info.value.one_line()


def test_missing_templates_config_folder_is_a_config_error(tmp_path: Path) -> None:
    """`templates = "..."` in the config naming a missing folder: exit 78 naming the key
    and the folder, nothing written."""
    source = tmp_path / "articles"
    shutil.copytree(SEEDS, source)
    config = source / "briefgen.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[limits]", 'templates = "my-tpl"\n\n[limits]', 1))
    out = tmp_path / "out"
    code, err = build(source, out)
    assert code == 78, err
    assert "BG-CONFIG" in err and "brief.templates" in err and "my-tpl" in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_templates_folder_that_is_a_file_is_a_config_error(tmp_path: Path) -> None:
    """A template 'folder' that is a file is a config error too (direct API)."""
    file = tmp_path / "file.txt"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        TemplateSet(user_dir=file)
    assert "file.txt" in info.value.one_line() and "not a folder" in info.value.one_line()


# --- item 10: the PDF lists the cited sources only ---------------------------------------------


def make_brief(n_sources: int, cited: tuple[int, ...] = (2, 5, 7)) -> Brief:
    """``n_sources`` short sources; the facts cite only ``cited``."""
    sources = []
    for n in range(1, n_sources + 1):
        text = f"Article {n} says the plan has {n} points. Talks went on."
        sources.append(Source(id=f"s{n}", path=f"{n:05d}.txt", text=text,
                              title=f"Headline number {n:05d}", outlet=f"Outlet {n}",
                              url=f"https://example.org/{n}", n=n))  # fmt: skip

    def fact(n: int) -> Fact:
        span = f"Article {n} says the plan has {n} points."
        return Fact(text=span, citations=[Citation(n, 0, len(span))], score=1.0)

    quote = QuoteItem(text="Talks went on.", speaker=None,
                      citations=[Citation(cited[-1], 0, 5)])  # fmt: skip
    return Brief(
        title="Many sources brief",
        generated_at="2026-11-22T06:00:00Z",
        sources=sources,
        key_points=[fact(cited[0])],
        themes=[ThemeSection(id="subject", title="Subject", description="About it.",
                             facts=[fact(n) for n in cited[1:]], quotes=[quote])],
        discrepancies=[],
    )  # fmt: skip


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout.replace(ZWSP, "")
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(path).pages).replace(ZWSP, "")


def test_pdf_lists_only_cited_sources_with_their_numbers(tmp_path: Path) -> None:
    """With 300 sources and 3 cited, the PDF's source list has the 3 cited entries under
    their own numbers plus one line about the other 297; every [n] link resolves to its
    entry; the HTML and JSON keep all 300."""
    import json

    from pypdf import PdfReader

    brief = make_brief(300)
    data = render(brief, "pdf", TemplateSet())
    text = _pdftotext(data, tmp_path)
    listed = set(re.findall(r"Headline number (\d{5})", text))
    assert listed == {"00002", "00005", "00007"}, sorted(listed)[:20]
    assert re.search(r"and\s+297\s+more\s+articles\s+read\s+but\s+not\s+cited", text), text[-800:]
    assert "HTML" in text and "JSON" in text
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) <= 4
    names = set(reader.named_destinations)
    targets = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                targets.add(str(annot["/Dest"]))
            elif annot.get("/A", {}).get("/S") == "/GoTo":
                targets.add(str(annot["/A"]["/D"]))
    assert {"src-2", "src-5", "src-7"} <= targets <= names
    # The destination of src-7 is on the page whose text has entry [7].
    dest = reader.named_destinations["src-7"]
    page_no = reader.get_destination_page_number(dest)
    assert "Headline number 00007" in reader.pages[page_no].extract_text().replace(ZWSP, "")
    html = render(brief, "html", TemplateSet()).decode()
    assert html.count('<li id="src-') == 300
    assert len(json.loads(render(brief, "json", TemplateSet()))["sources"]) == 300


def test_pdf_size_does_not_grow_with_articles_read(tmp_path: Path) -> None:
    """The PDF of a brief citing 3 of 3,000 sources is about as long as of 3 of 10."""
    from pypdf import PdfReader

    small = render(make_brief(10), "pdf", TemplateSet())
    started = time.monotonic()
    large = render(make_brief(3000), "pdf", TemplateSet())
    assert time.monotonic() - started < 30
    assert len(PdfReader(io.BytesIO(large)).pages) == len(PdfReader(io.BytesIO(small)).pages)
    assert len(large) < len(small) * 1.5


def test_pdf_with_all_sources_cited_has_no_other_articles_line(tmp_path: Path) -> None:
    """When every source is cited the list is complete and says nothing about others."""
    text = _pdftotext(render(make_brief(7, (1, 2, 3, 4, 5, 6, 7)), "pdf", TemplateSet()), tmp_path)
    assert len(set(re.findall(r"Headline number (\d{5})", text))) == 7
    assert "more article" not in text


def test_user_html_template_without_the_note_still_gets_cited_sources_in_pdf(
    tmp_path: Path,
) -> None:
    """A user brief.html.j2 that loops over `sources` (an older copy) lists only the
    cited ones in the PDF too, so its size stays bounded."""
    folder = template_folder(tmp_path, brief__html__j2=(
        "<html><body>{% for s in sources %}<p>Headline {{ s.n }}.</p>{% endfor %}"
        "<p>{{ source_count }} read</p></body></html>"
    ))  # fmt: skip
    text = _pdftotext(render(make_brief(50), "pdf", TemplateSet(user_dir=folder)), tmp_path)
    assert re.findall(r"Headline (\d+)\.", text) == ["2", "5", "7"]
    assert "50 read" in text


# --- hostile article text ----------------------------------------------------------------------


def _one_fact_brief(text: str) -> Brief:
    source = Source(id="a", path="a.txt", text=text, title="Hostile", n=1)
    fact = Fact(text=text, citations=[Citation(1, 0, len(text))], score=1.0)
    return Brief(title="Hostile text", generated_at="2026-11-22T06:00:00Z", sources=[source],
                 key_points=[fact], themes=[], discrepancies=[])  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["Zalgo e" + "\u0301\u0302\u0303\u0304" * 2500 + " done.",
     "Bomb " + "\ufdfd" * 3000 + " done.",
     "Joiners " + "\u200d" * 20000 + " done.",
     "Token " + "A" * 40_000 + " done.",
     "Ctl \x00\x01\x08\x0b\x0c\x1b\x7f\x85\ud800\ufffe done."],
    ids=["combining", "wide-ligature", "zero-width", "long-token", "controls"],
)  # fmt: skip
def test_hostile_article_text_renders_quickly_everywhere(text: str) -> None:
    """Unicode bombs, a 40,000-character token and control characters (even a lone
    surrogate) render in every format in bounded time; DOCX stays valid XML."""
    from docx import Document

    brief = _one_fact_brief(text)
    for fmt in ("pdf", "docx", "html", "md"):
        started = time.monotonic()
        data = render(brief, fmt, TemplateSet())
        assert time.monotonic() - started < 20, fmt
        assert data
    docx = render(brief, "docx", TemplateSet())
    Document(io.BytesIO(docx))
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)
    assert "done." in xml


def test_docx_with_thousands_of_sources_is_linear() -> None:
    """Of 5,000 sources the DOCX lists the 3 cited ones, each styled with its URL as a
    link, then one line on the other 4,997; it takes seconds, not minutes."""
    from docx import Document

    started = time.monotonic()
    data = render(make_brief(5000), "docx", TemplateSet())
    assert time.monotonic() - started < 10
    doc = Document(io.BytesIO(data))
    entries = [p.text for p in doc.paragraphs if p.style.name == "Source Entry"]
    assert [e.split("\t")[0] for e in entries] == ["[2]", "[5]", "[7]"]
    links = {r.target_ref for r in doc.part.rels.values() if r.is_external}
    assert links == {f"https://example.org/{n}" for n in (2, 5, 7)}
    assert any("and 4997 more articles read but not cited" in p.text for p in doc.paragraphs)
