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

    def skip_document(self, doc: "Document") -> "Finding | None":
        """A finding that says why the whole document must not be cleaned at all (say, it is
        not English), or None. Asked once per input, before any rule runs."""
        return None


def compile_regex(key: str, pattern: str, flags: int = 0):
    """Compile with the `regex` engine; a bad pattern is an OptionError naming its key."""
    import regex

    try:
        return regex.compile(pattern, flags)
    except regex.error as exc:
        raise OptionError(key, f"bad regex {pattern!r}: {exc}") from None
