"""The Jinja environment and template lookup shared by every renderer.

Lookup order: the user's template folder (when given), then the project's built-in
``templates/`` folder. The ``default:`` prefix always resolves to the built-ins, so a
user template can ``{% extends "default:brief.html.j2" %}`` and override one block.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import traceback
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from briefgen.errors import ConfigError, TemplateError
from briefgen.render.escape import markdown_escape, markdown_url, one_line


def _builtin_dir() -> Path:
    """The project's ``templates/``: next to the package in a checkout (or editable
    install), or shipped inside the wheel as ``briefgen/_templates``."""
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if (checkout / "brief.html.j2").is_file():
        return checkout
    return Path(__file__).resolve().parents[1] / "_templates"


BUILTIN_DIR = _builtin_dir()
DEFAULT_PREFIX = "default:"

# Templates whose output is HTML (or XML) get autoescaping; Markdown and CSS do not.
_ESCAPED_SUFFIXES = (".html.j2", ".html", ".htm", ".xml", ".xml.j2")


def _autoescape(name: str | None) -> bool:
    return bool(name) and name.endswith(_ESCAPED_SUFFIXES)  # type: ignore[union-attr]


# --- files: only regular, readable files inside the folder they are looked up in ----------


class TemplateFileError(jinja2.TemplateError):
    """A template file that may not or cannot be loaded (outside, unreadable, ...)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _name_parts(name: str) -> list[str]:
    """The path segments of a template name; absolute names and ``..`` are refused."""
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or "\0" in name or ".." in parts:
        raise TemplateFileError(
            name,
            "template names are relative to the template folders "
            "(no absolute path, no '..'); refused",
        )
    return [part for part in parts if part not in ("", ".")]


def confined_file(folder: Path, name: str) -> Path | None:
    """``folder/name`` when it is a regular file whose real path (symlinks and all)
    stays inside ``folder``; None when there is no such entry; TemplateFileError when it
    points outside or is not a regular file."""
    parts = _name_parts(name)
    if not parts:
        return None
    candidate = Path(folder).joinpath(*parts)
    if not os.path.lexists(candidate):
        return None
    root = Path(folder).resolve()
    real = candidate.resolve()
    if not real.is_relative_to(root):
        raise TemplateFileError(
            str(candidate), f"is a symlink pointing outside the template folder {root}; refused"
        )
    try:
        mode = real.stat().st_mode
    except OSError as exc:  # a broken symlink, a vanished file
        raise TemplateFileError(str(candidate), f"cannot read: {exc.strerror}") from exc
    if not stat.S_ISREG(mode):  # a FIFO would block the build; a folder is no template
        raise TemplateFileError(str(candidate), "not a regular file")
    return real


def read_template_bytes(path: Path, shown: str | None = None) -> bytes:
    """A template file's bytes, or TemplateFileError naming it."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise TemplateFileError(shown or str(path), f"cannot read: {exc.strerror or exc}") from exc


class ConfinedLoader(jinja2.BaseLoader):
    """Loads ``name`` from the first folder holding it, ``default:name`` from the
    built-ins only; never a file whose real path is outside the folder it is in."""

    def __init__(self, folders: tuple[Path, ...], builtin: Path) -> None:
        self.folders = folders
        self.builtin = builtin

    def get_source(self, environment: jinja2.Environment, template: str):
        folders = self.folders
        name = template
        if template.startswith(DEFAULT_PREFIX):
            folders, name = (self.builtin,), template.removeprefix(DEFAULT_PREFIX)
        for folder in folders:
            real = confined_file(folder, name)
            if real is None:
                continue
            shown = str(Path(folder) / name)
            raw = read_template_bytes(real, shown)
            try:
                source = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise TemplateFileError(shown, f"not UTF-8 (byte {exc.start})") from exc
            return source, shown, lambda: True
        raise jinja2.TemplateNotFound(template)


def check_user_folder(folder: Path) -> None:
    """A user template folder must exist, and every file in it must be readable and
    stay inside it (checked before anything reads the folder, e.g. its fingerprint)."""
    if not folder.exists():
        raise ConfigError(
            "template folder does not exist",
            path=str(folder),
            hint="check --templates or the `templates` key of [brief] in the config",
        )
    if not folder.is_dir():
        raise ConfigError(
            "template folder is not a folder",
            path=str(folder),
            hint="--templates and `templates` name a folder of templates",
        )
    root = folder.resolve()
    try:
        entries = sorted(folder.rglob("*"))
    except OSError as exc:
        raise TemplateError(
            f"cannot list the template folder: {exc.strerror}", path=str(folder)
        ) from exc
    for entry in entries:
        if entry.is_symlink() and not entry.resolve().is_relative_to(root):
            raise TemplateError(
                f"is a symlink pointing outside the template folder {root}; refused",
                path=str(entry),
                hint="copy the file into the template folder instead of linking to it",
            )
        if entry.is_file():
            try:
                read_template_bytes(entry)
            except TemplateFileError as exc:
                raise TemplateError(
                    exc.reason, path=exc.path, hint="fix its permissions or remove it"
                ) from exc


# --- the sandbox ----------------------------------------------------------------------------

# Largest string, list or number argument a template may build or pass (a brief's
# text is far smaller); larger ones are a template error, not gigabytes of memory.
MAX_SIZE = 1_000_000
_MAX_POWER_BITS = 4096
# printf widths and str.format widths of 7+ digits, or given by an argument.
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\*|\d{7,}|\d*\.(\*|\d{7,}))|\{[^{}]*:[^{}]*(\d{7,}|\{)")


def _refuse(what: str) -> None:
    raise SecurityError(f"{what} is too large for a template (limit {MAX_SIZE:,})")


def _check_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
            _refuse(f"the argument {value}")


def _check_format(fmt: object) -> None:
    if isinstance(fmt, str) and _WIDE_FORMAT.search(fmt):
        raise SecurityError(
            "format widths of 7 or more digits, or given by an argument, are refused"
        )


def _checked_filter(name: str, func: Any) -> Any:
    """``func`` refusing huge number arguments (``center(10**10)``) and, for ``format``,
    huge widths; compiled templates call filters directly, so they are wrapped."""

    @functools.wraps(func)  # keeps jinja_pass_arg (pass_context and friends)
    def checked(*args: Any, **kwargs: Any) -> Any:
        _check_args(args, kwargs)
        if name == "format":
            for arg in args:
                _check_format(arg)
        return func(*args, **kwargs)

    return checked


def _size(value: object) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple, bytes)) else None


class BriefSandbox(SandboxedEnvironment):
    """Jinja's sandbox (no access to internals such as ``__globals__``; ``range`` capped
    at 100,000) plus limits on repetition, powers, formatting widths and huge arguments."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(times, int) and size * times > MAX_SIZE:
                    _refuse("a repeated string or list")
        elif operator == "**":
            ints = isinstance(left, int) and isinstance(right, int) and abs(left) > 1
            if ints and right * abs(left).bit_length() > _MAX_POWER_BITS:
                _refuse(f"the power {left} ** {right}")
        elif operator == "%":
            _check_format(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_args(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = getattr(value, "__self__", None)

        def checked(*args: Any, **kwargs: Any) -> Any:
            _check_format(fmt)
            _check_args(args, kwargs)
            return wrapped(*args, **kwargs)

        return checked


@dataclass(frozen=True)
class TemplateSet:
    """Where templates come from, plus the few layout options templates may read."""

    user_dir: Path | None = None
    builtin_dir: Path = BUILTIN_DIR
    page_size: str = "A4"
    lang: str = "en"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.user_dir is not None:
            check_user_folder(Path(self.user_dir))

    @property
    def dirs(self) -> tuple[Path, ...]:
        """Template folders in lookup order (user folder first)."""
        if self.user_dir is not None:
            return (Path(self.user_dir), self.builtin_dir)
        return (self.builtin_dir,)

    def find(self, name: str) -> Path:
        """Path of a non-Jinja template file (e.g. ``brief.docx``), user folder first."""
        builtin = name.startswith(DEFAULT_PREFIX)
        name = name.removeprefix(DEFAULT_PREFIX)
        for folder in (self.builtin_dir,) if builtin else self.dirs:
            try:
                real = confined_file(folder, name)
            except TemplateFileError as exc:
                raise TemplateError(exc.reason, path=exc.path) from exc
            if real is not None:
                return real
        searched = ", ".join(str(d) for d in self.dirs)
        raise TemplateError(f"template {name!r} not found", path=name, hint=f"searched {searched}")

    @cached_property
    def env(self) -> jinja2.Environment:
        """The Jinja environment (built once per TemplateSet)."""
        env = BriefSandbox(
            loader=ConfinedLoader(self.dirs, self.builtin_dir),
            auto_reload=False,
            autoescape=_autoescape,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["md"] = markdown_escape
        env.filters["md_url"] = markdown_url
        env.filters = {name: _checked_filter(name, f) for name, f in env.filters.items()}
        # lipsum(n=...) writes as many paragraphs as asked for; a brief needs none.
        env.globals.pop("lipsum", None)
        return env

    def render_text(self, name: str, context: dict[str, Any]) -> str:
        """Render template ``name``; any template problem becomes a TemplateError."""
        variables = {"page_size": self.page_size, "lang": self.lang, **self.extra, **context}
        try:
            template = self.env.get_template(name)
            return template.render(variables)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(
                f"template {exc.name!r} not found",
                path=str(exc.name),
                hint="searched " + ", ".join(str(d) for d in self.dirs),
            ) from exc
        except TemplateFileError as exc:
            raise _file_error(exc, name) from exc
        except jinja2.TemplateError as exc:  # UndefinedError, SecurityError and friends
            raise _runtime_error(exc, name) from exc
        except RecursionError as exc:
            raise _runtime_error(
                exc, name, "the template includes, imports or extends itself (endless recursion)"
            ) from exc
        except Exception as exc:  # anything a template's own expression raised
            raise _runtime_error(exc, name, f"{exc.__class__.__name__}: {exc}") from exc


def _syntax_error(exc: jinja2.TemplateSyntaxError) -> TemplateError:
    where = exc.filename or exc.name or "<template>"
    return TemplateError(
        f"{where}, line {exc.lineno}: {exc.message}",
        hint="fix the template syntax",
    )


def _template_frame(exc: BaseException, name: str) -> tuple[str, int | None]:
    """The innermost template file and line of a traceback: Jinja rewrites tracebacks
    to template lines, and those frames carry the template's file name."""
    where, line = name, None
    for frame in traceback.extract_tb(exc.__traceback__):
        if not frame.filename.endswith(".py") and not frame.filename.startswith("<"):
            where, line = frame.filename, frame.lineno
    return where, line


def _runtime_error(exc: BaseException, name: str, reason: str | None = None) -> TemplateError:
    """A TemplateError naming the template file and line where ``exc`` happened."""
    where, line = _template_frame(exc, name)
    at = f", line {line}" if line is not None else ""
    message = reason or getattr(exc, "message", None) or str(exc)
    hint = "check the variable names the template uses against the documented context"
    if isinstance(exc, SecurityError):
        hint = "templates may use the documented variables, filters and tests only"
    elif reason:
        hint = "fix the template"
    # The reason starts with the file and line, so no separate path (it would repeat).
    return TemplateError(f"{where}{at}: {one_line(str(message))}", hint=hint)


def _file_error(exc: TemplateFileError, name: str) -> TemplateError:
    """A template file refused or unreadable; says which template asked for it."""
    where, line = _template_frame(exc, name)
    asked = f" (asked for by {where}, line {line})" if line is not None else ""
    return TemplateError(
        f"{exc.reason}{asked}",
        path=exc.path,
        hint="templates load only files inside the template folders",
    )
