"""Party names translated word by word and mistranslated offices: flagged, and evidence of
the language the article was translated from (which scopes the pronoun rule)."""
from cleaner.engine import Options, clean_text
from cleaner.model import Level


def test_a_literal_party_name_is_flagged_and_says_spanish(rules):
    text = ("The Executive has kept one in three promises of the agreement between PSOE and "
            "United We Can.\n\nCarla Ruiz, the spokeswoman, spoke on Monday.\n\n"
            "The minister said the vaccines he will receive are enough.")
    result = clean_text(text, rules)
    assert result.source_language.code == "es"
    got = {(c.finding.rule, c.finding.before, c.finding.level) for c in result.changes}
    assert ("parties/literal-names", "United We Can", Level.FLAG) in got
    # scoped to a subject-dropping source, the stranded "he" is flagged with her name
    (he,) = [c.finding for c in result.changes if c.finding.rule == "pronouns/gender"]
    assert he.before == "he" and "Carla Ruiz" in he.message
    assert result.cleaned == text


def test_offices_are_flagged_with_the_likely_english_office(rules):
    result = clean_text("“We have no secondary cases,” said the Health owner on Friday.", rules)
    (c,) = [c for c in result.changes if c.finding.rule.startswith("people/")]
    assert c.finding.before == "Health owner" and "minister" in c.finding.message.lower()


def test_undersecretary_only_on_romance_sources(rules):
    text = "The delegation was led by the Undersecretary of State Wendy Sherman."
    ids = lambda lang: [c.finding.rule for c in clean_text(text, rules, Options(settings={"source_language": lang})).changes]
    assert "people/office-titles" in ids("es")
    assert "people/office-titles" not in ids("unknown")


def _near(rules, text):
    return [c.finding.before for c in clean_text(text, rules).changes if c.finding.rule == "people/misspelt-figure"]


def test_a_public_figure_one_letter_off_is_flagged(rules):
    assert _near(rules, "Spokeswoman Karin Jean-Pierre said the visit would go ahead.") == ["Karin Jean-Pierre"]
    # a surname made into an English word, in a headline about the person
    assert _near(rules, "Melons at the summit\n\nPrime Minister Giorgia Meloni called Scholz.") == ["Melons"]


def test_transliterations_accents_and_other_families_are_not_flagged(rules):
    assert _near(rules, "Volodymyr Zelenskiy met Viktor Orban and Dmitri Medvedev's envoy.") == []
    assert _near(rules, "Sir John Kerr, a former diplomat, advised John Kerry.") == []
    assert _near(rules, "Lavrov met Wang Yi. In May they met again.") == []
