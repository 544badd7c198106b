"""A baseline of known findings, so an archive can adopt the tool and fail only on new ones.

``cleaner check --write-baseline FILE`` records every finding; ``--baseline FILE`` then
hides the findings it records. A finding is matched by file, rule, the text it covers
and the line it sits on (whitespace-trimmed), never by offsets, so editing an article
elsewhere does not bring its old findings back; each recorded finding hides at most one.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Iterable

from .files import atomic_write
from .formatters import dumps_json
from .model import Change, FileResult

VERSION = 1
Key = tuple[str, str, str, str]


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def _rel(path: str, base: Path) -> str:
    return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")


def _context(text: str, start: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return text[line_start: line_end if line_end >= 0 else len(text)].strip()


def key_of(result: FileResult, change: Change, base: Path) -> Key:
    f = change.finding
    return (_rel(result.path, base), f.rule, f.before, _context(result.original, change.start))


def write_baseline(path: str, results: Iterable[FileResult]) -> int:
    """Record every finding of ``results`` in ``path``; returns how many."""
    base = Path(os.path.abspath(path)).parent
    entries = sorted(key_of(r, c, base) for r in results if not r.error for c in r.changes)
    data = {
        "version": VERSION,
        "findings": [{"file": f, "rule": r, "before": b, "context": c} for f, r, b, c in entries],
    }
    atomic_write(path, (dumps_json(data, indent=1) + "\n").encode("utf-8"))
    return len(entries)


class Baseline:
    def __init__(self, path: str):
        self.base = Path(os.path.abspath(path)).parent
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            self.counts: Counter[Key] = Counter(
                (e["file"], e["rule"], e["before"], e["context"]) for e in data["findings"]
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BaselineError(f"{path}: not a cleaner baseline ({exc})") from None

    def filter(self, result: FileResult, *, only_unapplied: bool = False) -> int:
        """Drop the findings the baseline records from ``result.changes``; returns how many."""
        kept, hidden = [], 0
        for c in result.changes:
            k = key_of(result, c, self.base)
            if (not only_unapplied or not c.applied) and self.counts[k] > 0:
                self.counts[k] -= 1
                hidden += 1
            else:
                kept.append(c)
        result.changes = kept
        return hidden
