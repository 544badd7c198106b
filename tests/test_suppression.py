"""Inline suppression: off/on regions, disable=RULE for the next block, unused ones reported."""
from cleaner.engine import clean_text

DIRTY = "Lithuania , Latvia and Estonia."
FIXED = "Lithuania, Latvia and Estonia."
RULE = "punctuation/space-before-comma"


def _rules_hit(result):
    return [(c.line, c.finding.rule) for c in result.changes]


def test_off_on_region_in_plain_text(rules):
    text = f"{DIRTY}\n\ncleaner: off\n{DIRTY}\ncleaner: on\n\n{DIRTY}\n"
    r = clean_text(text, rules)
    assert r.cleaned == f"{FIXED}\n\ncleaner: off\n{DIRTY}\ncleaner: on\n\n{FIXED}\n"
    assert r.unused_suppressions == []


def test_off_without_on_runs_to_the_end(rules):
    r = clean_text(f"{DIRTY}\n\n<!-- cleaner: off -->\n\n{DIRTY}\n", rules, fmt="markdown")
    assert r.cleaned == f"{FIXED}\n\n<!-- cleaner: off -->\n\n{DIRTY}\n"


def test_disable_covers_the_next_block_only(rules):
    for fmt, directive in (("text", f"cleaner: disable={RULE}"), ("markdown", f"<!-- cleaner: disable={RULE} -->"),
                           ("html", f"<!-- cleaner: disable=stray_punctuation,{RULE} -->")):
        text = f"{directive}\n\n{DIRTY}\n{DIRTY}\n\n{DIRTY}\n"
        r = clean_text(text, rules, fmt=fmt)
        assert r.cleaned == f"{directive}\n\n{DIRTY}\n{DIRTY}\n\n{FIXED}\n", fmt
        assert r.unused_suppressions == []


def test_disable_by_pack_and_category(rules):
    for name in ("punctuation", "spacing"):
        r = clean_text(f"cleaner: disable={name}\n{DIRTY}\n", rules)
        assert r.cleaned == f"cleaner: disable={name}\n{DIRTY}\n"


def test_disable_of_another_rule_does_not_suppress(rules):
    r = clean_text(f"cleaner: disable=capitalisation/demonym\n{DIRTY}\n", rules)
    assert r.cleaned == f"cleaner: disable=capitalisation/demonym\n{FIXED}\n"
    (unused,) = r.unused_suppressions
    assert unused.line == 1 and "capitalisation/demonym" in unused.finding.message


def test_unused_off_region_is_reported(rules):
    r = clean_text("Fine text.\n\ncleaner: off\nAlso fine.\ncleaner: on\n", rules)
    assert [c.line for c in r.unused_suppressions] == [3]


def test_directive_inside_code_is_an_example_not_a_directive(rules):
    text = f"```\n<!-- cleaner: off -->\n```\n\n{DIRTY}\n"
    r = clean_text(text, rules, fmt="markdown")
    assert r.cleaned == f"```\n<!-- cleaner: off -->\n```\n\n{FIXED}\n"
    assert r.unused_suppressions == []


def test_bare_directive_is_prose_in_markdown(rules):
    text = f"cleaner: off\n\n{DIRTY}\n"
    assert clean_text(text, rules, fmt="markdown").cleaned == f"cleaner: off\n\n{FIXED}\n"


def test_disable_covers_the_next_html_element(rules):
    text = f"<!-- cleaner: disable={RULE} -->\n<p>{DIRTY}\n{DIRTY}</p>\n<p>{DIRTY}</p>\n"
    r = clean_text(text, rules, fmt="html")
    assert r.cleaned == f"<!-- cleaner: disable={RULE} -->\n<p>{DIRTY}\n{DIRTY}</p>\n<p>{FIXED}</p>\n"


def test_disable_covers_the_next_markdown_block(rules):
    text = f"<!-- cleaner: disable={RULE} -->\n<!-- cleaner: disable=capitalisation -->\n- {DIRTY}\n- {DIRTY}\n# {DIRTY}\n"
    r = clean_text(text, rules, fmt="markdown")
    assert r.cleaned == text[: text.index("# ")] + f"# {FIXED}\n"
    assert [c.line for c in r.unused_suppressions] == [2]


def test_add_suppressions_targets_the_block_in_markdown_and_html(rules):
    from cleaner.api import Options
    from cleaner.document import Document
    from cleaner.suppression import add_suppressions

    cases = {
        "markdown": f"# Title\n\nIntro.\n\n- one\n- {DIRTY}\n- three\n\nEnd , here.\n",
        "html": f"<html><body>\n<h1>Title</h1>\n<div>\n<p>Intro.</p>\n<ul><li>{DIRTY}</li></ul>\n</div>\n</body></html>\n",
    }
    for fmt, text in cases.items():
        r = clean_text(text, rules, Options(), fmt=fmt)
        assert r.changes
        annotated, skipped = add_suppressions(r, Document(text, format=fmt))
        assert skipped == 0
        again = clean_text(annotated, rules, fmt=fmt)
        assert again.changes == [] and again.unused_suppressions == [], fmt
        assert annotated.count("<!-- cleaner: disable=") == (2 if fmt == "markdown" else 1)
