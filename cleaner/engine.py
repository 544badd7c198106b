"""Run rules over a text until nothing more changes, and account for every change.

One pass: every rule reads the same `Document`; findings in protected spans are
dropped; the rewrites that may be applied are resolved into non-overlapping edits and
applied. Passes repeat until a pass has nothing to apply (a fixed point, so cleaning
cleaned text changes nothing), at most ``max_passes`` times; failing to converge is an
error naming the rules still rewriting. Every offset reported is an offset into the
original input.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .document import Document
from .edits import OffsetMap, apply, compose, resolve, to_edits
from .model import Change, FileResult, Finding, Level, NetEdit, SourceLanguage
from .rule import Rule
from .scoping import infer_source, run_scoped, skip_reason


class ConvergenceError(Exception):
    """Rules kept rewriting each other's output."""


@dataclass
class Options:
    unsafe_fixes: bool = False  # also apply `suggest`-level rewrites
    max_passes: int = 6
    settings: dict[str, Any] = field(default_factory=dict)  # people lists, house style...


def _applicable(f: Finding, unsafe: bool) -> bool:
    return f.is_rewrite and (f.level is Level.FIX or (unsafe and f.level is Level.SUGGEST))


def run_rules(doc: Document, rules: Iterable[Rule], notices: list[str]) -> list[Finding]:
    """Every finding of every rule on one document, minus those in protected spans."""
    findings: dict[tuple, Finding] = {}
    for rule in rules:
        try:
            for f in rule.find(doc):
                if doc.is_protected(f.start, f.end, deleting=f.after == ""):
                    continue
                findings.setdefault((f.rule, f.start, f.end, f.after), f)
        except TimeoutError:
            notices.append(f"{rule.id}: skipped for this document (a regex search timed out)")
    return sorted(findings.values(), key=lambda f: (f.start, f.end, f.rule))


def clean_text(
    text: str,
    rules: list[Rule],
    options: Options | None = None,
    *,
    path: str = "-",
    fmt: str = "text",
    newline: str = "\n",
) -> FileResult:
    options = options or Options()
    original = Document(text, path=path, format=fmt, newline=newline, settings=options.settings)
    forced = options.settings.get("source_language")
    skip = skip_reason(original, rules)
    if skip is not None:  # reported once, and the file is left exactly as it is
        return FileResult(path=path, original=text, cleaned=text, changes=[_change(original, skip, skip.start, skip.end, False)],
                          source_language=infer_source(original, [skip], forced), skipped=True)
    source: SourceLanguage | None = None
    current, net = text, []  # type: str, list[NetEdit]
    applied: list[tuple[Finding, int, int]] = []  # finding and its original span
    lost: list[tuple[Finding, Finding, int, int]] = []
    notices: list[str] = []
    remaining: list[Finding] = []
    last_rules: set[str] = set()
    for _ in range(options.max_passes):
        doc = original if not net else Document(current, path=path, format=fmt, newline=newline, settings=options.settings)
        findings, source = run_scoped(run_rules, doc, rules, notices, source, forced)
        rewrites = [f for f in findings if _applicable(f, options.unsafe_fixes)]
        if not rewrites:
            remaining = findings
            break
        resolution = resolve(rewrites)
        omap = OffsetMap(net)
        for f in resolution.chosen:
            applied.append((f, omap.to_original(f.start), omap.to_original(f.end, end=True)))
        for f, winner in resolution.losers:
            lost.append((f, winner, omap.to_original(f.start), omap.to_original(f.end, end=True)))
        last_rules = {f.rule for f in resolution.chosen}
        edits = to_edits(resolution.chosen, current)
        net = compose(net, edits, current)
        current = apply(current, edits)
    else:
        raise ConvergenceError(
            f"{path}: rules did not reach a fixed point after {options.max_passes} passes; "
            f"still rewriting: {', '.join(sorted(last_rules))}"
        )
    final_map = OffsetMap(net)
    changes = [_change(original, f, s, e, True) for f, s, e in applied]
    for f in remaining:
        changes.append(_change(original, f, final_map.to_original(f.start), final_map.to_original(f.end, end=True), False))
    changes.extend(_lost_as_flags(original, lost, applied))
    changes.sort(key=lambda c: (c.start, c.end, c.finding.rule))
    return FileResult(path=path, original=text, cleaned=current, changes=changes, edits=net, notices=notices,
                      source_language=source)


def _change(doc: Document, f: Finding, start: int, end: int, applied: bool, note: str = "") -> Change:
    line, col = doc.line_col(start)
    return Change(finding=f, applied=applied, start=start, end=end, line=line, column=col, note=note)


def _lost_as_flags(doc: Document, lost, applied) -> list[Change]:
    """A rewrite that lost an overlap is reported as a flag, unless it was applied in a
    later pass or the text it wanted to change was deleted outright."""
    out = []
    for f, winner, s, e in lost:
        if any(a.rule == f.rule and s <= ae and as_ <= e for a, as_, ae in applied):
            continue
        if winner.after == "" and winner.start <= f.start and f.end <= winner.end:
            continue
        flag = Finding(f.rule, f.category, Level.FLAG, f.start, f.end, f.before, None, f.message, f.priority)
        out.append(_change(doc, flag, s, e, False, note=f"not applied: overlaps {winner.rule}"))
    return out
