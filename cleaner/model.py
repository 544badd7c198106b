"""The data that flows through the pipeline: findings, changes and file results.

Kept free of behaviour so that every stage (rules, engine, formatters, evaluation)
can import it without importing each other.
"""
from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field


class Level(str, enum.Enum):
    """How sure a rule is, following ruff's safe/unsafe split.

    ``fix`` is applied by ``cleaner fix``; ``suggest`` carries a replacement that is
    applied only with ``--unsafe-fixes``; ``flag`` is reported for a human.
    """

    FIX = "fix"
    SUGGEST = "suggest"
    FLAG = "flag"

    @property
    def rank(self) -> int:
        return {"fix": 2, "suggest": 1, "flag": 0}[self.value]


CATEGORIES = (
    "encoding",
    "untranslated_word",
    "quote_misplaced",
    "quote_capitalisation",
    "pronoun_gender",
    "stray_punctuation",
    "spacing",
    "misspelling",
    "garbled_phrase",
    "transliteration_variant",
    "boilerplate",
    "capitalisation",
    "other",
)


@dataclass(frozen=True)
class Finding:
    """One thing a rule noticed in one text: a span, and what to put there (or None).

    Offsets are character offsets into the text the rule was given.
    """

    rule: str
    category: str
    level: Level
    start: int
    end: int
    before: str
    after: str | None
    message: str
    priority: int = 0
    # What this finding says about the language the text was translated from:
    # (language code, weight) pairs, read by cleaner.source_language.
    evidence: tuple[tuple[str, float], ...] = ()
    # For a flag: wordings a person may put in place of ``before`` (a false friend's
    # likely meaning), offered on the review page; never applied by the engine.
    proposals: tuple[str, ...] = ()

    @property
    def is_rewrite(self) -> bool:
        return self.after is not None and self.after != self.before


def change_id(rule: str, start: int, end: int, before: str, after: str | None) -> str:
    """A stable name for one change: the same rule making the same rewrite at the same
    place of the same input always gets the same id, run after run.

    Offsets are into the original input, so the id survives passes; the review page
    and `cleaner apply` use it to say which changes were accepted.
    """
    key = "\x1f".join((rule, str(start), str(end), before, "\x00" if after is None else after))
    return "c" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


@dataclass(frozen=True)
class Change:
    """A finding as reported: with its place in the original input and whether it was applied."""

    finding: Finding
    applied: bool
    start: int  # offsets into the original input
    end: int
    line: int  # 1-based
    column: int  # 1-based
    note: str = ""
    # The id, when the engine fixed it from the finding as the rule made it (its span and
    # text may be reported wider or in the original's terms): ids stay the same whatever
    # else was accepted, so a review can be replayed.
    ident: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        if self.ident:
            return self.ident
        f = self.finding
        return change_id(f.rule, self.start, self.end, f.before, f.after)

    def to_dict(self) -> dict:
        f = self.finding
        record = {
            "id": self.id,
            "rule": f.rule,
            "category": f.category,
            "level": f.level.value,
            "applied": self.applied,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "before": f.before,
            "after": f.after,
            "message": f.message,
        }
        if f.proposals:
            record["proposals"] = list(f.proposals)
        if self.note:
            record["note"] = self.note
        return record


@dataclass(frozen=True)
class NetEdit:
    """One region of the original input and the text that replaces it in the output."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SourceLanguage:
    """The language an article was probably translated from, and why ("unknown" when unsure)."""

    code: str = "unknown"
    evidence: tuple[str, ...] = ()
    scores: tuple[tuple[str, float], ...] = ()
    # When the evidence says "translated" but not from which one language ("illusion" is
    # a calque of es, it and pt alike): the languages still in the running. Rules scoped to
    # a family (``when: {source: [es, it, pt]}``) run when every candidate is in it.
    candidates: tuple[str, ...] = ()
    # Whether the article shows it is a translation at all: a language (or candidates)
    # inferred, or a rewrite found by the rules that run everywhere. Rules scoped with
    # ``when: {translated: true}`` run only then (see cleaner.scoping).
    translated: bool = False

    @property
    def known(self) -> bool:
        return self.code != "unknown"

    @property
    def languages(self) -> tuple[str, ...]:
        """The one inferred language, else the candidates, else ("unknown",)."""
        if self.known:
            return (self.code,)
        return self.candidates or ("unknown",)

    def to_dict(self) -> dict:
        out = {"code": self.code, "evidence": list(self.evidence)}
        if self.candidates and not self.known:
            out["candidates"] = list(self.candidates)
        return out


@dataclass
class FileResult:
    """Everything the engine learned about one input: what it became and why."""

    path: str
    original: str
    cleaned: str
    changes: list[Change] = field(default_factory=list)
    edits: list[NetEdit] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    error: str | None = None
    unused_suppressions: list[Change] = field(default_factory=list)  # inline directives that suppressed nothing
    source_language: SourceLanguage | None = None
    skipped: bool = False  # not cleaned at all (e.g. the whole file is not English)

    @property
    def modified(self) -> bool:
        return self.cleaned != self.original

    @property
    def applied(self) -> list[Change]:
        return [c for c in self.changes if c.applied]

    @property
    def remaining(self) -> list[Change]:
        return [c for c in self.changes if not c.applied]
