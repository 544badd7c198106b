"""The engine: passes to a fixed point, protection, timeouts, non-convergence."""
import pytest

from cleaner.engine import ConvergenceError, Options, clean_text
from cleaner.packs import build_rule
from pathlib import Path


def rule(**options):
    raw = {
        "id": "t/" + options.pop("name", "r"),
        "kind": "pattern",
        "category": "other",
        "level": options.pop("level", "fix"),
        "message": "m",
        "examples": [],
        "keep": [],
        **options,
    }
    return build_rule(Path("t.yaml"), "t", raw)


def test_reports_every_change_with_original_offsets():
    text = "one two three"
    r = clean_text(text, [rule(pattern="two", replace="2"), rule(name="s", pattern="three", replace="3")])
    assert r.cleaned == "one 2 3"
    assert [(c.start, c.end, c.finding.before, c.finding.after) for c in r.changes] == [
        (4, 7, "two", "2"),
        (8, 13, "three", "3"),
    ]


def test_passes_repeat_until_nothing_changes():
    r = clean_text("aaaa", [rule(pattern="aa", replace="a")])
    assert r.cleaned == "a"
    assert all(c.applied for c in r.changes)


def test_non_convergence_names_the_rules():
    rules = [rule(name="ab", pattern="a", replace="b"), rule(name="ba", pattern="b", replace="a")]
    with pytest.raises(ConvergenceError, match="t/ab, t/ba"):
        clean_text("a", rules, Options(max_passes=4))


def test_flags_are_reported_not_applied():
    r = clean_text("x y", [rule(level="flag", pattern="y")])
    assert r.cleaned == "x y"
    (c,) = r.changes
    assert not c.applied and c.finding.after is None and (c.line, c.column) == (1, 3)


def test_suggestions_need_unsafe_fixes():
    r = rule(level="suggest", pattern="y", replace="z")
    assert clean_text("x y", [r]).cleaned == "x y"
    assert clean_text("x y", [r], Options(unsafe_fixes=True)).cleaned == "x z"


def test_urls_and_switched_off_regions_are_never_touched():
    r = rule(pattern="americans", replace="Americans")
    text = "see http://example.com/americans and americans\ncleaner: off\namericans\ncleaner: on\namericans"
    out = clean_text(text, [r]).cleaned
    assert out == "see http://example.com/americans and Americans\ncleaner: off\namericans\ncleaner: on\nAmericans"


def test_a_catastrophic_regex_is_skipped_and_reported(monkeypatch):
    import cleaner.kinds.pattern as pattern

    monkeypatch.setattr(pattern, "TIMEOUT", 0.05)
    slow = rule(name="slow", level="flag", pattern="(a|aa)+$")
    fast = rule(name="fast", pattern="b", replace="B")
    r = clean_text("a" * 40 + "!b", [slow, fast])
    assert r.cleaned.endswith("!B")
    assert any("t/slow" in n and "timed out" in n for n in r.notices)



def test_vocabulary_holds_every_word():
    import re

    from cleaner.document import Document

    text = "U.S.-led talks, “frank” (and) direct—Kyiv’s e-mail: a_b x@y.org 12,000 ñandú"
    assert Document(text).vocabulary == frozenset(re.findall(r"\w+", text))
