"""The `language` kind: what machine translation leaves of the source language.

One kind, three checks, chosen by ``check`` (each in a module of its own):

``words``      function words of a source language ("y", "que", "et", "und") left
               between two English words; fixed when certain ("americans Y russians" →
               "americans and russians"), flagged otherwise (`_language_words`).
``phrases``    false friends and calques ("assured that", "an eventual invasion",
               "he hammered,"), flagged with the likely intended wording
               (`_language_phrases`).
``sentences``  whole sentences left in another language, found by language
               identification where a cheap pre-test says it is worth it; a file not in
               English is reported once and not cleaned (`_language_sentences`).

Every finding carries evidence about the source language (see cleaner.source_language).
"""
from __future__ import annotations

import importlib
from typing import Iterator

import regex

from .base import Kind, OptionError, choose

LANGUAGE_NAMES = {
    "es": "Spanish", "fr": "French", "it": "Italian", "pt": "Portuguese", "de": "German",
    "ca": "Catalan", "nl": "Dutch", "ro": "Romanian", "ru": "Russian", "en": "English",
}
CONTEXT = 60  # characters either side a guard or neighbour test looks at

# check -> (module, class, the options it takes)
CHECKS = {
    "words": ("_language_words", "LeftoverWords", {"language", "words", "translate", "not_after", "loanwords", "weight"}),
    "phrases": ("_language_phrases", "FalseFriends", {"language", "phrases", "weight"}),
    "sentences": ("_language_sentences", "ForeignSentences", {
        "languages", "english", "threshold", "min_words", "english_share", "document_share", "source_words",
        "foreign", "identifier", "name_particles",
    }),
}


def language_code(opts) -> str:
    code = opts.get("language")
    if not isinstance(code, str) or not regex.fullmatch(r"[a-z]{2,3}", code):
        raise OptionError("language", "'language' is an ISO 639-1 code such as es, fr, it, pt, de")
    return code


def word_set(key: str, words) -> frozenset[str]:
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise OptionError(key, f"'{key}' is a list of words")
    return frozenset(w.strip().lower() for w in words)


class LanguageKind(Kind):
    name = "language"
    OPTIONS = {
        "check": str,
        "language": str,
        "words": list,
        "translate": dict,
        "not_after": list,
        "loanwords": list,
        "phrases": list,
        "languages": list,
        "english": list,
        "threshold": (int, float),
        "min_words": int,
        "english_share": (int, float),
        "source_words": int,
        "foreign": list,
        "document_share": (int, float),
        "identifier": str,
        "name_particles": list,
        "weight": (int, float),
    }
    REQUIRED = ("check",)

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        self.check = choose(opts, "check", CHECKS)
        module, cls, allowed = CHECKS[self.check]
        for key in opts:
            if key not in allowed | {"check"}:
                raise OptionError(key, f"'{key}' does not apply to check: {self.check}")
        self.impl = getattr(importlib.import_module(f".{module}", __package__), cls)(rule, opts)

    def find(self, doc) -> Iterator:
        return self.impl.find(doc)

    @property
    def skips_documents(self) -> bool:
        return hasattr(self.impl, "skip_document")

    def skip_document(self, doc):
        skip = getattr(self.impl, "skip_document", None)
        return skip(doc) if skip else None

    def self_check(self) -> list[str]:
        """Problems with patterns compiled lazily (reported by `cleaner rules test`)."""
        check = getattr(self.impl, "self_check", None)
        return check() if check else []
