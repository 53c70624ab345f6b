"""The error tree. Each error carries a stable code, the file it concerns and a hint;
``cli.py`` is the only place that turns them into a one-line message and an exit code.

Every message is one line whatever it quotes: file names and reasons are shown with
unprintable characters escaped (``\\n``, ``\\x1b``, ``\\u202e``, ``\\xff`` for a byte
that is not UTF-8), so a hostile file name cannot break the line or reorder it.
"""

from __future__ import annotations

import json
import os


def display_path(name: str | bytes | os.PathLike[str]) -> str:
    """A file name as one printable line, escaped ``repr``-style where needed.

    Names come from the file system as ``str`` with undecodable bytes smuggled in as
    surrogates (PEP 383); they are shown as ``\\xNN``. Control, format (bidi overrides,
    zero-width) and separator characters other than the space are escaped, and a
    backslash is doubled so the escaped form is unambiguous.
    """
    text = os.fsdecode(name) if isinstance(name, bytes) else os.fspath(name)
    return printable(text.replace("\\", "\\\\"))


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with every unprintable character escaped, so it stays on one line."""
    if text.isprintable():
        return text
    return "".join(_escape(char) for char in text)


def printable_json(text: str) -> str:
    """JSON text with every unprintable character written as a ``\\u`` escape: the same
    JSON value, safe on a terminal (``json.dumps(..., ensure_ascii=False)`` leaves DEL,
    C1 controls, bidi overrides and lone surrogates raw). Line breaks between values stay.
    """
    if text.isprintable():
        return text
    return "".join(
        char if char == "\n" or char.isprintable() else json.dumps(char)[1:-1] for char in text
    )


def _escape(char: str) -> str:
    if char == " " or char.isprintable():
        return char
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    point = ord(char)
    if 0xDC80 <= point <= 0xDCFF:  # an undecodable byte (surrogateescape)
        return f"\\x{point - 0xDC00:02x}"
    if point <= 0xFF:
        return f"\\x{point:02x}"
    if point <= 0xFFFF:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


class BriefgenError(Exception):
    """Base of every error briefgen reports to a user."""

    code = "BG000"
    exit_code = 1

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        hint: str | None = None,
        code: str | None = None,
    ):
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.hint = hint
        if code is not None:
            self.code = code  # a more specific code than the class's, e.g. BG-TOOBIG

    def one_line(self) -> str:
        where = f"{display_path(self.path)}: " if self.path else ""
        hint = f" ({printable(self.hint)})" if self.hint else ""
        return f"error[{self.code}] {where}{printable(self.reason)}{hint}"


class ConfigError(BriefgenError):
    """The config file is missing, unreadable or has a wrong key or value."""

    code = "BG-CONFIG"
    exit_code = 78  # EX_CONFIG


class TemplateError(BriefgenError):
    """A template does not parse or uses something that does not exist."""

    code = "BG-TEMPLATE"
    exit_code = 78


class SourceDirError(BriefgenError):
    """The source folder does not exist or is not a folder."""

    code = "BG-NOSOURCE"
    exit_code = 66  # EX_NOINPUT


class NoUsableInputError(BriefgenError):
    """Every article was rejected, so there is nothing to publish."""

    code = "BG-NOINPUT"
    exit_code = 65  # EX_DATAERR


class OutputError(BriefgenError):
    """The output folder or a file in it cannot be written."""

    code = "BG-OUTPUT"
    exit_code = 73  # EX_CANTCREAT


class BusyError(BriefgenError):
    """Another build of the same output folder holds the lock."""

    code = "BG-BUSY"
    exit_code = 75  # EX_TEMPFAIL: try again later


class ArticleError(BriefgenError):
    """One article cannot be read; it is skipped with a warning, the brief is still built.

    ``code`` says why, so scripts can tell the cases apart: BG-EMPTY, BG-ENCODING,
    BG-BINARY, BG-TOOBIG, BG-NOTFILE, BG-OUTSIDE, BG-UNREADABLE, BG-CHANGED,
    BG-DUPLICATE, BG-FILENAME; BG-ARTICLE for anything else a reader rejects.
    """

    code = "BG-ARTICLE"


class RenderError(BriefgenError):
    """A renderer failed on otherwise valid input, or ran past ``[limits] render_seconds``."""

    code = "BG-RENDER"
    exit_code = 70  # EX_SOFTWARE


class InternalError(BriefgenError):
    """An unexpected exception: a bug. One line unless ``--debug``."""

    code = "BG-INTERNAL"
    exit_code = 70  # EX_SOFTWARE


class Interrupted(BriefgenError):
    """SIGINT or SIGTERM stopped the run; the previous edition is left as it was."""

    code = "BG-INTERRUPTED"
    exit_code = 130  # 128 + SIGINT, as shells report Ctrl-C


# Exit code when the brief was published but some articles were skipped.
EXIT_PARTIAL = 3
