"""This tree's one-core speed next to another commit's, measured alternately in one run.

    python benchmarks/compare.py                  # the work tree against HEAD
    python benchmarks/compare.py --against REV [--mb 0.5] [--rounds 3]

On a shared machine two timings taken minutes apart say little; so the commit is exported
with ``git archive`` to a temporary folder (with its own packs) and each side runs, in its
own subprocess, over the same texts, the two sides taking turns ``--rounds`` times; the
best CPU time (time.process_time) of each side is kept. Three measures:

- machine-translated articles and fluent English, as benchmarks/throughput.py builds them
  (distinct copies: names and numbers varied), ms of CPU per MB;
- the floor: the cost of one short document that no rule has anything to say about, in
  microseconds (what every article pays whatever its length: rules asked, nothing found).

A ratio above 1.0 means this tree is faster.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run inside each tree: prints {"mt": ms/MB, "fluent": ms/MB, "floor": us per document}.
# The corpora come from *this* tree's benchmarks/articles.py (passed by path), so both
# sides read the very same texts.
MEASURE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from articles import distinct_corpus
from pathlib import Path
from cleaner import api
rules = api.load_rules()
root, mb = Path(sys.argv[2]), float(sys.argv[3])
mt = distinct_corpus(root, mb, ("seeds/0*.txt",))
fluent = distinct_corpus(root, mb, ("tests/corpus/clean/*.txt", "../shared/corpus/clean-pages/*.txt",
                                    "../shared/corpus/english-news/*.txt"))
tiny = [f"The meeting on day {i} ended at noon." for i in range(400)]
try:  # langdetect loads its profiles on first use (~0.4 s): outside the timings
    from cleaner import langid
    langid.get("langdetect").identify("El gobierno no ha dicho nada sobre la reunión de hoy en Madrid.")
except (ImportError, AttributeError):
    pass
for t in distinct_corpus(root, 0.05, ("seeds/0*.txt",), series=99) + tiny[:20]:
    api.clean_text(t, rules)  # lazy imports and tables load outside the timings
def cpu(texts):
    start = time.process_time()
    for t in texts:
        api.clean_text(t, rules)
    return time.process_time() - start
size = lambda texts: sum(len(t.encode()) for t in texts) / 1e6
out = {"mt": cpu(mt) / size(mt) * 1000, "fluent": cpu(fluent) / size(fluent) * 1000,
       "floor": cpu(tiny) / len(tiny) * 1e6}
print(json.dumps(out))
"""


def export(rev: str, into: Path) -> Path:
    tree = into / "tree"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def measure(tree: Path, mb: float, cache: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(tree), CLEANER_CACHE_DIR=str(cache))
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(ROOT / "benchmarks"), str(ROOT), str(mb)],
        cwd=tree, env=env, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD")
    parser.add_argument("--mb", type=float, default=0.5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        other = export(args.against, Path(tmp))
        sides = {"this tree": ROOT, args.against: other}
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.rounds):
            for name, tree in sides.items():
                got = measure(tree, args.mb, Path(tmp) / f"cache-{abs(hash(name))}")
                mine = best.setdefault(name, got)
                for k, v in got.items():
                    mine[k] = min(mine[k], v)
    a, b = best["this tree"], best[args.against]
    print(f"best of {args.rounds} alternating rounds, {args.mb} MB a corpus (CPU time; lower is better)")
    print(f"{'':34s}{'this tree':>12s}{args.against[:12]:>12s}   ratio")
    rows = (("machine-translated, ms/MB", "mt"), ("fluent English, ms/MB", "fluent"), ("floor, us per short document", "floor"))
    for label, key in rows:
        print(f"{label:34s}{a[key]:12.1f}{b[key]:12.1f}   {b[key] / a[key]:.2f}x")


if __name__ == "__main__":
    main()
