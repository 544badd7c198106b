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

from typing import Callable, Iterable

from .document import Document
from .model import Finding, SourceLanguage
from .rule import Rule
from .source_language import infer as infer_source

RunRules = Callable[[Document, list[Rule], list[str]], list[Finding]]


def run_scoped(
    run_rules: RunRules,
    doc: Document,
    rules: list[Rule],
    notices: list[str],
    source: SourceLanguage | None,
    forced: str | None = None,
) -> tuple[list[Finding], SourceLanguage]:
    """``run_rules`` over the unscoped rules, then over the scoped rules that apply to the
    source language (inferred here when ``source`` is None). Returns the findings and
    the source language, which the caller passes back on later passes."""
    findings = run_rules(doc, [r for r in rules if not r.when], notices)
    if source is None:
        source = infer_source(doc, findings, forced)
    scoped = [r for r in rules if r.when and r.applies_to(source.languages, translated=source.translated)]
    if scoped:
        findings = sorted(findings + run_rules(doc, scoped, notices), key=lambda f: (f.start, f.end, f.rule))
    return findings, source


def skip_reason(doc: Document, rules: Iterable[Rule]) -> Finding | None:
    """The first rule's reason not to clean this document at all (it is not English), if any."""
    for rule in rules:
        if rule.matcher is not None and not rule.when:
            found = rule.matcher.skip_document(doc)
            if found is not None:
                return found
    return None


__all__ = ["infer_source", "run_scoped", "skip_reason"]
