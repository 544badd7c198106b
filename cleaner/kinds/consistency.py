"""The `consistency` kind: one name, one spelling within a document.

Machine translation transliterates a Russian or Ukrainian name afresh in each sentence, so
one article can have "Sergei Riabkov" and, three paragraphs on, "Sergey Riabkov"; a
newsroom that merges wire copy gets "Kiev" and "Kyiv" side by side. Which spellings count
as the same name is data: ``variants`` (classes of interchangeable letter groups, such as
word-final -i / -y / -iy, or ia / ya) and ``pairs`` (spellings no letter rule relates,
Kiev / Kyiv). The kind reduces every capitalised word to a key in which those differences
vanish, and where one key has several spellings in a document it brings them to one form:
the one a house-style list prefers, else the one of the first full mention.

What it must not merge:
  * two people who share a variant surname ("Yuri Riabkov" and "Sergei Ryabkov"): when the
    given names before a surname disagree, the spellings are left alone;
  * a given name used by two people ("Sergey Lavrov", "Sergei Riabkov"): a given name is
    only compared between mentions with the same surname;
  * a name inside another name ("the Kyiv Independent" in an article that writes "Kiev"):
    a word is only compared with mentions in the same role (standing alone or last, versus
    leading a longer name);
  * anything in quotation marks: a quoted source keeps its own spelling;
  * ordinary words ("Grey"): a common word the dictionary writes in lower case is no name;
  * two established names ("Henri" and "Henry", "Brian" and "Bryan"): when the dictionary
    knows both spellings as names, letter rules do not make them one (listed pairs do).

Options:
  variants  list of classes, each a list of letter groups that transliterations swap;
            ``^`` or ``$`` anchor a group to the start or end of the word
  pairs     list of lists of whole spellings that name the same thing
  prefer    house-style spellings that win whenever they take part
  titles    words that precede a name without being a given name (Mr, President)
The project's config may add preferred spellings as ``house_style`` (a list, or a mapping
with a ``names`` list) in ``doc.settings``.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterator

import regex

from ..model import Level
from .base import Kind, OptionError

# A capitalised word: initial capital then lower case (camel-case names are skipped).
_NAME_WORD = regex.compile(r"(?<![\p{L}\p{M}\d’'\-])\p{Lu}[\p{Ll}\p{M}]+(?![\p{L}\p{M}\d])")
# Capitalised words that only a space separates make one name run.
_NAME_RUN = regex.compile(
    r"(?<![\p{L}\p{M}\d’'\-])\p{Lu}[\p{Ll}\p{M}]+(?:[ \u00a0]\p{Lu}[\p{Ll}\p{M}]+)*(?![\p{L}\p{M}\d])"
)
# Quoted passages: a source's own spelling stays as it is.
_QUOTED = regex.compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*\"|«[^»\n]*»", regex.M)
# A letter group in a variant class: lower-case letters, anchored with ^ or $ if need be.
_GROUP = regex.compile(r"^\^?[\p{Ll}]+\$?$")
_MEMO_LIMIT = 200_000  # name keys remembered per process


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    word: str
    final: bool  # alone, or last word of a name run (surname, place)
    partner: str | None  # key of the given name (final) or of the surname (leading)
    full: bool  # part of a multi-word name


class ConsistencyKind(Kind):
    name = "consistency"
    OPTIONS = {"variants": list, "pairs": list, "prefer": list, "titles": list}

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        self.classes = [self._compile_class(i, c) for i, c in enumerate(opts.get("variants", []))]
        self._keys: dict[str, str] = {}
        # Pairs are keyed by their letter-rule key, so "Dmitri" (-i/-y) meets "Dmytro".
        self.pairs: dict[str, str] = {}
        for i, group in enumerate(opts.get("pairs", [])):
            if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, str) and w for w in group):
                raise OptionError(f"pairs[{i}]", "each entry of 'pairs' is a list of two or more spellings")
            for w in group:
                self.pairs[self._letter_key(w)] = "=" + group[0].lower()
        if not self.classes and not self.pairs:
            raise OptionError("variants", "give 'variants' or 'pairs' (or both)")
        self.prefer = frozenset(_strings(opts, "prefer"))
        self.titles = frozenset(w.lower() for w in _strings(opts, "titles"))

    @staticmethod
    def _compile_class(i: int, entry) -> tuple[regex.Pattern, str]:
        key = f"variants[{i}]"
        if not isinstance(entry, list) or len(entry) < 2 or not all(isinstance(g, str) and _GROUP.match(g) for g in entry):
            raise OptionError(key, "each variant class is a list of two or more lower-case letter groups (^ and $ may anchor them)")
        alts = []
        for g in sorted(entry, key=lambda g: -len(g.strip("^$"))):  # longest first: -iy before -y
            core = regex.escape(g.strip("^$"))
            alts.append(("^" if g.startswith("^") else "") + core + ("$" if g.endswith("$") else ""))
        return regex.compile("|".join(alts)), f"\x00{i}\x00"

    # -- keys ---------------------------------------------------------------------
    def key(self, word: str) -> str:
        """The spelling with every transliteration difference the pack lists erased."""
        cached = self._keys.get(word)
        if cached is None:
            if len(self._keys) > _MEMO_LIMIT:  # a long batch must not grow without bound
                self._keys.clear()
            letters = self._letter_key(word)
            cached = self._keys[word] = self.pairs.get(letters, letters)
        return cached

    def _letter_key(self, word: str) -> str:
        key = word.lower()
        for pattern, mark in self.classes:
            key = pattern.sub(mark, key)
        return key

    # -- mentions -------------------------------------------------------------------
    def runs(self, doc, wanted: set[str]) -> list[list[tuple[int, int, str]]]:
        """Runs of capitalised words outside quotations that contain a ``wanted`` word
        ("Deputy Minister Sergei Riabkov"), each word with its span."""
        text = doc.text
        runs: list[list[tuple[int, int, str]]] = []
        # Neither a name run nor a quotation crosses a line break, so scanning only the
        # lines that hold a wanted word finds the same runs as scanning the whole text.
        for a, b in _lines_holding(text, wanted):
            quoted = [m.span() for m in _QUOTED.finditer(text, a, b)]
            qi = 0
            for m in _NAME_RUN.finditer(text, a, b):
                words = m.group().split()
                if wanted.isdisjoint(words):
                    continue
                s = m.start()
                while qi < len(quoted) and quoted[qi][1] <= s:
                    qi += 1
                if qi < len(quoted) and quoted[qi][0] <= s:
                    continue
                run = []
                for w in words:
                    run.append((s, s + len(w), w))
                    s += len(w) + 1
                runs.append(run)
        return runs

    def mentions(self, runs, is_word) -> list[Mention]:
        """Each name word with its role: alone or last (a surname, a place) or leading.

        Titles and common words the dictionary writes in lower case ("Foreign",
        "Minister", a sentence's first word) are dropped from the front of a run, so "Deputy Foreign
        Minister Sergei Riabkov" is the name "Sergei Riabkov"; after the name they stay
        part of it ("the Kyiv Independent" is not the city)."""
        out: list[Mention] = []
        for run in runs:
            i = 0
            while i < len(run) and (run[i][2].lower() in self.titles or is_word(run[i][2])):
                i += 1
            names = run[i:]
            for i, (s, e, w) in enumerate(names):
                if i == len(names) - 1:
                    partner = self.key(names[i - 1][2]) if i > 0 else None
                    out.append(Mention(s, e, w, True, partner, i > 0))
                else:
                    out.append(Mention(s, e, w, False, self.key(names[-1][2]), True))
        return out

    # -- finding ----------------------------------------------------------------------
    def find(self, doc) -> Iterator:
        names = set(_NAME_WORD.findall(doc.text))
        # Most documents spell each name one way: distinct words with as many distinct
        # keys settle that with a memo lookup per word and one set.
        known = self._keys.get
        if len(set([known(w) or self.key(w) for w in names])) == len(names):
            return
        spellings: dict[str, set[str]] = {}
        for w in names:
            spellings.setdefault(self.key(w), set()).add(w)
        varying = {k for k, ws in spellings.items() if len(ws) > 1}
        if not varying:
            return
        runs = self.runs(doc, set().union(*(spellings[k] for k in varying)))
        from ..wordtables import common_words, dictionary_names  # only documents with variation pay

        words, names = common_words(), dictionary_names()

        def is_word(w: str) -> bool:
            return w.lower() in words

        by_key: dict[str, list[Mention]] = {}
        for m in self.mentions(runs, is_word):
            k = self.key(m.word)
            if k in varying:
                by_key.setdefault(k, []).append(m)
        prefer = self.prefer | _house_style(doc.settings)
        for key, mentions in by_key.items():
            if not key.startswith("=") and sum(w.lower() in names for w in spellings[key]) > 1:
                continue  # Henri and Henry: two names the dictionary knows, not one name twice
            for cluster in _clusters(mentions):
                yield from self._unify(doc, cluster, prefer)

    def _unify(self, doc, cluster: list[Mention], prefer: frozenset[str]) -> Iterator:
        spellings = {m.word for m in cluster}
        if len(spellings) < 2:
            return
        # Two spellings in one sentence may be compared on purpose ("Riabkov appears as
        # Ryabkov in 004", "Zelensky, also spelt Zelenskyy"): a person decides.
        level = Level.SUGGEST if _spellings_side_by_side(doc, cluster) else None
        preferred = sorted(w for w in spellings if w in prefer)
        house = [w for w in prefer if self.key(w) == self.key(cluster[0].word) and w not in spellings]
        if len(preferred) == 1:
            target, why = preferred[0], "house-style form"
        elif not preferred and len(house) == 1:
            target, why = house[0], "house-style form"
        elif preferred:
            return  # the house style lists two of them: nothing to choose by
        else:
            first = next((m for m in cluster if m.full), cluster[0])
            target = first.word
            line = doc.line_col(first.start)[0]
            why = f"form of the first {'full ' if first.full else ''}mention (line {line})"
        spelt = " and ".join(f"“{w}”" for w in sorted(spellings))
        for m in cluster:
            if m.word != target:
                yield self.rule.finding(
                    doc, m.start, m.end, target, level=level,
                    message=f"{self.rule.message} ({spelt}); keeping “{target}”, the {why}",
                )


def _lines_holding(text: str, words: set[str]) -> list[tuple[int, int]]:
    """Spans of the lines (between line feeds) in which any of ``words`` occurs, in order."""
    lines: set[tuple[int, int]] = set()
    for w in words:
        i = text.find(w)
        while i >= 0:
            a = text.rfind("\n", 0, i) + 1
            b = text.find("\n", i)
            if b < 0:
                b = len(text)
            lines.add((a, b))
            i = text.find(w, b)
    return sorted(lines)


def _spellings_side_by_side(doc, cluster: list[Mention]) -> bool:
    """Whether two spellings of the cluster stand in one sentence."""
    starts = [s for s, _ in doc.sentences]
    seen: dict[int, str] = {}
    for m in cluster:
        i = bisect.bisect_right(starts, m.start) - 1
        if seen.setdefault(i, m.word) != m.word:
            return True
    return False


def _clusters(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions that can be the same person or place.

    A word leading a name is compared only with mentions that lead a name with the same
    surname. A word standing alone or last is compared with the others standing alone or
    last, unless given names before them disagree (two people with one surname).
    """
    out: list[list[Mention]] = []
    leading: dict[str, list[Mention]] = {}
    for m in mentions:
        if not m.final:
            leading.setdefault(m.partner or "", []).append(m)
    out.extend(leading.values())
    final = [m for m in mentions if m.final]
    given = {m.partner for m in final if m.partner is not None}
    if len(given) <= 1:
        out.append(final)
    return out


def _strings(opts: dict, key: str) -> list[str]:
    values = opts.get(key, [])
    if not all(isinstance(v, str) and v for v in values):
        raise OptionError(key, f"'{key}' is a list of spellings")
    return values


def _house_style(settings: dict) -> frozenset[str]:
    """Preferred spellings from project config: ``house_style: [Kyiv, ...]`` or ``{names: [...]}``."""
    style = settings.get("house_style") if settings else None
    if isinstance(style, dict):
        style = style.get("names") or style.get("prefer")
    if isinstance(style, (list, tuple, set, frozenset)):
        # Spellings are compared word by word: "Sergey Lavrov" prefers "Sergey" and "Lavrov".
        return frozenset(part for w in style if isinstance(w, str) for part in w.split())
    return frozenset()
