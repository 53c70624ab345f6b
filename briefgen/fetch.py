"""``briefgen fetch DIR``: the feeds a story's ``briefgen.toml`` lists, into the folder.

Each new item becomes one file in DIR, written atomically: the article's page as
``.html`` (``follow_links = true``, robots.txt allowing it and the page holding an
article), else the feed's entry as ``.json``. The readers find the metadata where they
always do: a page names its URL in a ``<!-- saved from url=... -->`` line; an entry's
JSON carries ``title``, ``text``, ``url``, ``published``, ``outlet`` and ``author``; a
feed's configured ``outlet`` and ``reliability`` go into ``sources.toml`` (new tables are
appended; nothing there is changed).

Items are deduplicated by canonical URL and by a hash of their text, across feeds and
runs; what was fetched once is never fetched or written again (a deleted file stays
deleted), so a build after a fetch that found nothing new is a no-op. State (ETag and
Last-Modified per feed, the items seen) lives in ``DIR/.briefgen-fetch.json``, written
atomically; ingest skips hidden files.

The client (``Client``) is polite and bounded: a clear User-Agent, a delay per host
(robots.txt's Crawl-delay when longer), conditional requests, robots.txt for pages,
connect/read timeouts and a deadline per response, a size cap counted on the bytes
received and again on the decompressed bytes (a gzip bomb stops at the cap), at most
5 redirects, http and https only, and no loopback, private or link-local address, checked
after DNS resolution and again on the connected socket, on every hop (``[fetch]
allow_private = true`` lifts that for an internal feed server).

Why requests (not httpx): it is synchronous like the rest of briefgen (one feed after
another, with a delay per host, needs no async client), already installed with urllib3
(trafilatura's dependency), and urllib3's connection classes give one place to check
the address a socket actually connected to. httpx would add httpcore, h11 and anyio
for no gain here. It is imported only when a fetch runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import os
import re
import socket
import time
import tomllib
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from briefgen import __version__
from briefgen.atomic import write_atomic
from briefgen.config import CONFIG_NAME, Config, Feed, FetchSettings, find_config, load_config
from briefgen.errors import EXIT_PARTIAL, BusyError, ConfigError, printable

if TYPE_CHECKING:
    from urllib.robotparser import RobotFileParser

STATE_NAME = ".briefgen-fetch.json"
LOCK_NAME = ".briefgen-fetch.lock"
SIDECAR = "sources.toml"
MAX_REDIRECTS = 5
USER_AGENT = f"briefgen/{__version__} (news brief builder; fetches the feeds its user configured)"
NEW, UNCHANGED, FAILED = "new", "unchanged", "failed"
EXIT_ALL_FAILED = 69  # EX_UNAVAILABLE: not one feed could be read
_REDIRECTS = {301, 302, 303, 307, 308}
_TRACKING_RE = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|at_\w+)$", re.I)
_CHUNK = 65536


class FetchError(Exception):
    """One request failed; ``str(exc)`` is the reason, in one line."""


class PrivateAddressError(FetchError):
    """A connection reached (or a host resolves to) a non-public address."""


# --- the client -----------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    status: int
    url: str  # after redirects
    headers: dict[str, str]  # lower-case names
    body: bytes


def is_public(address: str) -> bool:
    """Whether an IP address is a global unicast one (not loopback, private, link-local,
    shared, reserved or multicast); an IPv4-mapped IPv6 address is judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _guarded_adapter(allow_private: bool) -> Any:
    """A requests adapter whose connections check the address they connected to, so a
    DNS answer that changes between the check and the connection (rebinding) is caught."""
    import requests.adapters
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def check(sock: socket.socket) -> None:
        peer = sock.getpeername()[0]
        if not allow_private and not is_public(peer):
            sock.close()
            raise PrivateAddressError(
                f"connected to {peer}, a loopback, private or link-local address"
            )

    class GuardedHTTP(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            check(sock)
            return sock

    class GuardedHTTPS(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            check(sock)
            return sock

    class HTTPPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTP

    class HTTPSPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPS

    class Adapter(requests.adapters.HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": HTTPPool, "https": HTTPSPool}

    return Adapter(max_retries=0)


class Client:
    """A polite, bounded HTTP client (see the module's docstring)."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self.user_agent = self.settings.user_agent or USER_AGENT
        self.requests = 0  # sent, redirects and robots.txt included
        self._session: Any = None
        self._last: dict[str, float] = {}  # host -> when its last request ended
        self._crawl_delay: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | bool] = {}  # site -> rules, or all/none

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def _open(self) -> Any:
        if self._session is None:
            import requests

            session = requests.Session()
            session.trust_env = False  # no proxy or .netrc from the environment: we check hosts
            adapter = _guarded_adapter(self.settings.allow_private)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.clear()
            session.headers.update({"User-Agent": self.user_agent, "Accept-Encoding": "gzip"})
            self._session = session
        return self._session

    def check_url(self, url: str) -> tuple[str, int]:
        """The host and port of a URL briefgen may request; FetchError otherwise."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"{printable(url[:200])}: only http and https URLs are fetched")
        try:
            host, port = parts.hostname, parts.port
        except ValueError:
            raise FetchError(f"{printable(url[:200])}: not a valid URL") from None
        if not host:
            raise FetchError(f"{printable(url[:200])}: no host")
        port = port or (443 if parts.scheme == "https" else 80)
        if not self.settings.allow_private:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as exc:
                raise FetchError(f"cannot resolve {printable(host)}: {exc}") from None
            for info in infos:
                address = str(info[4][0])
                if not is_public(address):
                    raise PrivateAddressError(
                        f"{printable(host)} is {address}, a loopback, private or link-local "
                        "address (refused; [fetch] allow_private = true allows it)"
                    )
        return host, port

    def _wait(self, host: str) -> None:
        delay = max(self.settings.delay, self._crawl_delay.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            pause = last + delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``url``, following at most 5 redirects, each hop checked like the first."""
        session = self._open()
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            host, _ = self.check_url(current)
            self._wait(host)
            self.requests += 1
            try:
                response = self._send(session, current, headers or {})
            finally:
                self._last[host] = time.monotonic()
            if response.status not in _REDIRECTS:
                return response
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {response.status} redirect without a Location")
            if hop == MAX_REDIRECTS:
                raise FetchError(f"more than {MAX_REDIRECTS} redirects")
            target = urljoin(current, location.strip())
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(
                    f"redirected to {printable(target[:200])}: only http and https are followed"
                )
            current = target
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, session: Any, url: str, headers: dict[str, str]) -> Response:
        import requests
        import urllib3.exceptions

        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        try:
            with session.get(
                url, headers=headers, stream=True, allow_redirects=False, timeout=timeout
            ) as answer:
                names = {k.lower(): v for k, v in answer.headers.items()}
                body = b"" if answer.status_code in _REDIRECTS else self._read(answer, names)
                return Response(answer.status_code, url, names, body)
        except requests.exceptions.ConnectTimeout:
            raise FetchError(f"no connection within {self.settings.connect_timeout:g}s") from None
        except (requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError):
            raise FetchError(f"no answer within {self.settings.read_timeout:g}s") from None
        except requests.exceptions.ConnectionError as exc:
            cause = _cause(exc, PrivateAddressError)
            if cause is not None:
                raise cause from None
            raise FetchError(f"cannot connect: {_short_reason(exc)}") from None
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise FetchError(f"request failed: {_short_reason(exc)}") from None
        except OSError as exc:
            raise FetchError(f"request failed: {exc}") from None

    def _read(self, answer: Any, headers: dict[str, str]) -> bytes:
        """The body, streamed: at most ``max_bytes`` received and at most ``max_bytes``
        once decompressed, within ``max_seconds``."""
        limit = self.settings.max_bytes
        length = headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > limit:
            raise FetchError(f"the body is {int(length):,} bytes, over the cap of {limit:,}")
        encoding = headers.get("content-encoding", "").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            decoder: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = zlib.decompressobj()
        elif encoding in ("", "identity"):
            decoder = None
        else:
            raise FetchError(f"unsupported Content-Encoding {printable(encoding[:40])}")
        deadline = time.monotonic() + self.settings.max_seconds
        received = 0
        out = bytearray()
        while True:
            # read1: what has arrived (a drip of bytes cannot hold the loop past the
            # deadline waiting for a full chunk); b"" at the end of the body.
            chunk = answer.raw.read1(_CHUNK, decode_content=False)
            if not chunk:
                break
            received += len(chunk)
            if received > limit:
                raise FetchError(f"the body is over the cap of {limit:,} bytes")
            if time.monotonic() > deadline:
                raise FetchError(f"the answer took over {self.settings.max_seconds:g}s")
            if decoder is None:
                out += chunk
                continue
            data = chunk
            while data:
                try:
                    out += decoder.decompress(data, limit + 1 - len(out))
                except zlib.error as exc:
                    raise FetchError(f"cannot decompress the body: {exc}") from None
                if len(out) > limit:
                    raise FetchError(f"the decompressed body is over the cap of {limit:,} bytes")
                data = decoder.unconsumed_tail
        if decoder is not None:
            out += decoder.flush()
            if len(out) > limit:
                raise FetchError(f"the decompressed body is over the cap of {limit:,} bytes")
        return bytes(out)

    # --- robots.txt -------------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets briefgen fetch ``url`` (read once per site).

        As Python's robotparser reads it: 401 or 403 forbids everything, another 4xx
        (no robots.txt) allows everything; a 5xx or no answer forbids pages this time."""
        from urllib.robotparser import RobotFileParser

        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            robots: RobotFileParser | bool
            try:
                answer = self.get(site + "/robots.txt")
            except FetchError:
                robots = False
            else:
                if answer.status in (401, 403) or answer.status >= 500:
                    robots = False
                elif answer.status != 200:
                    robots = answer.status >= 400  # no robots.txt: everything allowed
                else:
                    robots = RobotFileParser(site + "/robots.txt")
                    robots.parse(answer.body.decode("utf-8", "replace").splitlines())
                    delay = robots.crawl_delay(self.user_agent)
                    if delay and parts.hostname:
                        self._crawl_delay[parts.hostname] = min(float(delay), 60.0)
            self._robots[site] = robots
        robots = self._robots[site]
        if isinstance(robots, bool):
            return robots
        return robots.can_fetch(self.user_agent, url)


def _cause(exc: BaseException, kind: type[FetchError]) -> FetchError | None:
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return None
        if isinstance(seen, kind):
            return seen
        nested = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = getattr(seen, "reason", None) or nested or seen.__cause__ or seen.__context__
    return None


def _short_reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    match = re.search(r"\[Errno -?\d+\][^')]*|Connection refused|Connection reset[^')]*", text)
    return printable((match.group(0) if match else text)[:200])


# --- items ----------------------------------------------------------------------------


def canonical_url(url: str) -> str:
    """The URL an item is known by: lower-case scheme and host, no default port, no
    fragment, no tracking parameters (utm_*, fbclid, ...), no trailing slash on the path."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, 80, 443) else None
    netloc = f"{host}:{port}" if port else host
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING_RE.match(k)
        ]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def content_hash(text: str) -> str:
    """A hash of an article's words, blind to case, spacing and punctuation."""
    words = re.findall(r"\w+", text.lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:24]


def matches(text: str, terms: Sequence[str]) -> bool:
    """Whether ``text`` contains any of ``terms`` (stemmed, so "sanction" finds
    "sanctions"; a phrase must appear as a phrase); no terms match everything."""
    if not terms:
        return True
    from briefgen.stages.features import content_terms, phrase_terms

    words = content_terms(text)
    present = set(words)
    for term in terms:
        phrase = phrase_terms(term)
        if not phrase or not set(phrase) <= present:
            continue
        n = len(phrase)
        if any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
            return True
    return False


def file_name(title: str | None, key: str, published: str | None, suffix: str) -> str:
    """``2026-11-30-talks-resume-in-geneva-1a2b3c4d.json``: the date (which also dates
    an article the readers find no date in), a slug of the title, a hash of the URL."""
    slug = re.sub(r"[^a-z0-9]+", "-", (title or "").lower()).strip("-")[:60].rstrip("-")
    day = published[:10] if published and re.match(r"\d{4}-\d{2}-\d{2}", published) else ""
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    return "-".join(p for p in (day, slug or "item", digest) if p) + suffix


class _CanonicalParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href") or None


def page_canonical(page: str, base: str) -> str | None:
    parser = _CanonicalParser()
    with contextlib.suppress(Exception):
        parser.feed(page[:200_000])
    if not parser.canonical:
        return None
    url = urljoin(base, parser.canonical.strip())
    return url if urlsplit(url).scheme in ("http", "https") else None


def _entry_date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        with contextlib.suppress(TypeError, ValueError):
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", tuple(parsed))
    return None


# --- state ----------------------------------------------------------------------------


@dataclass
class State:
    """What earlier fetches of a folder saw: per feed its validators; per item key (a
    canonical URL, or ``guid:...``) and per content hash, the file it became."""

    feeds: dict[str, dict[str, str]] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> State:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()

        def table(key: str) -> dict[str, Any]:
            value = data.get(key)
            return value if isinstance(value, dict) else {}

        return cls(table("feeds"), table("items"), table("hashes"))

    def save(self, path: Path) -> None:
        document = {"version": 1, "feeds": self.feeds, "items": self.items, "hashes": self.hashes}
        data = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode()
        with contextlib.suppress(OSError):
            if path.read_bytes() == data:
                return
        write_atomic(path, data)


# --- one feed -------------------------------------------------------------------------


@dataclass
class FeedResult:
    url: str
    outcome: str  # NEW, UNCHANGED or FAILED
    message: str
    written: list[str] = field(default_factory=list)  # file names, relative to the folder

    def line(self) -> str:
        return f"{self.outcome:<9}  {printable(self.url)}: {printable(self.message)}"


@dataclass
class FetchReport:
    results: list[FeedResult] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def written(self) -> list[str]:
        return [name for r in self.results for name in r.written]

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.results)

    def summary(self) -> str:
        return (
            f"fetch: {len(self.written)} new files; feeds: {self.count(NEW)} new, "
            f"{self.count(UNCHANGED)} unchanged, {self.count(FAILED)} failed; "
            f"{self.requests} requests in {self.seconds:.2f}s"
        )

    def exit_code(self) -> int:
        """0 when every feed was read; 3 when some failed; 69 when every one failed."""
        failed = self.count(FAILED)
        if failed and failed == len(self.results):
            return EXIT_ALL_FAILED
        return EXIT_PARTIAL if failed else 0


@dataclass
class _Counts:
    known: int = 0
    unmatched: int = 0
    duplicate: int = 0
    empty: int = 0
    fallback: int = 0
    robots: int = 0

    def describe(self) -> str:
        parts = [
            f"{self.known} already fetched" if self.known else "",
            f"{self.unmatched} not matching" if self.unmatched else "",
            f"{self.duplicate} duplicate" if self.duplicate else "",
            f"{self.empty} without text" if self.empty else "",
            f"{self.robots} pages forbidden by robots.txt" if self.robots else "",
            f"{self.fallback} pages not read, the entry kept" if self.fallback else "",
        ]
        return ", ".join(p for p in parts if p)


class _Folder:
    """Writes into a story folder: never a file with the same bytes, always atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sidecar: dict[str, dict[str, str]] = {}

    def write(self, name: str, data: bytes) -> bool:
        path = self.folder / name
        with contextlib.suppress(OSError):
            if path.read_bytes() == data:
                return False
        write_atomic(path, data)
        return True

    def describe(self, name: str, **fields: str | None) -> None:
        values = {k: v for k, v in fields.items() if v}
        if values:
            self.sidecar[name] = values

    def save_sidecar(self) -> str | None:
        """Append the new files' tables to sources.toml; a note when it cannot."""
        if not self.sidecar:
            return None
        path = self.folder / SIDECAR
        try:
            text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
            existing = tomllib.loads(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return f"{SIDECAR} not updated (fix it, then fetch again): {exc}"
        lines = [] if not text or text.endswith("\n") else [""]
        for name, values in sorted(self.sidecar.items()):
            if name in existing:
                continue
            lines += ["", f"[{_toml_string(name)}]"]
            lines += [f"{k} = {_toml_string(v)}" for k, v in sorted(values.items())]
        self.sidecar.clear()
        if len(lines) > 1:
            write_atomic(path, (text + "\n".join(lines) + "\n").encode())
        return None


def _toml_string(value: str) -> str:
    cleaned = "".join(c for c in value if c == "\t" or (ord(c) >= 32 and ord(c) != 127))
    return json.dumps(cleaned, ensure_ascii=False)


def fetch_feed(
    client: Client, feed: Feed, state: State, folder: _Folder, terms: Sequence[str], max_items: int
) -> FeedResult:
    """Read one feed; new items become files. Never raises FetchError: a failure is a result."""
    known = state.feeds.get(feed.url, {})
    headers = {}
    if known.get("etag"):
        headers["If-None-Match"] = known["etag"]
    if known.get("last_modified"):
        headers["If-Modified-Since"] = known["last_modified"]
    try:
        answer = client.get(feed.url, headers)
    except FetchError as exc:
        return FeedResult(feed.url, FAILED, str(exc))
    if answer.status == 304:
        return FeedResult(feed.url, UNCHANGED, "not modified (304)")
    if answer.status != 200:
        return FeedResult(feed.url, FAILED, f"HTTP {answer.status}")
    import feedparser

    # feedparser would fetch a URL given as a string: it gets the bytes only.
    parsed = feedparser.parse(
        answer.body, sanitize_html=True, resolve_relative_uris=True,
        response_headers={"content-location": answer.url,
                          "content-type": answer.headers.get("content-type", "application/xml")},
    )  # fmt: skip
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no entries"
        return FeedResult(feed.url, FAILED, f"not a readable RSS or Atom feed: {reason}")
    counts = _Counts()
    written: list[str] = []
    for entry in parsed.entries[:max_items]:
        name = _take_entry(client, feed, entry, answer.url, state, folder, terms, counts)
        if name:
            written.append(name)
    state.feeds[feed.url] = {
        k: v
        for k, v in (
            ("etag", answer.headers.get("etag")),
            ("last_modified", answer.headers.get("last-modified")),
        )
        if v
    }
    lenient = " (not well-formed; read leniently)" if parsed.get("bozo") else ""
    details = counts.describe()
    details = f"; {details}" if details else ""
    if written:
        return FeedResult(feed.url, NEW, f"{len(written)} new{details}{lenient}", written)
    return FeedResult(feed.url, UNCHANGED, f"nothing new{details}{lenient}")


def _take_entry(
    client: Client,
    feed: Feed,
    entry: Any,
    base: str,
    state: State,
    folder: _Folder,
    terms: Sequence[str],
    counts: _Counts,
) -> str | None:
    """The file one feed entry became, or None when it was known, unwanted or empty."""
    from briefgen.stages.readers import html_to_text

    link = urljoin(base, entry.get("link") or "") if entry.get("link") else None
    if link and urlsplit(link).scheme not in ("http", "https"):
        link = None
    content = entry.get("content") or []
    markup = (content[0].get("value") if content else None) or entry.get("summary") or ""
    text = html_to_text(markup)
    title = " ".join((entry.get("title") or "").split()) or None
    key = (
        canonical_url(link)
        if link
        else "guid:" + (entry.get("id") or content_hash(f"{title} {text}"))
    )
    if key in state.items:
        counts.known += 1
        return None
    if not matches(f"{title or ''}\n{text}", terms):
        counts.unmatched += 1
        return None
    published = _entry_date(entry)
    page = _page(client, link, counts) if feed.follow_links and link else None
    keys = [key]
    if page is not None:
        data, article_text, canonical = page
        if canonical and canonical_url(canonical) in state.items:
            counts.known += 1
            state.items[key] = state.items[canonical_url(canonical)]
            return None
        if canonical:
            keys.append(canonical_url(canonical))
        suffix = ".html"
    else:
        if not text.strip():
            counts.empty += 1
            return None
        record = {
            "title": title,
            "text": text,
            "url": link,
            "published": published,
            "outlet": feed.outlet or _feed_outlet(entry),
            "author": entry.get("author") or None,
        }
        document = json.dumps({k: v for k, v in record.items() if v}, ensure_ascii=False, indent=1)
        data = (document + "\n").encode()
        article_text = text
        suffix = ".json"
    digest = content_hash(article_text)
    if digest in state.hashes:
        counts.duplicate += 1
        for k in keys:
            state.items[k] = state.hashes[digest]
        return None
    name = file_name(title, key, published, suffix)
    folder.write(name, data)
    for k in keys:
        state.items[k] = name
    state.hashes[digest] = name
    folder.describe(
        name,
        outlet=feed.outlet,
        reliability=feed.reliability,
        published=published if suffix == ".html" else None,
    )
    return name


def _feed_outlet(entry: Any) -> str | None:
    origin = entry.get("source")
    return origin.get("title") if isinstance(origin, dict) else None


def _page(client: Client, link: str, counts: _Counts) -> tuple[bytes, str, str | None] | None:
    """The linked page (bytes to write, its article text, its canonical URL), or None
    when robots.txt forbids it or it holds no article (the entry is kept instead)."""
    from briefgen.errors import ArticleError
    from briefgen.stages.readers import read_file

    try:
        if not client.allowed(link):
            counts.robots += 1
            return None
        answer = client.get(link)
    except FetchError:
        counts.fallback += 1
        return None
    kind = answer.headers.get("content-type", "text/html").lower()
    if answer.status != 200 or ("html" not in kind and "xml" not in kind):
        counts.fallback += 1
        return None
    try:
        sources = read_file(answer.body, "page.html")
    except ArticleError:
        counts.fallback += 1
        return None
    if not sources:
        counts.fallback += 1
        return None
    # Where the HTML reader looks for a saved page's address: the line browsers write.
    marker = f"<!-- saved from url=({len(answer.url):04d}){answer.url} -->\n".encode()
    page_text = answer.body.decode("utf-8", "replace")
    return marker + answer.body, sources[0].text, page_canonical(page_text, answer.url)


# --- a folder -------------------------------------------------------------------------


def feed_terms(config: Config, feed: Feed) -> tuple[str, ...]:
    """The terms an item of ``feed`` must contain: its ``match``, else every theme's."""
    return feed.match or tuple(t for theme in config.themes for t in theme.terms)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    import fcntl

    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(
                "another fetch of this folder is running", path=str(folder),
                hint="try again when it has finished",
            ) from None  # fmt: skip
        yield
    finally:
        os.close(fd)


def fetch_folder(
    source_dir: Path,
    config_path: Path | None = None,
    *,
    on_result: Callable[[FeedResult], None] | None = None,
    client: Client | None = None,
    require_feeds: bool = True,
) -> FetchReport:
    """Fetch every feed of the folder's config into the folder; ``on_result`` is called
    after each feed. A feed that fails is a result; the others are still read. A config
    without ``[[feeds]]`` is a ConfigError, or an empty report unless ``require_feeds``."""
    from briefgen import lang

    started = time.perf_counter()
    config = load_config(find_config(source_dir, config_path))
    if not config.feeds and not require_feeds:
        return FetchReport()
    if not config.feeds:
        raise ConfigError(
            "no [[feeds]] to fetch", path=str(config.path or source_dir / CONFIG_NAME),
            hint='add [[feeds]] tables with url = "https://..."',
        )  # fmt: skip
    lang.use(config.language)  # the stemmer `match` terms are compared with
    client = client or Client(config.fetch)
    report = FetchReport()
    state_path = source_dir / STATE_NAME
    folder = _Folder(source_dir)
    with _locked(source_dir):
        state = State.load(state_path)
        try:
            for feed in config.feeds:
                result = fetch_feed(
                    client, feed, state, folder, feed_terms(config, feed), config.fetch.max_items
                )
                note = folder.save_sidecar()
                if note and note not in report.notes:
                    report.notes.append(note)
                state.save(state_path)
                report.results.append(result)
                if on_result:
                    on_result(result)
        finally:
            client.close()
    report.requests = client.requests
    report.seconds = time.perf_counter() - started
    return report
