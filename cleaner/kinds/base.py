"""What every rule kind provides: a typed set of options, and a `find` over a Document."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from ..document import Document
    from ..model import Finding
    from ..rule import Rule


#: Seconds one regex call may take; a rule whose search times out is skipped for that
#: document and reported (the engine catches TimeoutError), and the run goes on.
TIMEOUT = 2.0


class OptionError(ValueError):
    """A kind's option is missing, mistyped or invalid; ``key`` names it."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


class Kind:
    """Base of the built-in rule kinds.

    A kind is generic code (matching a pattern, pairing quotes, resolving pronouns);
    a rule is data in a YAML pack that configures one. ``OPTIONS`` maps each option the
    kind accepts to its type(s); ``REQUIRED`` lists those that must be present.
    """

    name: ClassVar[str] = ""
    OPTIONS: ClassVar[dict[str, Any]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    def __init__(self, rule: "Rule"):
        self.rule = rule

    def find(self, doc: "Document") -> Iterator["Finding"]:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def skips_documents(self) -> bool:
        """Whether `skip_document` can ever refuse a document (the engine asks only those)."""
        return type(self).skip_document is not Kind.skip_document

    def skip_document(self, doc: "Document") -> "Finding | None":
        """A finding that says why the whole document must not be cleaned at all (say, it is
        not English), or None. Asked once per input, before any rule runs."""
        return None


#: Whether packs being built compile their patterns now (first load: every pattern is
#: checked) or on first use (a pack already validated and cached: `regex` parses patterns
#: in Python, ~0.4 ms each, and most of a run's patterns are never needed: their rule's
#: cheap pre-check finds nothing to look for).
EAGER = True

_METHODS = ("finditer", "search", "match", "fullmatch", "sub", "subn", "findall", "split", "scanner")


class LazyPattern:
    """A `regex` pattern compiled on first use; after that, its methods are plain attributes."""

    def __init__(self, pattern: str, flags: int, kwargs: dict):
        self._args = (pattern, flags, kwargs)

    def _compile(self):
        import regex

        pattern, flags, kwargs = self._args
        compiled = regex.compile(pattern, flags, **kwargs)
        for name in _METHODS:
            setattr(self, name, getattr(compiled, name))
        self.compiled = compiled
        return compiled

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "compiled":
            raise AttributeError(name)
        return getattr(self._compile(), name)


def compile_regex(key: str, pattern: str, flags: int = 0, **kwargs):
    """Compile with the `regex` engine; a bad pattern is an OptionError naming its key.

    When packs are built from a validated cache (``EAGER`` false) the pattern is compiled
    on first use instead."""
    if not EAGER:
        return LazyPattern(pattern, flags, kwargs)
    import regex

    try:
        return regex.compile(pattern, flags, **kwargs)
    except regex.error as exc:
        raise OptionError(key, f"bad regex {pattern!r}: {exc}") from None


def compile_requires(opts: dict, flags: int = 0) -> list:
    """The ``requires`` option shared by kinds: regexes of which one must occur in the
    document for the rule to run at all (a fast pre-check before a slow scan)."""
    requires = opts.get("requires", [])
    requires = [requires] if isinstance(requires, str) else requires
    return [compile_regex(f"requires[{i}]", r, flags) for i, r in enumerate(requires)]


def requirements_met(requires: list, text: str) -> bool:
    return not requires or any(r.search(text, timeout=TIMEOUT) for r in requires)


def choose(opts: dict, key: str, allowed, default: str | None = None) -> str:
    """An option that picks one of a kind's modes (``mode:``, ``check:``); required unless
    it has a ``default``."""
    value = opts[key] if default is None else opts.get(key, default)
    if value not in allowed:
        raise OptionError(key, f"'{key}' is one of {', '.join(allowed)}, not {value!r}")
    return value
