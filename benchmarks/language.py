"""What language identification costs, and proof that it runs only where needed.

    .venv/bin/python benchmarks/language.py

Prints:
1. the identifier's detection and false-alarm rates at several probability thresholds,
   on the foreign sentences of tests/corpus/language/ and on every English sentence of
   5+ words we have (seeds, tests/corpus/clean, tests/corpus/language/english.txt),
   with and without the cheap pre-test (how the rule's `threshold` was chosen);
2. the cost of one identification, and of the language packs per MB of English news,
   with the number of sentences that reached the identifier;
3. whether checking one clean article imports langdetect at all (it must not).
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from language_corpus import english_sentences, foreign_sentences, sentence_rates, word_rates  # noqa: E402

from cleaner.document import Document  # noqa: E402
from cleaner.engine import clean_text  # noqa: E402
from cleaner.packs import load_rules  # noqa: E402

THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def english_corpus() -> list[str]:
    """Every sentence of 5+ words in our English texts."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("0*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/corpus/clean").glob("*.txt"))]
    out = []
    for text in texts:
        doc = Document(text)
        out += [text[s:e] for s, e in doc.sentences if len(text[s:e].split()) >= 5]
    return out + english_sentences()


def thresholds(rule, ident) -> None:
    matcher = rule.matcher.impl
    foreign = [(code, s) for code, ss in foreign_sentences().items() for s in ss]
    english = english_corpus()
    f_ranked = [(code, ident.identify(s)) for code, s in foreign]
    e_ranked = [(s, ident.identify(s)) for s in english]
    pre = {s for s in english if matcher.needs_identification(s)}
    print(f"\n1. Thresholds ({ident.name}); {len(foreign)} foreign sentences, {len(english)} English sentences "
          f"of 5+ words, {len(pre)} of which pass the pre-test")
    print(f"   {'threshold':>9}  {'found':>7}  {'right lang':>10}  {'false alarms (all)':>18}  {'(after pre-test)':>16}")
    for t in THRESHOLDS:
        found = sum(1 for code, r in f_ranked if r and r[0][0] != "en" and r[0][1] >= t)
        right = sum(1 for code, r in f_ranked if r and r[0][0] == code and r[0][1] >= t)
        alarms = [s for s, r in e_ranked if r and r[0][0] != "en" and r[0][0] in matcher.languages and r[0][1] >= t]
        after = [s for s in alarms if s in pre]
        print(f"   {t:>9.2f}  {found:>3}/{len(foreign):<3}  {right:>6}/{len(foreign):<3}  {len(alarms):>10}/{len(english):<7}  {len(after):>9}/{len(english)}")
    # the pre-test must let every foreign sentence through
    missed = [s for _, s in foreign if not matcher.needs_identification(s)]
    print(f"   foreign sentences the pre-test lets pass as English: {len(missed)}")


def costs(rules, rule) -> None:
    matcher = rule.matcher.impl
    ident = matcher.identifier()
    sentences = english_corpus()
    t = time.perf_counter()
    for s in sentences:
        ident.identify(s)
    per = (time.perf_counter() - t) / len(sentences)
    print(f"\n2. Cost: one identification {per * 1000:.2f} ms ({1 / per:.0f} sentences/s)")
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/corpus/clean").glob("*.txt")))
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("0*.txt")))
    for name, sample in (("clean English corpus", text), ("seed articles (MT output)", seeds)):
        big = (sample + "\n\n") * max(1, int(1_000_000 / len(sample.encode())))
        mb = len(big.encode()) / 1e6
        doc = Document(big)
        needing = sum(1 for s, e in doc.sentences if matcher.needs_identification(big[s:e]))
        matcher.__dict__.pop("_memo", None)
        before = ident.calls
        t = time.perf_counter()
        list(matcher.find(Document(big)))
        dt = time.perf_counter() - t
        calls = ident.calls - before
        lang_rules = [r for r in rules if r.pack == "language" or r.pack.startswith("lang-")]
        prepared = Document(big)
        _ = prepared.sentences, prepared.paragraphs, prepared.protected_words, prepared.lines
        for key in ("_memo", "_verdicts"):
            matcher.__dict__.pop(key, None)
        t = time.perf_counter()
        for r in lang_rules:
            list(r.find(prepared))
        dt_own = time.perf_counter() - t
        t = time.perf_counter()
        clean_text(big, rules)
        dt_every = time.perf_counter() - t
        print(f"   {name}: {mb:.2f} MB, {len(doc.sentences)} sentences, {needing} pass the pre-test "
              f"({needing / len(doc.sentences):.1%}), identifier called {calls} times (repeats answered from memory)")
        print(f"     on text that never repeats, identification would cost {needing} × {per * 1000:.2f} ms = "
              f"{needing * per:.2f} s/MB; without the pre-test {len(doc.sentences)} × {per * 1000:.2f} ms = "
              f"{len(doc.sentences) * per:.1f} s/MB")
        print(f"     sentence check {dt / mb:.2f} s/MB; all language rules on a document whose sentences and "
              f"paragraphs are already cut {dt_own / mb:.2f} s/MB ({mb / dt_own:.1f} MB/s); "
              f"every pack, end to end {mb / dt_every:.2f} MB/s")


def lazy_import() -> None:
    code = (
        "import sys; from cleaner.api import clean_path, load_rules; "
        "r = clean_path(sys.argv[1], load_rules()); print('langdetect' in sys.modules)"
    )
    clean = ROOT / "seeds" / "004_225ea539e7439093.txt"
    out = subprocess.run([sys.executable, "-c", code, str(clean)], capture_output=True, text=True).stdout.strip()
    print(f"\n3. langdetect imported while checking a clean article ({clean.name}): {out}")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cleaner", "check", str(clean)], capture_output=True)
    print(f"   `cleaner check` of that article: {time.perf_counter() - t:.3f} s wall")


def main() -> None:
    rules = load_rules()
    rule = next(r for r in rules if r.id == "language/foreign-sentence")
    print(sentence_rates(rules, clean_text).summary("Test corpus, sentences left behind"))
    print(word_rates(rules, clean_text).summary("Test corpus, words left behind"))
    from cleaner import langid

    for name in langid.IDENTIFIERS:
        try:
            ident = langid.get(name)
        except ImportError:
            print(f"\n({name} is not installed)")
            continue
        thresholds(rule, ident)
        t = time.perf_counter()
        sentences = english_corpus()
        for s in sentences:
            ident.identify(s)
        print(f"   {name}: {(time.perf_counter() - t) / len(sentences) * 1000:.3f} ms a sentence")
    costs(rules, rule)
    lazy_import()


if __name__ == "__main__":
    main()
