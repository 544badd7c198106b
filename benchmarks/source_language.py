"""How well does cleaner infer the language an article was translated from?

    .venv/bin/python benchmarks/source_language.py [-v]

Prints, per folder, how many articles were inferred as which source language against
the truth (an article whose evidence names a family of languages but no one of them
shows as "es|it|pt": rules scoped to a list holding the whole family run on it):
- ../shared/corpus/mt-pages/ (truth: each page's ``*.meta.yaml`` ``source_language``);
- seeds/ (truth below: 000 es, 001 fr, 002 fr, 003 es; 004 gives too little to tell);
- English-original text (../shared/corpus/english-news/, clean-pages/, tests/corpus/clean/),
  whose truth is "none": a source language there would turn on rules scoped to
  translated text, so any such article is listed by name.
Last, the cost of the cues (``infer`` with no findings) against a whole clean, on the
English-original text, where every cue should be skipped by its literals.
``-v`` lists, for every article inferred wrongly or not at all, the scores and the
evidence. Folders that are absent are skipped.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.document import Document  # noqa: E402
from cleaner.engine import clean_text  # noqa: E402
from cleaner.packs import load_rules  # noqa: E402
from cleaner.source_language import cues, infer  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = {"000": "es", "001": "fr", "002": "fr", "003": "es", "004": "unknown"}
NONE = "none"  # the truth for English-original text: not translated


def inferred(result) -> str:
    """The inferred language; when only a family is known, its members joined by "|"."""
    src = result.source_language
    if src is None:
        return "unknown"
    return src.code if src.known or not src.candidates else "|".join(src.candidates)


def mt_pages() -> list[tuple[Path, str]]:
    folder = CORPUS / "mt-pages"
    out = []
    for meta in sorted(folder.glob("*.meta.yaml")):
        truth = yaml.safe_load(meta.read_text(encoding="utf-8"))["source_language"]
        out.append((meta.with_name(meta.name.replace(".meta.yaml", ".txt")), truth))
    return out


def folders() -> list[tuple[str, list[tuple[Path, str]]]]:
    out = []
    if (CORPUS / "mt-pages").is_dir():
        out.append(("mt-pages", mt_pages()))
    seeds = sorted((ROOT / "seeds").glob("0*.txt"))
    out.append(("seeds", [(p, SEEDS.get(p.name[:3], "unknown")) for p in seeds]))
    for name, folder in (("english-news", CORPUS / "english-news"), ("clean-pages", CORPUS / "clean-pages"),
                         ("tests/corpus/clean", ROOT / "tests" / "corpus" / "clean")):
        if folder.is_dir():
            out.append((name, [(p, NONE) for p in sorted(folder.glob("*.txt"))]))
    return out


def main(verbose: bool) -> int:
    rules = load_rules()
    false_source = 0
    for name, items in folders():
        table: Counter = Counter()
        misses = []
        for path, truth in items:
            result = clean_text(path.read_text(encoding="utf-8"), rules, path=str(path))
            got = inferred(result)
            shown = NONE if truth == NONE and got == "unknown" else got
            table[(truth, shown)] += 1
            if shown != truth:
                misses.append((path, truth, got, result.source_language))
            if truth == NONE and got != "unknown":  # a family counts: it turns scoped rules on
                false_source += 1
            elif truth == NONE and verbose and result.source_language and result.source_language.scores:
                print(f"  ({path.name}: some evidence, scores {result.source_language.scores})")
                for line in result.source_language.evidence[:4]:
                    print(f"      {line}")
        right = sum(n for (t, g), n in table.items() if t == g)
        family = sum(n for (t, g), n in table.items() if t != g and t in g.split("|"))
        print(f"\n{name}: {right}/{len(items)} right, {family} more narrowed to a family holding the truth")
        for truth in sorted({t for t, _ in table}):
            row = {g: n for (t, g), n in table.items() if t == truth}
            total = sum(row.values())
            cells = ", ".join(f"{g} {n}" for g, n in sorted(row.items(), key=lambda kv: -kv[1]))
            print(f"  truth {truth:<8} {total:>3} articles -> {cells}")
        for path, truth, got, src in misses:
            if truth == NONE:
                print(f"  FALSE SOURCE {path.name}: {got}")
            if verbose:
                print(f"  - {path.name}: truth {truth}, inferred {got}; scores {src.scores if src else ()}")
                for line in (src.evidence if src else ())[:8]:
                    print(f"      {line}")
    print(f"\nEnglish-original articles given a source language: {false_source}")
    cost(rules)
    return 1 if false_source else 0


def cost(rules) -> None:
    texts = [p.read_text(encoding="utf-8") for f in (CORPUS / "english-news", CORPUS / "clean-pages")
             if f.is_dir() for p in sorted(f.glob("*.txt"))]
    if not texts:
        return
    mb = sum(len(t.encode()) for t in texts) / 1e6
    cues()  # loaded once, as in a run
    def timed(fn) -> float:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            for text in texts:
                fn(text)
            best = min(best, time.perf_counter() - t)
        return best
    inferring = timed(lambda text: infer(Document(text), []))
    documents = timed(lambda text: Document(text))
    cleaning = timed(lambda text: clean_text(text, rules))
    cue_time = max(inferring - documents, 0.0)
    print(f"\nCost on {mb:.2f} MB of English-original text ({len(cues())} cues): cues {cue_time / mb * 1000:.1f} ms/MB, "
          f"whole clean {cleaning / mb * 1000:.0f} ms/MB (cues = {cue_time / cleaning:.1%} of a clean)")


if __name__ == "__main__":
    sys.exit(main("-v" in sys.argv[1:]))
