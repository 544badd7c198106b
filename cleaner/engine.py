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

from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from .document import Document
from .edits import OffsetMap, apply, compose, joins_line_ends, resolve, to_edits, widen_trailing_deletion
from .model import Change, FileResult, Finding, Level, NetEdit, SourceLanguage, change_id
from .rule import Rule
from .scoping import infer_source, plan_for, run_scoped, skip_reason


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
    view = doc.view  # HTML: the text with inline tags taken out; findings are mapped back
    for rule in rules:
        try:
            for f in rule.find(view):
                if doc.format == "html":
                    f = doc.widen_deletion(doc.from_view(f))
                sup = doc.suppression_for(f) if doc.suppressions else None
                if sup is not None:
                    if used is not None:
                        used.add(sup.index)
                    continue
                if doc.is_protected(f.start, f.end, deleting=f.after == ""):
                    continue
                findings.setdefault((f.rule, f.start, f.end, f.after), f)
        except TimeoutError:
            notice = f"{rule.id}: skipped for this document (a regex search timed out)"
            if notice not in notices:  # once, however many passes it timed out in
                notices.append(notice)
    return sorted(findings.values(), key=lambda f: (f.start, f.end, f.rule))


@dataclass
class _Run:
    """The state of one cleaning: the current text and everything done to reach it."""

    original: Document
    options: Options
    current: str = ""
    net: list[NetEdit] = field(default_factory=list)
    applied: list[tuple[Finding, int, int, str]] = field(default_factory=list)  # with original span, id
    lost: list[tuple[Finding, Finding, int, int]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # inline suppressions that suppressed something
    vetoed: set[int] = field(default_factory=set)  # ids of the last pass's rewrites that would change a line end
    doc: Document | None = None
    source: SourceLanguage | None = None  # inferred on the first full pass
    passes: int = 0  # passes that applied something so far
    applied_in: list[int] = field(default_factory=list)  # the pass of each `applied` entry
    # findings never to be applied (flags, suggestions) of passes that rewrote something,
    # with original span and pass: reported when no edit touched them (see _earlier_flags)
    earlier: list[tuple[Finding, int, int, int]] = field(default_factory=list)

    def _run_rules(self, doc: Document, rules: list[Rule], notices: list[str]) -> list[Finding]:
        return run_rules(doc, rules, notices, self.used)

    def _reported(self, f: Finding, omap: OffsetMap) -> tuple[Finding, int, int]:
        return as_reported(f, omap, self.current, self.original.source)  # the input, not a blanked view

    def new_doc(self) -> Document:
        o = self.original
        return Document(self.current, path=o.path, format=o.format, newline=o.newline, settings=o.settings)

    def settle(self, rules: list[Rule], *, scoped: bool = True) -> list[Finding]:
        """Apply rewrites pass after pass until none is left; return what remains.

        ``scoped``: rules with ``when: {source: ...}`` run only on articles from that
        source language, inferred on the first pass (see cleaner.scoping)."""
        recent: list[set[str]] = []
        forced = self.options.settings.get("source_language")
        plan = plan_for(rules)
        unscoped = plan.unscoped_ids
        passes = switches = 0
        inferred_on = None  # the document the source language was last inferred from
        while passes < self.options.max_passes:
            passes += 1
            if scoped:
                if self.source is None:
                    inferred_on = self.doc
                findings, self.source = run_scoped(
                    self._run_rules, self.doc, plan, self.notices, self.source, forced
                )
            else:
                findings = self._run_rules(self.doc, rules, self.notices)
            rewrites = [f for f in findings if _applicable(f, self.options.unsafe_fixes)]
            # Reported, not applied: a file's line ends are its own.
            self.vetoed = {id(f) for f in rewrites if joins_line_ends(self.current, f)}
            if self.vetoed:
                rewrites = [f for f in rewrites if id(f) not in self.vetoed]
            omap = OffsetMap(self.net)
            if self.options.accepted is not None:  # replaying a review: only accepted changes
                rewrites = [f for f in rewrites if _original_id(f, omap) in self.options.accepted]
            if not rewrites:
                # Inferring again from the very document (and so the same findings) the
                # language was inferred from can only give the same answer: skipped.
                if scoped and not forced and switches < 2 and self.doc is not inferred_on and plan.scoped:
                    # The fixes may have removed evidence that hid the source language (a
                    # foreign quotation mark pointing elsewhere): infer it again from the
                    # cleaned text, as a second run would, so that a second run has nothing
                    # left to do. A language that was known stays (its evidence, once fixed,
                    # is gone, but what was found with it is still right).
                    again = infer_source(self.doc, [f for f in findings if f.rule in unscoped], None)
                    if (again.known or again.candidates) and \
                            (again.code, again.candidates) != (self.source.code, self.source.candidates):
                        # the rewrites that showed a translation are applied, not gone
                        again = replace(again, translated=again.translated or self.source.translated)
                        self.source, switches, passes = again, switches + 1, passes - 1
                        inferred_on = self.doc
                        continue
                return findings
            for f in findings:
                if not _applicable(f, self.options.unsafe_fixes):
                    self.earlier.append((f, omap.to_original(f.start), omap.to_original(f.end, end=True), self.passes))
            resolution = resolve(rewrites)
            widened: dict[int, Finding] = {}
            chosen = widen_trailing_deletion(resolution.chosen, self.current, widened)
            for f in chosen:
                self.applied.append((*self._reported(f, omap), _original_id(widened.get(id(f), f), omap)))
                self.applied_in.append(self.passes)
            for f, winner in resolution.losers:
                f, s, e = self._reported(f, omap)
                self.lost.append((f, winner, s, e))
            recent.append({f.rule for f in chosen})
            edits = to_edits(chosen, self.current)
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
    changes = [_change(original, f, s, e, True, ident=ident) for f, s, e, ident in run.applied]
    final = []
    for f in remaining:
        ident = _original_id(f, final_map)
        note = "not applied: it would change a line end" if id(f) in run.vetoed else ""
        f, s, e = as_reported(f, final_map, run.current, text)
        final.append((f, s, e))
        changes.append(_change(original, f, s, e, False, note=note, ident=ident))
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
    """The id of a change, from the finding as the rule made it, its span mapped back to
    the original: the same whatever else is applied (see `model.change_id`)."""
    return change_id(f.rule, omap.to_original(f.start), omap.to_original(f.end, end=True), f.before, f.after)


def as_reported(f: Finding, omap: OffsetMap, current: str, original: str) -> tuple[Finding, int, int]:
    """``f`` (found on ``current``) with its span mapped back to the original input, and its
    ``before`` exactly the original text of that span: a rule in a later pass sees text an
    earlier fix rewrote (mojibake repaired, a control character dropped), but a report
    speaks of the input. ``after`` then also covers the whole span."""
    s, e = omap.to_original(f.start), omap.to_original(f.end, end=True)
    before = original[s:e]
    if before == f.before:
        return f, s, e
    after = f.after
    if after is not None:
        cs, ce = omap.current_span(f.start, f.end)
        after = current[cs:f.start] + after + current[f.end:ce]
    return replace(f, before=before, after=after), s, e


def _change(doc: Document, f: Finding, start: int, end: int, applied: bool, note: str = "", ident: str = "") -> Change:
    line, col = doc.line_col(start)
    return Change(finding=f, applied=applied, start=start, end=end, line=line, column=col, note=note, ident=ident)


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
        if key in seen or doc.source[s:e] != f.before:
            continue
        if any(p >= k and _touches(as_, ae, s, e) for (_, as_, ae, _), p in zip(run.applied, run.applied_in)):
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
        if any(a.rule == f.rule and s <= ae and as_ <= e for a, as_, ae, _ in applied):
            continue
        if winner.after == "" and winner.start <= f.start and f.end <= winner.end:
            continue
        flag = Finding(f.rule, f.category, Level.FLAG, f.start, f.end, f.before, None, f.message, f.priority)
        out.append(_change(doc, flag, s, e, False, note=f"not applied: overlaps {winner.rule}"))
    return out
