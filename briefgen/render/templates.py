"""The Jinja environment and template lookup shared by every renderer.

Lookup order: the user's template folder (when given), then the project's built-in
``templates/`` folder. The ``default:`` prefix always resolves to the built-ins, so a
user template can ``{% extends "default:brief.html.j2" %}`` and override one block.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

from briefgen.errors import TemplateError
from briefgen.render.escape import markdown_escape, markdown_url


def _builtin_dir() -> Path:
    """The project's ``templates/``: next to the package in a checkout (or editable
    install), or shipped inside the wheel as ``briefgen/_templates``."""
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if (checkout / "brief.html.j2").is_file():
        return checkout
    return Path(__file__).resolve().parents[1] / "_templates"


BUILTIN_DIR = _builtin_dir()

# Templates whose output is HTML (or XML) get autoescaping; Markdown and CSS do not.
_ESCAPED_SUFFIXES = (".html.j2", ".html", ".htm", ".xml", ".xml.j2")


def _autoescape(name: str | None) -> bool:
    return bool(name) and name.endswith(_ESCAPED_SUFFIXES)  # type: ignore[union-attr]


@dataclass(frozen=True)
class TemplateSet:
    """Where templates come from, plus the few layout options templates may read."""

    user_dir: Path | None = None
    builtin_dir: Path = BUILTIN_DIR
    page_size: str = "A4"
    lang: str = "en"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def dirs(self) -> tuple[Path, ...]:
        """Template folders in lookup order (user folder first)."""
        if self.user_dir is not None:
            return (Path(self.user_dir), self.builtin_dir)
        return (self.builtin_dir,)

    def find(self, name: str) -> Path:
        """Path of a non-Jinja template file (e.g. ``brief.docx``), user folder first."""
        builtin = name.startswith("default:")
        name = name.removeprefix("default:")
        for folder in (self.builtin_dir,) if builtin else self.dirs:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        searched = ", ".join(str(d) for d in self.dirs)
        raise TemplateError(f"template {name!r} not found", path=name, hint=f"searched {searched}")

    @cached_property
    def env(self) -> jinja2.Environment:
        """The Jinja environment (built once per TemplateSet)."""
        folders = [str(d) for d in self.dirs]
        loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(folders),
                jinja2.PrefixLoader(
                    {"default": jinja2.FileSystemLoader(str(self.builtin_dir))},
                    delimiter=":",
                ),
            ]
        )
        env = jinja2.Environment(
            loader=loader,
            autoescape=_autoescape,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["md"] = markdown_escape
        env.filters["md_url"] = markdown_url
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
        except jinja2.TemplateError as exc:  # UndefinedError and friends
            raise _runtime_error(exc, name) from exc


def _syntax_error(exc: jinja2.TemplateSyntaxError) -> TemplateError:
    where = exc.filename or exc.name or "<template>"
    return TemplateError(
        f"{where}, line {exc.lineno}: {exc.message}",
        path=where,
        hint="fix the template syntax",
    )


def _runtime_error(exc: jinja2.TemplateError, name: str) -> TemplateError:
    """Name the template file and line: Jinja rewrites tracebacks to template lines."""
    where, line = name, None
    for frame in traceback.extract_tb(exc.__traceback__):
        # Rewritten frames carry the template's file name; Python frames end in .py.
        if not frame.filename.endswith(".py") and not frame.filename.startswith("<"):
            where, line = frame.filename, frame.lineno
    at = f", line {line}" if line is not None else ""
    return TemplateError(
        f"{where}{at}: {exc.message or exc}",
        path=where,
        hint="check the variable names the template uses against the documented context",
    )
