"""A rule as loaded from a pack: its shared header, its examples, and its kind's matcher."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from .model import Finding, Level

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document
    from .kinds.base import Kind


@dataclass(frozen=True)
class Example:
    text: str
    result: str | None = None  # the expected rewrite (fix, suggest)
    flagged: str | None = None  # the expected flagged span (flag)
    line: int = 0


@dataclass
class Rule:
    id: str
    kind: str
    category: str
    level: Level
    message: str
    examples: list[Example]
    keep: list[Example]
    options: dict[str, Any]
    pack: str = ""
    file: str = ""
    line: int = 0
    priority: int = 0
    description: str = ""
    when: dict[str, Any] = field(default_factory=dict)
    # (language, weight) pairs every finding carries unless its kind gives its own
    evidence: tuple[tuple[str, float], ...] = ()
    matcher: "Kind | None" = None
    # Names the content of the rule's pack as this version of cleaner reads it: what the
    # rule does, for caches of results (see packs.pack_digest).
    digest: str = field(default="", compare=False)

    def applies_to(self, source: "str | tuple[str, ...]", *, translated: bool = True) -> bool:
        """Whether a rule scoped with ``when: {source: ...}`` (or ``{source_not: ...}``) runs
        on an article translated from ``source``, or from one of several candidate languages
        (a tuple): ``source`` rules need every candidate listed, ``source_not`` rules run
        unless every candidate is listed, so the two stay complements. ``translated: true``
        rules run only on articles that show they are translations (``translated``)."""
        if self.when.get("translated") and not translated:
            return False
        langs = (source,) if isinstance(source, str) else tuple(source)
        wanted, unwanted = self.when.get("source"), self.when.get("source_not")
        if wanted is not None and not set(langs) <= set([wanted] if isinstance(wanted, str) else wanted):
            return False
        return unwanted is None or not set(langs) <= set([unwanted] if isinstance(unwanted, str) else unwanted)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}: {self.id}"

    def find(self, doc: "Document") -> Iterator[Finding]:
        assert self.matcher is not None
        return self.matcher.find(doc)

    def finding(
        self,
        doc: "Document",
        start: int,
        end: int,
        after: str | None,
        *,
        level: Level | None = None,
        message: str | None = None,
        evidence: tuple[tuple[str, float], ...] = (),
        proposals: tuple[str, ...] = (),
    ) -> Finding:
        """A finding of this rule; a flag-level rule never carries a rewrite."""
        lvl = level or self.level
        if lvl.rank > self.level.rank:  # a kind may lower its rule's level, never raise it
            lvl = self.level
        if lvl is Level.FLAG:
            if after is not None and after != doc.text[start:end]:
                proposals = (after,) + tuple(p for p in proposals if p != after)  # lowered to a flag: its rewrite is a proposal
            after = None
        return Finding(
            rule=self.id,
            category=self.category,
            level=lvl,
            start=start,
            end=end,
            before=doc.text[start:end],
            after=after,
            message=message or self.message,
            priority=self.priority,
            evidence=evidence or self.evidence,
            proposals=proposals if after is None else (),
        )
