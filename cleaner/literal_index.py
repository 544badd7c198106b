"""Which literals occur in a document, worked out once for every rule that asks.

False friends, calques and source-language cues each need some literal word before
their pattern can match ("hammered", "politics", "chancellery"), and most articles
hold none of them. Asking literal by literal, rule by rule, is most of what those rules
cost on an article that has nothing to find. Here every literal that any such rule
registers goes into one process-wide index, and per document one computation says
which of them occur (`present`); each rule then reads which of its patterns can match
(`Admission`).

"Occurs" means what `LazyPattern.could_match` has always meant: a substring of the
lower-cased text. A literal of letters lies inside one word (a run of ``\\w``: only
letters lower-case to letters), so it occurs exactly when it is inside one of the
document's distinct words (``doc.vocabulary``) lower-cased; ``str.lower`` maps each
character on its own but a sigma (final "ς" or "σ" by what follows), so a literal with
one is looked for in the text instead. Which literals a word holds is remembered per
process (the vocabulary of a corpus repeats), so a document costs a few set operations
on its vocabulary. Other literals ("le monde", "«", "agência brasil") are looked for in
the lower-cased text, and only when a pattern that needs one has passed its other
tests, and only when each of their runs of letters is inside a word, or else when
their first character (a rarer one if they have one) occurs; a literal of three words
or more is looked for only when the words at one of its ends that other literals share
are there (one search for "not never" answers for "did not never", "had not never"...).
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from itertools import chain
from typing import Callable, Iterable, Sequence

from .prefilter import LazyPattern, lowered

_REMEMBERED = 200_000  # distinct words remembered before the memory is cleared
_RUN = re.compile(r"[^\W\d_]+")  # a literal's runs of letters (and numerals such as "²")


def _in_words(literal: str) -> bool:
    """A literal found through the vocabulary: 3+ letters, no sigma (see the module doc)."""
    return len(literal) >= 3 and literal.isalpha() and "σ" not in literal and "ς" not in literal


class Present:
    """Which literals occur in one document: the word literals found through its
    vocabulary at once (`words`), any other literal looked for when first asked."""

    __slots__ = ("words", "_doc", "_index", "_others", "_low", "_chars")

    def __init__(self, words: frozenset[str], doc, index: "LiteralIndex") -> None:
        self.words = words  # may hold a few more runs than were registered (gates)
        self._doc, self._index, self._others, self._low, self._chars = doc, index, {}, None, None

    def has(self, literal: str) -> bool:
        """Whether ``literal`` (lower case) is a substring of the lower-cased text."""
        hit = self._others.get(literal)
        if hit is None:
            known = self._index._words
            if literal in known:
                hit = literal in self.words
            else:
                index = self._index
                runs = index._runs.get(literal)
                gate = index._gates.get(literal, "")
                if runs and not runs <= self.words or gate and not runs and not self.has(gate):
                    hit = False
                else:
                    if self._low is None:
                        self._low = lowered(self._doc)
                    if len(literal) == 1 and literal in self._index._chars:
                        if self._chars is None:  # "«", "¿", "–": all found in one scan
                            self._chars = set(self._index._char_pattern.findall(self._low))
                        hit = literal in self._chars
                    else:
                        # "not never" first, for "did not never", "had not never"...
                        core = index._cores.get(literal)
                        hit = (core is None or self.has(core)) and literal in self._low
            self._others[literal] = hit
        return hit


def _cores(literals: Iterable[str]) -> dict[str, str]:
    """For literals of three words or more, the two or more words at either end that
    other literals share ("not never" of "did not never" and "had not never"): a text
    without them holds none of those literals, so one search for the shared words
    answers for all of them in most texts."""
    ends: dict[str, list[str]] = {}
    for lit in literals:
        if lit.count(" ") >= 2:
            ends.setdefault(lit.split(" ", 1)[1], []).append(lit)
            ends.setdefault(lit.rsplit(" ", 1)[0], []).append(lit)
    out: dict[str, str] = {}
    for end, lits in sorted(ends.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(lits) < 2:
            break
        for lit in lits:
            out.setdefault(lit, end)
    return out


class LiteralIndex:
    """Every registered literal, and per document which of them occur."""

    def __init__(self) -> None:
        self._words: set[str] = set()  # literals found through the vocabulary, and gates
        self._gates: dict[str, str] = {}  # other literal -> its gate (see `add`)
        self._runs: dict[str, frozenset[str]] = {}  # other literal -> its words (see `add`)
        self._cores: dict[str, str] = {}  # other literal -> words of it several share (see `add`)
        self._chars: frozenset[str] = frozenset()  # other literals of one character
        self._char_pattern = re.compile("(?!)")
        self._heads: dict[str, tuple[int, ...]] = {}  # first three letters -> lengths
        self._holds: dict[str, tuple[str, ...]] = {}  # word -> the literals inside it
        self._holds_none: set[str] = set()  # words known to hold no literal
        self._pending: list[Callable[[], object]] = []
        self.version = 0
        self._key = "literal-index/0"

    def add(self, literals: Iterable[str]) -> None:
        """Make ``literals`` (lower case) known; a document's answer is then worked out
        again, so a literal registered late is never missed."""
        new = [lit for lit in literals if lit and lit not in self._words and lit not in self._gates]
        if not new:
            return
        for lit in new:
            if _in_words(lit):
                self._words.add(lit)
                continue
            # "le monde" can only be in a text with "monde" inside a word: its runs of
            # 3+ letters are looked for with the words, the literal after them; "– he"
            # only in a text with "–", which is looked for once for "– she" as well
            runs = frozenset(filter(_in_words, _RUN.findall(lit)))
            self._words.update(runs)
            self._runs[lit] = runs
            gate = max(sorted(runs), key=len, default="")
            if not gate and len(lit) > 1:
                # a character rarer than most ("”" of ", ”", "—" of " — ") when there is one
                gate = next((c for c in lit if not c.isascii()), lit[0])
            self._gates[lit] = gate
        self._cores = _cores(self._gates)
        heads: dict[str, set[int]] = {}
        for w in self._words:
            heads.setdefault(w[:3], set()).add(len(w))
        self._heads = {h: tuple(sorted(k)) for h, k in heads.items()}
        self._chars = frozenset(lit for lit in chain(self._gates, self._gates.values()) if len(lit) == 1)
        self._char_pattern = re.compile("[" + "".join(map(re.escape, sorted(self._chars))) + "]" if self._chars else "(?!)")
        self._holds.clear()
        self._holds_none.clear()
        self.version += 1
        self._key = f"literal-index/{self.version}"  # a document's answer, per version

    @property
    def words(self) -> set[str]:
        """The literals (and gates) found through the vocabulary."""
        return self._words

    def runs(self, literal: str) -> frozenset[str]:
        """The runs of 3+ letters an other literal holds, looked for with the words."""
        return self._runs.get(literal, frozenset())

    def defer(self, owner, method: str) -> None:
        """Have ``owner.<method>()`` called before the next document is looked at: rules
        work out their literals on first use (parsing patterns costs more than loading
        them), all at once, so one document's answer serves them all. Held weakly."""
        self._pending.append(weakref.WeakMethod(getattr(owner, method)))

    def settle(self) -> None:
        """Make the deferred calls (see `defer`) now."""
        while self._pending:
            pending, self._pending = self._pending, []
            for ref in pending:
                call = ref()
                if call is not None:
                    call()

    def present(self, doc) -> Present:
        """The registered literals that occur in ``doc`` (substrings of its lower-cased
        text), worked out once per document."""
        if self._pending:
            self.settle()
        return doc.memo(self._key, self._present)

    def _present(self, doc) -> Present:
        holds, none = self._holds, self._holds_none
        if len(holds) + len(none) > _REMEMBERED:
            holds.clear()
            none.clear()
        words = doc.vocabulary.difference(none)
        unheld = []
        for word in words.difference(holds):  # words not seen before: few once warm
            inside = self._inside(word)
            if inside:
                holds[word] = inside
            else:
                none.add(word)
                unheld.append(word)
        if unheld:
            words = words.difference(unheld)
        return Present(frozenset(chain.from_iterable(map(holds.__getitem__, words))), doc, self)

    def _inside(self, word: str) -> tuple[str, ...]:
        """The word literals that are substrings of ``word`` lower-cased: tried only at
        the positions where some literal's first three letters are, with the lengths of
        the literals that start so."""
        if word.isdecimal():
            return ()  # a number ("2024") holds no letters
        word = word.lower()
        head, known, n = self._heads.get, self._words, len(word)
        found = []
        for i in range(n - 2):  # plain loops: a generator per position cost more than the tests
            lengths = head(word[i:i + 3])
            if lengths:
                for k in lengths:  # ascending
                    if i + k > n:
                        break
                    if word[i:i + k] in known:
                        found.append(word[i:i + k])
        return tuple(set(found)) if found else ()


#: The one index of the process: false friends, calques and source-language cues.
INDEX = LiteralIndex()


@dataclass(frozen=True)
class Admission:
    """Which of a list of patterns can match a document, read off `LiteralIndex.present`:
    a pattern is admitted when the document has a literal of each of its clauses
    (`LazyPattern.clauses`). Only patterns with a literal of their strongest clause of
    words in the document are examined at all, so a document without any costs one set
    intersection; a clause of other literals ("«", "le monde") is tested only for a
    pattern that has passed the others."""

    # per pattern, its clauses as (word literals, other literals, the words of each
    # other: when no other has all of its, none occurs; None if one has no words)
    conditions: tuple[tuple[tuple[frozenset[str], tuple[str, ...], frozenset[str] | None], ...], ...]
    by_literal: dict[str, tuple[int, ...]]  # literal of a trigger clause -> patterns
    keys: frozenset[str]
    always: tuple[int, ...]  # patterns without a clause of words: examined every time

    @classmethod
    def of(cls, patterns: Sequence[LazyPattern], index: LiteralIndex = INDEX) -> "Admission":
        conditions = []
        by_literal: dict[str, list[int]] = {}
        always = []
        every = [pattern.clauses() for pattern in patterns]
        index.add({lit for found in every for clause in found for lit in clause})
        for i, found in enumerate(every):
            split = []
            for clause in found:
                others = tuple(sorted(lit for lit in clause if not _in_words(lit)))
                runs = tuple(index.runs(lit) for lit in others)
                split.append((frozenset(filter(_in_words, clause)), others, runs if all(runs) else None))
            # the words of the strongest clause that has no other literal
            trigger = next((words for words, others, _ in split if not others), None)
            if trigger is None:
                always.append(i)
            else:
                for lit in trigger:
                    by_literal.setdefault(lit, []).append(i)
            # clauses of words first: set operations, before any substring search
            conditions.append(tuple(sorted(split, key=lambda c: bool(c[1]))))
        return cls(tuple(conditions), {k: tuple(v) for k, v in by_literal.items()}, frozenset(by_literal), tuple(always))

    def admitted(self, present: Present) -> list[int]:
        """Indexes of the patterns that can match, in order."""
        words = present.words
        hits = self.keys.intersection(words)
        if not hits and not self.always:
            return []
        candidates = set(self.always)
        for lit in hits:
            candidates.update(self.by_literal[lit])
        out = []
        conditions = self.conditions
        for i in sorted(candidates):
            for clause_words, others, runs in conditions[i]:
                if clause_words.isdisjoint(words) and (
                        (runs is not None and not any(r <= words for r in runs)) or not any(map(present.has, others))):
                    break
            else:
                out.append(i)
        return out
