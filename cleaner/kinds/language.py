"""The `language` kind: what machine translation leaves of the source language.

One kind, three checks, chosen by ``check``:

``words``      function words of a source language (``words``: "y", "que", "et", "und")
               standing between two lower-case English words, where English needs its
               own word. A word in ``translate`` ("y" → "and") is fixed when that is
               certain (both neighbours plain lower-case words, the one before not a
               word such as "the" that cannot precede a conjunction); otherwise flagged.
               Names ("Plaza de Mayo", "del Potro": a capitalised neighbour), loanwords
               (``loanwords``: "de facto", "joie de vivre") and quoted or italic titles
               are left alone.
``phrases``    false friends and calques (``phrases``: "assured that" for "aseguró
               que", "an eventual invasion"), each with the likely intended wording and
               its own context guards (``unless``: before/after regexes).
``sentences``  whole sentences left in another language. A cheap pre-test (share of
               English function words, letters English does not use) picks the few
               sentences worth identifying; only those reach the identifier (langdetect,
               imported on first use). A document that is mostly not English is reported
               once and not cleaned (`skip_document`).

Every finding carries evidence about the source language (see cleaner.source_language).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterator

import regex

from ..model import Level
from ..prefilter import LazyPattern, lowered
from .base import Kind, OptionError, compile_regex

CHECKS = ("words", "phrases", "sentences")
LANGUAGE_NAMES = {
    "es": "Spanish", "fr": "French", "it": "Italian", "pt": "Portuguese", "de": "German",
    "ca": "Catalan", "nl": "Dutch", "ro": "Romanian", "en": "English",
}
CONTEXT = 60  # characters either side a guard or neighbour test looks at

# Patterns are compiled on first use (LazyPattern), so loading the packs costs no regex
# compilation: a clean article may never need most of them.
# A word as the neighbour test sees it: letters, with inner apostrophes or hyphens.
_WORD_BEFORE = LazyPattern(r"(?r)(?<![\p{L}\p{M}'’\-])\p{L}[\p{L}\p{M}'’\-]*", literals=())  # matched backwards
_WORD_AFTER = LazyPattern(r" (\p{L}[\p{L}\p{M}'’\-]*)(?![\p{L}\p{M}'’\-])", literals=())
# Spans the words check leaves alone: quoted or italic titles and phrases.
_QUOTED = LazyPattern(
    r"“[^”\n]{1,200}”|‘[^’\n]{1,200}’|\"[^\"\n]{1,200}\"|«[^»\n]{1,200}»"
    r"|(?<!\w)\*[^*\n]{1,200}\*(?!\w)|(?<!\w)_[^_\n]{1,200}_(?!\w)|<(i|em|cite)\b[^>]*>.*?</\1>",
    regex.S, literals=(),
)
_PLAIN = LazyPattern(r"\p{Ll}{3,}", literals=())
_LOWER_WORD = LazyPattern(r"\p{Ll}{2,}(?:['’\-]\p{Ll}+)*", literals=())
_LOAN_WORD = LazyPattern(r"[\p{L}\p{M}]+(?:['’\-][\p{L}\p{M}]+)*", literals=())
_ALPHA_TOKEN = LazyPattern(r"[^\W\d_][\w'’\-]*", literals=(), compile=re.compile)
# British spellings the (American) dictionary lacks, and the American ones.
_BRITISH = (
    (r"is(e|ed|es|ing|ation|ations)$", r"iz\1"), (r"our(s|ed|ing)?$", r"or\1"),
    (r"ll(ed|ing)$", r"l\1"), (r"tre(s)?$", r"ter\1"), (r"ence$", "ense"),
)


def _foreign_words(sentence: str) -> set[str]:
    """Lower-case words with letters English does not use ("según", "été", "können"): a
    sign that a sentence may be in another language. Capitalised ones are mostly names
    ("Hénault", "Moisés") and prove nothing."""
    return {w for w in _ALPHA_TOKEN.pattern.findall(sentence) if not w.isascii() and w.islower()}


def _english(word: str) -> bool:
    """In the English dictionary, in any case or in its British spelling ("criticised"),
    and not a function word of a source language ("se", "la")."""
    from ..lexicon import dictionary_case

    if word.lower() in _LISTED:
        return False
    if dictionary_case(word) is not None:
        return True
    return any(dictionary_case(re.sub(p, r, word)) is not None for p, r in _BRITISH if re.search(p, word))


def _compiler(key: str):
    """Compile for a LazyPattern; a bad pattern is an OptionError naming its option."""
    return lambda source, flags: compile_regex(key, source, flags)


def _language(opts) -> str:
    code = opts.get("language")
    if not isinstance(code, str) or not regex.fullmatch(r"[a-z]{2,3}", code):
        raise OptionError("language", "'language' is an ISO 639-1 code such as es, fr, it, pt, de")
    return code


def _word_set(key: str, words) -> frozenset[str]:
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise OptionError(key, f"'{key}' is a list of words")
    return frozenset(w.strip().lower() for w in words)


@dataclass(frozen=True)
class Phrase:
    """One false friend or calque: where it is, what was probably meant, and when not.

    Patterns are compiled on first need: most phrases never occur in a given article."""

    key: str
    find: LazyPattern
    say: str
    why: str
    languages: tuple[str, ...]
    before: tuple[LazyPattern, ...]
    after: tuple[LazyPattern, ...]

    def vetoed(self, text: str, start: int, end: int) -> bool:
        head, tail = text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]
        return any(p.pattern.search(head) for p in self.before) or any(p.pattern.match(tail) for p in self.after)

    def patterns(self) -> list[tuple[str, LazyPattern]]:
        return [(self.key, self.find)] + [(f"{self.key}.unless", p) for p in self.before + self.after]


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
        "document_share": (int, float),
        "identifier": str,
        "weight": (int, float),
    }
    REQUIRED = ("check",)

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        self.check = opts["check"]
        if self.check not in CHECKS:
            raise OptionError("check", f"'check' is one of {', '.join(CHECKS)}, not {self.check!r}")
        allowed = {
            "words": {"language", "words", "translate", "not_after", "loanwords", "weight"},
            "phrases": {"language", "phrases", "weight"},
            "sentences": {"languages", "english", "threshold", "min_words", "english_share", "document_share",
                          "source_words", "identifier"},
        }[self.check] | {"check"}
        for key in opts:
            if key not in allowed:
                raise OptionError(key, f"'{key}' does not apply to check: {self.check}")
        getattr(self, f"_init_{self.check}")(opts)

    # -- words ------------------------------------------------------------------------
    def _init_words(self, opts) -> None:
        self.language = _language(opts)
        self.weight = float(opts.get("weight", 3))
        translate = opts.get("translate", {})
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in translate.items()):
            raise OptionError("translate", "'translate' maps a source word to its English word")
        self.translate = {k.lower(): v for k, v in translate.items()}
        self.words = _word_set("words", opts.get("words", [])) | frozenset(self.translate)
        for word in self.words:  # which source languages list a word, for messages and evidence
            _LISTED.setdefault(word, set()).add(self.language)
        if not self.words:
            raise OptionError("words", "check: words needs 'words' or 'translate'")
        self.not_after = _word_set("not_after", opts.get("not_after", [])) if "not_after" in opts else frozenset()
        self.loanwords = self._loanwords(list(_shared_loanwords()) + opts.get("loanwords", []))

    def _loanwords(self, phrases) -> dict[str, list[tuple[list[str], list[str]]]]:
        """For each listed word, the words around it in each loanword phrase that has it."""
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise OptionError("loanwords", "'loanwords' is a list of phrases")
        out: dict[str, list[tuple[list[str], list[str]]]] = {}
        for phrase in phrases:
            parts = phrase.lower().split()
            for i, part in enumerate(parts):
                if part in self.words:
                    out.setdefault(part, []).append((parts[:i], parts[i + 1:]))
        return out

    def _in_loanword(self, text: str, start: int, end: int, word: str) -> bool:
        phrases = self.loanwords.get(word)
        if not phrases:
            return False
        head_words = _LOAN_WORD.pattern.findall(text[max(0, start - CONTEXT):start].lower())
        tail_words = _LOAN_WORD.pattern.findall(text[end:end + CONTEXT].lower())
        for before, after in phrases:
            if (not before or head_words[-len(before):] == before) and tail_words[: len(after)] == after:
                return True
        return False

    def _find_words(self, doc) -> Iterator:
        text = doc.text
        index = _listed_tokens(doc)
        candidates = sorted(t for w in self.words for t in index.get(w, ()))
        for start, end, word in candidates:
            lower = word.lower()
            around = _neighbours(doc, start, end)
            if around is None:
                continue  # at an edge, next to punctuation, or next to a capitalised word
            p, n = around
            if p.lower() in self.words and n.lower() in self.words:
                continue  # inside a run of the source language: the sentence check's job
            certain = self._certain(p, n)
            if len(lower) == 1 and not certain:
                continue  # a lone letter is often just a letter ("the x y plane", "vitamin e")
            if word[0].isupper() and not (certain and lower in self.translate):
                continue  # capitalised in mid-sentence: a name or acronym ("the Nas in", "El Al")
            if self._in_loanword(text, start, end, lower) or _inside(_quoted_spans(doc), start, end):
                continue
            if not _claim(doc, start, end):
                continue  # another language's rule already reported this word ("de", "que")
            codes = sorted(_LISTED.get(lower, {self.language}))
            evidence = tuple((c, self.weight / len(codes)) for c in codes)
            if lower in self.translate and certain:
                after = self.translate[lower]
                name = LANGUAGE_NAMES.get(self.language, self.language)
                msg = f"{name} “{lower}” ({after}) left untranslated"
                yield self.rule.finding(doc, start, end, after, message=msg, evidence=evidence)
            elif _LOWER_WORD.pattern.fullmatch(p) and _LOWER_WORD.pattern.fullmatch(n) and _english(p) and _english(n):
                # between two English words (not inside a run of foreign words)
                gloss = f" (“{self.translate[lower]}”)" if lower in self.translate else ""
                names = "/".join(LANGUAGE_NAMES.get(c, c) for c in codes)
                msg = f"“{word}”{gloss} looks like a {names} word left untranslated"
                yield self.rule.finding(doc, start, end, None, level=Level.FLAG, message=msg, evidence=evidence)

    def _certain(self, prev: str, nxt: str) -> bool:
        """Sure enough to rewrite: plain lower-case words of 3+ letters either side, neither
        one that the translation cannot stand next to ("the y axis", "vitamin e and")."""
        return bool(
            _PLAIN.pattern.fullmatch(prev) and _PLAIN.pattern.fullmatch(nxt)
            and prev not in self.not_after and nxt not in self.not_after
        )

    # -- phrases ----------------------------------------------------------------------
    def _init_phrases(self, opts) -> None:
        self.language = _language(opts) if "language" in opts else None
        self.weight = float(opts.get("weight", 2))
        entries = opts.get("phrases")
        if not isinstance(entries, list) or not entries:
            raise OptionError("phrases", "check: phrases needs a non-empty 'phrases' list")
        self.phrases = [self._phrase(i, e) for i, e in enumerate(entries)]

    def _phrase(self, i: int, entry) -> Phrase:
        key = f"phrases[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("find"), str) or not isinstance(entry.get("say"), str):
            raise OptionError(key, "each phrase is {find: regex, say: likely meaning, why: ..., unless: [...]}")
        unknown = set(entry) - {"find", "say", "why", "languages", "unless", "ignorecase"}
        if unknown:
            raise OptionError(key, f"unknown key(s) {', '.join(sorted(unknown))}")
        flags = regex.I if entry.get("ignorecase", False) else 0
        source = entry["find"]
        # the literals are derived from the entry's own pattern, not the boundaries added
        lazy = LazyPattern(source)
        find = LazyPattern(rf"(?<![\p{{L}}\d\-])(?:{source})(?![\p{{L}}\d\-])", flags, compile=_compiler(key))
        find.literals, find.also = lazy.literals, lazy.also
        before, after = [], []
        for j, veto in enumerate(entry.get("unless", [])):
            if not isinstance(veto, dict) or len(veto) != 1 or next(iter(veto)) not in ("before", "after"):
                raise OptionError(f"{key}.unless[{j}]", "each 'unless' entry is before: regex or after: regex")
            where, pattern = next(iter(veto.items()))
            # guards ignore case: "Rest assured" as well as "rest assured"
            if where == "before":
                before.append(LazyPattern(f"(?:{pattern})\\Z", regex.I, literals=(), compile=_compiler(f"{key}.unless[{j}]")))
            else:
                after.append(LazyPattern(pattern, regex.I, literals=(), compile=_compiler(f"{key}.unless[{j}]")))
        languages = entry.get("languages", [self.language] if self.language else None)
        if not isinstance(languages, list) or not languages or not all(isinstance(c, str) for c in languages):
            raise OptionError(key, "'languages' is a list of language codes (or give the rule a 'language')")
        return Phrase(key, find, entry["say"], entry.get("why", ""), tuple(languages), tuple(before), tuple(after))

    def self_check(self) -> list[str]:
        """Compile every lazily compiled pattern, so a bad one is caught when a pack is tested."""
        problems = []
        for phrase in getattr(self, "phrases", []):
            for key, lazy in phrase.patterns():
                try:
                    lazy.pattern
                except OptionError as exc:
                    problems.append(f"{key}: {exc}")
        return problems

    def _find_phrases(self, doc) -> Iterator:
        text = doc.text
        low = lowered(doc)
        for phrase in self.phrases:
            if not phrase.find.could_match(low):
                continue
            share = self.weight / len(phrase.languages)
            evidence = tuple((c, share) for c in phrase.languages)
            for m in phrase.find.finditer(text, low):
                start, end = m.span("w") if "w" in phrase.find.pattern.groupindex and m.start("w") >= 0 else m.span()
                if phrase.vetoed(text, m.start(), m.end()):
                    continue
                why = f"{phrase.why}: " if phrase.why else ""
                msg = f"{self.rule.message} {why}probably “{phrase.say}”"
                yield self.rule.finding(doc, start, end, None, level=Level.FLAG, message=msg, evidence=evidence)

    # -- sentences --------------------------------------------------------------------
    def _init_sentences(self, opts) -> None:
        from .. import langid

        self.languages = _word_set("languages", opts.get("languages", list(LANGUAGE_NAMES)))
        self.english = _word_set("english", opts.get("english", []))
        if not self.english:
            raise OptionError("english", "check: sentences needs the 'english' function words for its pre-test")
        self.threshold = float(opts.get("threshold", 0.9))
        self.min_words = int(opts.get("min_words", 5))
        self.english_share = float(opts.get("english_share", 0.15))
        self.document_share = float(opts.get("document_share", 0.1))
        self.source_words = int(opts.get("source_words", 1))
        self.identifier_name = opts.get("identifier", "langdetect")
        if self.identifier_name not in langid.IDENTIFIERS:
            raise OptionError("identifier", f"unknown identifier (known: {', '.join(langid.IDENTIFIERS)})")
        if not 0 < self.threshold <= 1 or not 0 <= self.english_share <= 1:
            raise OptionError("threshold", "'threshold' and 'english_share' are fractions between 0 and 1")

    def identifier(self):
        from .. import langid

        return langid.get(self.identifier_name)

    def needs_identification(self, sentence: str) -> bool:
        """The cheap pre-test: too few English function words, or letters English lacks."""
        words = _ALPHA_TOKEN.pattern.findall(sentence.lower())
        if len(words) < self.min_words:
            return False
        # Every foreign test sentence has a word from the lang-XX word lists ("da", "die");
        # English headlines thin in function words ("UN agency completes report") do not.
        if _LISTED and sum(map(_LISTED.__contains__, words)) < self.source_words:
            return False
        share = sum(map(self.english.__contains__, words)) / len(words)
        if share < self.english_share:
            return True
        # Two lower-case words with letters English lacks ("crème brûlée" in English copy
        # is one phrase; "ne ferons aucune concession sous la pression" has several).
        return not sentence.isascii() and len(_foreign_words(sentence)) >= 2

    def foreign(self, sentence: str) -> tuple[str, float] | None:
        """The sentence's language when it is confidently one the rule reports, else None.

        Results are remembered, so later passes over the same text cost nothing."""
        memo = self.__dict__.setdefault("_memo", {})
        if sentence in memo:
            return memo[sentence]
        if len(memo) > 10000:
            memo.clear()
        ranked = self.identifier().identify(sentence)
        found = None
        if ranked and ranked[0][0] in self.languages and ranked[0][0] != "en" and ranked[0][1] >= self.threshold:
            found = ranked[0]
        memo[sentence] = found
        return found

    def _find_sentences(self, doc) -> Iterator:
        text = doc.text
        verdicts = self.__dict__.setdefault("_verdicts", {})  # sentence -> needs a look
        if len(verdicts) > 50000:
            verdicts.clear()
        for start, end in doc.sentences:
            sentence = text[start:end]
            needed = verdicts.get(sentence)
            if needed is None:
                needed = verdicts[sentence] = self.needs_identification(sentence)
            if not needed:
                continue
            found = self.foreign(sentence)
            if found is None:
                continue
            code, prob = found
            name = LANGUAGE_NAMES.get(code, code)
            msg = f"Sentence in {name} ({code}, p={prob:.2f}) left untranslated"
            yield self.rule.finding(doc, start, end, None, level=Level.FLAG, message=msg, evidence=((code, 3.0),))

    def skip_document(self, doc):
        """A document that is mostly not English is reported once and left as it is."""
        if self.check != "sentences":
            return None
        words = _ALPHA_TOKEN.pattern.findall(lowered(doc), 0, 20000)
        if len(words) < 20 or sum(w.lower() in self.english for w in words) / len(words) >= self.document_share:
            return None
        ranked = self.identifier().identify(doc.text[:5000])
        if not ranked or ranked[0][0] == "en" or ranked[0][1] < self.threshold:
            return None
        code, prob = ranked[0]
        name = LANGUAGE_NAMES.get(code, code)
        first = next((s for s in doc.lines if doc.text[s[0]:s[1]].strip()), (0, 0))
        msg = f"The whole file is in {name} ({code}, p={prob:.2f}), not English: left as it is"
        return self.rule.finding(doc, first[0], first[1], None, level=Level.FLAG, message=msg, evidence=((code, 10.0),))

    def find(self, doc) -> Iterator:
        return getattr(self, f"_find_{self.check}")(doc)


@lru_cache(maxsize=1)
def _shared_loanwords() -> tuple[str, ...]:
    """Phrases English borrows whole (cleaner/data/loanwords.txt)."""
    text = resources.files("cleaner").joinpath("data/loanwords.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# word -> the source languages whose word lists have it (filled as rules are built).
_LISTED: dict[str, set[str]] = {}


def _neighbours(doc, start: int, end: int) -> tuple[str, str] | None:
    """The lower-case words right before and after [start, end), each one space away, or
    None: at an edge or punctuation (not between two words) or beside a capitalised word
    (a name: "Plaza de Mayo", "Y Combinator"). Remembered per document, since several
    languages' rules ask about the same "de"."""
    memo = doc.__dict__.setdefault("_language_neighbours", {})
    if start in memo:
        return memo[start]
    text = doc.text
    found = None
    if start >= 2 and text[start - 1] == " " and text[end:end + 1] == " ":
        prev = _WORD_BEFORE.pattern.match(text, max(0, start - CONTEXT), start - 1)
        nxt = _WORD_AFTER.pattern.match(text, end, end + CONTEXT)
        if prev and nxt and prev.group()[0].islower() and nxt.group(1)[0].islower():
            found = (prev.group(), nxt.group(1))
    memo[start] = found
    return found


# Word tokens as Document.tokens cuts them; the stdlib engine on lower-cased text is the
# fastest scan (47 ms/MB against 310 ms/MB for building Document.tokens).
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*")


def _listed_tokens(doc) -> dict[str, list[tuple[int, int, str]]]:
    """Every word of the document that some word list has, by lower-cased word, as
    (start, end, text), shared by every words rule: the set of the text's words meets
    the lists first, and only the few listed words present are then located."""
    index = doc.__dict__.get("_language_listed")
    if index is None:
        index = {}
        low = lowered(doc)
        text = doc.text
        same = len(low) == len(text)  # lower-casing can lengthen a few letters ("İ")
        scan = low if same else text
        present = set(_TOKEN.findall(scan if same else text.lower())) & _LISTED.keys()
        for word in sorted(present):
            # the literal first, so the engine can skip ahead to it; then the boundaries
            bounded = rf"{re.escape(word)}(?<![\w'’\-].{{{len(word)}}})(?![\w'’\-])"
            for m in re.finditer(bounded, scan, re.S if same else re.S | re.I):
                start, end = m.span()
                index.setdefault(word, []).append((start, end, text[start:end]))
        doc.__dict__["_language_listed"] = index
    return index


def _claim(doc, start: int, end: int) -> bool:
    """True the first time any words rule reports this span of this document."""
    claimed = doc.__dict__.setdefault("_language_claimed", set())
    if (start, end) in claimed:
        return False
    claimed.add((start, end))
    return True


def _quoted_spans(doc) -> list[tuple[int, int]]:
    """Quoted and italic spans of a document, found once and only when a rule asks."""
    spans = doc.__dict__.get("_language_quoted")
    if spans is None:
        spans = [m.span() for m in _QUOTED.pattern.finditer(doc.text)]
        doc.__dict__["_language_quoted"] = spans
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    import bisect

    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]
