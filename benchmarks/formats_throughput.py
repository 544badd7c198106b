"""Throughput of the format layer (Markdown, HTML) and of a whole clean per format.

Builds a ~1 MB document of each format from the clean corpus articles and times the
layout (parse + protected spans) alone and a whole `clean_text` with the default packs.

    python benchmarks/formats_throughput.py
"""
from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests/corpus/clean"
SIZE = 1_000_000


def documents() -> dict[str, str]:
    txt = (CORPUS / "repos_plain_article.txt").read_text(encoding="utf-8")
    md = (CORPUS / "repos_markdown_article.md").read_text(encoding="utf-8")
    html = (CORPUS / "repos_html_article.html").read_text(encoding="utf-8")
    md_body = md.split("---\n", 2)[2]
    html_body = html.split("<body>")[1].split("</body>")[0]
    return {
        "text": "\n\n".join([txt] * (SIZE // len(txt))),
        "markdown": md + ("\n\n" + md_body) * (SIZE // len(md_body)),
        "html": html.replace("</body>", html_body * (SIZE // len(html_body)) + "</body>"),
    }


def best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    from cleaner.engine import clean_text
    from cleaner.formats import layout
    from cleaner.packs import load_rules

    rules = load_rules()
    print(f"{'format':10} {'MB':>6} {'layout MB/s':>12} {'clean MB/s':>11}")
    for fmt, text in documents().items():
        mb = len(text.encode("utf-8")) / 1e6
        lay = best(lambda: layout(text, fmt))
        whole = best(lambda: clean_text(text, rules, fmt=fmt), runs=1)
        print(f"{fmt:10} {mb:6.2f} {mb / lay if lay > 1e-6 else float('inf'):12.1f} {mb / whole:11.2f}")


if __name__ == "__main__":
    main()
