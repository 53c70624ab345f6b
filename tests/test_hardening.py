"""Hardening: hostile input, faults and load, with nothing lost and nothing leaked.

One folder holds every bad case next to good articles; a single build publishes the
brief from the good ones, names each bad one with its reason and exits 3; the source
folder is untouched; a canary file outside the folder and a canary environment
variable appear in no output (PDF streams, DOCX members, HTML, MD, JSON, state).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import limits
from briefgen.build import run_build
from briefgen.cli import main
from briefgen.errors import ArticleError, RenderError, display_path
from briefgen.stages import ingest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BRIEFGEN = [sys.executable, "-m", "briefgen.cli"]
CANARY = "CANARY-5b0e1f7c-do-not-publish"
ENV_CANARY = "ENVCANARY-93c1d2a4-do-not-publish"
SEED_NAME = "000_757c77be7b67c6dd.txt"


def _article(headline: str, *sentences: str) -> bytes:
    return (headline + "\n\n" + "\n\n".join(sentences) + "\n").encode("utf-8")


def hostile_folder(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The seeds plus one file per hostile case; returns the folder and, for every bad
    file, the display name and the code its warning must carry."""
    secret = tmp_path / "secret"
    secret.mkdir()
    canary = secret / "canary.txt"
    canary.write_text(CANARY + "\n", encoding="utf-8")
    canary_url = canary.as_uri()
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    bad: dict[str, str] = {}

    def put(name: str | bytes, data: bytes, code: str | None = None) -> None:
        path = folder / os.fsdecode(name) if isinstance(name, bytes) else folder / name
        path.write_bytes(data)
        if code:
            bad[display_path(path.name)] = code

    # Good files with awkward names or awkward content: all published.
    put("name with spaces.txt", _article(
        "Port workers strike over pay",
        "Dock workers at the northern port walked out on Monday over a pay offer.",
        "The union said the strike would last three days unless talks resumed.",
    ))  # fmt: skip
    put("-leading-dash.txt", _article(
        "Grain convoy reaches the border",
        "A convoy of forty grain lorries reached the western border crossing late on Tuesday.",
    ))  # fmt: skip
    put("line\nbreak in name.txt", _article(
        "Ferry service resumes after storm",
        "The ferry service between the two islands resumed on Wednesday after the storm.",
    ))  # fmt: skip
    put("markup.txt", _article(
        "Hostile markup in the copy",
        f'The page showed <img src="{canary_url}"> and <link rel="stylesheet" href="{canary_url}">'
        f' and <a rel="attachment" href="{canary_url}">the file</a> in the article text.',
        f"Readers saw {{% include '{canary}' %}} and {{{{ config }}}} and ${{BRIEFGEN_CANARY}}"
        " printed verbatim in the middle of a sentence.",
        f"The file link {canary_url} appeared as well, with <script>alert(1)</script> after it.",
        '"We will not be <b>bold</b> about **this**," the spokesman said on Monday.',
    ))  # fmt: skip
    put("front-matter.md", (
        f"---\ntitle: Markup <b>title</b> {{{{ x }}}}\noutlet: The <i>Outlet</i>\nurl: {canary_url}\n---\n"
        "The council approved the new harbour budget on Thursday after a long debate.\n"
    ).encode())  # fmt: skip
    put("bidi and zero width.txt", _article(
        "Bidi override \u202ereversed\u202c headline",
        "The mayor\u200b said the\u2066 bridge\u2069 would reopen in March after repairs.",
        "Officials\u200d confirmed the \u202dcost\u202c had risen to 12 million euros.",
    ))  # fmt: skip
    put("controls.txt", _article(
        "Control characters in the copy",
        "The station \x1b[31mannounced\x1b[0m new\x07 timetables\x0b for the winter season.",
    ))  # fmt: skip
    put("long token.txt", _article(
        "A very long token in the copy",
        "The ministry published the code " + "Z" * 10_000 + " in its notice on Friday.",
    ))  # fmt: skip
    put(
        "long line.txt",
        (
            "A single enormous line\n\n"
            + "The committee met again on Friday and agreed to continue the review. " * 15_000
        ).encode(),
    )  # fmt: skip (about 1 MB on one line)

    # Bad content: each skipped with its reason.
    put("empty.txt", b"", "BG-EMPTY")
    put("blank.md", b"  \n\t\n", "BG-EMPTY")
    put("binary.txt", bytes(range(256)) * 8, "BG-BINARY")
    put("nul.txt", b"Headline with a NUL\n\nThe text has a \x00 byte in it.\n", "BG-BINARY")
    put("latin1.txt", "Caf\u00e9 society headline\n\nThe caf\u00e9 opened.\n".encode("latin-1"),
        "BG-ENCODING")  # fmt: skip
    put("utf16.txt", "Headline in UTF-16\n\nSome text.\n".encode("utf-16"), "BG-ENCODING")
    put("utf16-nobom.txt", "Headline in UTF-16\n\nSome text.\n".encode("utf-16-le"),
        "BG-ENCODING")  # fmt: skip
    put("mixed.txt", "Mixed encodings\n\nCaf\u00e9 ".encode() + "d\u00e9j\u00e0".encode("latin-1"),
        "BG-ENCODING")  # fmt: skip
    with open(folder / "huge.txt", "wb") as handle:  # 40 MB, sparse: cheap to make
        handle.truncate(40_000_000)
    bad["huge.txt"] = "BG-TOOBIG"
    put(b"caf\xe9-latin1-name.txt", _article("Name not UTF-8", "A sentence here."), "BG-FILENAME")
    put("zz duplicate.txt", (folder / SEED_NAME).read_bytes(), "BG-DUPLICATE")
    put("unreadable.txt", _article("Unreadable", "Nobody can read this."), "BG-UNREADABLE")
    put("vanishing.txt", _article("Vanishing", "This file goes away."), "BG-UNREADABLE")
    put("changing.txt", _article("Changing", "This file changes while read."), "BG-CHANGED")

    # Entries that must never be opened or followed.
    os.mkfifo(folder / "pipe.txt")
    bad["pipe.txt"] = "BG-NOTFILE"
    (folder / "folder.md").mkdir()
    bad["folder.md"] = "BG-NOTFILE"
    try:
        os.mknod(folder / "device.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null
        bad["device.txt"] = "BG-NOTFILE"
    except (PermissionError, OSError):
        pass  # no CAP_MKNOD here; the FIFO covers "not a regular file"
    (folder / "outside.txt").symlink_to(canary)
    bad["outside.txt"] = "BG-OUTSIDE"
    (folder / "dotdot.md").symlink_to(Path("..") / "secret" / "canary.txt")
    bad["dotdot.md"] = "BG-OUTSIDE"
    (folder / "zz link inside.txt").symlink_to("name with spaces.txt")
    bad["zz link inside.txt"] = "BG-DUPLICATE"  # same bytes as the file it points to
    (folder / "dangling.txt").symlink_to("does-not-exist.txt")
    bad["dangling.txt"] = "BG-UNREADABLE"
    return folder, bad


def simulate_faults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Faults a root-run test cannot cause for real: a permission error (root reads
    everything), a file gone between listing and opening, and a writer appending to a
    file while it is read."""
    real_open, real_read = ingest._open, ingest._read_chunk

    def fake_open(path, flags, *args):
        name = Path(path).name
        if name == "unreadable.txt":
            raise PermissionError(13, "Permission denied", str(path))
        if name == "vanishing.txt":
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_open(path, flags, *args)

    def fake_read(fd, size):
        chunk = real_read(fd, size)
        target = os.readlink(f"/proc/self/fd/{fd}")
        if target.endswith("changing.txt") and chunk.startswith(b"Changing"):
            with open(target, "ab") as handle:
                handle.write(b"More text appended by another program.\n")
        return chunk

    monkeypatch.setattr(ingest, "_open", fake_open)
    monkeypatch.setattr(ingest, "_read_chunk", fake_read)


def tree_state(folder: Path) -> dict[str, tuple]:
    """Every entry's type, mode, size, mtime and (for regular files) content hash."""
    state = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest = ""
        if stat.S_ISREG(info.st_mode):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        state[os.fsencode(path).hex()] = (info.st_mode, info.st_size, info.st_mtime_ns, digest)
    return state


def output_texts(out: Path) -> dict[str, bytes]:
    """Every byte a build wrote, opened up: files as they are, each PDF stream
    decompressed (and embedded files), each DOCX member."""
    from pypdf import PdfReader

    found: dict[str, bytes] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        data = path.read_bytes()
        found[rel] = data
        if path.suffix == ".pdf":
            reader = PdfReader(path)
            for index, obj in enumerate(_pdf_objects(reader)):
                found[f"{rel}#obj{index}"] = obj
            for name, contents in reader.attachments.items():
                found[f"{rel}#attachment:{name}"] = b"".join(contents)
            found[f"{rel}#text"] = "".join(p.extract_text() for p in reader.pages).encode()
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    found[f"{rel}#{member}"] = archive.read(member)
    return found


def _pdf_objects(reader) -> list[bytes]:
    """The decoded data of every stream object of a PDF, plus every object's repr."""
    from pypdf.generic import IndirectObject, StreamObject

    out = []
    xref = reader.xref
    for generation, numbers in xref.items():
        for number in numbers:
            obj = reader.get_object(IndirectObject(number, generation, reader))
            if isinstance(obj, StreamObject):
                out.append(obj.get_data())
            out.append(repr(obj).encode())
    return out


def build_hostile(tmp_path, monkeypatch):
    folder, bad = hostile_folder(tmp_path)
    simulate_faults(monkeypatch)
    monkeypatch.setenv("BRIEFGEN_CANARY", ENV_CANARY)
    before = tree_state(folder)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out)])
    return folder, bad, before, out, result


def test_hostile_folder_publishes_names_each_bad_file_and_leaks_nothing(tmp_path, monkeypatch):
    """Every hostile case in one folder, one build: the good articles are published,
    each bad file is one warning line with its code and reason, the exit code is 3,
    the folder is untouched and the canaries appear in no output."""
    folder, bad, before, out, result = build_hostile(tmp_path, monkeypatch)
    assert result.exit_code == 3, result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    warnings = [line for line in lines if line.startswith("warning[")]
    assert len(warnings) == len(lines), lines  # nothing but one line per bad file
    named = {}
    for line in warnings:
        match = re.match(r"warning\[(BG-[A-Z]+)\] (.+?): ", line)
        assert match, line
        named[match.group(2)] = match.group(1)
    assert named == bad
    assert "line\\nbreak in name.txt" not in named  # good, despite its name
    assert "huge.txt: too large: 40,000,000 bytes" in result.stderr
    assert "caf\\xe9-latin1-name.txt" in result.stderr
    assert "same content as 000_757c77be7b67c6dd.txt" in result.stderr

    brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    published = {s["path"] for s in brief["sources"]}
    good = {
        "name with spaces.txt", "-leading-dash.txt", "line\nbreak in name.txt", "markup.txt",
        "front-matter.md", "bidi and zero width.txt", "controls.txt", "long token.txt",
        "long line.txt", *(p.name for p in SEEDS.glob("*.txt")),
    }  # fmt: skip
    assert published == good
    texts = {s["n"]: _source_text(folder / s["path"]) for s in brief["sources"]}
    for item in _cited_items(brief):
        for c in item["citations"]:
            assert c["end"] > c["start"]
            assert texts[c["source"]][c["start"] : c["end"]].strip()
        first = item["citations"][0]
        assert texts[first["source"]][first["start"] : first["end"]] == item["text"]

    # The source folder is never modified (changing.txt is changed by the simulated writer).
    changing = os.fsencode(folder / "changing.txt").hex()
    assert {k: v for k, v in tree_state(folder).items() if k != changing} == {
        k: v for k, v in before.items() if k != changing
    }
    leaks = {
        name: needle
        for name, data in output_texts(out).items()
        for needle in (CANARY, ENV_CANARY)
        if needle.encode() in data or needle.encode("utf-16-be") in data
    }
    assert not leaks
    html = (out / "brief.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and '<img src="file:' not in html
    for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x1b\x07":
        assert char not in html
        assert char not in (out / "brief.md").read_text(encoding="utf-8")


def _source_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")


def _cited_items(brief: dict) -> list[dict]:
    items = list(brief["key_points"])
    for theme in brief["themes"]:
        items += theme["facts"] + theme["quotes"]
    return items


def test_hostile_folder_rebuilt_unchanged_writes_nothing(tmp_path, monkeypatch):
    """Once the simulated faults are gone, the hostile folder builds again (exit 3, the
    bad files still named), and a build of the unchanged folder writes nothing: the
    manifest copes with every odd name."""
    folder, _bad, _before, out, first = build_hostile(tmp_path, monkeypatch)
    assert first.exit_code == 3
    monkeypatch.undo()
    second = CliRunner().invoke(main, ["build", str(folder), "-o", str(out)])
    assert second.exit_code == 3 and "BG-TOOBIG" in second.stderr
    manifest = (out / ".briefgen" / "manifest.json").read_bytes()
    before = tree_state(folder)
    third = CliRunner().invoke(main, ["build", str(folder), "-o", str(out)])
    assert third.exit_code == 0 and "nothing changed" in third.output, third.stderr
    assert (out / ".briefgen" / "manifest.json").read_bytes() == manifest
    assert tree_state(folder) == before


# --- reading: one function, every fault ---------------------------------------------


def test_read_raw_stops_at_the_size_limit_without_reading_more(tmp_path):
    """A file over the limit is refused from its size; reading stops at the limit."""
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2_000)
    with pytest.raises(ArticleError) as info:
        ingest.read_raw(path, "big.txt", max_bytes=1_000)
    assert info.value.code == "BG-TOOBIG" and "2,000 bytes" in info.value.reason
    assert "max_article_bytes" in info.value.one_line()
    assert ingest.read_raw(path, "big.txt", max_bytes=2_000) == b"x" * 2_000


def test_read_raw_never_blocks_on_a_fifo_even_when_swapped_in(tmp_path, monkeypatch):
    """A FIFO is refused before opening; one swapped in after the check is refused after
    a non-blocking open, without waiting for a writer."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ArticleError) as info:
        ingest.read_raw(fifo, "pipe.txt")
    assert info.value.code == "BG-NOTFILE" and "FIFO" in info.value.reason
    monkeypatch.setattr(ingest, "check_entry", lambda path, rel, root: path)
    started = time.monotonic()
    with pytest.raises(ArticleError) as info:
        ingest.read_raw(fifo, "pipe.txt")
    assert info.value.code == "BG-NOTFILE" and time.monotonic() - started < 2


def test_file_that_disappears_or_is_replaced_while_read(tmp_path, monkeypatch):
    """Deleted or replaced between open and the end of reading: BG-CHANGED."""
    path = tmp_path / "a.txt"
    real_read = ingest._read_chunk

    def delete_then_read(fd, size):
        path.unlink(missing_ok=True)
        return real_read(fd, size)

    path.write_bytes(b"Headline\n\nText.\n")
    monkeypatch.setattr(ingest, "_read_chunk", delete_then_read)
    with pytest.raises(ArticleError) as info:
        ingest.read_raw(path, "a.txt")
    assert info.value.code == "BG-CHANGED" and "disappeared" in info.value.reason

    def replace_then_read(fd, size):
        if size:
            other = tmp_path / "new.txt"
            other.write_bytes(b"Other\n\nText.\n")
            os.replace(other, path)
        return real_read(fd, size)

    path.write_bytes(b"Headline\n\nText.\n")
    monkeypatch.setattr(ingest, "_read_chunk", replace_then_read)
    with pytest.raises(ArticleError) as info:
        ingest.read_raw(path, "a.txt")
    assert info.value.code == "BG-CHANGED" and "changed" in info.value.reason


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        (b"", "BG-EMPTY", "empty"),
        (b"\xef\xbb\xbf \n", "BG-EMPTY", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "BG-BINARY", "binary"),
        (b"Headline\n\nOne \x00 here.\n", "BG-BINARY", "NUL byte at offset 14 (line 3)"),
        ("Ol\u00e9\n\nCaf\u00e9.\n".encode("cp1252"), "BG-ENCODING", "byte 0xe9 at offset 2"),
        ("T\u00eate\n\nx\n".encode("utf-16-be"), "BG-ENCODING", "UTF-16"),
        ("Ok \u00e9\nthen \u00e9".encode() + "\u00e9".encode("latin-1"), "BG-ENCODING", "line 2"),
    ],
)
def test_decode_says_what_the_file_looks_like(raw, code, words):
    """Each undecodable file gets a specific code and a reason a user can act on."""
    with pytest.raises(ArticleError) as info:
        ingest.decode(raw, "x.txt")
    assert info.value.code == code and words in info.value.reason


def test_control_bidi_and_zero_width_text_is_accepted_with_valid_offsets():
    """Odd characters are kept in the text (offsets stay exact); renderers neutralise them."""
    from briefgen.pipeline import analyse_article

    raw = _article(
        "Odd characters \u202eevil\u202c here",
        "The mayor\u200b said the\u2066 bridge\u2069 would \x1breopen in March after repairs.",
    )
    (article,) = analyse_article(raw, "odd.txt")
    assert article.sentences
    for sentence in article.sentences:
        assert article.source.text[sentence.start : sentence.end] == sentence.text


# --- errors and exit codes through the CLI -----------------------------------------


def test_display_path_escapes_everything_unprintable():
    """Names are shown on one line: newlines, controls, bidi, zero-width and bad bytes
    escaped, backslashes doubled, spaces and letters kept."""
    assert display_path("a b\n\x1b\u202e\u200b\\.txt") == "a b\\n\\x1b\\u202e\\u200b\\\\.txt"
    assert display_path(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"
    assert display_path("caf\u00e9 \u4e2d.txt") == "caf\u00e9 \u4e2d.txt"


def test_unexpected_exception_is_one_line_internal_error(tmp_path, monkeypatch):
    """A bug becomes `error[BG-INTERNAL]` and exit 70; --debug shows the traceback."""
    import briefgen.build

    def boom(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(briefgen.build, "run_build", boom)
    result = CliRunner().invoke(main, ["build", str(SEEDS), "-o", str(tmp_path / "o")])
    assert result.exit_code == 70
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error[BG-INTERNAL] internal error:")
    assert "ZeroDivisionError" in lines[0] and "Traceback" not in result.stderr
    debug = CliRunner().invoke(main, ["--debug", "build", str(SEEDS), "-o", str(tmp_path / "o")])
    assert isinstance(debug.exception, ZeroDivisionError)


def test_nothing_usable_exits_65_and_names_every_file(tmp_path):
    """A folder of only bad files: exit 65, each file named, nothing written."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEEDS / "briefgen.toml", folder)
    (folder / "a.txt").write_bytes(b"")
    (folder / "b.txt").write_bytes("caf\u00e9".encode("latin-1"))
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 65, result.output
    assert "BG-NOINPUT" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ("[brief\ntitle = 'x'", "not valid TOML"),
        ("[brief]\ntitle = 'x'\ncolour = 'red'\n[[themes]]\nid='a'\ntitle='A'\n"
         "description='d'\nterms=['x']\n", "unknown key 'brief.colour'"),
        ("[brief]\ntitle = 3\n", "expected a string"),
        ("[brief]\ntitle = 'x'\nthemes = []\n", "themes"),
        ("[brief]\ntitle = 'x'\n[limits]\nmax_article_bytes = 0\n[[themes]]\nid='a'\n"
         "title='A'\ndescription='d'\nterms=['x']\n", "limits.max_article_bytes"),
        ("[brief]\ntitle = 'x'\n[limits]\nrender_seconds = 'slow'\n[[themes]]\nid='a'\n"
         "title='A'\ndescription='d'\nterms=['x']\n", "limits.render_seconds"),
    ],
)  # fmt: skip
def test_bad_config_via_cli_is_78_and_one_line(tmp_path, toml, words):
    """Invalid TOML, unknown keys, wrong types, no themes, bad limits: exit 78, one line."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    (folder / "briefgen.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 78, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-CONFIG" in lines[0] and words in lines[0], lines
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("{% if %}broken", "line 1"),
        ("<p>{{ no_such_variable }}</p>", "no_such_variable"),
    ],
)
def test_bad_template_via_cli_is_78_and_one_line(tmp_path, template, words):
    """A template that does not parse or names an unknown variable: exit 78, one line,
    the last edition untouched."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    out = tmp_path / "out"
    assert (
        CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "-f", "html"]).exit_code
        == 0
    )
    published = (out / "brief.html").read_bytes()
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "brief.html.j2").write_text(template, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", str(folder), "-o", str(out), "-f", "html", "--templates", str(templates)]
    )
    assert result.exit_code == 78, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BG-TEMPLATE" in lines[0] and words in lines[0], lines
    assert (out / "brief.html").read_bytes() == published


def test_unwritable_output_is_73(tmp_path):
    """An output path that is a file: exit 73, one line."""
    blocker = tmp_path / "out"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(SEEDS), "-o", str(blocker / "brief")])
    assert result.exit_code == 73, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "BG-OUTPUT" in result.stderr


# --- bounded work -------------------------------------------------------------------


def test_time_limit_stops_a_runaway_block():
    """time_limit turns a block that runs too long into a RenderError naming the limit."""
    started = time.monotonic()
    with pytest.raises(RenderError) as info, limits.time_limit(0.2, "PDF rendering"):
        while True:
            pass
    assert "PDF rendering took longer than 0.2 s" in info.value.reason
    assert time.monotonic() - started < 5


def test_runaway_render_is_stopped_and_previous_edition_kept(tmp_path, monkeypatch):
    """A renderer that never finishes is stopped by [limits] render_seconds (exit 70)
    and the previous edition stays as it was."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    toml = folder / "briefgen.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace("[limits]\n", "[limits]\nrender_seconds = 1\n", 1), encoding="utf-8"
    )
    out = tmp_path / "out"
    assert run_build(folder, None, out, ("md",)).edition == 1
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    import briefgen.render

    def spin(*_args, **_kwargs):
        while True:
            pass

    monkeypatch.setattr(briefgen.render, "render", spin)
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "-f", "md", "--force"])
    assert result.exit_code == 70, result.output
    assert "error[BG-RENDER] MD rendering took longer than 1 s" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_long_token_and_long_line_render_quickly(tmp_path):
    """A 10,000-character token and a 1 MB single line go through every format fast."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEEDS / "briefgen.toml", folder)
    (folder / "token.txt").write_bytes(_article(
        "Talks on territory continue",
        "The negotiators said territory was the hardest issue " + "Q" * 10_000 + " in the talks.",
        "Territory in the Donbas remains occupied, the officials said on Monday.",
    ))  # fmt: skip
    (folder / "line.txt").write_bytes(
        b"Territory talks\n\n" + b"Officials said the territory question was still open. " * 20_000
    )
    started = time.monotonic()
    report = run_build(folder, None, tmp_path / "out")
    elapsed = time.monotonic() - started
    assert report.edition == 1 and elapsed < 60, elapsed
    assert (tmp_path / "out" / "brief.pdf").stat().st_size > 1000


def test_thousands_of_tiny_files(tmp_path):
    """Two thousand tiny articles build in bounded time; every one is a source."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEEDS / "briefgen.toml", folder)
    for i in range(2000):
        (folder / f"{i:05d}.txt").write_bytes(_article(
            f"Brief item {i}", f"Officials in district {i} said the territory vote was held."
        ))  # fmt: skip
    started = time.monotonic()
    report = run_build(folder, None, tmp_path / "out", ("json",))
    elapsed = time.monotonic() - started
    data = json.loads((tmp_path / "out" / "brief.json").read_text(encoding="utf-8"))
    assert len(data["sources"]) == 2000 and not report.warnings
    assert elapsed < 120, elapsed


def test_peak_memory_on_the_largest_inputs(tmp_path):
    """A 5 MB article (at the default limit) next to a 40 MB one (over it): the build
    publishes and its peak RSS stays bounded (measured in a child process)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEEDS / "briefgen.toml", folder)
    shutil.copy(SEEDS / SEED_NAME, folder)
    sentence = "Officials said the territory question in the talks was still open on day {}. "
    body = "".join(sentence.format(i) for i in range(70_000))[:4_990_000]
    (folder / "five-mb.txt").write_bytes(b"A five megabyte article\n\n" + body.encode())
    with open(folder / "forty-mb.txt", "wb") as handle:
        handle.write(b"Forty megabytes\n\n" + b"Too big to read. " * 2_400_000)
    code = (
        "import resource, sys\n"
        "from briefgen.cli import main\n"
        "try:\n"
        f"    main(['build', {str(folder)!r}, '-o', {str(tmp_path / 'out')!r}, '-f', 'json',"
        " '-f', 'html'])\n"
        "except SystemExit as exc:\n"
        "    rc = exc.code\n"
        "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 'RC', rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=600, cwd=ROOT)  # fmt: skip
    match = re.search(r"PEAK_KB (\d+) RC (\d+)", result.stdout)
    assert match, result.stdout + result.stderr
    peak_mb, rc = int(match.group(1)) / 1024, int(match.group(2))
    print(f"peak RSS {peak_mb:.0f} MB")
    assert rc == 3 and "forty-mb.txt: too large" in result.stderr
    assert peak_mb < 1500


# --- interruption -----------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_build_exits_130_and_keeps_previous_edition(tmp_path, signum):
    """SIGINT or SIGTERM mid-build: exit 130, one line, the previous edition intact."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    out = tmp_path / "out"
    first = subprocess.run([*BRIEFGEN, "build", str(folder), "-o", str(out)],
                           capture_output=True, text=True, cwd=ROOT, timeout=300)  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "cache" not in p.parts}
    sentence = "Officials said the territory question in the talks was still open on day {}. "
    (folder / "slow.txt").write_text(
        "Slow article\n\n" + "".join(sentence.format(i) for i in range(30_000)), encoding="utf-8"
    )
    proc = subprocess.Popen([*BRIEFGEN, "build", str(folder), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
    _wait_until_building(proc.pid, out)
    time.sleep(0.3)  # fingerprinting done, analysing the slow article
    assert proc.poll() is None, "the build finished before it could be interrupted"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error[BG-INTERRUPTED]"), lines
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "cache" not in p.parts}
    assert after == before
    assert not list(out.rglob("*.tmp"))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_parallel_analysis_exits_and_leaves_no_worker(tmp_path, signum):
    """Past PARALLEL_MIN articles the worker pool analyses them: a signal to the build
    then still exits 130 promptly, and no worker process is left running."""
    from briefgen import pipeline

    folder = tmp_path / "articles"
    folder.mkdir()
    body = "".join(
        f"Engineers said the river bridge on road {i} would reopen after repairs. "
        for i in range(400)
    )
    for k in range(pipeline.PARALLEL_MIN * 6):
        (folder / f"a{k:03d}.txt").write_text(f"Bridge report {k}\n\n{body}\n", "utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([*BRIEFGEN, "build", str(folder), "-o", str(out), "-f", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
    _wait_until_building(proc.pid, out)
    deadline = time.monotonic() + 60
    while not _children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = _children(proc.pid)
    assert workers and proc.poll() is None, "the pool never started"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "a worker is left"


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _wait_until_building(pid: int, out: Path, timeout: float = 60) -> None:
    """Until process ``pid`` holds the output folder's lock open: past its imports and
    signal set-up, inside the build."""
    lock = str((out / ".briefgen" / "lock").resolve())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fds = Path(f"/proc/{pid}/fd")
        try:
            if any(os.readlink(fd) == lock for fd in fds.iterdir()):
                return
        except OSError:
            pass
        time.sleep(0.02)
    raise AssertionError("the build never took the lock")


def test_canary_search_finds_a_canary_that_is_there(tmp_path):
    """Control for the leak test: text from an article is found inside the compressed
    PDF streams and the DOCX members, so an absent canary means absent."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    (folder / "planted.txt").write_bytes(_article(
        f"Territory talks {CANARY} headline",
        "Officials said the territory question was agreed in the talks on Monday.",
    ))  # fmt: skip
    out = tmp_path / "out"
    run_build(folder, None, out)
    found = {name for name, data in output_texts(out).items() if CANARY.encode() in data}
    # PDF text is glyph ids in its streams: found through pypdf's text extraction.
    assert "brief.pdf#text" in found, found
    assert any(name.startswith("brief.docx#word/") for name in found), found
    assert {"brief.html", "brief.md", "brief.json"} <= found


def test_signal_during_publish_is_held_until_the_edition_is_complete(tmp_path, monkeypatch):
    """A Ctrl-C while files are being published is delivered after the manifest is
    written: never a latest brief.html from one edition beside a brief.md from another."""
    from briefgen import editions

    real_write = editions.write_atomic
    calls = []

    def write_and_interrupt(path, data, **kwargs):
        calls.append(path.name)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGINT)
        return real_write(path, data, **kwargs)

    monkeypatch.setattr(editions, "write_atomic", write_and_interrupt)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_build(SEEDS, None, out, ("md", "json"))
    assert "manifest.json" in calls
    manifest = json.loads((out / ".briefgen" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"] == 1 and (out / "brief.md").is_file()
