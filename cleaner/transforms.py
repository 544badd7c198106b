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


def _mid_sentence_forms(doc: "Document") -> dict[str, set[str]]:
    """How each word is written in the document where case carries information (not sentence-initial)."""
    cache = doc.__dict__.setdefault("_mid_sentence_forms", None)
    if cache is not None:
        return cache
    forms: dict[str, set[str]] = {}
    text = doc.text
    for tok in doc.tokens:
        word = tok.text
        if word.isupper() and len(word) > 1:
            continue  # ALL-CAPS says nothing about a word's normal case
        i = tok.start - 1
        while i >= 0 and text[i] in " \t“\"‘'(":
            i -= 1
        if i < 0 or text[i] in ".!?:\n\r•–—-":
            continue  # start of a sentence, line or list item: capital is not evidence
        forms.setdefault(word.lower(), set()).add("title" if word[:1].isupper() else "lower")
    doc.__dict__["_mid_sentence_forms"] = forms
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
    forms = _mid_sentence_forms(doc)
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
        seen = forms.get(word.lower(), set())
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
