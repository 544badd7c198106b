"""What each rule costs per MB of text, to find the rules worth making cheaper.

    .venv/bin/python benchmarks/kinds.py [--mb 1] [--repeat 5] [--only quotes/,spelling/] [--all]

Two inputs, each replicated to about --mb megabytes: (a) clean news English
(tests/corpus/clean/*.txt), what most input looks like, and (b) the seed articles
(seeds/0*.txt), machine translation with artifacts. Each input is measured two ways:
as article-sized documents (each file its own `Document`, as `cleaner check` reads a
folder) and joined into one document of --mb megabytes.

All default rules run on each document in pack order, as one pass of the engine does, and
each rule's `find` is timed on its own; a rule therefore pays for the document units it is
the first to ask for (paragraphs, sentences, the quote analysis its pack shares), as it
would in a real run. Word tables are loaded and caches warmed by a first run that is not
counted; the best of --repeat runs is kept per rule. Prints ms per MB for the rules of
the quotes, spelling, names and terminology packs (every rule with --all), and the total
of one pass of all default rules.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.document import Document  # noqa: E402
from cleaner.packs import load_rules  # noqa: E402

FOCUS = ("quotes/", "spelling/", "names/", "terminology/")


def corpus(pattern: str, mb: float) -> list[tuple[str, str]]:
    """(format, text) of the matching files, repeated until they reach ``mb`` megabytes."""
    files = sorted(ROOT.glob(pattern))
    texts = [(_format(p), p.read_text(encoding="utf-8")) for p in files]
    out, size = [], 0
    while size < mb * 1e6:
        for fmt, t in texts:
            out.append((fmt, t))
            size += len(t.encode("utf-8"))
    return out


def _format(p: Path) -> str:
    return {".md": "markdown", ".html": "html"}.get(p.suffix, "text")


def joined(docs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("text", "\n\n".join(t for fmt, t in docs if fmt == "text"))]


def per_rule(docs: list[tuple[str, str]], rules, repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` seconds per rule over all ``docs``, plus "TOTAL" for the pass."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        spent = dict.fromkeys([r.id for r in rules], 0.0)
        t0 = time.perf_counter()
        for fmt, text in docs:
            doc = Document(text, format=fmt)
            for r in rules:
                t = time.perf_counter()
                for _f in r.find(doc):
                    pass
                spent[r.id] += time.perf_counter() - t
        spent["TOTAL"] = time.perf_counter() - t0
        for k, v in spent.items():
            best[k] = min(best.get(k, v), v)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated rule-id prefixes to print")
    ap.add_argument("--all", action="store_true", help="print every rule")
    args = ap.parse_args()
    rules = load_rules()
    inputs = {}
    for label, pattern in (("clean", "tests/corpus/clean/*.*"), ("seeds", "seeds/0*.txt")):
        docs = corpus(pattern, args.mb)
        inputs[f"{label}/articles"] = docs
        inputs[f"{label}/joined"] = joined(docs)
    columns = {}
    for label, docs in inputs.items():
        mb = sum(len(t.encode("utf-8")) for _, t in docs) / 1e6
        per_rule(docs[:50], rules, 1)  # warm: tables loaded, caches filled
        columns[label] = {k: v * 1000 / mb for k, v in per_rule(docs, rules, args.repeat).items()}
    prefixes = tuple(p for p in args.only.split(",") if p) or FOCUS
    shown = [r.id for r in rules if args.all or r.id.startswith(prefixes)] + ["TOTAL"]
    width = max(len(k) for k in shown)
    print(f"ms per MB, best of {args.repeat} (one pass of all default rules; --mb {args.mb})")
    print(f"{'rule':{width}}  " + "  ".join(f"{c:>14}" for c in columns))
    for k in shown:
        print(f"{k:{width}}  " + "  ".join(f"{columns[c][k]:14.1f}" for c in columns))


if __name__ == "__main__":
    main()
