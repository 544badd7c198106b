"""Project configuration: ``[tool.cleaner]`` in pyproject.toml or a ``.cleaner.yaml``.

For each file the nearest configuration wins: its folder, then each parent, stopping at
the repository root (the folder holding ``.git``); a ``pyproject.toml`` without a
``[tool.cleaner]`` table is passed over. ``--config FILE`` replaces discovery, and
options given on the command line override both. Per-path ``overrides`` (globs relative
to the configuration file) refine the settings for the files they match.

Every setting remembers where it came from, for ``cleaner config PATH``; a bad value is
a `ConfigError` naming file, line and key.
"""
from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import Level

CONFIG_NAMES = (".cleaner.yaml", ".cleaner.yml")
PRONOUNS = ("she", "he", "they")
# key -> (expected type, description); keys are written with hyphens (underscores accepted).
KEYS: dict[str, tuple[type, str]] = {
    "select": (list, "rule ids, packs or categories to run (default: all)"),
    "ignore": (list, "rule ids, packs or categories to skip"),
    "unsafe-fixes": (bool, "also apply suggest-level rewrites"),
    "fail-on": (str, "lowest level that makes `check` fail: fix, suggest or flag; add `,skipped` to fail (exit 2) when a rule was skipped"),
    "rules": (list, "extra rule pack folders or files, relative to the config file"),
    "people": (dict, "names and their pronouns: {\"Full Name\": she|he|they}"),
    "exclude": (list, "globs of paths to skip, relative to the config file"),
    "house-style": (list, "preferred spellings of names (Kyiv, Zelenskyy) when a document mixes forms"),
    "source-language": (str, "the language the articles were translated from (es, fr, ...), instead of inferring it"),
    "respect-gitignore": (bool, "skip files that .gitignore ignores when walking folders (default true)"),
    "extend": (str, "another configuration file whose settings this one refines (path relative to this file)"),
}
OVERRIDE_KEYS = set(KEYS) - {"exclude", "extend", "respect-gitignore"}
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


class ConfigError(Exception):
    """A configuration that cannot be used; the message names file, line and key."""


@dataclass(frozen=True)
class Settings:
    """The settings in force for one file, and where each came from."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    fail_on: Level = Level.FLAG
    fail_on_skipped: bool = False  # a rule skipped on a file (regex timeout) fails the run
    rules: tuple[str, ...] = ()
    people: tuple[tuple[str, str], ...] = ()
    exclude: tuple[str, ...] = ()
    house_style: tuple[str, ...] = ()
    source_language: str = ""
    respect_gitignore: bool = True
    extend: str = ""
    config_file: str | None = None
    sources: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def people_map(self) -> dict[str, str]:
        return dict(self.people)

    def source(self, key: str) -> str:
        return dict(self.sources).get(key, "default")

    def value(self, key: str) -> Any:
        v = getattr(self, key.replace("-", "_"))
        if key == "people":
            return dict(v)
        if key == "fail-on":
            return v.value + (",skipped" if self.fail_on_skipped else "")
        if isinstance(v, Level):
            return v.value
        return list(v) if isinstance(v, tuple) else v


@dataclass(frozen=True)
class Override:
    paths: tuple[str, ...]
    values: dict[str, Any]
    lines: dict[str, int]
    line: int


@dataclass(frozen=True)
class ConfigFile:
    path: Path
    values: dict[str, Any]
    lines: dict[str, int]
    overrides: tuple[Override, ...] = ()

    def where(self, key: str, line: int | None = None) -> str:
        return f"{self.path}:{line if line is not None else self.lines.get(key, 1)}"


# -- reading ---------------------------------------------------------------------------

def _norm(key: Any) -> str:
    return str(key).replace("_", "-")


def _yaml_table(path: Path, text: str) -> tuple[dict, dict[str, int], list[tuple[dict, dict[str, int], int]]]:
    import yaml

    from .yamlsafe import YAMLTooLarge, load

    try:
        data, node = load(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader), limit=100_000)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except YAMLTooLarge as exc:
        raise ConfigError(f"{path}:1: refused: {exc}") from None
    if data is None:
        return {}, {}, []
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{path}:1: the configuration is a mapping of settings")
    lines = {_norm(k.value): k.start_mark.line + 1 for k, _ in node.value}
    overrides = []
    for k, v in node.value:
        if _norm(k.value) == "overrides" and isinstance(v, yaml.SequenceNode):
            for item in v.value:
                if isinstance(item, yaml.MappingNode):
                    overrides.append({_norm(a.value): a.start_mark.line + 1 for a, _ in item.value})
                    overrides[-1]["__line__"] = item.start_mark.line + 1
    raw_overrides = data.get("overrides") or []
    paired = []
    if isinstance(raw_overrides, list):
        for i, item in enumerate(raw_overrides):
            item_lines = overrides[i] if i < len(overrides) else {}
            paired.append((item, item_lines, item_lines.get("__line__", lines.get("overrides", 1))))
    return data, lines, paired


_TABLE_HEADER = re.compile(r"""\s*\[\s*tool\s*\.\s*(cleaner|"cleaner"|'cleaner')\s*\]""")


def _toml_table(path: Path, text: str) -> tuple[dict, dict[str, int], list[tuple[dict, dict[str, int], int]]] | None:
    data = _parse_toml(path, text.encode("utf-8"))
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}:1: tool must be a table")
    table = tool.get("cleaner")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:1: tool.cleaner must be a table")
    # tomllib gives no positions: find each key's line in the source, below its table header.
    src = text.splitlines()
    header = next((i for i, s in enumerate(src) if _TABLE_HEADER.match(s)), 0)
    over_headers = [i for i, s in enumerate(src) if s.strip().replace(" ", "") == "[[tool.cleaner.overrides]]"]

    def key_lines(start: int, stop: int) -> dict[str, int]:
        out = {}
        for i in range(start, stop):
            s = src[i].strip()
            if "=" in s and not s.startswith(("#", "[")):
                out.setdefault(_norm(s.split("=", 1)[0].strip().strip("\"'")), i + 1)
        return out

    first_stop = next((i for i in range(header + 1, len(src)) if src[i].strip().startswith("[")), len(src))
    lines = key_lines(header + 1, first_stop)
    lines.setdefault("overrides", (over_headers[0] + 1) if over_headers else header + 1)
    paired = []
    raw_overrides = table.get("overrides") or []
    if isinstance(raw_overrides, list):
        for i, item in enumerate(raw_overrides):
            if i < len(over_headers):
                h = over_headers[i]
                stop = next((j for j in range(h + 1, len(src)) if src[j].strip().startswith("[")), len(src))
                paired.append((item, key_lines(h + 1, stop), h + 1))
            else:
                paired.append((item, {}, lines["overrides"]))
    return table, lines, paired


def parse_fail_on(value: str) -> tuple[Level, bool]:
    """``fix``, ``suggest`` or ``flag``, optionally with ``,skipped`` (or ``skipped`` alone,
    the level then being ``flag``): the lowest level that fails the run, and whether a rule
    skipped on some file (a regex that timed out) fails it too."""
    parts = [p.strip() for p in str(value).split(",") if p.strip()]
    levels = [p for p in parts if p != "skipped"]
    known = [lv.value for lv in Level]
    if not parts or len(levels) > 1 or any(p not in known for p in levels):
        raise ValueError(f"must be one of fix, suggest, flag, optionally with ',skipped', not {value!r}")
    return Level(levels[0] if levels else "flag"), "skipped" in parts


def _check(path: Path, key: str, value: Any, line: int, allowed: set[str]) -> Any:
    where = f"{path}:{line}: {key}"
    if key not in allowed:
        raise ConfigError(f"{where}: unknown setting (known: {', '.join(sorted(allowed))})")
    expected = KEYS[key][0]
    if expected is list and isinstance(value, str):
        value = [value]
    if not isinstance(value, expected) or (expected is list and not all(isinstance(v, str) for v in value)):
        kind = {list: "a list of strings", bool: "true or false", str: "a string", dict: "a table of names"}[expected]
        raise ConfigError(f"{where}: must be {kind}, not {value!r}")
    if key == "fail-on":
        try:
            parse_fail_on(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    if key == "people":
        for name, pronoun in value.items():
            if not isinstance(pronoun, str) or pronoun.lower() not in PRONOUNS:
                raise ConfigError(f"{where}: {name!r} needs a pronoun: one of {', '.join(PRONOUNS)}, not {pronoun!r}")
        value = {str(n): p.lower() for n, p in value.items()}
    if key == "source-language":
        value = value.strip().lower()
        if value != "unknown" and not LANGUAGE_CODE.fullmatch(value):
            raise ConfigError(f"{where}: must be a language code such as es, fr or it, not {value!r}")
    return value


def load_config(path: Path | str) -> ConfigFile | None:
    """Read and validate one configuration file; None for a pyproject.toml without [tool.cleaner]."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    parsed = _toml_table(path, text) if path.suffix == ".toml" else _yaml_table(path, text)
    if parsed is None:
        return None
    table, lines, raw_overrides = parsed
    values = {}
    for key, value in table.items():
        key = _norm(key)
        if key == "overrides":
            continue
        values[key] = _check(path, key, value, lines.get(key, 1), set(KEYS))
    if "overrides" in {_norm(k) for k in table} and not isinstance(table.get("overrides"), list):
        raise ConfigError(f"{path}:{lines.get('overrides', 1)}: overrides: must be a list of tables with 'paths'")
    overrides = []
    for item, item_lines, line in raw_overrides:
        if not isinstance(item, dict):
            raise ConfigError(f"{path}:{line}: overrides: each override is a table with 'paths'")
        item = {_norm(k): v for k, v in item.items()}
        paths = item.pop("paths", None)
        if isinstance(paths, str):
            paths = [paths]
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
            raise ConfigError(f"{path}:{line}: overrides: each override needs 'paths', a list of globs")
        checked = {k: _check(path, k, v, item_lines.get(k, line), OVERRIDE_KEYS) for k, v in item.items()}
        overrides.append(Override(tuple(paths), checked, item_lines, line))
    return ConfigFile(path.resolve(), values, lines, tuple(overrides))


# -- discovery -------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _config_in(directory: str) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = Path(directory, name)
        if candidate.is_file():
            return candidate
    pyproject = Path(directory, "pyproject.toml")
    if pyproject.is_file() and _has_cleaner_table(pyproject):
        return pyproject
    return None


def _has_cleaner_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml holds ``tool.cleaner``, in any form TOML allows
    (``[tool.cleaner]``, ``[tool."cleaner"]``, ``[tool]`` with ``cleaner.x = ...``, an
    inline table). One that may hold it but cannot be read or parsed is an error: passing
    it over would silently drop the user's settings (their excludes, say)."""
    try:
        data = pyproject.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{pyproject}: cannot read: {exc.strerror or exc}") from None
    if b"cleaner" not in data:  # cannot name the table: no need to parse it
        return False
    tool = _parse_toml(pyproject, data).get("tool")
    return isinstance(tool, dict) and "cleaner" in tool


def _parse_toml(path: Path, data: bytes) -> dict:
    import tomllib

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); TOML files are UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def discover(path: str) -> Path | None:
    """The configuration nearest to ``path``, not looking above the repository root."""
    directory = Path(os.path.abspath(path if path != "-" else "."))
    if not directory.is_dir():
        directory = directory.parent
    for d in (directory, *directory.parents):
        found = _config_in(str(d))
        if found is not None:
            return found
        if (d / ".git").exists():
            return None
    return None


@lru_cache(maxsize=None)
def _cached_load(path: str) -> ConfigFile | None:
    return load_config(path)


def clear_cache() -> None:
    """Forget discovered and parsed files (they are cached for the length of one run)."""
    _config_in.cache_clear()
    _cached_load.cache_clear()


# -- resolving -------------------------------------------------------------------------

def _relative(path: str, base: Path) -> str:
    rel = os.path.relpath(os.path.abspath(path), base)
    return rel.replace(os.sep, "/")


def _matches(rel: str, patterns) -> bool:
    name = rel.rsplit("/", 1)[-1]
    for pat in patterns:
        pat = pat.rstrip("/")
        if fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(name, pat) or rel.startswith(pat + "/"):
            return True
        if pat.startswith("**/") and fnmatch.fnmatch(rel, pat[3:]):
            return True
    return False


def _apply(settings: Settings, values: dict[str, Any], source: str, base: Path | None) -> Settings:
    changes: dict[str, Any] = {}
    sources = dict(settings.sources)
    for key, value in values.items():
        attr = key.replace("-", "_")
        if key == "fail-on":
            value, changes["fail_on_skipped"] = parse_fail_on(value)
        elif key == "people":
            value = tuple(sorted({**settings.people_map, **value}.items()))
        elif key == "rules" and base is not None:
            value = tuple(str((base / v).resolve()) if not os.path.isabs(v) else v for v in value)
        elif isinstance(value, list):
            value = tuple(value)
        changes[attr] = value
        sources[key] = source
    return replace(settings, **changes, sources=tuple(sorted(sources.items())))


def settings_for(path: str, cli: dict[str, Any] | None = None, config: str | None = None) -> Settings:
    """The settings in force for ``path``: defaults < extended files < config file < its
    overrides < command line."""
    settings = Settings()
    cfg_path = Path(config) if config else discover(path)
    cfg = _cached_load(str(cfg_path.resolve())) if cfg_path else None
    if cfg is not None:
        settings = replace(settings, config_file=str(cfg.path))
        for link in extend_chain(cfg):
            base = link.path.parent
            values = {k: v for k, v in link.values.items() if k != "extend"}
            if link is not cfg and "exclude" in values:
                values["exclude"] = _rebase_globs(values["exclude"], base, cfg.path.parent)
            settings = _apply_each(settings, link, values, None, base)
            rel = _relative(path, base)
            for ov in link.overrides:
                if _matches(rel, ov.paths):
                    settings = _apply_each(settings, link, ov.values, ov, base)
        if "extend" in cfg.values:
            settings = _apply(settings, {"extend": cfg.values["extend"]}, cfg.where("extend"), None)
    if cli:
        extra_exclude = cli.get("exclude")
        values = {k: v for k, v in cli.items() if v not in (None, (), []) and k != "exclude"}
        settings = _apply(settings, values, "command line", Path.cwd())
        if extra_exclude:
            settings = _apply(settings, {"exclude": list(settings.exclude) + list(extra_exclude)}, "command line (added)", None)
    return settings


def extend_chain(cfg: ConfigFile) -> list[ConfigFile]:
    """``cfg`` and the files it extends, the furthest first (as ruff's ``extend``): each
    file's settings refine those of the file it extends."""
    chain = [cfg]
    while "extend" in chain[-1].values:
        link = chain[-1]
        target = (link.path.parent / os.path.expanduser(link.values["extend"])).resolve()
        if any(c.path == target for c in chain):
            raise ConfigError(f"{link.where('extend')}: extend: {target} is already in the chain (a cycle)")
        if not target.is_file():
            raise ConfigError(f"{link.where('extend')}: extend: no such file {target}")
        loaded = _cached_load(str(target))
        if loaded is None:
            raise ConfigError(f"{link.where('extend')}: extend: {target} has no [tool.cleaner] table")
        chain.append(loaded)
    return chain[::-1]


def _rebase_globs(globs: list[str], base: Path, target: Path) -> list[str]:
    """Exclude globs of an extended file (relative to ``base``) made relative to the
    extending file's folder ``target``; a glob that cannot match below ``target`` is dropped."""
    try:
        prefix = target.relative_to(base).as_posix()
    except ValueError:
        return [g for g in globs if "/" not in g.rstrip("/") or g.startswith("**/")]
    out = []
    for g in globs:
        if "/" not in g.rstrip("/") or g.startswith("**/") or prefix == ".":
            out.append(g)
        elif g.startswith(prefix + "/"):
            out.append(g[len(prefix) + 1:])
    return out


def _apply_each(settings: Settings, cfg: ConfigFile, values: dict, ov: Override | None, base: Path) -> Settings:
    for key, value in values.items():
        if ov is None:
            src = cfg.where(key)
        else:
            src = f"{cfg.path}:{ov.lines.get(key, ov.line)} (override for {', '.join(ov.paths)})"
            if key == "ignore":  # an override's ignore adds to the file's: it narrows, never widens
                value = list(dict.fromkeys([*settings.ignore, *value]))
        settings = _apply(settings, {key: value}, src, base)
    return settings


def is_excluded(path: str, settings: Settings) -> bool:
    """Whether ``path`` matches an exclude glob (relative to the config file, or as given)."""
    if not settings.exclude:
        return False
    base = Path(settings.config_file).parent if settings.config_file else Path.cwd()
    return _matches(_relative(path, base), settings.exclude) or _matches(path.replace(os.sep, "/"), settings.exclude)


def shadowed_config(settings: Settings) -> Path | None:
    """A configuration further up the repository that the one in force neither is nor
    extends: its settings do not apply, which `cleaner config` says."""
    if not settings.config_file:
        return None
    used = Path(settings.config_file)
    parent = used.parent
    if (parent / ".git").exists():
        return None
    above = discover(str(parent.parent)) if parent.parent != parent else None
    if above is None:
        return None
    cfg = _cached_load(str(used.resolve()))
    chain = {c.path for c in extend_chain(cfg)} if cfg is not None else set()
    return None if above.resolve() in chain else above.resolve()


def describe(path: str, settings: Settings) -> str:
    """What `cleaner config PATH` prints: every setting, its value and where it came from."""
    import json

    lines = [f"# settings for {path}", f"# config file: {settings.config_file or 'none found'}"]
    shadowed = shadowed_config(settings)
    if shadowed is not None:
        rel = os.path.relpath(shadowed, Path(settings.config_file).parent).replace(os.sep, "/")
        lines.append(f"# not used: {shadowed} (the nearest configuration wins whole; "
                     f"`extend = \"{rel}\"` builds on it)")
    for key in KEYS:
        value = json.dumps(settings.value(key), ensure_ascii=False)
        lines.append(f"{key} = {value}  # {settings.source(key)}")
    return "\n".join(lines) + "\n"
