"""The `spelling` kind: words that are not English but one edit from a common English word.

Machine translation and the editing around it leave typos such as "responnse" (a letter
doubled). A lower-case word is a candidate when no English word list knows it; it is
reported when one edit (a letter deleted, added, changed, or two swapped) makes a common
English word of it. It is a `fix` only when the edit removes a doubled letter and the
result is frequent and the only common word within one edit; a single candidate otherwise
is a `suggest`, several a `flag`.

Left alone, because they are not typos in English text:
  * capitalised words and words with accents or digits (names, foreign words, codes);
  * a word in a sentence with another word no list knows (a foreign phrase, not a typo);
  * a word in quotation marks beside accented words, or in emphasis (``*...*``, ``_..._``,
    ``<i>``, ``<em>``, ``<cite>``): a foreign title or term;
  * pieces of contractions ("isn't", "o'clock") and words the rule's ``ignore`` lists.

Options:
  min_length     shortest word checked (default 4: short words have too many neighbours)
  suggest_zipf   Zipf frequency a correction needs to be offered (default 3.0)
  fix_zipf       Zipf frequency a doubled-letter correction needs to be a fix (default 3.5)
  ignore         words never reported (a newsroom's jargon)
"""
from __future__ import annotations

import bisect
import re
from typing import Iterator

import regex

from ..model import Level
from .base import Kind, OptionError

# A lower-case ASCII word: not part of a capitalised, accented or alphanumeric word, and not
# a piece of a contraction or an elision. The standard library's engine scans this simple
# pattern twice as fast as `regex`, and this scan is most of the rule's cost.
_LOWER_WORD = re.compile(r"(?<![\w’'])[a-z]+(?!\w|[’'][a-z])")
_QUOTED = regex.compile(r"“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»|‘[^’\n]*’(?!\w)")
_FOREIGN_HINT = regex.compile(r"[^\x00-\x7f\s“”‘’«»–—…]")  # a letter outside ASCII: é, ñ, ü
_EMPHASIS = "*_"
# An HTML element that marks a title or a foreign term, still open where the word stands.
_EMPHASIS_TAG = regex.compile(r"<(i|em|cite)\b[^>]*>[^<]*\Z", regex.I)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away (Norvig)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in _LETTERS)
    out.update(a + c + b for a, b in splits for c in _LETTERS)
    out.discard(word)
    return out


def undoubled(word: str) -> set[str]:
    """The word with one letter of a doubled pair removed ("responnse" -> "response")."""
    return {word[:i] + word[i + 1:] for i in range(1, len(word)) if word[i] == word[i - 1]}


#: Unknown words in one document above which the common words are loaded as a dict.
MANY = 10


def _zero_default(zipf):
    return lambda word, default: zipf(word)


_MEMO_LIMIT = 200_000

_NEAR: dict[tuple[str, float], list[tuple[float, str]]] = {}


#: The longest word that can be one edit from a common word: one letter longer than the
#: longest of them (18 letters; tests/test_safety.py checks it against the table). A longer
#: "word" (a run of letters in a hash or a scraped blob) is never a typo, and its candidate
#: strings would cost memory with the square of its length.
LONGEST_CANDIDATE = 19


def _near(word: str, threshold: float, zipf) -> list[tuple[float, str]]:
    """Common words one edit from ``word``, most frequent first; remembered for the run,
    since a batch of articles meets the same unknown words (names, jargon) again and again."""
    if len(word) > LONGEST_CANDIDATE:
        return []
    key = (word, threshold)
    hit = _NEAR.get(key)
    if hit is None:
        if len(_NEAR) > 100_000:
            _NEAR.clear()
        hit = _NEAR[key] = sorted(((z, c) for c in edits1(word) if (z := zipf(c, 0.0)) >= threshold), reverse=True)
    return hit


def _occurrences(text: str, words) -> list[tuple[int, int]]:
    """Spans of ``words`` as whole words: a substring search per word when they are few
    (the usual case: one typo in an article), one token scan when they are many."""
    if len(words) > 20:
        return [m.span() for m in _LOWER_WORD.finditer(text) if m.group() in words]
    spans = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            # Inside a longer word: skipped at once, so a word found again and again inside a
            # long run of letters costs a step per hit, not a scan of the run.
            if not (i and (text[i - 1].isalnum() or text[i - 1] in "_’'")):
                m = _LOWER_WORD.match(text, i)  # the lookbehind sees the text before i
                if m and m.end() == i + len(w):
                    spans.append((i, i + len(w)))
            i = text.find(w, i + 1)
    return sorted(spans)


class SpellingKind(Kind):
    name = "spelling"
    OPTIONS = {"min_length": int, "suggest_zipf": (int, float), "fix_zipf": (int, float), "ignore": list, "prefixes": list}

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        self.min_length = opts.get("min_length", 4)
        if self.min_length < 2:
            raise OptionError("min_length", "min_length is at least 2")
        self.suggest_zipf = float(opts.get("suggest_zipf", 3.0))
        self.fix_zipf = float(opts.get("fix_zipf", 3.5))
        if self.fix_zipf < self.suggest_zipf:
            raise OptionError("fix_zipf", "fix_zipf cannot be below suggest_zipf")
        ignore = opts.get("ignore", [])
        if not all(isinstance(w, str) and w for w in ignore):
            raise OptionError("ignore", "'ignore' is a list of words")
        self.ignore = frozenset(w.lower() for w in ignore)
        prefixes = opts.get("prefixes", [])
        if not all(isinstance(p, str) and p for p in prefixes):
            raise OptionError("prefixes", "'prefixes' is a list of word beginnings")
        self.prefixes = tuple(sorted((p.lower() for p in prefixes), key=len, reverse=True))
        # Words of the run that are never candidates (known, ignored, short, capitalised,
        # accented or with digits): a verdict that depends only on the word and this rule.
        self._settled: set[str] = set()

    def find(self, doc) -> Iterator:
        from ..wordtables import known_words

        text = doc.text
        known = known_words()
        # Every word the scan below can yield is one of the document's `\w+` words (shared
        # with the word-list rules); the words already settled in this run drop out of that
        # set at C speed, so a clean article costs one set difference.
        settled = self._settled
        if len(settled) > _MEMO_LIMIT:  # a long batch must not grow without bound
            settled.clear()
        maybe = set()
        for w in doc.vocabulary - settled:
            if (len(w) >= self.min_length and w.isascii() and w.isalpha() and w.islower() and w not in self.ignore
                    and w not in known and not self._prefixed(w, known)):
                maybe.add(w)
            else:
                settled.add(w)
        if not maybe:
            return
        # Keep only the words that also stand alone as lower-case words somewhere (not only
        # as the tail of a contraction or elision: isn't, o'clock).
        unknown = {text[s:e] for s, e in _occurrences(text, maybe)}
        if not unknown:
            return
        from ..wordtables import common_frequencies, common_words

        # A few unknown words: search the table; many: build a dict of it once (~5 ms).
        zipf = common_frequencies().get if len(unknown) > MANY else _zero_default(common_words().zipf)
        candidates = {}
        for w in unknown:
            near = _near(w, self.suggest_zipf, zipf)
            if near:
                candidates[w] = near
        if not candidates:
            return
        context = _Context(doc, unknown)
        for start, end in _occurrences(text, candidates):
            if not context.foreign(start, end):
                yield self._report(doc, start, end, text[start:end], candidates[text[start:end]])

    def _prefixed(self, word: str, known) -> bool:
        """A prefix on a known word ("unclosed", "re-run" as "rerun") is a word, not a typo."""
        return any(word.startswith(p) and len(word) - len(p) >= 5 and word[len(p):] in known for p in self.prefixes)

    def _report(self, doc, start: int, end: int, word: str, near: list[tuple[float, str]]):
        best_zipf, best = near[0]
        if len(near) == 1:
            if best in undoubled(word) and best_zipf >= self.fix_zipf:
                return self.rule.finding(doc, start, end, best, message=f"{self.rule.message}: “{best}” (a letter doubled)")
            return self.rule.finding(doc, start, end, best, level=Level.SUGGEST, message=f"{self.rule.message}: “{best}”?")
        listed = ", ".join(f"“{c}”" for _, c in near[:3])
        return self.rule.finding(doc, start, end, None, level=Level.FLAG, message=f"{self.rule.message}: {listed}?")


class _Context:
    """What each sentence says about the words in it, worked out once per sentence (a
    sentence may be a whole file: one long line with no full stop)."""

    def __init__(self, doc, unknown: set[str]):
        self.doc, self.text, self.unknown = doc, doc.text, unknown
        self.starts = [s for s, _ in doc.sentences]
        self._sentences: dict[int, tuple[int, list[int], list[int]]] = {}

    def _sentence(self, i: int) -> tuple[int, list[int], list[int]]:
        """Unknown words in sentence ``i``, and the quotations about it with an accented word."""
        hit = self._sentences.get(i)
        if hit is None:
            text = self.text
            s, e = self.doc.sentences[i] if i >= 0 else (0, len(text))
            count = sum(1 for w in _LOWER_WORD.findall(text, s, e) if w in self.unknown)
            starts, ends = [], []
            for q in _QUOTED.finditer(text, max(0, s - 200), min(len(text), e + 200)):
                if _FOREIGN_HINT.search(text, q.start(), q.end()):
                    starts.append(q.start())
                    ends.append(q.end())
            hit = self._sentences[i] = (count, starts, ends)
        return hit

    def foreign(self, start: int, end: int) -> bool:
        """True inside a foreign phrase or title: another unknown word in the sentence, or an
        accented word in the same quotation; and inside emphasis (titles are italicised)."""
        text = self.text
        if (start and text[start - 1] in _EMPHASIS) or (end < len(text) and text[end] in _EMPHASIS):
            return True
        if _EMPHASIS_TAG.search(text, max(0, start - 80), start):
            return True
        count, q_starts, q_ends = self._sentence(bisect.bisect_right(self.starts, start) - 1)
        if count > 1:
            return True
        # The quotations found by one scan do not overlap: only the last one opening
        # before the word can hold it.
        j = bisect.bisect_left(q_starts, start) - 1
        return j >= 0 and end < q_ends[j]
