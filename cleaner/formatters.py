"""Reports: human text, unified diff, JSON (versioned schema) and GitHub annotations."""
from __future__ import annotations

import difflib
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
    langs = source.languages
    what = langs[0] if len(langs) == 1 else ", ".join(langs[:-1]) + f" or {langs[-1]}"
    return f"{path}: translated from {what} (evidence: {evidence})"


def text_report(results: Iterable[FileResult], *, mode: str = "check") -> str:
    lines: list[str] = []
    files = changed = applied = flags = suggestions = errors = 0
    for r in results:
        files += 1
        if r.error:
            errors += 1
            lines.append(f"{r.path}: error: {r.error}")
            continue
        for notice in r.notices:
            lines.append(f"{r.path}: notice: {notice}")
        if r.source_language is not None and (r.source_language.known or r.source_language.candidates):
            lines.append(source_line(r.path, r.source_language))
        for c in r.changes:
            lines.append(change_line(r.path, c, mode=mode))
            if c.applied:
                applied += 1
            elif c.finding.after is not None:
                suggestions += 1
            else:
                flags += 1
        changed += r.modified
    verb = "fixed" if mode == "fix" else "fixable"
    summary = (
        f"{files} file{'s' * (files != 1)}: {applied} {verb} in {changed} file{'s' * (changed != 1)}, "
        f"{suggestions} suggestion{'s' * (suggestions != 1)} (--unsafe-fixes), {flags} flag{'s' * (flags != 1)}"
    )
    if errors:
        summary += f", {errors} error{'s' * (errors != 1)}"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def json_report(results: Iterable[FileResult]) -> str:
    files = []
    for r in results:
        entry: dict = {"path": r.path, "findings": [c.to_dict() for c in r.changes]}
        if r.error:
            entry["error"] = r.error
        if r.notices:
            entry["notices"] = list(r.notices)
        if r.source_language is not None:
            entry["source_language"] = r.source_language.to_dict()
        files.append(entry)
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
    if not result.modified:
        return ""
    a = result.original.splitlines(keepends=True)
    b = result.cleaned.splitlines(keepends=True)
    for lines in (a, b):
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += "\n\\ No newline at end of file\n"
    return "".join(difflib.unified_diff(a, b, fromfile=f"a/{result.path}", tofile=f"b/{result.path}"))
