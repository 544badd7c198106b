"""The `phrases` kind: literal wrong phrases, each with its right form, found without regex.

Terminology lists map dozens of multi-word names ("Medium-Range Nuclear Forces Treaty")
to their established English form. As one `pattern` rule's ``words`` list they compile to
a `regex` string set, which costs milliseconds in every run for a list that rarely
matches; a substring search per phrase costs nothing to prepare and about as little per
megabyte. A phrase matches whole: not inside a longer word or hyphenated compound.

Options:
  phrases   mapping: wrong phrase -> right phrase (case-sensitive)
  unless    vetoes as in the `pattern` kind: ``before`` / ``after`` / ``match`` / ``line``
"""
from __future__ import annotations

import re
from typing import Iterator

from ..model import Level
from .base import Kind, OptionError
from .pattern import PatternKind


#: A phrase's first word as the document's vocabulary (`re`'s ``\w+``) counts words.
_FIRST_WORD = re.compile(r"\w+")


def _joined(ch: str) -> bool:
    """A character that continues a word: the phrase would be part of a longer one."""
    return ch.isalnum() or ch in "-_’'"


class PhrasesKind(Kind):
    name = "phrases"
    OPTIONS = {"phrases": dict, "unless": list}
    REQUIRED = ("phrases",)

    def __init__(self, rule):
        super().__init__(rule)
        phrases = rule.options["phrases"]
        if not phrases or not all(isinstance(k, str) and k.strip() and isinstance(v, str) for k, v in phrases.items()):
            raise OptionError("phrases", "'phrases' maps each wrong phrase to its right form (strings)")
        same = [k for k, v in phrases.items() if k == v]
        if same:
            raise OptionError("phrases", f"{same[0]!r} maps to itself")
        if rule.level is Level.FLAG:
            raise OptionError("phrases", "a phrases rule rewrites: its level is fix or suggest")
        self.phrases: dict[str, str] = dict(phrases)
        # A whole-phrase match starts a word, so a phrase that opens with a word character
        # can only match where its first word is one of the document's words.
        self.first_words: dict[str, str | None] = {}
        for wrong in self.phrases:
            m = _FIRST_WORD.match(wrong)
            self.first_words[wrong] = m.group() if m else None
        self.firsts = frozenset(w for w in self.first_words.values() if w is not None)
        self.all_worded = None not in self.first_words.values()
        self.vetoes = [PatternKind._veto(i, v, 0) for i, v in enumerate(rule.options.get("unless", []))]

    def without_veto(self, i: int) -> "PhrasesKind":
        """A copy with one veto removed (to prove each veto is exercised by a keep)."""
        clone = object.__new__(PhrasesKind)
        clone.__dict__.update(self.__dict__)
        clone.vetoes = self.vetoes[:i] + self.vetoes[i + 1:]
        return clone

    def find(self, doc) -> Iterator:
        if self.all_worded and self.firsts.isdisjoint(doc.vocabulary):
            return iter(())  # no phrase's first word is in the document: one set test
        return self._find(doc)

    def _find(self, doc) -> Iterator:
        text = doc.text
        vocabulary = doc.vocabulary
        for wrong, right in self.phrases.items():
            first = self.first_words[wrong]
            if first is not None and first not in vocabulary:
                continue
            i = text.find(wrong)
            while i >= 0:
                end = i + len(wrong)
                if not (i and _joined(text[i - 1])) and not (end < len(text) and _joined(text[end])) and not self._vetoed(doc, i, end):
                    yield self.rule.finding(doc, i, end, right)
                i = text.find(wrong, i + 1)

    def _vetoed(self, doc, start: int, end: int) -> bool:
        if not self.vetoes:
            return False
        line = doc.lines[doc.line_index(start)]
        return any(v.applies(doc.text, start, end, line) for v in self.vetoes)
