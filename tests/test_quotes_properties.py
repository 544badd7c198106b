"""Properties of the quotes pack on any text (hypothesis): idempotent, touches only quotation
marks, the spaces, commas and dashes next to them and the case of the first letter inside,
and never leaves a paragraph with fewer balanced pairs than it had."""
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.engine import Options, clean_text
from cleaner.packs import select_rules
from cleaner.quotemarks import HSPACE, MarkSet, balanced_pairs

MARKS = MarkSet().all
PIECES = [
    "he", "said", "Frank", "and", "direct", "the", "costs", "NATO", "I", "Poles", "that", "film",
    "According", "to", "him", "remarked", "5'11", "12", "2020", "de-escalation", "Never",
    "“", "”", '"', "„", "«", "»", "‘", "’", "'",
    " ", " ", " ", "  ", "\u00a0", "\t", "\n", "\n\n",
    ",", ".", ":", ";", "?", "!", "(", ")", "—", "–", "-", "*", "<p>", "\u00ab\u00a0", "\u00a0\u00bb",
]
TEXTS = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.text(alphabet="ab A“”\"«» ,.\n", max_size=40),
)
SETTINGS = settings(max_examples=int(os.environ.get("QUOTES_EXAMPLES", "400")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def quote_rules(rules):
    return select_rules(rules, ["quotes"])


def _clean(text, rules, unsafe=True):
    return clean_text(text, rules, Options(unsafe_fixes=unsafe))


def _paragraphs(text: str) -> list[str]:
    return re.split(r"\n[ \t\u00a0]*\n", text)


#: What a repair may add or take away next to a mark: the comma before an attribution
#: (`cases ” said` -> `cases,” said`) and the Russian dash (`», — he said`).
NEXT_TO_MARKS = ",—–-"


def _skeleton(text: str) -> str:
    """The text without its marks and spaces, and without a comma or dash that touches a
    mark (spaces aside)."""
    bare = [c for c in text if c not in HSPACE]
    keep = []
    for i, c in enumerate(bare):
        if c in MARKS:
            continue
        if c in NEXT_TO_MARKS:
            j, k = i - 1, i + 1
            while j >= 0 and bare[j] in NEXT_TO_MARKS:
                j -= 1
            while k < len(bare) and bare[k] in NEXT_TO_MARKS:
                k += 1
            if (j >= 0 and bare[j] in MARKS) or (k < len(bare) and bare[k] in MARKS):
                continue
        keep.append(c)
    return "".join(keep)


@SETTINGS
@given(TEXTS)
def test_idempotent(quote_rules, text):
    once = _clean(text, quote_rules)
    twice = _clean(once.cleaned, quote_rules)
    assert twice.cleaned == once.cleaned
    assert not [c for c in twice.changes if c.applied]


@SETTINGS
@given(TEXTS)
def test_changes_only_marks_their_spaces_and_the_first_letter_inside(quote_rules, text):
    result = _clean(text, quote_rules)
    before, after = _skeleton(text), _skeleton(result.cleaned)
    assert before.lower() == after.lower()
    recased = sum(a != b for a, b in zip(before, after))
    case_changes = [c for c in result.applied if c.finding.category == "quote_capitalisation"]
    assert recased == len(case_changes)
    for c in case_changes:
        assert len(c.finding.before) == 1 and c.finding.after == c.finding.before.lower()
        i = c.start - 1
        while i >= 0 and text[i] in HSPACE:
            i -= 1
        assert i >= 0 and text[i] in MARKS  # the first letter after a quotation mark


@SETTINGS
@given(TEXTS)
def test_never_fewer_balanced_pairs(quote_rules, text):
    result = _clean(text, quote_rules)
    before, after = _paragraphs(text), _paragraphs(result.cleaned)
    assert len(before) == len(after)
    for b, a in zip(before, after):
        assert balanced_pairs(a) >= balanced_pairs(b), (b, a)


@SETTINGS
@given(TEXTS)
def test_paragraphs_and_lines_are_kept(quote_rules, text):
    result = _clean(text, quote_rules)
    assert result.cleaned.count("\n") == text.count("\n")


def test_a_repair_adds_balanced_pairs():
    """The measure above can move: a reversed pair becomes a balanced one."""
    assert balanced_pairs("did not provide ” response “ at") == 0
    assert balanced_pairs("did not provide “response” at") == 1


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from([",", " ", "\u00a0", "—", "–", "-", " - ", ", — ", "a", "”", "\t", "\n"]), max_size=8).map("".join),
       st.integers(0, 3))
def test_the_dash_check_holds_wherever_the_dash_attribution_matches(text, cut):
    """`_dash_follows` (which spares a `regex` call on most closers) is true wherever
    `_DASH_ATTRIBUTION` matches, for every paragraph end."""
    from cleaner.quotemarks import _DASH_ATTRIBUTION, _dash_follows

    pe = max(0, len(text) - cut)
    for i in range(pe + 1):
        if _DASH_ATTRIBUTION.match(text, i, pe):
            assert _dash_follows(text, i, pe), (text, i, pe)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet="ab “”\"„«»‘’\n", max_size=40), st.sampled_from([MARKS, "“”", '"', "«»\"«"]))
def test_mark_positions_are_what_a_class_scan_finds(text, chars):
    import regex as rx

    from cleaner.quotemarks import _mark_positions

    scan = [(m.start(), m.group()) for m in rx.finditer("[" + rx.escape(chars) + "]", text)]
    assert _mark_positions(text, chars) == scan
