"""Reports: human text, unified diff, JSON (versioned schema) and GitHub annotations.

SARIF, JUnit XML and JSON Lines, and writing a report to a file, are in `cleaner.outputs`.
"""
from __future__ import annotations

import bisect
import json
import re
from typing import Iterable

from .model import Change, FileResult

JSON_VERSION = 1


def _show(text: str | None, limit: int = 60) -> str:
    if text is None:
        return "—"
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


# A control character or a byte of a file name that is not UTF-8 (a lone surrogate, as
# Python's file system encoding gives it): escaped, so one report line is one finding.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def display_path(path: str) -> str:
    """A file name fit for a one-line report: ``\\n``, ``\\t``, ``\\xff`` for a byte
    that is not UTF-8."""
    if not _UNPRINTABLE.search(path):
        return path

    def escape(m: re.Match) -> str:
        ch = m.group()
        if "\ud800" <= ch <= "\udfff":
            code = ord(ch)
            return f"\\x{code - 0xdc00:02x}" if 0xdc80 <= code <= 0xdcff else f"\\u{code:04x}"
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\x{ord(ch):02x}")

    return _UNPRINTABLE.sub(escape, path)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps_json(obj, **kwargs) -> str:
    """``json.dumps`` with readable Unicode, except a lone surrogate (a file name byte that
    is not UTF-8) written as its ``\\udcff`` escape: the output stays valid UTF-8 JSON,
    and ``json.loads`` gives back the very name (``os.fsencode`` turns it into the bytes)."""
    text = json.dumps(obj, ensure_ascii=False, **kwargs)
    if not _LONE_SURROGATE.search(text):
        return text
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def change_line(path: str, c: Change, *, mode: str) -> str:
    path = display_path(path)
    f = c.finding
    if c.applied:
        state = "fixed" if mode == "fix" else f.level.value
        detail = f"{_show(f.before)} → {_show(f.after)}"
    elif f.after is not None:
        state = f"{f.level.value}, not applied"
        detail = f"{_show(f.before)} → {_show(f.after)}"
    else:
        state = "flag"
        detail = _show(f.before)
    note = f" ({c.note})" if c.note else ""
    return f"{path}:{c.line}:{c.column}: {f.rule} [{state}] {f.message}{note}: {detail}"


def source_line(path: str, source) -> str:
    """The inferred source language and its evidence, for the text report."""
    evidence = "; ".join(source.evidence[:4]) + ("; …" if len(source.evidence) > 4 else "")
    langs = source.languages
    what = langs[0] if len(langs) == 1 else ", ".join(langs[:-1]) + f" or {langs[-1]}"
    return f"{display_path(path)}: translated from {what} (evidence: {evidence})"


_NEWLINE = re.compile(r"\r\n|\r|\n")


class Positions:
    """Line and column (1-based, in characters) of any offset of a file's original text."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def finding_record(c: Change, positions: Positions) -> dict:
    """One finding as JSON: `Change.to_dict` plus where it ends and its rule's documentation."""
    from .ruledoc import url

    record = c.to_dict()
    record["end_line"], record["end_column"] = positions.line_col(c.end)
    record["url"] = url(c.finding.rule)
    return record


def text_file_lines(r: FileResult, *, mode: str = "check") -> list[str]:
    """The text report's lines for one file (error, notices, source language, findings);
    the source language only beside findings it explains."""
    if r.error:
        return [f"{display_path(r.path)}: error: {r.error}"]
    lines = [f"{display_path(r.path)}: notice: {notice}" for notice in r.notices]
    if r.source_language is not None and (r.source_language.known or r.source_language.candidates) and r.changes:
        lines.append(source_line(r.path, r.source_language))
    lines.extend(change_line(r.path, c, mode=mode) for c in r.changes)
    return lines


class Tally:
    """The counts of the text report's summary line, added up file by file."""

    unit = "file"  # what is counted: a dataset's report counts rows

    def __init__(self) -> None:
        self.files = self.changed = self.applied = self.flags = self.suggestions = self.errors = self.skipped = 0

    def add(self, r: FileResult) -> None:
        self.files += 1
        self.skipped += len(r.notices)
        if r.error:
            self.errors += 1
            return
        for c in r.changes:
            if c.applied:
                self.applied += 1
            elif c.finding.after is not None:
                self.suggestions += 1
            else:
                self.flags += 1
        self.changed += any(c.applied for c in r.changes)  # not r.modified: a baseline may hide its changes

    def summary(self, *, mode: str = "check") -> str:
        verb = "fixed" if mode == "fix" else "fixable"
        files, changed, suggestions, flags, errors = self.files, self.changed, self.suggestions, self.flags, self.errors
        unit = self.unit
        summary = (
            f"{files} {unit}{'s' * (files != 1)}: {self.applied} {verb} in {changed} {unit}{'s' * (changed != 1)}, "
            f"{suggestions} suggestion{'s' * (suggestions != 1)} (--unsafe-fixes), {flags} flag{'s' * (flags != 1)}"
        )
        if errors:
            summary += f", {errors} error{'s' * (errors != 1)}"
        skipped = self.skipped
        if skipped:  # the run is incomplete: never let it pass for a clean one
            summary += f", {skipped} rule{'s' * (skipped != 1)} skipped (see the notices; --fail-on ...,skipped fails on it)"
        return summary


def text_report(results: Iterable[FileResult], *, mode: str = "check") -> str:
    lines: list[str] = []
    tally = Tally()
    for r in results:
        tally.add(r)
        lines.extend(text_file_lines(r, mode=mode))
    lines.append(tally.summary(mode=mode))
    return "\n".join(lines) + "\n"


def json_entry(r: FileResult) -> dict:
    """One file's entry in the JSON report."""
    positions = Positions(r.original)
    entry: dict = {"path": r.path, "findings": [finding_record(c, positions) for c in r.changes]}
    if r.error:
        entry["error"] = r.error
    if r.notices:
        entry["notices"] = list(r.notices)
    if r.source_language is not None:
        entry["source_language"] = r.source_language.to_dict()
    return entry


def json_report(results: Iterable[FileResult]) -> str:
    files = [json_entry(r) for r in results]
    return dumps_json({"version": JSON_VERSION, "files": files}, indent=2) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_report(results: Iterable[FileResult]) -> str:
    """GitHub Actions workflow commands, one annotation per finding."""
    out = []
    for r in results:
        if r.error:
            out.append(f"::error file={_gh_escape(r.path, True)}::{_gh_escape(r.error)}")
            continue
        for c in r.changes:
            f = c.finding
            kind = "warning" if c.applied or f.after is not None else "notice"
            msg = f"{f.message}: {_show(f.before)} → {_show(f.after)}" if f.after is not None else f"{f.message}: {_show(f.before)}"
            out.append(
                f"::{kind} file={_gh_escape(r.path, True)},line={c.line},col={c.column},"
                f"title={_gh_escape(f.rule, True)}::{_gh_escape(msg)}"
            )
    return "\n".join(out) + ("\n" if out else "")


def unified_diff(result: FileResult) -> str:
    import difflib

    if not result.modified:
        return ""
    a = result.original.splitlines(keepends=True)
    b = result.cleaned.splitlines(keepends=True)
    for lines in (a, b):
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += "\n\\ No newline at end of file\n"
    return "".join(difflib.unified_diff(a, b, fromfile=f"a/{result.path}", tofile=f"b/{result.path}"))
