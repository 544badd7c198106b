"""How fast the review page loads in headless Chromium: the five seeds, and 500 articles.

    .venv/bin/python benchmarks/review.py [--articles 500] [--compare REV]

Prints the page size, the time to build it in Python, and the load time in Chromium
(navigation until the page's script has rendered the first page: html[data-ready]),
the median of three loads. Targets: seeds < 1 s, 500 articles < 5 s. The 500 articles
are the seeds copied under distinct names (100 each).

``--compare REV`` also renders the same data with the page's HTML, CSS and script as
they were at git revision REV, loads the two pages in turn, and prints their load
times side by side with the ratio (the machine is noisy: only a same-run ratio means
anything).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import api  # noqa: E402
from cleaner import review  # noqa: E402
from cleaner.review import page_data, render_html, review_inputs  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def build(paths: list[str], out: Path, rules) -> tuple[float, float, dict]:
    t0 = time.perf_counter()
    items = review_inputs(paths, rules)
    t1 = time.perf_counter()
    data = page_data(items)
    out.write_text(render_html(data), encoding="utf-8")
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, data


def render_with_assets_of(rev: str, data: dict) -> str:
    """The page for ``data`` with the HTML, CSS and script of git revision ``rev``."""
    def old_asset(name: str) -> str:
        return subprocess.run(["git", "show", f"{rev}:cleaner/data/{name}"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout
    current = review._asset
    review._asset = old_asset
    try:
        return render_html(data)
    finally:
        review._asset = current


def load_once(browser, page_path: Path) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    t0 = time.perf_counter()
    page.goto(page_path.as_uri())
    page.wait_for_selector("html[data-ready=true]", timeout=60_000)
    elapsed = time.perf_counter() - t0
    page.close()
    return elapsed


def load_times(browser, paths: list[Path], runs: int = 4) -> list[float]:
    """The median load time of each page, the pages loaded in turn (in reverse order
    every other run, so that neither always comes first)."""
    times: list[list[float]] = [[] for _ in paths]
    order = list(range(len(paths)))
    for _ in range(runs):
        for i in order:
            times[i].append(load_once(browser, paths[i]))
        order.reverse()
    return [statistics.median(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--compare", metavar="REV", help="also time the page as it was at this git revision")
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
                clean, render, data = build(paths, out, rules)
                size = out.stat().st_size / 1e6
                if not args.compare:
                    (loaded,) = load_times(browser, [out])
                    print(f"{label:24} page {size:6.2f} MB  clean {clean:6.2f} s  build {render:5.2f} s  "
                          f"load in Chromium {loaded:5.2f} s")
                    continue
                old = out.with_name("old-" + out.name)
                old.write_text(render_with_assets_of(args.compare, data), encoding="utf-8")
                loaded, before = load_times(browser, [out, old])
                print(f"{label:24} page {size:6.2f} MB  clean {clean:6.2f} s  build {render:5.2f} s  "
                      f"load in Chromium {loaded:5.2f} s, at {args.compare} {before:5.2f} s "
                      f"(ratio {loaded / before:4.2f})")
            browser.close()


if __name__ == "__main__":
    main()
