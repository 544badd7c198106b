"""Later passes that reuse the previous pass's findings where the edits left the text alone
(cleaner.locality) report exactly what full passes report."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import api, engine
from cleaner.locality import copied_stretches, crosses_lines

# Fragments that make the default packs rewrite (so there are later passes), flag, or
# leave text alone; paragraphs are runs of them, joined by one or more line breaks.
FRAGMENTS = [
    "The americans Y russians met in Geneva.", "Pro-western leaders spoke , then left.",
    "She said it was “ fine ”.", "Sherman reported that he had insisted.", "rolling. a process began.",
    "NEARLY 100,000 RUSSIAN SOLDIERS AMOUNTED", "El gobierno no ha dicho nada sobre la reunión de hoy.",
    "Talks ended on Monday.", "– “Severe costs” –", "head.” .", "the cold war ended.", "Read also: more news",
    "Mr. Smith went to Washington.", "He said the Europeans would act.", "  ",
]


@pytest.fixture(scope="module")
def rules():
    return api.load_rules()


def _full(rule, doc):
    return list(rule.find(doc))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4), min_size=1, max_size=6),
       st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n", " \n\n"]), min_size=6, max_size=6))
def test_reuse_matches_full_passes(rules, paragraphs, breaks):
    text = "".join(" ".join(p) + breaks[i] for i, p in enumerate(paragraphs))
    reused = api.clean_text(text, rules)
    original = engine._find
    engine._find = _full
    try:
        full = api.clean_text(text, rules)
    finally:
        engine._find = original
    assert reused.cleaned == full.cleaned
    assert [c.to_dict() for c in reused.changes] == [c.to_dict() for c in full.changes]


def test_copied_stretches():
    old = "abc def ghi"
    edits = [(4, 7, "XY"), (11, 11, "!")]
    new = "abc XY ghi!"
    assert copied_stretches(edits, len(new)) == [(0, 4, 0), (6, 10, -1)]
    for s, e, d in copied_stretches(edits, len(new)):
        assert new[s:e] == old[s - d:e - d]


@pytest.mark.parametrize("pattern, crosses", [
    (r"\bfoo[ \t]+bar", False), (r"a\sb", True), (r"[^,]+", True), (r"[^,\n]+", False), (r".+", False),
    (r"(?s).+", True), (r"\p{Lu}\p{Ll}+", False), (r"\p{Cc}", True), (r"[\x00-\x20]", True), (r"\W", True),
])
def test_crosses_lines(pattern, crosses):
    assert crosses_lines(pattern) is crosses
