"""Start-up cost of `cleaner check` on one article, next to `python -c pass`.

A pre-commit hook runs on every commit, so one article must answer quickly (the
project's bar: 0.15 s wall; the issue's: 0.3 s). Each command runs once to warm the rule
cache, then ``--runs`` times; the median and the best wall times are printed.

    python benchmarks/startup.py [--runs 15]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = {
    "text": ROOT / "tests/corpus/clean/repos_plain_article.txt",
    "markdown": ROOT / "tests/corpus/clean/repos_markdown_article.md",
    "html": ROOT / "tests/corpus/clean/repos_html_article.html",
    "seed (dirty text)": ROOT / "seeds/000_3ede1ac259845ffe.txt",
}
BAR = 0.15


def wall(cmd: list[str], runs: int) -> tuple[float, float]:
    subprocess.run(cmd, capture_output=True, cwd=ROOT)  # warm caches (rule packs, OS)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    py = sys.executable
    rows = [("python -c pass", [py, "-c", "pass"])]
    rows.append(("python -m cleaner --version", [py, "-m", "cleaner", "--version"]))
    for name, path in ARTICLES.items():
        rows.append((f"cleaner check ({name})", [py, "-m", "cleaner", "check", str(path)]))
    print(f"{'command':40} {'median':>8} {'best':>8}")
    for label, cmd in rows:
        med, best = wall(cmd, args.runs)
        flag = "" if "cleaner check" not in label else ("  ok" if med < BAR else f"  over the {BAR} s bar")
        print(f"{label:40} {med:8.3f} {best:8.3f}{flag}")


if __name__ == "__main__":
    main()
