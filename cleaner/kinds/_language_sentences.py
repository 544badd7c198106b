"""The `language` kind's ``check: sentences``: whole sentences left in another language,
and files that are not English at all.

Language identification is slow to import (0.6 s) and to run (~1.3 ms a sentence), so
a cheap pre-test picks the few sentences worth identifying: 5+ words, at least one word
of the lang-XX word lists, and either a small share of English function words or two
lower-case words with letters English does not use. Only those reach the identifier
(cleaner.langid, imported on first use); its verdicts are remembered per sentence.
The word-list condition is checked for a whole article first: most English articles hold
no lower-case word of the lists, and then no sentence is looked at.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from itertools import chain
from typing import Iterator

from ..model import Level
from ..prefilter import LazyPattern
from .base import OptionError
from ._language_words import LISTED
from .language import LANGUAGE_NAMES, word_set

_ALPHA_TOKEN = LazyPattern(r"[^\W\d_][\w'’\-]*", literals=(), compile=re.compile)


def _foreign_words(sentence: str) -> set[str]:
    """Lower-case words with letters English does not use ("según", "été", "können"): a
    sign that a sentence may be in another language. Capitalised ones are mostly names
    ("Hénault", "Moisés") and prove nothing."""
    return {w for w in _ALPHA_TOKEN.pattern.findall(sentence) if not w.isascii() and w.islower()}


def _source_words(sentence: str, listed, extra, particles) -> int:
    """Words of the source-language lists, leaving out names: a capitalised word ("Die
    Zeit") and a name particle between capitalised words ("Plaza de Mayo", "Lula da
    Silva", "von der Leyen"); "Estados Unidos y Rusia" still counts its "y"."""
    tokens = _ALPHA_TOKEN.pattern.findall(sentence)
    count = 0
    before = after = None
    for i, w in enumerate(tokens):
        lw = w.lower()
        if lw not in listed and lw not in extra:
            continue
        if not particles:  # no particle list: the earlier, case-blind count
            count += 1
            continue
        if not w.islower():
            continue
        if lw in particles:
            if before is None:
                before, after = _beyond_particles(tokens, particles)
            if before[i][:1].isupper() and after[i][:1].isupper():
                continue
        count += 1
    return count


def _beyond_particles(tokens: list[str], particles) -> tuple[list[str], list[str]]:
    """For each token, the nearest token before it and after it that is not a particle
    ("" at either end): one walk each way, so a long run of particles costs no more."""
    n = len(tokens)
    before, after = [""] * n, [""] * n
    last = ""
    for i in range(n):
        before[i] = last
        if tokens[i].lower() not in particles:
            last = tokens[i]
    last = ""
    for i in range(n - 1, -1, -1):
        after[i] = last
        if tokens[i].lower() not in particles:
            last = tokens[i]
    return before, after


def _prose(doc, limit: int) -> str:
    """The document's first ``limit`` characters outside protected spans."""
    if not doc.protected:
        return doc.text[:limit]
    parts, pos = [], 0
    for start, end in doc.protected:
        parts.append(doc.text[pos:start])
        pos = end
    parts.append(doc.text[pos:])
    return "\n".join(parts)[:limit]


_EVERY = object()  # every sentence may pass
_FEW_WORDS = 6  # listed words a text may hold for its sentences to be picked by a search
# A token after digits or an underscore in one \\w run ("5de" holds the token "de").
_DIGIT_LED = re.compile(r"[\d_]+([^\W\d_]\w*)")
# Vocabulary words seen so far: those holding such a token, by it, and the others.
_LED_TOKENS: dict[str, str] = {}
_NOT_LED: set[str] = set()


def _source_vocabulary(doc, extra: frozenset[str]) -> frozenset[str]:
    """The words of the source-language lists (and ``extra``) the document may hold as
    lower-case tokens: its vocabulary (``\\w`` runs) met with the lists, and the
    letters after a run's leading digits or underscores. A listed word that is not one
    run of ``\\w`` ("l'") is always included."""
    listed = _listed_words(len(LISTED), extra)
    vocabulary = doc.vocabulary
    found = listed.intersection(vocabulary)
    if len(_NOT_LED) > 200_000:
        _NOT_LED.clear()
        _LED_TOKENS.clear()
    rest = vocabulary.difference(_NOT_LED)
    for word in rest.difference(_LED_TOKENS):
        m = _DIGIT_LED.fullmatch(word)
        if m:
            _LED_TOKENS[word] = m.group(1)
        else:
            _NOT_LED.add(word)
    led = [_LED_TOKENS[w] for w in rest if w in _LED_TOKENS]
    if led:
        found = found | listed.intersection(led)
    return found | _listed_words.unplain


@lru_cache(maxsize=8)
def _listed_words(size: int, extra: frozenset[str]) -> frozenset[str]:
    """LISTED's words and ``extra`` (``size``: LISTED's, which only grows, as the key)."""
    words = frozenset(LISTED) | extra
    _listed_words.unplain = frozenset(w for w in words if not re.fullmatch(r"\w+", w))
    return words


_listed_words.unplain = frozenset()


@lru_cache(maxsize=256)
def _source_word_pattern(words: frozenset[str]) -> re.Pattern:
    """Where one of ``words`` may be a token: not after a letter (that would continue
    the token), not before a token character. Each word comes first, its lookbehind
    after it, so the engine can skip ahead to the words."""
    alternatives = "|".join(rf"{re.escape(w)}(?<![^\W\d_].{{{len(w)}}})" for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?:{alternatives})(?![\w'’\-])", re.S)


def _english_enough(low: str, english: frozenset[str], share: float) -> bool:
    """Whether ``low`` has under 20 words or at least ``share`` of them in ``english``:
    the words counted a stretch at a time, up to a space (no word spans one), stopping
    as soon as the answer is sure. The words still to come are at most half the characters
    left (each needs a letter and something after it), so the share of the whole is at
    least the English words so far over the words so far and that bound: when that share
    already reaches ``share`` (float division is monotone), the count of the whole would
    too. Fluent English is decided about halfway; anything else is counted to the end."""
    findall = _ALPHA_TOKEN.pattern.findall
    contains = english.__contains__
    size = len(low)
    step = max(size // 20, 200)
    pos = 0
    words = hits = 0
    cut = min(size, 7 * step)
    while True:
        cut = low.find(" ", cut)
        if cut < 0:
            cut = size
        found = findall(low, pos, cut)
        words += len(found)
        hits += sum(map(contains, found))
        if cut >= size:
            return words < 20 or hits / words >= share
        bound = words + (size - cut + 1) // 2
        if hits and hits / bound >= share:
            return True
        pos, cut = cut, cut + step


@lru_cache(maxsize=4096)
def _one_source_word(word: str) -> re.Pattern:
    """`_source_word_pattern` of one word (bounded: the lists hold a few thousand)."""
    return _source_word_pattern.__wrapped__(frozenset((word,)))


class ForeignSentences:
    """``check: sentences``."""

    def __init__(self, rule, opts) -> None:
        from .. import langid

        self.rule = rule
        self.languages = word_set("languages", opts.get("languages", list(LANGUAGE_NAMES)))
        self.english = word_set("english", opts.get("english", []))
        if not self.english:
            raise OptionError("english", "check: sentences needs the 'english' function words for its pre-test")
        self.threshold = float(opts.get("threshold", 0.9))
        self.min_words = int(opts.get("min_words", 5))
        self.english_share = float(opts.get("english_share", 0.15))
        self.document_share = float(opts.get("document_share", 0.1))
        self.source_words = int(opts.get("source_words", 1))
        self.foreign_words = word_set("foreign", opts.get("foreign", [])) if "foreign" in opts else frozenset()
        self.particles = word_set("name_particles", opts.get("name_particles", [])) if "name_particles" in opts else frozenset()
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
        share = sum(map(self.english.__contains__, words)) / len(words)
        # Two lower-case words with letters English lacks ("crème brûlée" in English copy
        # is one phrase; "ne ferons aucune concession sous la pression" has several).
        if share >= self.english_share and (sentence.isascii() or len(_foreign_words(sentence)) < 2):
            return False  # an English sentence: decided without the costlier count below
        # Every foreign test sentence has a word from the lang-XX word lists ("da", "die");
        # English headlines thin in function words ("UN agency completes report") do not.
        # A listed word only counts outside names: "Plaza de Mayo", "Banco do Brasil",
        # "Ursula von der Leyen" and "Die Zeit" say nothing about the sentence.
        return not (LISTED and _source_words(sentence, LISTED, self.foreign_words, self.particles) < self.source_words)

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

    def find(self, doc) -> Iterator:
        text = doc.text
        verdicts = self.__dict__.setdefault("_verdicts", {})  # sentence -> needs a look
        if len(verdicts) > 50000:
            verdicts.clear()
        counted = self._counted(doc)
        if counted is not None and not counted:
            return  # no sentence holds a word of the lists: none passes the pre-test
        picked = None  # worked out at the first sentence not decided before
        for i, (start, end) in enumerate(doc.sentences):
            sentence = text[start:end]
            needed = verdicts.get(sentence)
            if needed is None:
                if picked is None:
                    picked = self._picked(doc, counted)
                needed = verdicts[sentence] = (picked is _EVERY or i in picked) and self.needs_identification(sentence)
            if not needed:
                continue
            found = self.foreign(sentence)
            if found is None:
                continue
            code, prob = found
            name = LANGUAGE_NAMES.get(code, code)
            msg = f"Sentence in {name} ({code}, p={prob:.2f}) left untranslated"
            yield self.rule.finding(doc, start, end, None, level=Level.FLAG, message=msg, evidence=((code, 3.0),))

    def _counted(self, doc) -> frozenset[str] | None:
        """The words of the lists the document may hold as counted tokens, or None when
        the pre-test counts every listed word in any case (no shortcut then)."""
        if not (LISTED and self.particles and self.source_words >= 1):
            return None
        return _source_vocabulary(doc, self.foreign_words)

    def _picked(self, doc, counted: frozenset[str] | None):
        """Indexes of the sentences that can pass the pre-test's last condition (a word
        of the lists, in lower case), or _EVERY: a sentence holding such a word holds a
        match of `_source_word_pattern`; the pre-test itself then decides, as before."""
        if counted is None or len(counted) > _FEW_WORDS:
            return _EVERY  # a text full of them: a search for each costs more
        if not counted:
            return frozenset()
        sentences = doc.sentences
        starts = [s for s, _ in sentences]
        picked = set()
        if counted & _listed_words.unplain:
            found = [_source_word_pattern(counted).finditer(doc.text)]
        else:
            # one search per word, its pattern compiled once per process: a search for a
            # set of words cost a compilation per new set. Each word's matches include
            # every match the set's search gives it (words of \w alone cannot overlap
            # a match before them), so no sentence the set's search picks is missed.
            found = [_one_source_word(word).finditer(doc.text) for word in counted]
        for m in chain.from_iterable(found):
            i = bisect.bisect_right(starts, m.start()) - 1
            if i >= 0 and m.start() < sentences[i][1]:
                picked.add(i)
        return picked

    def _candidates(self, doc) -> list[tuple[int, int]]:
        """The sentences `find` may pre-test (what the tests compare with the pre-test)."""
        picked = self._picked(doc, self._counted(doc))
        return [span for i, span in enumerate(doc.sentences) if picked is _EVERY or i in picked]

    def skip_document(self, doc):
        """A document that is mostly not English is reported once and left as it is.
        Protected text (code blocks, switched-off regions) is not judged."""
        prose = _prose(doc, 20000)
        if _english_enough(prose.lower(), self.english, self.document_share):
            return None
        ranked = self.identifier().identify(prose[:5000])
        if not ranked or ranked[0][0] == "en" or ranked[0][1] < self.threshold:
            return None
        code, prob = ranked[0]
        name = LANGUAGE_NAMES.get(code, code)
        first = next((s for s in doc.lines if doc.text[s[0]:s[1]].strip()), (0, 0))
        msg = f"The whole file is in {name} ({code}, p={prob:.2f}), not English: left as it is"
        return self.rule.finding(doc, first[0], first[1], None, level=Level.FLAG, message=msg, evidence=((code, 10.0),))
