"""The `glued` kind: two words run together ("Macronannounced", "Utopiawhich", "subjectsshe").

Scraped pages lose the space where a link or an emphasis ended, and machine translation
glues a name to the verb after it. A word is a candidate when no English word list knows
it (the spelling tables: SCOWL and wordfreq, names included) and it ends with one of the
rule's ``tails`` (words that begin the next phrase: verbs of saying, auxiliaries,
pronouns, relatives) after a capitalised head that the lists know (a name or a link's
text glued to the verb after it), or with one of ``lower_tails`` after a common
lower-case word (a closing quote lost: "subjectsshe explained"). One such split is a
`suggest` ("Macron announced"); several are a `flag` naming them.

Left alone: known words and names ("Brexit", "Kuwait": the lists know them), words with
a capital inside (brand names: "PlayStation"), all-capital words, words in URLs, handles
and hashtags, and a short tail ("it", "he") after a head that is not a common word (a
name or a foreign word that merely ends that way: "Landsbergis"). Conjunctions and
articles are not tails: English writers drop that space too ("Yorkand"), and the rule is
after the artifacts of translation and scraping.

Options:
  tails        words that may be glued to a capitalised head (required)
  lower_tails  words that may be glued to a lower-case head (default none)
  min_head     shortest head (default 3)
  min_length   shortest candidate word (default 6)
  head_zipf    Zipf frequency a lower-case head needs (default 3.0); a capitalised head
               needs only to be known (names are rare words)
  short_tail   tails this long or shorter need a common head, of at least
               ``short_tail_zipf`` (default 2 letters and 4.0): "Eastit", not "Landsbergis"
"""
from __future__ import annotations

from typing import Iterator

import regex

from ..model import Level
from .base import Kind, OptionError

# A word of letters only, not part of a URL, handle, hashtag, e-mail, path or compound.
_WORD = regex.compile(r"(?<![\w’'@#/.\-])\p{L}+(?![\w’'@/\-]|\.\w)")


class GluedKind(Kind):
    name = "glued"
    OPTIONS = {
        "tails": list,
        "lower_tails": list,
        "min_head": int,
        "min_length": int,
        "head_zipf": (int, float),
        "short_tail": int,
        "short_tail_zipf": (int, float),
    }
    REQUIRED = ("tails",)

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        self.tails = self._words(opts, "tails")
        self.lower_tails = frozenset(self._words(opts, "lower_tails")) if "lower_tails" in opts else frozenset()
        self.min_head = int(opts.get("min_head", 3))
        self.min_length = int(opts.get("min_length", 6))
        self.head_zipf = float(opts.get("head_zipf", 3.0))
        self.short_tail = int(opts.get("short_tail", 2))
        self.short_tail_zipf = float(opts.get("short_tail_zipf", 4.0))
        self._settled: set[str] = set()  # words of the run that are never candidates

    @staticmethod
    def _words(opts: dict, key: str) -> tuple[str, ...]:
        words = opts[key]
        if not words or not all(isinstance(t, str) and t.isalpha() and t.islower() for t in words):
            raise OptionError(key, f"'{key}' is a non-empty list of lower-case words")
        return tuple(sorted(set(words), key=len, reverse=True))

    def find(self, doc) -> Iterator:
        from ..wordtables import common_words, known_words

        known = known_words()
        zipf = common_words().zipf
        settled = self._settled
        if len(settled) > 200_000:
            settled.clear()
        splits: dict[str, list[tuple[str, str]]] = {}
        for w in doc.vocabulary - settled:
            found = None
            if len(w) >= self.min_length and w.isalpha() and (w.islower() or (w[0].isupper() and w[1:].islower())):
                low = w.lower()
                if low not in known:
                    found = self._splits(w, low, known, zipf)
            if found:
                splits[w] = found
            else:
                settled.add(w)
        if not splits:
            return
        text = doc.text
        for m in _WORD.finditer(text):
            options = splits.get(m.group())
            if options:
                yield self._report(doc, m.start(), m.end(), options)

    def _splits(self, word: str, low: str, known, zipf) -> list[tuple[str, str]]:
        out = []
        tails = self.tails if word[0].isupper() else self.lower_tails
        for tail in tails:
            if not low.endswith(tail) or len(low) - len(tail) < self.min_head:
                continue
            head = word[: -len(tail)]
            hlow = head.lower()
            if hlow not in known:
                continue
            if not head[0].isupper() and zipf(hlow) < self.head_zipf:
                continue
            if len(tail) <= self.short_tail and zipf(hlow) < self.short_tail_zipf:
                continue
            out.append((head, tail))
        return out

    def _report(self, doc, start: int, end: int, options: list[tuple[str, str]]):
        if len(options) == 1:
            head, tail = options[0]
            return self.rule.finding(doc, start, end, f"{head} {tail}", level=Level.SUGGEST,
                                     message=f"{self.rule.message}: “{head} {tail}”?")
        listed = ", ".join(f"“{h} {t}”" for h, t in options[:3])
        return self.rule.finding(doc, start, end, None, level=Level.FLAG, message=f"{self.rule.message}: {listed}?")
