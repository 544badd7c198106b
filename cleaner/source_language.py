"""Which language was this article translated from? Inferred from the artifacts found.

Each finding may carry evidence, (language code, weight) pairs: a Spanish "Y" left in
the text says "es" loudly, "assured that" says "es or fr or pt or it" softly. The text
itself adds cues that are not errors and so raise no finding: a credit line naming
a "French version", guillemets, capitalised quoted fragments in mid-sentence (French
house style), AFP subheads wrapped in dashes. The cues are data
(``cleaner/data/source_cues.yaml``). The guess is the best-scoring language when it
scores enough and clearly beats the next; otherwise "unknown", with the languages near
the top as candidates when together they score enough (a calque shared by es, it and
pt says "translated from one of these" without saying which).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

import regex

from .document import Document
from .model import Finding, SourceLanguage
from .literal_index import INDEX, Admission
from .prefilter import LazyPattern, finditer_from, leading_chars

MIN_SCORE = 2.0  # the best language needs at least this much evidence...
MARGIN = 1.0  # ...and this much more than the next
_EPS = 1e-9  # shares such as 2/3 sum back to a whole only up to rounding

_FLAGS = {"multiline": regex.M, "ignorecase": regex.I}


@dataclass(frozen=True)
class Cue:
    """A trait of the text that betrays a source language without being an error."""

    name: str
    pattern: LazyPattern
    languages: tuple[str, ...]
    weight: float
    shares: tuple[tuple[str, float], ...]  # what one occurrence adds to each language
    max: int  # occurrences counted at most
    common_word: str | None  # group that must be a lower-case English word (not a name)


@lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    from .cache import table

    return table("source_cues", _read_cues)  # parsed once: PyYAML is slow to import


def _read_cues() -> tuple[Cue, ...]:
    import yaml

    text = resources.files("cleaner").joinpath("data/source_cues.yaml").read_text(encoding="utf-8")
    out = []
    for raw in yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        flags = 0
        for name in raw.get("flags", []):
            flags |= _FLAGS[name]
        weight = float(raw.get("weight", 1))
        langs = raw["languages"]
        if isinstance(langs, dict):  # {it: 3, es: 1}: the weight shared in these proportions
            total = sum(langs.values())
            shares = tuple((c, weight * w / total) for c, w in langs.items())
        else:
            shares = tuple((c, weight / len(langs)) for c in langs)
        out.append(
            Cue(
                name=raw["name"],
                pattern=LazyPattern(raw["pattern"], flags, literals=tuple(raw["literals"]) if "literals" in raw else None),
                languages=tuple(langs),
                weight=weight,
                shares=shares,
                max=int(raw.get("max", 1)),
                common_word=raw.get("common_word"),
            )
        )
    for cue in out:
        cue.pattern.clauses()  # worked out now, so the cached table keeps them
    return tuple(out)


def _is_common_word(word: str) -> bool:
    from .lexicon import dictionary_case

    return dictionary_case(word) in ("lower", "both")


@lru_cache(maxsize=1)
def _cue_admission() -> Admission:
    """Which cues a document can show, read off the shared literal index."""
    return Admission.of([cue.pattern for cue in cues()])


def _all_cue_hits(doc: Document) -> list[Sequence[regex.Match]]:
    """The matches of every cue, in the order of `cues`: worked out once per document
    (the source language is inferred more than once from the same text)."""
    return doc.memo("source-language/cue-hits", _scan_cues)


def _scan_cues(doc: Document) -> list[Sequence[regex.Match]]:
    """Only the cues whose literals the document has are searched."""
    every = cues()
    out: list[Sequence[regex.Match]] = [()] * len(every)
    for i in _cue_admission().admitted(INDEX.present(doc)):
        out[i] = _cue_hits(doc, every[i])
    return out


def _cue_hits(doc: Document, cue: Cue) -> list[regex.Match]:
    hits: list[regex.Match] = []
    lead = leading_chars(cue.pattern.source, cue.pattern.flags)  # "“", "[–—]": tried only there
    found = finditer_from(cue.pattern.pattern, doc.text, lead) if lead else cue.pattern.pattern.finditer(doc.text)
    for m in found:
        if cue.common_word and not _is_common_word(m.group(cue.common_word)):
            continue
        hits.append(m)
        if len(hits) >= cue.max:
            break
    return hits


def infer(doc: Document, findings: Iterable[Finding], forced: str | None = None) -> SourceLanguage:
    """The likely source language of ``doc`` from its findings and cues.

    ``forced`` (a project's ``source_language`` setting) wins over any inference."""
    findings = list(findings)
    if forced:
        return SourceLanguage(forced, (f"{forced}: set in the configuration",), ((forced, 0.0),), translated=forced != "unknown")
    scores: dict[str, float] = defaultdict(float)
    evidence: dict[str, list] = {}  # what -> [pairs, count, line]
    seen: set[tuple[str, int, int]] = set()
    for f in findings:
        if not f.evidence or (f.rule, f.start, f.end) in seen:
            continue
        seen.add((f.rule, f.start, f.end))
        for code, weight in f.evidence:
            scores[code] += weight
        shown = f.before if len(f.before) <= 50 else f.before[:49] + "…"
        what = f"{f.rule} “{shown}”"
        _note(evidence, what, f.evidence, doc.line_col(f.start)[0])
    for cue, hits in zip(cues(), _all_cue_hits(doc)):
        for m in hits:
            for code, share in cue.shares:
                scores[code] += share
            before = m.group().strip()
            if len(before) > 50:
                before = before[:49] + "…"
            shown = before if before[:1] in "“\"«„" else f"“{before}”"
            _note(evidence, f"{cue.name}: {shown}", cue.shares, doc.line_col(m.start())[0])
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    code = "unknown"
    candidates: tuple[str, ...] = ()
    if ranked and ranked[0][1] >= MIN_SCORE - _EPS and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= MARGIN - _EPS):
        code = ranked[0][0]
    elif ranked:
        # No one language stands out, but the languages near the top may together hold
        # enough evidence that the text is a translation from one of them.
        near = tuple(sorted(c for c, s in ranked if s > 0 and ranked[0][1] - s < MARGIN - _EPS))
        if sum(s for c, s in ranked if c in near) >= MIN_SCORE - _EPS:
            candidates = near
    # strongest evidence for the chosen language first, then in order of the text
    lead = code if code != "unknown" else (ranked[0][0] if ranked else "")
    order = sorted(evidence.items(), key=lambda kv: (-dict(kv[1][0]).get(lead, 0) * kv[1][1], kv[1][2]))
    lines = []
    for what, (pairs, count, line) in order:
        langs = "/".join(f"{c}+{round(w, 2):g}" for c, w in pairs)
        times = f" ×{count}" if count > 1 else ""
        lines.append(f"{langs}: {what} (line {line}){times}")
    translated = code != "unknown" or bool(candidates) or any(f.is_rewrite for f in findings)
    return SourceLanguage(code, tuple(lines), tuple((c, round(s, 2)) for c, s in ranked), candidates, translated)


def _note(evidence: dict, what: str, pairs, line: int) -> None:
    if what in evidence:
        evidence[what][1] += 1
    else:
        evidence[what] = [pairs, 1, line]
