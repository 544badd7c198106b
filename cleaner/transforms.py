"""Case transforms a pattern rule can apply to its replacement.

Each returns the new text and whether it is sure; a rule whose transform is unsure is
reported at ``suggest`` level instead of ``fix``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

import regex

from .lexicon import dictionary_case

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document

_WORD = regex.compile(r"\p{L}[\p{L}'’\-]*")


def capitalize(text: str, doc: "Document", **_: object) -> tuple[str, bool]:
    return (text[:1].upper() + text[1:], True)


def lower(text: str, doc: "Document", **_: object) -> tuple[str, bool]:
    return (text.lower(), True)


def upper(text: str, doc: "Document", **_: object) -> tuple[str, bool]:
    return (text.upper(), True)


def _mid_sentence_forms(doc: "Document", word: str) -> set[str]:
    """How the document writes ``word`` where case carries information: not at the start
    of a sentence, line or list item, and not in ALL CAPS. Returns {"title", "lower"}, plus
    "upper" when the word stands in capitals inside running text (an acronym: "an FIR
    was registered"), wherever it stands in the sentence."""
    cache = doc.__dict__.setdefault("_case_forms", {})
    if word.lower() in cache:
        return cache[word.lower()]
    forms: set[str] = set()
    cache[word.lower()] = forms
    text = doc.text
    for m in regex.finditer(r"(?<!\w)" + regex.escape(word) + r"(?!\w)", text, regex.I):
        found = m.group()
        if found.isupper() and len(found) > 1:
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line = text[line_start:line_end if line_end != -1 else len(text)]
            if any(c.islower() for c in line):
                forms.add("upper")
            continue
        i = m.start() - 1
        while i >= 0 and text[i] in " \t“\"‘'(":
            i -= 1
        if i < 0 or text[i] in ".!?:\n\r•–—-":
            continue
        forms.add("title" if found[:1].isupper() else "lower")
    return forms


def sentence_case(
    text: str, doc: "Document", *, acronyms: Iterable[str] = (), proper: Iterable[str] = (), **_: object
) -> tuple[str, bool]:
    """ALL-CAPS to sentence case, keeping acronyms and proper nouns.

    Each word's case comes from, in order: the rule's acronym and proper-noun lists, how
    the same document writes the word mid-sentence, then the dictionary. A word none of
    these settles makes the result unsure.
    """
    acro = {a.upper() for a in acronyms}
    prop = {p.lower(): p for p in proper}
    sure = True
    first = True

    def case_of(m: regex.Match) -> str:
        nonlocal sure, first
        word = m.group()
        is_first, first = first, False
        if word.upper() in acro:
            return word.upper()
        if word.lower() in prop:
            return prop[word.lower()]
        seen = _mid_sentence_forms(doc, word)
        if "upper" in seen:  # the article itself writes it as an acronym
            return word.upper()
        if seen == {"title"}:
            return word.capitalize()
        if seen == {"lower"}:
            return word.capitalize() if is_first else word.lower()
        kind = dictionary_case(word)
        if kind == "title":
            return word.capitalize()
        if kind is None or (kind == "both" and not is_first):
            sure = False
        return word.capitalize() if is_first else word.lower()

    return _WORD.sub(case_of, text), sure


TRANSFORMS: dict[str, Callable[..., tuple[str, bool]]] = {
    "capitalize": capitalize,
    "lower": lower,
    "upper": upper,
    "sentence_case": sentence_case,
}
