"""Readers: every input format to Sources, one reader per format.

* ``.txt`` / ``.md``: plain text (see ingest.read_article); offsets index the file.
* ``.html`` / ``.htm``: a page saved from a browser; trafilatura extracts the
  article's main text (navigation, ads and comments left out) and metadata, and
  JSON-LD, meta tags and ``<link rel=canonical>`` fill in what it misses.
* ``.xml`` / ``.rss`` / ``.atom``: an RSS or Atom feed (feedparser); one Source per entry.
* ``.json`` / ``.jsonl``: exports from feed readers and monitoring tools, one article
  per object with ``title``, ``text`` or ``content``, ``url``, ``published``, ``outlet``.

For every format but plain text, a Source's ``text`` is the extracted article text
(``extracted=True``): offsets index that text, which the JSON output carries.
One file may hold many articles; their paths are ``FILE#1``, ``FILE#2``, ...
Heavy libraries are imported only when a file of their format is read.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlparse

from briefgen.errors import ArticleError
from briefgen.models import Source
from briefgen.stages import metadata
from briefgen.stages.clean import normalise
from briefgen.stages.ingest import checked_date, decode, read_article, source_id

# A reader: (file bytes, relative path, warnings) -> the file's articles. Warnings are
# problems that do not cost the article (a date that is no date), as ArticleErrors.
Reader = Callable[[bytes, str, list[ArticleError]], list[Source]]
MIN_ARTICLE_WORDS = 10


def read_file(raw: bytes, rel: str, warnings: list[ArticleError] | None = None) -> list[Source]:
    """Every article in one file, by the reader its suffix names.

    Input so deeply nested or so large that Python runs out of stack or memory on it
    (JSON nested 1,000 deep) is an ArticleError for this file, like any other bad input.
    """
    suffix = rel.rsplit(".", 1)[-1].lower() if "." in rel else ""
    reader = READERS.get(f".{suffix}")
    if reader is None:
        raise ArticleError(f"no reader for '.{suffix}' files", path=rel)
    try:
        return reader(raw, rel, warnings if warnings is not None else [])
    except (RecursionError, MemoryError) as exc:
        raise too_complex(exc, rel) from None


def too_complex(exc: RecursionError | MemoryError, rel: str) -> ArticleError:
    """The ArticleError for a file that exhausted the stack (nesting) or memory."""
    if isinstance(exc, RecursionError):
        return ArticleError(
            "nested too deeply to read (JSON, markup or lists inside one another); skipped",
            path=rel, code="BG-NESTING", hint="flatten it, or leave it out",
        )  # fmt: skip
    return ArticleError(
        "ran out of memory reading it; skipped", path=rel, code="BG-MEMORY",
        hint="split it into smaller files",
    )  # fmt: skip


def _read_text(raw: bytes, rel: str, warnings: list[ArticleError]) -> list[Source]:
    return [_retitle_text(read_article(raw, rel, warnings))]


def _retitle_text(source: Source, attempts: int = 3) -> Source:
    """Skip a first line that is plainly not a headline ("Share this article"): the
    next line that looks like one is the real headline, and the junk line is left for
    the cleaner to drop as debris. A front-matter title is the editor's and is kept."""
    for _ in range(attempts):
        span = source.title_span
        if not source.title or span is None or not is_junk_title(source.title, [source.outlet]):
            return source
        if source.text[span[0] : span[1]] != source.title:
            return source  # the title came from front matter, not from this line
        untitled = replace(source, title=None, title_span=None, title_why=None)
        source = metadata.read_headline(untitled, _line_end(source.text, span[1]))
    return source


def _line_end(text: str, offset: int) -> int:
    """The offset just past the line break after ``offset`` (the text's end if none)."""
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


# --- HTML pages -----------------------------------------------------------------------

_SAVED_FROM_RE = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)


def _read_html(raw: bytes, rel: str, warnings: list[ArticleError]) -> list[Source]:
    page = decode(raw, rel)
    import trafilatura

    doc = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True,
    )  # fmt: skip
    assert not isinstance(doc, dict)  # a dict only when as_dict=True is asked for
    # A few words (a menu item, a cookie notice) are not an article.
    if doc is None or len((doc.text or "").split()) < MIN_ARTICLE_WORDS:
        raise ArticleError("no article text found in the page", path=rel)
    meta = _page_metadata(page)
    base = meta.get("url") or _saved_from(page)
    url = _absolute(meta.get("canonical"), base) or _absolute(doc.url, base) or base
    title = pick_title(
        [meta.get("title"), doc.title],
        first_line=_first_line(doc.text),
        descriptions=[meta.get("description"), doc.description],
        site_names=[meta.get("outlet"), doc.sitename, _host(url)],
    )
    body = _drop_leading_title(doc.text or "", title)  # has words: checked above
    # The page's own date first. One that is no date (30 February) is warned about and
    # leaves the page undated: trafilatura makes 1 February of it.
    given = meta.get("published")
    if given and metadata.impossible_date(given) and not metadata.parse_date(given):
        published = checked_date(given, rel, warnings)
    else:
        published = metadata.parse_date(given or "") or metadata.parse_date(doc.date or "")
    source = Source(
        id=source_id(raw),
        path=rel,
        text=body,
        title=_clean_line(title),
        outlet=_clean_line(meta.get("outlet") or doc.sitename or _host(url)),
        url=url if _is_web_url(url) else None,
        published=published,
        author=_clean_line(meta.get("author") or doc.author),
        extracted=True,
    )
    return [source]


def _drop_leading_title(text: str, title: str | None) -> str:
    lines = text.strip().splitlines()
    if title and lines and normalise(lines[0]) == normalise(title):
        lines = lines[1:]
    return "\n\n".join(line.strip() for line in lines if line.strip()) + "\n"


class _HeadParser(HTMLParser):
    """Meta tags, canonical link, <title> and JSON-LD blocks of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.title = ""
        self.jsonld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = a.get("href") or None
        elif tag == "title":
            self._in = "title"
        elif tag == "script" and a.get("type", "").lower() == "application/ld+json":
            self._in = "jsonld"
            self.jsonld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "script"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "jsonld":
            self.jsonld[-1] += data


def _page_metadata(page: str) -> dict[str, str]:
    """Metadata from JSON-LD first, then Open Graph and article meta tags."""
    parser = _HeadParser()
    # A broken head must not lose the article body: take what parsed.
    with contextlib.suppress(Exception):
        parser.feed(page)
    found: dict[str, str] = {}
    for block in parser.jsonld:
        for item in _jsonld_items(block):
            if not isinstance(item, dict) or not _is_article(item):
                continue
            found.setdefault("title", _text(item.get("headline") or item.get("name")))
            found.setdefault("published", _text(item.get("datePublished")))
            found.setdefault("author", _names(item.get("author")))
            found.setdefault("outlet", _names(item.get("publisher")))
            found.setdefault("url", _text(item.get("url") or item.get("mainEntityOfPage")))
    m = parser.meta
    fallbacks = {
        "title": m.get("og:title") or m.get("twitter:title"),
        "published": m.get("article:published_time") or m.get("date") or m.get("dc.date"),
        "author": m.get("author") or m.get("article:author"),
        "outlet": m.get("og:site_name") or m.get("application-name"),
        "description": m.get("og:description") or m.get("description"),
        "url": m.get("og:url"),
        "canonical": parser.canonical,
    }
    for key, value in fallbacks.items():
        if value and not found.get(key):
            found[key] = value
    return {k: html.unescape(v).strip() for k, v in found.items() if v}


def _jsonld_items(block: str) -> list[Any]:
    try:
        data = json.loads(block)
    except ValueError:
        return []
    items = data if isinstance(data, list) else [data]
    out: list[Any] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("@graph"), list):
            out.extend(item["@graph"])
        else:
            out.append(item)
    return out


def _is_article(item: dict[str, Any]) -> bool:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and ("Article" in k or k == "Report") for k in kinds)


def _names(value: Any) -> str:
    """'A', {'name': 'A'} or a list of them -> 'A, B' (several authors kept)."""
    values = value if isinstance(value, list) else [value]
    names = []
    for v in values:
        name = v.get("name") if isinstance(v, dict) else v
        if isinstance(name, str) and name.strip() and name.strip() not in names:
            names.append(name.strip())
    return ", ".join(names)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url") or ""
    return value.strip() if isinstance(value, str) else ""


def _saved_from(page: str) -> str | None:
    match = _SAVED_FROM_RE.search(page[:2000])
    return match.group(1) if match else None


def _absolute(url: str | None, base: str | None) -> str | None:
    """A URL made absolute against ``base``; None when it cannot be."""
    if not url:
        return None
    if _is_web_url(url):
        return url
    if base and _is_web_url(base):
        return urljoin(base, url)
    return None


def _is_web_url(url: str | None) -> bool:
    return bool(url) and urlparse(url).scheme in ("http", "https") and bool(urlparse(url).netloc)


def _host(url: str | None) -> str | None:
    return urlparse(url).hostname if url and _is_web_url(url) else None


# --- feeds ----------------------------------------------------------------------------


def _read_feed(raw: bytes, rel: str, warnings: list[ArticleError]) -> list[Source]:
    import feedparser

    # feedparser would fetch a URL given as a string: hand it bytes only.
    feed = feedparser.parse(raw, sanitize_html=True, resolve_relative_uris=True)
    if not feed.entries:
        reason = str(feed.get("bozo_exception") or "no entries")
        raise ArticleError(f"not a readable RSS or Atom feed: {reason}", path=rel)
    feed_title = _clean_line(feed.feed.get("title"))
    base = feed.feed.get("link")
    file_hash = hashlib.sha256(raw)
    sources = []
    for i, entry in enumerate(feed.entries, start=1):
        content = entry.get("content") or []
        markup = content[0].get("value") if content else entry.get("summary", "")
        text = html_to_text(markup or "")
        if not text.strip():
            continue
        # An aggregator's feed carries other outlets' stories: <source> names the outlet.
        outlet = _entry_outlet(entry) or feed_title
        title = pick_title(
            [entry.get("title")],
            first_line=_first_line(text),
            descriptions=[html_to_text(entry.get("summary") or "")],
            site_names=[outlet, feed_title],
        )
        sources.append(
            _entry_source(
                file_hash, rel, i, text, warnings,
                title=title,
                outlet=outlet,
                url=_absolute(entry.get("link"), base),
                published=entry.get("published") or entry.get("updated"),
                parsed=entry.get("published_parsed") or entry.get("updated_parsed"),
                author=_feed_authors(entry),
            )
        )  # fmt: skip
    if not sources:
        raise ArticleError("the feed's entries have no text", path=rel)
    return sources


def _entry_outlet(entry: Any) -> str | None:
    """The outlet an RSS ``<source>`` or Atom ``<source><title>`` names (or its host)."""
    origin = entry.get("source")
    if not isinstance(origin, dict):
        return None
    return _clean_line(origin.get("title")) or _host(origin.get("href") or origin.get("url"))


def _feed_authors(entry: Any) -> str | None:
    """Atom's <author><name> elements, or RSS's "email (Name)" author string."""
    raw = entry.get("author") or ""
    in_parens = re.fullmatch(r"\s*\S+@\S+\s*\(([^()]+)\)\s*", raw)
    if in_parens:  # feedparser splits this form badly; the name is what is in brackets
        return in_parens.group(1).strip()
    authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    return ", ".join(dict.fromkeys(authors)) or raw or None


# --- JSON / JSON Lines exports --------------------------------------------------------

_JSON_TEXT_KEYS = ("text", "content", "body", "article")


def _read_json(raw: bytes, rel: str, warnings: list[ArticleError]) -> list[Source]:
    text = decode(raw, rel)
    records: object  # JSON of any shape until checked below
    if rel.lower().endswith(".jsonl"):
        records = [
            _loads(line, rel, f" (line {number})")
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]
    else:
        data = _loads(text, rel)
        records = (
            data.get("articles", data.get("items", [data])) if isinstance(data, dict) else data
        )
    file_hash = hashlib.sha256(raw)
    if not isinstance(records, list):
        raise ArticleError("expected an article object, a list of them, or JSON Lines", path=rel)
    sources = []
    for i, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            continue
        body = next((record[k] for k in _JSON_TEXT_KEYS if isinstance(record.get(k), str)), "")
        if "<" in body and ">" in body:
            body = html_to_text(body)
        if not body.strip():
            continue
        outlet = _first_str(record, ("outlet", "source", "site"))
        title = pick_title(
            [_first_str(record, ("title", "headline"))],
            first_line=_first_line(body),
            descriptions=[_first_str(record, ("description", "summary"))],
            site_names=[outlet],
        )
        sources.append(
            _entry_source(
                file_hash, rel, i, body, warnings,
                title=title,
                outlet=outlet,
                url=record.get("url") or record.get("link"),
                published=record.get("published") or record.get("date"),
                author=_names(record.get("author") or record.get("authors")) or None,
            )
        )  # fmt: skip
    if not sources:
        raise ArticleError("no article with text in the export", path=rel)
    return sources


def _loads(text: str, rel: str, where: str = "") -> Any:
    """json.loads, with invalid or hostile JSON an ArticleError naming the file (and line)."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ArticleError(f"not valid JSON{where}: {exc}", path=rel) from None
    except RecursionError:
        raise ArticleError(
            f"JSON nested too deeply to read{where}; skipped", path=rel, code="BG-NESTING",
            hint="an export nests articles a few levels deep, not hundreds",
        ) from None  # fmt: skip


def _first_str(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    return next((record[k] for k in keys if isinstance(record.get(k), str) and record[k]), None)


# --- titles ---------------------------------------------------------------------------
# Pages, feeds and exports often title an article with site furniture: a section
# label, a share prompt, labels run together by a scraper ("Top NewsVideo") or the
# site's own name. Such a title gives way to the article's real headline.

# Words of navigation and section labels; a title made of nothing else is a label.
_LABEL_WORDS = frozenset(
    """home homepage top latest breaking news video videos live world local national
    international politics business economy money markets sport sports opinion opinions
    analysis comment comments culture arts entertainment lifestyle travel science tech
    technology health weather menu search more stories story section sections index page
    watch photos photo pictures gallery galleries updates update headlines main front most
    read popular trending featured picks podcast podcasts audio listen newsletter newsletters
    skip content navigation share related the and of all our your in on""".split()
)
# Prompts addressed to the reader rather than news: share, comment, sign up, read more.
_PROMPT_RE = re.compile(
    r"^\W*(?:share|comment|comments|tweet|e-?mail|print|follow|subscribe|sign (?:up|in)|"
    r"log ?in|register|read (?:more|next|also)|click|tap|swipe|scroll|leave a|join the|"
    r"skip to|back to|jump to|go to|related|advertisement|loading|see (?:more|all))\b",
    re.I,
)
_PROMPT_MAX_WORDS = 8
_RUN_TOGETHER_RE = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])")  # "NewsVideo" -> "News|Video"
_HEADLINE_MAX_WORDS = 22


def is_junk_title(title: str | None, site_names: Sequence[str | None] = ()) -> bool:
    """True when ``title`` is plainly not a headline: one or two words, or furniture."""
    return not title or metadata.word_count(title) <= 2 or _is_furniture(title, site_names)


def _is_furniture(title: str, site_names: Sequence[str | None]) -> bool:
    """A reader prompt, the site's own name, or nothing but navigation labels (labels run
    together by a scraper included): never an article's headline."""
    if _PROMPT_RE.match(title) and metadata.word_count(title) <= _PROMPT_MAX_WORDS:
        return True
    if any(name and normalise(name) == normalise(title) for name in site_names):
        return True
    words = normalise(_RUN_TOGETHER_RE.sub(" ", title)).split()
    site_words = {w for name in site_names if name for w in normalise(name).split()}
    return all(w in _LABEL_WORDS or w in site_words for w in words)


def pick_title(
    titles: Sequence[str | None],
    *,
    first_line: str | None = None,
    descriptions: Sequence[str | None] = (),
    site_names: Sequence[str | None] = (),
) -> str | None:
    """The first given title that is not junk; else the article's first line when it is
    written like a headline (pages repeat their headline there); else a short one-line
    description; else a given short title that is at least not furniture ("Ferries");
    else None (the source list then names the article by its opening words)."""
    given = [t for t in (_clean_line(t) for t in titles) if t]
    for title in given:
        if not is_junk_title(title, site_names):
            return title
    line = _clean_line(first_line)
    if line and metadata.looks_like_headline(line) and not is_junk_title(line, site_names):
        return line
    for description in descriptions:
        if not description or "\n" in description.strip():
            continue  # a multi-paragraph description is the article, not its headline
        cleaned = _clean_line(description)
        if cleaned and _short(cleaned) and not is_junk_title(cleaned, site_names):
            return cleaned
    return next((t for t in given if not _is_furniture(t, site_names)), None)


def _short(line: str) -> bool:
    return 3 <= metadata.word_count(line) <= _HEADLINE_MAX_WORDS


def _first_line(text: str | None) -> str | None:
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), None)


# --- shared helpers -------------------------------------------------------------------


def _entry_source(
    file_hash: Any,
    rel: str,
    index: int,
    text: str,
    warnings: list[ArticleError],
    *,
    title: Any,
    outlet: Any,
    url: Any,
    published: Any,
    author: Any,
    parsed: Any = None,
) -> Source:
    """A Source for article ``index`` of a multi-article file, whose bytes hash to
    ``file_hash`` (a hashlib object: the file is hashed once, not once per entry)."""
    body = "\n\n".join(p.strip() for p in text.strip().splitlines() if p.strip()) + "\n"
    path = f"{rel}#{index}"
    given = published if isinstance(published, str) else ""
    if given and not metadata.parse_date(given) and metadata.impossible_date(given):
        # 30 February: feedparser passes it on, or quietly turns it into 2 March.
        published_iso = checked_date(given, path, warnings)
    else:
        published_iso = _struct_date(parsed) or (
            (metadata.parse_date(given) or _iso_prefix(given)) if given else None
        )
    entry_hash = file_hash.copy()
    entry_hash.update(f"#{index}".encode())  # the id of the bytes followed by "#N"
    return Source(
        id=entry_hash.hexdigest()[:12],
        path=path,
        text=body,
        title=_clean_line(title if isinstance(title, str) else None),
        outlet=_clean_line(outlet if isinstance(outlet, str) else None),
        url=url if isinstance(url, str) and _is_web_url(url) else None,
        published=published_iso,
        author=_clean_line(author if isinstance(author, str) else None),
        extracted=True,
    )


def _struct_date(parsed: Any) -> str | None:
    """feedparser's parsed date (a time tuple, UTC) as ISO, or None if it names no real day."""
    if not parsed:
        return None
    try:
        moment = datetime(*tuple(parsed)[:5])
    except (TypeError, ValueError, OverflowError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M") if moment.year >= 1000 else None


def _iso_prefix(value: str) -> str | None:
    """A leading ISO date (and time) that names a real day, or None."""
    match = re.match(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?", value.strip())
    if not match:
        return None
    try:
        if date.fromisoformat(match.group(0)[:10]).year < 1000:
            return None
    except ValueError:
        return None
    return match.group(0).replace(" ", "T")


class _TextExtractor(HTMLParser):
    """Markup to paragraphs of plain text (feeds carry small HTML fragments)."""

    _BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr", "section"}
    _SKIP = {"script", "style", "noscript", "iframe", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (
        re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.parts).splitlines()
    )
    return "\n".join(line for line in lines if line)


def _clean_line(value: str | None) -> str | None:
    if not value:
        return None
    cleaned = re.sub(r"\s+", " ", html.unescape(value)).strip()
    return cleaned or None


READERS: dict[str, Reader] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".html": _read_html,
    ".htm": _read_html,
    ".xml": _read_feed,
    ".rss": _read_feed,
    ".atom": _read_feed,
    ".json": _read_json,
    ".jsonl": _read_json,
}
