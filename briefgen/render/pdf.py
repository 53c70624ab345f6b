"""PDF: the HTML template plus print.css, laid out by WeasyPrint (imported here only).

WeasyPrint's default URL fetcher reads any local file and fetches http(s), so a
template or stray markup could embed /etc/passwd or call the network. SafeFetcher
allows only ``data:`` URLs and files inside the template folders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from briefgen.errors import RenderError, TemplateError
from briefgen.models import Brief
from briefgen.render.html import render_html
from briefgen.render.templates import TemplateSet

PRINT_CSS = "print.css"
# PDF/UA-1 gives a tagged, accessible PDF; WeasyPrint 70 supports it directly.
PDF_VARIANT = "pdf/ua-1"
# `size` values like "A4", "letter", "A5 landscape", "210mm 297mm".
_PAGE_SIZE = re.compile(r"^[A-Za-z0-9. ]{1,40}$")


class FetchRefused(ValueError):
    """A URL outside what a brief may load (network, files outside the templates)."""


class SafeFetcher(URLFetcher):
    """URL fetcher that serves ``data:`` URLs and files under ``roots``, nothing else."""

    def __init__(self, roots: Iterable[Path], **kwargs: object) -> None:
        super().__init__(allowed_protocols=("data", "file"), **kwargs)
        self._roots = tuple(Path(r).resolve() for r in roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._allowed_path(url)
            return URLFetcherResponse(path2url(path), path.read_bytes())
        raise FetchRefused(f"refused to fetch {url!r}: only data: URLs and template files")

    def _allowed_path(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"refused to fetch {url!r}: remote file URL")
        # resolve() follows symlinks and `..`, so a link cannot point out of the folder.
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self._roots):
            raise FetchRefused(f"refused to fetch {url!r}: outside the template folders")
        if not path.is_file():
            raise FetchRefused(f"refused to fetch {url!r}: not a file")
        return path


def _page_size(templates: TemplateSet) -> str:
    size = templates.page_size.strip()
    if not _PAGE_SIZE.match(size):
        raise TemplateError(
            f"invalid page size {templates.page_size!r}",
            path=PRINT_CSS,
            hint='use a CSS page size such as "A4", "letter" or "A4 landscape"',
        )
    return size


def render(brief: Brief, templates: TemplateSet) -> bytes:
    roots = [d for d in templates.dirs if d.is_dir()]
    base_url = path2url(str(roots[0])) if roots else None
    fetcher = SafeFetcher(roots)
    css_text = templates.render_text(PRINT_CSS, {"page_size": _page_size(templates)})
    # Only the cited sources are listed (under their own numbers) with one line on the
    # others, so the layout does not grow with the articles read; HTML and JSON list all.
    html_text = render_html(brief, templates, cited_sources_only=True)
    try:
        document = weasyprint.HTML(string=html_text, base_url=base_url, url_fetcher=fetcher)
        stylesheet = weasyprint.CSS(string=css_text, base_url=base_url, url_fetcher=fetcher)
        # Dates come from <meta name="dcterms.created|modified"> (= generated_at), and
        # WeasyPrint 70 adds no clock time or random ID for PDF/UA-1, so the same brief
        # gives the same bytes without SOURCE_DATE_EPOCH handling here.
        return document.write_pdf(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT)
    except Exception as exc:  # WeasyPrint raises many kinds; report them as one.
        raise RenderError(f"PDF rendering failed: {exc}", hint="run with --debug") from exc
