"""Precision on clean English: what each rule does to text that needs nothing (issue 11).

Runs every rule over folders of fluent, human-written English and prints, per rule, how
many documents it would rewrite and how many fixes, suggestions and flags it raises, then
every one of those findings with its exact place and span. On this text every finding is
a false positive, or a genuine slip of the source to be named: this is how the next false
positive is found.

    .venv/bin/python benchmarks/precision.py [FOLDER ...] [--select quotes] [--spans 20]

Default folders: ../shared/corpus/english-news, ../shared/corpus/clean-pages and
tests/corpus/clean (relative to the repository root; missing ones are skipped).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.api import Options, clean_path, load_rules, select_rules
from cleaner.files import iter_files
from cleaner.model import Level

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "../shared/corpus/english-news", ROOT / "../shared/corpus/clean-pages", ROOT / "tests/corpus/clean"]


@dataclass
class RuleTally:
    """What one rule did to the clean text."""

    documents: set[str] = field(default_factory=set)  # rewritten (a fix or a suggestion)
    flagged: set[str] = field(default_factory=set)
    counts: dict[Level, int] = field(default_factory=lambda: defaultdict(int))
    spans: list[str] = field(default_factory=list)


def _shown(s: str | None, width: int = 70) -> str:
    if s is None:
        return ""
    s = s.replace("\n", "\\n")
    return s if len(s) <= width else s[: width - 1] + "…"


def measure(folders: list[str], rules) -> tuple[dict[str, RuleTally], int, list[str]]:
    """Per rule, its tally over every file of ``folders``; also the number of files and
    the files that could not be read."""
    tallies: dict[str, RuleTally] = defaultdict(RuleTally)
    files = 0
    errors: list[str] = []
    for path in iter_files(folders):
        files += 1
        result = clean_path(path, rules, Options()).result
        if result.error:
            errors.append(f"{path}: {result.error}")
            continue
        for change in result.changes:
            f = change.finding
            tally = tallies[f.rule]
            tally.counts[f.level] += 1
            if f.level is Level.FLAG:
                tally.flagged.add(path)
                what = f"“{_shown(f.before)}”"
            else:
                tally.documents.add(path)
                what = f"“{_shown(f.before)}” → “{_shown(f.after)}”"
            tally.spans.append(f"{path}:{change.line}:{change.column}: [{f.level.value}] {what}  ({_shown(f.message, 90)})")
    return tallies, files, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="*", help="folders or files of clean English")
    ap.add_argument("--select", help="only these rule ids, packs or categories (comma-separated)")
    ap.add_argument("--spans", type=int, default=1000, help="show at most this many spans per rule")
    args = ap.parse_args(argv)
    folders = args.folders or [os.path.relpath(p) for p in DEFAULT if p.exists()]
    if not folders:
        print("no clean English to measure (corpus folders absent)")
        return 0
    rules = load_rules()
    if args.select:
        rules = select_rules(rules, args.select.split(","))
    tallies, files, errors = measure(folders, rules)
    print(f"{files} files from {', '.join(folders)}")
    print(f"{'rule':34} {'docs changed':>12} {'fixes':>6} {'suggest':>8} {'flags':>6} {'docs flagged':>13}")
    total = defaultdict(int)
    for rule in sorted(tallies):
        t = tallies[rule]
        row = (len(t.documents), t.counts[Level.FIX], t.counts[Level.SUGGEST], t.counts[Level.FLAG], len(t.flagged))
        for k, v in zip(("docs", "fix", "suggest", "flag", "flagged"), row):
            total[k] += v
        print(f"{rule:34} {row[0]:>12} {row[1]:>6} {row[2]:>8} {row[3]:>6} {row[4]:>13}")
    changed = len(set().union(*(t.documents for t in tallies.values()))) if tallies else 0
    flagged = len(set().union(*(t.flagged for t in tallies.values()))) if tallies else 0
    print(f"{'all rules':34} {changed:>12} {total['fix']:>6} {total['suggest']:>8} {total['flag']:>6} {flagged:>13}")
    for rule in sorted(tallies):
        spans = tallies[rule].spans
        print(f"\n== {rule} ({len(spans)})")
        for line in spans[: args.spans]:
            print("  " + line)
        if len(spans) > args.spans:
            print(f"  … and {len(spans) - args.spans} more")
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
