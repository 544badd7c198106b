"""Inline suppression: ``cleaner: off`` / ``on`` regions and ``cleaner: disable=RULE``.

A directive sits on a line of its own: in Markdown and HTML as a comment
(``<!-- cleaner: disable=punctuation/space-before-comma -->``), in plain text as the
bare words (``cleaner: off``); plain text accepts the comment form too. A directive
inside code (a fenced block, ``<pre>``) is an example, not a directive.

- ``off`` … ``on``: nothing between them is touched (an ``off`` never switched back on
  runs to the end of the file).
- ``disable=A,B``: findings of those rules, packs or categories that start in the next
  block are dropped: the next element in HTML, the next block (paragraph, list, heading,
  quote, table) in Markdown, the lines up to the next blank line in plain text.

Every directive remembers whether it suppressed anything, so ``--show-unused-suppressions``
can report the ones that no longer do.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from .model import Change, Finding, Level

Span = tuple[int, int]

_BODY = r"cleaner:[ \t]*(?:(?P<switch>off|on)|disable[ \t]*=[ \t]*(?P<rules>[\w./\-]+(?:[ \t]*,[ \t]*[\w./\-]+)*))[ \t]*"
_COMMENT = regex.compile(rf"^[ \t]*<!--[ \t]*{_BODY}-->[ \t]*$", regex.M | regex.I)
_BARE = regex.compile(rf"^[ \t]*(?:<!--[ \t]*{_BODY}-->|{_BODY})[ \t]*$", regex.M | regex.I)
UNUSED_RULE = "cleaner/unused-suppression"


@dataclass(frozen=True)
class Suppression:
    index: int
    kind: str  # "off" or "disable"
    rules: frozenset[str]  # for "disable": rule ids, pack names or categories
    directive: Span  # the directive itself (always protected)
    region: Span  # what it covers

    def covers(self, f: Finding) -> bool:
        if self.kind == "off":
            s, e = self.region
            return f.start < e and (s < f.end or (f.start == f.end and s <= f.start))
        if not (self.region[0] <= content_start(f.start, f.before) < self.region[1]):
            return False
        return f.rule in self.rules or f.rule.split("/", 1)[0] in self.rules or f.category in self.rules


def content_start(start: int, before: str) -> int:
    """Where a finding's text begins, past leading whitespace: a deletion that takes the
    blank lines before a block with it (a footer) starts, for a directive, in that block."""
    return start + len(before) - len(before.lstrip())


def _in(spans: list[Span], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def find_suppressions(
    text: str, fmt: str, code: list[Span], lines: list[Span], blocks: tuple[Span, ...] = ()
) -> list[Suppression]:
    """Every directive in ``text``; ``lines`` are the document's line spans, ``code`` its
    code, ``blocks`` its block elements (Markdown, HTML) in document order."""
    pattern = _BARE if fmt == "text" else _COMMENT
    found = []
    for m in pattern.finditer(text):
        if code and _in(code, m.start()):
            continue
        switch = (m.group("switch") or "").lower()
        rules = m.group("rules")
        found.append((m.start(), m.end(), switch, rules))
    out: list[Suppression] = []
    open_off: tuple[int, int] | None = None
    line_starts = [s for s, _ in lines]
    directive_lines = {bisect.bisect_right(line_starts, s) - 1 for s, _, _, _ in found}
    for start, end, switch, rules in found:
        if switch == "off":
            if open_off is None:
                open_off = (start, end)
        elif switch == "on":
            if open_off is not None:
                out.append(Suppression(len(out), "off", frozenset(), open_off, (open_off[0], end)))
                open_off = None
        else:
            names = frozenset(r.strip() for r in rules.split(","))
            directive_starts = {s for s, _, _, _ in found}
            region = next(
                ((s, e) for s, e in blocks if s >= end and s not in directive_starts and text[s:e].strip()), None
            ) or _next_block(text, lines, bisect.bisect_right(line_starts, start) - 1, directive_lines)
            out.append(Suppression(len(out), "disable", names, (start, end), region))
    if open_off is not None:
        out.append(Suppression(len(out), "off", frozenset(), open_off, (open_off[0], len(text))))
    return sorted(out, key=lambda s: s.directive)


def _next_block(text: str, lines: list[Span], i: int, directives: set[int]) -> Span:
    """From the end of directive line ``i`` to the end of the block after it: blank lines
    and further directives are skipped, then the block runs to the next blank line."""
    start = lines[i][1]
    j = i + 1
    while j < len(lines) and (j in directives or not text[lines[j][0]:lines[j][1]].strip()):
        j += 1
    end = start
    while j < len(lines) and text[lines[j][0]:lines[j][1]].strip():
        end = lines[j][1]
        j += 1
    return (start, end)


def directive_line(fmt: str, rules: list[str]) -> str:
    body = f"cleaner: disable={','.join(rules)}"
    return body if fmt == "text" else f"<!-- {body} -->"


def add_suppressions(result, doc) -> tuple[str, int]:
    """The text with a ``disable`` directive above each block that still has findings,
    and how many findings could not be suppressed inline.

    For adopting the tool on a backlog: afterwards ``cleaner check`` passes on these
    files and fails only on what is new. A directive is never put where it would break
    the file: inside front matter or inside a tag that spans lines (use a baseline there)."""
    by_line: dict[int, set[str]] = {}
    skipped = 0
    markup = list(doc.layout.protected)
    for c in result.changes:
        first = _directive_line(doc, c.start)
        if first is None or any(s < doc.lines[first][0] < e for s, e in markup):
            skipped += 1
            continue
        by_line.setdefault(first, set()).add(c.finding.rule)
    text = result.original
    newline = doc.newline
    for i in sorted(by_line, reverse=True):
        s, e = doc.lines[i]
        indent = text[s:e][: len(text[s:e]) - len(text[s:e].lstrip(" \t"))]
        text = text[:s] + indent + directive_line(doc.format, sorted(by_line[i])) + newline + text[s:]
    return text, skipped


def _directive_line(doc, offset: int) -> int | None:
    """The line above which a ``disable`` directive covers ``offset``, or None.

    Plain text: the first line of its paragraph. Markdown: its top-level block (a
    directive between list items would split the list). HTML: its innermost block
    element. The choice is checked against how the directive will be read."""
    blocks = doc.layout.blocks
    if not blocks:
        para = next((p for p in doc.paragraphs if p[0] <= offset < max(p[1], p[0] + 1)), None)
        return doc.line_index(para[0] if para else offset)
    containing = [b for b in blocks if b[0] <= offset < b[1]]
    if not containing:
        return None
    block = containing[0] if doc.format == "markdown" else containing[-1]
    line = doc.line_index(block[0])
    at = doc.lines[line][0]
    covered = next((b for b in blocks if b[0] >= at), None)
    return line if covered is not None and covered[0] <= offset < covered[1] else None


def unused_changes(doc, suppressions: list[Suppression], used: set[int]) -> list[Change]:
    """Directives that suppressed nothing, reported as flags."""
    out = []
    for sup in suppressions:
        if sup.index in used:
            continue
        s, e = sup.directive
        what = "cleaner: off" if sup.kind == "off" else f"disable={','.join(sorted(sup.rules))}"
        f = Finding(UNUSED_RULE, "other", Level.FLAG, s, e, doc.source[s:e], None, f"Unused suppression ({what}): it suppresses nothing")
        line, col = doc.line_col(s)
        out.append(Change(finding=f, applied=False, start=s, end=e, line=line, column=col))
    return out


def _disable_at(doc, line: int) -> "Suppression | None":
    """The ``disable`` directive written on ``line``, if there is one."""
    if line < 0:
        return None
    s, _ = doc.lines[line]
    return next((sup for sup in doc.suppressions if sup.kind == "disable" and sup.directive[0] <= s < sup.directive[1] + 1), None)


def annotate(text: str, doc, changes) -> tuple[str, int]:
    """``text`` (``doc``'s source) with each change's rule added to the ``disable``
    directive above its block: merged into a directive already there, else on a new line.
    Returns the text and how many changes could not be suppressed inline."""
    by_line: dict[int, set[str]] = {}
    skipped = 0
    markup = list(doc.layout.protected)
    for c in changes:
        first = _directive_line(doc, content_start(c.start, c.finding.before))
        if first is None or any(s < doc.lines[first][0] < e for s, e in markup):
            skipped += 1
            continue
        by_line.setdefault(first, set()).add(c.finding.rule)
    for i in sorted(by_line, reverse=True):
        existing = _disable_at(doc, i - 1)
        s, e = doc.lines[i]
        if existing is not None:  # one directive per block: merge instead of stacking a second
            ls, le = doc.lines[i - 1]
            indent = text[ls:le][: len(text[ls:le]) - len(text[ls:le].lstrip(" \t"))]
            rules = sorted(existing.rules | by_line[i])
            text = text[:ls] + indent + directive_line(doc.format, rules) + text[le:]
        else:
            indent = text[s:e][: len(text[s:e]) - len(text[s:e].lstrip(" \t"))]
            text = text[:s] + indent + directive_line(doc.format, sorted(by_line[i])) + doc.newline + text[s:]
    return text, skipped


def _source_line(doc, offset: int) -> str:
    s, e = doc.lines[doc.line_index(offset)]
    return doc.source[s:e]


def _drop_lines(text: str, doc, spans: list[Span]) -> str:
    """``text`` without the whole lines holding ``spans`` (unused directives)."""
    for s, _ in sorted(spans, reverse=True):
        i = doc.line_index(s)
        ls, le = doc.lines[i]
        end = doc.lines[i + 1][0] if i + 1 < len(doc.lines) else le
        text = text[:ls] + text[end:]
    return text


def suppress_until_clean(text: str, clean, make_doc, rounds: int = 8) -> tuple[str, int]:
    """Add ``disable`` directives until ``clean(text)`` (a `FileResult`) reports nothing
    and no directive is unused; returns the text and how many findings are left.

    One round is not enough: a directive changes what the rules see (suppressed
    evidence can change the inferred source language, so other rules speak up), so
    the file is cleaned again after each change, as the next ``cleaner check`` will."""
    left = 0
    original = set(text.splitlines())  # a directive the file already had is the author's: never dropped
    for _ in range(rounds):
        result = clean(text)
        doc = make_doc(text)
        pending = [c for c in result.changes if c.finding.rule != UNUSED_RULE]
        ours = [(c.start, c.end) for c in result.unused_suppressions
                if _source_line(doc, c.start) not in original]
        if ours:
            text = _drop_lines(text, doc, ours)
            continue
        if not pending:
            return text, 0
        new, left = annotate(text, doc, pending)
        if new == text:
            return text, left
        text = new
    result = clean(text)
    return text, len(result.changes) + len(result.unused_suppressions)
