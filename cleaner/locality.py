"""What a later pass may reuse from the pass before: the parts of the text it left alone.

Every pass after the first runs on a text that differs from the previous pass's by a few
edits. A rule whose findings depend only on the line (or paragraph) they are in, plus a
few characters of context, finds the same things in a line (paragraph) the edits did not
come near, shifted by the edits before it. `Document.unchanged_lines` and
`Document.unchanged_paragraphs` (built from `copied_stretches` here) say where those are;
the engine (`engine.run_rules`) carries such a rule's earlier findings there and asks it
(`Kind.find_in`) only about the rest. A kind opts in with `Kind.locality`.

`crosses_lines` is the static test that lets a regex-based rule opt in: a pattern that
cannot match a line break (nor look across one) matches the same within a line whatever
the other lines say.
"""
from __future__ import annotations

import bisect
from typing import Sequence

Edit = tuple[int, int, str]
Stretch = tuple[int, int, int]  # start, end in the new text; delta: old offset = new offset - delta


def copied_stretches(edits: Sequence[Edit], new_length: int) -> list[Stretch]:
    """The stretches of the new text copied unchanged from the old (edits: sorted,
    non-overlapping spans of the old text and their replacements)."""
    out: list[Stretch] = []
    old_pos = new_pos = 0
    delta = 0
    for s, e, repl in edits:
        start = old_pos + delta
        end = s + delta
        if end > start:
            out.append((start, end, delta))
        delta += len(repl) - (e - s)
        old_pos = e
        new_pos = e + delta
    if new_length > new_pos:
        out.append((new_pos, new_length, delta))
    return out


def unchanged_lines(text: str, stretches: list[Stretch], pad: int) -> list[Stretch]:
    """Runs of whole lines, each ending with its line break, that lie in a copied stretch
    at least ``pad`` characters from every edit; merged per stretch."""
    out = []
    n = len(text)
    for start, end, delta in stretches:
        lo = start if start == 0 else start + pad  # no edit before the text's start
        hi = end - pad if end < n else end
        if lo >= hi:
            continue
        if lo > 0 and text[lo - 1] != "\n":  # to the next line start
            lo = text.find("\n", lo)
            if lo < 0:
                continue
            lo += 1
        last = text.rfind("\n", lo, hi)  # the last line break inside: lines end with theirs
        if last < 0:
            continue
        out.append((lo, last + 1, delta))
    return out


def unchanged_paragraphs(text: str, paragraphs: list[tuple[int, int]], stretches: list[Stretch]) -> list[Stretch]:
    """Paragraphs that, with the whitespace around them up to their neighbours, lie in a
    copied stretch: their extent and their text are what they were."""
    out = []
    starts = [s for s, _, _ in stretches]
    n = len(paragraphs)
    for i, (ps, pe) in enumerate(paragraphs):
        lo = paragraphs[i - 1][1] if i else 0
        hi = paragraphs[i + 1][0] if i + 1 < n else len(text)
        k = bisect.bisect_right(starts, lo) - 1
        if k >= 0 and stretches[k][1] >= hi and (lo > 0 or stretches[k][0] == 0):
            if hi < len(text) or stretches[k][1] == len(text):
                out.append((ps, pe, stretches[k][2]))
    return out


def complement(cores: list[Stretch], length: int) -> list[tuple[int, int]]:
    """The zones between the cores, to be scanned afresh; the last one takes in the end
    of the text (an empty match there)."""
    zones, pos = [], 0
    for s, e, _ in cores:
        if s > pos:
            zones.append((pos, s))
        pos = e
    zones.append((pos, length + 1))
    return zones


# -- can a pattern reach across a line break? -------------------------------------------

_SAFE_ESCAPES = set("wdSbBAZzK") | set("0123456789") | set(".^$*+?()[]{}|\\/-'\"’‘“”,;:!@#%&=<>~`_ ") | {"t"}
_SAFE_PROPERTIES = {"L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pd", "Ps", "Pe",
                    "Pi", "Pf", "Po", "Pc", "S", "Sm", "Sc", "Sk", "So", "Zs", "Alpha", "Alphabetic", "Letter",
                    "Uppercase", "Lowercase", "Digit"}


def crosses_lines(pattern: str, dotall: bool = False) -> bool:
    """False only when no match of ``pattern`` (nor a look-around in it) can contain a
    line feed (reuse is off for texts with a CR). Conservative: anything it does not understand counts as
    crossing, so a False is a proof and a True may be a false alarm."""
    i, n = 0, len(pattern)
    if dotall or "\n" in pattern:
        return True
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return True
            d = pattern[i + 1]
            if d == "p":
                prop, i = _property(pattern, i + 2)
                if prop not in _SAFE_PROPERTIES:
                    return True
                continue
            if d not in _SAFE_ESCAPES:
                return True
            i += 2
            continue
        if c == "[":
            end, safe = _char_class(pattern, i)
            if not safe:
                return True
            i = end
            continue
        if c == ".":
            i += 1  # without DOTALL a dot never matches a line break
            continue
        if c == "(" and pattern.startswith("(?", i) and i + 2 < n and pattern[i + 2] not in ":=!<>P'":
            return True  # inline flags may turn on DOTALL or verbose mode: not understood
        i += 1
    return False


def _property(pattern: str, i: int) -> tuple[str, int]:
    if i < len(pattern) and pattern[i] == "{":
        j = pattern.find("}", i)
        if j < 0:
            return "", len(pattern)
        return pattern[i + 1:j], j + 1
    return pattern[i:i + 1], i + 1


def _char_class(pattern: str, i: int) -> tuple[int, bool]:
    """End of the class that opens at ``i`` and whether it surely excludes line breaks."""
    j = i + 1
    negated = j < len(pattern) and pattern[j] == "^"
    if negated:
        j += 1
    excludes_lf = False
    safe = True
    first = True
    while j < len(pattern):
        c = pattern[j]
        if c == "]" and not first:
            break
        first = False
        if c == "[":
            return len(pattern), False  # nested sets: not understood
        if c == "\\":
            d = pattern[j + 1] if j + 1 < len(pattern) else ""
            if d == "n":
                excludes_lf = True
            elif d == "p":
                prop, j = _property(pattern, j + 2)
                if prop not in _SAFE_PROPERTIES:
                    safe = False
                continue
            elif d not in _SAFE_ESCAPES or d in "bBAZzK":
                safe = False
            j += 2
            continue
        if c == "-" and j + 1 < len(pattern) and pattern[j + 1] != "]" and pattern[j - 1] not in "[^":
            prev, nxt = pattern[j - 1], pattern[j + 1]
            if nxt == "\\" or ord(prev) <= 0x0D <= ord(nxt) or ord(prev) < 0x20:
                safe = False
        j += 1
    if j >= len(pattern):
        return len(pattern), False
    if negated:
        return j + 1, excludes_lf
    return j + 1, safe
