"""How fast the review page loads in headless Chromium: the five seeds, and 500 articles.

    .venv/bin/python benchmarks/review.py [--articles 500] [--keep DIR]

Prints the page size, the time to build it in Python, and the load time in Chromium
(navigation until the page's script has rendered the first page: html[data-ready]),
the median of three loads. Targets: seeds < 1 s, 500 articles < 5 s. The 500 articles
are the seeds copied under distinct names (100 each).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import api  # noqa: E402
from cleaner.review import build_report, review_inputs  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def build(paths: list[str], out: Path, rules) -> tuple[float, float]:
    t0 = time.perf_counter()
    items = review_inputs(paths, rules)
    t1 = time.perf_counter()
    out.write_text(build_report(items), encoding="utf-8")
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def load_time(browser, page_path: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        t0 = time.perf_counter()
        page.goto(page_path.as_uri())
        page.wait_for_selector("html[data-ready=true]", timeout=60_000)
        times.append(time.perf_counter() - t0)
        page.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rules = api.load_rules()
    seeds = sorted(str(p) for p in (ROOT / "seeds").glob("0*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        batch = tmp / "batch"
        batch.mkdir()
        for i in range(args.articles):
            src = Path(seeds[i % len(seeds)])
            shutil.copy(src, batch / f"{i:04d}_{src.name}")
        pages = {"seeds (5 articles)": (seeds, tmp / "seeds.html"),
                 f"batch ({args.articles} articles)": (sorted(str(p) for p in batch.iterdir()), tmp / "batch.html")}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            for label, (paths, out) in pages.items():
                clean, render = build(paths, out, rules)
                size = out.stat().st_size / 1e6
                loaded = load_time(browser, out)
                print(f"{label:24} page {size:6.2f} MB  clean {clean:6.2f} s  build {render:5.2f} s  "
                      f"load in Chromium {loaded:5.2f} s")
            browser.close()


if __name__ == "__main__":
    main()
