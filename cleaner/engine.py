"""Run rules over a text until nothing more changes, and account for every change.

One pass: every rule reads the same `Document`; findings in protected spans are
dropped; the rewrites that may be applied are resolved into non-overlapping edits and
applied. Passes repeat until a pass has nothing to apply (a fixed point, so cleaning
cleaned text changes nothing), at most ``max_passes`` times; failing to converge is an
error naming the rules still rewriting. Every offset reported is an offset into the
original input. Flags are those of the last pass, plus those of earlier passes that no
edit touched (an edit beside them may have hidden them from the last pass).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .document import Document
from .edits import OffsetMap, apply, compose, resolve, to_edits
from .model import Change, FileResult, Finding, Level, NetEdit, SourceLanguage, change_id
from .rule import Rule
from .scoping import infer_source, run_scoped, skip_reason


class ConvergenceError(Exception):
    """Rules kept rewriting each other's output."""


@dataclass
class Options:
    unsafe_fixes: bool = False  # also apply `suggest`-level rewrites
    max_passes: int = 6
    settings: dict[str, Any] = field(default_factory=dict)  # people lists, house style...
    # Only rewrites whose change id (see `model.change_id`) is in this set are applied;
    # None applies every applicable rewrite. Used by `cleaner apply` to replay a review.
    accepted: frozenset[str] | None = None


def _applicable(f: Finding, unsafe: bool) -> bool:
    return f.is_rewrite and (f.level is Level.FIX or (unsafe and f.level is Level.SUGGEST))


def run_rules(doc: Document, rules: Iterable[Rule], notices: list[str], used: set[int] | None = None) -> list[Finding]:
    """Every finding of every rule on one document, minus those in protected spans or
    suppressed by an inline directive (whose index is added to ``used``)."""
    findings: dict[tuple, Finding] = {}
    for rule in rules:
        try:
            for f in rule.find(doc):
                sup = doc.suppression_for(f) if doc.suppressions else None
                if sup is not None:
                    if used is not None:
                        used.add(sup.index)
                    continue
                if doc.is_protected(f.start, f.end, deleting=f.after == ""):
                    continue
                findings.setdefault((f.rule, f.start, f.end, f.after), f)
        except TimeoutError:
            notices.append(f"{rule.id}: skipped for this document (a regex search timed out)")
    return sorted(findings.values(), key=lambda f: (f.start, f.end, f.rule))


@dataclass
class _Run:
    """The state of one cleaning: the current text and everything done to reach it."""

    original: Document
    options: Options
    current: str = ""
    net: list[NetEdit] = field(default_factory=list)
    applied: list[tuple[Finding, int, int]] = field(default_factory=list)  # with original span
    lost: list[tuple[Finding, Finding, int, int]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # inline suppressions that suppressed something
    doc: Document | None = None
    source: SourceLanguage | None = None  # inferred on the first full pass
    passes: int = 0  # passes that applied something so far
    applied_in: list[int] = field(default_factory=list)  # the pass of each `applied` entry
    # findings never to be applied (flags, suggestions) of passes that rewrote something,
    # with original span and pass: reported when no edit touched them (see _earlier_flags)
    earlier: list[tuple[Finding, int, int, int]] = field(default_factory=list)

    def _run_rules(self, doc: Document, rules: list[Rule], notices: list[str]) -> list[Finding]:
        return run_rules(doc, rules, notices, self.used)

    def new_doc(self) -> Document:
        o = self.original
        return Document(self.current, path=o.path, format=o.format, newline=o.newline, settings=o.settings)

    def settle(self, rules: list[Rule], *, scoped: bool = True) -> list[Finding]:
        """Apply rewrites pass after pass until none is left; return what remains.

        ``scoped``: rules with ``when: {source: ...}`` run only on articles from that
        source language, inferred on the first pass (see cleaner.scoping)."""
        recent: list[set[str]] = []
        forced = self.options.settings.get("source_language")
        for _ in range(self.options.max_passes):
            if scoped:
                findings, self.source = run_scoped(
                    self._run_rules, self.doc, rules, self.notices, self.source, forced
                )
            else:
                findings = self._run_rules(self.doc, rules, self.notices)
            rewrites = [f for f in findings if _applicable(f, self.options.unsafe_fixes)]
            omap = OffsetMap(self.net)
            if self.options.accepted is not None:  # replaying a review: only accepted changes
                rewrites = [f for f in rewrites if _original_id(f, omap) in self.options.accepted]
            if not rewrites:
                return findings
            for f in findings:
                if not _applicable(f, self.options.unsafe_fixes):
                    self.earlier.append((f, omap.to_original(f.start), omap.to_original(f.end, end=True), self.passes))
            resolution = resolve(rewrites)
            for f in resolution.chosen:
                self.applied.append((f, omap.to_original(f.start), omap.to_original(f.end, end=True)))
                self.applied_in.append(self.passes)
            for f, winner in resolution.losers:
                self.lost.append((f, winner, omap.to_original(f.start), omap.to_original(f.end, end=True)))
            recent.append({f.rule for f in resolution.chosen})
            edits = to_edits(resolution.chosen, self.current)
            self.net = compose(self.net, edits, self.current)
            self.current = apply(self.current, edits)
            self.doc = self.new_doc()
            self.passes += 1
        raise ConvergenceError(
            f"{self.original.path}: rules did not reach a fixed point after {self.options.max_passes} passes; "
            f"still rewriting: {', '.join(sorted(set().union(*recent[-2:])))}"
        )


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
    skip = skip_reason(original, rules)
    if skip is not None:  # reported once (the file is not English), and left exactly as it is
        forced = options.settings.get("source_language")
        return FileResult(
            path=path, original=text, cleaned=text, changes=[_change(original, skip, skip.start, skip.end, False)],
            source_language=infer_source(original, [skip], forced), skipped=True,
        )
    run = _Run(original=original, options=options, current=text, doc=original)
    # Encoding repair settles first: every other rule reads its output.
    repair = [r for r in rules if r.category == "encoding"]
    if repair and len(repair) < len(rules):
        run.settle(repair, scoped=False)
    remaining = run.settle(rules)
    final_map = OffsetMap(run.net)
    changes = [_change(original, f, s, e, True) for f, s, e in run.applied]
    final = [(f, final_map.to_original(f.start), final_map.to_original(f.end, end=True)) for f in remaining]
    for f, s, e in final:
        changes.append(_change(original, f, s, e, False))
    changes.extend(_earlier_flags(original, run, final))
    changes.extend(_lost_as_flags(original, run.lost, run.applied))
    changes.sort(key=lambda c: (c.start, c.end, c.finding.rule))
    unused = []
    if original.suppressions:
        from .suppression import unused_changes

        unused = unused_changes(original, original.suppressions, run.used)
    return FileResult(
        path=path, original=text, cleaned=run.current, changes=changes, edits=run.net, notices=run.notices,
        unused_suppressions=unused, source_language=run.source,
    )


def _original_id(f: Finding, omap: OffsetMap) -> str:
    """The id the change would be reported under: its span mapped back to the original."""
    return change_id(f.rule, omap.to_original(f.start), omap.to_original(f.end, end=True), f.before, f.after)


def _change(doc: Document, f: Finding, start: int, end: int, applied: bool, note: str = "") -> Change:
    line, col = doc.line_col(start)
    return Change(finding=f, applied=applied, start=start, end=end, line=line, column=col, note=note)


def _earlier_flags(doc: Document, run: _Run, final: list[tuple[Finding, int, int]]) -> list[Change]:
    """Flags (and suggestions not applied) of passes before the last that the last pass
    no longer reports because an edit nearby changed their context, e.g. a teaser line
    flagged next to a "Know more" label deleted in the same pass. One is kept when no edit
    of its pass or a later one touched its span, its text is still the original's there,
    and the last pass has no finding of the same rule over it."""
    out: list[Change] = []
    seen: set[tuple[str, int, int]] = set()
    for f, s, e, k in run.earlier:
        key = (f.rule, s, e)
        if key in seen or doc.text[s:e] != f.before:
            continue
        if any(p >= k and _touches(as_, ae, s, e) for (_, as_, ae), p in zip(run.applied, run.applied_in)):
            continue
        if any(g.rule == f.rule and gs <= e and s <= ge for g, gs, ge in final):
            continue
        seen.add(key)
        out.append(_change(doc, f, s, e, False))
    return out


def _touches(as_: int, ae: int, s: int, e: int) -> bool:
    """Whether an edit of [as_, ae) changed text inside [s, e) (an edit that only borders
    the span, such as deleting the next line, does not)."""
    return (as_ < e and s < ae) or (as_ == ae and s < as_ < e)


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
