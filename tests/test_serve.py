"""briefgen serve over real HTTP on 127.0.0.1: the live brief, reload, banner, editions,
changes, and the safety rules (no traversal, no link out of OUTDIR, read-only)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import edition_of, wait_for

from briefgen.build import run_build
from briefgen.serve import ServeState, diff_editions, is_loopback, make_server, serve

ROOT = Path(__file__).resolve().parents[1]
BRIEFGEN = [sys.executable, "-m", "briefgen.cli"]

CONFIG = """[brief]
title = "Harbour ferry timetable"
language = "en"

[[themes]]
id = "timetable"
title = "Timetable"
description = "When the ferries run."
terms = ["timetable", "crossings", "evening", "ferry", "schedule", "boats"]

[[themes]]
id = "cost"
title = "Cost"
description = "What the route costs and who pays."
terms = ["cost", "budget", "crowns", "fares", "subsidy"]
"""

ARTICLES = {
    "a1.txt": """Council adds evening ferry crossings

The harbour council voted on Monday to add three evening ferry crossings to the island route, officials said.
"We listened to commuters who asked for later boats," said council chair Maria Olsen.
The new timetable starts in March and the extra crossings cost about 2 million crowns a year, according to the council budget office.
Ferry workers said the evening crossings would need a second crew on the island route.
""",
    "a2.txt": """Island commuters welcome later boats

Commuters on the island route welcomed the council decision to add evening ferry crossings from March.
"It means I can finally work a full shift in town," said Anna Berg, a nurse who takes the ferry daily.
The harbour council said fares would stay the same for the rest of the year.
Council chair Maria Olsen said the timetable would be reviewed after six months of evening crossings.
""",
    "a3.txt": """Budget office questions ferry subsidy

The council budget office warned that the ferry subsidy would rise with the extra evening crossings.
"The route already needs the largest subsidy of any service we fund," said budget officer Lars Holm.
The office estimated that fares cover less than half of the cost of the island route.
The harbour council will discuss the subsidy again at its meeting in April.
""",
}
# Disagrees with a1 on the number of crossings: edition 2 has a discrepancy.
DISPUTED = """Four new evening crossings for island route

The harbour council voted on Monday to add four evening ferry crossings to the island route, a spokesman said.
Council chair Maria Olsen said the first evening boat would leave the harbour at eight.
"""


def write_story(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "briefgen.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(url: str, path: str, method: str = "GET", headers: dict | None = None) -> Reply:
    """One request with ``path`` sent exactly as given (no normalisation)."""
    host, port = url.split("//")[1].rstrip("/").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.putrequest(method, path, skip_host=bool(headers and "Host" in headers))
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders(b"x=1" if method in ("POST", "PUT", "PATCH") else None)
        response = conn.getresponse()
        return Reply(response.status, dict(response.getheaders()), response.read())
    finally:
        conn.close()


def status(url: str) -> dict:
    return json.loads(request(url, "/_briefgen/status").body)


@dataclass
class Served:
    url: str
    src: Path
    out: Path


@contextlib.contextmanager
def serving(tmp_path: Path) -> Iterator[Served]:
    """``serve`` in a thread on a free port of 127.0.0.1, with real file watching, once
    the first edition is published."""
    src, out = write_story(tmp_path / "story"), tmp_path / "out"

    def build(changed: list[str] | None = None) -> None:
        run_build(src, None, out, ("html", "json", "md"), wait=True)

    stop = threading.Event()
    urls: list[str] = []
    thread = threading.Thread(
        target=serve, args=([src], build, out),
        kwargs={"port": 0, "stop": stop, "debounce_ms": 100, "on_listening": urls.append},
        daemon=True,
    )  # fmt: skip
    thread.start()
    try:
        assert wait_for(lambda: bool(urls) and edition_of(out) == 1, 60), "first edition"
        assert wait_for(lambda: status(urls[0])["builds"] == 1, 10)
        time.sleep(0.3)  # the watcher starts after the first build
        yield Served(urls[0], src, out)
    finally:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive(), "serve stops when its stop event is set"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path) as running:
        yield running


def token_in_page(html: str) -> str:
    match = re.search(r'<script src="/_briefgen/reload.js" data-token="([0-9a-f]+)"', html)
    assert match, "the page loads the reload script"
    return match.group(1)


def test_root_is_the_latest_brief_with_the_reload_script_and_nothing_external(served):
    """/ shows the brief, loads the reload script from briefgen itself, under a CSP."""
    reply = request(served.url, "/")
    assert reply.status == 200
    assert "Harbour ferry timetable" in reply.text and 'class="brief"' in reply.text
    assert token_in_page(reply.text) == status(served.url)["token"]
    csp = reply.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self';" in csp
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    script = request(served.url, "/_briefgen/reload.js")
    assert script.status == 200 and "javascript" in script.headers["Content-Type"]
    assert "/_briefgen/status" in script.text and "location.reload" in script.text
    for page in (reply.text, script.text):  # nothing fetched from anywhere else
        assert not re.search(r"(src|href)=\"(https?:)?//", page)
        assert "cdn" not in page.lower()


def test_reload_signal_after_an_article_changes(served):
    """Adding an article publishes edition 2, and the status token the page polls changes
    (the token in the new page is the new one)."""
    before = status(served.url)["token"]
    started = time.monotonic()
    (served.src / "a4.txt").write_text(DISPUTED, encoding="utf-8")
    assert wait_for(lambda: status(served.url)["token"] != before, 30), "token changes"
    assert edition_of(served.out) == 2 and status(served.url)["edition"] == 2
    assert time.monotonic() - started < 15
    page = request(served.url, "/").text
    assert token_in_page(page) == status(served.url)["token"]
    assert "four evening ferry crossings" in page


def test_broken_config_shows_a_banner_over_the_last_good_edition_then_recovers(served):
    """A config error is one line in a banner; the last edition stays shown; fixing the
    config removes the banner."""
    config = served.src / "briefgen.toml"
    before = status(served.url)["token"]
    config.write_text("[brief\n", encoding="utf-8")
    assert wait_for(lambda: status(served.url)["error"] is not None, 30), "error noticed"
    assert status(served.url)["token"] != before, "the page reloads to show the banner"
    page = request(served.url, "/").text
    banner = re.search(r'<div class="bg-banner" role="alert">(.*?)</div>', page, re.S)
    assert banner and "BG-CONFIG" in banner.group(1) and "briefgen.toml" in banner.group(1)
    assert "\n" not in status(served.url)["error"], "the message is one line"
    assert "Harbour ferry timetable" in page and "three evening ferry crossings" in page
    assert edition_of(served.out) == 1
    for other in ("/editions/",):
        assert "BG-CONFIG" in request(served.url, other).text
    config.write_text(CONFIG.replace("Harbour ferry", "Island ferry"), encoding="utf-8")
    assert wait_for(lambda: status(served.url)["error"] is None, 30), "recovered"
    assert wait_for(lambda: edition_of(served.out) == 2, 10)
    page = request(served.url, "/").text
    assert "bg-banner" not in page and "Island ferry timetable" in page


def test_editions_list_and_changes_pages(served):
    """/editions/ lists number, date, sources and a summary; /editions/N/changes says
    what was added and removed, and which discrepancies appeared or were resolved."""
    (served.src / "a4.txt").write_text(DISPUTED, encoding="utf-8")
    assert wait_for(lambda: edition_of(served.out) == 2, 30)
    (served.src / "a4.txt").unlink()
    assert wait_for(lambda: edition_of(served.out) == 3, 30)

    listing = request(served.url, "/editions/")
    assert listing.status == 200
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", listing.text, re.S)
    assert len(rows) == 3
    newest, middle, first = rows
    assert '<a href="/editions/3/">3</a>' in newest and "<td>3 sources</td>" in newest
    assert "1 source removed" in newest and "1 discrepancy resolved" in newest
    assert "<td>4 sources</td>" in middle and "1 source added" in middle
    assert "1 discrepancy appeared" in middle
    assert "first edition" in first
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d UTC</td>", first)

    second = request(served.url, "/editions/2/changes")
    assert second.status == 200
    sections = dict(re.findall(r'<h2 id="s\d+">(.*?) <span.*?</h2>\s*(.*?)</section>',
                               second.text, re.S))  # fmt: skip
    assert "a4.txt" in sections["Sources added"]
    assert "Number of crossings" in sections["Discrepancies that appeared"]
    assert "No discrepancy resolved" in sections["Discrepancies resolved"]
    third = request(served.url, "/editions/3/changes").text
    sections = dict(re.findall(r'<h2 id="s\d+">(.*?) <span.*?</h2>\s*(.*?)</section>',
                               third, re.S))  # fmt: skip
    assert "a4.txt" in sections["Sources removed"]
    assert "Number of crossings" in sections["Discrepancies resolved"]
    assert "edition 0" not in request(served.url, "/editions/1/changes").text

    page = request(served.url, "/editions/2/")
    assert page.status == 200
    for name in ("brief.json", "brief.md"):
        assert f'href="/editions/2/{name}"' in page.text
    download = request(served.url, "/editions/2/brief.json")
    assert download.status == 200 and json.loads(download.body)["edition"] == 2
    assert "attachment" in download.headers["Content-Disposition"]
    assert request(served.url, "/editions/2/brief.html").status == 200
    assert request(served.url, "/editions/9/").status == 404


def test_diff_of_quotes_sources_and_discrepancies():
    """The changes between two editions' JSON: quotes by text, sources by path and id."""
    old = {
        "sources": [{"path": "a.txt", "id": "1"}, {"path": "b.txt", "id": "2", "title": "B"}],
        "key_points": [{"text": "The ferry runs late."}],
        "themes": [{"facts": [], "quotes": [{"text": "Too late", "speaker": "Ann"}]}],
        "discrepancies": [{"subject": "Number of boats", "sides": [{"value": "3"}]}],
    }
    new = {
        "sources": [{"path": "b.txt", "id": "3", "title": "B"}, {"path": "c.txt", "id": "4"}],
        "key_points": [{"text": "The ferry runs LATE"}, {"text": "Fares stay the same."}],
        "themes": [
            {
                "facts": [],
                "quotes": [
                    {"text": "Just right", "speaker": "Bo"},
                    {"text": "On time", "speaker": None, "speaker_role": "A ferry spokeswoman"},
                ],
            }
        ],
        "discrepancies": [],
    }
    diff = diff_editions(old, new)
    assert diff.facts_added == ["Fares stay the same."] and diff.facts_dropped == []
    # An unnamed speaker is shown as the brief shows them.
    assert diff.quotes_added == [("Just right", "Bo"), ("On time", "A ferry spokeswoman")]
    assert diff.quotes_dropped == [("Too late", "Ann")]
    assert (diff.sources_added, diff.sources_removed) == (["c.txt"], ["a.txt"])
    assert diff.sources_updated == ["B (b.txt)"]
    assert diff.discrepancies_resolved == ["Number of boats: 3"]
    assert diff.summary() == (
        "1 fact added; 2 quotes added, 1 dropped; 1 source added, 1 removed; "
        "1 source updated; 1 discrepancy resolved"
    )
    assert diff_editions(new, new).summary().startswith("no change")


def test_edition_page_offers_every_format_for_download(tmp_path):
    """An edition built in every format: its page links the PDF, DOCX, Markdown and JSON,
    and each download is that file, as an attachment named after the edition."""
    src, out = write_story(tmp_path / "story"), tmp_path / "out"
    run_build(src, None, out)
    server = make_server(ServeState(out), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page = request(server.url, "/editions/1/").text
        magic = {"brief.pdf": b"%PDF", "brief.docx": b"PK", "brief.md": b"#", "brief.json": b"{"}
        for name, label in (("brief.pdf", "PDF"), ("brief.docx", "Word (DOCX)"),
                            ("brief.md", "Markdown"), ("brief.json", "JSON")):  # fmt: skip
            assert f'href="/editions/1/{name}" download="brief-0001{name[5:]}">{label}</a>' in page
            reply = request(server.url, f"/editions/1/{name}")
            assert reply.status == 200 and reply.body.startswith(magic[name])
            assert reply.body == (out / "editions" / "0001" / name).read_bytes()
            assert reply.headers["Content-Disposition"] == (
                f'attachment; filename="brief-0001{name[5:]}"'
            )
        assert 'href="/editions/1/brief.html">Read this edition' in page
        live = request(server.url, "/").text
        assert '<a href="/editions/1/">Downloads</a>' in live
    finally:
        server.shutdown()
        server.server_close()


TRAVERSALS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/editions/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/editions/1/..%2f..%2f.briefgen%2flast-brief.json",
    "/editions/1/%2e%2e/%2e%2e/.briefgen/manifest.json",
    "/%252e%252e/%252e%252e/etc/passwd",
    "/editions/..%5c..%5cetc%5cpasswd",
    "/editions/1/brief.json%00.html",
    "//etc/passwd",
    "/.briefgen/last-brief.json",
    "/.briefgen/cache/",
    "/last-brief.json",
    "/manifest.json",
    "/editions/1/.briefgen",
    "/editions/0001/../../.briefgen/live/manifest.json",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_and_private_files_are_refused(served, path):
    """Nothing outside the published files is served, however the path is encoded."""
    reply = request(served.url, path)
    assert reply.status in (400, 404), (path, reply.status)
    assert b"root:" not in reply.body and b'"inputs"' not in reply.body
    assert b'"corpus"' not in reply.body


def test_links_out_of_outdir_are_not_followed(served, tmp_path):
    """brief.* are links inside OUTDIR and are served; a link pointing out of OUTDIR
    (a published name, an edition folder, the live link) is not."""
    assert request(served.url, "/brief.md").status == 200  # a link through .briefgen/live
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "brief.html").write_text("<p>SECRET-PAGE</p>", encoding="utf-8")
    (secret / "brief.json").write_text('{"edition": 9, "secret": "SECRET-JSON"}')
    (secret / "brief.md").write_text("SECRET-MD", encoding="utf-8")
    (secret / "0009").mkdir()
    (served.out / "brief.md").unlink()
    (served.out / "brief.md").symlink_to(secret / "brief.md")
    reply = request(served.url, "/brief.md")
    assert reply.status == 404 and b"SECRET" not in reply.body
    (served.out / "editions" / "0009").symlink_to(secret, target_is_directory=True)
    for path in ("/editions/9/", "/editions/9/brief.json", "/editions/9/changes", "/editions/"):
        reply = request(served.url, path)
        assert b"SECRET" not in reply.body, path
    assert 'href="/editions/9/"' not in request(served.url, "/editions/").text
    (served.out / "editions" / "0001" / "brief.md").unlink()
    (served.out / "editions" / "0001" / "brief.md").symlink_to(secret / "brief.md")
    assert request(served.url, "/editions/1/brief.md").status == 404
    live = served.out / ".briefgen" / "live"
    live.unlink()
    live.symlink_to(secret, target_is_directory=True)
    reply = request(served.url, "/")
    assert reply.status == 200 and b"SECRET" not in reply.body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_read_only_other_methods_are_refused(served, method):
    """Only GET and HEAD: anything else is 405 and changes nothing."""
    before = sorted(p.name for p in (served.out / "editions").iterdir())
    for path in ("/", "/editions/1/brief.json", "/_briefgen/status"):
        reply = request(served.url, path, method)
        assert reply.status == 405 and reply.headers["Allow"] == "GET, HEAD"
    assert sorted(p.name for p in (served.out / "editions").iterdir()) == before
    assert (served.out / "editions" / "0001" / "brief.json").is_file()


def test_head_answers_without_a_body(served):
    reply = request(served.url, "/", "HEAD")
    assert reply.status == 200 and reply.body == b""
    assert int(reply.headers["Content-Length"]) > 1000


def test_a_foreign_host_header_is_refused_on_loopback(served):
    """A page on another site cannot read the brief through DNS rebinding."""
    assert request(served.url, "/", headers={"Host": "attacker.example:80"}).status == 403
    port = served.url.rsplit(":", 1)[1].strip("/")
    assert request(served.url, "/", headers={"Host": f"localhost:{port}"}).status == 200


def test_is_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")


def test_cli_serve_prints_the_url_and_ctrl_c_exits_130(tmp_path):
    """`briefgen serve --port 0` builds (HTML and JSON even with -f md), prints its URL,
    serves, and stops on Ctrl-C with exit 130, the port closed."""
    src, out = write_story(tmp_path / "story"), tmp_path / "out"
    proc = subprocess.Popen(
        [*BRIEFGEN, "serve", str(src), "-o", str(out), "--port", "0", "-f", "md"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline()
        match = re.match(r"serving (http://127\.0\.0\.1:(\d+)/) \(Ctrl-C stops\)", line)
        assert match, line
        url, port = match.group(1), int(match.group(2))
        assert wait_for(lambda: edition_of(out) == 1, 60)
        assert wait_for(lambda: "Harbour ferry" in request(url, "/").text, 10)
        assert {"brief.md", "brief.html", "brief.json"} <= {p.name for p in out.glob("brief.*")}
    finally:
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        code = proc.wait(timeout=30)
    assert code == 130, proc.stderr.read()
    assert time.monotonic() - started < 10
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def test_cli_serve_warns_for_a_network_host_and_reports_a_bind_failure(tmp_path):
    """--host other than loopback warns that the brief is readable from the network;
    an address that cannot be bound is one error line (no traceback)."""
    src = write_story(tmp_path / "story")
    result = subprocess.run(
        [*BRIEFGEN, "serve", str(src), "-o", str(tmp_path / "out"), "--host", "192.0.2.1",
         "--port", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "readable from the network" in result.stderr
    assert "error[BG-SERVE]" in result.stderr and "Traceback" not in result.stderr
    assert result.returncode == 1
    assert not os.path.exists(tmp_path / "out" / "brief.html"), "nothing built"
