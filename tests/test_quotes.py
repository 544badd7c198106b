"""The quotes pack beyond its YAML examples: levels, settings, options, seeds, markup."""
from pathlib import Path

import pytest

from cleaner.engine import Options, clean_text
from cleaner.model import Level
from cleaner.packs import PackError, load_pack, load_rules, select_rules

from conftest import CORPUS, SEEDS


@pytest.fixture(scope="module")
def quote_rules(rules):
    return select_rules(rules, ["quotes"])


def _changes(text, rules, **settings):
    result = clean_text(text, rules, Options(settings=settings))
    return result, [(c.finding.rule, c.finding.level, c.finding.before, c.finding.after) for c in result.changes]


def test_capital_used_both_ways_in_the_document_is_only_suggested(quote_rules):
    text = "They praised the “Frank talks”, thanked Frank and were frank."
    result, changes = _changes(text, quote_rules, source_language="fr")
    assert changes == [("quotes/fragment-case", Level.SUGGEST, "F", "f")]
    assert result.cleaned == text


def test_a_name_from_the_people_setting_keeps_its_capital(quote_rules):
    text = "She described the talks with “Frank and his team” as useful."
    assert _changes(text, quote_rules, source_language="fr")[1] == [("quotes/fragment-case", Level.FIX, "F", "f")]
    assert _changes(text, quote_rules, source_language="fr", people=["Frank Miller"])[1] == []


def test_a_full_sentence_quoted_mid_sentence_keeps_its_capital(quote_rules):
    _, changes = _changes("The statement ended with “We are ready.” and nothing else.", quote_rules, source_language="fr")
    assert changes == []


def test_reversed_marks_then_capital_are_both_repaired(quote_rules):
    result, _ = _changes("Russia warned of ” Significant costs “ for the West.", quote_rules, source_language="fr")
    assert result.cleaned == "Russia warned of “significant costs” for the West."


@pytest.mark.parametrize(
    "text",
    [
        "<p>“Hello,” she said.</p>",
        "**“Bold quote”** and _“this”_ stay as they are.",
        "[“A link”](https://example.com) and (“brackets”).",
        "He said “yes”—and then “no”.",
        "“We’re ready,” he said. “The ‘reset’ is over.”",
    ],
)
def test_markup_and_neighbouring_marks_are_left_alone(quote_rules, text):
    result, changes = _changes(text, quote_rules)
    assert changes == [] and result.cleaned == text


def test_a_paragraph_that_cannot_be_paired_is_flagged_not_rewritten(quote_rules):
    text = "“First quote, he said. “Second quote here.\n\nAnd then nothing."
    result, changes = _changes(text, quote_rules)
    assert result.cleaned == text
    assert [c[:2] for c in changes] == [("quotes/unpaired", Level.FLAG)]


def test_multi_paragraph_quotation_is_left_alone(quote_rules):
    path = SEEDS / "004_225ea539e7439093.txt"
    text = path.read_text(encoding="utf-8")
    result, changes = _changes(text, quote_rules)
    assert result.cleaned == text
    # The quotes rules alone see no sign that the page is a translation: the quotation
    # left open at the very end may be a cut excerpt, and nothing else is flagged.
    assert changes == []
    # Every rule: the page's other artifacts show it is translated, so the last, unclosed
    # quotation is flagged, and still none of the multi-paragraph ones.
    result = clean_text(text, load_rules())
    quotes = [(c.finding.rule, c.finding.before) for c in result.changes if c.finding.rule.startswith("quotes/")]
    assert result.source_language.translated
    assert quotes == [("quotes/unclosed-at-end", "security.")]


def test_bad_options_are_refused_with_the_rule_named(tmp_path: Path):
    pack = tmp_path / "q.yaml"
    pack.write_text(
        "pack: q\nrules:\n  - id: q/x\n    kind: quotes\n    check: everything\n    category: quote_misplaced\n"
        "    level: fix\n    message: m\n    examples: [{text: a, result: a}]\n    keep: [a]\n",
        encoding="utf-8",
    )
    with pytest.raises(PackError, match="q/x.*check"):
        load_pack(pack)


def _corruptions(paragraph: str):
    """The ways MT scrambles one quotation, applied to each quotation of a clean paragraph."""
    import re

    for m in re.finditer(r"“([^“”]*)”", paragraph):
        s, e, inner = m.start(), m.end(), m.group(1)
        head, tail = paragraph[:s], paragraph[e:]
        yield "reversed and padded", head + "” " + inner + " “" + tail
        yield "space inside the closer", head + "“" + inner + " ”" + tail
        yield "closer printed as opener", head + "“" + inner + "“" + tail
        yield "opener printed as closer", head + "”" + inner + "”" + tail
        yield "guillemets", head + "«\u00a0" + inner + "\u00a0»" + tail
        if head.endswith(" ") and tail.startswith(" "):
            yield "reversed, spaces swapped", head[:-1] + "” " + inner + " “" + tail[1:]


CLEAN_QUOTES = [
    p
    for f in sorted((CORPUS / "clean").glob("quotes_*.txt"))
    for p in f.read_text(encoding="utf-8").split("\n\n")
    if "“" in p
]


@pytest.mark.parametrize("paragraph", CLEAN_QUOTES, ids=range(len(CLEAN_QUOTES)))
def test_scrambled_quotes_in_clean_paragraphs_are_restored(quote_rules, paragraph):
    for how, scrambled in _corruptions(paragraph):
        assert clean_text(scrambled, quote_rules).cleaned == paragraph, how
