"""Rules that depend on the article: the source language, and files not to clean at all.

Kept apart from the engine's pass loop, which only calls `skip_reason` once before the
first pass and `run_scoped` instead of `run_rules`:

- a rule with ``when: {source: es}`` (or a list of codes) runs only on articles whose
  inferred source language (cleaner.source_language) is one of those. The language is
  inferred once per input, from the first pass's findings of the unscoped rules, and a
  ``source_language`` setting overrides the inference. When the evidence names a family
  but no one language (es, it or pt), rules scoped to a list holding the whole family run;
- a rule with ``when: {translated: true}`` runs only on articles that show they are
  translations: a source language (or family) inferred, or a rewrite found on the first
  pass by the rules that run everywhere. It is for findings that are artifacts on a
  translated page but, on their own, as likely something else (a quotation left open at
  the very end of a document is also what a cut excerpt looks like);
- a kind may refuse a whole document (`Kind.skip_document`: a file not in English); it
  is then reported once and left exactly as it is.
"""
from __future__ import annotations

from typing import Callable

from .document import Document
from .model import Finding, SourceLanguage
from .rule import Rule
from .source_language import infer as infer_source

RunRules = Callable[[Document, list[Rule], list[str]], list[Finding]]


class Plan:
    """What the engine asks of a list of rules on every document and pass, worked out once
    per list: which rules run everywhere, which are scoped and which of those apply to a
    given source, and which may refuse a whole document. (Asking every rule on every
    document cost more than the rules themselves on a short article.)"""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = list(rules)  # held, so the ids in the key stay these rules' ids
        self.unscoped = [r for r in self.rules if not r.when]
        self.unscoped_ids = frozenset(r.id for r in self.unscoped)
        self.scoped = [r for r in self.rules if r.when]
        self.skippers = [r for r in self.unscoped if r.matcher is not None and r.matcher.skips_documents]
        self._applying: dict[tuple[tuple[str, ...], bool], list[Rule]] = {}

    def applying(self, source: SourceLanguage) -> list[Rule]:
        """The scoped rules that run on an article from ``source``."""
        key = (source.languages, source.translated)
        found = self._applying.get(key)
        if found is None:
            found = self._applying[key] = [
                r for r in self.scoped if r.applies_to(source.languages, translated=source.translated)
            ]
        return found


_PLANS: dict[tuple[int, ...], Plan] = {}


def plan_for(rules: list[Rule]) -> Plan:
    """The `Plan` of a list of rules, from a small cache keyed by the rules' identities."""
    key = tuple(map(id, rules))
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) >= 64:  # tests and tools build many lists; a run uses a handful
            _PLANS.clear()
        plan = _PLANS[key] = Plan(rules)
    return plan


def run_scoped(
    run_rules: RunRules,
    doc: Document,
    rules: "list[Rule] | Plan",
    notices: list[str],
    source: SourceLanguage | None,
    forced: str | None = None,
) -> tuple[list[Finding], SourceLanguage]:
    """``run_rules`` over the unscoped rules, then over the scoped rules that apply to the
    source language (inferred here when ``source`` is None). Returns the findings and
    the source language, which the caller passes back on later passes. ``rules`` may be
    their `Plan`, which a caller running several passes works out once."""
    plan = rules if isinstance(rules, Plan) else plan_for(rules)
    findings = run_rules(doc, plan.unscoped, notices)
    if source is None:
        source = infer_source(doc, findings, forced)
    scoped = plan.applying(source)
    if scoped:
        findings = sorted(findings + run_rules(doc, scoped, notices), key=lambda f: (f.start, f.end, f.rule))
    return findings, source


def skip_reason(doc: Document, rules: list[Rule]) -> Finding | None:
    """The first rule's reason not to clean this document at all (it is not English), if any."""
    for rule in plan_for(rules).skippers:
        found = rule.matcher.skip_document(doc)
        if found is not None:
            return found
    return None


__all__ = ["Plan", "infer_source", "plan_for", "run_scoped", "skip_reason"]
