"""The language test corpus (tests/corpus/language/) and the rates measured on it.

Shared by tests/test_language.py (which asserts the rates) and benchmarks/language.py
(which prints them, with costs, for several thresholds).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent / "corpus" / "language"
LEAD = "The talks in Geneva lasted eight hours on Monday."
TAIL = "Both sides agreed to meet again in Brussels next week."


def foreign_sentences() -> dict[str, list[str]]:
    return yaml.safe_load((HERE / "foreign_sentences.yaml").read_text(encoding="utf-8"))


def leftover_words() -> list[dict]:
    return yaml.safe_load((HERE / "leftover_words.yaml").read_text(encoding="utf-8"))


def english_sentences() -> list[str]:
    lines = (HERE / "english.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def embed(sentence: str) -> str:
    """A foreign sentence as MT leaves it: inside an English paragraph."""
    return f"{LEAD} {sentence} {TAIL}"


@dataclass
class Rates:
    found: int = 0
    right_language: int = 0
    total: int = 0
    false_alarms: int = 0
    english: int = 0
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def detection(self) -> float:
        return self.found / self.total if self.total else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.english if self.english else 0.0

    def summary(self, what: str) -> str:
        return (
            f"{what}: detected {self.found}/{self.total} ({self.detection:.0%}), in the right language "
            f"{self.right_language}/{self.total}; false alarms {self.false_alarms}/{self.english} "
            f"English ({self.false_alarm_rate:.1%})"
        )


def _language_changes(result):
    return [c for c in result.changes if c.finding.rule.startswith(("language/", "lang-"))]


def sentence_rates(rules, clean) -> Rates:
    """Whole foreign sentences found by language/foreign-sentence; English ones flagged."""
    rates = Rates()
    for code, sentences in foreign_sentences().items():
        for s in sentences:
            rates.total += 1
            text = embed(s)
            hits = [c for c in clean(text, rules).changes if c.finding.rule == "language/foreign-sentence"]
            # Compared in the original text: another rule may have fixed a word inside it
            # (terminology turns "Ucrania" into "Ukraine") before the last pass flags it.
            if any(text[c.start:c.end] == s for c in hits):
                rates.found += 1
                rates.right_language += any(code in dict(c.finding.evidence) for c in hits)
            else:
                rates.misses.append(f"{code}: {s}")
    for s in english_sentences():
        rates.english += 1
        if _language_changes(clean(s, rules)):
            rates.false_alarms += 1
            rates.alarms.append(s)
    return rates


def word_rates(rules, clean) -> Rates:
    """Leftover function words found (and fixed right where a fix is certain)."""
    rates = Rates()
    for case in leftover_words():
        rates.total += 1
        result = clean(case["text"], rules)
        hits = [c for c in _language_changes(result) if c.finding.before == case["word"]]
        ok = bool(hits) and ("fix" not in case or any(c.finding.after == case["fix"] and c.applied for c in hits))
        if ok:
            rates.found += 1
            rates.right_language += any(case["lang"] in dict(c.finding.evidence) for c in hits)
        else:
            rates.misses.append(f"{case['lang']}: {case['text']}")
    for s in english_sentences():
        rates.english += 1
        if _language_changes(clean(s, rules)):
            rates.false_alarms += 1
            rates.alarms.append(s)
    return rates
