"""Cost that grows with the input, never with its square (issue 15, items 1 and 2).

These tests count work or memory, not seconds (the machine is shared and noisy);
`benchmarks/scaling.py` shows the time and peak memory curves themselves.
"""
import tracemalloc

from cleaner import edits
from cleaner.edits import resolve
from cleaner.kinds import spelling
from cleaner.model import Finding, Level


def _spelling_rule(rules):
    return next(r for r in rules if r.kind == "spelling")


def test_a_very_long_word_costs_little_memory(rules):
    from cleaner.document import Document

    rule = _spelling_rule(rules)
    doc = Document("The report said " + "q" * 3000 + " yesterday.\n")
    tracemalloc.start()
    try:
        list(rule.find(doc))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Candidate strings one edit from a 3,000-letter word would take ~500 MB.
    assert peak < 20_000_000


def test_the_longest_candidate_covers_every_common_word():
    from cleaner.wordtables import common_words

    assert spelling.LONGEST_CANDIDATE >= max(common_words().runs) + 1


def test_a_typo_beside_a_long_word_is_still_found(rules):
    from cleaner import api

    translated = api.Options(settings={"source_language": "fr"})  # typos are rewritten only in translations
    result = api.clean_text("Their responnse came late.\n\n" + "z" * 5000 + "\n", [_spelling_rule(rules)], translated)
    assert "response" in result.cleaned


class _CountingPattern:
    def __init__(self, pattern):
        self.pattern, self.calls = pattern, 0

    def match(self, *args):
        self.calls += 1
        return self.pattern.match(*args)

    def __getattr__(self, name):
        return getattr(self.pattern, name)


def test_a_short_word_inside_a_long_run_of_letters_is_skipped_at_once(monkeypatch):
    counting = _CountingPattern(spelling._LOWER_WORD)
    monkeypatch.setattr(spelling, "_LOWER_WORD", counting)
    text = "the wxyz word and " + "wxyz" * 20_000 + " wxyz."
    spans = spelling._occurrences(text, {"wxyz"})
    assert [text[s:e] for s, e in spans] == ["wxyz", "wxyz"]
    assert counting.calls <= 3  # one regex match per standalone start, not one per hit


def test_resolving_many_findings_compares_each_with_its_neighbours_only(monkeypatch):
    calls = 0
    real = edits._overlap

    def counting(a, b):
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(edits, "_overlap", counting)
    text = "ab " * 20_000
    found = [Finding("r/x", "spacing", Level.FIX, i, i + 1, text[i], "A", "m") for i in range(0, len(text), 3)]
    found += [Finding("r/y", "spacing", Level.FIX, i, i + 2, text[i:i + 2], "", "m") for i in range(0, len(text), 6)]
    res = resolve(found)
    assert len(res.chosen) + len(res.losers) == len(found)
    assert calls < 20 * len(found)  # pairwise would be ~ n² / 2 = 450 million


def test_source_words_count_is_linear_in_a_run_of_particles():
    from cleaner.kinds._language_sentences import _source_words

    class Tokens(list):
        copied = 0

        def __getitem__(self, key):
            if isinstance(key, slice):
                Tokens.copied += len(range(*key.indices(len(self))))
            return list.__getitem__(self, key)

    from cleaner.kinds import _language_sentences as mod

    real = mod._ALPHA_TOKEN.pattern

    class Pattern:
        def findall(self, text):
            return Tokens(real.findall(text))

    class Lazy:
        pattern = Pattern()

    sentence = "Plaza " + "de " * 5000 + "Mayo y Rusia"
    original = mod._ALPHA_TOKEN
    mod._ALPHA_TOKEN = Lazy()
    try:
        count = _source_words(sentence, {"de", "y"}, set(), {"de"})
    finally:
        mod._ALPHA_TOKEN = original
    assert count == 1  # the particles between capitalised words are a name; "y" counts
    assert Tokens.copied < 10 * 5000


def test_a_person_named_all_through_a_long_file_is_explained_once(rules, monkeypatch):
    from cleaner import api
    from cleaner.kinds import pronoun

    calls = 0
    real = pronoun._why

    def counting(person):
        nonlocal calls
        calls += 1
        return real(person)

    monkeypatch.setattr(pronoun, "_why", counting)
    para = "The delegation was led by Wendy Sherman.\n\nSherman, meanwhile, reported that he had insisted.\n\n"
    result = api.clean_text(para * 40, [r for r in rules if r.kind == "pronoun"])
    assert sum("refers to Wendy Sherman" in c.finding.message for c in result.changes) >= 40
    assert calls <= 2  # once per person per pass, not once per pronoun
