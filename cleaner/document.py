"""The text a rule looks at, and what it must never touch.

A `Document` holds the text and, as character offsets into it, the protected spans
(URLs, e-mail addresses, regions switched off with ``cleaner: off``, and whatever its
format protects: code, link targets, markup; see `cleaner.formats`) and the units that
rules read: lines, paragraphs, sentences and word tokens. Units are computed lazily and
once, so a rule that does not need sentences does not pay for them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, TypeVar

import regex

if TYPE_CHECKING:  # pragma: no cover
    from .formats import Layout
    from .suppression import Suppression

Span = tuple[int, int]
T = TypeVar("T")


class Token(NamedTuple):
    start: int
    end: int
    text: str


# A URL or e-mail address is never prose: "example.com. the" must not read as a sentence.
# Two patterns, each tried only when its tell-tale characters occur: one alternation of
# both scans ten times slower.
_URL = regex.compile(r"""(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>"“”]+[^\s<>"“”.,;:!?)\]’']""")
_EMAIL = regex.compile(r"""[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b""")
_VOCAB = re.compile(r"\w+")
_EDGE_PUNCTUATION = ".,;:!?\"'“”‘’()[]{}«»…–—-/*"  # no word character among them
_DIRECTIVE_HINT = regex.compile(r"cleaner:", regex.I)  # cheap test before parsing directives
_LINE = regex.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BLANK_RUN = regex.compile(r"(?:\r\n|\r|\n)(?:[ \t]*(?:\r\n|\r|\n))+")
_WORD = regex.compile(r"\w+(?:[’'\-]\w+)*")
# A sentence ends at . ! ? (and any closing quotes or brackets) before a space and a
# capital, digit or opening quote; abbreviations are checked separately.
_SENTENCE_END = regex.compile(r"[.!?…]+[”’\"')\]]*(?=\s+[“‘\"'(\[]?[\p{Lu}\d])")
_ABBREVIATION = regex.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Sgt|Gov|Sen|Rep|Jr|Sr|Inc|Ltd|Co|No|vs|etc|e\.g|i\.e)|\b\p{L})\.$"
)


@dataclass
class Document:
    """Text plus its protected spans and reading units; offsets index into ``text``."""

    text: str
    path: str = "-"
    format: str = "text"
    newline: str = "\n"
    settings: dict[str, Any] = field(default_factory=dict)
    extra_protected: tuple[Span, ...] = ()
    source: str = field(default="", repr=False)  # the text as in the file (see __post_init__)

    def __post_init__(self) -> None:
        """In Markdown and HTML, rules read the text with its markup blanked out.

        ``source`` is the file's text; ``text`` is the same text with every span the
        format protects (tags, link targets, list markers, code) replaced by spaces, line
        breaks kept, so offsets are shared and a rule sees "head.” ." at the end of a
        paragraph whether it is followed by a line break or by ``</p>``. Findings that
        touch a blanked span are dropped as protected, so the blanks are never edited."""
        self.source = self.text
        if self.format != "text":
            from .formats import blank

            self.text = blank(self.source, self.layout.protected, self.layout.shown)

    # -- HTML: reading through inline tags ----------------------------------------
    @cached_property
    def view(self) -> "Document":
        """What rules read: this document, or for HTML with inline tags on a line the same
        text with those tags taken out (``<b>americans</b> Y`` reads ``americans Y``).
        `from_view` maps a finding back; the engine then checks it against this document."""
        inline = self.layout.inline if self.format == "html" else ()
        if not inline:
            return self
        from .formats import complement

        segments, pos = [], 0  # (offset in the view, start and end in the text) of each kept piece
        for s, e in complement(list(inline), 0, len(self.text)):
            segments.append((pos, s, e))
            pos += e - s
        if not segments:  # nothing but inline tags: an empty view, every offset maps to its end
            segments.append((0, len(self.text), len(self.text)))
        self._segments = segments
        self._view_offsets = [v for v, _, _ in segments]
        self._text_offsets = [s for _, s, _ in segments]
        protected = [(self._to_view(s), self._to_view(e)) for s, e in self.protected]
        return Document(
            "".join(self.text[s:e] for _, s, e in segments), path=self.path, format="text",
            newline=self.newline, settings=self.settings,
            extra_protected=tuple((s, e) for s, e in protected if s < e),
        )

    def _to_view(self, offset: int) -> int:
        i = max(bisect.bisect_right(self._text_offsets, offset) - 1, 0)
        v, s, e = self._segments[i]
        return v + min(max(offset - s, 0), e - s)

    def _from_view(self, offset: int, *, end: bool) -> int:
        i = max(bisect.bisect_right(self._view_offsets, offset) - 1, 0)
        if end and i > 0 and self._view_offsets[i] == offset:  # an end at a junction stays before the tag
            i -= 1
        v, s, _ = self._segments[i]
        return s + offset - v

    def from_view(self, f):
        """A finding made on `view`, with its offsets and text in this document."""
        if self.view is self:
            return f
        from dataclasses import replace

        start = self._from_view(f.start, end=False)
        end = self._from_view(f.end, end=True) if f.end > f.start else start
        return replace(f, start=start, end=max(start, end), before=self.text[start:max(start, end)])

    # -- protection -------------------------------------------------------------
    @cached_property
    def layout(self) -> "Layout":
        """What the format (Markdown, HTML) protects: code, link targets, markup."""
        from .formats import layout

        return layout(self.source, self.format)

    @cached_property
    def suppressions(self) -> list["Suppression"]:
        """Inline ``cleaner: off`` regions and ``cleaner: disable=...`` directives."""
        if not _DIRECTIVE_HINT.search(self.source):
            return []
        from .suppression import find_suppressions

        return find_suppressions(self.source, self.format, list(self.layout.code), self.lines, self.layout.blocks)

    def suppression_for(self, finding) -> "Suppression | None":
        """The directive that suppresses ``finding``, if any."""
        for sup in self.suppressions:
            if sup.covers(finding):
                return sup
        return None

    @cached_property
    def protected(self) -> list[Span]:
        """Spans no rule may touch: switched-off regions, directives and what the format protects."""
        spans = list(self.layout.protected) + list(self.extra_protected)
        for sup in self.suppressions:
            spans.append(sup.region if sup.kind == "off" else sup.directive)
        return _merge(spans)

    @cached_property
    def protected_words(self) -> list[Span]:
        """URLs and e-mail addresses: never rewritten, but deleted with a boilerplate line."""
        text = self.text
        spans = []
        if "://" in text or "www." in text:
            spans += [m.span() for m in _URL.finditer(text)]
        if "@" in text:
            spans += [m.span() for m in _EMAIL.finditer(text)]
        return _merge(spans)

    def is_protected(self, start: int, end: int, *, deleting: bool = False) -> bool:
        """True when [start, end) overlaps a protected span (an insertion: falls inside one).

        A deletion may remove a URL or e-mail address whole, never cut into one."""
        if _hits(self.protected, start, end) and not (deleting and self.deletes_whole_elements(start, end)):
            return True
        for s, e in _overlapping(self.protected_words, start, end):
            if not (deleting and start <= s and e <= end):
                return True
        return False

    def deletes_whole_elements(self, start: int, end: int) -> bool:
        """HTML: whether deleting [start, end) removes whole elements, markup and all (a
        scraped ``<p>Read also: ...</p>``), cutting no tag and leaving the page well formed.
        Switched-off regions, directives and code stay protected."""
        if self.format != "html":
            return False
        kept = [sup.region if sup.kind == "off" else sup.directive for sup in self.suppressions]
        if _hits(_merge(kept + list(self.extra_protected) + list(self.layout.code)), start, end):
            return False
        if any(s < start < e or s < end < e for s, e in _overlapping(self.layout.protected, start, end)):
            return False
        from .formats.html import balanced

        return balanced(self.source[start:end])

    def widen_deletion(self, f):
        """An HTML deletion made whole elements: grown back over the markup-only lines just
        above it (the ``<ul>`` of a list whose items it deletes), or with the markup-only
        lines at its end left out (the ``</body>`` after a last "Source link" line). Lines
        with markup only hold no prose, so no text is lost either way."""
        if self.format != "html" or f.after != "":
            return f
        from dataclasses import replace

        if self.deletes_whole_elements(f.start, f.end):  # reported as in the file, markup and all
            return f if f.before == self.source[f.start:f.end] else replace(f, before=self.source[f.start:f.end])

        first, last = self.line_index(f.start), self.line_index(f.end)
        starts = [f.start]
        if not self.text[self.lines[first][0]:f.start].strip():
            for j in range(first - 1, max(first - 4, -1), -1):
                if self.line_text(j).strip():
                    break
                starts.append(self.lines[j][0])
        ends = [f.end]
        for j in range(last, first - 1, -1):
            if self.text[self.lines[j][0]:min(self.lines[j][1], f.end)].strip():
                if j + 1 < len(self.lines) and self.lines[j + 1][0] < f.end:
                    ends.append(self.lines[j + 1][0])  # with its line break, if that stays whole
                ends.append(self.lines[j][1])
                break
        for end in ends:
            for start in starts:
                if start < end and self.deletes_whole_elements(start, end):
                    return replace(f, start=start, end=end, before=self.source[start:end])
        return f

    # -- shared analyses ----------------------------------------------------------
    def memo(self, key: str, compute: "Callable[[Document], T]") -> "T":
        """``compute(self)``, worked out once per document and shared by every rule that
        asks with the same ``key``: the per-document analysis layer (the cast of people,
        the quotation structure, which literal words occur) that kinds read instead of
        rescanning. A new document is made after each pass that edits, so nothing stale
        is ever read."""
        cache = self.__dict__.setdefault("_memo", {})
        try:
            return cache[key]
        except KeyError:
            value = cache[key] = compute(self)
            return value

    # -- units ------------------------------------------------------------------
    @cached_property
    def lines(self) -> list[Span]:
        """Each line's content span, without its line terminator (LF, CRLF or CR)."""
        text = self.text
        if "\r" in text and text.count("\r") != text.count("\r\n"):
            return self._lines_any_newline()
        spans, pos = [], 0
        for line in text.split("\n"):
            end = pos + len(line)
            spans.append((pos, end - 1 if line.endswith("\r") else end))
            pos = end + 1
        return spans

    def _lines_any_newline(self) -> list[Span]:
        spans = []
        for m in _LINE.finditer(self.text):
            if m.start() == m.end():
                break
            s, e = m.span()
            while e > s and self.text[e - 1] in "\r\n":
                e -= 1
            spans.append((s, e))
        if self.text.endswith(("\n", "\r")) or not self.text:
            spans.append((len(self.text), len(self.text)))
        return spans

    @cached_property
    def stripped_lines(self) -> list[str]:
        """Each line's text without surrounding whitespace (shared by line-based rules)."""
        text = self.text
        return [text[s:e].strip() for s, e in self.lines]

    @cached_property
    def _line_starts(self) -> list[int]:
        return [s for s, _ in self.lines]

    def line_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._line_starts, offset) - 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        i = self.line_index(offset)
        return i + 1, offset - self.lines[i][0] + 1

    def line_text(self, i: int) -> str:
        s, e = self.lines[i]
        return self.text[s:e]

    @cached_property
    def paragraphs(self) -> list[Span]:
        """Blocks of text separated by blank lines, trimmed of surrounding whitespace."""
        spans, pos = [], 0
        for m in _BLANK_RUN.finditer(self.text):
            spans.append((pos, m.start()))
            pos = m.end()
        spans.append((pos, len(self.text)))
        out = []
        for s, e in spans:
            chunk = self.text[s:e]
            stripped = chunk.strip()
            if stripped:
                s2 = s + (len(chunk) - len(chunk.lstrip()))
                out.append((s2, s2 + len(stripped)))
        return out

    @cached_property
    def sentences(self) -> list[Span]:
        """Sentences within paragraphs; abbreviations such as "Mr." and "U.S." do not end one."""
        out = []
        for ps, pe in self.paragraphs:
            start = ps
            for m in _SENTENCE_END.finditer(self.text, ps, pe):
                head = self.text[max(start, m.start() - 6): m.start() + 1]
                if m.group().startswith(".") and _ABBREVIATION.search(head):
                    continue
                out.append((start, m.end()))
                start = m.end()
                while start < pe and self.text[start].isspace():
                    start += 1
            if start < pe:
                out.append((start, pe))
        return out

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every distinct word (``\\w+``) in the text: a word-list rule whose words are not
        here skips the document without scanning it. Built from the distinct
        whitespace-separated chunks, which is three times faster than a regex scan."""
        words: set[str] = set()
        add = words.add
        for chunk in set(self.text.split()):
            if chunk.isalnum():  # exactly one \w+ word (\w is isalnum() or "_")
                add(chunk)
                continue
            bare = chunk.strip(_EDGE_PUNCTUATION)  # "word," and “word”: no \w is stripped
            if bare.isalnum():
                add(bare)
            elif bare:
                words.update(_VOCAB.findall(bare))
        return frozenset(words)

    @cached_property
    def vocabulary_lower(self) -> frozenset[str]:
        return frozenset(map(str.lower, self.vocabulary))

    @cached_property
    def tokens(self) -> list[Token]:
        """Word tokens, computed once and shared by every rule that works on words."""
        return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.text)]


def _overlapping(spans: list[Span], start: int, end: int) -> list[Span]:
    """Sorted, non-overlapping spans that [start, end) overlaps (an insertion: strictly inside)."""
    i = bisect.bisect_left(spans, (end, end)) - 1
    out = []
    while i >= 0 and spans[i][1] > start:
        if spans[i][0] < end or (start == end and spans[i][0] < start):
            out.append(spans[i])
        i -= 1
    return out


def _hits(spans: list[Span], start: int, end: int) -> bool:
    return bool(spans) and bool(_overlapping(spans, start, end))


def _merge(spans: list[Span]) -> list[Span]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
