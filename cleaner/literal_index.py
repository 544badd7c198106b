"""Which literals occur in a document, worked out once for every rule that asks.

False friends, calques and source-language cues each need some literal word before
their pattern can match ("hammered", "politics", "chancellery"), and most articles
hold none of them. Asking literal by literal, rule by rule, is most of what those rules
cost on an article that has nothing to find. Here every literal that any such rule
registers goes into one process-wide index, and per document one computation says
which of them occur (`present`); each rule then intersects that set with its own.

"Occurs" means what `LazyPattern.could_match` has always meant: a substring of the
lower-cased text. A literal of ASCII letters lies inside one word (a run of ``\\w``:
lower-casing maps no other character to an ASCII letter), so it occurs exactly when it
is inside one of the document's distinct words (``doc.vocabulary``) lower-cased; which
literals a word holds is remembered per process (the vocabulary of a corpus repeats),
so a document costs a few set operations on its vocabulary. Other literals ("le
monde", "«", "agência brasil") are looked for in the lower-cased text.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from itertools import chain
from typing import Callable, Iterable, Sequence

from .prefilter import LazyPattern, lowered

_REMEMBERED = 200_000  # distinct words remembered before the memory is cleared


def _in_words(literal: str) -> bool:
    """A literal found through the vocabulary: ASCII letters only (see the module doc)."""
    return literal.isascii() and literal.isalpha()


class LiteralIndex:
    """Every registered literal, and per document which of them occur."""

    def __init__(self) -> None:
        self._words: set[str] = set()  # found through the vocabulary
        self._others: set[str] = set()  # found in the lower-cased text
        self._lengths: tuple[int, ...] = ()
        self._holds: dict[str, tuple[str, ...]] = {}  # word -> the literals inside it
        self._holds_none: set[str] = set()  # words known to hold no literal
        self._pending: list[Callable[[], object]] = []
        self.version = 0

    def add(self, literals: Iterable[str]) -> None:
        """Make ``literals`` (lower case) known; a document's answer is then worked out
        again, so a literal registered late is never missed."""
        new = [lit for lit in literals if lit and lit not in self._words and lit not in self._others]
        if not new:
            return
        for lit in new:
            (self._words if _in_words(lit) else self._others).add(lit)
        self._lengths = tuple(sorted({len(w) for w in self._words}))
        self._holds.clear()
        self._holds_none.clear()
        self.version += 1

    def defer(self, owner, method: str) -> None:
        """Have ``owner.<method>()`` called before the next document is looked at: rules
        work out their literals on first use (parsing patterns costs more than loading
        them), all at once, so one document's answer serves them all. Held weakly."""
        ref = weakref.WeakMethod(getattr(owner, method))
        self._pending.append(ref)

    def present(self, doc) -> frozenset[str]:
        """The registered literals that occur in ``doc`` (substrings of its lower-cased
        text), computed once per document."""
        if self._pending:
            pending, self._pending = self._pending, []
            for ref in pending:
                call = ref()
                if call is not None:
                    call()
        return doc.memo(f"literal-index/{self.version}", self._present)

    def _present(self, doc) -> frozenset[str]:
        holds, none = self._holds, self._holds_none
        if len(holds) + len(none) > _REMEMBERED:
            holds.clear()
            none.clear()
        words = doc.vocabulary.difference(none)
        unheld = []
        for word in words.difference(holds):  # words not seen before: rare once warm
            inside = self._inside(word)
            if inside:
                holds[word] = inside
            else:
                none.add(word)
                unheld.append(word)
        if unheld:
            words = words.difference(unheld)
        found = set(chain.from_iterable(map(holds.__getitem__, words)))
        if self._others:
            low = lowered(doc)
            found.update(lit for lit in self._others if lit in low)
        return frozenset(found)

    def _inside(self, word: str) -> tuple[str, ...]:
        """The word literals that are substrings of ``word`` lower-cased."""
        known = self._words
        word = word.lower()
        n = len(word)
        return tuple({word[i:i + k] for k in self._lengths if k <= n for i in range(n - k + 1)} & known)


#: The one index of the process: false friends, calques and source-language cues.
INDEX = LiteralIndex()


@dataclass(frozen=True)
class Admission:
    """Which of a list of patterns can match a document, read off `LiteralIndex.present`:
    a pattern is admitted when the document has a literal of each of its clauses
    (`LazyPattern.clauses`). Only patterns with a literal of their strongest clause in
    the document are examined at all, so a document without any costs one set
    intersection."""

    conditions: tuple[tuple[frozenset[str], ...], ...]
    by_literal: dict[str, tuple[int, ...]]  # literal of a strongest clause -> patterns
    keys: frozenset[str]
    always: tuple[int, ...]  # patterns without a clause: searched in every document

    @classmethod
    def of(cls, patterns: Sequence[LazyPattern], index: LiteralIndex = INDEX) -> "Admission":
        conditions = tuple(p.clauses() for p in patterns)
        index.add(lit for c in conditions for clause in c for lit in clause)
        by_literal: dict[str, list[int]] = {}
        for i, condition in enumerate(conditions):
            for lit in condition[0] if condition else ():
                by_literal.setdefault(lit, []).append(i)
        always = tuple(i for i, c in enumerate(conditions) if not c)
        return cls(conditions, {k: tuple(v) for k, v in by_literal.items()}, frozenset(by_literal), always)

    def admitted(self, present: frozenset[str]) -> list[int]:
        """Indexes of the patterns that can match, in order."""
        hits = self.keys.intersection(present)
        if not hits:
            return list(self.always)
        candidates = set(self.always)
        for lit in hits:
            candidates.update(self.by_literal[lit])
        conditions = self.conditions
        return sorted(i for i in candidates if all(not clause.isdisjoint(present) for clause in conditions[i]))
