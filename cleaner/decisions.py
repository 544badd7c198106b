"""Applying a review: exactly the changes an editor accepted, to exactly the files reviewed.

The review page exports ``decisions.json``: per file, its path, the SHA-256 of the bytes
the report was built from, and the ids of the changes accepted and rejected (see
`model.change_id`). Applying re-runs the engine on each file with only the accepted ids
allowed (`engine.Options.accepted`), so a rejected change, and anything the engine
could only have done because of it, stays out, and no change the editor never saw can
get in. If any file differs from the one reviewed, nothing is written.

Version 2 adds what the editor did with each flag: kept as it is, or replaced by words
of their own (or a wording the flag proposed). A replacement is anchored by the flag's
original offsets and text, and written together with the accepted changes when it
does not overlap one of them.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field

from .edits import apply as apply_edits
from .engine import ConvergenceError, Options, clean_text
from .files import WriteRefused, format_of, iter_files, write_in_place
from .model import FileResult
from .reading import InputError, Source, decode, encode

FORMAT = "cleaner-decisions"
VERSIONS = (1, 2)  # 2 adds "flags" (and "proposed", for information)
_CHANGE_ID = re.compile(r"c[0-9a-f]{12}")
RESOLUTIONS = ("keep", "replace")


class DecisionsError(Exception):
    """The decisions file cannot be used: unreadable, of another format, or out of date."""


@dataclass(frozen=True)
class FlagDecision:
    """What the editor did with one flag: ``keep`` the text, or ``replace`` it by ``after``.

    ``start``/``end``/``before`` are the flag's place and text in the original input,
    as the report showed them; a replacement is written there."""

    id: str
    start: int
    end: int
    before: str
    resolution: str
    after: str | None = None


@dataclass(frozen=True)
class FileDecision:
    path: str
    sha256: str
    accepted: frozenset[str]
    rejected: frozenset[str]
    flags: tuple[FlagDecision, ...] = ()

    @property
    def replacements(self) -> list[FlagDecision]:
        return sorted((f for f in self.flags if f.resolution == "replace"), key=lambda f: (f.start, f.end))


@dataclass
class Decisions:
    files: list[FileDecision]
    report: str = ""

    def find(self, path: str) -> FileDecision | None:
        """The entry for ``path``, matched as given or by absolute path."""
        want = os.path.normpath(path)
        for d in self.files:
            if os.path.normpath(d.path) == want:
                return d
        absolute = os.path.abspath(path)
        for d in self.files:
            if os.path.abspath(d.path) == absolute:
                return d
        return None


@dataclass
class Applied:
    """What applying the decisions did (or would do) to one file."""

    path: str
    result: FileResult
    source: Source
    accepted: frozenset[str]
    missing: list[str] = field(default_factory=list)  # accepted, but could not be applied
    replaced: list[str] = field(default_factory=list)  # flags written with the editor's words
    conflicts: list[str] = field(default_factory=list)  # flag replacements overlapping an accepted change
    cleaned: str = ""  # the text to write: accepted changes and flag replacements

    @property
    def applied_ids(self) -> set[str]:
        return {c.id for c in self.result.applied}

    @property
    def modified(self) -> bool:
        return self.cleaned != self.result.original


def parse(text: str) -> Decisions:
    """Read a decisions file, refusing anything that is not exactly its shape: a wrong
    type is an error, never coerced (a string of ids is not a list of its characters), and
    a file listed twice is an error (which entry would win?)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DecisionsError(f"not JSON: {exc}") from None
    except RecursionError:
        raise DecisionsError("not a decisions file: nested too deep") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DecisionsError(f"not a decisions file (expected \"format\": \"{FORMAT}\"; export one from the review page)")
    if doc.get("version") not in VERSIONS:
        raise DecisionsError(f"unsupported decisions version {doc.get('version')!r}")
    entries = doc.get("files") or []
    if not isinstance(entries, list):
        raise DecisionsError("\"files\" must be a list of file entries")
    files: list[FileDecision] = []
    seen: dict[str, int] = {}
    for n, entry in enumerate(entries):
        where = f"files[{n}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not isinstance(entry.get("sha256"), str):
            raise DecisionsError(f"{where}: needs \"path\", \"sha256\", \"accepted\"")
        ids = {}
        for key in ("accepted", "rejected"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise DecisionsError(f"{where}: \"{key}\" must be a list of change ids (strings), not {_short(value)}")
            ids[key] = frozenset(value)
        both = ids["accepted"] & ids["rejected"]
        if both:
            raise DecisionsError(f"{where}: change {sorted(both)[0]} is both accepted and rejected")
        key = os.path.normpath(entry["path"])
        if key in seen:
            raise DecisionsError(f"{where}: {entry['path']} is listed twice (also files[{seen[key]}]); "
                                 "export the decisions again")
        seen[key] = n
        files.append(FileDecision(path=entry["path"], sha256=entry["sha256"], **ids,
                                  flags=_flag_decisions(entry.get("flags", []), where)))
    return Decisions(files=files, report=str(doc.get("report", "")))


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _flag_decisions(entries, where: str) -> tuple[FlagDecision, ...]:
    """The ``flags`` of one file entry, each checked: a well-formed id, offsets that make a
    span, the flagged text, a known resolution and, for ``replace``, the new text."""
    if not isinstance(entries, list):
        raise DecisionsError(f"{where}.flags: must be a list")
    out, seen = [], set()
    for i, e in enumerate(entries):
        at = f"{where}.flags[{i}]"
        if not isinstance(e, dict):
            raise DecisionsError(f"{at}: must be an object")
        fid, start, end, before = e.get("id"), e.get("start"), e.get("end"), e.get("before")
        resolution, after = e.get("resolution"), e.get("after")
        if not isinstance(fid, str) or not _CHANGE_ID.fullmatch(fid):
            raise DecisionsError(f"{at}: \"id\" must be a change id (c and 12 hex digits), not {fid!r}")
        if fid in seen:
            raise DecisionsError(f"{at}: flag {fid} is decided twice")
        seen.add(fid)
        if not (type(start) is int and type(end) is int and 0 <= start <= end):
            raise DecisionsError(f"{at}: \"start\" and \"end\" must be offsets with 0 <= start <= end")
        if not isinstance(before, str) or len(before) != end - start:
            raise DecisionsError(f"{at}: \"before\" must be the flagged text ({end - start} characters)")
        if resolution not in RESOLUTIONS:
            raise DecisionsError(f"{at}: \"resolution\" must be one of {', '.join(RESOLUTIONS)}, not {resolution!r}")
        if resolution == "replace":
            if not isinstance(after, str):
                raise DecisionsError(f"{at}: a replacement needs \"after\", the new text")
            if "\x00" in after:
                raise DecisionsError(f"{at}: \"after\" contains a NUL character")
        elif after is not None:
            raise DecisionsError(f"{at}: a flag kept as it is has no \"after\"")
        out.append(FlagDecision(fid, start, end, before, resolution, after if resolution == "replace" else None))
    spans = sorted((f.start, f.end, f.id) for f in out if f.resolution == "replace")
    for (s1, e1, a), (s2, e2, b) in zip(spans, spans[1:]):
        if s2 < e1 or (s1 == e1 == s2):
            raise DecisionsError(f"{where}.flags: the replacements of {a} and {b} overlap")
    return tuple(out)


def load(path: str) -> Decisions:
    """Read ``path`` (UTF-8 JSON, as the review page exports it)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise DecisionsError(f"{path}: {exc.strerror or exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecisionsError(f"{path}: UTF-16 text; a decisions file is UTF-8 (save it as UTF-8, or export it again)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DecisionsError(f"{path}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                             "a decisions file is UTF-8 JSON") from None
    try:
        return parse(text)
    except DecisionsError as exc:
        raise DecisionsError(f"{path}: {exc}") from None


def plan(decisions: Decisions, paths, rules, *, exclude=(), settings=None) -> list[Applied]:
    """The result of applying ``decisions`` to the files under ``paths``; writes nothing.

    Raises `DecisionsError` naming every file that was not in the report, changed since,
    or cannot be read, so a batch is applied whole or not at all.
    """
    problems: list[str] = []
    loaded: list[tuple[str, bytes, FileDecision]] = []
    for path in iter_files(paths, exclude):
        if path == "-":
            problems.append("-: stdin cannot be applied to; name the files")
            continue
        entry = decisions.find(path)
        if entry is None:
            problems.append(f"{path}: not in the reviewed report")
            continue
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            problems.append(f"{path}: changed since the report was made (content hash differs); make a new report")
            continue
        loaded.append((path, data, entry))
    if problems:
        raise DecisionsError("nothing written:\n  " + "\n  ".join(problems))
    out = []
    for path, data, entry in loaded:
        try:
            source = decode(data)
            options = Options(unsafe_fixes=True, accepted=entry.accepted, settings=dict(settings or {}))
            result = clean_text(source.text, rules, options, path=path, fmt=format_of(path), newline=source.newline)
        except (InputError, ConvergenceError) as exc:
            raise DecisionsError(f"nothing written:\n  {path}: {exc}") from None
        for f in entry.replacements:
            if source.text[f.start:f.end] != f.before:
                raise DecisionsError(f"nothing written:\n  {path}: flag {f.id} was reported on “{f.before}” "
                                     f"at {f.start}-{f.end}, but the file has “{source.text[f.start:f.end]}” there")
        applied = Applied(path=path, result=result, source=source, accepted=entry.accepted)
        applied.missing = sorted(entry.accepted - applied.applied_ids)
        _merge_replacements(applied, entry.replacements)
        out.append(applied)
    return out


def _overlaps(edit_start: int, edit_end: int, f: FlagDecision) -> bool:
    """Whether an accepted edit and a flag replacement touch the same text (two insertions
    at one point count: their order would be a guess)."""
    if edit_start < f.end and f.start < edit_end:
        return True
    if edit_start == edit_end:
        return f.start < edit_start < f.end or edit_start == f.start == f.end
    return f.start == f.end and edit_start < f.start < edit_end


def _merge_replacements(applied: Applied, replacements: list[FlagDecision]) -> None:
    """The text to write: the accepted changes' net edits and the flag replacements that
    overlap none of them (the others are listed in ``conflicts``)."""
    result = applied.result
    if not replacements:
        applied.cleaned = result.cleaned
        return
    edits = [(e.start, e.end, e.text) for e in result.edits]
    kept = []
    for f in replacements:
        if any(_overlaps(s, e, f) for s, e, _ in edits):
            applied.conflicts.append(f.id)
        else:
            kept.append((f.start, f.end, f.after or ""))
            applied.replaced.append(f.id)
    applied.cleaned = apply_edits(result.original, sorted(edits + kept, key=lambda x: (x[0], x[1])))


def write(applied: list[Applied]) -> list[str]:
    """Write every file that changes; returns the paths written."""
    written = []
    for a in applied:
        if a.modified:
            try:
                write_in_place(a.path, encode(a.cleaned, a.source), expected_sha256=a.source.sha256)
            except WriteRefused as exc:
                done = f" (written before it: {', '.join(written)})" if written else ""
                raise DecisionsError(f"{a.path}: {exc}{done}") from None
            written.append(a.path)
    return written
