"""The `near_names` kind: a public figure's name one letter off, or turned into a word.

Machine translation mangles the names it does not know: back-transliterated from Russian
("Karine Jean-Pierre" comes back as "Karin Jean-Pierre"), "corrected" into another name
("Giorgia Meloni" into "Georgia Melons"), or read as a word when it looks like one ("Melons"
in a headline about Meloni). Two cases are flagged, never rewritten (the name may belong to
someone else):

- a run of capitalised words that matches a listed public figure word for word with at
  most one letter changed, added or dropped per word, and is not itself listed;
- a capitalised common English word one letter away from the surname of a listed person
  the document names in full, when that surname is no English word.

Spellings that only differ as transliterations do (``same``: "Sergey" / "Sergei",
"Zelenskiy" / "Zelenskyy"), or by accents ("Orban" / "Orbán"), are not variants here: the
`consistency` kind brings those to one form. Options: ``public_figures`` (a data file
under cleaner/data, as for the pronoun kind), ``same`` (pairs of letter groups a
transliteration swaps: [[y, i], [ks, x]]).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Iterator

import regex

from ..model import Level
from ..people import public_figures
from .base import Kind, OptionError

_RUN = regex.compile(r"(?<![\p{L}\p{M}\d’'\-])\p{Lu}[\p{L}\p{M}’'\-]+(?:[ \u00a0]\p{Lu}[\p{L}\p{M}’'\-]+)+")
_WORD = regex.compile(r"(?<![\p{L}\p{M}\d’'\-])\p{Lu}\p{Ll}+(?![\p{L}\p{M}\d’'\-])")


@lru_cache(maxsize=65536)
def _fold(word: str, same: tuple[tuple[str, str], ...]) -> str:
    """The word in lower case, without accents, each transliteration pair brought to one
    form; remembered (bounded): the same surnames and words are folded for every run."""
    low = word.lower()
    if not low.isascii():
        low = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
    for a, b in same:
        low = low.replace(a, b)
    return low


def _deletions(word: str) -> set[str]:
    """The word and every string one letter shorter: two words are at most one edit apart
    only if these sets meet (the symmetric-deletion test)."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


@lru_cache(maxsize=65536)
def _keys(word: str, same: tuple) -> frozenset[str]:
    """`_deletions` of the folded word, remembered: names and capitalised words recur."""
    return frozenset(_deletions(_fold(word, same)))


def _one_edit(a: str, b: str) -> bool:
    """At most one letter changed, added or dropped (and not equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=4)
def _index(name: str, same: tuple) -> dict[str, list[str]]:
    """Each listed name's folded last word, and its one-letter deletions -> the names."""
    out: dict[str, list[str]] = {}
    for full in public_figures(name):
        if " " not in full:
            continue
        for key in _deletions(_fold(full.split()[-1], same)):
            out.setdefault(key, []).append(full)
    return out


def _listed_tail(words: list[str], listed: dict) -> str | None:
    """The longest listed name the run ends with: "US President Joe Biden" -> "Joe Biden"."""
    for n in range(len(words), 1, -1):
        tail = " ".join(words[-n:])
        if tail in listed:
            return tail
    return None


_NEAR_MAX = 100_000  # words remembered per list of figures


@lru_cache(maxsize=4)
def _near_listed(name: str, same: tuple) -> dict[str, bool]:
    """The memo of whether a word is a listed figure's last word or one letter from one,
    across documents (common words and names recur)."""
    return {}


@lru_cache(maxsize=4)
def _last_words(name: str) -> frozenset[str]:
    return frozenset(full.split()[-1] for full in public_figures(name) if " " in full)


class NearNamesKind(Kind):
    name = "near_names"
    OPTIONS = {"public_figures": str, "same": list}

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        same = opts.get("same", [])
        if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) and x for x in p) for p in same):
            raise OptionError("same", "'same' is a list of [letters, letters] pairs, e.g. [[y, i]]")
        self.same = tuple((a.lower(), b.lower()) for a, b in same)
        self.figures = opts.get("public_figures", "people.yaml")

    def find(self, doc) -> Iterator:
        from ..lexicon import dictionary_case

        text = doc.text
        listed = public_figures(self.figures)
        index = _index(self.figures, self.same)
        named_surnames: dict[str, str] = {}  # folded surname of a listed person named in full -> full name
        lasts = _last_words(self.figures)
        near = _near_listed(self.figures, self.same)
        found_in: dict[str, tuple[str, str]] = {}  # run -> (the name in it, the figure it is near)
        # Each distinct run once, in order of first occurrence (names recur); where a run
        # occurs is looked up only for the few that are one letter off a listed figure.
        for run in dict.fromkeys(_RUN.findall(text)):
            last = run.rsplit(None, 1)[-1]  # its words are needed only when it is close
            close = near.get(last)
            if close is None:
                close = near[last] = last in lasts or not index.keys().isdisjoint(_keys(last, self.same))
                if len(near) > _NEAR_MAX:
                    near.clear()
            if not close:
                continue  # the common case: no listed surname within one letter
            words = run.split()
            if last in lasts:
                tail = _listed_tail(words, listed)
                if tail is not None:
                    named_surnames[_fold(last, self.same)] = tail
                    continue
            found = self._near_figure(words, listed, index)
            if found is not None:
                found_in[run] = found
        if found_in:
            starts: dict[str, list[int]] = {run: [] for run in found_in}
            for m in _RUN.finditer(text):
                if m.group() in starts:
                    starts[m.group()].append(m.start())
            for run, (cand, figure) in found_in.items():
                for at in starts[run]:
                    start = at + run.index(cand)
                    yield self._flag(doc, start, start + len(cand), figure, "a listed public figure")
        # Short surnames ("Yi", "Xi") are one letter from too many words ("In", "My").
        surnames = {s: full for s, full in named_surnames.items() if len(s) >= 5 and dictionary_case(full.split()[-1]) is None}
        if not surnames:
            return
        near = {}
        for s, full in surnames.items():
            for key in _deletions(s):
                near.setdefault(key, []).append((s, full))
        flagged: dict[str, str] = {}
        for word in set(_WORD.findall(text)):
            if len(word) < 4 or near.keys().isdisjoint(_keys(word, self.same)):
                continue  # the common case
            folded = _fold(word, self.same)
            if folded in surnames:
                continue  # the surname itself
            hits = {full for key in _keys(word, self.same) for s, full in near.get(key, ()) if _one_edit(folded, s)}
            if len(hits) == 1 and dictionary_case(word) in ("lower", "both"):  # a common word, not another name
                flagged[word] = hits.pop()
        if flagged:
            for m in _WORD.finditer(text):
                if m.group() in flagged:
                    yield self._flag(doc, m.start(), m.end(), flagged[m.group()], "named in this article", surname=True)

    def _near_figure(self, words: list[str], listed: dict, index: dict) -> tuple[str, str] | None:
        """A listed figure this run's last words match with one letter off per word."""
        last = _fold(words[-1], self.same)
        from ..lexicon import dictionary_case

        figures = {f for key in _deletions(last) for f in index.get(key, ())}
        found = None
        for figure in sorted(figures):
            parts = figure.split()
            if len(parts) > len(words):
                continue
            cand = words[-len(parts):]
            pairs = [(_fold(a, self.same), _fold(b, self.same)) for a, b in zip(cand, parts)]
            if all(a == b for a, b in pairs) or " ".join(cand) in listed:
                return None  # the figure, or a transliteration or accent variant (the consistency kind's)
            if not all(a == b or (len(b) >= 4 and _one_edit(a, b)) for a, b in pairs):
                continue
            # A surname one letter off is another family ("Kerr", "Kerry") unless the
            # translation made an English word of it ("Melons").
            if pairs[-1][0] != pairs[-1][1] and dictionary_case(cand[-1]) not in ("lower", "both"):
                continue
            found = found or (" ".join(cand), figure)
        return found

    def _flag(self, doc, start: int, end: int, figure: str, where: str, surname: bool = False):
        what = f"the surname of {figure} ({where})" if surname else f"{figure} ({where})"
        message = f"{self.rule.message}: ‘{doc.text[start:end]}’ is one letter away from {what}; check the spelling"
        return self.rule.finding(doc, start, end, None, level=Level.FLAG, message=message)
