"""Cheap necessary conditions for `regex` patterns: dismiss a document without scanning it.

Most documents hold none of the artifacts a pattern rule looks for, and a `regex` scan of
every document by every rule was most of those rules' cost. For each pattern this module
derives, once per process, a test that every document the pattern matches in passes:

1. ``literals``: strings of which every match contains one (" ," for a space before a
   comma, "Source link" for a footer): a substring test, gated by the literal's rarest
   character (a one-character search is faster still);
2. ``starts`` (line patterns, as boilerplate rules fully match stripped lines): the first
   characters of each alternative, compared with the starts of the document's lines,
   worked out once per document for all rules;
3. ``widened``: a stdlib `re` pattern that matches wherever the `regex` pattern does (and
   maybe elsewhere), searched when the above admit the document. It is kept only where
   `re` searches it in linear time (`re` has no timeout) and can skip ahead to a literal
   (else the search costs what the rule's own scan does). One search is shared by the
   rules with the same widened pattern (the doubled-word pair).

Widening, not translating: what `re` cannot say or says differently is made looser.
`\\p{Ll}` becomes "ASCII a-z or any non-ASCII character but a few punctuation marks" (the
two engines disagree on non-ASCII letters: `regex` knows a newer Unicode), ``\\b`` and
negative lookarounds are dropped (a dropped condition only admits more), a leading
lookbehind is dropped. A construct not handled gives no widened pattern, and the rule is
then only pre-tested by its literals, if any. Over-admitting is safe; tests/
test_necessary.py checks, on real, generated and random text, that no document a pattern
matches in is ever dismissed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

# Characters outside ASCII that are never word characters for `regex` in any Unicode
# version (checked by the tests): excluding them keeps the widened letter classes tight
# on news text, full of curly quotes and dashes.
_PUNCT = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb\u00a0\u202f"

# A `regex` escape outside a character class -> an `re` expression matching at least as much.
_OUTSIDE = {
    r"\p{L}": rf"[^\x00-\x40\x5b-\x60\x7b-\x7f{_PUNCT}]",
    r"\p{Lu}": rf"[^\x00-\x40\x5b-\x7f{_PUNCT}]",
    r"\p{Ll}": rf"[^\x00-\x60\x7b-\x7f{_PUNCT}]",
    r"\w": rf"[^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f{_PUNCT}]",
    r"\d": rf"[^\x00-\x2f\x3a-\x7f{_PUNCT}]",
    r"\s": r"\s",  # `regex`'s \s is a subset of `re`'s (checked by the tests)
    r"\W": r"[^0-9A-Za-z_]",
    r"\D": r"[^0-9]",
    r"\S": r"[^\t\n\x0b\x0c\r ]",
    r"\b": "",
    r"\B": "",
    r"\K": "",
}
# Inside a negated class: a subset of what the escape matches, so the class admits more.
_NEGATED = {
    r"\p{L}": "A-Za-z",
    r"\p{Lu}": "A-Z",
    r"\p{Ll}": "a-z",
    r"\w": "0-9A-Za-z_",
    r"\d": "0-9",
    r"\s": r"\t\n\x0b\x0c\r ",
}
_ESCAPE = re.compile(r"\\(?:[pP]\{\w+\}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|N\{[^}]*\}|\d+|.)", re.S)
_QUANTIFIER = re.compile(r"\{\d*(?:,\d*)?\}")
_SIMPLE_ESCAPES = set("ntrfva\\") | set(".^$*+?{}[]()|-/#&~ '\"!,:;<=>@%`_")
_MAX_SET = 16  # strings in a literal set, at most
_MAX_TESTED = 16  # strings tested one by one in a text, at most (each is a scan of the text)
# Strings nearly every text holds: a set with one of them dismisses nothing and costs scans.
_COMMON = frozenset(" \t\n.,;:-'\"()!?/" + "0123456789" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MAX_PRODUCT = 64


class _GiveUp(Exception):
    """A construct this module does not widen: no `re` pattern for this one."""


class _Widener:
    def __init__(self, pattern: str, drop_lookbehind: bool, line: bool = False):
        self.p = pattern
        self.drop_lookbehind = drop_lookbehind
        self.line = line  # matched within a line: nothing need match CR or LF
        self.names: list[str] = []
        self.backrefs = False
        self.dropped_capture = False

    def run(self) -> str:
        out = self._seq(0, top=True)[0]
        if self.backrefs and self.dropped_capture:
            raise _GiveUp("a dropped group would renumber a back-reference")
        if len(set(self.names)) != len(self.names):
            if self.backrefs:
                raise _GiveUp("duplicate group names with back-references")
            out = out.replace("(?P<", "(?P<_dup")  # made unique below
            out = self._renumber_names(out)
        return out

    @staticmethod
    def _renumber_names(out: str) -> str:
        count = iter(range(10_000))
        return re.sub(r"\(\?P<_dup\w+>", lambda m: f"(?P<_g{next(count)}>", out)

    def _matching(self, i: int) -> int:
        """Index of the ``)`` closing the group opened at ``i``."""
        p, depth, j = self.p, 0, i
        while j < len(p):
            c = p[j]
            if c == "\\":
                j += 2
                continue
            if c == "[":
                j = self._class_end(j)
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return j
            j += 1
        raise _GiveUp("unbalanced")

    def _class_end(self, i: int) -> int:
        p, j = self.p, i + 1
        if j < len(p) and p[j] == "^":
            j += 1
        if j < len(p) and p[j] == "]":
            j += 1
        while j < len(p) and p[j] != "]":
            j += 2 if p[j] == "\\" else 1
        if j >= len(p):
            raise _GiveUp("unterminated class")
        return j + 1

    def _seq(self, i: int, top: bool = False) -> tuple[str, int]:
        """Translate from ``i`` to the ``)`` closing the current group (or the end)."""
        p, out = self.p, []
        while i < len(p):
            c = p[i]
            if c == ")":
                if top:
                    raise _GiveUp("unbalanced")
                return "".join(out), i
            if c == "\\":
                m = _ESCAPE.match(p, i)
                if m is None:
                    raise _GiveUp("bad escape")
                out.append(self._escape(m.group()))
                i = m.end()
            elif c == "[":
                end = self._class_end(i)
                out.append(self._class(p[i:end]))
                i = end
            elif c == "(":
                # A lookbehind the pattern starts with is dropped: `re` scans fast only from
                # a literal, and a leading lookbehind makes it try every position.
                leading = top and (not "".join(out) or out[-1] == "|")
                text, i = self._group(i, leading)
                out.append(text)
            elif c == "{":
                m = _QUANTIFIER.match(p, i)
                if m is None:
                    raise _GiveUp("fuzzy or literal brace")
                out.append(m.group())
                i = m.end()
            elif c in "#" or c.isspace() and c != " ":
                out.append(re.escape(c))
                i += 1
            else:
                out.append("[^\\r\\n]" if c == "." and self.line else c)
                i += 1
        if not top:
            raise _GiveUp("unbalanced")
        return "".join(out), i

    def _outside(self, e: str) -> str:
        out = _OUTSIDE[e]
        if self.line and out in (r"\s", r"[^0-9A-Za-z_]", r"[^0-9]"):
            out = r"[^\S\r\n]" if out == r"\s" else out[:-1] + r"\r\n]"
        return out

    def _escape(self, e: str) -> str:
        if e in _OUTSIDE:
            return self._outside(e)
        body = e[1:]
        if body[0].isdigit():
            if body[0] == "0":
                return e
            self.backrefs = True
            return e
        if body[0] in "xuUN" and len(body) > 1:
            return e
        if body in ("A", "Z"):
            return e
        if len(body) == 1 and body in _SIMPLE_ESCAPES:
            return e
        raise _GiveUp(f"escape {e}")

    def _class(self, cls: str) -> str:
        negated = cls.startswith("[^")
        body = cls[2 if negated else 1:-1]
        items, extra = [], []
        i = 0
        while i < len(body):
            c = body[i]
            if c == "\\":
                m = _ESCAPE.match(body, i)
                if m is None:
                    raise _GiveUp("bad escape in class")
                e = m.group()
                i = m.end()
                if e in _NEGATED and negated:
                    items.append(_NEGATED[e])
                elif e in _OUTSIDE and not negated and e not in (r"\b", r"\B", r"\K"):
                    extra.append(self._outside(e))
                elif e[1:2] in "xuUN" and len(e) > 2 or (len(e) == 2 and e[1] in _SIMPLE_ESCAPES):
                    items.append(e)
                else:
                    raise _GiveUp(f"escape {e} in class")
                continue
            if c == "[" or body.startswith(("&&", "--", "||", "~~"), i):
                raise _GiveUp("set operation")
            items.append(c)
            i += 1
        inner = "".join(items)
        if negated:
            return f"[^{inner}\\r\\n]" if self.line else f"[^{inner}]"
        if not extra:
            return f"[{inner}]"
        alternatives = ([f"[{inner}]"] if inner else []) + extra
        return "(?:" + "|".join(alternatives) + ")"

    def _group(self, i: int, leading: bool = False) -> tuple[str, int]:
        p = self.p
        end = self._matching(i)
        if p.startswith(("(?!", "(?<!"), i) or ((self.drop_lookbehind or leading) and p.startswith("(?<=", i)):
            if re.search(r"\((?!\?)|\(\?P?<\w", p[i + 2:end]):
                self.dropped_capture = True
            return "", end + 1
        m = re.match(r"\(\?(?:P?<(\w+)>|<=|=|:|>)", p[i:])
        if m is not None:
            head = m.group()
            if m.group(1):
                self.names.append(m.group(1))
                head = f"(?P<{m.group(1)}>"
        elif p.startswith("(?", i):
            if p.startswith("(?#", i):
                return "", end + 1
            fm = re.match(r"\(\?([ms]+)(:|\))", p[i:])
            if fm is None:
                raise _GiveUp("unsupported group")
            head = fm.group()
            if fm.group(2) == ")":
                return head, i + len(head)
        else:
            head = "("
        inner, close = self._seq(i + (m.end() if m is not None else len(head)))
        return head + inner + ")", close + 1


@lru_cache(maxsize=None)
def widen(pattern: str, flags: int = 0, line: bool = False) -> str | None:
    """An `re` pattern matching (searched) wherever ``pattern`` does under `regex`, or
    None. ``flags`` are `re` flags: only MULTILINE and DOTALL are supported. ``line``:
    only where ``pattern`` matches text without line breaks (a line of the text)."""
    if flags & ~(re.M | re.S):
        return None
    if "(?i" in pattern or "(?x" in pattern or "(?V" in pattern:
        return None
    for drop in (False, True):
        try:
            out = _Widener(pattern, drop, line).run()
            re.compile(out, flags)
            return out
        except (_GiveUp, re.error, RecursionError):
            continue
    return None


# -- literals every match contains ----------------------------------------------------

@dataclass(frozen=True)
class _Info:
    exact: frozenset | None  # every string the node matches (a small finite language)
    prefix: frozenset | None  # every match starts with one of these
    suffix: frozenset | None  # every match ends with one of these
    options: tuple = ()  # sets of which every match contains a string of each, best first

    @property
    def required(self):
        return self.options[0] if self.options else None


_NONE = _Info(None, None, None)
_EMPTY = frozenset([""])


def _product(a, b):
    if a is None or b is None or len(a) * len(b) > _MAX_PRODUCT:
        return None
    return frozenset(x + y for x in a for y in b)


def _joined(a, b):
    """``_product``, or when that is too large, ``a`` followed by the first characters of ``b``."""
    for k in (None, 3, 2, 1):
        if a is None or b is None:
            return None
        out = _product(a, b if k is None else frozenset(x[:k] for x in b))
        if out is not None:
            return out
    return None


def _score(s) -> tuple:
    if not s or len(s) > _MAX_PRODUCT:
        return (-1, 0)
    return (min(len(x) for x in s), -len(s))


def _options(*sets) -> tuple:
    """The useful sets (every string non-empty), best first: longest shortest string."""
    good = {s for s in sets if s is not None and _score(s)[0] > 0}
    return tuple(sorted(good, key=lambda s: (_score(s), sorted(s)), reverse=True))


def _exact(s) -> _Info:
    return _Info(s, s, s, _options(s))


def _branch(infos: list) -> _Info:
    def union(field):
        parts = [getattr(x, field) for x in infos]
        if any(p is None for p in parts):
            return None
        u = frozenset().union(*parts)
        return u if len(u) <= _MAX_PRODUCT else None

    exact, prefix, suffix = union("exact"), union("prefix"), union("suffix")
    # one set of each branch, within a budget so the union stays small
    budget = max(1, _MAX_SET // len(infos))
    chosen = []
    for x in infos:
        fits = [o for o in x.options if len(o) <= budget] or list(x.options[:1])
        if not fits:
            chosen = None
            break
        chosen.append(fits[0])
    options = [exact, prefix, suffix]
    if chosen is not None:
        options.append(frozenset().union(*chosen))
    return _Info(exact, prefix, suffix, _options(*options))


def _info(op, av, c) -> _Info:
    if op is c.LITERAL:
        return _exact(frozenset([chr(av)]))
    if op is c.IN:
        chars = set()
        for iop, iav in av:
            if iop is c.LITERAL:
                chars.add(chr(iav))
            elif iop is c.RANGE and iav[1] - iav[0] < 8:
                chars.update(chr(x) for x in range(iav[0], iav[1] + 1))
            else:
                return _NONE
        if not chars or len(chars) > _MAX_SET:
            return _NONE
        return _exact(frozenset(chars))
    if op is c.SUBPATTERN:
        _, add, _, sub = av
        return _NONE if add else _seq_info(sub, c)
    if op is c.ATOMIC_GROUP:
        return _seq_info(av, c)
    if op is c.BRANCH:
        return _branch([_seq_info(b, c) for b in av[1]])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        if lo < 1:
            return _NONE
        inner = _seq_info(sub, c)
        if inner.exact is None:
            return _Info(None, inner.prefix, inner.suffix, inner.options)
        power, whole = inner.exact, True
        for _ in range(min(lo, 4) - 1):
            longer = _product(power, inner.exact)
            if longer is None:
                whole = False
                break
            power = longer
        exact = power if whole and lo == hi and lo <= 4 else None
        return _Info(exact, power, power, _options(power, *inner.options))
    return _NONE


def _seq_info(sub, c) -> _Info:
    run = _EMPTY
    cands: list = []
    exact_so_far = True
    prefix = None
    for op, av in sub.data if hasattr(sub, "data") else sub:
        if op in (c.AT, c.ASSERT_NOT):
            continue
        if op is c.ASSERT:
            direction, body = av
            inner = _seq_info(body, c)
            cands.extend(inner.options)
            if direction == 1:  # lookahead: what follows the current position
                cands.append(_joined(run, inner.prefix))
            else:  # lookbehind: what precedes it
                cands.append(run)
                run = inner.suffix if inner.suffix is not None else _EMPTY
            if exact_so_far:
                exact_so_far = False
                prefix = run if direction == 1 else None
            continue
        info = _info(op, av, c)
        if info.exact is not None:
            cands.append(run)
            nxt = _product(run, info.exact)
            if nxt is None:
                nxt = info.exact
                if exact_so_far:
                    exact_so_far, prefix = False, run
            run = nxt
            continue
        cands.append(run)
        cands.append(_joined(run, info.prefix))
        cands.extend(info.options)
        if exact_so_far:
            exact_so_far = False
            prefix = _product(run, info.prefix) if info.prefix is not None else run
        run = info.suffix if info.suffix is not None else _EMPTY
    cands.append(run)
    if exact_so_far:
        return _exact(run)
    return _Info(None, prefix if _score(prefix)[0] > 0 else None, run if _score(run)[0] > 0 else None, _options(*cands))


@lru_cache(maxsize=None)
def literals(re_pattern: str, flags: int = 0) -> tuple[str, ...]:
    """Strings of which every match of the `re` pattern contains one (empty: none known)."""
    try:
        from re import _constants as c, _parser as parser  # the stdlib's own parse tree

        tree = parser.parse(re_pattern, flags)
        options = [o for o in _seq_info(tree, c).options if len(o) <= _MAX_TESTED and not (o & _COMMON)]
    except Exception:  # pragma: no cover - a private module changed: no literals, no harm
        return ()
    if not options:
        return ()
    required = options[0]
    # the rarest-looking first: longer strings, and strings not starting with a space
    return tuple(sorted(required, key=lambda s: (s[:1] == " ", -len(s), s)))


# Where a stripped line starts: at the text's start or after a line break, past whitespace
# other than line breaks (possessive: no backtracking, so a run of blanks is read once).
_LINE_HEADS = (r"[^\S\r\n]*+", r"\n[^\S\r\n]*+", r"\r[^\S\r\n]*+")
# Where ``^`` matches in multiline mode: the text's start, or after LF.
_CARET_HEADS = ("", r"\n")


@lru_cache(maxsize=None)
def _compiled(pattern: str, flags: int, starts: str = ""):
    """The widened pattern, compiled by `re` when its search is linear in the text (see
    `_linear`), else by `regex`, which reads `re` syntax and whose searches can time out:
    a pattern that backtracks badly on some text then costs a bounded time (and admits
    the text) instead of hanging the run. ``starts``: the characters a line-start search
    begins at (the pattern is then searched from them)."""
    if _linear(pattern, flags, starts):
        return _Re(re.compile(pattern, flags))
    import regex

    return regex.compile(pattern, flags)




class _Re:
    """An `re` pattern with the `regex` call signature (a timeout it never needs)."""

    def __init__(self, compiled: re.Pattern):
        self.compiled = compiled

    def search(self, text: str, timeout: float = 0.0):
        return self.compiled.search(text)

    def match(self, text: str, timeout: float = 0.0):
        return self.compiled.match(text)


def _linear(pattern: str, flags: int, starts: str) -> bool:
    """Whether a search costs time linear in the text: every match begins with one of a few
    known characters (``starts``, or the pattern's first character), no unbounded repeat can
    read one of them (so runs read from one start end before the next start), and no repeat
    holds another repeat or an alternation (no exponential backtracking)."""
    try:
        from re import _constants as c, _parser as parser

        data = parser.parse(pattern, flags).data
    except Exception:  # pragma: no cover
        return False
    first = set(starts) if starts else _first_chars(data, c)
    if not first:
        return False
    return _repeats_ok(data, c, first, nested=False)


def _first_chars(data, c) -> set | None:
    for op, av in data:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        if op is c.LITERAL:
            return {chr(av)}
        if op is c.IN and all(iop is c.LITERAL for iop, _ in av):
            return {chr(iav) for _, iav in av}
        if op is c.SUBPATTERN and not av[1]:
            return _first_chars(av[3].data, c)
        if op is c.BRANCH:
            firsts = [_first_chars(b.data, c) for b in av[1]]
            return None if any(not f for f in firsts) else set().union(*firsts)
        return None
    return None


def _repeats_ok(data, c, first: set, nested: bool) -> bool:
    for op, av in data:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            if hi > 1 and nested:
                return False
            if hi is c.MAXREPEAT and any(_consumes(sub.data, c, ch) for ch in first):
                return False
            if not _repeats_ok(sub.data, c, first, nested or hi > 1):
                return False
        elif op is c.BRANCH:
            if nested and len(av[1]) > 1 and not all(_one_char(b.data, c) for b in av[1]):
                return False  # (an alternation of single characters is a character class)
            if not all(_repeats_ok(b.data, c, first, nested) for b in av[1]):
                return False
        elif op is c.SUBPATTERN:
            if not _repeats_ok(av[3].data, c, first, nested):
                return False
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if not _repeats_ok(av[1].data, c, first, nested):
                return False
        elif op is c.ATOMIC_GROUP:
            if not _repeats_ok(av.data, c, first, nested):
                return False
        elif op in (c.GROUPREF_EXISTS,):
            return False
    return True


def _one_char(data, c) -> bool:
    return len(data) == 1 and data[0][0] in (c.LITERAL, c.NOT_LITERAL, c.IN, c.ANY)


def _consumes(data, c, ch: str) -> bool:
    """Whether some item of ``data`` may read the character ``ch`` (over-answers)."""
    for op, av in data:
        if op is c.LITERAL:
            if chr(av) == ch:
                return True
        elif op is c.NOT_LITERAL:
            if chr(av) != ch:
                return True
        elif op is c.ANY:
            return True
        elif op is c.IN:
            if _in_class(av, c, ch):
                return True
        elif op in (c.AT, c.ASSERT_NOT):
            continue
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            if _consumes(av[2].data, c, ch):
                return True
        elif op is c.SUBPATTERN:
            if _consumes(av[3].data, c, ch):
                return True
        elif op is c.BRANCH:
            if any(_consumes(b.data, c, ch) for b in av[1]):
                return True
        else:  # back-references, lookarounds, anything else: assume it may
            return True
    return False


def _in_class(items, c, ch: str) -> bool:
    negate, hit = False, False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            hit = hit or chr(av) == ch
        elif op is c.RANGE:
            hit = hit or av[0] <= ord(ch) <= av[1]
        elif op is c.CATEGORY:
            probe = {c.CATEGORY_SPACE: r"\s", c.CATEGORY_NOT_SPACE: r"\S", c.CATEGORY_DIGIT: r"\d",
                     c.CATEGORY_NOT_DIGIT: r"\D", c.CATEGORY_WORD: r"\w", c.CATEGORY_NOT_WORD: r"\W"}.get(av)
            hit = hit or probe is None or re.fullmatch(probe, ch) is not None
        else:
            return True
    return hit != negate


@dataclass(frozen=True)
class Necessary:
    """A test every text a pattern can match in passes. Strings only, so it pickles;
    the widened pattern is compiled once per process on first use."""

    literals: tuple[str, ...] = ()  # one of these occurs
    widened: str | None = None  # and this `re` pattern is found (searched in linear time)
    flags: int = 0  # `re` flags (regex.M and regex.S have the same values)
    # When given, ``widened`` must match right after heads[0] at the start of the text, or
    # after one of the others anywhere (each starts with its own line-break character).
    heads: tuple[str, ...] = ()
    # Line tests: the first (up to five) characters of every stripped line the pattern
    # fully matches are one of these, or else the line matches ``rest`` (None: no such
    # alternatives) searched like ``widened``.
    starts: frozenset | None = None
    rest: str | None = None
    key: str = ""  # names the widened search in a document's memo

    def __post_init__(self) -> None:
        # derived once: the rarest character of each literal, tested first (a one-character
        # search is several times faster than a longer one); starts split by length
        object.__setattr__(self, "gates", tuple(_rarest(lit) for lit in self.literals))
        starts = self.starts or frozenset()
        object.__setattr__(self, "long_starts", frozenset(x for x in starts if len(x) == _START))
        short = tuple(sorted(x for x in starts if len(x) < _START))
        object.__setattr__(self, "short_starts", short)
        object.__setattr__(self, "short_firsts", frozenset(x[:1] for x in short))
        object.__setattr__(self, "rest_key", self.key + ":rest")
        object.__setattr__(self, "heads_chars", tuple(_head_char(h) for h in self.heads[1:]))

    def __reduce__(self):
        return (Necessary, (self.literals, self.widened, self.flags, self.heads, self.starts, self.rest, self.key))

    @property
    def useless(self) -> bool:
        return not self.literals and self.widened is None and self.starts is None

    def admits(self, text: str, memo: Callable | None = None, timeout: float = 2.0) -> bool:
        """False only when no match can be in ``text``. ``memo`` (`Document.memo`) shares
        the line starts and each widened search with every rule that asks for them."""
        if self.literals:
            for gate, lit in zip(self.gates, self.literals):
                if gate in text and lit in text:
                    break
            else:
                return False
        if self.starts is not None:
            heads, firsts = memo(_STARTS, _line_starts) if memo is not None else _line_starts(_Lines(text))
            if self.long_starts.isdisjoint(heads) and (
                    self.short_firsts.isdisjoint(firsts) or not any(h.startswith(self.short_starts) for h in heads)):
                # no line starts as a known alternative does
                if self.rest is None:
                    return False
                return self._shared(memo, self.rest_key, self.rest, text)
        if self.widened is None:
            return True
        return self._shared(memo, self.key, self.widened, text)

    def candidate_lines(self, lines: list[str]) -> list[int]:
        """Indices of the non-blank ``lines`` that start as some alternative does (for a
        line test whose every alternative has known starts)."""
        long, short, firsts = self.long_starts, self.short_starts, self.short_firsts
        out = []
        for i, line in enumerate(lines):
            if line:
                head = line[:_START]
                if head in long or (head[:1] in firsts and head.startswith(short)):
                    out.append(i)
        return out

    def _shared(self, memo, key: str, widened: str, text: str) -> bool:
        if memo is None:
            return self._search(widened, text)
        return memo(key, lambda doc: self._search(widened, text))

    def _search(self, widened: str, text: str) -> bool:
        if not self.heads:
            return _compiled(widened, self.flags).search(text) is not None
        # at the start of a line: searched from a literal line break, several times
        # faster than from an alternation or a lookbehind
        first, *others = _headed(widened, self.flags, self.heads)
        if first.match(text):
            return True
        return any(char in text and p.search(text) for char, p in zip(self.heads_chars, others))


# Characters by how rarely news text holds them (rarest last is worst): letters, digits
# and the commonest marks are poor gates.
_FREQUENT = " etaoinshrdlcumwfgypbvkjxqzETAOINSHRDLCUMWFGYPBVKJXQZ.,\n'-0123456789\"():;?!/"


def _rarest(literal: str) -> str:
    """The character of ``literal`` least likely to be in a text."""
    return max(literal, key=lambda ch: (_FREQUENT.find(ch) if ch in _FREQUENT else len(_FREQUENT)))


_STARTS = "necessary:line-starts"


class _Lines:
    """A text's stripped lines, as `Document.stripped_lines` gives them."""

    def __init__(self, text: str):
        from .document import Document

        self.stripped_lines = Document(text).stripped_lines


def _line_starts(doc) -> tuple[frozenset, frozenset]:
    """The first five characters (or fewer, for a shorter line) of every non-blank line of
    the document, and their first characters."""
    heads = frozenset([line[:_START] for line in doc.stripped_lines if line])
    return heads, frozenset([h[:1] for h in heads])


_START = 5  # characters of a line's start compared with the known starts of alternatives
_HEADED: dict = {}


def _headed(widened: str, flags: int, heads: tuple[str, ...]) -> list:
    key = (widened, flags, heads)
    out = _HEADED.get(key)
    if out is None:
        out = [_compiled(heads[0] + "(?:" + widened + ")", flags, "\x00")]
        out += [_compiled(head + "(?:" + widened + ")", flags, _head_char(head)) for head in heads[1:]]
        _HEADED[key] = out
    return out


def _head_char(head: str) -> str:
    """The line-break character a head (``\\n...``, ``\\r...``) starts with."""
    return {r"\n": "\n", r"\r": "\r"}[head[:2]]


def _linear_search(widened: str | None, flags: int, heads: tuple[str, ...] = ()) -> str | None:
    """``widened`` when `re` searches it in linear time (so it can be searched without a
    timeout), else None: a `regex` search of a widened pattern costs about what the rule's
    own scan does, and is not worth making."""
    if widened is None:
        return None
    try:
        if heads:
            ok = all(isinstance(p, _Re) for p in _headed(widened, flags, heads))
        else:
            ok = isinstance(_compiled(widened, flags), _Re) and _skips(widened, flags)
    except Exception:  # a global flag that must stay at the start of the pattern
        return None
    return widened if ok else None


def _skips(pattern: str, flags: int) -> bool:
    """Whether `re` can skip ahead to where a match may start (the pattern starts with a
    literal or a set of literal characters); otherwise it tries every position, and the
    search costs as much as the rule's own scan."""
    try:
        from re import _compiler as compiler, _parser as parser

        tree = parser.parse(pattern, flags)
        return bool(compiler._get_literal_prefix(tree, flags)[0] or compiler._get_charset_prefix(tree, flags))
    except Exception:  # pragma: no cover - a private module changed: search anyway
        return True


def _key(widened: str | None, flags: int, heads: tuple[str, ...]) -> str:
    return f"necessary:{int(flags)}:{heads}:{widened}"


_REGEX_FLAGS = {2: re.I, 8: re.M, 16: re.S, 64: re.X}  # regex.I, M, S, X have re's values


def _re_flags(regex_flags: int) -> int | None:
    out = 0
    for bit in range(regex_flags.bit_length()):
        flag = regex_flags & (1 << bit)
        if not flag:
            continue
        if flag not in _REGEX_FLAGS:
            return None
        out |= _REGEX_FLAGS[flag]
    return out


@lru_cache(maxsize=None)
def for_pattern(pattern: str, regex_flags: int = 0) -> Necessary:
    """What a text must hold for the `regex` ``pattern`` to be found in it."""
    flags = _re_flags(regex_flags)
    if flags is None:
        return Necessary()
    widened = widen(pattern, flags)
    if widened is None:
        return Necessary()
    found = literals(widened, flags)
    if flags & re.M and _starts_at_line(widened, flags):
        # ^ in multiline mode: searched from a line break, as the line tests are
        body = _linear_search(widened[1:], flags, _CARET_HEADS)
        if body is not None:
            return Necessary(found, body, int(flags), _CARET_HEADS, key=_key(body, flags, _CARET_HEADS))
    body = _linear_search(widened, flags)
    if body is None and flags & re.M:
        shape = _linear_search(_line_shape(widened, flags), flags, _CARET_HEADS)
        if shape is not None:
            return Necessary(found, shape, int(flags), _CARET_HEADS, key=_key(shape, flags, _CARET_HEADS))
    return Necessary(found, body, int(flags), key=_key(body, flags, ()))


def _line_shape(pattern: str, flags: int) -> str | None:
    """For a whole-line pattern (``^...$`` in multiline mode) whose own search `re` cannot
    make in linear time (the capitals of `all-caps-subhead`, repeats within repeats): the
    shape of the lines it can match, as the lower-case ASCII letters none of its parts
    reads. Searched from each line break, it is dismissed at a line's first such letter,
    which most lines of prose hold within a few characters. None when most such letters
    may be read (the test would admit most lines)."""
    try:
        from re import _constants as c, _parser as parser

        data = list(parser.parse(pattern, flags).data)
    except Exception:  # pragma: no cover - a private module changed
        return None
    if len(data) < 3 or data[0] != (c.AT, c.AT_BEGINNING) or data[-1] != (c.AT, c.AT_END):
        return None
    # a lookaround reads without consuming: what it reads is consumed by the rest, or not
    # part of the line's match at all
    middle = [item for item in data[1:-1] if item[0] not in (c.ASSERT, c.ASSERT_NOT)]
    banned = "".join(ch for ch in "abcdefghijklmnopqrstuvwxyz" if not _consumes(middle, c, ch))
    if len(banned) < 20 or not _reads_outside(middle, c, _BLANK):
        return None  # (a blank line must not pass: every document has one)
    if not _consumes(middle, c, "\x00"):  # (the sentinel that tells a search from the text's start linear)
        banned += "\\x00"
    # a line of those characters, one of them not blank; possessive, so that a long line
    # that fails at its end is not read again from each of its characters
    return f"[ \\t\\r\\f\\v]*+[^{banned} \\t\\n\\r\\f\\v][^{banned}\\n]*+$"


_BLANK = " \t\n\r\f\v"


def _reads_outside(data, c, chars: str) -> bool:
    """Whether every match of ``data`` reads some character outside ``chars`` (under-answers)."""
    for op, av in data:
        if op is c.LITERAL and chr(av) not in chars:
            return True
        if op is c.IN and not any(_in_class(av, c, ch) for ch in chars):
            return True
        if op is c.SUBPATTERN and _reads_outside(av[3].data, c, chars):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            if _reads_outside(av[2].data, c, chars):
                return True
        if op is c.BRANCH and all(_reads_outside(b.data, c, chars) for b in av[1]):
            return True
    return False


def _starts_at_line(pattern: str, flags: int) -> bool:
    """Whether the whole `re` pattern starts with ``^`` (no alternation around it)."""
    if not pattern.startswith("^"):
        return False
    try:
        from re import _constants as c, _parser as parser

        data = parser.parse(pattern, flags).data
    except Exception:  # pragma: no cover - a private module changed
        return False
    return len(data) > 1 and data[0][0] is c.AT


@lru_cache(maxsize=None)
def for_lines(pattern: str, regex_flags: int = 0) -> Necessary:
    """What a text must hold for one of its lines, stripped, to fully match ``pattern``.

    A line holds no line break, so the widened pattern is narrowed to match none (its
    repeats then stay within a line, and `re` can search it from each line break). Each
    alternative that starts with a few known characters is tested against the starts of
    the document's lines (computed once for all rules); the others are searched."""
    flags = _re_flags(regex_flags)
    if flags is None:
        return Necessary()
    widened = widen(pattern, flags, line=True)
    if widened is None:
        return Necessary()
    found = literals(widened, flags)
    whole = _linear_search(widened, flags, _LINE_HEADS)
    key = _key(widened, flags, _LINE_HEADS)
    if _BACKREF.search(widened):
        return Necessary(found, whole, int(flags), _LINE_HEADS, key=key)
    from .prefilter import _top_level_branches

    starts: set = set()
    rest = []
    for branch in _top_level_branches(widened):
        known = _starts_of(branch, flags)
        if known is None:
            rest.append(branch)
        else:
            starts.update(known)
    if not starts:
        return Necessary(found, whole, int(flags), _LINE_HEADS, key=key)
    if not rest:
        return Necessary(found, whole, int(flags), _LINE_HEADS, frozenset(starts), None, key)
    searched = _linear_search("|".join(rest), flags, _LINE_HEADS)
    if searched is None:  # some alternative can only be found by the rule itself
        return Necessary(found, whole, int(flags), _LINE_HEADS, key=key)
    return Necessary(found, whole, int(flags), _LINE_HEADS, frozenset(starts), searched, key)


_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


def _starts_of(pattern: str, flags: int) -> frozenset | None:
    """The first (up to three) characters every match of the `re` pattern starts with."""
    try:
        from re import _constants as c, _parser as parser

        out = _prefix3(list(parser.parse(pattern, flags).data), c, _START)
    except Exception:
        return None
    if out is None or not out or "" in out or len(out) > 512:
        return None
    return frozenset(out)


def _prefix3(items: list, c, k: int):
    """Strings of up to ``k`` characters, one of which starts every match of ``items``
    (one shorter than ``k`` when the match may go on with anything); None: unknown."""
    if k == 0 or not items:
        return {""}
    (op, av), rest = items[0], items[1:]
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return _prefix3(rest, c, k)
    chars = None
    if op is c.LITERAL:
        chars = {chr(av)}
    elif op is c.IN and all(iop is c.LITERAL for iop, _ in av) and len(av) <= 16:
        chars = {chr(iav) for _, iav in av}
    if chars is not None:
        tail = _prefix3(rest, c, k - 1)
        if tail is None or len(chars) * len(tail) > 512:
            return chars
        return {ch + t for ch in chars for t in tail}
    if op is c.SUBPATTERN and not av[1] and not av[2]:
        return _prefix3(list(av[3].data) + rest, c, k)
    if op is c.ATOMIC_GROUP:
        return _prefix3(list(av.data) + rest, c, k)
    if op is c.BRANCH:
        out = set()
        for branch in av[1]:
            sub = _prefix3(list(branch.data) + rest, c, k)
            if sub is None or "" in sub:
                return None
            out |= sub
        return out
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        if hi == 0:
            return _prefix3(rest, c, k)
        first = _prefix3(list(sub.data) + (rest if hi == 1 else []), c, k)
        if first is None or "" in first:
            return None
        if lo == 0:
            skipped = _prefix3(rest, c, k)
            if skipped is None or "" in skipped:
                return None
            return first | skipped
        return first
    return None


# -- scanning only where a match may start --------------------------------------------

@lru_cache(maxsize=None)
def start_filter(pattern: str, regex_flags: int = 0) -> str | None:
    """An `re` pattern that matches at every position where the `regex` ``pattern``
    does (it is widened without moving where a match starts: no rotation), searched in
    linear time from a literal; None when there is none, or when ``pattern`` may match
    the empty string or uses ``\\K`` (`finditer`'s treatment of those is not repeated)."""
    flags = _re_flags(regex_flags)
    if flags is None or "\\K" in pattern:
        return None
    widened = _linear_search(widen(pattern, flags), flags)
    if widened is None:
        return None
    try:
        from re import _parser as parser

        if parser.parse(widened, flags).getwidth()[0] == 0:
            return None
    except Exception:  # pragma: no cover
        return None
    return widened


def matches_from(start: str, regex_flags: int, compiled, text: str, timeout: float) -> list:
    """Exactly ``list(compiled.finditer(text))``, the `regex` pattern being tried only at
    the positions where ``start`` (its `start_filter`) matches: the scan of a document
    with a few candidate places costs a fast `re` search, not a `regex` attempt at every
    character. The time of the `regex` attempts together is bounded by ``timeout``."""
    import time

    finder = _compiled(start, _re_flags(regex_flags)).compiled
    deadline = time.monotonic() + timeout
    search, match = finder.search, compiled.match
    out, pos, n = [], 0, len(text)
    while pos <= n:
        hit = search(text, pos)
        if hit is None:
            break
        at = hit.start()
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("regex timed out")
        m = match(text, at, timeout=left)
        if m is None:
            pos = at + 1
            continue
        out.append(m)
        pos = m.end() if m.end() > at else at + 1
    return out
