"""The engine's promises on any text (hypothesis; issue 15): no crash, idempotent, every
changed character inside a reported change, every reported `before` exactly the original
span, and no line-ending kind created that the input did not have at that place.

Texts mix fragments of the seed articles with random Unicode, every quotation mark and
whitespace kind, control characters and CR/LF/CRLF line ends, cleaned as .txt, .md and
.html. Each example is a batch of texts (one hypothesis example costs little more than its
engine runs), derandomized so CI sees the same cases every run. CLEANER_FUZZ_TEXTS sets
how many texts in all (default 10,000, about a minute and a half on one core).
"""
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.edits import apply
from cleaner.engine import ConvergenceError, Options, clean_text

from conftest import SEEDS

BATCH = 20
TEXTS = int(os.environ.get("CLEANER_FUZZ_TEXTS", "10000"))

QUOTES = list("“”„‟‘’‚‛«»‹›\"'`´″′「」")
SPACES = [" ", "  ", "\t", "\u00a0", "\u2009", "\u202f", "\u3000", "\u200b", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"]
ENDS = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"]
CONTROLS = ["\x10", "\x01", "\x7f", "\x1b", "\ufeff", "\ufffd", "\x80", "\x9d"]
MARKUP = ["<p>", "</p>", "<i>", "</i>", "# ", "* ", "`", "```\n", "[a](http://x.example/y)", "**", "&amp;", "---\n"]
WORDS = ["the cold war", "americans Y russians", "responnse", "he said", "she", "NATO", "Lithuania , Latvia",
         "Read also:", "Source link", "did not never", "pro-western", "a", "Moscowâ€™s", "é", "ñ", ".", ",", ";", "…"]


def _seed_fragments() -> list[str]:
    out = []
    for path in sorted(SEEDS.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        out.extend(text[i:i + 120] for i in range(0, len(text), 90))
    return out


FRAGMENTS = _seed_fragments()

piece = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(QUOTES),
    st.sampled_from(SPACES),
    st.sampled_from(ENDS),
    st.sampled_from(CONTROLS),
    st.sampled_from(MARKUP),
    st.sampled_from(WORDS),
    st.text(max_size=8),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6),
)
text_strategy = st.lists(piece, max_size=14).map("".join)
batch = st.lists(st.tuples(text_strategy, st.sampled_from(["text", "markdown", "html"])), min_size=BATCH, max_size=BATCH)


def _line_ends(text: str) -> list[tuple[int, str]]:
    """Where the line ends are and which kind, as a multiset of kinds: CRLF, lone CR, lone LF."""
    return [("\r\n" if text.startswith("\r\n", i) else c) for i, c in enumerate(text)
            if c in "\r\n" and not (c == "\n" and i and text[i - 1] == "\r")]


def problems(text: str, fmt: str, rules) -> list[str]:
    """Every promise the engine breaks on ``text`` (empty when it keeps them all)."""
    try:
        result = clean_text(text, rules, Options(), fmt=fmt)
    except ConvergenceError as exc:
        return [f"no fixed point: {exc}"]
    found = []
    cleaned = result.cleaned
    if apply(text, [(e.start, e.end, e.text) for e in result.edits]) != cleaned:
        found.append("the net edits do not rebuild the cleaned text")
    applied = sorted((c.start, c.end) for c in result.changes if c.applied)
    covered: list[list[int]] = []  # the characters inside some reported change
    for s, t in applied:
        if covered and s <= covered[-1][1]:
            covered[-1][1] = max(covered[-1][1], t)
        else:
            covered.append([s, t])
    for e in result.edits:
        if e.start == e.end:
            inside = any(s <= e.start <= t for s, t in applied)
        else:
            inside = any(s <= e.start and e.end <= t for s, t in covered)
        if not inside:
            found.append(f"unreported change {text[e.start:e.end]!r} -> {e.text!r} at {e.start}")
    for c in result.changes:
        if c.finding.before != text[c.start:c.end]:
            found.append(f"{c.finding.rule}: before {c.finding.before!r} but the original span is "
                         f"{text[c.start:c.end]!r}")
    ends_before, ends_after = _line_ends(text), _line_ends(cleaned)
    for kind in ("\r\n", "\r", "\n"):
        if ends_after.count(kind) > ends_before.count(kind):
            found.append(f"a new {kind!r} line end")
    if cleaned != text:
        try:
            again = clean_text(cleaned, rules, Options(), fmt=fmt).cleaned
        except ConvergenceError as exc:
            again = f"no fixed point: {exc}"
        if again != cleaned:
            found.append("not idempotent: a second run changes it again")
    return found


@pytest.mark.skipif(not FRAGMENTS, reason="no seed articles")
@settings(max_examples=max(1, TEXTS // BATCH), deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(batch)
def test_the_engine_keeps_its_promises_on_any_text(rules, texts):
    for text, fmt in texts:
        found = problems(text, fmt, rules)
        assert not found, f"{fmt} {text!r}: {found}"


@pytest.mark.parametrize("text, fmt", [
    ("\n\x10", "text"),                         # whitespace beside a trailing deletion
    ("a\r\x10\nb\nc\n", "text"),                # a control between CR and LF
    ("did not never the cold war«a„", "text"),  # two runs needed
    ("“\x80", "text"),                          # before must be the original text
    ("ab\n\x10\n\x10", "markdown"),               # a widened deletion joins the one before it
    ("`\x10<p>", "markdown"),                  # a control character beside markup: a fixed point
])
def test_known_cases(rules, text, fmt):
    assert problems(text, fmt, rules) == []


def test_a_rewrite_that_would_join_cr_and_lf_is_reported_not_applied(rules):
    result = clean_text("a\r\x10\nb\r\n", rules)
    assert result.cleaned == "a\r\x10\nb\r\n"
    assert any(c.note == "not applied: it would change a line end" for c in result.changes)
