"""Loading rule packs: YAML → validated, compiled `Rule` objects.

A broken pack is refused with an error naming file, line and rule id. Validation runs
every rule's examples and keeps, which is the slow part, so a validated pack is cached
with its compiled patterns (keyed by its content, cleaner's own code and the Python and
`regex` versions; see cleaner.cache) and later runs only unpickle it.
"""
from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from . import kinds
from .kinds.base import OptionError
from .model import CATEGORIES, Level
from .rule import Example, Rule

PACK_KEYS = {"pack", "description", "rules"}
RULE_KEYS = {"id", "kind", "category", "level", "message", "description", "priority", "when", "evidence", "examples", "keep"}


class PackError(Exception):
    """A rule pack that cannot be used; the message names file, line and rule."""


def _line_loader():
    """A safe YAML loader that remembers the line of every mapping (PyYAML is imported
    only when a pack is not in the cache)."""
    global _LineLoader
    if _LineLoader is None:
        import yaml

        class LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
            pass

        def construct_mapping(loader, node):
            mapping = loader.construct_mapping(node, deep=True)
            mapping["__line__"] = node.start_mark.line + 1
            return mapping

        LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
        _LineLoader = LineLoader
    return _LineLoader


_LineLoader = None


def builtin_rules_dir() -> Path:
    """The packs shipped with cleaner: ``rules/`` of a source checkout, else inside the wheel."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "setup.cfg").is_file() and (checkout / "rules").is_dir():
        return checkout / "rules"
    installed = Path(__file__).resolve().parent / "rules"  # a wheel: cleaner/rules/*.yaml
    if any(installed.glob("*.yaml")):
        return installed
    try:
        path = Path(str(resources.files("cleaner.rules")))
        if any(path.glob("*.yaml")):
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "rules"


def pack_files(dirs: Iterable[Path | str]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        d = Path(d)
        if d.is_file():
            files.append(d)
        elif d.is_dir():
            files.extend(sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            raise PackError(f"{d}: no such rules folder or pack file")
    return files


# -- parsing and validation ----------------------------------------------------------

def _err(path: Path, line: int, rule_id: str | None, message: str) -> PackError:
    where = f"{path}:{line}"
    return PackError(f"{where}: {rule_id}: {message}" if rule_id else f"{where}: {message}")


def parse_pack(path: Path, text: str) -> list[dict[str, Any]]:
    """Parse and check the shape of one pack; returns plain rule dicts (with ``__line__``)."""
    import yaml

    from .yamlsafe import YAMLTooLarge, load

    try:
        data, _ = load(text, _line_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise _err(path, line, None, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except YAMLTooLarge as exc:
        raise _err(path, 1, None, f"refused: {exc}") from None
    if not isinstance(data, dict):
        raise _err(path, 1, None, "a pack is a mapping with 'pack', 'description' and 'rules'")
    line = data.pop("__line__", 1)
    unknown = set(data) - PACK_KEYS
    if unknown:
        raise _err(path, line, None, f"unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(PACK_KEYS))})")
    name = data.get("pack")
    if not isinstance(name, str) or not name:
        raise _err(path, line, None, "the pack needs a 'pack' name")
    if not isinstance(data.get("rules"), list) or not data["rules"]:
        raise _err(path, line, None, "the pack needs a non-empty 'rules' list")
    out = []
    for raw in data["rules"]:
        if not isinstance(raw, dict):
            raise _err(path, line, None, "each rule is a mapping")
        out.append(_check_rule(path, name, raw))
    return out


def _check_rule(path: Path, pack: str, raw: dict[str, Any]) -> dict[str, Any]:
    line = raw.get("__line__", 0)
    rid = raw.get("id")
    if not isinstance(rid, str) or "/" not in rid:
        raise _err(path, line, rid if isinstance(rid, str) else None, "every rule needs an 'id' of the form pack/name")
    if rid.split("/", 1)[0] != pack:
        raise _err(path, line, rid, f"rule ids in pack {pack!r} start with '{pack}/'")
    kind = raw.get("kind")
    if kind not in kinds.names():
        raise _err(path, line, rid, f"unknown kind {kind!r} (known: {', '.join(kinds.names())})")
    cls = kinds.get(kind)
    allowed = RULE_KEYS | set(cls.OPTIONS) | {"__line__"}
    unknown = set(raw) - allowed
    if unknown:
        raise _err(path, line, rid, f"unknown key(s) {', '.join(sorted(unknown))} for kind {kind!r}")
    for key in ("category", "level", "message"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise _err(path, line, rid, f"missing '{key}'")
    if raw["category"] not in CATEGORIES:
        raise _err(path, line, rid, f"unknown category {raw['category']!r} (known: {', '.join(CATEGORIES)})")
    if raw["level"] not in [lv.value for lv in Level]:
        raise _err(path, line, rid, f"level is one of fix, suggest, flag, not {raw['level']!r}")
    for key in cls.REQUIRED:
        if key not in raw:
            raise _err(path, line, rid, f"kind {kind!r} needs '{key}'")
    for key, types in cls.OPTIONS.items():
        if key in raw and not isinstance(raw[key], types):
            names = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
            raise _err(path, line, rid, f"'{key}' must be a {names}")
    _check_when(path, line, rid, raw.get("when"))
    _check_evidence(path, line, rid, raw.get("evidence"))
    examples = raw.get("examples")
    if not isinstance(examples, list) or not examples:
        raise _err(path, line, rid, "missing 'examples': text the rule must change (or flag), with the expected result")
    keep = raw.get("keep")
    if not isinstance(keep, list) or not keep:
        raise _err(path, line, rid, "missing 'keep': text the rule must leave alone")
    for ex in examples:
        if not isinstance(ex, dict) or not isinstance(ex.get("text"), str) or not (
            isinstance(ex.get("result"), str) or isinstance(ex.get("flagged"), str)
        ):
            raise _err(path, line, rid, "each example is {text: ..., result: ...} or {text: ..., flagged: ...}")
        if raw["level"] == "flag" and "result" in ex:
            raise _err(path, ex.get("__line__", line), rid, "a flag-level rule's examples give 'flagged', not 'result'")
    for k in keep:
        if not isinstance(k, str):
            raise _err(path, line, rid, "each 'keep' entry is a string")
    return raw


WHEN_KEYS = {"source", "source_not", "translated"}


def _check_when(path: Path, line: int, rid: str, when: Any) -> None:
    """``when: {source: es}`` or ``{source: [es, pt]}``: run only on articles from those
    languages; ``{source_not: [...]}``: only on articles from any other (or unknown) source;
    ``{translated: true}``: only on articles that show they are translations."""
    if when is None:
        return
    if not isinstance(when, dict):
        raise _err(path, line, rid, "'when' is a mapping such as {source: es}")
    keys = set(when) - {"__line__"}
    if keys - WHEN_KEYS:
        raise _err(path, line, rid, f"unknown 'when' key(s) {', '.join(sorted(keys - WHEN_KEYS))} (known: source, source_not, translated)")
    if not keys:
        raise _err(path, line, rid, "'when' needs 'source', 'source_not' or 'translated'")
    if "translated" in keys and when["translated"] is not True:
        raise _err(path, line, rid, "'when: translated' can only be true")
    for key in sorted(keys - {"translated"}):
        codes = [when[key]] if isinstance(when[key], str) else when[key]
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c for c in codes):
            raise _err(path, line, rid, f"'when: {key}' is a language code or a list of them")


def _check_evidence(path: Path, line: int, rid: str, evidence: Any) -> None:
    """``evidence: {it: 2}``: what each finding of the rule says about the source language
    (an Italian article left in the text says "it"), for kinds that give none themselves."""
    if evidence is None:
        return
    pairs = {k: v for k, v in evidence.items() if k != "__line__"} if isinstance(evidence, dict) else None
    if not pairs or not all(isinstance(k, str) and isinstance(v, (int, float)) and v > 0 for k, v in pairs.items()):
        raise _err(path, line, rid, "'evidence' maps language codes to positive weights, such as {it: 2}")


def _plain(value: Any) -> Any:
    """Option values without the loader's line bookkeeping."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def build_rule(path: Path, pack: str, raw: dict[str, Any]) -> Rule:
    """Turn a checked rule dict into a `Rule` with its kind's matcher compiled."""
    line = raw.get("__line__", 0)
    options = {k: _plain(v) for k, v in raw.items() if k not in RULE_KEYS and k != "__line__"}
    rule = Rule(
        id=raw["id"],
        kind=raw["kind"],
        category=raw["category"],
        level=Level(raw["level"]),
        message=raw["message"].strip(),
        examples=[
            Example(ex["text"], ex.get("result"), ex.get("flagged"), ex.get("__line__", line)) for ex in raw["examples"]
        ],
        keep=[Example(k, line=line) for k in raw["keep"]],
        options=options,
        pack=pack,
        file=str(path),
        line=line,
        priority=int(raw.get("priority", 0)),
        description=raw.get("description", ""),
        when=_plain(raw.get("when", {}) or {}),
        evidence=tuple((k, float(v)) for k, v in _plain(raw.get("evidence") or {}).items()),
    )
    try:
        rule.matcher = kinds.get(rule.kind)(rule)
    except OptionError as exc:
        raise _err(path, line, rule.id, f"{exc.key}: {exc}") from None
    return rule


# -- loading, with a cache of validated packs -----------------------------------------

def pack_digest(data: bytes) -> str:
    """Names a pack's content as this version of cleaner (and Python, and `regex`) reads it."""
    from .cache import code_version

    return hashlib.sha256(data + b"\0" + code_version().encode()).hexdigest()[:32]


def _from_cache(store, digest: str, path: Path) -> list[Rule] | None:
    entry = store.load("packs", digest)
    if not isinstance(entry, tuple) or not entry:
        return None
    if entry[0] == "rules":  # compiled rules: nothing to parse or compile
        rules = entry[1]
        for rule in rules:
            rule.file = str(path)  # the same pack may be reached by another path
        return rules
    if entry[0] == "raws":  # a pack whose matchers do not pickle: rebuilt, patterns compiled on first use
        from .kinds import base

        base.EAGER = False
        try:
            rules = [build_rule(path, entry[1], raw) for raw in entry[2]]
        except Exception:
            return None
        finally:
            base.EAGER = True
        for rule in rules:
            rule.digest = digest
        return rules
    return None


def load_pack(path: Path, *, validate: bool = True) -> list[Rule]:
    """The rules of one pack. With ``validate`` (the default) every example, keep and veto
    is checked, and only then is the pack cached, compiled patterns included, so later runs
    neither validate nor compile it. Without it (`cleaner rules test`, which reports the
    problems itself) the cache is neither read nor written: a broken pack is never cached."""
    from .cache import store as cache_store

    data = path.read_bytes()
    digest = pack_digest(data)
    store = cache_store() if validate else None
    if store is not None:
        rules = _from_cache(store, digest, path)
        if rules is not None:
            return rules
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _err(path, 0, None, "a pack must be UTF-8") from None
    raws = parse_pack(path, text)
    pack = raws[0]["id"].split("/", 1)[0]
    rules = [build_rule(path, pack, raw) for raw in raws]
    for rule in rules:
        rule.digest = digest
    if validate:
        from .examples import check_rule

        for rule in rules:
            problems = check_rule(rule)
            if problems:
                raise _err(path, problems[0][0], rule.id, problems[0][1])
    if store is not None:  # validated: cache it
        if not store.save("packs", digest, ("rules", rules)):
            store.save("packs", digest, ("raws", pack, raws))
        store.prune("packs")
    return rules


def load_rules(extra_dirs: Iterable[Path | str] = (), *, builtin: bool = True, validate: bool = True) -> list[Rule]:
    """All rules of the shipped packs plus those in ``extra_dirs``; ids must be unique."""
    dirs: list[Path | str] = [builtin_rules_dir()] if builtin else []
    dirs.extend(extra_dirs)
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path in pack_files(dirs):
        for rule in load_pack(path, validate=validate):
            if rule.id in seen:
                raise _err(path, rule.line, rule.id, f"duplicate rule id (also at {seen[rule.id].file}:{seen[rule.id].line})")
            seen[rule.id] = rule
            rules.append(rule)
    return rules


def select_rules(rules: list[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Filter by rule id, pack name or category, as ruff's --select/--ignore do."""
    select, ignore = set(select), set(ignore)

    def hit(rule: Rule, names: set[str]) -> bool:
        return rule.id in names or rule.pack in names or rule.category in names

    return [r for r in rules if (not select or hit(r, select)) and not hit(r, ignore)]


def unknown_selectors(rules: list[Rule], names: Iterable[str]) -> list[str]:
    known = {r.id for r in rules} | {r.pack for r in rules} | {r.category for r in rules} | set(CATEGORIES)
    return sorted(n for n in names if n not in known)
