"""The `encoding` kind: mojibake repaired by ftfy, reported like any other change.

ftfy is configured to leave correct text alone: its defaults straighten every curly
quote (which the quote rules read), fold full-width characters, split ligatures, change
line breaks and normalise Unicode; all of those are switched off. Only lines that can hold
mojibake (non-ASCII in the ranges mis-decoding produces, or control characters) are
handed to ftfy, so clean text costs one fast regex scan.
"""
from __future__ import annotations

import difflib
from typing import Iterator

import regex

from .base import Kind

# UTF-8 read as Latin-1/Windows-1252 puts a lead byte in U+00C2-U+00F4; read as
# Windows-1251 it yields Cyrillic; C0/C1 controls, surrogates and U+FFFD are junk anyway.
_SUSPECT_LINE = regex.compile(
    r"^.*[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00c2-\u00f4\u0400-\u04ff\ufffd\p{Cs}].*$", regex.M
)


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
        for m in _SUSPECT_LINE.finditer(doc.text):
            line = m.group()
            if config is None:
                import ftfy  # only documents with a suspect line pay for the import (25 ms)

                config = _config()
            fixed, steps = ftfy.fix_and_explain(line, config=config)
            if fixed == line:
                continue
            why = "; ".join(f"{op} {arg}" for op, arg in (steps or []))
            message = f"{self.rule.message} (ftfy: {why})" if why else self.rule.message
            base = m.start()
            for s, e, after in _spans(line, fixed):
                yield self.rule.finding(doc, base + s, base + e, after, message=message)


def _spans(old: str, new: str) -> list[tuple[int, int, str]]:
    """Minimal changed spans of a line, neighbouring ones (a character apart) merged."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    spans: list[list] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if spans and i1 - spans[-1][1] <= 1:
            prev = spans[-1]
            prev[2] = prev[2] + old[prev[1]:i1] + new[j1:j2]
            prev[1] = i2
        else:
            spans.append([i1, i2, new[j1:j2]])
    return [(s, e, t) for s, e, t in spans]
