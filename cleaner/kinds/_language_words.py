"""The `language` kind's ``check: words``: function words of a source language left
between two English words ("americans Y russians", "the talks que began").

A listed word is reported only between two lower-case words, each one space away, both
English (the dictionary, or its British spelling). It is fixed when the rule has a
``translate`` entry for it and the rewrite is certain: plain lower-case words of 3+ letters
either side, neither in ``not_after`` ("the y axis"). Left alone: names (a capitalised
neighbour: "Plaza de Mayo", "del Potro", "Y Combinator"), capitalised words in
mid-sentence, lone letters ("the x y plane"), runs of the source language (the
sentence check's job), loanwords (cleaner/data/loanwords.txt: "de facto", "joie de
vivre") and quoted or italic titles. The candidates come from one scan of the text
shared by every language's rule; a word several languages list ("de", "que") is
reported once, naming them all.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from importlib import resources
from typing import Iterator

import regex

from ..model import Level
from ..prefilter import LazyPattern, lowered
from .base import OptionError
from .language import CONTEXT, LANGUAGE_NAMES, language_code, word_set

# Patterns are compiled on first use, so loading the packs compiles none of them.
# A word as the neighbour test sees it: letters, with inner apostrophes or hyphens.
_WORD_BEFORE = LazyPattern(r"(?r)(?<![\p{L}\p{M}'’\-])\p{L}[\p{L}\p{M}'’\-]*", literals=())  # matched backwards
_WORD_AFTER = LazyPattern(r" (\p{L}[\p{L}\p{M}'’\-]*)(?![\p{L}\p{M}'’\-])", literals=())
# Spans left alone: quoted or italic titles and phrases.
_QUOTED = LazyPattern(
    r"“[^”\n]{1,200}”|‘[^’\n]{1,200}’|\"[^\"\n]{1,200}\"|«[^»\n]{1,200}»"
    r"|(?<!\w)\*[^*\n]{1,200}\*(?!\w)|(?<!\w)_[^_\n]{1,200}_(?!\w)|<(i|em|cite)\b[^>]*>.*?</\1>",
    regex.S, literals=(),
)
_PLAIN = LazyPattern(r"\p{Ll}{3,}", literals=())
_LOWER_WORD = LazyPattern(r"\p{Ll}{2,}(?:['’\-]\p{Ll}+)*", literals=())
_LOAN_WORD = LazyPattern(r"[\p{L}\p{M}]+(?:['’\-][\p{L}\p{M}]+)*", literals=())
# British spellings the (American) dictionary lacks, and the American ones.
_BRITISH = (
    (r"is(e|ed|es|ing|ation|ations)$", r"iz\1"), (r"our(s|ed|ing)?$", r"or\1"),
    (r"ll(ed|ing)$", r"l\1"), (r"tre(s)?$", r"ter\1"), (r"ence$", "ense"),
)
# Word tokens as Document.tokens cuts them; the stdlib engine on lower-cased text is the
# fastest scan (47 ms/MB against 310 ms/MB for building Document.tokens).
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*")

# word -> the source languages whose word lists have it (filled as rules are built).
LISTED: dict[str, set[str]] = {}
# The same words as a set (a set intersects a list without building a set of it).
_LISTED_SET: set[str] = set()
# Listed words that are not all letters and digits ("l'"): the vocabulary cannot vouch for them.
_UNPLAIN: set[str] = set()


class LeftoverWords:
    """``check: words`` for one source language."""

    def __init__(self, rule, opts) -> None:
        self.rule = rule
        self.language = language_code(opts)
        self.weight = float(opts.get("weight", 3))
        translate = opts.get("translate", {})
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in translate.items()):
            raise OptionError("translate", "'translate' maps a source word to its English word")
        self.translate = {k.lower(): v for k, v in translate.items()}
        self.words = word_set("words", opts.get("words", [])) | frozenset(self.translate)
        self._register()
        if not self.words:
            raise OptionError("words", "check: words needs 'words' or 'translate'")
        self.not_after = word_set("not_after", opts.get("not_after", [])) if "not_after" in opts else frozenset()
        self.loanwords = self._loanwords(list(_shared_loanwords()) + opts.get("loanwords", []))

    def _register(self) -> None:
        """Which source languages list a word, for messages and evidence."""
        for word in self.words:
            LISTED.setdefault(word, set()).add(self.language)
            _LISTED_SET.add(word)
            if not word.isalnum():
                _UNPLAIN.add(word)

    def __setstate__(self, state: dict) -> None:
        # A pack loaded from the cache is unpickled, not built: register its words again.
        self.__dict__.update(state)
        self._register()

    def _loanwords(self, phrases) -> dict[str, list[tuple[list[str], list[str]]]]:
        """For each listed word, the words around it in each loanword phrase that has it."""
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise OptionError("loanwords", "'loanwords' is a list of phrases")
        out: dict[str, list[tuple[list[str], list[str]]]] = {}
        for phrase in phrases:
            parts = phrase.lower().split()
            for i, part in enumerate(parts):
                if part in self.words:
                    out.setdefault(part, []).append((parts[:i], parts[i + 1:]))
        return out

    def _in_loanword(self, text: str, start: int, end: int, word: str) -> bool:
        phrases = self.loanwords.get(word)
        if not phrases:
            return False
        head_words = _LOAN_WORD.pattern.findall(text[max(0, start - CONTEXT):start].lower())
        tail_words = _LOAN_WORD.pattern.findall(text[end:end + CONTEXT].lower())
        for before, after in phrases:
            if (not before or head_words[-len(before):] == before) and tail_words[: len(after)] == after:
                return True
        return False

    def find(self, doc) -> Iterator:
        text = doc.text
        index = _listed_tokens(doc)
        if not index:
            return
        words = self.words
        candidates = sorted(t for w, found in index.items() if w in words for t in found)
        for start, end, word in candidates:
            lower = word.lower()
            around = _neighbours(doc, start, end)
            if around is None:
                # at an edge, next to punctuation, or next to a capitalised word; but a word
                # with letters English lacks may follow a comma ("grew, según official
                # figures"): then the word after it is enough
                around = _after_punctuation(doc, start, end, word)
                if around is None:
                    continue
            p, n = around
            if p.lower() in self.words and n.lower() in self.words:
                continue  # inside a run of the source language: the sentence check's job
            certain = bool(p) and self._certain(p, n)
            if len(lower) == 1 and not certain:
                continue  # a lone letter is often just a letter ("the x y plane", "vitamin e")
            if word[0].isupper() and not (certain and lower in self.translate):
                continue  # capitalised in mid-sentence: a name or acronym ("the Nas in", "El Al")
            if self._in_loanword(text, start, end, lower) or _inside(_quoted_spans(doc), start, end):
                continue
            if not _claim(doc, start, end):
                continue  # another language's rule already reported this word ("de", "que")
            codes = sorted(LISTED.get(lower, {self.language}))
            evidence = tuple((c, self.weight / len(codes)) for c in codes)
            if lower in self.translate and certain:
                after = self.translate[lower]
                name = LANGUAGE_NAMES.get(self.language, self.language)
                msg = f"{name} “{lower}” ({after}) left untranslated"
                yield self.rule.finding(doc, start, end, after, message=msg, evidence=evidence)
            elif all(w == "" or (_LOWER_WORD.pattern.fullmatch(w) and _english(w)) for w in (p, n)):
                # between two English words (not inside a run of foreign words)
                gloss = f" (“{self.translate[lower]}”)" if lower in self.translate else ""
                names = "/".join(LANGUAGE_NAMES.get(c, c) for c in codes)
                msg = f"“{word}”{gloss} looks like a {names} word left untranslated"
                proposals = (self.translate[lower],) if lower in self.translate else ()
                yield self.rule.finding(doc, start, end, None, level=Level.FLAG, message=msg, evidence=evidence, proposals=proposals)

    def _certain(self, prev: str, nxt: str) -> bool:
        """Sure enough to rewrite: plain lower-case words of 3+ letters either side, neither
        one that the translation cannot stand next to ("the y axis", "vitamin e and")."""
        return bool(
            _PLAIN.pattern.fullmatch(prev) and _PLAIN.pattern.fullmatch(nxt)
            and prev not in self.not_after and nxt not in self.not_after
        )


def _english(word: str) -> bool:
    """In the English dictionary, in any case or in its British spelling ("criticised"),
    and not a function word of a source language ("se", "la")."""
    from ..lexicon import dictionary_case

    if word.lower() in LISTED:
        return False
    if dictionary_case(word) is not None:
        return True
    return any(dictionary_case(re.sub(p, r, word)) is not None for p, r in _BRITISH if re.search(p, word))


@lru_cache(maxsize=1)
def _shared_loanwords() -> tuple[str, ...]:
    """Phrases English borrows whole (cleaner/data/loanwords.txt)."""
    text = resources.files("cleaner").joinpath("data/loanwords.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _neighbours(doc, start: int, end: int) -> tuple[str, str] | None:
    """The lower-case words right before and after [start, end), each one space away, or
    None: at an edge or punctuation (not between two words) or beside a capitalised word
    (a name: "Plaza de Mayo", "Y Combinator"). Remembered per document, since several
    languages' rules ask about the same "de"."""
    memo = doc.__dict__.setdefault("_language_neighbours", {})
    if start in memo:
        return memo[start]
    text = doc.text
    found = None
    if start >= 2 and text[start - 1] == " " and text[end:end + 1] == " ":
        prev = _WORD_BEFORE.pattern.match(text, max(0, start - CONTEXT), start - 1)
        nxt = _WORD_AFTER.pattern.match(text, end, end + CONTEXT)
        if prev and nxt and prev.group()[0].islower() and nxt.group(1)[0].islower():
            found = (prev.group(), nxt.group(1))
    memo[start] = found
    return found


def _after_punctuation(doc, start: int, end: int, word: str) -> tuple[str, str] | None:
    """("", next word) for a lower-case word with letters English lacks ("según") that
    follows ", " or ": " and precedes a lower-case word; None otherwise."""
    text = doc.text
    if word.isascii() or len(word) < 2 or not word.islower() or text[max(0, start - 2):start] not in (", ", ": ", "; "):
        return None
    nxt = _WORD_AFTER.pattern.match(text, end, end + CONTEXT)
    if nxt is None or not nxt.group(1)[0].islower():
        return None
    return ("", nxt.group(1))


def _listed_tokens(doc) -> dict[str, list[tuple[int, int, str]]]:
    """Every word of the document that some word list has, by lower-cased word, as
    (start, end, text), shared by every words rule: the set of the text's words meets
    the lists first, and only the few listed words present are then located.

    The set of words is the document's cached vocabulary (its words, lower-cased),
    which every listed word (letters only) of a token is in when lower-casing keeps the
    length; the located matches are what counts, so a word too many costs one scan."""
    index = doc.__dict__.get("_language_listed")
    if index is None:
        index = {}
        low = lowered(doc)
        text = doc.text
        same = len(low) == len(text)  # lower-casing can lengthen a few letters ("İ")
        scan = low if same else text
        if same and not _UNPLAIN:
            present = _listed_in_vocabulary(doc)
        else:
            present = set(_TOKEN.findall(text.lower())) & LISTED.keys()
        for word in sorted(present):
            # the literal first, so the engine can skip ahead to it; then the boundaries
            bounded = rf"{re.escape(word)}(?<![\w'’\-].{{{len(word)}}})(?![\w'’\-])"
            for m in re.finditer(bounded, scan, re.S if same else re.S | re.I):
                start, end = m.span()
                index.setdefault(word, []).append((start, end, text[start:end]))
        doc.__dict__["_language_listed"] = index
    return index


def _listed_in_vocabulary(doc) -> set[str]:
    """The listed words in ``doc.vocabulary_lower``: which vocabulary words are listed,
    lower-cased, is remembered per process (the vocabulary of a corpus repeats), so a
    document costs one set difference and a look at its few new words."""
    if _VOCABULARY_FOR[0] != len(_LISTED_SET) or len(_UNLISTED_WORDS) > 200_000:
        _LISTED_WORDS.clear()
        _UNLISTED_WORDS.clear()
        _VOCABULARY_FOR[0] = len(_LISTED_SET)
    rest = doc.vocabulary.difference(_UNLISTED_WORDS)
    for word in rest.difference(_LISTED_WORDS):
        lower = word.lower()
        if lower in _LISTED_SET:
            _LISTED_WORDS[word] = lower
        else:
            _UNLISTED_WORDS.add(word)
    return {_LISTED_WORDS[w] for w in rest if w in _LISTED_WORDS}


# Vocabulary words seen so far: listed ones by their lower case, and the others; kept
# for the listed words there were (_LISTED_SET only grows).
_LISTED_WORDS: dict[str, str] = {}
_UNLISTED_WORDS: set[str] = set()
_VOCABULARY_FOR = [0]


def _claim(doc, start: int, end: int) -> bool:
    """True the first time any words rule reports this span of this document."""
    claimed = doc.__dict__.setdefault("_language_claimed", set())
    if (start, end) in claimed:
        return False
    claimed.add((start, end))
    return True


def _quoted_spans(doc) -> list[tuple[int, int]]:
    """Quoted and italic spans of a document, found once and only when a rule asks."""
    spans = doc.__dict__.get("_language_quoted")
    if spans is None:
        spans = [m.span() for m in _QUOTED.pattern.finditer(doc.text)]
        doc.__dict__["_language_quoted"] = spans
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]
