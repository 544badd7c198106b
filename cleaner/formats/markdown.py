"""Markdown: prose is cleaned, code, link targets, markup and front matter are not.

The text is parsed with markdown-it-py (CommonMark). Its inline rules are wrapped so
that every run of plain text they consume is recorded with its position in the inline
source, and each inline source line is located in the original file, so what is cleaned
is exactly what a reader sees as prose: paragraphs, headings, list items, block quotes
and link text. Everything else on a line (list markers, heading hashes, emphasis
delimiters, inline code, link destinations, autolinks, inline HTML, escapes, entities)
and every line no prose comes from (fenced and indented code, HTML blocks, reference
definitions, rules) is protected. Front matter (YAML ``---`` or TOML ``+++``) is
protected except the values of ``title`` and ``description``.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from . import Layout, Span, complement, merge, template_tags

# Inline rules whose consumed text is prose; everything else an inline rule consumes is markup.
_PROSE_RULES = frozenset({"text", "newline", "fallback"})
_CODE_BLOCKS = frozenset({"fence", "code_block"})
_VERBATIM_BLOCKS = _CODE_BLOCKS | {"html_block", "hr"}
_LINE = regex.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_FRONT_MATTER = {"---": ("---", "..."), "+++": ("+++",)}
# Only one-line scalar values are cleaned; a block scalar, flow collection, anchor, tag or
# escape sequence is left alone rather than risk breaking the front matter's syntax.
_YAML_VALUE = regex.compile(r"(?:title|description)[ \t]*:[ \t]+(?P<q>[\"']?)(?P<v>[^\"'|>\[{&*!#%@`\s\\][^\\]*?)(?P=q)[ \t]*$")
_TOML_VALUE = regex.compile(r"(?:title|description)[ \t]*=[ \t]*(?P<q>[\"'])(?P<v>[^\"'\\\r\n]+)(?P=q)[ \t]*$")


def _lines(text: str, start: int = 0) -> list[Span]:
    """Content spans of the lines of text[start:], without terminators."""
    out = []
    for m in _LINE.finditer(text, start):
        s, e = m.span()
        if s == e:
            break
        while e > s and text[e - 1] in "\r\n":
            e -= 1
        out.append((s, e))
    return out


def _front_matter(text: str, lines: list[Span]) -> tuple[int, list[Span], list[Span]]:
    """(number of front-matter lines, protected spans, cleanable value spans)."""
    if not lines:
        return 0, [], []
    first = text[lines[0][0]:lines[0][1]]
    if first.rstrip() not in _FRONT_MATTER:
        return 0, [], []
    closers = _FRONT_MATTER[first.rstrip()]
    value = _YAML_VALUE if first.startswith("-") else _TOML_VALUE
    for i in range(1, len(lines)):
        s, e = lines[i]
        if text[s:e].rstrip() in closers:
            values = []
            for ls, le in lines[1:i]:
                m = value.match(text, ls, le)
                if m and " #" not in m.group("v") and not m.group("v").rstrip().endswith(":"):
                    values.append(m.span("v"))
            whole = (lines[0][0], lines[i][1])
            return i + 1, complement(values, *whole), values
    return 0, [], []


@lru_cache(maxsize=1)
def _parser():
    """A CommonMark parser whose inline rules record the spans they consume."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])  # GitHub-style tables
    ruler = md.inline.ruler
    for rule in list(ruler.__rules__):
        ruler.at(rule.name, _recording(rule.name, rule.fn))
    ruler.push("fallback", _recording("fallback", _fallback))
    return md


def _recording(name, fn):
    def rule(state, silent):
        start = state.pos
        ok = fn(state, silent)
        if ok and not silent:
            spans = state.env["cleaner_spans"].setdefault(id(state.src), [])
            spans.append((name in _PROSE_RULES, start, state.pos))
        return ok

    return rule


def _fallback(state, silent) -> bool:
    """What markdown-it does with a character no rule takes (a lone "!", "-" or ":"):
    keep it as text. As a rule of its own, its span is recorded as prose."""
    if not silent:
        state.pending += state.src[state.pos]
    state.pos += 1
    return True


def markdown_layout(text: str) -> Layout:
    lines = _lines(text)
    fm_count, protected, _values = _front_matter(text, lines)
    body_lines = lines[fm_count:]
    body_start = body_lines[0][0] if body_lines else len(text)
    env: dict = {"cleaner_spans": {}}
    tokens = _parser().parse(text[body_start:], env)
    handled = set(range(fm_count))
    code: list[Span] = []
    prose: dict[int, list[Span]] = {}  # line -> prose spans found on it
    cursor: dict[int, int] = {}  # line -> where the previous table cell's text ended
    previous = ""
    blocks: list[Span] = []
    for tok in tokens:
        if tok.map is not None:
            first, last = tok.map[0] + fm_count, tok.map[1] + fm_count  # lines [first, last)
            if tok.nesting >= 0 and tok.type != "inline" and first < len(lines):
                end_line = max(first, min(last, len(lines)) - 1)
                while end_line > first and lines[end_line][0] == lines[end_line][1]:
                    end_line -= 1
                blocks.append((lines[first][0], lines[end_line][1]))
            if tok.type in _VERBATIM_BLOCKS:
                last = max(first + 1, last)
                while last - 1 > first and lines[last - 1][0] == lines[last - 1][1]:
                    last -= 1  # markdown-it counts trailing blank lines into an indented code block
                span = (lines[first][0], lines[min(last, len(lines)) - 1][1])
                protected.append(span)
                if tok.type in _CODE_BLOCKS:
                    code.append(span)
                handled.update(range(first, last))
            elif tok.type == "inline":
                records = env["cleaner_spans"].get(id(tok.content), [])
                in_cell = previous in ("th_open", "td_open")
                _inline(text, lines, first, last, tok.content, records, prose, cursor if in_cell else None)
        previous = tok.type
    for i, (s, e) in enumerate(lines):
        if i in prose:
            protected.extend(_line_markup(text, s, e, prose[i]))
        elif i not in handled and text[s:e].strip():
            protected.append((s, e))  # reference definitions, setext underlines, anything unknown
    protected.extend(template_tags(text))
    return Layout(protected=tuple(merge(protected)), code=tuple(merge(code)), blocks=tuple(blocks))


def _inline(text, lines, first, last, content, records, prose, cursor) -> None:
    """Locate an inline block's lines in the file and record its prose runs on each line.

    ``cursor`` (for table cells, several on one line) makes the search start after the
    previous cell; otherwise the content is the end of its line (after list markers, block
    quote markers, heading hashes), so the last occurrence is the one."""
    # Plain-text runs are leaves: the text of a link label is recorded by the nested
    # tokenisation of the label, while the link rule's own span (with its target) is not prose.
    runs = merge([(s, e) for is_prose, s, e in records if is_prose])
    offset = 0  # of the current content line within ``content``
    for k, part in enumerate(content.split("\n")):
        i = first + k
        if i >= last or i >= len(lines):
            break
        ls, le = lines[i]
        line = text[ls:le]
        if cursor is not None:
            at = line.find(part, cursor.get(i, 0)) if part else -1
        else:
            at = line.rfind(part) if part else -1
        if at >= 0 and part.strip():
            start = ls + at
            if cursor is not None:
                cursor[i] = at + len(part)
            found = prose.setdefault(i, [])
            found.extend(
                (start + max(s, offset) - offset, start + min(e, offset + len(part)) - offset)
                for s, e in runs
                if s < offset + len(part) and e > offset
            )
        # else: not found verbatim (tabs expanded): the line stays protected whole
        offset += len(part) + 1


def _line_markup(text: str, start: int, end: int, prose: list[Span]) -> list[Span]:
    """Everything on a prose line that is not prose: markers, hashes, code, link targets.

    Pure indentation and trailing blanks stay free, so a whole prose line can still be
    deleted by a line-based rule."""
    out = []
    for s, e in complement(merge(prose), start, end):
        if (s == start or e == end) and not text[s:e].strip():
            continue
        out.append((s, e))
    return out
