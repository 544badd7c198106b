"""A Parquet dataset cleaned three ways, side by side in one run (issue 13):

1. ``cleaner fix DATA --text-column text -o OUT -j 1`` (one process);
2. the same with ``-j 2`` (the batch engine's worker pool);
3. ``cleaner fix DATA --text-column text -o OUTDIR --scheduler local -j 2`` (a Dask
   ``LocalCluster`` of 2 worker processes; its start-up is included in the time).

For each: wall time, rows per second, the speed-up over one process, the peak memory of
the largest single process (getrusage) and of the whole process tree (sampled), and
whether the cleaned rows equal the one-process run's.

Rows are made of one to three paragraphs of the seeds, tests/corpus and ../shared/corpus
(when present), taken round-robin in a varied order, each row given a distinct fluent
line; an id column and a numeric column ride along. Default 100,000 rows (``--rows`` for
a quick run). The machine may be shared: the load average is printed, and the ratios are
what to read.

    python benchmarks/datasets.py [--rows 100000] [--skip-dask]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SUFFIXES = (".txt", ".md")


def paragraphs() -> list[str]:
    roots = [ROOT / "seeds", ROOT / "tests" / "corpus", ROOT.parent / "shared" / "corpus"]
    out = []
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES and p.name != "README.md"):
            text = path.read_text(encoding="utf-8", errors="replace")
            out.extend(p.strip() for p in text.split("\n\n") if len(p.strip()) > 40)
    return out


def make_dataset(path: Path, rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    paras = paragraphs()
    step = 7919  # a prime: consecutive rows take paragraphs from far apart
    writer = None
    for start in range(0, rows, 10_000):
        ids, texts, numbers = [], [], []
        for i in range(start, min(start + 10_000, rows)):
            k = 1 + i % 3
            chosen = [paras[(i * step + j) % len(paras)] for j in range(k)]
            texts.append("\n\n".join(chosen) + f"\n\nThis copy was filed as number {i} by the archive desk.\n")
            ids.append(f"row-{i:07d}")
            numbers.append(i * 0.5)
        table = pa.table({"id": ids, "text": texts, "score": pa.array(numbers, type=pa.float64())})
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=5_000)
    writer.close()


def _cleaner() -> list[str]:
    script = Path(sys.executable).with_name("cleaner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cleaner"]


def measure(args: list[str]) -> dict:
    """Run one command; wall time, largest process's peak RSS, peak RSS of the whole tree."""
    import psutil

    wrapper = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", wrapper, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    peak_tree = 0
    stop = threading.Event()

    def sample():
        nonlocal peak_tree
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            peak_tree = max(peak_tree, total)
            stop.wait(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    thread.join()
    maxrss, code = out.split()[-2:]
    return {"wall": wall, "rss": int(maxrss) / 1024, "tree": peak_tree / 2**20, "code": int(code)}


def texts(path: Path) -> list:
    import pyarrow.parquet as pq

    if path.is_dir():
        return [t for part in sorted(path.glob("part-*.parquet")) for t in pq.read_table(part).column("text").to_pylist()]
    return pq.read_table(path).column("text").to_pylist()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    env_cache = os.environ.setdefault("CLEANER_CACHE_DIR", tempfile.mkdtemp(prefix="cleaner-bench-cache-"))
    with tempfile.TemporaryDirectory(prefix="cleaner-datasets-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data.parquet"
        make_dataset(data, args.rows)
        print(f"{args.rows:,} rows, {data.stat().st_size / 2**20:.1f} MiB Parquet; "
              f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; cache {env_cache}")
        base = [*_cleaner(), "fix", str(data), "--text-column", "text", "--id-column", "id", "-q"]
        subprocess.run([*_cleaner(), "rules", "list"], stdout=subprocess.DEVNULL)  # fill the pack cache first
        runs = [("1 process", tmp / "one.parquet", ["-j", "1"]),
                ("--jobs 2", tmp / "two.parquet", ["-j", "2"])]
        if not args.skip_dask:
            runs.append(("Dask LocalCluster, 2 workers", tmp / "dask", ["--scheduler", "local", "-j", "2"]))
        results = []
        for name, out, extra in runs:
            m = measure([*base, "-o", str(out), *extra])
            results.append((name, out, m))
        reference = texts(runs[0][1])
        print(f"{'':30} {'wall s':>8} {'rows/s':>8} {'speed-up':>9} {'largest MiB':>12} {'tree MiB':>9} "
              f"{'exit':>5} same output")
        for name, out, m in results:
            same = texts(out) == reference
            print(f"{name:30} {m['wall']:8.1f} {args.rows / m['wall']:8.0f} "
                  f"{results[0][2]['wall'] / m['wall']:8.2f}x {m['rss']:12.0f} {m['tree']:9.0f} {m['code']:5d} {same}")
        print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
