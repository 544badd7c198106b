"""English words with their dictionary case (SCOWL), loaded once and only when asked for."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    from .cache import table

    return table("en_words", _read_english_words)  # unpickled in half the time of a build


def _read_english_words() -> frozenset[str]:
    text = resources.files("cleaner").joinpath("data/en_words.txt").read_text(encoding="utf-8")
    start = 0
    while text.startswith("#", start):  # the header; a set built from one split is 3x faster
        start = text.index("\n", start) + 1
    return frozenset(text[start:].split("\n")) - {""}


def dictionary_case(word: str) -> str | None:
    """How a dictionary writes ``word``: "lower", "title", "both", or None when unknown."""
    words = english_words()
    lower, title = word.lower(), word[:1].upper() + word[1:].lower()
    has_lower, has_title = lower in words, title in words
    if has_lower and has_title:
        return "both"
    if has_lower:
        return "lower"
    if has_title:
        return "title"
    return None
