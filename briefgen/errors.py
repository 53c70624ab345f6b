"""The error tree. Each error carries a stable code, the file it concerns and a hint;
``cli.py`` is the only place that turns them into a one-line message and an exit code."""

from __future__ import annotations


class BriefgenError(Exception):
    """Base of every error briefgen reports to a user."""

    code = "BG000"
    exit_code = 1

    def __init__(self, reason: str, *, path: str | None = None, hint: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.hint = hint

    def one_line(self) -> str:
        where = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"error[{self.code}] {where}{self.reason}{hint}"


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
    """One article cannot be read; it is skipped with a warning, the brief is still built."""

    code = "BG-ARTICLE"


class RenderError(BriefgenError):
    """A renderer failed on otherwise valid input."""

    code = "BG-RENDER"
    exit_code = 70  # EX_SOFTWARE


# Exit code when the brief was published but some articles were skipped.
EXIT_PARTIAL = 3
