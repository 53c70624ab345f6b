"""Text clean-up shared by renderers: control characters, long tokens, Markdown escapes."""

from __future__ import annotations

import re

# C0 controls (but tab, newline, carriage return), DEL, C1 controls and the two
# non-characters are invalid in XML 1.0 (DOCX) and meaningless in HTML. Bidi
# embeddings, overrides and isolates (U+202A-202E, U+2066-2069) are dropped too: an
# unclosed override in article text would reverse the brief's own text after it.
# Lone surrogates (a JSON export may carry "\\ud800") cannot be encoded as UTF-8 at all.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)

# Tokens longer than this get break opportunities (a 40,000-character token otherwise
# runs off the page, and `overflow-wrap: anywhere` makes WeasyPrint take ~30 s).
LONG_TOKEN = 60
_CHUNK = 20
ZWSP = "\u200b"
_LONG_TOKEN_RE = re.compile(rf"\S{{{LONG_TOKEN + 1},}}")

# Characters CommonMark/GFM treat as markup inside a line; a backslash makes each literal.
# Parentheses and `!` need no escape once `[` and `]` are escaped (no link can form).
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#~&])")
# Line starts that open a block (list item, heading, quote, thematic break).
_MD_BULLET_START = re.compile(r"^([-+=])")
_MD_ORDERED_START = re.compile(r"^(\d+)\.")


# Tokens longer than this (base64 blobs, tracking URLs, runs of one character) are
# shown shortened: their head, an ellipsis and their tail. Kept whole they fill pages
# in the PDF and DOCX. The JSON output keeps the full text.
ELIDE_TOKEN = 200
_ELIDE_HEAD, _ELIDE_TAIL = 80, 20
ELLIPSIS = "\u2026"
_ELIDE_RE = re.compile(rf"\S{{{ELIDE_TOKEN + 1},}}")


def _elide_token(match: re.Match[str]) -> str:
    token = match.group(0)
    return f"{token[:_ELIDE_HEAD]}{ELLIPSIS}{token[-_ELIDE_TAIL:]}"


def elide_long_tokens(text: str) -> str:
    """Shorten tokens over ELIDE_TOKEN characters to head + ellipsis + tail."""
    return _ELIDE_RE.sub(_elide_token, text)


def strip_control(text: str) -> str:
    """Remove characters that are invalid in XML and invisible in print."""
    return _CONTROL.sub("", text)


def _break_token(match: re.Match[str]) -> str:
    token = match.group(0)
    return ZWSP.join(token[i : i + _CHUNK] for i in range(0, len(token), _CHUNK))


def break_long_tokens(text: str) -> str:
    """Insert zero-width spaces into tokens longer than LONG_TOKEN so layout can wrap them."""
    return _LONG_TOKEN_RE.sub(_break_token, text)


def one_line(text: str) -> str:
    """Collapse runs of whitespace (including newlines) to one space."""
    return " ".join(text.split())


def markdown_escape(text: object) -> str:
    """Escape article text so it renders literally in Markdown (no emphasis, links, HTML)."""
    if text is None:
        return ""
    escaped = _MD_INLINE.sub(r"\\\1", one_line(str(text)))
    escaped = _MD_BULLET_START.sub(r"\\\1", escaped)
    return _MD_ORDERED_START.sub(r"\1\\.", escaped)


def markdown_url(url: str) -> str:
    """Make a URL safe inside Markdown's ``<...>`` link destination."""
    return one_line(url).replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
