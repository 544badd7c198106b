"""Throughput of the default packs against ftfy.fix_text, and the wall time of one check.

    python benchmarks/throughput.py [--mb 20] [--repeat 1]

Replicates the seed articles to at least --mb megabytes of files, then times, in one
run on one core: `cleaner check` over them (the library call the CLI makes, files read
from disk), `ftfy.fix_text` over the same texts, and each pack alone. Then the wall
time of `cleaner check` on one article in a fresh process, next to `python -c pass`.
The targets: >= 4 MB/s, >= 2x ftfy, one-article check <= 0.15 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import api  # noqa: E402
from cleaner.engine import Options  # noqa: E402


def replicate(target_mb: float, folder: Path, pattern: str = "seeds/0*.txt") -> tuple[list[Path], int]:
    seeds = sorted(ROOT.glob(pattern))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    paths, size, i = [], 0, 0
    while size < target_mb * 1e6:
        text = texts[i % len(texts)]
        p = folder / f"{i:05d}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
        size += len(text.encode("utf-8"))
        i += 1
    return paths, size


def time_it(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def wall(cmd: list[str], runs: int = 7) -> float:
    """Median wall time, with bytecode caching on as in an installed package (pip compiles
    it at install; a sandbox that sets PYTHONDONTWRITEBYTECODE would recompile every run)."""
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
    parser.add_argument("--mb", type=float, default=20.0)
    args = parser.parse_args()
    import ftfy

    rules = api.load_rules()
    with tempfile.TemporaryDirectory() as tmp:
        paths, size = replicate(args.mb, Path(tmp))
        mb = size / 1e6
        texts = [p.read_text(encoding="utf-8") for p in paths]
        print(f"corpus: {len(paths)} files, {mb:.1f} MB (the five seeds replicated)")

        t_clean = time_it(lambda: [o for o in api.clean_paths(list(map(str, paths)), rules, Options())])
        config = ftfy.TextFixerConfig(uncurl_quotes=False)
        t_ftfy = time_it(lambda: [ftfy.fix_text(t, config=config) for t in texts])
        print(f"cleaner check (all default packs): {mb / t_clean:6.2f} MB/s  ({t_clean:.2f} s)")
        print(f"ftfy.fix_text (uncurl_quotes=False): {mb / t_ftfy:6.2f} MB/s  ({t_ftfy:.2f} s)")
        print(f"ratio cleaner / ftfy: {t_ftfy / t_clean:.2f}x   (targets: >= 4 MB/s and >= 2x)")

        clean_dir = Path(tmp) / "clean"
        clean_dir.mkdir()
        cpaths, csize = replicate(args.mb / 4, clean_dir, "tests/corpus/clean/*.txt")
        t_fluent = time_it(lambda: [o for o in api.clean_paths([str(clean_dir)], rules, Options())])
        print(f"fluent English (tests/corpus/clean replicated, {csize / 1e6:.1f} MB): {csize / 1e6 / t_fluent:6.2f} MB/s")

        sample = texts[: max(1, len(texts) // 10)]
        smb = sum(len(t.encode()) for t in sample) / 1e6
        print(f"\nper pack, on {smb:.1f} MB:")
        for pack in sorted({r.pack for r in rules}):
            only = [r for r in rules if r.pack == pack]
            t = time_it(lambda: [api.clean_text(x, only) for x in sample])
            print(f"  {pack:16} {smb / t:8.2f} MB/s")

    article = str(ROOT / "seeds" / "000_3ede1ac259845ffe.txt")
    base = wall([sys.executable, "-c", "pass"])
    check = wall([sys.executable, "-m", "cleaner", "check", article])
    print(f"\none-article `cleaner check`: {check:.3f} s wall (python -c pass: {base:.3f} s; target <= 0.15 s)")


if __name__ == "__main__":
    main()
