"""The `encoding` kind: mojibake repaired by ftfy, reported like any other change.

ftfy is configured to leave correct text alone: its defaults straighten every curly
quote (which the quote rules read), fold full-width characters, split ligatures, change
line breaks and normalise Unicode; all of those are switched off. Only lines that can hold
mojibake (non-ASCII in the ranges mis-decoding produces, or control characters) are
handed to ftfy, so clean text costs one fast regex scan.
"""
from __future__ import annotations

import re
from typing import Iterator


from .base import Kind

# UTF-8 read as Latin-1/Windows-1252 gives a lead byte (U+00C2-U+00F4) followed by a
# continuation byte (U+0080-U+00BF or a Windows-1252 punctuation mark); read as
# Windows-1251 it gives Cyrillic. C0/C1 controls, surrogates and U+FFFD are junk anyway.
# Correct accented names ("Hénault") do not match, so ftfy never sees their lines.
# The stdlib `re` scans one character class six times faster than `regex`.
_CANDIDATE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff\u0400-\u04ff\u00c2-\u00f4]")
_CONTINUATION = frozenset(
    [chr(c) for c in range(0x80, 0xC0)]
    + list("\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122")
    + [chr(c) for c in range(0x2018, 0x201F)]
)


def _suspect_at(text: str, i: int) -> bool:
    ch = text[i]
    if "\u00c2" <= ch <= "\u00f4":
        return i + 1 < len(text) and text[i + 1] in _CONTINUATION
    return True


def suspect_lines(text: str, start: int = 0, stop: int | None = None):
    """(start, end) of each line holding a suspect character; a fast scan, no per-line loop."""
    pos, stop = start, len(text) if stop is None else stop
    while True:
        m = _CANDIDATE.search(text, pos, stop)
        if m is None:
            return
        if not _suspect_at(text, m.start()):
            pos = m.end()
            continue
        line_start = max(text.rfind("\n", 0, m.start()), text.rfind("\r", 0, m.start())) + 1
        line_end = len(text)
        for nl in ("\n", "\r"):
            i = text.find(nl, m.start())
            if i != -1:
                line_end = min(line_end, i)
        yield line_start, line_end
        pos = line_end + 1


def _config():
    import ftfy

    return ftfy.TextFixerConfig(
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        unescape_html=False,
        normalization=None,
        explain=True,
    )


class EncodingKind(Kind):
    name = "encoding"
    OPTIONS: dict = {}

    def find(self, doc) -> Iterator:
        config = None
        for start, end in suspect_lines(doc.text):
            line = doc.text[start:end]
            if config is None:
                import ftfy  # only documents with a suspect line pay for the import (25 ms)

                config = _config()
            fixed, steps = ftfy.fix_and_explain(line, config=config)
            if fixed == line:
                continue
            why = "; ".join(f"{op} {arg}" for op, arg in (steps or []))
            message = f"{self.rule.message} (ftfy: {why})" if why else self.rule.message
            base = start
            for s, e, after in _spans(line, fixed):
                yield self.rule.finding(doc, base + s, base + e, after, message=message)


def _spans(old: str, new: str) -> list[tuple[int, int, str]]:
    """Minimal changed spans of a line, neighbouring ones (a character apart) merged.

    The common beginning and end are set aside first: difflib may otherwise align a run
    of spaces the other way and report " \\x10" deleted and " " added at the end, a span
    that markup protects and an insertion that comes back every pass."""
    p = 0
    while p < len(old) and p < len(new) and old[p] == new[p]:
        p += 1
    q = 0
    while q < len(old) - p and q < len(new) - p and old[-1 - q] == new[-1 - q]:
        q += 1
    import difflib  # only for a line ftfy changed

    sm = difflib.SequenceMatcher(None, old[p:len(old) - q], new[p:len(new) - q], autojunk=False)
    spans: list[list] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        i1, i2, j1, j2 = i1 + p, i2 + p, j1 + p, j2 + p
        if spans and i1 - spans[-1][1] <= 1:
            prev = spans[-1]
            prev[2] = prev[2] + old[prev[1]:i1] + new[j1:j2]
            prev[1] = i2
        else:
            spans.append([i1, i2, new[j1:j2]])
    return [(s, e, t) for s, e, t in spans]
