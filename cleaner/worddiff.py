"""Word-level views of one change: what was removed and what was put in its place.

The engine already says *where* text changed (net edits with original offsets); this
module only splits one edit's old and new text into words, spaces and marks so a
reader sees ``– “Severe costs” –`` lose its dashes rather than a whole line replaced.
It also makes look-alike and invisible characters visible, because an editor cannot
review a change from ” to “ or from a non-breaking space to a space by eye.
"""
from __future__ import annotations

import difflib

import regex

Op = tuple[str, str]  # ("=" | "-" | "+", text)

# Words (with inner apostrophes and hyphens), runs of whitespace, or any single mark.
_TOKEN = regex.compile(r"\w+(?:[’'\-]\w+)*|\s+|.", regex.S)

# What each hard-to-see character is shown as inside changed text, and its name.
VISIBLE = {
    " ": ("·", "space"),
    "\u00a0": ("⍽", "non-breaking space U+00A0"),
    "\u202f": ("⍽", "narrow non-breaking space U+202F"),
    "\u2009": ("·", "thin space U+2009"),
    "\t": ("→", "tab"),
    "\n": ("↵", "line break"),
    "\r": ("", "carriage return"),
    "\u200b": ("␣", "zero-width space U+200B"),
    "\ufeff": ("␣", "byte-order mark U+FEFF"),
    "\u00ad": ("-", "soft hyphen U+00AD"),
}
QUOTES = {
    "“": "left double quote U+201C",
    "”": "right double quote U+201D",
    '"': "straight double quote U+0022",
    "‘": "left single quote U+2018",
    "’": "right single quote / apostrophe U+2019",
    "'": "straight single quote U+0027",
    "«": "left guillemet U+00AB",
    "»": "right guillemet U+00BB",
    "„": "low double quote U+201E",
    "‚": "low single quote U+201A",
    "`": "backtick U+0060",
    "´": "acute accent U+00B4",
}


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_ops(before: str, after: str) -> list[Op]:
    """The change from ``before`` to ``after`` as kept, removed and inserted runs of words.

    Adjacent runs of one kind are merged; a replaced run comes out as removal then insertion.
    """
    if before == after:
        return [("=", before)] if before else []
    if not before or not after:
        return [("-", before)] if before else [("+", after)]
    a, b = tokens(before), tokens(after)
    codes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    # A lone space kept between two edits joins them: "a b" -> "c d" reads as one
    # replacement, not two with a space between.
    spans: list[list] = []  # [equal?, i1, i2, j1, j2]
    for n, (tag, i1, i2, j1, j2) in enumerate(codes):
        lone_space = tag == "equal" and i2 - i1 == 1 and a[i1].isspace() and 0 < n < len(codes) - 1
        equal = tag == "equal" and not lone_space
        if spans and not equal and not spans[-1][0]:
            spans[-1][2], spans[-1][4] = i2, j2
        else:
            spans.append([equal, i1, i2, j1, j2])
    ops: list[Op] = []
    for equal, i1, i2, j1, j2 in spans:
        if equal:
            ops.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("+", "".join(b[j1:j2])))
    return ops


def visible(text: str) -> str:
    """``text`` with invisible characters replaced by visible stand-ins (for a terminal).

    A space is shown as ``·`` when it is doubled or at either end of the changed run (a
    deleted or added space); one ordinary space between two words is left alone.
    """
    out = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch == " ":
            edge = i == 0 or i == last
            double = (i > 0 and text[i - 1] == " ") or (i < last and text[i + 1] == " ")
            out.append("·" if edge or double else " ")
        elif ch in VISIBLE:
            out.append(VISIBLE[ch][0] + ("\n" if ch == "\n" else ""))
        else:
            out.append(ch)
    return "".join(out)
