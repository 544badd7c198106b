"""Reports: human text, unified diff, JSON (versioned schema) and GitHub annotations."""
from __future__ import annotations

import json
from typing import Iterable

from .model import Change, FileResult

JSON_VERSION = 1


def _show(text: str | None, limit: int = 60) -> str:
    if text is None:
        return "—"
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def change_line(path: str, c: Change, *, mode: str) -> str:
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
    return f"{path}: translated from {source.code} (evidence: {evidence})"


def text_file_lines(r: FileResult, *, mode: str = "check") -> list[str]:
    """The text report's lines for one file (error, notices, source language, findings)."""
    if r.error:
        return [f"{r.path}: error: {r.error}"]
    lines = [f"{r.path}: notice: {notice}" for notice in r.notices]
    if r.source_language is not None and r.source_language.known:
        lines.append(source_line(r.path, r.source_language))
    lines.extend(change_line(r.path, c, mode=mode) for c in r.changes)
    return lines


class Tally:
    """The counts of the text report's summary line, added up file by file."""

    unit = "file"  # what is counted: a dataset's report counts rows

    def __init__(self) -> None:
        self.files = self.changed = self.applied = self.flags = self.suggestions = self.errors = 0

    def add(self, r: FileResult) -> None:
        self.files += 1
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
        self.changed += r.modified

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
    entry: dict = {"path": r.path, "findings": [c.to_dict() for c in r.changes]}
    if r.error:
        entry["error"] = r.error
    if r.notices:
        entry["notices"] = list(r.notices)
    if r.source_language is not None:
        entry["source_language"] = r.source_language.to_dict()
    return entry


def json_report(results: Iterable[FileResult]) -> str:
    files = [json_entry(r) for r in results]
    return json.dumps({"version": JSON_VERSION, "files": files}, ensure_ascii=False, indent=2) + "\n"


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
