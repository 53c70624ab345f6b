"""`briefgen fetch`: feeds into a story folder, against a real HTTP server on 127.0.0.1
started here (http.server in a thread, counting the requests per path). No traffic goes
anywhere else: every URL is 127.0.0.1, and `[fetch] allow_private = true` lets the
client reach it (a test shows that without it 127.0.0.1 is refused)."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import wait_for

from briefgen.cli import main
from briefgen.config import FetchSettings, parse_config
from briefgen.errors import ConfigError
from briefgen.fetch import STATE_NAME, Client, FetchError, fetch_folder, is_public
from briefgen.stages.readers import read_file
from briefgen.stages.sourcing import apply_sidecar, load_sidecar

WORDS = (
    "The river rose two metres overnight and flooded forty houses in the old town, "
    "and the council opened the sports hall to families who had to leave their homes."
)


def rss(items: list[dict[str, str]], title: str = "Valley News") -> bytes:
    body = "".join(
        f"<item><title>{i['title']}</title><link>{i['link']}</link>"
        f"<pubDate>{i.get('date', 'Mon, 30 Nov 2026 08:00:00 GMT')}</pubDate>"
        f"<description>{i.get('text', '')}</description></item>"
        for i in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link>{body}</channel></rss>"
    ).encode()


def page(title: str, text: str, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paragraphs = "".join(f"<p>{text} Paragraph {n} adds more detail.</p>" for n in range(4))
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{link}"
        '<meta property="og:site_name" content="Valley Times"></head>'
        f"<body><nav>Home | Sport</nav><article><h1>{title}</h1>{paragraphs}</article>"
        "</body></html>"
    ).encode()


class Site:
    """What the server answers: path -> handler(request) -> (status, headers, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], Any]] = {}
        self.counts: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()  # requests with If-None-Match/-Modified
        self.lock = threading.Lock()
        self.base = ""

    def total(self) -> int:
        return sum(self.counts.values())

    def static(self, path: str, body: bytes, ctype: str = "application/rss+xml", *,
               etag: str | None = None, modified: str | None = None) -> None:  # fmt: skip
        def handler(req: BaseHTTPRequestHandler) -> Any:
            if etag and req.headers.get("If-None-Match") == etag:
                return 304, {"ETag": etag}, b""
            if modified and req.headers.get("If-Modified-Since") == modified:
                return 304, {"Last-Modified": modified}, b""
            headers = {"Content-Type": ctype}
            if etag:
                headers["ETag"] = etag
            if modified:
                headers["Last-Modified"] = modified
            return 200, headers, body

        self.routes[path] = handler


class Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.site
        with site.lock:
            site.counts[self.path] += 1
            if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                site.conditional[self.path] += 1
        route = site.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self._answer(404, {}, b"not found")
            return
        answer = route(self)
        if answer is not None:
            self._answer(*answer)

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers and status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()
    handler = type("H", (Handler,), {"site": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def story(folder: Path, feeds: str, fetch: str = "allow_private = true\ndelay = 0\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "briefgen.toml").write_text(
        '[brief]\ntitle = "Valley floods"\n\n'
        '[[themes]]\nid = "water"\ntitle = "Water"\ndescription = "The flood."\n'
        'terms = ["river", "flood"]\n\n'
        '[[themes]]\nid = "money"\ntitle = "Money"\ndescription = "Repairs."\n'
        'terms = ["council", "fund"]\n\n'
        f"[fetch]\n{fetch}\n{feeds}",
        encoding="utf-8",
    )
    return folder


def feed_toml(url: str, **extra: object) -> str:
    lines = [f'url = "{url}"'] + [f"{k} = {json.dumps(v)}" for k, v in extra.items()]
    return "[[feeds]]\n" + "\n".join(lines) + "\n\n"


def articles(folder: Path) -> dict[str, float]:
    """The fetched files and their modification times (ns)."""
    return {
        p.name: p.stat().st_mtime_ns
        for p in folder.iterdir()
        if p.suffix in (".html", ".json") and not p.name.startswith(".")
    }


def valley(site: Site) -> None:
    """A feed of three items: two pages (one forbidden by robots.txt), one off-topic;
    and a summary-only feed served with Last-Modified instead of an ETag."""
    b = site.base
    site.static("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.static(
        "/feed.xml",
        rss([
            {"title": "River floods the old town", "link": f"{b}/news/floods?utm_source=rss",
             "text": "The river rose two metres."},
            {"title": "Council sets up a repair fund", "link": f"{b}/private/fund",
             "text": f"The council set up a repair fund. {WORDS}"},
            {"title": "Cup final tickets on sale", "link": f"{b}/news/cup",
             "text": "Tickets for the cup final go on sale on Monday."},
        ]),
        etag='"v1"',
    )  # fmt: skip
    site.static("/news/floods", page("River floods the old town", WORDS), "text/html")
    site.static("/private/fund", page("Council sets up a repair fund", WORDS), "text/html")
    site.static(
        "/wire.xml",
        rss([{"title": "Families moved to the sports hall", "link": f"{b}/wire/1",
              "text": f"Families moved out as the flood spread. {WORDS} More rain is due."}],
            title="Wire"),
        modified="Mon, 30 Nov 2026 09:00:00 GMT",
    )  # fmt: skip


def test_first_fetch_writes_one_file_per_article_and_second_costs_only_conditional_requests(
    site: Site, tmp_path: Path
) -> None:
    """First fetch: feeds, robots.txt and pages; the second, of unchanged feeds: one
    conditional request per feed (304), nothing written."""
    valley(site)
    folder = story(
        tmp_path / "story",
        feed_toml(f"{site.base}/feed.xml", follow_links=True, reliability="B")
        + feed_toml(f"{site.base}/wire.xml", outlet="Valley Wire", reliability="A"),
    )
    first = CliRunner().invoke(main, ["fetch", str(folder)])
    assert first.exit_code == 0, first.output
    assert dict(site.counts) == {
        "/feed.xml": 1,
        "/robots.txt": 1,
        "/news/floods?utm_source=rss": 1,
        "/wire.xml": 1,
    }  # fmt: skip  (robots.txt forbids /private/fund: never requested; the cup item is off-topic)
    first_counts = site.total()
    files = articles(folder)
    assert len(files) == 3, first.output
    html = [n for n in files if n.endswith(".html")]
    assert len(html) == 1 and html[0].startswith("2026-11-30-river-floods-the-old-town-")
    # The readers find each file's URL, date, outlet and reliability where they look.
    sidecar = load_sidecar(folder)
    sources = {}
    for name in files:
        found, _ = apply_sidecar(read_file((folder / name).read_bytes(), name), sidecar)
        sources[name] = found[0]
    page_source = sources[html[0]]
    assert page_source.url == f"{site.base}/news/floods?utm_source=rss"
    assert page_source.reliability == "B" and "forty houses" in page_source.text
    assert page_source.published and page_source.published.startswith("2026-11-30")
    by_title = {s.title: s for s in sources.values()}
    fund = by_title["Council sets up a repair fund"]  # robots.txt: the entry, not the page
    assert fund.path.endswith(".json#1") and fund.url == f"{site.base}/private/fund"
    assert fund.reliability == "B"
    wire = by_title["Families moved to the sports hall"]
    assert (wire.outlet, wire.reliability, wire.url) == ("Valley Wire", "A", f"{site.base}/wire/1")
    assert "new        " + f"{site.base}/feed.xml: 2 new" in first.output
    assert "1 not matching" in first.output and "1 pages forbidden by robots.txt" in first.output

    site.counts.clear()
    second = CliRunner().invoke(main, ["fetch", str(folder)])
    assert second.exit_code == 0, second.output
    assert dict(site.counts) == {"/feed.xml": 1, "/wire.xml": 1}
    assert dict(site.conditional) == {"/feed.xml": 1, "/wire.xml": 1}
    assert second.output.count("not modified (304)") == 2
    assert articles(folder) == files  # nothing rewritten
    print(f"requests: first fetch {first_counts}, second fetch {site.total()} (all conditional)")


def test_changed_feed_brings_only_what_is_new_deduplicated_by_url_and_by_text(
    site: Site, tmp_path: Path
) -> None:
    """A changed feed: known items (even under a tracking parameter) and a copy of a known
    text under another URL are skipped; unchanged files are not rewritten."""
    valley(site)
    folder = story(tmp_path / "story", feed_toml(f"{site.base}/wire.xml"))
    assert CliRunner().invoke(main, ["fetch", str(folder)]).exit_code == 0
    before = articles(folder)
    b = site.base
    text = f"Families moved out as the flood spread. {WORDS} More rain is due."
    site.static(
        "/wire.xml",
        rss([
            {"title": "Families moved to the sports hall", "link": f"{b}/wire/1?utm_medium=x",
             "text": text},
            {"title": "Families moved to the hall (copy)", "link": f"{b}/copy/9", "text": text},
            {"title": "River to crest on Friday", "link": f"{b}/wire/2",
             "text": "Engineers expect the river to crest on Friday, then fall."},
        ]),
        modified="Mon, 30 Nov 2026 10:00:00 GMT",
    )  # fmt: skip
    result = CliRunner().invoke(main, ["fetch", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 new; 1 already fetched, 1 duplicate" in result.output
    after = articles(folder)
    assert len(after) == 2 and {k: after[k] for k in before} == before
    state = json.loads((folder / STATE_NAME).read_text("utf-8"))
    assert state["feeds"][f"{b}/wire.xml"] == {"last_modified": "Mon, 30 Nov 2026 10:00:00 GMT"}


def test_hostile_servers_each_fail_their_feed_in_one_line_and_the_others_fetch(
    site: Site, tmp_path: Path
) -> None:
    """Slow, dripping, oversized, gzip bomb, redirect to file:, redirect loop, 500 and broken XML:
    each is one `failed` line, exit 3, and the good feed is still fetched."""
    valley(site)

    def slow(_req: BaseHTTPRequestHandler) -> Any:
        time.sleep(2)
        return 200, {}, rss([])

    def oversized(req: BaseHTTPRequestHandler) -> None:
        # No Content-Length: the client has to count what it receives.
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.end_headers()
        try:
            for _ in range(50 * 16):  # 50 MB
                req.wfile.write(b"<!-- " + b"x" * 65_000 + b" -->")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def drip(req: BaseHTTPRequestHandler) -> None:
        # Each byte within the read timeout, the whole past the deadline of a response.
        req.send_response(200)
        req.end_headers()
        try:
            for _ in range(40):
                req.wfile.write(b" ")
                req.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    bomb = gzip.compress(b"\0" * 100_000_000, compresslevel=9)  # ~100 KB -> 100 MB
    site.routes["/slow.xml"] = slow
    site.routes["/big.xml"] = oversized
    site.routes["/drip.xml"] = drip
    site.static("/big-declared.xml", b"x" * 300_000)
    site.routes["/bomb.xml"] = lambda _r: (
        200, {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}, bomb
    )  # fmt: skip
    site.routes["/passwd.xml"] = lambda _r: (302, {"Location": "file:///etc/passwd"}, b"")
    site.routes["/loop.xml"] = lambda _r: (302, {"Location": "/loop.xml"}, b"")
    site.routes["/error.xml"] = lambda _r: (500, {}, b"oops")
    site.static("/broken.xml", b'<?xml version="1.0"?><rss><channel><title>Half</chan')
    hostile = ["slow", "drip", "big", "big-declared", "bomb", "passwd", "loop", "error", "broken"]
    feeds = "".join(feed_toml(f"{site.base}/{name}.xml") for name in hostile)
    folder = story(
        tmp_path / "story",
        feeds + feed_toml(f"{site.base}/wire.xml"),
        "allow_private = true\ndelay = 0\nread_timeout = 0.5\nmax_seconds = 1\nmax_bytes = 200000\n",
    )
    started = time.monotonic()
    result = CliRunner().invoke(main, ["fetch", str(folder)])
    elapsed = time.monotonic() - started
    assert result.exit_code == 3, result.output
    lines = {
        line.split(": ", 1)[0].split()[-1].rsplit("/", 1)[-1]: line
        for line in result.output.splitlines()
        if line.startswith(("failed", "new", "unchanged"))
    }
    reasons = {
        "slow.xml": "no answer within 0.5s",
        "drip.xml": "the answer took over 1s",
        "big.xml": "the body is over the cap of 200,000 bytes",
        "big-declared.xml": "the body is 300,000 bytes, over the cap of 200,000",
        "bomb.xml": "the decompressed body is over the cap of 200,000 bytes",
        "passwd.xml": "redirected to file:///etc/passwd: only http and https are followed",
        "loop.xml": "more than 5 redirects",
        "error.xml": "HTTP 500",
        "broken.xml": "not a readable RSS or Atom feed",
    }
    for name, reason in reasons.items():
        assert lines[name].startswith("failed") and reason in lines[name], lines[name]
    assert lines["wire.xml"].startswith("new")
    assert site.counts["/loop.xml"] == 6  # the first request and 5 redirects
    assert [p.suffix for p in folder.iterdir() if not p.name.startswith(".")].count(".json") == 1
    assert not any("root:" in p.read_text("utf-8", "replace") for p in folder.iterdir()
                   if p.is_file())  # fmt: skip
    assert elapsed < 15, elapsed


def test_every_feed_failing_exits_69(site: Site, tmp_path: Path) -> None:
    """Not one feed read (the server is down for them): exit 69, nothing written."""
    site.routes["/error.xml"] = lambda _r: (500, {}, b"oops")
    folder = story(tmp_path / "story", feed_toml(f"{site.base}/error.xml"))
    result = CliRunner().invoke(main, ["fetch", str(folder)])
    assert result.exit_code == 69 and "HTTP 500" in result.output
    assert articles(folder) == {}


def test_loopback_is_refused_without_allow_private(site: Site, tmp_path: Path) -> None:
    """Without `[fetch] allow_private = true`, 127.0.0.1 is refused before any request."""
    valley(site)
    folder = story(tmp_path / "story", feed_toml(f"{site.base}/feed.xml"), "delay = 0\n")
    result = CliRunner().invoke(main, ["fetch", str(folder)])
    assert result.exit_code == 69
    assert "127.0.0.1 is 127.0.0.1, a loopback, private or link-local address" in result.output
    assert site.total() == 0


def test_connected_address_is_checked_too_so_dns_rebinding_is_caught(site: Site) -> None:
    """A name that resolved to a public address at the check but connects to 127.0.0.1
    (DNS rebinding) is refused on the socket: no request reaches the server."""
    valley(site)

    class Rebound(Client):
        def check_url(self, url: str) -> tuple[str, int]:  # the DNS check "passed"
            return "127.0.0.1", 0

    client = Rebound(FetchSettings(delay=0))
    with pytest.raises(FetchError, match="connected to 127.0.0.1"):
        client.get(f"{site.base}/feed.xml")
    client.close()
    assert site.total() == 0


@pytest.mark.parametrize(
    ("address", "public"),
    [("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.1", False), ("169.254.169.254", False),
     ("100.64.0.1", False), ("::1", False), ("fe80::1", False), ("::ffff:127.0.0.1", False),
     ("fd00::1", False), ("0.0.0.0", False), ("224.0.0.1", False), ("93.184.215.14", True),
     ("2606:4700::1111", True)],
)  # fmt: skip
def test_only_global_addresses_are_public(address: str, public: bool) -> None:
    """Loopback, private, link-local, shared, unspecified and multicast are refused."""
    assert is_public(address) is public


def test_match_terms_decide_which_items_belong(site: Site, tmp_path: Path) -> None:
    """`match` replaces the themes' terms; stems match ("tickets" for "ticket")."""
    valley(site)
    folder = story(tmp_path / "story", feed_toml(f"{site.base}/feed.xml", match=["ticket"]))
    result = CliRunner().invoke(main, ["fetch", str(folder)])
    assert result.exit_code == 0, result.output
    assert [n.split("-", 3)[3] for n in articles(folder)][0].startswith("cup-final-tickets")
    assert "2 not matching" in result.output


@pytest.mark.parametrize(
    ("toml", "message"),
    [('[[feeds]]\nurl = "file:///etc/passwd"\n', "expected an http:// or https:// URL"),
     ('[[feeds]]\nurl = "https://a.example/f"\nfolow_links = true\n', "unknown key 'feeds[0].folow_links'"),
     ('[[feeds]]\nurl = "https://a.example/f"\nmatch = "flood"\n', "key 'feeds[0].match': expected a list"),
     ('[fetch]\ndelay = true\n', "key 'fetch.delay': expected a number"),
     ('[fetch]\nmax_bytes = 10\n', "key 'fetch.max_bytes': expected 1024-"),
     ('[fetch]\nallow_privat = true\n', "unknown key 'fetch.allow_privat'")],
)  # fmt: skip
def test_feed_config_is_checked_like_the_rest(toml: str, message: str) -> None:
    """[[feeds]] and [fetch] are strict: a typo or a wrong type names the key."""
    import tomllib

    data = tomllib.loads('[brief]\ntitle = "T"\n[themes]\ndiscover = true\n' + toml)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_config(data, "briefgen.toml")


def test_fetch_without_feeds_is_a_config_error(tmp_path: Path) -> None:
    """A config without [[feeds]]: exit 78, naming what to add."""
    folder = story(tmp_path / "story", "")
    result = CliRunner().invoke(main, ["fetch", str(folder)])
    assert result.exit_code == 78 and "no [[feeds]] to fetch" in result.output


def test_a_state_file_lost_does_not_rewrite_unchanged_articles(site: Site, tmp_path: Path) -> None:
    """Even with its state deleted, a fetch leaves identical files untouched."""
    valley(site)
    folder = story(tmp_path / "story", feed_toml(f"{site.base}/wire.xml"))
    fetch_folder(folder)
    before = articles(folder)
    (folder / STATE_NAME).unlink()
    time.sleep(0.01)
    report = fetch_folder(folder)
    assert report.exit_code() == 0 and articles(folder) == before


def test_schedule_fetch_turns_a_folder_with_only_a_config_into_a_current_brief(
    site: Site, tmp_path: Path
) -> None:
    """`briefgen schedule DIR --fetch --every 1s`: the first run fetches and publishes;
    a run with nothing new does not build; a changed feed is in the next edition."""
    valley(site)
    folder = story(tmp_path / "story", feed_toml(f"{site.base}/wire.xml"))
    assert [p.name for p in folder.iterdir()] == ["briefgen.toml"]
    out = tmp_path / "out"
    bin_dir = Path(sys.executable).parent
    proc = subprocess.Popen(
        [bin_dir / "briefgen", "schedule", str(folder), "--fetch", "--every", "1s",
         "-o", str(out), "-f", "md"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1764576000"},
    )  # fmt: skip
    try:
        brief = out / "brief.md"
        assert wait_for(lambda: brief.exists(), 60), "no brief published"
        assert "Families moved" in brief.read_text("utf-8")
        assert wait_for(lambda: site.counts["/wire.xml"] >= 3, 30)  # runs with nothing new
        site.static(
            "/wire.xml",
            rss([{"title": "Bridge reopens after the flood", "link": f"{site.base}/wire/5",
                  "text": "The bridge over the river reopened on Tuesday after engineers "
                          "checked it. The council said the repair fund paid for the work."}]),
            modified="Tue, 01 Dec 2026 09:00:00 GMT",
        )  # fmt: skip
        assert wait_for(lambda: "Bridge reopens" in brief.read_text("utf-8"), 60)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "nothing new fetched: no build" in err
    assert "edition 1: 1 sources" in err and "edition 2: 2 sources" in err
    assert "edition 3" not in err  # the runs with nothing new built nothing


def test_batch_fetch_fetches_each_story_then_builds_it(site: Site, tmp_path: Path) -> None:
    """`batch --fetch`: each story's feeds, then its build; a failed feed is a warning of
    its story (exit 3) and the story is still published."""
    valley(site)
    site.routes["/error.xml"] = lambda _r: (500, {}, b"oops")
    root = tmp_path / "stories"
    story(root / "valley", feed_toml(f"{site.base}/wire.xml") + feed_toml(f"{site.base}/error.xml"))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["batch", str(root), "-o", str(out), "-f", "md", "-j", "1", "--fetch"]
    )
    assert result.exit_code == 3, result.output
    assert f"warning[BG-FETCH] feed {site.base}/error.xml: HTTP 500" in result.output
    assert "Families moved" in (out / "valley" / "brief.md").read_text("utf-8")
