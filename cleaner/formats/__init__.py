"""What each article format lets rules touch, as character offsets into the original text.

A format module returns a `Layout`: the spans no rule may touch (code, link targets,
markup, front-matter keys) and the spans where an inline ``cleaner:`` directive is only
sample text (inside code) and so must not be obeyed. Parsers are imported only for the
format that needs them, so a plain-text run never pays for markdown-it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class Layout:
    protected: tuple[Span, ...] = ()
    code: tuple[Span, ...] = ()  # a ``cleaner:`` directive in here is an example, not a directive
    # Block elements in document order, outer before inner (a list before its items): what
    # ``cleaner: disable=...`` covers is the first block after the directive.
    blocks: tuple[Span, ...] = ()
    # HTML: inline tags (<b>, <a href=...>, </span>) that rules read through: rules see the
    # text with them taken out, so "<b>americans</b> Y russians" reads "americans Y russians".
    inline: tuple[Span, ...] = ()
    # Characters shown in the blanked text in place of markup: a list item's tag reads as a
    # bullet ("•"), as a scraped list looks in plain text.
    shown: tuple[tuple[int, str], ...] = ()


def layout(text: str, fmt: str) -> Layout:
    """The layout of ``text`` read as ``fmt`` ("text", "markdown" or "html")."""
    if fmt == "markdown":
        from .markdown import markdown_layout

        return markdown_layout(text)
    if fmt == "html":
        from .html import html_layout

        return html_layout(text)
    return Layout()


_NOT_LINE_BREAK = re.compile(r"[^\r\n]")
# Static-site template tags (Hugo shortcodes ``{{< ... >}}``, Jekyll/Liquid ``{% ... %}`` and
# ``{{ ... }}``) are invisible to a Markdown or HTML parser, which reads them as text; they are
# code, so they are protected like code. Bounded so a stray "{{" cannot swallow an article.
_TEMPLATE_TAG = re.compile(r"\{\{.{0,2000}?\}\}|\{%.{0,2000}?%\}", re.S)


def template_tags(text: str) -> list[Span]:
    if "{" not in text:
        return []
    return [m.span() for m in _TEMPLATE_TAG.finditer(text)]


def blank(text: str, spans, shown=()) -> str:
    """``text`` with every span's characters but line breaks replaced by spaces (and the
    ``shown`` characters put at their offsets)."""
    if not spans:
        return text
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        out.append(_NOT_LINE_BREAK.sub(" ", text[s:e]))
        pos = e
    out.append(text[pos:])
    blanked = "".join(out)
    for offset, char in shown:
        blanked = blanked[:offset] + char + blanked[offset + 1:]
    return blanked


def complement(spans: list[Span], start: int, end: int) -> list[Span]:
    """The parts of [start, end) outside the sorted, merged ``spans``."""
    out, pos = [], start
    for s, e in spans:
        if e <= pos or s >= end:
            continue
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        out.append((pos, end))
    return out


def merge(spans: list[Span]) -> list[Span]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
