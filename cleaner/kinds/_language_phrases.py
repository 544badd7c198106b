"""The `language` kind's ``check: phrases``: false friends and calques ("assured that"
for "aseguró que", "an eventual invasion", "he hammered,"), each flagged with the likely
intended wording and guarded by its own context vetoes.

Each phrase's pattern is compiled the first time a text contains the literal words every
match must contain (cleaner.prefilter), and is searched only in windows around them.
Which phrases of which rules a document can match is read off one index of the literals
of every rule (cleaner.literal_index), so dozens of false friends cost almost nothing on
an article that has none.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import partial
from typing import Iterator

import regex

from ..model import Level
from ..literal_index import INDEX, Admission
from ..prefilter import LazyPattern, lowered
from .base import OptionError, compile_regex
from .language import CONTEXT, language_code


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


def drop_in_wordings(say: str, head: str, tail: str) -> tuple[str, ...]:
    """The alternatives of a phrase's ``say`` that can stand in for the flagged words, for
    the review page to offer. ``say`` reads for the whole match, the flag may cover only
    its ``w`` group: "said that" for "assured" in "assured that" offers "said". A hint
    rather than a wording ("a possible …", "intend(s) to", "scare quotes around the word
    meant, or nothing") is not offered.

    >>> drop_in_wordings("said that", "", " that")
    ('said',)
    >>> drop_in_wordings("he insisted, he stressed", "", "")
    ('he insisted', 'he stressed')
    >>> drop_in_wordings("intend(s) to", "", " to invade")
    ()
    """
    out = []
    for alt in (a.strip() for a in say.split(",")):
        if not alt or any(c in alt for c in "…()") or " or " in f" {alt} " or len(alt.split()) > 4:
            continue
        if tail.strip() and alt.endswith(tail.rstrip()) and len(alt) > len(tail.strip()):
            alt = alt[: len(alt) - len(tail.rstrip())].rstrip()
        elif head.strip() and alt.startswith(head.lstrip()) and len(alt) > len(head.strip()):
            alt = alt[len(head.lstrip()):].lstrip()
        if alt and alt not in out:
            out.append(alt)
    return tuple(out)


def _compiler(key: str):
    """Compile for a LazyPattern; a bad pattern is an OptionError naming its option.
    (A partial, not a lambda: validated packs are cached as pickles.)"""
    return partial(compile_regex, key)


class FalseFriends:
    """``check: phrases``: a list of false friends of one or more source languages."""

    def __init__(self, rule, opts) -> None:
        self.rule = rule
        self.language = language_code(opts) if "language" in opts else None
        self.weight = float(opts.get("weight", 2))
        entries = opts.get("phrases")
        if not isinstance(entries, list) or not entries:
            raise OptionError("phrases", "check: phrases needs a non-empty 'phrases' list")
        self.phrases = [self._phrase(i, e) for i, e in enumerate(entries)]
        INDEX.defer(self, "join")

    def _phrase(self, i: int, entry) -> Phrase:
        key = f"phrases[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("find"), str) or not isinstance(entry.get("say"), str):
            raise OptionError(key, "each phrase is {find: regex, say: likely meaning, why: ..., unless: [...]}")
        unknown = set(entry) - {"find", "say", "why", "languages", "unless", "ignorecase"}
        if unknown:
            raise OptionError(key, f"unknown key(s) {', '.join(sorted(unknown))}")
        flags = regex.I if entry.get("ignorecase", False) else 0
        source = entry["find"]
        # the literals are derived (on first use) from the entry's own pattern, not the
        # boundaries added; an alternation needs one word of each alternative
        find = LazyPattern(
            rf"(?<![\p{{L}}\d\-])(?:{source})(?![\p{{L}}\d\-])", flags, compile=_compiler(key),
            literals_of=source, branches=True,
        )
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
        for phrase in self.phrases:
            for key, lazy in phrase.patterns():
                try:
                    lazy.pattern
                except OptionError as exc:
                    problems.append(f"{key}: {exc}")
        return problems

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_slot", None)  # a place in this process's list of all false friends
        return state

    def __setstate__(self, state: dict) -> None:
        # A pack loaded from the cache is unpickled, not built: join the list again.
        self.__dict__.update(state)
        INDEX.defer(self, "join")

    def join(self) -> int:
        """This check's place among every false-friends check of the process."""
        slot = self.__dict__.get("_slot")
        if slot is None:
            slot = self._slot = ALL.slot(self)
        return slot

    def find(self, doc) -> Iterator:
        slot = self.join()  # first: joining may widen what `ALL.admitted` covers
        admitted = ALL.admitted(doc).get(slot)
        return self._find(doc, admitted) if admitted else iter(())

    def _find(self, doc, admitted: list[int]) -> Iterator:
        text = doc.text
        low = lowered(doc)
        phrases = self.phrases
        for i in admitted:
            phrase = phrases[i]
            share = self.weight / len(phrase.languages)
            evidence = tuple((c, share) for c in phrase.languages)
            for m in phrase.find.finditer(text, low):
                start, end = m.span("w") if "w" in phrase.find.pattern.groupindex and m.start("w") >= 0 else m.span()
                if phrase.vetoed(text, m.start(), m.end()):
                    continue
                why = f"{phrase.why}: " if phrase.why else ""
                msg = f"{self.rule.message} {why}probably “{phrase.say}”"
                proposals = drop_in_wordings(phrase.say, text[m.start():start], text[end:m.end()])
                yield self.rule.finding(doc, start, end, None, level=Level.FLAG, message=msg, evidence=evidence, proposals=proposals)


class AllFalseFriends:
    """Every false-friends check of the process, admitted together: per document one
    pass over the literal index says which phrases of which checks can match (most
    articles: none), and each check reads its own. Checks with the same phrases (a
    pack loaded twice) share one place."""

    def __init__(self) -> None:
        self._slots: dict[tuple, int] = {}
        self._patterns: list[list[LazyPattern]] = []
        self._admission: Admission | None = None
        self._starts: list[int] = []
        self._key = ""

    def slot(self, check: FalseFriends) -> int:
        key = tuple((p.find.source, p.find.flags) for p in check.phrases)
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = len(self._patterns)
            self._patterns.append([p.find for p in check.phrases])
            self._admission = None
        return slot

    def admitted(self, doc) -> dict[int, list[int]]:
        """Check's place -> the indexes of its phrases ``doc`` can match (none: absent)."""
        if self._admission is None:
            INDEX.settle()  # every check built so far joins first
            self._starts = [0]
            for patterns in self._patterns:
                self._starts.append(self._starts[-1] + len(patterns))
            self._admission = Admission.of([p for patterns in self._patterns for p in patterns])
            self._key = f"false-friends/{len(self._patterns)}"
        return doc.memo(self._key, self._split)

    def _split(self, doc) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        starts = self._starts
        for i in self._admission.admitted(INDEX.present(doc)):  # type: ignore[union-attr]
            slot = bisect.bisect_right(starts, i) - 1
            out.setdefault(slot, []).append(i - starts[slot])
        return out


ALL = AllFalseFriends()
