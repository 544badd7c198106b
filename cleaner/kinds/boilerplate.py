"""The `boilerplate` kind: scraped page furniture, deleted as whole lines or blocks.

Modes (option ``mode``):
  line               a line that fully matches one of ``match`` (e.g. "Source link", a
                     comment prompt, a "Read also" teaser)
  block              a run of consecutive lines that each match ``match`` (a list of
                     related-story links), unless the line before the run matches
                     ``not_after`` (a colon introducing a real list)
  trailing           from a marker line (``match``) to the end of the document, when the
                     lines after it look like teasers: at most ``max_prose`` of them read as
                     finished sentences (``prose``)
  repeated_headline  a line near the top that is a breadcrumb glued to a copy of a later
                     line ("WorldUS and Russia..." above "US and Russia...")

A deletion takes the line's terminator and the blank lines after it (or, at the end of
the document, the blank lines before it), so no hole is left behind.
"""
from __future__ import annotations

from typing import Iterator

import regex

from .base import Kind, OptionError, compile_regex

_MODES = ("line", "block", "trailing", "repeated_headline")
_DEFAULT_PROSE = r".*[.!?][”\"’')]*"
_ELLIPSIS = regex.compile(r"(?:\.\.\.|…)[”\"’')]*\s*$")


class BoilerplateKind(Kind):
    name = "boilerplate"
    OPTIONS = {
        "mode": str,
        "match": (str, list),
        "not_after": str,
        "prose": str,
        "max_prose": (int, float),
        "prefix": str,
        "within": int,
    }
    REQUIRED = ("mode",)

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        self.mode = opts["mode"]
        if self.mode not in _MODES:
            raise OptionError("mode", f"unknown mode {self.mode!r} (known: {', '.join(_MODES)})")
        patterns = opts.get("match", [])
        patterns = [patterns] if isinstance(patterns, str) else patterns
        if self.mode != "repeated_headline" and not patterns:
            raise OptionError("match", f"mode {self.mode!r} needs 'match': the lines to delete")
        self.match = [compile_regex(f"match[{i}]", p) for i, p in enumerate(patterns)]
        self.not_after = compile_regex("not_after", opts["not_after"]) if "not_after" in opts else None
        self.prose = compile_regex("prose", opts.get("prose", _DEFAULT_PROSE))
        self.max_prose = float(opts.get("max_prose", 0.34))
        self.prefix = compile_regex("prefix", opts.get("prefix", r"(?:\p{Lu}\p{Ll}+){1,3}"))
        self.within = int(opts.get("within", 5))

    # -- helpers --------------------------------------------------------------
    def _matches(self, line: str) -> bool:
        stripped = line.strip()
        return bool(stripped) and any(p.fullmatch(stripped) for p in self.match)

    def _deletion(self, doc, first: int, last: int):
        """The finding that deletes lines first..last with the blank lines around them."""
        lines, text = doc.lines, doc.text
        start = lines[first][0]
        nxt = next((i for i in range(last + 1, len(lines)) if doc.line_text(i).strip()), None)
        if nxt is not None:
            end = lines[nxt][0]
        else:
            prev = next((i for i in range(first - 1, -1, -1) if doc.line_text(i).strip()), None)
            start = lines[prev][1] if prev is not None else 0
            end = len(text)
            for nl in ("\r\n", "\n", "\r"):
                if prev is not None and text.endswith(nl):
                    end -= len(nl)
                    break
        return self.rule.finding(doc, start, end, "")

    # -- modes ----------------------------------------------------------------
    def find(self, doc) -> Iterator:
        return getattr(self, "_" + self.mode)(doc)

    def _line(self, doc):
        """Matching lines; a run of them (blank lines between allowed) goes as one."""
        run: list[int] = []
        for i in range(len(doc.lines)):
            line = doc.line_text(i)
            if self._matches(line):
                run.append(i)
            elif line.strip() and run:
                yield self._deletion(doc, run[0], run[-1])
                run = []
        if run:
            yield self._deletion(doc, run[0], run[-1])

    def _block(self, doc):
        i, n = 0, len(doc.lines)
        while i < n:
            if not self._matches(doc.line_text(i)):
                i += 1
                continue
            j = i
            while j + 1 < n and self._matches(doc.line_text(j + 1)):
                j += 1
            prev = next((k for k in range(i - 1, -1, -1) if doc.line_text(k).strip()), None)
            if self.not_after is None or prev is None or not self.not_after.search(doc.line_text(prev)):
                yield self._deletion(doc, i, j)
            i = j + 1

    def _trailing(self, doc):
        n = len(doc.lines)
        for i in range(n):
            if not self._matches(doc.line_text(i)):
                continue
            rest = [doc.line_text(k).strip() for k in range(i + 1, n)]
            rest = [line for line in rest if line]
            prose = [
                line for line in rest
                if self.prose.fullmatch(line) and not _ELLIPSIS.search(line) and not self._matches(line)
            ]
            if not rest or len(prose) <= self.max_prose * len(rest):
                yield self._deletion(doc, i, n - 1)
                return

    def _repeated_headline(self, doc):
        content = [i for i in range(len(doc.lines)) if doc.line_text(i).strip()][: self.within]
        for pos, i in enumerate(content):
            line = doc.line_text(i).strip()
            for j in content[pos + 1:]:
                later = doc.line_text(j).strip()
                if len(later) < len(line) and line.endswith(later) and self.prefix.fullmatch(line[: -len(later)]):
                    yield self._deletion(doc, i, i)
                    break
