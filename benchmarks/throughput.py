"""One-core throughput of all default packs next to ftfy.fix_text, CPU time, in one run.

    python benchmarks/throughput.py [--mb 5] [--repeat 3] [--verbatim] [--packs] [--startup] [--profile OUT]

Two corpora of about --mb megabytes each, made of distinct-looking articles
(benchmarks/articles.py: every copy gets other people's names and other numbers, so no
cache keyed by text, sentence or name can answer a copy from an earlier one):

- machine-translated articles: the seeds (every one needs fixes, so several passes);
- fluent English: tests/corpus/clean, ../shared/corpus/clean-pages and
  ../shared/corpus/english-news (when present): one pass, nothing to change.

For each, in the same process and interleaved --repeat times (the best of each is kept:
the machine is shared), the CPU time (time.process_time) of `api.clean_text` with every
default pack over the texts in memory, and of `ftfy.fix_text(text, uncurl_quotes=False)`
over the same texts; the ratio is ftfy's time over cleaner's (>= 1.0 means cleaner is as
fast as ftfy; the issue's target is 1.0, the long-run goal 2.0). --verbatim adds the
seeds replicated unchanged (what earlier figures measured), --packs each pack alone,
--startup the wall time of one-article `cleaner check` next to `python -c pass`,
--profile writes a cProfile of cleaner on the machine-translated corpus.
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


def compare(name: str, texts: list[str], rules, repeat: int) -> float:
    import ftfy

    config = ftfy.TextFixerConfig(uncurl_quotes=False)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    t_clean, t_ftfy, changes = [], [], 0
    for _ in range(repeat):
        t_ftfy.append(cpu(lambda: [ftfy.fix_text(t, config=config) for t in texts]))
        box = []
        t_clean.append(cpu(lambda: box.append(clean_all(texts, rules))))
        changes = box[0]
    c, f = min(t_clean), min(t_ftfy)
    print(f"{name}: {len(texts)} articles, {mb:.2f} MB, {changes} changes reported")
    print(f"  cleaner, all default packs        {mb / c:6.2f} MB/s  ({c:6.2f} s CPU; runs {', '.join(f'{x:.2f}' for x in t_clean)})")
    print(f"  ftfy.fix_text(uncurl_quotes=False) {mb / f:6.2f} MB/s  ({f:6.2f} s CPU; runs {', '.join(f'{x:.2f}' for x in t_ftfy)})")
    print(f"  ratio cleaner / ftfy: {f / c:.2f}x   (target >= 1.0x, long-run goal 2.0x)")
    return f / c


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
    parser.add_argument("--only", choices=("mt", "fluent"), help="one corpus only")
    args = parser.parse_args()

    rules = api.load_rules()
    mt = distinct_corpus(ROOT, args.mb, MT)
    fluent = distinct_corpus(ROOT, args.mb, FLUENT)
    clean_all(mt[:5] + fluent[:5], rules)  # lazy imports and tables load outside the timings
    if args.profile:
        import cProfile

        cProfile.runctx("clean_all(mt, rules)", globals(), {"mt": mt, "rules": rules}, args.profile)
        print(f"profile written to {args.profile}")
        return
    if args.only != "fluent":
        compare("machine-translated articles (seeds, names and numbers varied per copy)", mt, rules, args.repeat)
    if args.only != "mt":
        compare("fluent English (clean corpora, names and numbers varied per copy)", fluent, rules, args.repeat)
    if args.verbatim:
        seeds = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob(MT[0]))]
        verbatim, size = [], 0
        while size < args.mb * 1e6:
            verbatim.append(seeds[len(verbatim) % len(seeds)])
            size += len(verbatim[-1].encode("utf-8"))
        compare("seeds replicated verbatim (cross-document memos can help)", verbatim, rules, args.repeat)
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
