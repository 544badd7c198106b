"""The `boilerplate` kind: scraped page furniture, deleted as whole lines or blocks.

Modes (option ``mode``):
  line               a line that fully matches one of ``match`` (e.g. "Source link", a
                     comment prompt, a "Read also" teaser)
  block              a run of consecutive lines that each match ``match`` (a list of
                     related-story links), unless the line before the run matches
                     ``not_after`` (a colon introducing a real list) or, when the rule
                     sets ``max_prose``, more than that share of the run's lines read as
                     finished sentences (``prose``): a bulleted summary, not headlines
  trailing           from a marker line (``match``) to the end of the document, when the
                     lines after it look like teasers: at most ``max_prose`` of them read as
                     finished sentences (``prose``)
  (every mode) requires: regexes of which one must occur in the document for the rule to
                     run: a fast pre-check before the line-by-line match
  (every mode) max_length: lines longer than this are never matched (furniture is short;
                     a paragraph of prose is not worth a regex call)
  repeated_headline  a line near the top that is a breadcrumb glued to a copy of a later
                     line ("WorldUS and Russia..." above "US and Russia...")

A deletion takes the line's terminator and the blank lines after it (or, at the end of
the document, the blank lines before it), so no hole is left behind.
"""
from __future__ import annotations

from typing import Iterator

import regex

from .. import necessary
from .base import TIMEOUT, Kind, OptionError, choose, compile_regex, compile_requires, requirements_met

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
        "requires": (str, list),
        "max_length": int,
    }
    REQUIRED = ("mode",)

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        self.mode = choose(opts, "mode", _MODES)
        patterns = opts.get("match", [])
        patterns = [patterns] if isinstance(patterns, str) else patterns
        if self.mode != "repeated_headline" and not patterns:
            raise OptionError("match", f"mode {self.mode!r} needs 'match': the lines to delete")
        for i, p in enumerate(patterns):
            compile_regex(f"match[{i}]", p)  # name the bad one
        # One alternation, so each line costs one fullmatch whatever the number of patterns.
        self._match_source = "|".join(f"(?:{p})" for p in patterns)
        self.match = compile_regex("match", self._match_source) if patterns else None
        self.not_after = compile_regex("not_after", opts["not_after"]) if "not_after" in opts else None
        self.prose = compile_regex("prose", opts.get("prose", _DEFAULT_PROSE))
        self.max_prose = float(opts.get("max_prose", 0.34))
        # block mode checks prose only when the rule asks for it
        self.block_prose = float(opts["max_prose"]) if "max_prose" in opts else None
        self.prefix = compile_regex("prefix", opts.get("prefix", r"(?:\p{Lu}\p{Ll}+){1,3}"))
        self.within = int(opts.get("within", 5))
        self.requires = compile_requires(opts)
        self.max_length = int(opts["max_length"]) if "max_length" in opts else None
        if self.max_length is not None and self.max_length < 1:
            raise OptionError("max_length", "max_length is a positive number of characters")

    # -- helpers --------------------------------------------------------------
    def _matches(self, line: str) -> bool:
        stripped = line.strip()
        if self.max_length is not None and len(stripped) > self.max_length:
            return False
        return bool(stripped) and self.match is not None and self.match.fullmatch(stripped, timeout=TIMEOUT) is not None

    def _matching_lines(self, doc) -> list[int]:
        fullmatch = self.match.fullmatch
        limit = self.max_length
        test = self._necessary()
        if test is not None and test.starts is not None and test.rest is None:
            # every alternative starts with known characters: only the lines that start
            # with them are matched (a set lookup, not a regex call, for the others)
            lines = doc.stripped_lines
            return [i for i in test.candidate_lines(lines)
                    if (limit is None or len(lines[i]) <= limit) and fullmatch(lines[i], timeout=TIMEOUT)]
        if limit is None:
            return [i for i, line in enumerate(doc.stripped_lines) if line and fullmatch(line, timeout=TIMEOUT)]
        return [i for i, line in enumerate(doc.stripped_lines) if line and len(line) <= limit and fullmatch(line, timeout=TIMEOUT)]

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
    def _necessary(self) -> necessary.Necessary | None:
        """What a document must hold for one of its lines to match (None: nothing known);
        derived once per process (see cleaner.necessary)."""
        try:
            return self.__dict__["_test"]
        except KeyError:
            test = None
            if self.mode != "repeated_headline" and self.match is not None:
                test = necessary.for_lines(self._match_source)
                test = None if test.useless else test
            self.__dict__["_test"] = test
            return test

    def find(self, doc) -> Iterator:
        test = self._necessary()
        if test is not None and not test.admits(doc.text, doc.memo):
            return iter(())
        if not requirements_met(self.requires, doc.text):
            return iter(())
        return getattr(self, "_" + self.mode)(doc)

    def _line(self, doc):
        """Matching lines; a run of them (blank lines between allowed) goes as one."""
        hits = self._matching_lines(doc)
        stripped = doc.stripped_lines
        run: list[int] = []
        for i in hits:
            if run and any(stripped[k] for k in range(run[-1] + 1, i)):
                yield self._deletion(doc, run[0], run[-1])
                run = []
            run.append(i)
        if run:
            yield self._deletion(doc, run[0], run[-1])

    def _block(self, doc):
        hits = self._matching_lines(doc)
        hit = set(hits)
        done = -1
        for i in hits:
            if i <= done:
                continue
            j = i
            while j + 1 in hit:
                j += 1
            done = j
            prev = next((k for k in range(i - 1, -1, -1) if doc.line_text(k).strip()), None)
            if self.not_after is not None and prev is not None and self.not_after.search(doc.line_text(prev), timeout=TIMEOUT):
                continue
            if self.block_prose is not None:
                run = [doc.stripped_lines[k] for k in range(i, j + 1)]
                prose = [line for line in run if self.prose.fullmatch(line, timeout=TIMEOUT) and not _ELLIPSIS.search(line)]
                if len(prose) > self.block_prose * len(run):
                    continue
            yield self._deletion(doc, i, j)

    def _trailing(self, doc):
        hits = self._matching_lines(doc)
        if not hits:
            return
        lines, n = doc.stripped_lines, len(doc.lines)
        # Lines and prose lines after each line, counted once from the end (a long document
        # with many marker lines must not be re-read from every marker).
        after_lines, after_prose = [0] * (n + 1), [0] * (n + 1)
        for k in range(n - 1, hits[0], -1):
            line = lines[k]
            prose = bool(line) and bool(self.prose.fullmatch(line, timeout=TIMEOUT)) and not _ELLIPSIS.search(line) and not self._matches(line)
            after_lines[k] = after_lines[k + 1] + bool(line)
            after_prose[k] = after_prose[k + 1] + prose
        for i in hits:
            rest, prose = after_lines[i + 1], after_prose[i + 1]
            if not rest or prose <= self.max_prose * rest:
                yield self._deletion(doc, i, n - 1)
                return

    def _repeated_headline(self, doc):
        content = []  # the first few non-blank lines: the top of the page, not the whole text
        for i, line in enumerate(doc.stripped_lines):
            if line:
                content.append(i)
                if len(content) == self.within:
                    break
        for pos, i in enumerate(content):
            line = doc.line_text(i).strip()
            for j in content[pos + 1:]:
                later = doc.line_text(j).strip()
                if len(later) < len(line) and line.endswith(later) and self.prefix.fullmatch(line[: -len(later)], timeout=TIMEOUT):
                    yield self._deletion(doc, i, i)
                    break
