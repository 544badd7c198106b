"""The HTML review page: every change of a cleaning run, inline, to accept or reject.

Built from the engine's own account of what it did (`FileResult.edits`, the net edits
against the original, and `FileResult.changes`, each finding with original offsets),
never from a diff of input and output: a re-diff guesses alignments ("Y r" -> "and R"),
the change log knows them. Each file is cut into paragraphs; a paragraph holds plain
text and *hunks* (one net edit each, with the changes that made it and a word-level view
of old and new text); flags are highlights over the original text.

The page is one file: the data as JSON inside a non-executable ``<script
type="application/json">`` (with ``<`` escaped, so no article text can close the tag),
and the style and script from ``cleaner/data/review.{html,css,js}`` inlined. Its
Content-Security-Policy allows only those two inline blocks (by hash) and no network.
The script builds the DOM with ``textContent`` only, so article text is never markup.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable

from . import __version__
from .model import Change, FileResult, Level, NetEdit
from .worddiff import word_ops

DATA_VERSION = 1

# Paragraph breaks: a line break followed by one or more blank lines.
_BLANK_RUN = re.compile(r"(?:\r\n|\r|\n)(?:[ \t]*(?:\r\n|\r|\n))+")
# A removal this long, or spanning lines, is shown collapsed (boilerplate blocks).
COLLAPSE_REMOVAL = 160


@dataclass(frozen=True)
class FileInput:
    """One file to review: the engine's result and a hash of the bytes it was read from."""

    result: FileResult
    sha256: str | None  # of the file's bytes; None for stdin or unreadable input


def sha256_file(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


# -- page data ------------------------------------------------------------------------


def _change_record(c: Change, hunk: int | None) -> dict:
    f = c.finding
    rewrite = c.applied and f.after is not None
    record = {
        "id": c.id,
        "rule": f.rule,
        "category": f.category,
        "level": f.level.value,
        "message": f.message,
        "before": f.before,
        "after": f.after,
        "line": c.line,
        "column": c.column,
        "start": c.start,
        "end": c.end,
        # "change": a rewrite to accept or reject (a fix starts accepted, a suggestion
        # only proposed); "flag": for a person to keep as it is or replace.
        "kind": "change" if rewrite else "flag",
    }
    if hunk is not None:
        record["hunk"] = hunk
    if f.proposals and record["kind"] == "flag":
        record["proposals"] = list(f.proposals)
    if c.note:
        record["note"] = c.note
    return record


def _hunks(result: FileResult) -> tuple[list[dict], dict[str, int]]:
    """One hunk per net edit, with the applied changes inside it."""
    text = result.original
    applied = [c for c in result.changes if c.applied and c.finding.after is not None]
    hunks, owner = [], {}
    for n, e in enumerate(result.edits):
        inside = [c for c in applied if e.start <= c.start and c.end <= e.end and c.id not in owner]
        for c in inside:
            owner[c.id] = n
        old = text[e.start:e.end]
        hunk = {
            "start": e.start,
            "end": e.end,
            "del": old,
            "ins": e.text,
            "ops": word_ops(old, e.text),
            "changes": [c.id for c in inside],
            "removal": not e.text and ("\n" in old.strip("\r\n") or len(old) > COLLAPSE_REMOVAL),
        }
        if len(inside) > 1:
            # Where each change sits inside the hunk, so the page can show which parts of a
            # merged removal stay when some of its changes are rejected.
            hunk["parts"] = [[c.start - e.start, c.end - e.start, c.id] for c in inside]
        hunks.append(hunk)
    return hunks, owner


def _paragraph_spans(text: str, busy: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraphs of the original text; a blank-line break inside a change or flag does
    not cut (that change is shown whole, in one paragraph)."""
    cuts = []
    for m in _BLANK_RUN.finditer(text):
        s, e = m.span()
        if not any(bs < e and s < be or (bs == be and s < bs < e) for bs, be in busy):
            cuts.append((s, e))
    spans, pos = [], 0
    for s, e in cuts:
        spans.append((pos, s))
        pos = e
    spans.append((pos, len(text)))
    return spans


def _text_pieces(text: str, a: int, b: int, flags: list[dict]) -> list:
    """Plain text from ``a`` to ``b`` as ``[text, [flag ids]]`` pieces, cut where a flag
    starts or ends; an empty flag (a point between two characters) becomes ``{"f": id}``."""
    points = sorted({a, b} | {p for f in flags for p in (f["start"], f["end"]) if a < p < b})
    out: list = []
    for x, y in zip(points, points[1:]):
        out.extend({"f": f["id"]} for f in flags if f["start"] == f["end"] == x and x < b)
        ids = [f["id"] for f in flags if f["start"] < y and x < f["end"]]
        out.append([text[x:y], ids])
    return out


def _segments(text: str, start: int, end: int, hunks: list[tuple[int, dict]], flags: list[dict]) -> list:
    """A paragraph as plain-text pieces and hunk references ``{"h": n}``, in text order."""
    segs: list = []
    pos = start
    for n, h in hunks:
        segs.extend(_text_pieces(text, pos, h["start"], flags))
        segs.append({"h": n})
        pos = h["end"]
    segs.extend(_text_pieces(text, pos, end, flags))
    return segs


def file_data(item: FileInput) -> dict:
    """Everything the page needs about one file."""
    r = item.result
    entry: dict = {"path": r.path, "sha256": item.sha256}
    if r.error:
        entry.update(error=r.error, changes=[], hunks=[], paragraphs=[], text_length=0)
        return entry
    hunks, owner = _hunks(r)
    changes = [_change_record(c, owner.get(c.id)) for c in r.changes]
    flags = [c for c in changes if c["kind"] == "flag"]
    # A flag inside rewritten text is reported at the rewrite's bounds; show it on the hunk.
    for c in flags:
        for n, h in enumerate(hunks):
            if h["start"] < c["end"] and c["start"] < h["end"] or (c["start"] == c["end"] and h["start"] <= c["start"] <= h["end"] and h["start"] < h["end"]):
                h.setdefault("flags", []).append(c["id"])
    busy = [(h["start"], h["end"]) for h in hunks] + [(c["start"], c["end"]) for c in flags]
    paragraphs = []
    spans = _paragraph_spans(r.original, busy)
    placed: dict[int, list[tuple[int, dict]]] = {}
    for n, h in enumerate(hunks):
        i = next((i for i, (s, e) in enumerate(spans) if s <= h["start"] and h["end"] <= e), 0)
        placed.setdefault(i, []).append((n, h))
    for i, (s, e) in enumerate(spans):
        mine = [f for f in flags if s <= f["start"] <= e and f["start"] < e or (f["start"] == f["end"] == e == len(r.original))]
        paragraphs.append({"start": s, "segs": _segments(r.original, s, e, placed.get(i, []), mine)})
    entry.update(changes=changes, hunks=hunks, paragraphs=paragraphs, text_length=len(r.original))
    if r.notices:
        entry["notices"] = list(r.notices)
    return entry


def page_data(items: Iterable[FileInput]) -> dict:
    files = [file_data(item) for item in items]
    digest = hashlib.sha256(json.dumps([[f["path"], f["sha256"], [c["id"] for c in f["changes"]]] for f in files]).encode()).hexdigest()
    return {"version": DATA_VERSION, "cleaner": __version__, "report": digest[:16], "files": files}


# -- the HTML file --------------------------------------------------------------------


def _asset(name: str) -> str:
    return resources.files("cleaner").joinpath("data", name).read_text(encoding="utf-8")


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def json_for_script(data) -> str:
    """JSON safe inside an HTML ``<script>`` element: no ``<``, ``>`` or ``&`` appear raw,
    so neither ``</script>`` nor ``<!--`` in article text can end or bend the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def render_html(data: dict) -> str:
    """The self-contained page for ``data`` (from `page_data`)."""
    style, script = _asset("review.css"), _asset("review.js")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_csp_hash(script)}",
        f"style-src {_csp_hash(style)}",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    n = len(data["files"])
    values = {
        "CSP": csp,
        "TITLE": f"cleaner review: {n} file{'s' * (n != 1)}",
        "STYLE": style,
        "SCRIPT": script,
        "DATA": json_for_script(data),
    }
    # One pass, so text substituted in is never scanned for placeholders again.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("review.html"))


def build_report(items: Iterable[FileInput]) -> str:
    return render_html(page_data(items))


def review_inputs(paths, rules, options=None, exclude=()) -> list[FileInput]:
    """Clean every file under ``paths`` for review, hashing the very bytes that were cleaned
    (so `cleaner apply` can tell whether a file changed since)."""
    from . import api
    from .engine import Options
    from .files import iter_files

    options = options or Options(unsafe_fixes=True)
    items = []
    for path in iter_files(paths, exclude):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            items.append(FileInput(api.clean_path(path, rules, options).result, None))
            continue
        outcome = api.clean_bytes(data, rules, options, path=path)
        items.append(FileInput(outcome.result, hashlib.sha256(data).hexdigest()))
    return items
