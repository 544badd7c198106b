"""Each rule's own examples and keeps, run as tests (at pack load and by `cleaner rules test`)."""
from __future__ import annotations

from .engine import Options, clean_text
from .model import Level
from .rule import Rule

_UNSAFE = Options(unsafe_fixes=True)


def _options_for(rule: Rule) -> Options:
    """A rule scoped to source languages is tested as if the text came from the first of
    them; one scoped away from some languages, as if from an unknown source."""
    source = rule.when.get("source")
    if not source and rule.when.get("translated") and not rule.when.get("source_not"):
        # no language in particular: "und" (undetermined), which marks the text translated
        return Options(unsafe_fixes=True, settings={"source_language": "und"})
    if not source:
        return Options(unsafe_fixes=True, settings={"source_language": "unknown"}) if rule.when.get("source_not") else _UNSAFE
    return Options(unsafe_fixes=True, settings={"source_language": source if isinstance(source, str) else source[0]})


def check_rule(rule: Rule) -> list[tuple[int, str]]:
    """Problems with a rule's examples, as (line, message); empty when all pass."""
    problems: list[tuple[int, str]] = []
    only = [rule]
    options = _options_for(rule)
    for ex in rule.examples:
        result = clean_text(ex.text, only, options)
        if ex.result is not None:
            if result.cleaned != ex.result:
                problems.append((ex.line, f"example {ex.text!r} gives {result.cleaned!r}, expected {ex.result!r}"))
                continue
            again = clean_text(ex.result, only, options)
            if again.cleaned != ex.result:
                problems.append((ex.line, f"not idempotent: {ex.result!r} becomes {again.cleaned!r}"))
        else:
            flagged = [c.finding.before for c in result.changes if c.finding.level is Level.FLAG or not c.applied]
            if ex.flagged not in flagged:
                problems.append((ex.line, f"example {ex.text!r} should flag {ex.flagged!r}; flagged {flagged!r}"))
            if result.modified:
                problems.append((ex.line, f"a flag example must not change the text: {ex.text!r} became {result.cleaned!r}"))
    for keep in rule.keep:
        result = clean_text(keep.text, only, options)
        if result.changes:
            c = result.changes[0]
            problems.append((keep.line, f"keep {keep.text!r} was touched: {c.finding.before!r} -> {c.finding.after!r}"))
    problems.extend(_unused_vetoes(rule))
    problems.extend((rule.line, msg) for msg in getattr(rule.matcher, "self_check", lambda: [])())
    return problems


def _unused_vetoes(rule: Rule) -> list[tuple[int, str]]:
    """Every `unless` veto must matter for at least one keep, or it is dead (or untested)."""
    matcher = rule.matcher
    vetoes = getattr(matcher, "vetoes", [])
    problems = []
    for i, veto in enumerate(vetoes):
        without = matcher.without_veto(i)
        original = rule.matcher
        try:
            rule.matcher = without
            exercised = any(clean_text(k.text, [rule], _options_for(rule)).changes for k in rule.keep)
        finally:
            rule.matcher = original
        if not exercised:
            problems.append((rule.line, f"{veto.key} ({veto.where}) is not exercised by any 'keep' example"))
    return problems
