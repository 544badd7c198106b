"""How fast is the pronoun rule? Prints MB/s; never part of the test suite.

    .venv/bin/python benchmarks/pronouns.py

Measures, on one core:
- the `pronouns/gender` rule alone (one `find` over a fresh Document) on the five seed
  articles repeated to about 1 MB, and on the same text with every he/his/him/she/her
  replaced (the fast path: one regex scan, no cast of people built);
- all default packs together through the engine on the same text (the brief asks >= 4 MB/s);
- `cleaner check` of one seed article, wall time of the whole process.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.document import Document  # noqa: E402
from cleaner.engine import clean_text  # noqa: E402
from cleaner.packs import load_rules  # noqa: E402

PRONOUNS = regex.compile(r"\b(?:he|his|him|himself|she|her|hers|herself)\b", regex.I)


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    seeds = sorted((ROOT / "seeds").glob("0*.txt"))
    one = "\n\n".join(p.read_text(encoding="utf-8") for p in seeds)
    text = "\n\n".join([one] * max(1, 1_000_000 // len(one.encode())))
    plain = PRONOUNS.sub("they", text)
    mb = len(text.encode()) / 1e6
    rules = load_rules()
    (rule,) = [r for r in rules if r.id == "pronouns/gender"]

    def pronoun_only(t: str):
        return lambda: list(rule.find(Document(t)))

    with_p = best_of(3, pronoun_only(text))
    without = best_of(3, pronoun_only(plain))
    print(f"text: {mb:.2f} MB ({len(PRONOUNS.findall(text))} pronouns)")
    print(f"pronouns/gender alone:            {mb / with_p:7.1f} MB/s  ({with_p * 1000:.0f} ms)")
    print(f"pronouns/gender, no pronoun:      {len(plain.encode()) / 1e6 / without:7.1f} MB/s  ({without * 1000:.0f} ms)")
    all_packs = best_of(2, lambda: clean_text(text, rules))
    others = [r for r in rules if r.id != "pronouns/gender"]
    no_pronoun_rule = best_of(2, lambda: clean_text(text, others))
    print(f"all default packs (engine):       {mb / all_packs:7.1f} MB/s  ({all_packs * 1000:.0f} ms)")
    print(f"all default packs but pronouns:   {mb / no_pronoun_rule:7.1f} MB/s  ({no_pronoun_rule * 1000:.0f} ms)")
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "cleaner", "check", str(seeds[3])]
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)  # warm the rule cache
    wall = best_of(3, lambda: subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True))
    print(f"cleaner check {seeds[3].name}: {wall:.3f} s wall")


if __name__ == "__main__":
    main()
