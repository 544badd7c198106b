"""`Cleaner`: one configuration of rules and settings, loaded once, that cleans texts,
bytes and files.

Other programs (a pool of workers, a dataset pipeline) create one and ship it to their
worker processes: it pickles as its configuration only, a few hundred bytes, and the
copy loads its rules on first use from the validated-pack cache (see cleaner.cache),
compiled patterns included, so a worker is ready in milliseconds.

    from cleaner import Cleaner
    cleaner = Cleaner(select=["quotes"], unsafe_fixes=False)
    cleaner.clean_text("He said ” no “.").cleaned
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from .model import FileResult

_CONFIG = ("rule_dirs", "builtin", "select", "ignore", "unsafe_fixes", "people", "house_style", "source_language")
# Rule sets already loaded in this process, by (rule folders, builtin): several Cleaners
# that differ only in their selection share one load.
_LOADED: dict[tuple, list] = {}
_FINGERPRINTS = "fingerprints"  # cache namespace: configuration and packs -> fingerprint


class Cleaner:
    """Rules (the shipped packs, plus ``rule_dirs``), narrowed by ``select``/``ignore``
    (rule ids, pack names or categories), and the settings every input is cleaned with.

    ``unsafe_fixes`` also applies `suggest`-level rewrites; ``people`` maps full names to
    their pronoun (she, he, they); ``house_style`` lists preferred spellings of names;
    ``source_language`` (es, fr, ...) says what the articles were translated from when the
    user knows it, instead of inferring it.
    """

    source_language: str | None = None  # a pickle made before the setting existed

    def __init__(
        self,
        rule_dirs: Iterable[str] = (),
        *,
        builtin: bool = True,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        unsafe_fixes: bool = False,
        people: Mapping[str, str] | None = None,
        house_style: Iterable[str] = (),
        source_language: str | None = None,
    ):
        self.rule_dirs = tuple(str(d) for d in rule_dirs)
        self.builtin = builtin
        self.select = tuple(select)
        self.ignore = tuple(ignore)
        self.unsafe_fixes = bool(unsafe_fixes)
        self.people = tuple(sorted((people or {}).items()))
        self.house_style = tuple(house_style)
        self.source_language = source_language
        self._rules: list | None = None
        self._fingerprint: str | None = None

    # -- pickling: the configuration travels, the compiled rules do not -----------------

    def __getstate__(self) -> dict:
        return {name: getattr(self, name) for name in _CONFIG}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._rules = None
        self._fingerprint = None

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in _CONFIG if getattr(self, n) not in ((), False, None))
        return f"Cleaner({shown})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Cleaner) and self.__getstate__() == other.__getstate__()

    def __hash__(self) -> int:
        return hash(tuple(self.__getstate__().values()))

    # -- rules and options ------------------------------------------------------------

    @property
    def rules(self) -> list:
        """The selected rules, loaded (and validated, or read from the cache) on first use.

        Raises `cleaner.packs.PackError` for a broken pack and ValueError for a selector
        that names no rule, pack or category."""
        if self._rules is None:
            from .packs import load_rules, select_rules, unknown_selectors

            key = (self.rule_dirs, self.builtin)
            if key not in _LOADED:
                _LOADED[key] = load_rules(self.rule_dirs, builtin=self.builtin)
            loaded = _LOADED[key]
            unknown = unknown_selectors(loaded, self.select + self.ignore)
            if unknown:
                raise ValueError(f"no rule, pack or category named {', '.join(unknown)}")
            self._rules = select_rules(loaded, self.select, self.ignore)
        return self._rules

    def _use_rules(self, rules: list) -> "Cleaner":
        """Share rules already loaded and selected (by `project.RuleSets`)."""
        self._rules = rules
        return self

    @property
    def options(self):
        from .engine import Options

        settings = {"people": dict(self.people), "house_style": list(self.house_style)}
        if self.source_language:
            settings["source_language"] = self.source_language
        return Options(unsafe_fixes=self.unsafe_fixes, settings=settings)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the output could: the rules (each pack's content, cleaner's
        code and data, Python, `regex` and the libraries rules call) and the settings.
        The per-file result cache is keyed by it (with each file's content).

        Worked out from the loaded rules once, then remembered in the cache under what it
        is a function of (`_fingerprint_key`), so a later run over unchanged files answers
        from the result cache without loading a rule."""
        if self._fingerprint is None:
            known = None if self._rules is not None else self.known_fingerprint()
            self._fingerprint = known or self._fingerprint_from_rules()
        return self._fingerprint

    def _fingerprint_from_rules(self) -> str:
        from .cache import code_version, store

        h = hashlib.sha256(code_version().encode())
        h.update(_libraries().encode())
        for rule in self.rules:
            h.update(f"\0{rule.id}\0{rule.digest}".encode())
        h.update(repr(self.__getstate__()["unsafe_fixes"]).encode())
        h.update(repr((self.people, self.house_style, self.source_language)).encode())
        fingerprint = h.hexdigest()[:32]
        key, cache = self._fingerprint_key(), store()
        if key is not None and cache is not None:
            cache.save(_FINGERPRINTS, key, fingerprint)
        return fingerprint

    def known_fingerprint(self) -> str | None:
        """The fingerprint an earlier run worked out from the very same code, libraries,
        pack files and configuration, if the cache holds it (no rule is loaded). Those
        rules loaded and validated then, so they would now: nothing is skipped but work."""
        from .cache import store

        key, cache = self._fingerprint_key(), store()
        if key is None or cache is None:
            return None
        found = cache.load(_FINGERPRINTS, key)
        return found if isinstance(found, str) else None

    def _fingerprint_key(self) -> str | None:
        """What the fingerprint is a function of, read without loading a rule: cleaner's
        code version, the libraries, the configuration and every pack file's bytes. None
        when a pack folder cannot be read (the rules are then loaded, and the error told)."""
        from .cache import code_version
        from .packs import PackError, builtin_rules_dir, pack_files

        try:
            dirs = ([builtin_rules_dir()] if self.builtin else []) + [Path(d) for d in self.rule_dirs]
            h = hashlib.sha256(f"{code_version()}\0{_libraries()}\0{self.__getstate__()!r}".encode())
            for path in pack_files(dirs):
                data = path.read_bytes()
                h.update(f"\0{path}\0{len(data)}\0".encode())
                h.update(data)
        except (OSError, PackError):
            return None
        return h.hexdigest()[:40]

    # -- cleaning ---------------------------------------------------------------------

    def clean_text(self, text: str, *, path: str = "-", fmt: str | None = None, newline: str | None = None) -> FileResult:
        """Clean one text. ``fmt`` (text, markdown, html) defaults to what ``path``'s
        suffix says; new line breaks follow the text's own newline style."""
        from .engine import clean_text
        from .files import format_of
        from .reading import detect_newline

        return clean_text(text, self.rules, self.options, path=path, fmt=fmt or format_of(path),
                          newline=newline or detect_newline(text))

    def clean_bytes(self, data: bytes, *, path: str = "-"):
        """Decode (UTF-8, or UTF-16/32 with a BOM), clean and account for one input; an
        input that is not text becomes ``outcome.result.error``. Returns an
        `api.FileOutcome`: ``api.output_bytes(outcome)`` is the cleaned input in its own
        encoding."""
        from .api import clean_bytes

        return clean_bytes(data, self.rules, self.options, path=path)

    def clean_file(self, path: str):
        """Read and clean one file (nothing is written: ``api.write_back(outcome)``
        writes it back atomically). Returns an `api.FileOutcome`."""
        from .api import clean_path

        return clean_path(path, self.rules, self.options)


@lru_cache(maxsize=1)
def _libraries() -> str:
    """The installed files of the libraries whose behaviour reaches the output (an upgrade
    rewrites them); found without importing them or reading package metadata, both slow."""
    import os
    from importlib.util import find_spec

    out = []
    for name in ("ftfy", "langdetect", "markdown_it", "regex"):
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = getattr(spec, "origin", None)
        try:
            st = os.stat(origin) if origin else None
        except OSError:
            st = None
        out.append(f"{name}={origin}:{st.st_size}:{st.st_mtime_ns}" if st else f"{name}=?")
    return ",".join(out)
