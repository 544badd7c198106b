"""Choosing, applying and composing edits: pure functions over offsets.

`resolve` picks the rewrites to apply where several touch the same text (deterministic,
by priority) and says which findings lost; `to_edits` turns the chosen rewrites into
sorted, non-overlapping edits; `apply` rewrites a text from those; `compose` folds the
edits of one pass into net edits against the original input, and `OffsetMap` maps an
offset in the current text back to the original, so every report points at the input.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from .model import Finding, NetEdit

Edit = tuple[int, int, str]


@dataclass(frozen=True)
class Resolution:
    chosen: list[Finding]  # rewrites to apply, sorted by start
    losers: list[tuple[Finding, Finding]]  # (finding, the chosen rewrite it collided with)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Spans collide when they share a character, or an insertion falls strictly inside."""
    (s1, e1), (s2, e2) = a, b
    if s1 == e1 and s2 == e2:
        return s1 == s2
    return s1 < e2 and s2 < e1


def _deletion(f: Finding) -> bool:
    return f.after == ""


def resolve(rewrites: list[Finding]) -> Resolution:
    """Keep the strongest rewrite where several touch the same text.

    Ranked by priority, then the longer span, then the earlier start, then the rule id,
    so the outcome never depends on the order rules ran in. Two overlapping deletions do
    not collide: deleting A and B is deleting A ∪ B. A finding that loses is paired with
    the highest-ranked chosen rewrite it collides with.

    The chosen rewrites are kept as sorted, disjoint blocks (a rewrite alone, or deletions
    that overlap one another), so each finding looks only at the blocks its span touches:
    the cost grows with the number of findings, not with its square.
    """
    ranked = sorted(rewrites, key=lambda f: (-f.priority, -(f.end - f.start), f.start, f.rule, f.after or ""))
    blocks = _Blocks()
    chosen: list[Finding] = []
    losers: list[tuple[Finding, Finding]] = []
    for f in ranked:
        clash = blocks.first_clash(f, chosen)
        if clash is None:
            blocks.add(f, len(chosen))
            chosen.append(f)
        else:
            losers.append((f, clash))
    chosen.sort(key=lambda f: (f.start, f.end, f.rule))
    return Resolution(chosen, losers)


class _Blocks:
    """Chosen rewrites as sorted, pairwise disjoint blocks: a rewrite that is not a
    deletion stands alone (nothing chosen overlaps it); deletions that overlap one another
    share a block. Each block keeps the rank (index in ``chosen``) of its members."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.members: list[list[tuple[int, Finding]]] = []

    def _touching(self, start: int, end: int) -> range:
        """Indices of the blocks that may overlap [start, end)."""
        i = max(0, bisect.bisect_left(self.starts, start) - 1)
        j = bisect.bisect_right(self.starts, end)
        return range(i, j)

    def first_clash(self, f: Finding, chosen: list[Finding]) -> Finding | None:
        best = None
        span = (f.start, f.end)
        deleting = _deletion(f)
        for b in self._touching(f.start, f.end):
            if not _overlap(span, (self.starts[b], self.ends[b])) and not (
                self.starts[b] == self.ends[b] or f.start == f.end
            ):
                continue
            for rank, c in self.members[b]:
                if (best is None or rank < best) and _overlap(span, (c.start, c.end)) and not (deleting and _deletion(c)):
                    best = rank
        return None if best is None else chosen[best]

    def add(self, f: Finding, rank: int) -> None:
        lo, hi, members = f.start, f.end, [(rank, f)]
        touching = self._touching(f.start, f.end)
        merged = []
        if _deletion(f):  # join the deletion blocks it overlaps (nothing else can overlap it)
            merged = [b for b in touching if _overlap((f.start, f.end), (self.starts[b], self.ends[b]))]
        for b in merged:
            lo, hi = min(lo, self.starts[b]), max(hi, self.ends[b])
            if len(self.members[b]) > len(members):
                members, other = self.members[b], members
            else:
                other = self.members[b]
            members.extend(other)
        for b in reversed(merged):
            del self.starts[b], self.ends[b], self.members[b]
        at = bisect.bisect_right(self.starts, lo)
        while at > 0 and self.starts[at - 1] == lo and self.ends[at - 1] > hi:  # keep (start, end) order
            at -= 1
        self.starts.insert(at, lo)
        self.ends.insert(at, hi)
        self.members.insert(at, members)


def to_edits(chosen: list[Finding], text: str) -> list[Edit]:
    """Sorted, non-overlapping edits; overlapping deletions merge into one.

    A deletion that reaches the end of the text (before its final line break) also takes
    the blank lines before it, so removing several trailing blocks leaves no tail of
    empty lines, whichever rules removed them.
    """
    edits: list[list] = []
    for f in sorted(chosen, key=lambda f: (f.start, f.end)):
        if edits and f.after == "" and edits[-1][2] == "" and f.start <= edits[-1][1]:
            edits[-1][1] = max(edits[-1][1], f.end)
        else:
            edits.append([f.start, f.end, f.after or ""])
    if edits and edits[-1][2] == "" and not text[edits[-1][1]:].strip("\r\n"):
        last = edits[-1]
        while last[0] > 0 and text[last[0] - 1] in " \t\r\n":
            last[0] -= 1
        if len(edits) > 1 and edits[-2][1] > last[0]:
            last[0] = edits[-2][1]
    return [(s, e, t) for s, e, t in edits]


def widen_trailing_deletion(chosen: list[Finding], text: str, widened: dict[int, Finding] | None = None) -> list[Finding]:
    """The chosen rewrites with the deletion that `to_edits` extends over the blank lines
    before the end of the text widened to match, so that what is reported is exactly what
    is deleted (the finding that starts the last deletion takes the extra whitespace).
    ``widened`` (if given) receives ``id(wider finding) -> the finding as found``."""
    while True:  # widening may join the deletion before it, which widens it further
        edits = to_edits(chosen, text)
        if not edits or edits[-1][2] != "":
            return chosen
        lo, hi = edits[-1][0], edits[-1][1]
        members = [f for f in chosen if f.after == "" and lo <= f.start and f.end <= hi]
        if not members:
            return chosen
        first = min(members, key=lambda f: (f.start, f.end, f.rule))
        if first.start == lo:
            return chosen
        wide = replace(first, start=lo, before=text[lo:first.end])
        if widened is not None:
            widened[id(wide)] = widened.pop(id(first), first)
        chosen = sorted((wide if f is first else f for f in chosen), key=lambda f: (f.start, f.end, f.rule))


def _line_end_kinds(text: str) -> tuple[int, int, int]:
    crlf = text.count("\r\n")
    return crlf, text.count("\r") - crlf, text.count("\n") - crlf


def joins_line_ends(text: str, f: Finding) -> bool:
    """Whether applying ``f`` alone makes a kind of line end that was not there: deleting
    a character between CR and LF makes a CRLF, deleting the CR of a CRLF a lone LF. A
    file's line ends are its own; no rewrite may change them."""
    if "\r" not in f.before and "\n" not in f.before and "\r" not in (f.after or "") and "\n" not in (f.after or ""):
        left = text[f.start - 1:f.start]
        right = text[f.end:f.end + 1]
        if left != "\r" or right != "\n":
            return False
    left, right = text[max(0, f.start - 1):f.start], text[f.end:f.end + 1]
    was = _line_end_kinds(left + text[f.start:f.end] + right)
    now = _line_end_kinds(left + (f.after or "") + right)
    return any(n > w for n, w in zip(now, was))


def apply(text: str, edits: list[Edit]) -> str:
    """Apply sorted, non-overlapping (start, end, replacement) edits."""
    out, pos = [], 0
    for start, end, replacement in edits:
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


class OffsetMap:
    """Maps offsets in the current text (the original with ``net`` applied) back to the original."""

    def __init__(self, net: list[NetEdit]):
        self.net = net
        self.current: list[tuple[int, int]] = []  # where each net edit's text sits now
        delta = 0
        for e in net:
            s = e.start + delta
            self.current.append((s, s + len(e.text)))
            delta += len(e.text) - (e.end - e.start)
        self._starts = [s for s, _ in self.current]

    def current_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the current text that `to_original` maps [start, end) onto: widened
        to the whole of any rewritten text it starts or ends inside."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and start < self.current[i][1]:
            start = self.current[i][0]
        j = bisect.bisect_left(self._starts, end) - 1
        if j >= 0 and end <= self.current[j][1]:
            end = self.current[j][1]
        return start, end

    def to_original(self, pos: int, *, end: bool = False) -> int:
        """A start offset inside rewritten text maps to the rewrite's start, an end offset to its end."""
        # An end offset belongs to the text before it, a start offset to the text after it.
        i = (bisect.bisect_left if end else bisect.bisect_right)(self._starts, pos) - 1
        if i < 0:
            return pos
        cs, ce = self.current[i]
        e = self.net[i]
        if pos < ce or (end and pos == ce):
            return e.end if end else e.start
        return e.end + (pos - ce)


def compose(net: list[NetEdit], edits: list[Edit], current: str) -> list[NetEdit]:
    """Fold edits made on ``current`` (the original with ``net`` applied) into net edits on the original."""
    if not edits:
        return net
    omap = OffsetMap(net)
    items = [(s, e, None, i) for i, (s, e) in enumerate(omap.current)]
    items += [(s, e, j, None) for j, (s, e, t) in enumerate(edits) if s < e or t]
    items.sort(key=lambda t: (t[0], t[1]))
    clusters: list[list] = []
    hi = -1
    for item in items:
        if clusters and item[0] < hi:
            clusters[-1].append(item)
            hi = max(hi, item[1])
        else:
            clusters.append([item])
            hi = item[1]
    result: list[NetEdit] = []
    for cluster in clusters:
        olds = [net[i] for _, _, j, i in cluster if i is not None]
        news = sorted(edits[j] for _, _, j, _ in cluster if j is not None)
        if not news:
            result.extend(olds)
            continue
        lo = min(s for s, _, _, _ in cluster)
        hi = max(e for _, e, _, _ in cluster)
        o_lo = min([omap.to_original(lo)] + [o.start for o in olds])
        o_hi = max([omap.to_original(hi, end=True) if hi > lo else o_lo] + [o.end for o in olds])
        text = apply(current[lo:hi], [(s - lo, e - lo, t) for s, e, t in news])
        result.append(NetEdit(o_lo, o_hi, text))
    result.sort(key=lambda n: (n.start, n.end))
    return result
