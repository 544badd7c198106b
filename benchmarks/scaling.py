"""Cost against input size: time and peak memory must grow linearly, never faster.

    python benchmarks/scaling.py [--max-mb 50] [--max-word 1000000]

Two series, each input cleaned by `cleaner check` in a fresh process (the library call the
CLI makes; peak memory is the child's maximum resident set, start-up included):
  * one file of N MB: the seed articles joined and repeated (one long document, the case
    where a step that compares every finding with every other one shows);
  * one file holding a single lower-case word of N letters (10^3 .. 10^6), the case where
    a step that builds strings per letter of a word shows.
Each row prints CPU and wall seconds, CPU seconds per MB (or per 10^5 letters) and peak MB,
with the ratio to the first row's per-unit time: a linear cost keeps that ratio near 1
(start-up, ~0.3 s, weighs on the smallest inputs). Target: the 10^6-letter word under 200 MB.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import sys
from cleaner import api
from cleaner.engine import Options
rules = api.load_rules()
outcome = api.clean_path(sys.argv[1], rules, Options())
assert outcome.result.error is None, outcome.result.error
"""


def measure(path: Path) -> tuple[float, float, float]:
    """CPU seconds, wall seconds and peak resident MB of one child process cleaning
    ``path``. CPU time (user + system) is what the trend is read from: on a shared machine
    the wall time says more about the neighbours than about cleaner."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(path)], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{path}: the child failed with exit {proc.returncode}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024  # KB on Linux


def write_articles(path: Path, mb: float) -> None:
    """The seed articles joined and repeated to ``mb`` MB, written piece by piece: this
    process stays small, since a child's peak memory counts its parent's at the fork."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("seeds/0*.txt"))]
    unit = ("\n\n".join(t.strip("\n") for t in texts) + "\n\n").encode("utf-8")
    with path.open("wb") as handle:
        for _ in range(max(1, round(mb * 1e6 / len(unit)))):
            handle.write(unit)


def series(title: str, unit: str, rows: list[tuple[str, float, Path]]) -> None:
    print(f"\n{title}")
    print(f"  {'input':>18} {'CPU s':>8} {'wall s':>8} {'CPU s/' + unit:>16} {'ratio':>6} {'peak MB':>8}")
    first = None
    for label, units, path in rows:
        cpu, wall, peak = measure(path)
        per = cpu / units
        first = first or per
        print(f"  {label:>18} {cpu:8.2f} {wall:8.2f} {per:16.3f} {per / first:6.2f} {peak:8.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-mb", type=float, default=1.0)
    parser.add_argument("--max-mb", type=float, default=50.0)
    parser.add_argument("--max-word", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp, "empty.txt")
        empty.write_text("", encoding="utf-8")
        cpu, wall, peak = measure(empty)
        print(f"start-up (an empty file): {cpu:.2f} CPU s, {wall:.2f} wall s, {peak:.0f} MB peak")
        sizes = [mb for mb in (1, 2, 5, 10, 20, 50) if args.min_mb <= mb <= args.max_mb]
        rows = []
        for mb in sizes:
            path = Path(tmp, f"articles-{mb}mb.txt")
            write_articles(path, mb)
            rows.append((f"{path.stat().st_size / 1e6:.1f} MB", path.stat().st_size / 1e6, path))
        series("one file of seed articles, joined and repeated", "MB", rows)

        rows = []
        n = 1000
        while n <= args.max_word:
            path = Path(tmp, f"word-{n}.txt")
            with path.open("w", encoding="utf-8") as handle:
                for _ in range(n // 1000):
                    handle.write("a" * 1000)
                handle.write("\n")
            rows.append((f"{n:,} letters", n / 1e5, path))
            n *= 10
        series("one file holding one lower-case word", "1e5 letters", rows)
        print("\ntarget: time per unit flat (linear), the 1,000,000-letter word under 200 MB peak")


if __name__ == "__main__":
    main()
