"""Start-up cost of `cleaner check` on one article, side by side with
`python -c "import regex, click, yaml"` (the floor: the libraries cleaner cannot do without).

A pre-commit hook runs on every commit, so one article must answer about as fast as
Python can import what it needs. Targets (issue 12): with a warm cache, at most 2.0x
the floor; the first run after install (bytecode compiled, as pip does, but an empty
cache: every pack validated) under 3 s.

Runs alternate between the commands (the machine may be shared and noisy), bytecode
caching on as in an installed package; medians and bests are printed with the ratio.

    python benchmarks/startup.py [--runs 15]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = {
    "text": ROOT / "tests/corpus/clean/repos_plain_article.txt",
    "markdown": ROOT / "tests/corpus/clean/repos_markdown_article.md",
    "html": ROOT / "tests/corpus/clean/repos_html_article.html",
    "seed (dirty text)": ROOT / "seeds/000_3ede1ac259845ffe.txt",
}
TARGET_RATIO, TARGET_FIRST = 2.0, 3.0


def _cleaner() -> list[str]:
    script = Path(sys.executable).with_name("cleaner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cleaner"]


def _time(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cleaner-startup-"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CLEANER_NO_CACHE")}
    env["CLEANER_CACHE_DIR"] = str(tmp / "cache")
    py, cleaner = sys.executable, _cleaner()
    floor = [py, "-c", "import regex, click, yaml"]
    try:
        # first run after install: bytecode written (pip compiles it), the cache empty
        subprocess.run(cleaner + ["--version"], capture_output=True, env=env)
        firsts = []
        for i in range(3):
            first_env = dict(env, CLEANER_CACHE_DIR=str(tmp / f"first-{i}"))
            firsts.append(_time(cleaner + ["check", str(ARTICLES["text"])], first_env))
        rows = {"python -c pass": [py, "-c", "pass"], 'python -c "import regex, click, yaml"': floor}
        for name, path in ARTICLES.items():
            rows[f"cleaner check ({name})"] = cleaner + ["check", str(path)]
        rows["cleaner check --no-cache (text)"] = cleaner + ["check", "--no-cache", str(ARTICLES["text"])]
        for cmd in rows.values():  # warm: packs validated and cached, results cached
            subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env)
        times: dict[str, list[float]] = {label: [] for label in rows}
        for _ in range(args.runs):
            for label, cmd in rows.items():
                times[label].append(_time(cmd, env))
        base = statistics.median(times['python -c "import regex, click, yaml"'])
        print(f"{'command (warm cache)':44} {'median':>8} {'best':>8} {'x floor':>8}")
        for label, ts in times.items():
            med = statistics.median(ts)
            verdict = ""
            if label.startswith("cleaner"):
                verdict = "  ok" if med / base <= TARGET_RATIO else f"  over the {TARGET_RATIO}x target"
            print(f"{label:44} {med:8.3f} {min(ts):8.3f} {med / base:8.2f}{verdict}")
        first = statistics.median(firsts)
        verdict = "ok" if first < TARGET_FIRST else f"over the {TARGET_FIRST} s target"
        print(f"\nfirst run after install (empty cache: every pack validated), median of 3: "
              f"{first:.2f} s (best {min(firsts):.2f} s)  {verdict}")
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
              f"on {os.cpu_count()} cores (a shared machine makes every figure noisy)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
