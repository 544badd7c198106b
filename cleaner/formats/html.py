"""HTML: only text nodes are cleaned; tags, attributes, comments, entities and the
content of code-like elements come out byte-identical.

The standard library's `html.parser` reports where each piece of data starts; with
``convert_charrefs=False`` it hands over text nodes raw, so their length in the file is
their length as data, and character references arrive separately (and stay protected).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from . import Layout, Span, complement, merge, template_tags

# Elements that make a block: ``cleaner: disable=...`` covers the next one.
BLOCKS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "div",
    "section", "article", "aside", "header", "footer", "nav", "figure", "figcaption", "table", "tr",
    "td", "th", "pre", "title", "main", "address", "details", "summary",
})
# Elements whose text is code, data or markup, never prose.
VERBATIM = frozenset({"script", "style", "pre", "code", "kbd", "samp", "var", "textarea", "template", "svg", "math"})
# Inline elements: their tags sit inside a sentence, so rules read through them.
INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "font", "i", "ins", "del", "mark",
    "q", "s", "small", "span", "strong", "sub", "sup", "time", "u",
})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_NEWLINE = re.compile("\n")
_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w-]*)\b[^>]*?(/?)>", re.S)


class _TextNodes(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        # html.parser counts lines by "\n" only; so does this table.
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self.prose: list[Span] = []
        self.code: list[Span] = []
        self.depth = 0  # how many verbatim elements are open
        self.code_start = 0
        self.blocks: list[list[int]] = []  # [start, end] in document order; end -1 while open
        self.open_blocks: list[tuple[str, int]] = []  # (tag, index into blocks)
        self.inline: list[Span] = []  # inline tags on one line, which rules read through
        self.bullets: list[int] = []  # where each <li> that is a link starts
        self.pending_li: int | None = None  # an <li> not yet known to hold a link first

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.pending_li = None
        if self.depth == 0 and data:
            start = self._offset()
            if self.text.startswith(data, start):
                self.prose.append((start, start + len(data)))

    def handle_starttag(self, tag, attrs) -> None:
        if self.depth == 0 and (tag in INLINE or tag == "li"):
            start = self._offset()
            raw = self.get_starttag_text() or ""
            if tag == "li":
                self.pending_li = start
            elif tag == "a" and self.pending_li is not None:
                # A list item that opens with a link reads as a bullet, as a scraped list of
                # story links looks in plain text; any other list item stays unmarked.
                self.bullets.append(self.pending_li)
                self.pending_li = None
            if tag in INLINE and "\n" not in raw and self.text.startswith(raw, start):
                self.inline.append((start, start + len(raw)))
        if tag in BLOCKS:
            self.open_blocks.append((tag, len(self.blocks)))
            self.blocks.append([self._offset(), -1])
        if tag in VERBATIM:
            if self.depth == 0:
                self.code_start = self._offset()
            self.depth += 1

    def handle_endtag(self, tag) -> None:
        if tag in INLINE and self.depth == 0:
            start = self._offset()
            end = self.text.find(">", start) + 1
            if end and "\n" not in self.text[start:end]:
                self.inline.append((start, end))
        if tag in BLOCKS and any(t == tag for t, _ in self.open_blocks):
            end = self.text.find(">", self._offset()) + 1 or len(self.text)
            while self.open_blocks:  # closing an element closes the unclosed ones inside it
                t, i = self.open_blocks.pop()
                self.blocks[i][1] = end
                if t == tag:
                    break
        if tag in VERBATIM and self.depth:
            self.depth -= 1
            if self.depth == 0:
                end = self.text.find(">", self._offset()) + 1
                self.code.append((self.code_start, end or len(self.text)))


def html_layout(text: str) -> Layout:
    parser = _TextNodes(text)
    parser.feed(text)
    parser.close()
    if parser.depth:  # an unclosed <pre> or <script>: the rest is code
        parser.code.append((parser.code_start, len(text)))
    protected = complement(merge(parser.prose), 0, len(text)) + template_tags(text)
    blocks = tuple((s, e if e >= 0 else len(text)) for s, e in parser.blocks)  # unclosed <p>: to the end
    return Layout(
        protected=tuple(merge(protected)), code=tuple(merge(parser.code)), blocks=blocks,
        inline=tuple(sorted(parser.inline)), shown=tuple((b, "•") for b in parser.bullets),
    )


def balanced(fragment: str) -> bool:
    """Whether ``fragment`` holds whole elements only: every tag opened in it is closed in
    it and none is closed that it did not open. Deleting such a fragment (a scraped
    "<p>Read also: ...</p>", a related-links <ul>) leaves the page's markup well formed."""
    stack: list[str] = []
    for m in _TAG.finditer(fragment):
        closing, name, self_closing = m.group(1), (m.group(2) or "").lower(), m.group(3)
        if not name or name in VOID or self_closing:
            continue
        if name in VERBATIM:  # never delete code, scripts or styles with page furniture
            return False
        if not closing:
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            return False
    return not stack
