"""Score a gold corpus as `cleaner eval` does, but with each page's source language taken
from its ``*.meta.yaml`` (``source_language``) instead of inferred: what the rules scoped
with ``when: {source: ...}`` would report once inference gets the language right.

    .venv/bin/python scripts/eval_known_source.py ../shared/corpus/mt-pages/gold.yaml

A measuring aid, not part of the tool or the test suite.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import api  # noqa: E402
from cleaner.engine import Options  # noqa: E402
from cleaner.evaluate import evaluate, format_evaluation, load_gold  # noqa: E402
from cleaner.packs import load_rules  # noqa: E402


def main(gold: Path) -> None:
    rules = load_rules()
    results = {}
    for name in sorted({e.file for e in load_gold(gold)}):
        meta = gold.parent / name.replace(".txt", ".meta.yaml")
        source = (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("source_language") if meta.exists() else None
        settings = {"source_language": source} if source else {}
        results[name] = api.clean_path(str(gold.parent / name), rules, Options(settings=settings)).result
    print(format_evaluation(evaluate(gold, results)), end="")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
