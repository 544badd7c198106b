"""What the spelling check (and the names and terminology packs) cost, per MB of text.

    .venv/bin/python benchmarks/spelling.py [MB]

Reports, on one core:
  * loading the word tables (once per process): the known-word runs (every document), the
    common words (a document with an unknown word or a name spelt two ways), the common
    words as a dict (a document with many unknown words), the dictionary's names;
  * throughput of spelling/typo alone on clean news text (the clean corpus, repeated) and
    on a harder text of varied words with one typo in fifty, where most
    unique words are new and every typo computes its one-edit neighbours;
  * throughput of the names, terminology and spelling packs, and of all default packs.
"""
from __future__ import annotations

import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def news_text(mb: float) -> str:
    """Clean news English (the clean corpus, repeated): what most input looks like."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "corpus" / "clean").glob("*.txt"))]
    block = "\n\n".join(parts)
    return (block * int(mb * 1e6 / len(block) + 1))[: int(mb * 1e6)]


def varied_text(mb: float, seed: int = 0) -> str:
    """Sentences of common words in random order, one word in fifty with a letter doubled
    or two letters swapped: many distinct words, many candidates."""
    from cleaner.wordtables import common_frequencies

    rng = random.Random(seed)
    vocab = [w for w in common_frequencies() if len(w) >= 3]
    out, size = [], 0
    while size < mb * 1e6:
        words = []
        for _ in range(rng.randint(8, 20)):
            w = rng.choice(vocab)
            if rng.random() < 0.02 and len(w) > 4:
                i = rng.randrange(1, len(w) - 1)
                w = w[:i] + w[i] + w[i:] if rng.random() < 0.5 else w[:i] + w[i + 1] + w[i] + w[i + 2:]
            words.append(w)
        sentence = " ".join(words).capitalize() + ". "
        out.append(sentence)
        size += len(sentence)
    return "".join(out)


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    from cleaner.wordtables import common_frequencies, common_words, dictionary_names, known_words

    loaders = [("known-word runs", known_words), ("common-word runs", common_words),
               ("common words as a dict", common_frequencies), ("dictionary names", dictionary_names)]
    for label, load in loaders:
        t = time.perf_counter()
        load()
        secs = time.perf_counter() - t
        load.cache_clear()
        tracemalloc.start()  # memory measured on a second load: tracemalloc slows loading
        load()
        mem = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        print(f"load {label + ':':24} {secs * 1000:6.1f} ms, {mem / 1e6:5.1f} MB")

    from cleaner.document import Document
    from cleaner.engine import clean_text
    from cleaner.packs import load_rules, select_rules

    rules = load_rules()
    texts = {"news": news_text(mb), "varied, 2% typos": varied_text(mb)}
    for label, text in texts.items():
        size = len(text.encode("utf-8")) / 1e6
        for pack in ("spelling", "names", "terminology"):
            chosen = select_rules(rules, [pack])

            def run():
                doc = Document(text)
                for r in chosen:
                    list(r.find(doc))

            secs = timed(run)
            print(f"{label:18} {pack:12} {size / secs:7.1f} MB/s  ({secs * 1000 / size:6.1f} ms per MB)")
        secs = timed(lambda: clean_text(text, rules), repeat=1)
        print(f"{label:18} {'all packs':12} {size / secs:7.1f} MB/s  (clean_text, every default pack)")


if __name__ == "__main__":
    main()
