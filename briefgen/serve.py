"""``briefgen serve``: build, watch and serve the brief and its editions in one process.

Design (issue 17):

- **Threads.** The build-and-watch loop is ``watch.watch`` (its debounce, one build per
  burst, errors logged and the loop going on) and runs in the *main* thread, because
  rendering's time limit (SIGALRM) and the deferral of Ctrl-C while an edition is
  published only work there (``limits.py``). The HTTP server runs in one daemon thread
  (``ThreadingHTTPServer``, a thread per request). Ctrl-C sets the watch loop's stop
  event (a second one stops a build at once, as in ``watch``); the server is then shut
  down and closed, and the command exits 130.
- **The standard library's HTTP server**, no new dependency: the server only answers
  GET and HEAD for a handful of routes on one machine, with pages a few hundred kB at
  most; what Starlette and uvicorn add (ASGI, websockets, workers) is not needed, and
  ``http.server`` starts in milliseconds with nothing to install.
- **Reload** by a small polling script served by briefgen itself
  (``/_briefgen/reload.js``): each second it asks ``/_briefgen/status`` for a token
  made of the published edition (the ``.briefgen/live`` link) and the last build's
  error, and reloads the page when it changed. Plain requests, so no long-lived
  connection holds a server thread or delays shutdown. A Content-Security-Policy allows
  scripts from the server only, and nothing from anywhere else.
- **Build errors** are kept by a wrapper around the build callable: the page at ``/``
  shows the last good edition with a banner holding the one-line message.
- **Safe by construction.** Routes are a fixed list: ``/``, ``/editions/``,
  ``/editions/N/``, ``/editions/N/changes``, ``/editions/N/FILE`` (a plain file name in
  an edition folder), ``/FILE`` for the latest edition's published files (names from its
  manifest), and ``/_briefgen/*``. A decoded path with ``.``, ``..``, a backslash or NUL
  in it is refused before routing. Every file is opened at its resolved real path, which
  must lie inside OUTDIR's real path (``brief.*`` are links through ``.briefgen/live``,
  inside OUTDIR), and checked again through ``/proc/self/fd`` after it is opened, so a
  link swapped in between cannot escape. No directory is ever listed: the editions page
  is made from the edition numbers. Only GET and HEAD are answered (others: 405). On a
  loopback address, requests whose Host header names another host are refused (a web
  page cannot read the brief through DNS rebinding).
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import logging
import os
import re
import socket
import stat
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from briefgen import editions
from briefgen.errors import BriefgenError

log = logging.getLogger("briefgen.serve")

POLL_MS = 1000  # the page asks for the status this often: a rebuild shows within ~1 s
MAX_JSON_BYTES = 50_000_000  # an edition's brief.json read for the editions pages
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
ALLOWED_METHODS = "GET, HEAD"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")  # a plain file name
_NUMBER_RE = re.compile(r"^\d{1,9}$")
_DOWNLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
}
_FORMAT_LABELS = {".pdf": "PDF", ".docx": "Word (DOCX)", ".md": "Markdown", ".json": "JSON",
                  ".html": "HTML"}  # fmt: skip


class ServeError(BriefgenError):
    """The server cannot listen on the address asked for."""

    code = "BG-SERVE"
    exit_code = 1


# --- state shared by the build loop and the server -------------------------------------


class ServeState:
    """What the pages need to know about the build loop: the last build's error."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._lock = threading.Lock()
        self._error: str | None = None
        self.builds = 0

    @property
    def error(self) -> str | None:
        with self._lock:
            return self._error

    def finished(self, error: str | None) -> None:
        with self._lock:
            self._error = error
            self.builds += 1

    def live(self) -> str:
        """The published generation (``.briefgen/live``'s target), '' before the first."""
        try:
            return os.readlink(self.out_dir / editions.STATE_DIR / editions.LIVE)
        except OSError:
            return ""

    def token(self) -> str:
        """Changes when a new edition is published or the build error changes."""
        text = f"{self.live()}\0{self.error or ''}"
        return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]


def tracking(build: Callable[..., object], state: ServeState) -> Callable[..., None]:
    """``build`` that records its outcome in ``state`` (and still raises, so the watch
    loop logs the error as it always does)."""

    def run(changed: list[str] | None = None) -> None:
        try:
            if changed is None:
                build()
            else:
                build(changed=changed)
        except BriefgenError as exc:
            state.finished(exc.one_line())
            raise
        except Exception as exc:
            state.finished(f"internal error: {type(exc).__name__}: {exc}")
            raise
        state.finished(None)

    return run


# --- reading the output folder safely ----------------------------------------------------


def _inside(root: str, path: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def open_inside(out_dir: Path, path: Path) -> tuple[IO[bytes], int] | None:
    """``path`` opened for reading, with its size; None when it is not a regular file
    whose real path lies inside ``out_dir``'s (links inside OUTDIR are followed, links
    out of it are not). The caller closes the file."""
    root = os.path.realpath(out_dir)
    real = os.path.realpath(path)
    if not _inside(root, real):
        return None
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return None
    handle = os.fdopen(fd, "rb")
    info = os.fstat(fd)
    opened = _opened_path(fd)  # what was opened, should a link have been swapped in
    if not stat.S_ISREG(info.st_mode) or (opened is not None and not _inside(root, opened)):
        handle.close()
        return None
    return handle, info.st_size


def _opened_path(fd: int) -> str | None:
    """The real path of what ``fd`` is, where the system tells (Linux's /proc)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def read_inside(out_dir: Path, path: Path, limit: int = MAX_JSON_BYTES) -> bytes | None:
    opened = open_inside(out_dir, path)
    if opened is None:
        return None
    with opened[0] as handle:
        return handle.read(limit + 1) if opened[1] <= limit else None


# --- editions and what changed between them ----------------------------------------------


@dataclass
class Edition:
    number: int
    folder: Path
    files: list[str]  # plain files of the edition, sorted
    data: dict[str, Any] | None  # its brief.json, None when absent or unreadable

    @property
    def url(self) -> str:
        return f"/editions/{self.number}/"

    def date(self) -> str:
        return _date_label(self.data.get("generated_at") if self.data else None)

    def sources(self) -> list[dict[str, Any]]:
        return _dicts(self.data, "sources")


def _date_label(value: object) -> str:
    if not isinstance(value, str):
        return "unknown date"
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    zone = " UTC" if when.utcoffset() is not None and not when.utcoffset() else ""
    return when.strftime("%Y-%m-%d %H:%M") + zone


def _dicts(data: object, key: str) -> list[dict[str, Any]]:
    items = data.get(key) if isinstance(data, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def list_editions(out_dir: Path) -> list[Edition]:
    """The kept editions (``OUTDIR/editions/NNNN/``), oldest first; folders that are links
    or lie outside OUTDIR are left out."""
    root = os.path.realpath(out_dir)
    folder = out_dir / editions.EDITIONS_DIR
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if (
                entry.name.isdigit()
                and entry.is_dir(follow_symlinks=False)
                and _inside(root, os.path.realpath(entry.path))
            ):
                found.append(int(entry.name))
    return [e for e in (edition(out_dir, n) for n in sorted(found)) if e is not None]


def edition(out_dir: Path, number: int, *, data: bool = True) -> Edition | None:
    """Edition ``number`` as kept in ``OUTDIR/editions/``, or None; ``data``: read its
    brief.json too."""
    folder = out_dir / editions.EDITIONS_DIR / f"{number:04d}"
    root = os.path.realpath(out_dir)
    if folder.is_symlink() or not folder.is_dir() or not _inside(root, os.path.realpath(folder)):
        return None
    files = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if _NAME_RE.match(entry.name) and entry.is_file(follow_symlinks=False):
                files.append(entry.name)
    files.sort()
    found = None
    for name in files if data else ():
        if name.endswith(".json"):
            raw = read_inside(out_dir, folder / name)
            with contextlib.suppress(ValueError, RecursionError):
                loaded = json.loads(raw) if raw is not None else None
                found = loaded if isinstance(loaded, dict) else None
            break
    return Edition(number, folder, files, found)


@dataclass
class EditionDiff:
    """What changed in the brief from one edition to the next."""

    facts_added: list[str] = field(default_factory=list)
    facts_dropped: list[str] = field(default_factory=list)
    quotes_added: list[tuple[str, str]] = field(default_factory=list)  # (text, speaker)
    quotes_dropped: list[tuple[str, str]] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)
    sources_updated: list[str] = field(default_factory=list)
    discrepancies_appeared: list[str] = field(default_factory=list)
    discrepancies_resolved: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: '2 facts added, 1 dropped; 1 source added; 1 discrepancy appeared'."""
        parts = [
            _pair(len(self.facts_added), len(self.facts_dropped), "fact", "added", "dropped"),
            _pair(len(self.quotes_added), len(self.quotes_dropped), "quote", "added", "dropped"),
            _pair(len(self.sources_added), len(self.sources_removed), "source", "added",
                  "removed"),
            _pair(len(self.sources_updated), 0, "source", "updated", ""),
            _pair(len(self.discrepancies_appeared), len(self.discrepancies_resolved),
                  "discrepancy", "appeared", "resolved"),
        ]  # fmt: skip
        said = [p for p in parts if p]
        return "; ".join(said) if said else "no change in facts, quotes, sources or discrepancies"


def _pair(first: int, second: int, noun: str, verb1: str, verb2: str) -> str:
    def plural(n: int) -> str:
        if n == 1:
            return noun
        return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"

    if first and second:
        return f"{first} {plural(first)} {verb1}, {second} {verb2}"
    if first:
        return f"{first} {plural(first)} {verb1}"
    if second:
        return f"{second} {plural(second)} {verb2}"
    return ""


def _key(text: str) -> str:
    from briefgen.whatsnew import text_key

    return text_key(text)


def _facts(data: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    items = _dicts(data, "key_points") + [
        f for theme in _dicts(data, "themes") for f in _dicts(theme, "facts")
    ]
    for item in items:
        if isinstance(item.get("text"), str):
            found.setdefault(_key(item["text"]), item["text"])
    return found


def _quotes(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for theme in _dicts(data, "themes"):
        for item in _dicts(theme, "quotes"):
            if isinstance(item.get("text"), str):
                # An unnamed speaker is shown as the brief shows them: "A spokeswoman".
                speaker = item.get("speaker") or item.get("speaker_role")
                shown = speaker if isinstance(speaker, str) else ""
                found.setdefault(_key(item["text"]), (str(item["text"]), shown))
    return found


def _sources(data: dict[str, Any]) -> dict[str, tuple[str, object]]:
    """path -> (label, content id)."""
    found = {}
    for item in _dicts(data, "sources"):
        path = item.get("path")
        if isinstance(path, str):
            title = item.get("title")
            label = f"{title} ({path})" if isinstance(title, str) and title else path
            found[path] = (label, item.get("id"))
    return found


def _discrepancies(data: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in _dicts(data, "discrepancies"):
        subject = item.get("subject")
        if isinstance(subject, str):
            sides = [s.get("value") for s in _dicts(item, "sides")]
            values = " / ".join(str(v) for v in sides if isinstance(v, str))
            found.setdefault(_key(subject), f"{subject}: {values}" if values else subject)
    return found


def diff_editions(old: dict[str, Any], new: dict[str, Any]) -> EditionDiff:
    """What ``new`` shows that ``old`` did not, and the reverse (by text, ignoring case,
    spacing and punctuation; sources by path, updated when their content id changed)."""
    diff = EditionDiff()
    for getter, added, dropped in (
        (_facts, diff.facts_added, diff.facts_dropped),
        (_quotes, diff.quotes_added, diff.quotes_dropped),
        (_discrepancies, diff.discrepancies_appeared, diff.discrepancies_resolved),
    ):
        before, after = getter(old), getter(new)
        added.extend(v for k, v in after.items() if k not in before)  # type: ignore[misc]
        dropped.extend(v for k, v in before.items() if k not in after)  # type: ignore[misc]
    before_src, after_src = _sources(old), _sources(new)
    diff.sources_added = [after_src[p][0] for p in sorted(after_src.keys() - before_src.keys())]
    diff.sources_removed = [before_src[p][0] for p in sorted(before_src.keys() - after_src.keys())]
    diff.sources_updated = [
        after_src[p][0]
        for p in sorted(after_src.keys() & before_src.keys())
        if before_src[p][1] is not None and before_src[p][1] != after_src[p][1]
    ]
    return diff


# --- pages ------------------------------------------------------------------------------

_PAGES = {
    "base.html": """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · briefgen</title>
<link rel="stylesheet" href="/_briefgen/serve.css">
</head>
<body class="bg-page">
<header class="bg-top"><nav class="bg-bar" aria-label="briefgen serve"><a href="/">Latest brief</a> <a href="/editions/">All editions</a></nav>
{% if error %}<div class="bg-banner" role="alert"><strong>The last build failed:</strong> <code>{{ error }}</code></div>{% endif %}</header>
<main class="bg-main">
<h1>{{ title }}</h1>
{% block main %}{% endblock %}
</main>
{% if token %}<script src="/_briefgen/reload.js" data-token="{{ token }}"></script>{% endif %}
</body>
</html>
""",
    "editions.html": """{% extends "base.html" %}{% block main %}
{% if rows %}
<p>{{ rows | length }} edition{{ "" if rows | length == 1 else "s" }} kept, newest first. Each line says what changed from the edition before it.</p>
<div class="bg-scroll">
<table class="bg-editions">
<thead><tr><th scope="col">Edition</th><th scope="col">Published</th><th scope="col">Sources</th><th scope="col">Changes</th></tr></thead>
<tbody>
{% for r in rows %}
<tr><th scope="row"><a href="{{ r.url }}">{{ r.number }}</a></th><td>{{ r.date }}</td><td>{{ r.sources }} source{{ "" if r.sources == 1 else "s" }}</td><td>{% if r.changes_url %}<a href="{{ r.changes_url }}">{{ r.summary }}</a>{% else %}{{ r.summary }}{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
{% else %}
<p>No edition is kept yet{% if building %}: the first build is under way, and this page updates itself{% endif %}.</p>
{% endif %}
{% endblock %}""",
    "edition.html": """{% extends "base.html" %}{% block main %}
<p class="bg-meta">Published {{ e.date() }} · {{ e.sources() | length }} source{{ "" if e.sources() | length == 1 else "s" }}</p>
<ul class="bg-links">
{% if html %}<li><a href="{{ e.url }}{{ html }}">Read this edition</a></li>{% endif %}
{% if e.number > 1 %}<li><a href="{{ e.url }}changes">What changed since edition {{ e.number - 1 }}</a></li>{% endif %}
</ul>
<h2>Downloads</h2>
{% if downloads %}
<ul class="bg-downloads">
{% for d in downloads %}<li><a href="{{ e.url }}{{ d.name }}" download="{{ d.download }}">{{ d.label }}</a> <span class="bg-meta">{{ d.name }}, {{ d.size }}</span></li>
{% endfor %}
</ul>
{% else %}<p>This edition has no files to download.</p>{% endif %}
{% if e.sources() %}
<h2>Sources</h2>
<ol class="bg-sources">
{% for s in e.sources() %}<li>{{ s.title or s.path }}{% if s.title %} <span class="bg-meta">{{ s.path }}</span>{% endif %}</li>
{% endfor %}
</ol>
{% endif %}
{% endblock %}""",
    "changes.html": """{% extends "base.html" %}{% block main %}
{% if not previous %}
<p>{% if number == 1 %}This is the first edition: there is nothing before it to compare it with.{% else %}Edition {{ number - 1 }} is not kept, so there is nothing to compare edition {{ number }} with.{% endif %}</p>
{% elif diff is none %}
<p>The brief.json of edition {{ number }} or {{ number - 1 }} is missing or cannot be read, so the two cannot be compared.</p>
{% else %}
<p class="bg-summary">{{ diff.summary() }}.</p>
{% for title, items, empty in sections %}
<section class="bg-changes" aria-labelledby="s{{ loop.index }}">
<h2 id="s{{ loop.index }}">{{ title }} <span class="bg-count">({{ items | length }})</span></h2>
{% if items %}<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>{% else %}<p class="bg-meta">{{ empty }}</p>{% endif %}
</section>
{% endfor %}
{% endif %}
<p><a href="/editions/{{ number }}/">Edition {{ number }}</a>{% if previous %} · <a href="/editions/{{ number - 1 }}/">edition {{ number - 1 }}</a>{% endif %}</p>
{% endblock %}""",
    "waiting.html": """{% extends "base.html" %}{% block main %}
<p>{% if error %}No edition has been published yet. Fix the problem above and save: the page updates itself.{% else %}The first edition is being built; this page shows it as soon as it is published.{% endif %}</p>
{% endblock %}""",
}

_CSS = """
.bg-page { margin: 0; font: 16px/1.5 -apple-system, "Segoe UI", Roboto, Arial, "DejaVu Sans", sans-serif; color: #1b1f24; background: #fff; }
.bg-bar { background: #1d4e7a; padding: 0.4em 1em; font: 14px/1.5 -apple-system, "Segoe UI", Roboto, Arial, "DejaVu Sans", sans-serif; }
.bg-bar a, .bg-bar span { color: #fff; margin-right: 1.2em; display: inline-block; }
.bg-banner { background: #fdecea; color: #5f1a12; border-left: 5px solid #a8321e; padding: 0.6em 1em; font: 15px/1.45 -apple-system, "Segoe UI", Roboto, Arial, "DejaVu Sans", sans-serif; overflow-wrap: anywhere; }
.bg-banner code { white-space: pre-wrap; }
.bg-main { max-width: 56em; margin: 0 auto; padding: 0.5em 1em 3em; overflow-wrap: break-word; }
.bg-main h1 { font-size: 1.6em; line-height: 1.25; }
.bg-main a { color: #1d4e7a; }
.bg-meta { color: #5a6472; font-size: 0.9em; }
.bg-scroll { overflow-x: auto; }
.bg-editions { border-collapse: collapse; width: 100%; }
.bg-editions th, .bg-editions td { text-align: left; vertical-align: top; padding: 0.45em 0.6em; border-bottom: 1px solid #d8dde4; }
.bg-editions thead th { font-size: 0.85em; color: #5a6472; }
.bg-editions td:nth-child(2), .bg-editions td:nth-child(3) { white-space: nowrap; }
.bg-downloads li, .bg-links li { margin: 0.3em 0; }
.bg-changes li { margin: 0.35em 0; }
.bg-count { color: #5a6472; font-weight: normal; }
.bg-main h2 { font-size: 1.15em; margin: 1.4em 0 0.3em; }
.bg-changes ul { margin: 0.3em 0 0.6em; padding-left: 1.3em; }
.bg-changes p { margin: 0.2em 0; }
@media (max-width: 600px) {
  .bg-editions thead { position: absolute; left: -9999px; }
  .bg-editions tr { display: block; border-bottom: 1px solid #d8dde4; padding: 0.4em 0; }
  .bg-editions th, .bg-editions td { display: inline; border: none; padding: 0 0.5em 0 0; }
  .bg-editions td:last-child { display: block; }
}
"""

_RELOAD_JS = """(function () {
  "use strict";
  var me = document.currentScript;
  var token = me ? me.getAttribute("data-token") : null;
  function poll() {
    fetch("/_briefgen/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (token !== null && s.token !== token) { window.location.reload(); return; }
        window.setTimeout(poll, POLL_MS);
      }, function () { window.setTimeout(poll, RETRY_MS); });
  }
  window.setTimeout(poll, POLL_MS);
})();
""".replace("POLL_MS", str(POLL_MS)).replace("RETRY_MS", str(2 * POLL_MS))

_pages_env: Any = None


def _page(name: str, **context: Any) -> bytes:
    global _pages_env
    if _pages_env is None:
        import jinja2

        _pages_env = jinja2.Environment(
            loader=jinja2.DictLoader(_PAGES), autoescape=True, undefined=jinja2.StrictUndefined
        )
    context.setdefault("error", None)
    context.setdefault("token", None)
    return _pages_env.get_template(name).render(**context).encode("utf-8")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n / 1024 / 1024:.1f} MB"


# --- the HTTP server ----------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    file: IO[bytes] | None = None  # streamed instead of body
    length: int | None = None


def _text(status: int, message: str) -> Response:
    return Response(status, (message + "\n").encode())


class Site:
    """The routes: every response is made here, from the output folder and the state."""

    def __init__(self, state: ServeState) -> None:
        self.state = state
        self.out_dir = state.out_dir

    # -- the latest edition

    def live_files(self) -> list[str]:
        manifest = editions.load_manifest(self.out_dir)
        return [n for n in manifest.files if _NAME_RE.match(n)] if manifest else []

    def live_number(self) -> int | None:
        manifest = editions.load_manifest(self.out_dir)
        return manifest.edition if manifest else None

    def latest(self) -> Response:
        token, error = self.state.token(), self.state.error
        html_name = next((n for n in self.live_files() if n.endswith(".html")), None)
        raw = read_inside(self.out_dir, self.out_dir / html_name) if html_name else None
        if raw is None:
            title = "Waiting for the first edition" if not error else "No edition yet"
            return Response(200, _page("waiting.html", title=title, error=error, token=token),
                            "text/html; charset=utf-8")  # fmt: skip
        return Response(200, self._inject(raw, error, token), "text/html; charset=utf-8")

    def _inject(self, raw: bytes, error: str | None, token: str) -> bytes:
        """The brief's HTML with the serve bar, the error banner and the reload script."""
        from markupsafe import escape

        number = self.live_number()
        links = [f'<span>Edition {number}, live</span>' if number else "<span>Live</span>",
                 '<a href="/editions/">All editions</a>']  # fmt: skip
        if number and edition(self.out_dir, number, data=False):
            links.append(f'<a href="/editions/{number}/">Downloads</a>')
            if number > 1:
                links.append(f'<a href="/editions/{number}/changes">Changes since edition '
                             f"{number - 1}</a>")  # fmt: skip
        top = f'<header class="bg-top"><nav class="bg-bar" aria-label="briefgen serve">{" ".join(links)}</nav>'
        if error:
            top += (
                '<div class="bg-banner" role="alert"><strong>The last build failed; showing '
                f"the last good edition:</strong> <code>{escape(error)}</code></div>"
            )
        top += "</header>"
        head = '<link rel="stylesheet" href="/_briefgen/serve.css">'
        tail = f'<script src="/_briefgen/reload.js" data-token="{escape(token)}"></script>'
        text = raw.decode("utf-8", "replace")
        text, n = re.subn(r"</head\s*>", lambda m: head + m.group(0), text, count=1, flags=re.I)
        if not n:
            text = head + text
        text, n = re.subn(r"<body\b[^>]*>", lambda m: m.group(0) + top, text, count=1, flags=re.I)
        if not n:
            text = top + text
        text, n = re.subn(r"</body\s*>", lambda m: tail + m.group(0), text, count=1, flags=re.I)
        if not n:
            text += tail
        return text.encode("utf-8")

    def status(self) -> Response:
        body = {"token": self.state.token(), "edition": self.live_number(),
                "error": self.state.error, "builds": self.state.builds}  # fmt: skip
        return Response(200, json.dumps(body).encode(), "application/json")

    # -- editions

    def editions_list(self) -> Response:
        kept = list_editions(self.out_dir)
        by_number = {e.number: e for e in kept}
        rows = []
        for e in reversed(kept):
            before = by_number.get(e.number - 1)
            if e.number == 1:
                summary, url = "first edition", None
            elif before is None:
                summary, url = f"edition {e.number - 1} is not kept", None
            elif e.data is None or before.data is None:
                summary, url = "cannot be compared (no readable brief.json)", None
            else:
                summary = diff_editions(before.data, e.data).summary()
                url = f"/editions/{e.number}/changes"
            rows.append({"number": e.number, "url": e.url, "date": e.date(),
                         "sources": len(e.sources()), "summary": summary, "changes_url": url})  # fmt: skip
        body = _page("editions.html", title="Editions", rows=rows, error=self.state.error,
                     token=self.state.token(), building=self.state.builds == 0)  # fmt: skip
        return Response(200, body, "text/html; charset=utf-8")

    def edition_page(self, number: int) -> Response:
        e = edition(self.out_dir, number)
        if e is None:
            return _text(404, f"edition {number} is not kept")
        downloads = []
        for name in e.files:
            suffix = Path(name).suffix.lower()
            if suffix in _FORMAT_LABELS and suffix != ".html":
                with contextlib.suppress(OSError):
                    size = _size((e.folder / name).stat().st_size)
                    downloads.append({"name": name, "label": _FORMAT_LABELS[suffix], "size": size,
                                      "download": f"{Path(name).stem}-{number:04d}{suffix}"})  # fmt: skip
        html = next((n for n in e.files if n.endswith(".html")), None)
        body = _page("edition.html", title=f"Edition {number}", e=e, html=html,
                     downloads=downloads)  # fmt: skip
        return Response(200, body, "text/html; charset=utf-8")

    def changes_page(self, number: int) -> Response:
        e = edition(self.out_dir, number)
        if e is None:
            return _text(404, f"edition {number} is not kept")
        previous = edition(self.out_dir, number - 1) if number > 1 else None
        diff = None
        if previous is not None and previous.data is not None and e.data is not None:
            diff = diff_editions(previous.data, e.data)
        sections: list[tuple[str, list[str], str]] = []
        if diff is not None:
            quotes = lambda qs: [f"“{t}” — {s}" if s else f"“{t}”" for t, s in qs]  # noqa: E731
            sections = [
                ("Facts added", diff.facts_added, "No fact added."),
                ("Facts dropped", diff.facts_dropped, "No fact dropped."),
                ("Quotes added", quotes(diff.quotes_added), "No quote added."),
                ("Quotes dropped", quotes(diff.quotes_dropped), "No quote dropped."),
                ("Sources added", diff.sources_added, "No source added."),
                ("Sources removed", diff.sources_removed, "No source removed."),
                ("Sources updated", diff.sources_updated, "No source updated."),
                ("Discrepancies that appeared", diff.discrepancies_appeared,
                 "No new discrepancy."),
                ("Discrepancies resolved", diff.discrepancies_resolved,
                 "No discrepancy resolved."),
            ]  # fmt: skip
        title = f"Changes in edition {number}" + (
            f" since edition {number - 1}" if number > 1 else ""
        )
        body = _page("changes.html", title=title, number=number, previous=previous, diff=diff,
                     sections=sections)  # fmt: skip
        return Response(200, body, "text/html; charset=utf-8")

    # -- files

    def file(self, path: Path, name: str, *, attachment: str | None) -> Response:
        opened = open_inside(self.out_dir, path)
        if opened is None:
            return _text(404, "not found")
        suffix = Path(name).suffix.lower()
        headers = {}
        if attachment:
            headers["Content-Disposition"] = f'attachment; filename="{attachment}"'
        return Response(
            200,
            content_type=_DOWNLOAD_TYPES.get(suffix, "application/octet-stream"),
            headers=headers,
            file=opened[0],  # streamed, then closed, by the handler
            length=opened[1],
        )

    # -- routing

    def route(self, raw_path: str) -> Response:
        path = urlsplit(raw_path).path
        decoded = unquote(path, errors="replace")
        if not decoded.startswith("/") or "\x00" in decoded or "\\" in decoded:
            return _text(400, "bad path")
        parts = decoded[1:].split("/")
        if any(p in (".", "..") for p in parts) or "" in parts[:-1]:
            return _text(404, "not found")
        if parts == [""]:
            return self.latest()
        if parts[0] == "_briefgen" and len(parts) == 2:
            if parts[1] == "status":
                return self.status()
            if parts[1] == "reload.js":
                return Response(200, _RELOAD_JS.encode(), "text/javascript; charset=utf-8")
            if parts[1] == "serve.css":
                return Response(200, _CSS.encode(), "text/css; charset=utf-8")
            return _text(404, "not found")
        if parts[0] == editions.EDITIONS_DIR:
            return self._editions_route(parts[1:])
        if len(parts) == 1 and parts[0] in self.live_files():
            name = parts[0]
            attachment = None if name.endswith(".html") else name
            return self.file(self.out_dir / name, name, attachment=attachment)
        return _text(404, "not found")

    def _editions_route(self, parts: list[str]) -> Response:
        if not parts:
            return Response(301, headers={"Location": "/editions/"})
        if parts == [""]:
            return self.editions_list()
        if not _NUMBER_RE.match(parts[0]):
            return _text(404, "not found")
        number = int(parts[0])
        if len(parts) == 1:
            return Response(301, headers={"Location": f"/editions/{number}/"})
        rest = parts[1:]
        if rest == [""]:
            return self.edition_page(number)
        if rest == ["changes"]:
            return self.changes_page(number)
        if len(rest) == 1 and _NAME_RE.match(rest[0]):
            e = edition(self.out_dir, number, data=False)
            if e is None or rest[0] not in e.files:
                return _text(404, "not found")
            name = rest[0]
            attachment = (
                None
                if name.endswith(".html")
                else f"{Path(name).stem}-{number:04d}{Path(name).suffix}"
            )
            return self.file(e.folder / name, name, attachment=attachment)
        return _text(404, "not found")


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD through ``Site.route``; every other method is refused (405)."""

    server: BriefServer
    server_version = "briefgen"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head=True)

    def _refuse(self) -> None:
        self._send(Response(405, b"read-only: only GET and HEAD\n",
                            headers={"Allow": ALLOWED_METHODS}), head=False)  # fmt: skip

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse

    def _answer(self, *, head: bool) -> None:
        if not self.server.host_allowed(self.headers.get("Host")):
            self._send(_text(403, "unknown Host header"), head=head)
            return
        try:
            response = self.server.site.route(self.path)
        except Exception:  # a bug answers 500 and is logged; the server goes on
            log.exception("serving %s failed", self.path)
            response = _text(500, "internal error (see the log)")
        self._send(response, head=head)

    def _send(self, response: Response, *, head: bool) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            length = response.length if response.file is not None else len(response.body)
            self.send_header("Content-Length", str(length))
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cache-Control", "no-store")
            for key, value in response.headers.items():
                self.send_header(key, value)
            self.end_headers()
            if head:
                return
            if response.file is not None:
                while chunk := response.file.read(1 << 16):
                    self.wfile.write(chunk)
            else:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away
        finally:
            if response.file is not None:
                response.file.close()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("%s %s", self.address_string(), format % args)


class BriefServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: Site, *, check_host: bool) -> None:
        self.site = site
        self.check_host = check_host
        super().__init__(address, Handler)

    def host_allowed(self, host: str | None) -> bool:
        if not self.check_host:
            return True
        if not host:
            return False
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return _loopback(name)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/"


def make_server(state: ServeState, host: str, port: int) -> BriefServer:
    """A server for ``state``'s output folder on ``host``:``port`` (0: a free port)."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    server_class = type("BriefServer", (BriefServer,), {"address_family": family})
    try:
        return server_class((host.strip("[]"), port), Site(state), check_host=_loopback(host))
    except OSError as exc:
        raise ServeError(
            f"cannot listen on {host} port {port}: {exc.strerror or exc}",
            hint="choose another --port, or --port 0 for a free one",
        ) from exc


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (only this machine can reach it)."""
    return _loopback(host)


def serve(
    roots: Iterable[Path],
    build: Callable[..., object],
    out_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    stop: threading.Event | None = None,
    debounce_ms: int = 800,
    on_listening: Callable[[str], None] | None = None,
) -> int:
    """Serve ``out_dir`` while building it once and again after every change under
    ``roots``; return the builds run once ``stop`` is set (Ctrl-C)."""
    from briefgen.watch import watch

    state = ServeState(out_dir)
    server = make_server(state, host, port)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="briefgen-serve",
        daemon=True,
    )  # fmt: skip
    thread.start()
    try:
        if on_listening:
            on_listening(server.url)
        return watch(roots, tracking(build, state), out_dir=out_dir, stop=stop,
                     debounce_ms=debounce_ms)  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
