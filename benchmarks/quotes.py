"""What the quotes pack costs next to all other default packs together (issue 3).

Runs each group of rules over the seed articles replicated to about 1 MB: one pass of
finding (``run_rules`` on a fresh Document, so each group pays for the units it needs)
and a full ``clean_text`` to a fixed point. Also times the quotes pack on the same text
with every double quotation mark removed, which must cost almost nothing (a regex scan).

    .venv/bin/python benchmarks/quotes.py [--copies N] [--repeat R]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from cleaner.document import Document
from cleaner.engine import clean_text, run_rules
from cleaner.packs import load_rules
from cleaner.quotemarks import MarkSet

ROOT = Path(__file__).resolve().parent.parent


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=25)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("0*.txt")))
    text = "\n\n".join([seeds] * args.copies)
    no_marks = text.translate({ord(c): None for c in MarkSet().all})
    rules = load_rules()
    quotes = [r for r in rules if r.pack == "quotes"]
    others = [r for r in rules if r.pack != "quotes"]
    mb = len(text.encode("utf-8")) / 1e6
    print(f"text: {mb:.2f} MB ({args.copies} copies of the seeds); {len(quotes)} quotes rules, {len(others)} other rules")

    def one_pass(group, t=text):
        return lambda: run_rules(Document(t), group, [])

    def full(group, t=text):
        return lambda: clean_text(t, group)

    q1, o1 = best(one_pass(quotes), args.repeat), best(one_pass(others), args.repeat)
    qf, of = best(full(quotes), args.repeat), best(full(others), args.repeat)
    qn, on = best(one_pass(quotes, no_marks), args.repeat), best(one_pass(others, no_marks), args.repeat)
    print(f"one pass     quotes {q1 * 1000:8.1f} ms ({mb / q1:6.1f} MB/s)   others {o1 * 1000:8.1f} ms ({mb / o1:6.1f} MB/s)   ratio {q1 / o1:.2f}")
    print(f"clean_text   quotes {qf * 1000:8.1f} ms ({mb / qf:6.1f} MB/s)   others {of * 1000:8.1f} ms ({mb / of:6.1f} MB/s)   ratio {qf / of:.2f}")
    print(f"no marks     quotes {qn * 1000:8.1f} ms ({mb / qn:6.1f} MB/s)   others {on * 1000:8.1f} ms ({mb / on:6.1f} MB/s)   ratio {qn / on:.3f}")
    print(f"quotes pass / rest of the default packs (clean_text): {qf / of:.2f} (must be <= 1)")


if __name__ == "__main__":
    main()
