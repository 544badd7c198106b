"""Score the rules against an annotated corpus (the format of ``seeds/gold.yaml``).

Independent of the rules: it compares the net edits and remaining findings that the
engine reports with the gold entries, by position in the original text.

For each gold `fix` entry: **exact** (our text for its span equals the editor's),
**wrong** (we rewrote it differently), or **missed** (untouched, or only flagged). An
inner entry counts as exact when the outer fix entry that contains it is exact (the
outer ``after`` includes it). For each gold `flag` entry: **reported** when a finding
that is not applied falls on it, and a **wrong rewrite** when we changed text that only
a flag allows. A change that no entry explains is **unexplained**; blank lines left by
deleted blocks are not scored (the gold README says so).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .edits import apply
from .model import CATEGORIES, FileResult, NetEdit


@dataclass
class Entry:
    id: str
    file: str
    category: str
    before: str
    after: str
    action: str
    start: int = 0
    end: int = 0
    status: str = ""  # exact | wrong | missed | flagged (fix); reported | silent | rewritten (flag)


@dataclass
class Tally:
    fix_total: int = 0
    exact: int = 0
    wrong: int = 0
    missed: int = 0
    flagged: int = 0  # fix entries we only flagged (counted within missed)
    flag_total: int = 0
    reported: int = 0
    unexplained: int = 0
    unexplained_flags: int = 0


@dataclass
class Evaluation:
    entries: list[Entry]
    tallies: dict[str, Tally]
    unexplained: list[tuple[str, int, str, str, str]] = field(default_factory=list)  # file, line, rules, before, after
    unexplained_flags: list[tuple[str, int, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> Tally:
        t = Tally()
        for tally in self.tallies.values():
            for k in t.__dict__:
                setattr(t, k, getattr(t, k) + getattr(tally, k))
        return t


class GoldError(Exception):
    """A file that is not a gold annotation file; the message names the file and the problem."""


_GOLD_KEYS = ("id", "file", "category", "before", "action")


def load_gold(path: Path) -> list[Entry]:
    """The entries of a gold file: a YAML list of mappings with id, file, category,
    before, action (and after for a fix)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise GoldError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, list):
        raise GoldError(f"{path}: not a gold file: expected a list of entries ({', '.join(_GOLD_KEYS)}), "
                        f"found {type(data).__name__ if data is not None else 'nothing'}")
    entries = []
    for i, d in enumerate(data, 1):
        missing = [k for k in _GOLD_KEYS if not isinstance(d, dict) or k not in d]
        if missing:
            raise GoldError(f"{path}: entry {i}: not a gold entry (missing {', '.join(missing)})")
        entries.append(Entry(d["id"], d["file"], d["category"], d["before"], d.get("after") or "", d["action"]))
    return entries


def _inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _touches(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1]:
        return b[0] < a[0] < b[1] or (b[0] == a[0] == b[1])
    return a[0] < b[1] and b[0] < a[1]


def _smallest(entries: list[Entry], span: tuple[int, int], *, overlap: bool = False) -> Entry | None:
    found = [e for e in entries if _inside(span, (e.start, e.end))]
    if not found and overlap:
        found = [e for e in entries if _touches(span, (e.start, e.end))]
    return min(found, key=lambda e: e.end - e.start, default=None)


def score_file(entries: list[Entry], result: FileResult, ev: Evaluation) -> None:
    text = result.original
    for e in entries:
        if text.count(e.before) != 1:
            ev.errors.append(f"{e.id}: 'before' occurs {text.count(e.before)} times in {e.file}")
            e.start = e.end = -1
            continue
        e.start = text.index(e.before)
        e.end = e.start + len(e.before)
    entries = [e for e in entries if e.start >= 0]
    edits = [n for n in result.edits if not _blank_line_cleanup(text, n)]

    # Changes that no entry explains.
    for n in edits:
        if _smallest(entries, (n.start, n.end)) or _deleted_entries_only(text, n, entries):
            continue
        rules = sorted({c.finding.rule for c in result.applied if _touches((c.start, c.end), (n.start, n.end)) or c.start == n.start})
        cats = sorted({c.finding.category for c in result.applied if c.finding.rule in rules}) or ["other"]
        ev.tallies[cats[0]].unexplained += 1
        ev.unexplained.append((result.path, text.count("\n", 0, n.start) + 1, ",".join(rules), text[n.start:n.end], n.text))

    # Fix entries.
    fixes = [e for e in entries if e.action == "fix"]
    for e in sorted(fixes, key=lambda e: -(e.end - e.start)):
        touching = [n for n in edits if _touches((n.start, n.end), (e.start, e.end))]
        nested = [x for x in fixes if x is not e and _inside((x.start, x.end), (e.start, e.end))]
        if not touching:
            e.status = "missed"
        elif all(_inside((n.start, n.end), (e.start, e.end)) for n in touching):
            ours = apply(text[e.start:e.end], [(n.start - e.start, n.end - e.start, n.text) for n in touching])
            if ours == e.after:
                e.status = "exact"
            elif all(any(_inside((n.start, n.end), (x.start, x.end)) for x in nested) for n in touching):
                e.status = "missed"  # only inner entries were made
            elif _with_inner_fixes(ours, nested) == e.after:
                e.status = "missed"  # right as far as it goes; an inner entry's fix is what is missing
            else:
                e.status = "wrong"
        elif e.after == "" and all(not n.text.strip() for n in touching) and _all_deleted(text, e, touching):
            e.status = "exact"
        else:
            outer = [x for x in fixes if x is not e and _inside((e.start, e.end), (x.start, x.end))]
            e.status = "exact" if any(x.status == "exact" for x in outer) else "wrong"

    # Findings left for a human: which entry they report.
    reported: set[str] = set()
    for c in result.remaining:
        target = _smallest(entries, (c.start, c.end), overlap=True)
        if target is None:
            ev.tallies[c.finding.category].unexplained_flags += 1
            ev.unexplained_flags.append((result.path, c.line, c.finding.rule, c.finding.before))
        else:
            reported.add(target.id)
    for e in entries:
        t = ev.tallies[e.category]
        if e.action == "fix":
            t.fix_total += 1
            if e.status == "missed" and e.id in reported:
                e.status = "flagged"
            t.exact += e.status == "exact"
            t.wrong += e.status == "wrong"
            t.missed += e.status in ("missed", "flagged")
            t.flagged += e.status == "flagged"
        else:
            t.flag_total += 1
            rewritten = any(
                _touches((n.start, n.end), (e.start, e.end))
                and _smallest(entries, (n.start, n.end)) is e
                for n in edits
            )
            e.status = "rewritten" if rewritten else "reported" if e.id in reported else "silent"
            t.reported += e.status == "reported"
            t.wrong += rewritten


def _with_inner_fixes(ours: str, nested: list[Entry]) -> str:
    """Our text with the inner entries' corrections made where their text is still there."""
    for x in nested:
        if ours.count(x.before) == 1:
            ours = ours.replace(x.before, x.after)
    return ours


def _blank_line_cleanup(text: str, n: NetEdit) -> bool:
    before = text[n.start:n.end]
    return not before.strip() and not n.text.strip() and ("\n" in before or "\n" in n.text)


def _deleted_entries_only(text: str, n: NetEdit, entries: list[Entry]) -> bool:
    """A deletion whose every non-blank character belongs to gold deletion entries."""
    if n.text.strip():
        return False
    spans = [(e.start, e.end) for e in entries if e.after == "" and e.action == "fix"]
    return all(
        ch.isspace() or any(s <= i < e for s, e in spans) for i, ch in enumerate(text[n.start:n.end], start=n.start)
    )


def _all_deleted(text: str, e: Entry, edits: list[NetEdit]) -> bool:
    return all(
        ch.isspace() or any(n.start <= i < n.end for n in edits) for i, ch in enumerate(text[e.start:e.end], start=e.start)
    )


def evaluate(gold: Path, results: dict[str, FileResult]) -> Evaluation:
    entries = load_gold(gold)
    ev = Evaluation(entries=entries, tallies=defaultdict(Tally))
    by_file: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        by_file[e.file].append(e)
    for name, file_entries in by_file.items():
        result = results.get(name)
        if result is None or result.error:
            ev.errors.append(f"{name}: {result.error if result else 'not cleaned'}")
            continue
        score_file(file_entries, result, ev)
    return ev


def format_evaluation(ev: Evaluation, *, verbose: bool = False) -> str:
    head = f"{'category':24} {'fix':>4} {'exact':>6} {'wrong':>6} {'missed':>7} {'flag':>5} {'reported':>9} {'unexpl.':>8} {'unexpl.flags':>13}"
    rows = [head, "-" * len(head)]
    cats = [c for c in CATEGORIES if c in ev.tallies]
    for cat in cats + ["total"]:
        t = ev.total if cat == "total" else ev.tallies[cat]
        if cat == "total":
            rows.append("-" * len(head))
        rows.append(
            f"{cat:24} {t.fix_total:>4} {t.exact:>6} {t.wrong:>6} {t.missed:>7} {t.flag_total:>5} "
            f"{t.reported:>9} {t.unexplained:>8} {t.unexplained_flags:>13}"
        )
    t = ev.total
    rows.append(
        f"\nfix entries made exactly right: {t.exact}/{t.fix_total}; wrong rewrites: {t.wrong}; "
        f"flag entries reported: {t.reported}/{t.flag_total}; unexplained changes: {t.unexplained}; "
        f"unexplained flags: {t.unexplained_flags}"
    )
    if verbose:
        for e in ev.entries:
            if e.status in ("wrong", "rewritten") or (e.action == "fix" and e.status != "exact"):
                rows.append(f"  {e.id} [{e.category}, {e.action}] {e.status}: {e.before[:70]!r}")
        for path, line, rules, before, after in ev.unexplained:
            rows.append(f"  unexplained {path}:{line} {rules}: {before[:60]!r} -> {after[:60]!r}")
        for path, line, rule, before in ev.unexplained_flags:
            rows.append(f"  unexplained flag {path}:{line} {rule}: {before[:60]!r}")
    for err in ev.errors:
        rows.append(f"error: {err}")
    return "\n".join(rows) + "\n"
