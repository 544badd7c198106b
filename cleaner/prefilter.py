"""Compile a pattern only when the text could match it, judged by a literal it requires.

Compiling a `regex` pattern costs 0.2–1 ms, which for a few dozen false-friend phrases
is more than checking one article. Most phrases never occur, so each `LazyPattern`
finds a literal word every match must contain ("hammered" in
``(?:he|she) hammered(?=,)``) and compiles its pattern the first time a text contains
that word (a substring test on the lower-cased text, memoised per document). The
literals are worked out on first use, once per pattern string: parsing is Python code
and costs more than building the rule. A pattern that is an alternation at the top
level may ask for one word of each alternative instead.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

import regex

WINDOW = 200  # characters a phrase match may reach from its required literal
_GROUP_OPEN = regex.compile(r"\(\?(?:P<\w+>|<\w+>|:|[imsxauLV0-9-]+:)?|\(")


@lru_cache(maxsize=None)
def required_literals(pattern: str) -> tuple[str, ...]:
    """Runs of 3+ letters that every match of ``pattern`` contains, lower-cased, longest
    first; empty when none can be proved (then the pattern is always compiled).

    Parsing is done in Python, so each pattern string is parsed once per process."""
    runs = {r.lower() for r in _required_runs(pattern) if len(r) >= 3}
    return tuple(sorted(runs, key=lambda r: (-len(r), r)))


@lru_cache(maxsize=None)
def branch_literals(pattern: str) -> tuple[str, ...]:
    """For a pattern that is an alternation at the top level ("ambient minister|ministry
    of ambient"), the longest required run of each branch: every match contains one of
    them. Empty when some branch has none, or there is no top-level alternation."""
    branches = _top_level_branches(pattern)
    if len(branches) < 2:
        return ()
    out: list[str] = []
    for branch in branches:
        runs = required_literals(branch)
        if not runs:
            return ()
        if runs[0] not in out:
            out.append(runs[0])
    return tuple(out)


def required_literal(pattern: str) -> str | None:
    """The longest run of letters every match of ``pattern`` contains, or None."""
    runs = required_literals(pattern)
    return runs[0] if runs else None


def _required_runs(p: str) -> list[str]:
    """Letter runs at the top level of ``p`` (not optional, not in an alternative),
    looking into plain groups that have no alternation and no quantifier."""
    if _top_level_alternation(p):
        return []
    runs: list[str] = []
    cur = ""
    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            runs.append(cur)
            cur = ""
            i = _skip_escape(p, i)
            continue
        if c == "[":
            runs.append(cur)
            cur = ""
            i = _skip_class(p, i)
            continue
        if c == "(":
            runs.append(cur)
            cur = ""
            end = _matching_paren(p, i)
            if end < 0:
                return []
            body_start = _GROUP_OPEN.match(p, i)
            lookaround = p.startswith(("(?=", "(?!", "(?<=", "(?<!"), i)
            quantified = end + 1 < len(p) and p[end + 1] in "?*{"
            if body_start and not lookaround and not quantified and not p.startswith("(?#", i):
                runs.extend(_required_runs(p[body_start.end():end]))
            i = end + 1
            continue
        if c.isalpha():
            # a letter made optional by a quantifier ends the run without itself
            if i + 1 < len(p) and p[i + 1] in "?*{":
                runs.append(cur)
                cur = ""
                i += 1
                continue
            cur += c
        elif c == " ":
            cur += c
        else:
            runs.append(cur)
            cur = ""
        i += 1
    runs.append(cur)
    out = []
    for run in runs:
        out.extend(w for w in run.split(" ") if w)
    return out


def _skip_escape(p: str, i: int) -> int:
    """Past an escape: ``\\b``, ``\\p{Lu}``, ``\\g<name>``, ``\\L<words>``."""
    if i + 2 < len(p) and p[i + 1] in "pPNgLx" and p[i + 2] in "{<":
        close = p.find("}" if p[i + 2] == "{" else ">", i + 2)
        return len(p) if close < 0 else close + 1
    return i + 2


def _skip_class(p: str, i: int) -> int:
    i += 1
    if i < len(p) and p[i] == "^":
        i += 1
    if i < len(p) and p[i] == "]":
        i += 1
    depth = 1
    while i < len(p) and depth:
        if p[i] == "\\":
            i += 2
            continue
        if p[i] == "[":
            depth += 1
        elif p[i] == "]":
            depth -= 1
        i += 1
    return i


def _structure(p: str, i: int = 0):
    """(index, character, depth after it) of each ``(``, ``)`` and ``|`` outside escapes
    and character classes: the one walk over a pattern that the helpers below share."""
    depth = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _skip_class(p, i)
            continue
        if c in "()|":
            depth += (c == "(") - (c == ")")
            yield i, c, depth
        i += 1


def _matching_paren(p: str, i: int) -> int:
    return next((j for j, c, depth in _structure(p, i) if c == ")" and depth == 0), -1)


def _top_level_branches(p: str) -> list[str]:
    """``p`` cut at its top-level ``|``."""
    out: list[str] = []
    last = 0
    for j, c, depth in _structure(p):
        if c == "|" and depth == 0:
            out.append(p[last:j])
            last = j + 1
    out.append(p[last:])
    return out


def _top_level_alternation(p: str) -> bool:
    return len(_top_level_branches(p)) > 1


class LazyPattern:
    """A pattern compiled on first need; `could_match` says whether a text needs it."""

    def __init__(self, source: str, flags: int = 0, *, literals: tuple[str, ...] | None = None,
                 compile: Callable[[str, int], regex.Pattern] | None = None,
                 literals_of: str | None = None, branches: bool = False):
        """``literals``: strings of which every match contains one (given), or else the
        words every match contains all of (derived from the pattern, or from
        ``literals_of`` when ``source`` wraps it in boundaries). ``branches``: when no
        word is common to every match, one word of each top-level alternative will do."""
        self.source, self.flags = source, flags
        self._literals_of, self._branches = literals_of, branches
        # Derived literals are worked out on first use (parsing a pattern costs more than
        # loading a rule); given ones are kept as they are.
        self._literals: tuple[str, ...] | None = None
        self._also: tuple[str, ...] = ()
        if literals is not None:
            self._literals = tuple(lit.lower() for lit in literals)
        self._compile = compile or regex.compile
        self._pattern: regex.Pattern | None = None

    def _derive(self) -> None:
        source = self.source if self._literals_of is None else self._literals_of
        runs = required_literals(source)
        if not runs and self._branches:
            self._literals, self._also = branch_literals(source), ()
        else:
            self._literals, self._also = runs[:1], runs[1:]

    @property
    def literals(self) -> tuple[str, ...]:
        if self._literals is None:
            self._derive()
        return self._literals  # type: ignore[return-value]

    @literals.setter
    def literals(self, value: tuple[str, ...]) -> None:
        self._literals = value
        self.__dict__.pop("_clauses", None)

    @property
    def also(self) -> tuple[str, ...]:
        if self._literals is None:
            self._derive()
        return self._also

    @also.setter
    def also(self, value: tuple[str, ...]) -> None:
        self._also = value
        self.__dict__.pop("_clauses", None)

    @property
    def pattern(self) -> regex.Pattern:
        if self._pattern is None:
            self._pattern = self._compile(self.source, self.flags)
        return self._pattern

    def clauses(self) -> tuple[frozenset[str], ...]:
        """Sets of lower-case literals of which every match contains one each, strongest
        first: `could_match`'s test (one of `literals`, each of `also`) and, for a
        case-sensitive pattern, the stronger `clauses` of its source. A text lacking
        one is dismissed exactly as `could_match` would, or more often when the extra
        clauses prove no match can be there. Empty: every text is searched."""
        known = self.__dict__.get("_clauses")
        if known is not None:
            return known  # kept with the pattern, so a cached pack has them worked out
        found = set()
        if self.literals:
            found.add(frozenset(self.literals))
        found.update(frozenset((word,)) for word in self.also)
        source = self.source if self._literals_of is None else self._literals_of
        if case_sensitive(source, self.flags):
            found.update(clauses(source))
        self._clauses = tuple(sorted(found, key=_strength))
        return self._clauses

    def could_match(self, lowered: str) -> bool:
        if self.literals and not any(lit in lowered for lit in self.literals):
            return False
        return all(word in lowered for word in self.also)

    def finditer(self, text: str, lowered: str):
        """Matches in ``text``, searched only in windows around the required literal's
        occurrences (a match is assumed to reach at most WINDOW characters from it)."""
        if not self.literals or len(lowered) != len(text):
            yield from self.pattern.finditer(text)
            return
        windows: list[list[int]] = []
        for lit in self.literals:
            i = lowered.find(lit)
            while i >= 0:
                windows.append([max(0, i - WINDOW), min(len(text), i + len(lit) + WINDOW)])
                i = lowered.find(lit, i + 1)
        windows.sort()
        merged: list[list[int]] = []
        for w in windows:
            if merged and w[0] <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], w[1])
            else:
                merged.append(w)
        pattern = self.pattern if merged else None
        for lo, hi in merged:
            yield from pattern.finditer(text, lo, hi)


def lowered(doc) -> str:
    """The document's text in lower case, computed once per document."""
    low = doc.__dict__.get("_lowered")
    if low is None:
        low = doc.text.lower()
        doc.__dict__["_lowered"] = low
    return low


# -- clauses: a stronger, still sound, test --------------------------------------------
# `required_literals` gives up on a group with alternatives and on lookarounds, so
# "(?:[Tt]he (?P<w>politics) of …|[Pp]opular (?P<w>politics))(?= (?:said|added|…))"
# is searched in every text. `clauses` reads such patterns as sets of literals of which
# every match contains one: {politics}, {said, added, …}. Extra clauses only ever
# dismiss a text that cannot hold a match, so adding them changes no finding.

MIN_LITERAL = 3  # shorter runs ("of", "pp") are in nearly every text: no use as a test
_INLINE_IGNORECASE = regex.compile(r"\(\?[a-zA-Z\-]*i[a-zA-Z\-]*[:)]")
_INLINE_VERBOSE = regex.compile(r"\(\?[a-zA-Z\-]*x[a-zA-Z\-]*[:)]")


def case_sensitive(pattern: str, flags: int) -> bool:
    """Whether ``pattern`` matches letters as written. Ignoring case, "K" (the Kelvin
    sign) matches "k" and "ſ" matches "s" although their lower case differs, so a text's
    lower-cased letters vouch only for a case-sensitive match."""
    return not flags & regex.I and not _INLINE_IGNORECASE.search(pattern)


@lru_cache(maxsize=None)
def clauses(pattern: str) -> tuple[frozenset[str], ...]:
    """Sets of lower-cased letter runs (MIN_LITERAL+ letters) such that every match of
    ``pattern`` contains a run of each set: runs outside optional parts, one run of each
    alternative of a group (or of the whole pattern), and the runs a positive lookaround
    asserts. Sound, not complete: a pattern it cannot read gives fewer clauses, never a
    wrong one. Strongest clause first (its shortest run the longest). Meant for
    case-sensitive patterns (see `case_sensitive`); parsed once per pattern string."""
    if _INLINE_VERBOSE.search(pattern):
        return ()  # in verbose mode spaces and "#" mean something else
    found = _simplify(_alternation_clauses(pattern))
    return tuple(sorted(found, key=_strength))


def _strength(clause: frozenset[str]) -> tuple:
    """Sort key: a clause whose shortest run is long is rarely met by accident."""
    return (-min(map(len, clause)), len(clause), sorted(clause))


def _simplify(found: list[frozenset[str]]) -> list[frozenset[str]]:
    """Drop runs that contain another run of their clause (the shorter is met whenever
    the longer is), then clauses implied by a smaller one, and duplicates."""
    reduced = []
    for clause in found:
        kept = frozenset(r for r in clause if not any(o != r and o in r for o in clause))
        reduced.append(kept)
    out: list[frozenset[str]] = []
    for clause in sorted(set(reduced), key=len):
        if not any(other <= clause for other in out):
            out.append(clause)
    return out


def _alternation_clauses(p: str) -> list[frozenset[str]]:
    branches = _top_level_branches(p)
    if len(branches) == 1:
        return _sequence_clauses(p)
    picks: list[frozenset[str]] = []
    words: list[frozenset[str]] | None = []  # the same from clauses of single words
    for branch in branches:
        found = _simplify(_sequence_clauses(branch))
        if not found:
            return []  # an alternative without a run: the group asks for nothing
        picks.append(min(found, key=_strength))
        plain = [c for c in found if all(map(str.isalpha, c))]
        words = words + [min(plain, key=_strength)] if plain and words is not None else None
    out = [frozenset().union(*picks)]
    if words:
        out.append(frozenset().union(*words))
    return out


def _sequence_clauses(p: str) -> list[frozenset[str]]:
    """Clauses of a pattern without a top-level ``|``: its runs of letters, and its
    phrases (`_phrase_clauses`)."""
    return _run_clauses(p) + _phrase_clauses(p)


# -- phrases: "(?:[Tt]he|[Aa]|[Hh]is) (?P<w>also)" holds "the also", "a also" or "his also"
_PHRASE_CAP = 16  # strings a stretch of pattern may spell before it is cut in two
_PLAIN_CHARS = frozenset(" -'’,")  # besides letters and digits, characters that match themselves
_BREAK = None


def _phrase_clauses(p: str) -> list[frozenset[str]]:
    """For each stretch of ``p`` that spells one of a few strings (letters, spaces,
    one-letter classes, groups of such alternatives, optional ones), the set of those
    strings, lower-cased: every match holds one of them. Stretches without a space or
    other non-letter are left to the runs of letters."""
    out: list[frozenset[str]] = []
    current: set[str] = {""}

    def close() -> None:
        nonlocal current
        strings = {x.strip(" ") for x in current}
        if len(current) > 1 or any(not x.isalpha() for x in strings):
            if strings and all(len(x) >= MIN_LITERAL for x in strings) and any(not x.isalpha() for x in strings):
                out.append(frozenset(strings))
        current = {""}

    for item in _items(p):
        if item is _BREAK:
            close()
            continue
        if len(current) * len(item) > _PHRASE_CAP:
            close()
        current = {a + b for a in current for b in item}
    close()
    return out


def _strings(p: str) -> set[str] | None:
    """Every string ``p`` can match, lower-cased, when it spells only a few; else None."""
    out: set[str] = set()
    for branch in _top_level_branches(p):
        current: set[str] = {""}
        for item in _items(branch):
            if item is _BREAK:
                return None
            current = {a + b for a in current for b in item}
            if len(current) > _PHRASE_CAP:
                return None
        out |= current
        if len(out) > _PHRASE_CAP:
            return None
    return out


def _items(p: str):
    """The pieces of a pattern without a top-level ``|``, each the set of strings it
    matches (lower-cased), or _BREAK where it matches something else."""
    i = 0
    while i < len(p):
        c = p[i]
        item: set[str] | None
        if c == "\\":
            end = _skip_escape(p, i)
            item = {p[i + 1]} if end == i + 2 and p[i + 1] in ".-'’,/ " else _BREAK
        elif c == "[":
            end = _skip_class(p, i)
            letter = _one_letter_class(p[i:end])
            item = {letter} if letter else _BREAK
        elif c == "(":
            end = _matching_paren(p, i)
            if end < 0:
                yield _BREAK
                return
            m = _GROUP_KIND.match(p, i)
            lookaround = p.startswith(("(?=", "(?<="), i)
            item = _strings(p[m.end():end]) if m and not lookaround else None
            end += 1
        elif c.isalnum() or c in _PLAIN_CHARS:
            end = i + 1
            item = {c.lower()}
        else:
            end = i + 1
            item = _BREAK
        if end < len(p) and p[end] in "?*+{":
            quantifier = p[end]
            if quantifier == "{":
                close = p.find("}", end)
                end = len(p) if close < 0 else close + 1
            else:
                end += 1
            if item is _BREAK:
                pass
            elif quantifier == "?":
                item = item | {""}
            elif quantifier == "+":
                yield item
                item = _BREAK
            else:
                item = _BREAK
            if end < len(p) and p[end] in "?+":  # lazy or possessive: the same strings
                end += 1
        yield item
        i = end


def _run_clauses(p: str) -> list[frozenset[str]]:
    """Clauses of the runs of letters of a pattern without a top-level ``|``."""
    out: list[frozenset[str]] = []
    run: list[str] = []

    def close() -> None:
        if len(run) >= MIN_LITERAL:
            out.append(frozenset(("".join(run).lower(),)))
        run.clear()

    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            close()
            i = _skip_escape(p, i)
            continue
        if c == "[":
            end = _skip_class(p, i)
            letter = _one_letter_class(p[i:end])
            if letter is None:
                close()
            elif end < len(p) and p[end] in "?*{":
                close()
                end += 1
            else:
                run.append(letter)
                if end < len(p) and p[end] == "+":
                    close()
            i = end
            continue
        if c == "(":
            close()
            end = _matching_paren(p, i)
            if end < 0:
                return out
            optional = end + 1 < len(p) and p[end + 1] in "?*{"
            body = _group_body(p, i, end)
            if body is not None and not optional:
                out.extend(_alternation_clauses(body))
            i = end + 1
            continue
        if c.isalpha():
            if i + 1 < len(p) and p[i + 1] in "?*{":
                close()  # made optional: the run ends without it
            else:
                run.append(c)
                if i + 1 < len(p) and p[i + 1] == "+":
                    close()
        else:
            close()
        i += 1
    close()
    return out


_GROUP_KIND = regex.compile(r"\(\?(?:P<\w+>|<\w+>|<=|=|:|>|\||[a-zA-Z\-]+:)|\((?!\?)")


def _group_body(p: str, start: int, end: int) -> str | None:
    """The body of the group at ``p[start:end + 1]`` when every match of the group matches
    its body in the text: a plain, capturing, atomic, branch-reset or scoped-flags group
    or a positive lookaround; None for a negative lookaround, a comment, flags, a conditional or a
    reference."""
    m = _GROUP_KIND.match(p, start)
    return p[m.end():end] if m else None


def _one_letter_class(cls: str) -> str | None:
    """The lower-case letter of a class of one letter in both cases ("[Tt]"), else None:
    whichever it matches, the lower-cased text has that letter."""
    body = cls[1:-1]
    if len(body) == 2 and body.isalpha() and body[0].lower() == body[1].lower():
        return body[0].lower()
    return None


@lru_cache(maxsize=None)
def leading_chars(pattern: str, flags: int = 0) -> str | None:
    """The characters every match of ``pattern`` starts with, when it opens (after
    lookbehinds, ``\\b`` or ``^``) with one character that is not a letter or digit, or
    a class of such characters ("“", "[–—]"); else None. A search then need only try
    where one of them is (`finditer_from`)."""
    if _INLINE_VERBOSE.search(pattern) or flags & regex.X or len(_top_level_branches(pattern)) > 1:
        return None
    i = 0
    while i < len(pattern):
        if pattern.startswith(("(?<=", "(?<!"), i):
            end = _matching_paren(pattern, i)
            if end < 0:
                return None
            i = end + 1
        elif pattern.startswith("\\b", i):
            i += 2
        elif pattern[i] == "^":
            i += 1
        else:
            break
    if i >= len(pattern):
        return None
    if pattern[i] == "[":
        end = _skip_class(pattern, i)
        chars = pattern[i + 1:end - 1]
        if not chars or chars[0] == "^" or any(c in "\\[]-" for c in chars):
            return None
    elif pattern[i] in ".^$*+?{}[]\\|()":
        return None
    else:
        end, chars = i + 1, pattern[i]
    if end < len(pattern) and pattern[end] in "?*{":
        return None  # the first character may be left out
    if any(c.isalnum() or c.isspace() for c in chars):
        return None  # a letter may match in another case; spaces are everywhere
    return chars


def finditer_from(compiled: regex.Pattern, text: str, lead: str):
    """``compiled.finditer(text)``, trying only where a character of ``lead`` (every
    match's first character) is: the same matches, found without a pass of the pattern
    over every position. A match tried at a position sees the text before it, as a
    search would (lookbehinds, ``\\b``)."""
    pos = 0
    for hit in re.finditer("[" + re.escape(lead) + "]", text):
        start = hit.start()
        if start < pos:
            continue
        m = compiled.match(text, start)
        if m is not None:
            yield m
            pos = m.end()
