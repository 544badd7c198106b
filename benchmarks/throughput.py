"""One-core throughput of all default packs next to ftfy.fix_text, CPU time, in one run.

    python benchmarks/throughput.py [--mb 5] [--repeat 3] [--verbatim] [--packs] [--startup]
                                    [--profile OUT] [--breakdown] [--only mt|fluent]

Two corpora of about --mb megabytes each, made of distinct-looking articles
(benchmarks/articles.py: every copy gets other people's names and other numbers, so no
cache keyed by text, sentence or name can answer a copy from an earlier one):

- machine-translated articles: the seeds (every one needs fixes, so several passes);
- fluent English: tests/corpus/clean, ../shared/corpus/clean-pages and
  ../shared/corpus/english-news (when present): one pass, nothing to change.

For each, in the same process and interleaved --repeat times (each repeat on other copies,
so memos filled by one repeat do not serve the next; the best of each side is kept: the
machine is shared), the CPU time (time.process_time) of `api.clean_text` with every
default pack over the texts in memory, and of `ftfy.fix_text(text, uncurl_quotes=False)`
over the same texts; the ratio is ftfy's time over cleaner's (>= 1.0 means cleaner is as
fast as ftfy; the issue's target is 1.0, the long-run goal 2.0). --verbatim adds the
seeds replicated unchanged (what earlier figures measured), --packs each pack alone,
--startup the wall time of one-article `cleaner check` next to `python -c pass`,
--profile writes a cProfile of cleaner on the machine-translated corpus, --breakdown
prints where cleaner's CPU time goes on each corpus: per pass (the first, the second, the
rest) and per rule kind, timed rule by rule without a profiler's overhead.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from articles import distinct_corpus  # noqa: E402
from cleaner import api  # noqa: E402
from cleaner.engine import Options  # noqa: E402

MT = ("seeds/0*.txt",)
FLUENT = ("tests/corpus/clean/*.txt", "../shared/corpus/clean-pages/*.txt", "../shared/corpus/english-news/*.txt")


def cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def clean_all(texts: list[str], rules) -> int:
    """Clean every text; the number of changes (so a run that silently did nothing shows)."""
    return sum(len(api.clean_text(t, rules, Options()).changes) for t in texts)


def compare(name: str, corpus, rules, repeat: int) -> float:
    """``corpus(r)``: the texts of repeat r (distinct from every other repeat's, so no memo
    filled in one repeat answers the next); the best rate of each side is kept."""
    import ftfy

    config = ftfy.TextFixerConfig(uncurl_quotes=False)
    r_clean, r_ftfy, changes, count, mb = [], [], 0, 0, 0.0
    for r in range(repeat):
        texts = corpus(r)
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        r_ftfy.append(mb / cpu(lambda: [ftfy.fix_text(t, config=config) for t in texts]))
        box = []
        r_clean.append(mb / cpu(lambda: box.append(clean_all(texts, rules))))
        changes, count = box[0], len(texts)
    c, f = max(r_clean), max(r_ftfy)
    print(f"{name}: {count} articles, {mb:.2f} MB a repeat, {changes} changes reported")
    print(f"  cleaner, all default packs         {c:6.2f} MB/s CPU (repeats: {', '.join(f'{x:.2f}' for x in r_clean)})")
    print(f"  ftfy.fix_text(uncurl_quotes=False) {f:6.2f} MB/s CPU (repeats: {', '.join(f'{x:.2f}' for x in r_ftfy)})")
    print(f"  ratio cleaner / ftfy: {c / f:.2f}x   (target >= 1.0x, long-run goal 2.0x)")
    return c / f


def breakdown(name: str, texts: list[str], rules) -> None:
    """CPU time per pass and per kind: each rule's `find` timed on its own, in the pass it ran."""
    import collections

    from cleaner import engine

    by_pass: collections.Counter = collections.Counter()
    by_kind: collections.Counter = collections.Counter()
    state = {"pass": 0}
    run_rules, settle, new_doc = engine.run_rules, engine._Run.settle, engine._Run.new_doc

    def timed_run_rules(doc, rules_, notices, used=None):
        out = []
        for rule in rules_:
            start = time.process_time()
            out.extend(run_rules(doc, [rule], notices, used))
            spent = time.process_time() - start
            by_pass[min(state["pass"], 2)] += spent
            by_kind[rule.kind if rule.category != "encoding" else "encoding"] += spent
        return sorted(out, key=lambda f: (f.start, f.end, f.rule))

    def timed_settle(self, rules_, *, scoped=True):
        state["pass"] = 0
        return settle(self, rules_, scoped=scoped)

    def counted_new_doc(self, *args, **kwargs):
        state["pass"] += 1
        return new_doc(self, *args, **kwargs)

    engine.run_rules, engine._Run.settle, engine._Run.new_doc = timed_run_rules, timed_settle, counted_new_doc
    try:
        total = cpu(lambda: clean_all(texts, rules))
    finally:
        engine.run_rules, engine._Run.settle, engine._Run.new_doc = run_rules, settle, new_doc
    rules_time = sum(by_pass.values())
    print(f"{name}: {total:.2f} s CPU; rules {rules_time / total:.0%}, the rest (documents, source language, edits) {1 - rules_time / total:.0%}")
    print("  per pass: " + ", ".join(f"{('first', 'second', 'third and later')[k]} {v / total:.0%}" for k, v in sorted(by_pass.items())))
    print("  per kind: " + ", ".join(f"{k} {v / total:.0%}" for k, v in by_kind.most_common()))


def wall(cmd: list[str], runs: int = 7) -> float:
    """Median wall time, with bytecode caching on as in an installed package."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, capture_output=True, check=False, env=env)  # writes the bytecode
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--verbatim", action="store_true", help="also the seeds replicated unchanged")
    parser.add_argument("--packs", action="store_true", help="also each pack alone")
    parser.add_argument("--startup", action="store_true", help="also one-article `cleaner check` wall time")
    parser.add_argument("--profile", help="write a cProfile of cleaner on the machine-translated corpus")
    parser.add_argument("--breakdown", action="store_true", help="where the time goes: per pass and per kind")
    parser.add_argument("--only", choices=("mt", "fluent"), help="one corpus only")
    args = parser.parse_args()

    rules = api.load_rules()
    mt = distinct_corpus(ROOT, args.mb, MT)
    fluent = distinct_corpus(ROOT, args.mb, FLUENT)
    # Lazy imports and tables load outside the timings, on copies no timed run sees; the
    # language identifier loads its profiles on its first call (~0.5 s, once per process).
    from cleaner import langid

    langid.get("langdetect").identify("El gobierno no ha dicho nada sobre la reunión de hoy en Madrid.")
    clean_all(distinct_corpus(ROOT, 0.05, MT, series=99) + distinct_corpus(ROOT, 0.05, FLUENT, series=99), rules)
    if args.profile:
        import cProfile

        cProfile.runctx("clean_all(mt, rules)", globals(), {"mt": mt, "rules": rules}, args.profile)
        print(f"profile written to {args.profile}")
        return
    if args.breakdown:
        breakdown("machine-translated articles", mt, rules)
        breakdown("fluent English", fluent, rules)
        return
    if args.only != "fluent":
        compare("machine-translated articles (seeds, names and numbers varied per copy)",
                lambda r: mt if r == 0 else distinct_corpus(ROOT, args.mb, MT, series=r), rules, args.repeat)
    if args.only != "mt":
        compare("fluent English (clean corpora, names and numbers varied per copy)",
                lambda r: fluent if r == 0 else distinct_corpus(ROOT, args.mb, FLUENT, series=r), rules, args.repeat)
    if args.verbatim:
        seeds = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob(MT[0]))]
        verbatim, size = [], 0
        while size < args.mb * 1e6:
            verbatim.append(seeds[len(verbatim) % len(seeds)])
            size += len(verbatim[-1].encode("utf-8"))
        compare("seeds replicated verbatim (cross-document memos can help)", lambda r: verbatim, rules, args.repeat)
    if args.packs:
        sample = mt[: max(1, len(mt) // 10)]
        smb = sum(len(t.encode()) for t in sample) / 1e6
        print(f"\nper pack alone, CPU, on {smb:.2f} MB of the machine-translated articles:")
        for pack in sorted({r.pack for r in rules}):
            only = [r for r in rules if r.pack == pack]
            t = cpu(lambda: clean_all(sample, only))
            print(f"  {pack:16} {smb / t:8.2f} MB/s")
    if args.startup:
        article = str(ROOT / "seeds" / "000_3ede1ac259845ffe.txt")
        base = wall([sys.executable, "-c", "pass"])
        check = wall([sys.executable, "-m", "cleaner", "check", article])
        print(f"\none-article `cleaner check`: {check:.3f} s wall (python -c pass: {base:.3f} s)")


if __name__ == "__main__":
    main()
