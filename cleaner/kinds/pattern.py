"""The `pattern` kind: a `regex` pattern (or a word list), a replacement, and vetoes.

Options:
  pattern    regex to find (or ``words``: literal words/phrases, matched whole)
  words      list of words, or a mapping word -> replacement
  replace    replacement template (``\\1``, ``\\g<name>``); omit for a flag
  group      the group whose span is reported and replaced (default: the whole match)
  transform  capitalize | lower | upper | sentence_case, applied to the replacement
  acronyms, proper   word lists for ``sentence_case``
  flags      ignorecase, multiline, dotall, verbose
  requires   regexes of which at least one must occur in the document for the rule to
             run at all: a fast pre-check for rules whose pattern is slow to scan
  unless     list of vetoes, each one of: before / after (regex the text just before or
             after the match must match), match (regex the matched text fully matches),
             line (regex found anywhere in the match's line)
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

import regex

from .. import necessary
from ..model import Level
from ..transforms import TRANSFORMS
from . import base
from .base import Kind, OptionError, compile_regex, compile_requires, requirements_met

_FLAGS = {"ignorecase": regex.I, "multiline": regex.M, "dotall": regex.S, "verbose": regex.X}
_UNLESS_KEYS = ("before", "after", "match", "line")
CONTEXT = 120  # characters of context a before/after veto can see

TIMEOUT = base.TIMEOUT  # tests lower it to provoke a timeout


@lru_cache(maxsize=512)
def _word_regex(words: tuple[str, ...], flags: int):
    alternatives = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


class Veto:
    """One ``unless`` entry: a context in which the rule must not fire."""

    def __init__(self, key: str, where: str, pattern):
        self.key, self.where, self.pattern = key, where, pattern

    def applies(self, text: str, start: int, end: int, line: tuple[int, int]) -> bool:
        if self.where == "before":
            return self.pattern.search(text, max(0, start - CONTEXT), start, timeout=TIMEOUT) is not None
        if self.where == "after":
            return self.pattern.match(text, end, end + CONTEXT, timeout=TIMEOUT) is not None
        if self.where == "match":
            return self.pattern.fullmatch(text, start, end, timeout=TIMEOUT) is not None
        return self.pattern.search(text, line[0], line[1], timeout=TIMEOUT) is not None


class PatternKind(Kind):
    name = "pattern"
    OPTIONS = {
        "pattern": str,
        "words": (list, dict),
        "replace": str,
        "group": (int, str),
        "transform": str,
        "acronyms": list,
        "proper": list,
        "flags": list,
        "unless": list,
        "requires": (str, list),
    }

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        flags = 0
        for name in opts.get("flags", []):
            if name not in _FLAGS:
                raise OptionError("flags", f"unknown flag {name!r} (known: {', '.join(_FLAGS)})")
            flags |= _FLAGS[name]
        self.mapping: dict[str, str] | None = None
        if ("pattern" in opts) == ("words" in opts):
            raise OptionError("pattern", "give exactly one of 'pattern' and 'words'")
        if "pattern" in opts:
            self.regex = compile_regex("pattern", opts["pattern"], flags)
        else:
            words = opts["words"]
            if isinstance(words, dict):
                self.mapping = {(k.lower() if flags & regex.I else k): v for k, v in words.items()}
                words = list(words)
            if not words or not all(isinstance(w, str) and w for w in words):
                raise OptionError("words", "'words' must be a non-empty list of strings")
            # A named list compiles to a set lookup, not a slow alternation.
            self.regex = compile_regex("words", r"(?<!\w)\L<words>(?!\w)", flags, words=words)
        self.ignorecase = bool(flags & regex.I)
        # A word-list rule looks its first words up in the document's vocabulary, then
        # scans only for the entries whose first word is there.
        self.first_words: frozenset[str] | None = None
        self._by_first: dict[str, list[str]] = {}
        self._flags = flags
        if "words" in opts:
            for w in opts["words"]:
                first = regex.match(r"\w*", w).group()
                self._by_first.setdefault(first.lower() if self.ignorecase else first, []).append(w)
            self.first_words = frozenset(self._by_first)
        self.requires = compile_requires(opts, flags)

        self.replace: str | None = opts.get("replace")
        if rule.level is Level.FLAG and (self.replace is not None or self.mapping):
            raise OptionError("replace", "a flag-level rule has no replacement")
        if rule.level is not Level.FLAG and self.replace is None and self.mapping is None and "transform" not in opts:
            raise OptionError("replace", f"a {rule.level.value}-level rule needs 'replace', a 'words' mapping or 'transform'")
        self.group = opts.get("group", 0)
        if base.EAGER and isinstance(self.group, str) and self.group not in self.regex.groupindex:
            raise OptionError("group", f"no group named {self.group!r} in the pattern")
        if base.EAGER and isinstance(self.group, int) and not 0 <= self.group <= self.regex.groups:
            raise OptionError("group", f"the pattern has no group {self.group}")
        self.transform = None
        if "transform" in opts:
            if opts["transform"] not in TRANSFORMS:
                raise OptionError("transform", f"unknown transform {opts['transform']!r} (known: {', '.join(TRANSFORMS)})")
            self.transform = TRANSFORMS[opts["transform"]]
        self.transform_args = {"acronyms": opts.get("acronyms", []), "proper": opts.get("proper", [])}
        self.vetoes = [self._veto(i, v, flags) for i, v in enumerate(opts.get("unless", []))]
        if self.replace is not None and base.EAGER:
            self._check_template(self.replace)

    def _check_template(self, template: str) -> None:
        """A reference to a group the pattern lacks is an error at load, not at the first match."""
        for ref in regex.findall(r"\\(\d+)|\\g<(\w+)>", template):
            name = ref[0] or ref[1]
            ok = int(name) <= self.regex.groups if name.isdigit() else name in self.regex.groupindex
            if not ok:
                raise OptionError("replace", f"replacement {template!r} refers to group {name!r}, which the pattern lacks")

    @staticmethod
    def _veto(i: int, entry, flags: int) -> Veto:
        key = f"unless[{i}]"
        if not isinstance(entry, dict) or len(entry) != 1 or next(iter(entry)) not in _UNLESS_KEYS:
            raise OptionError(key, f"each 'unless' entry is one of {', '.join(_UNLESS_KEYS)}: a regex")
        where, pattern = next(iter(entry.items()))
        if where == "before":
            pattern = f"(?:{pattern})\\Z"
        return Veto(key, where, compile_regex(key, pattern, flags))

    def without_veto(self, i: int) -> "PatternKind":
        """A copy of this matcher with one veto removed (to prove each veto is exercised)."""
        clone = object.__new__(PatternKind)
        clone.__dict__.update(self.__dict__)
        clone.vetoes = self.vetoes[:i] + self.vetoes[i + 1:]
        return clone

    def _regex_for(self, doc):
        """The word-list regex narrowed to the entries the document may hold."""
        if self.first_words is None or "" in self.first_words:
            return self.regex
        vocab = doc.vocabulary_lower if self.ignorecase else doc.vocabulary
        present = tuple(sorted(w for first in self.first_words & vocab for w in self._by_first[first]))
        return _word_regex(present, self._flags)

    def _necessary(self) -> tuple[necessary.Necessary, ...]:
        """What a document must hold for the pattern (and a lone ``requires``) to be found
        in it; derived once per process (see cleaner.necessary)."""
        tests = self.__dict__.get("_tests")
        if tests is None:
            opts = self.rule.options
            found = []
            requires = opts.get("requires", [])
            if isinstance(requires, str) or len(requires) == 1:  # first: written to be fast
                found.append(necessary.for_pattern(requires if isinstance(requires, str) else requires[0], self._flags))
            if "pattern" in opts:
                own = necessary.for_pattern(opts["pattern"], self._flags)
                if found and own.widened is not None:  # one search, the pattern's: it is narrower
                    found[0] = necessary.Necessary(found[0].literals)
                found.append(own)
            tests = self.__dict__["_tests"] = tuple(t for t in found if not t.useless)
        return tests

    def _may_match(self, doc) -> bool:
        if self.first_words is not None:
            vocab = doc.vocabulary_lower if self.ignorecase else doc.vocabulary
            if "" not in self.first_words and not (self.first_words & vocab):
                return False
        else:
            text, memo = doc.text, doc.memo
            for test in self._necessary():
                if not test.admits(text, memo):
                    return False
        return requirements_met(self.requires, doc.text)

    def _matches(self, doc):
        """The pattern's matches in the document. Rules with the same pattern and flags
        (the doubled-word pair) share one scan, through the document's memo."""
        if self.first_words is not None:
            return self._regex_for(doc).finditer(doc.text, timeout=TIMEOUT)
        key = self.__dict__.get("_matches_key")
        if key is None:
            key = self.__dict__["_matches_key"] = f"pattern-matches:{self._flags}:{self.rule.options['pattern']}"
        return doc.memo(key, self._scan)

    def _scan(self, doc) -> list:
        start = necessary.start_filter(self.rule.options["pattern"], self._flags)
        if start is None:
            return list(self.regex.finditer(doc.text, timeout=TIMEOUT))
        return necessary.matches_from(start, self._flags, self.regex, doc.text, TIMEOUT)

    def find(self, doc) -> Iterator:
        if not self._may_match(doc):
            return
        text = doc.text
        rule = self.rule
        for m in self._matches(doc):
            start, end = m.span(self.group)
            if start < 0:
                continue
            if self.vetoes:
                line = doc.lines[doc.line_index(start)]
                if any(v.applies(text, m.start(), m.end(), line) for v in self.vetoes):
                    continue
            level = rule.level
            after = None
            if level is not Level.FLAG:
                if self.mapping is not None:
                    key = m.group()
                    after = self.mapping.get(key.lower() if self.ignorecase else key)
                elif self.replace is not None:
                    after = m.expand(self.replace)  # replaces the reported group's span
                else:
                    after = m.group(self.group)
                if self.transform is not None and after is not None:
                    after, sure = self.transform(after, doc, **self.transform_args)
                    if not sure:
                        level = Level.SUGGEST
                if after == text[start:end]:
                    continue
            yield rule.finding(doc, start, end, after, level=level)
