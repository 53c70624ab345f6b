"""``briefgen templates export DIR``: copy the built-in templates out for editing.

The copies then go in a folder given to ``briefgen build --templates DIR`` (or the
config key ``brief.templates``); files there take precedence file by file, so an
editor may keep only the ones they change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen.errors import OutputError
from briefgen.render.templates import BUILTIN_DIR


def _template_files() -> tuple[str, ...]:
    from briefgen.render import template_files  # the renderers' registry says what they read

    return template_files()


# What a user folder may override, in the order `export` lists them: every file some
# registered renderer reads.
TEMPLATE_FILES: tuple[str, ...] = _template_files()


def export_templates(dest: Path, *, force: bool = False, source: Path = BUILTIN_DIR) -> list[Path]:
    """Copy the built-in templates into ``dest``; return the files written.

    Refuses (before copying anything) when one of them already exists in ``dest``,
    unless ``force``.
    """
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise OutputError("not a folder", path=str(dest), hint="choose a folder to export into")
    targets = [(source / name, dest / name) for name in TEMPLATE_FILES]
    existing = [target for _, target in targets if target.exists()]
    if existing and not force:
        names = ", ".join(t.name for t in existing)
        raise OutputError(
            f"would overwrite {names}",
            path=str(dest),
            hint="use --force to replace them, or export into an empty folder",
        )
    try:
        dest.mkdir(parents=True, exist_ok=True)
        for src, target in targets:
            shutil.copyfile(src, target)
    except OSError as exc:
        raise OutputError(f"cannot write templates: {exc}", path=str(dest)) from exc
    return [target for _, target in targets]
