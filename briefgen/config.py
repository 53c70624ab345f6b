"""``briefgen.toml`` -> frozen dataclasses.

Every problem is a :class:`ConfigError` naming the file, the key and what was
expected, raised before anything is written.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from briefgen.errors import ConfigError
from briefgen.limits import MAX_ARTICLE_BYTES, RENDER_SECONDS

CONFIG_NAME = "briefgen.toml"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    description: str
    terms: tuple[str, ...]
    discovered: bool = False  # found in the articles (stages/discover.py), not written by a person


@dataclass(frozen=True)
class Limits:
    key_points: int = 5
    facts_per_theme: int = 5
    quotes_per_theme: int = 3
    discrepancies: int = 8  # the most widely reported disagreements, at most
    max_article_bytes: int = MAX_ARTICLE_BYTES  # larger files are skipped with a warning
    render_seconds: int = RENDER_SECONDS  # per output format; 0 means no limit


@dataclass(frozen=True)
class Feed:
    """One ``[[feeds]]`` table: a feed ``briefgen fetch`` reads into the story folder."""

    url: str
    outlet: str | None = None
    reliability: str | None = None
    follow_links: bool = False  # fetch the linked page when the feed gives only a summary
    match: tuple[str, ...] = ()  # terms an item must contain; () means the themes' terms


@dataclass(frozen=True)
class FetchSettings:
    """``[fetch]``: how politely and how far ``briefgen fetch`` may go."""

    allow_private: bool = False  # loopback, private and link-local addresses (internal feeds)
    delay: float = 1.0  # seconds between two requests to one host
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_seconds: float = 60.0  # a whole response, however slowly it drips
    max_bytes: int = 5_000_000  # a response body, decompressed size included
    max_items: int = 50  # entries read from one feed per fetch
    user_agent: str | None = None  # default: briefgen/VERSION (...)


@dataclass(frozen=True)
class Config:
    title: str
    themes: tuple[Theme, ...]
    subtitle: str | None = None
    organisation: str | None = None
    language: str = "en"
    output_stem: str = "brief"
    page_size: str = "A4"
    templates: str | None = None  # user template folder, relative to the config file
    limits: Limits = field(default_factory=Limits)
    keep_editions: int = 10  # [editions] keep: archived editions under OUTDIR/editions/
    scheduler: str | None = None  # [cluster] scheduler: a Dask scheduler's address
    path: Path | None = None  # where it was read from
    discover: bool = False  # [themes] discover: add themes found in the articles
    other: bool = False  # [themes] other: facts no theme takes go under "Other developments"
    feeds: tuple[Feed, ...] = ()  # [[feeds]]: what `briefgen fetch` reads
    fetch: FetchSettings = field(default_factory=FetchSettings)  # [fetch]


# key -> (type, required) for each table; anything else is an unknown key.
_BRIEF_KEYS: dict[str, tuple[type, bool]] = {
    "title": (str, True),
    "subtitle": (str, False),
    "organisation": (str, False),
    "language": (str, False),
    "output_stem": (str, False),
    "page_size": (str, False),
    "templates": (str, False),
}
_LIMIT_KEYS: dict[str, tuple[type, bool]] = {
    "key_points": (int, False),
    "facts_per_theme": (int, False),
    "quotes_per_theme": (int, False),
    "discrepancies": (int, False),
    "max_article_bytes": (int, False),
    "render_seconds": (int, False),
}
# Allowed range of each [limits] key; the counts of items are 0-100.
_LIMIT_RANGES = {"max_article_bytes": (1, 2**40), "render_seconds": (0, 86_400)}
_THEME_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True),
    "title": (str, True),
    "description": (str, True),
    "terms": (list, True),
    "discovered": (bool, False),
}
# The table form of [themes]: `discover = true` next to the configured themes.
_THEMES_TABLE_KEYS: dict[str, tuple[type, bool]] = {
    "discover": (bool, False),
    "other": (bool, False),
    "configured": (list, False),
}
_EDITION_KEYS: dict[str, tuple[type, bool]] = {"keep": (int, False)}
_CLUSTER_KEYS: dict[str, tuple[type, bool]] = {"scheduler": (str, False)}
_FEED_KEYS: dict[str, tuple[type, bool]] = {
    "url": (str, True),
    "outlet": (str, False),
    "reliability": (str, False),
    "follow_links": (bool, False),
    "match": (list, False),
}
_FETCH_KEYS: dict[str, tuple[type, bool]] = {
    "allow_private": (bool, False),
    "delay": (float, False),
    "connect_timeout": (float, False),
    "read_timeout": (float, False),
    "max_seconds": (float, False),
    "max_bytes": (int, False),
    "max_items": (int, False),
    "user_agent": (str, False),
}
# Allowed range of each numeric [fetch] key.
_FETCH_RANGES = {
    "delay": (0, 3600),
    "connect_timeout": (0.01, 600),
    "read_timeout": (0.01, 600),
    "max_seconds": (0.01, 3600),
    "max_bytes": (1024, 2**31),
    "max_items": (1, 10_000),
}
_TOP_KEYS = {"brief", "limits", "editions", "themes", "cluster", "feeds", "fetch"}
# A Dask scheduler's address: tcp://HOST:PORT (also tls://, ws://, wss://, ucx://, or a
# bare HOST:PORT, which Dask reads as tcp://); an IPv6 host in brackets.
_SCHEDULER_RE = re.compile(
    r"^(?:(?:tcp|tls|ws|wss|ucx)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):\d{1,5}$"
)
_PAGE_SIZES = {"A4", "Letter"}


def find_config(source_dir: Path, explicit: Path | None = None) -> Path:
    """The config to use: ``-c`` when given, else ``briefgen.toml`` next to the articles."""
    path = explicit if explicit is not None else source_dir / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(
            "config file not found",
            path=str(path),
            hint=f"create {CONFIG_NAME} next to the articles or pass -c FILE; "
            "`briefgen init DIR` writes a commented one",
        )
    return path


def resolve(
    source_dir: Path, explicit: Path | None = None, title: str | None = None
) -> tuple[Config, Path]:
    """The config of a build and its file. ``-c FILE`` must exist; a folder without
    ``briefgen.toml`` gets :func:`discovery_config` (the path returned then does not
    exist). ``title`` (``--title``) replaces the config's title."""
    path = explicit if explicit is not None else source_dir / CONFIG_NAME
    if explicit is None and not path.exists():
        return discovery_config(title), path
    config = load_config(find_config(source_dir, explicit))
    if title and title.strip():
        config = replace(config, title=title.strip())
    return config, path


def discovered_note(source_dir: Path) -> str:
    """What a build without a config says about its themes."""
    return (
        f"no {CONFIG_NAME} in {source_dir}: the themes were discovered from the articles, "
        f"not configured; `briefgen themes {source_dir} --write` saves them to edit"
    )


def load_config(path: Path) -> Config:
    """Read and validate a config file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(path)) from exc
    except RecursionError:
        raise ConfigError("nested too deeply to read", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from exc
    return parse_config(data, str(path), path)


def parse_config(data: dict[str, Any], where: str, path: Path | None = None) -> Config:
    """Validate a parsed TOML document; ``where`` names the file in errors."""
    _reject_unknown(data, _TOP_KEYS, "", where)
    brief = _table(data, "brief", where, required=True)
    _check_keys(brief, _BRIEF_KEYS, "brief", where)
    limits_table = _table(data, "limits", where, required=False)
    _check_keys(limits_table, _LIMIT_KEYS, "limits", where)
    for key, value in limits_table.items():
        low, high = _LIMIT_RANGES.get(key, (0, 100))
        if not low <= value <= high:
            raise ConfigError(f"key 'limits.{key}': expected {low}-{high}, got {value}", path=where)
    editions = _table(data, "editions", where, required=False)
    _check_keys(editions, _EDITION_KEYS, "editions", where)
    keep = editions.get("keep", 10)
    if not 0 <= keep <= 1000:
        raise ConfigError(f"key 'editions.keep': expected 0-1000, got {keep}", path=where)
    page_size = brief.get("page_size", "A4")
    if page_size not in _PAGE_SIZES:
        raise ConfigError(
            f"key 'brief.page_size': expected one of {sorted(_PAGE_SIZES)}, got {page_size!r}",
            path=where,
        )
    stem = brief.get("output_stem", "brief")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", stem):
        raise ConfigError(
            f"key 'brief.output_stem': expected a plain file name, got {stem!r}", path=where
        )
    _check_templates(brief.get("templates"), where, path)
    _check_language(brief.get("language", "en"), where)
    scheduler = cluster_scheduler(data, where)
    themes, discover, other = _parse_theme_set(data.get("themes"), where)
    feeds, fetch = _parse_feeds(data, where)
    return Config(
        title=brief["title"].strip(),
        subtitle=brief.get("subtitle"),
        organisation=brief.get("organisation"),
        language=brief.get("language", "en"),
        output_stem=stem,
        page_size=page_size,
        templates=brief.get("templates"),
        limits=Limits(**limits_table),
        keep_editions=keep,
        scheduler=scheduler,
        themes=themes,
        discover=discover,
        other=other,
        feeds=feeds,
        fetch=fetch,
        path=path,
    )


def discovery_config(title: str | None = None) -> Config:
    """The config of a folder without one: every theme discovered from the articles, facts
    no theme takes under "Other developments", and a title from the headlines unless
    given (``build --title``)."""
    return Config(title=(title or "").strip(), themes=(), discover=True, other=True)


def _parse_theme_set(raw: Any, where: str) -> tuple[tuple[Theme, ...], bool, bool]:
    """The themes, whether to discover more, and whether to show "Other developments".

    ``[[themes]]`` is a list of configured themes. A config that also wants themes found
    in the articles uses the table form (TOML cannot give one key both shapes)::

        [themes]
        discover = true
        [[themes.configured]]
        id = "..."
    """
    if not isinstance(raw, dict):
        return _parse_themes(raw, where), False, False
    _check_keys(raw, _THEMES_TABLE_KEYS, "themes", where)
    discover: bool = raw.get("discover", False)  # both bool: checked by _check_keys
    other: bool = raw.get("other", discover)
    configured = raw.get("configured", [])
    if not configured and not discover:
        raise ConfigError(
            "key 'themes': expected [[themes.configured]] tables or discover = true",
            path=where,
        )
    themes = _parse_themes(configured, where, prefix="themes.configured") if configured else ()
    return themes, discover, other


def _parse_feeds(data: dict[str, Any], where: str) -> tuple[tuple[Feed, ...], FetchSettings]:
    """``[[feeds]]`` and ``[fetch]``; both optional (only `briefgen fetch` needs feeds)."""
    settings = _table(data, "fetch", where, required=False)
    _check_keys(settings, _FETCH_KEYS, "fetch", where)
    for key, value in settings.items():
        if key in _FETCH_RANGES:
            low, high = _FETCH_RANGES[key]
            if not low <= value <= high:
                raise ConfigError(
                    f"key 'fetch.{key}': expected {low}-{high}, got {value}", path=where
                )
    if "user_agent" in settings and not settings["user_agent"].strip():
        raise ConfigError("key 'fetch.user_agent': must not be empty", path=where)
    raw = data.get("feeds", [])
    if not isinstance(raw, list):
        raise ConfigError(
            "key 'feeds': expected [[feeds]] tables", path=where,
            hint='write [[feeds]] then url = "https://..."',
        )  # fmt: skip
    feeds: list[Feed] = []
    seen: set[str] = set()
    for i, table in enumerate(raw):
        key = f"feeds[{i}]"
        if not isinstance(table, dict):
            raise ConfigError(f"key '{key}': expected a table", path=where)
        _check_keys(table, _FEED_KEYS, key, where)
        url = table["url"].strip()
        scheme, _, rest = url.partition("://")
        if scheme.lower() not in ("http", "https") or not rest.split("/", 1)[0]:
            raise ConfigError(
                f"key '{key}.url': expected an http:// or https:// URL, got {url!r}", path=where
            )
        if url in seen:
            raise ConfigError(f"key '{key}.url': feed {url!r} is listed twice", path=where)
        seen.add(url)
        match = table.get("match", [])
        if not all(isinstance(t, str) and t.strip() for t in match):
            raise ConfigError(f"key '{key}.match': expected a list of terms", path=where)
        feeds.append(
            Feed(
                url=url,
                outlet=(table.get("outlet") or "").strip() or None,
                reliability=(table.get("reliability") or "").strip() or None,
                follow_links=table.get("follow_links", False),
                match=tuple(t.strip() for t in match),
            )
        )
    numbers: dict[str, Any] = {
        k: float(v) if _FETCH_KEYS[k][0] is float else v for k, v in settings.items()
    }
    return tuple(feeds), FetchSettings(**numbers)


def check_scheduler(address: str) -> str:
    """A Dask scheduler address, stripped, or ValueError saying what was expected."""
    address = address.strip()
    match = _SCHEDULER_RE.match(address)
    if not match or not 0 < int(address.rsplit(":", 1)[1]) < 65536:
        raise ValueError(
            f"expected a Dask scheduler address such as tcp://HOST:PORT, got {address!r}"
        )
    return address


def cluster_scheduler(data: dict[str, Any], where: str) -> str | None:
    """``[cluster] scheduler`` of a parsed TOML document, checked; None when absent."""
    cluster = _table(data, "cluster", where, required=False)
    _check_keys(cluster, _CLUSTER_KEYS, "cluster", where)
    if "scheduler" not in cluster:
        return None
    try:
        return check_scheduler(cluster["scheduler"])
    except ValueError as exc:
        raise ConfigError(f"key 'cluster.scheduler': {exc}", path=where) from None


def load_cluster_scheduler(path: Path) -> str | None:
    """``[cluster] scheduler`` of any TOML file (``briefgen batch -c FILE``); its other
    tables are not read."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(path)) from exc
    except RecursionError:
        raise ConfigError("nested too deeply to read", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from exc
    return cluster_scheduler(data, str(path))


def _check_language(value: str, where: str) -> None:
    """``brief.language``'s primary subtag ("en" of "en-GB") names a language module."""
    from briefgen import lang

    if lang.code_for(value) not in lang.LANGUAGES:
        raise ConfigError(
            f"key 'brief.language': no language module for {value!r}; "
            f"available: {', '.join(lang.available())}",
            path=where,
            hint="adding one is a module in briefgen/lang/ and a line in its LANGUAGES",
        )


def _check_templates(value: str | None, where: str, path: Path | None) -> None:
    """``brief.templates`` names a folder (relative to the config file) that exists."""
    if value is None:
        return
    if not value.strip():
        raise ConfigError(
            "key 'brief.templates': must not be empty",
            path=where,
            hint="name a template folder, or remove the key to use the built-in templates",
        )
    if path is None:
        return
    folder = path.parent / value
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ConfigError(
            f"key 'brief.templates': template folder {folder} {what}",
            path=where,
            hint="`briefgen templates export DIR` writes a template folder to start from",
        )


def _parse_themes(raw: Any, where: str, prefix: str = "themes") -> tuple[Theme, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError(
            "key 'themes': expected at least one [[themes]] table",
            path=where,
            hint="each theme needs id, title, description and terms",
        )
    themes: list[Theme] = []
    seen: set[str] = set()
    for i, table in enumerate(raw):
        key = f"{prefix}[{i}]"
        if not isinstance(table, dict):
            raise ConfigError(f"key '{key}': expected a table", path=where)
        _check_keys(table, _THEME_KEYS, key, where)
        theme_id = table["id"]
        if not _ID_RE.match(theme_id):
            raise ConfigError(
                f"key '{key}.id': expected lowercase letters, digits, '-' or '_', got {theme_id!r}",
                path=where,
            )
        if theme_id == "other":
            raise ConfigError(
                f"key '{key}.id': 'other' is reserved for \"Other developments\"", path=where
            )
        if theme_id in seen:
            raise ConfigError(f"key '{key}.id': duplicate theme id {theme_id!r}", path=where)
        seen.add(theme_id)
        terms = table["terms"]
        if not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            raise ConfigError(
                f"key '{key}.terms': expected a non-empty list of strings", path=where
            )
        themes.append(
            Theme(
                id=theme_id,
                title=table["title"].strip(),
                description=table["description"].strip(),
                terms=tuple(t.strip() for t in terms),
                discovered=table.get("discovered", False),
            )
        )
    return tuple(themes)


def _table(data: dict[str, Any], key: str, where: str, *, required: bool) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        if required:
            raise ConfigError(f"missing table [{key}]", path=where)
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"key '{key}': expected a table, got {type(value).__name__}", path=where)
    return value


def _reject_unknown(table: dict[str, Any], known: set[str], prefix: str, where: str) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(
                f"unknown key '{prefix}{key}'",
                path=where,
                hint=f"expected one of: {', '.join(sorted(known))}",
            )


def _check_keys(
    table: dict[str, Any], spec: dict[str, tuple[type, bool]], name: str, where: str
) -> None:
    _reject_unknown(table, set(spec), f"{name}.", where)
    for key, (kind, required) in spec.items():
        if key not in table:
            if required:
                raise ConfigError(f"missing key '{name}.{key}'", path=where)
            continue
        value = table[key]
        # bool is an int subclass in Python; a `true` where a number belongs is a mistake.
        # A float key takes an integer too (`delay = 2`).
        accepted = (int, float) if kind is float else kind
        if not isinstance(value, accepted) or (kind in (int, float) and isinstance(value, bool)):
            raise ConfigError(
                f"key '{name}.{key}': expected {_type_name(kind)}, got {type(value).__name__}",
                path=where,
            )
        if kind is str and isinstance(value, str) and not value.strip() and required:
            raise ConfigError(f"key '{name}.{key}': must not be empty", path=where)


def _type_name(kind: type) -> str:
    names = {str: "a string", int: "an integer", float: "a number", list: "a list"}
    return names.get(kind, kind.__name__)
