"""`check --diff` on a terminal: each changed line once, with the changes inline, in colour.

Built, like the review page, from the engine's net edits (original offsets) rather than
a line diff: a line diff of prose shows a whole paragraph removed and re-added for one
capital letter. Removed words are red and struck through, new words green; spaces and
quote marks inside a change are made visible. Without colour the wdiff markers
``[-old-]{+new+}`` are used instead.
"""
from __future__ import annotations

from .model import FileResult, NetEdit
from .worddiff import visible, word_ops

RED, GREEN, DIM, BOLD, RESET = "\x1b[31;9m", "\x1b[32;1m", "\x1b[2m", "\x1b[1m", "\x1b[0m"
COLLAPSE_REMOVAL = 160  # a removal this long, or of whole lines, is summarised


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """From the start of the line holding ``start`` to the end of the line holding ``end``."""
    lo = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    hi = len(text)
    for nl in ("\n", "\r"):
        at = text.find(nl, max(end, lo) if end > start else start)
        if at != -1:
            hi = min(hi, at)
    return lo, max(hi, lo)


def _render_hunk(original: str, e: NetEdit, color: bool) -> str:
    old = original[e.start:e.end]
    if not e.text and ("\n" in old.strip("\r\n") or len(old) > COLLAPSE_REMOVAL):
        lines = [l for l in old.splitlines() if l.strip()]
        head = lines[0] if lines else ""
        head = head if len(head) <= 60 else head[:59] + "…"
        summary = f"removed {len(lines)} line{'s' * (len(lines) != 1)}: {head}"
        return f"{RED}{summary}{RESET}" if color else f"[-{summary}-]"
    out = []
    for kind, text in word_ops(old, e.text):
        if kind == "=":
            out.append(text)
        elif kind == "-":
            shown = visible(text).replace("\n", "")
            out.append(f"{RED}{shown}{RESET}" if color else f"[-{shown}-]")
        else:
            shown = visible(text)
            out.append(f"{GREEN}{shown}{RESET}" if color else f"{{+{shown}+}}")
    return "".join(out)


CONTEXT = 60  # characters of unchanged text kept beside a change


def _context(text: str, where: str) -> str:
    """Unchanged text around changes, shortened: a paragraph is often one long line."""
    if len(text) <= 2 * CONTEXT or "\n" in text:
        return text
    if where == "lead":
        return "…" + text[-CONTEXT:]
    if where == "tail":
        return text[:CONTEXT] + "…"
    return text[:CONTEXT] + " … " + text[-CONTEXT:]


def word_diff(result: FileResult, *, color: bool = True) -> str:
    """The changed lines of one file with every change shown inline."""
    if not result.modified:
        return ""
    text = result.original
    # Group the edits that share lines, so each line is printed once.
    groups: list[list] = []
    for e in result.edits:
        lo, hi = _line_bounds(text, e.start, e.end)
        if groups and lo <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], hi)
            groups[-1][2].append(e)
        else:
            groups.append([lo, hi, [e]])
    header = f"{BOLD}--- {result.path}{RESET}" if color else f"--- {result.path}"
    out = [header]
    for lo, hi, edits in groups:
        line = text.count("\n", 0, lo) + 1
        rules = sorted({c.finding.rule for c in result.applied if any(e.start <= c.start and c.end <= e.end for e in edits)})
        where = f"{result.path}:{line}: {', '.join(rules)}"
        out.append(f"{DIM}{where}{RESET}" if color else where)
        pieces, pos = [], lo
        for n, e in enumerate(edits):
            pieces.append(_context(text[pos:max(pos, e.start)], "lead" if n == 0 else "middle"))
            pieces.append(_render_hunk(text, e, color))
            pos = max(pos, e.end)
        pieces.append(_context(text[pos:max(pos, hi)], "tail"))
        body = "".join(pieces)
        out.extend("    " + l for l in body.splitlines() or [""])
    return "\n".join(out) + "\n"


def wants_color(stream) -> bool:
    """Colour for a terminal, unless NO_COLOR is set; FORCE_COLOR forces it."""
    import os

    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
