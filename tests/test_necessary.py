"""The cheap necessary conditions (cleaner.necessary) never dismiss a text a rule finds
something in: the filtered path is compared with the unfiltered one on real, generated
and random text, and the character classes widening relies on are checked against the
installed `regex` over every code point."""
import random
import re
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import necessary
from cleaner.document import Document
from cleaner.packs import load_rules

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("pattern", "boilerplate")
ALL_CHARS = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def _rules():
    return [r for r in load_rules() if r.kind in KINDS]


def _tests(rule) -> list:
    """The rule's necessary conditions, as its kind applies them."""
    if rule.kind == "pattern":
        return [] if rule.matcher.first_words is not None else list(rule.matcher._necessary())
    test = rule.matcher._necessary()
    return [test] if test is not None else []


def _unfiltered(rule, doc) -> list:
    """What the rule finds with its necessary conditions switched off."""
    m = rule.matcher
    saved = dict(m.__dict__)
    m.__dict__["_tests"], m.__dict__["_test"] = (), None
    try:
        return list(m.find(doc))
    finally:
        m.__dict__.clear()
        m.__dict__.update(saved)


def _texts() -> list[tuple[str, str]]:
    out = []
    for folder in (ROOT / "seeds", ROOT / "tests" / "corpus", ROOT.parent / "shared" / "corpus"):
        if folder.is_dir():
            for p in sorted(folder.rglob("*")):
                if p.suffix in (".txt", ".md", ".html") and p.is_file():
                    fmt = {".md": "markdown", ".html": "html"}.get(p.suffix, "text")
                    out.append((fmt, p.read_text(encoding="utf-8")))
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from articles import distinct_articles

    out += [("text", t) for t in distinct_articles(ROOT, 20)]
    for r in _rules():  # every example and counter-example of every rule
        for ex in list(r.examples) + list(r.keep):
            out.append(("text", ex.text))
    return out


def _admitted(rule, doc) -> bool:
    return all(t.admits(doc.text) for t in _tests(rule))


def test_every_rule_with_a_match_admits_the_text():
    rules = _rules()
    texts = _texts()
    checked = 0
    for fmt, text in texts:
        for variant in (text, text.replace("\n", "\r\n"), text.replace("\n", "\r")):
            doc = Document(variant, format=fmt).view
            for rule in rules:
                if _unfiltered(rule, doc):
                    checked += 1
                    assert _admitted(rule, doc), (rule.id, variant[:200])
    assert checked > 100  # the comparison saw many texts with findings


def test_most_clean_articles_are_dismissed_cheaply():
    """The point of it all: on fluent English most rules are not run at all."""
    rules = [r for r in _rules() if _tests(r)]
    docs = [Document(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests" / "corpus" / "clean").glob("*.txt"))]
    admitted = sum(_admitted(r, d) for r in rules for d in docs)
    assert admitted < 0.2 * len(rules) * len(docs)


def _patterns() -> list[tuple[str, int, bool]]:
    """(pattern, regex flags, whether it is matched against stripped lines) of every rule."""
    flagmap = {"ignorecase": regex.I, "multiline": regex.M, "dotall": regex.S, "verbose": regex.X}
    out = []
    for r in _rules():
        o = r.options
        if r.kind == "pattern" and "pattern" in o:
            flags = 0
            for f in o.get("flags", []):
                flags |= flagmap[f]
            out.append((o["pattern"], flags, False))
            reqs = o.get("requires", [])
            for q in [reqs] if isinstance(reqs, str) else reqs:
                out.append((q, flags, False))
        elif r.kind == "boilerplate" and o.get("match"):
            for m in [o["match"]] if isinstance(o["match"], str) else o["match"]:
                out.append((m, 0, True))
    return out


PATTERNS = _patterns()
PIECES = ["Read also: ", "Source link", " , ", " .", ". a", "  ", "the the ", "had had", "They said", "cold war",
          "NATO.", "– Sub –", "WORD IN CAPS HERE", "\n", "\r\n", "\r", "\t", "\u00a0", "’", "”", "“", "é", "Ü", "ß",
          "1", "12/05/2024", "10:30", " / .", "¹", "[1]", "`s", "´t", "EE.UU.", " Y ", " i ", "ex ", "» ", "|"]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=30), st.integers(0, len(PATTERNS) - 1))
def test_widened_patterns_match_wherever_the_pattern_does(pieces, index):
    pattern, flags, line = PATTERNS[index]
    _assert_admitted_wherever_found(pattern, flags, line, "".join(pieces))


def test_on_the_rules_own_examples():
    rng = random.Random(7)
    for pattern, flags, line in PATTERNS:
        for _ in range(30):
            text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
            _assert_admitted_wherever_found(pattern, flags, line, text)


def _assert_admitted_wherever_found(pattern: str, flags: int, line: bool, text: str) -> None:
    """The necessary test must admit ``text`` whenever the rule's own pattern finds
    something in it (for a line rule: a stripped line it matches whole)."""
    test = necessary.for_lines(pattern, flags) if line else necessary.for_pattern(pattern, flags)
    compiled = regex.compile(pattern, flags)
    if line:
        found = any(s and compiled.fullmatch(s) for s in (ln.strip() for ln in re.split(r"\r\n|\r|\n", text)))
    else:
        found = compiled.search(text) is not None
    if found:
        assert test.admits(text), (pattern, text)


@pytest.mark.parametrize("escape", [r"\p{L}", r"\p{Lu}", r"\p{Ll}", r"\w", r"\d"])
def test_widened_classes_hold_every_character_regex_does(escape):
    wide = set(re.findall(necessary._OUTSIDE[escape], ALL_CHARS))
    assert set(regex.findall(escape, ALL_CHARS)) <= wide
    narrow = necessary._NEGATED[escape]  # in a negated class: a subset of the escape
    assert set(re.findall(f"[{narrow}]", ALL_CHARS)) <= set(regex.findall(escape, ALL_CHARS))


def test_whitespace_and_its_complements():
    regex_space = set(regex.findall(r"\s", ALL_CHARS))
    assert regex_space <= set(re.findall(r"\s", ALL_CHARS))
    ascii_space = necessary._NEGATED[r"\s"]
    assert set(re.findall(f"[{ascii_space}]", ALL_CHARS)) <= regex_space
    for escape in (r"\W", r"\D", r"\S"):
        assert set(regex.findall(escape, ALL_CHARS)) <= set(re.findall(necessary._OUTSIDE[escape], ALL_CHARS))


def test_punctuation_kept_out_of_letter_classes_is_no_word_character():
    assert not regex.findall(r"\w", necessary._PUNCT)


@pytest.mark.parametrize("pattern", [r"\L<words>", r"(?i)abc", r"\p{Greek}", r"[[a-z]--[aeiou]]", r"a{e<=1}", r"\X"])
def test_what_is_not_understood_gives_no_widened_pattern(pattern):
    assert necessary.widen(pattern) is None


def test_literals_every_match_needs():
    assert necessary.for_pattern(r"(?<=\p{L}) +(?=,)").literals == (" ,",)
    assert set(necessary.for_pattern(r"\b(?:pro|anti)-(?P<w>western)\b|\b(?P<w>western)(?= aid)").literals) <= {
        "western", "pro-western", "anti-western", "western aid"}
    assert necessary.for_pattern(r"a|b*").literals == ()  # an alternative needs nothing


def test_a_pattern_re_could_backtrack_on_is_never_searched_with_re():
    """`re` has no timeout: a widened search is kept only when it runs in linear time."""
    test = necessary.for_pattern(r"(a|aa)+$")
    assert test.widened is None
    assert test.admits("a" * 40 + "!b")  # admitted at once, not hung
    assert necessary.for_pattern(r"\.[ \t]+[a-z]").widened is not None  # a linear one is searched
    assert necessary.for_pattern(r" +(?=,)").widened is None  # quadratic on a run of spaces


def test_line_tests_see_every_kind_of_line_start():
    test = necessary.for_lines("Source link")
    for text in ("Source link", "x\nSource link", "x\r\n  Source link\r\n", "x\rSource link", "x\n\t Source link"):
        assert test.admits(text)
    assert not test.admits("see the Source link here")


def test_conditions_pickle():
    import pickle

    for r in _rules():
        for t in _tests(r):
            assert pickle.loads(pickle.dumps(t)) == t
    pickle.loads(pickle.dumps([r.matcher for r in _rules()]))


def test_scanning_from_candidate_starts_finds_exactly_what_finditer_finds():
    rules = [r for r in _rules() if r.kind == "pattern" and "pattern" in r.options
             and necessary.start_filter(r.options["pattern"], r.matcher._flags)]
    assert len(rules) >= 5
    rng = random.Random(3)
    texts = [t for _, t in _texts()]
    texts += ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40))) for _ in range(300)]
    for rule in rules:
        start = necessary.start_filter(rule.options["pattern"], rule.matcher._flags)
        compiled = regex.compile(rule.options["pattern"], rule.matcher._flags)
        for text in texts:
            expected = [(m.span(), m.groups()) for m in compiled.finditer(text)]
            got = [(m.span(), m.groups()) for m in necessary.matches_from(start, rule.matcher._flags, compiled, text, 5.0)]
            assert got == expected, (rule.id, text[:200])


def test_boilerplate_candidate_lines_hold_every_matching_line():
    rules = [r for r in _rules() if r.kind == "boilerplate" and r.matcher._necessary() is not None
             and r.matcher._necessary().starts is not None and r.matcher._necessary().rest is None]
    assert len(rules) >= 5
    texts = [t for _, t in _texts()] + ["\n".join(PIECES), "\r\n".join(ex.text for r in rules for ex in r.examples)]
    for rule in rules:
        m, test = rule.matcher, rule.matcher._necessary()
        for text in texts:
            lines = Document(text).stripped_lines
            matching = {i for i, line in enumerate(lines) if line and m.match.fullmatch(line)}
            assert matching <= set(test.candidate_lines(lines)), rule.id


def _without_requires(rule, doc) -> list:
    """What the rule finds with its ``requires`` pre-check (and necessary tests) off."""
    m = rule.matcher
    saved = dict(m.__dict__)
    m.__dict__["_tests"], m.__dict__["_test"], m.__dict__["requires"] = (), None, []
    try:
        return list(m.find(doc))
    finally:
        m.__dict__.clear()
        m.__dict__.update(saved)


_CRUMBS = ["Home", "Homepage", "Home page", "Startseite", "Start", "Inicio", "Portada", "Главная", "World", "Politics",
           " » ", "›", " / ", "|", ">", "12/05/2021", "5.12.21", "05-12-2021", " - ", "10:35", "9:05", " a.m.", "PM",
           " GMT", " CET", "hrs", " ", "\n", "\n\n", "Europe", "Text."]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_CRUMBS), max_size=12))
def test_a_boilerplate_requires_never_hides_a_match(pieces):
    """A ``requires`` pre-check written for speed (breadcrumb-timestamp's) holds wherever
    the rule finds a line: generated crumbs, times and dates, and every real text."""
    rules = [r for r in _rules() if r.kind == "boilerplate" and r.options.get("requires")]
    text = "Body of the article.\n\n" + "".join(pieces) + "\n\nMore text."
    for rule in rules:
        doc = Document(text)
        if _without_requires(rule, doc):
            assert list(rule.matcher.find(Document(text))), (rule.id, text)


def test_boilerplate_requires_hold_on_every_real_text():
    rules = [r for r in _rules() if r.kind == "boilerplate" and r.options.get("requires")]
    checked = 0
    for fmt, text in _texts():
        for rule in rules:
            found = _without_requires(rule, Document(text, format=fmt).view)
            if found:
                checked += 1
                assert list(rule.matcher.find(Document(text, format=fmt).view)) == found, rule.id
    assert checked > 20


_CAPS = ["NATO", "QATAR", "REJECTS", "MOSCOW", "DEMANDS", "100,000", "G7", "ÉTAT", "Ü", "ǅ", "word", "Word", "’", "'",
         "-", ".", ",", "x", "\x00", "\u00a0", "\u2003", "\x85", "\t", ""]
_WORDS = ["NATO", "QATAR", "REJECTS", "MOSCOW", "DEMANDS", "100,000", "G7", "ÉTAT", "Ü", "U.S.", "’S", "-"]
# lines of capitals (with a space or tab between words, maybe around them) and noisy lines
_CAPS_LINE = (st.tuples(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5), st.sampled_from([" ", "\t", "  "]),
                        st.sampled_from(["", " ", "\t"])).map(lambda t: t[2] + t[1].join(t[0]) + t[2])
              | st.lists(st.sampled_from(_CAPS) | st.text(max_size=2), min_size=1, max_size=6).map(" ".join))


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(_CAPS_LINE, max_size=5), st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
def test_line_shape_admits_every_whole_line_match(lines, newline):
    """The shape test of a whole-line pattern (all-caps-subhead's) admits every text the
    pattern matches in: lines of capitals, digits, spaces and stray characters."""
    text = newline.join(lines)
    for pattern, flags, line in PATTERNS:
        test = necessary.for_pattern(pattern, flags)
        if not line and test.heads and regex.compile(pattern, flags).search(text):
            assert test.admits(text), (pattern, text)


def test_line_shape_is_given_only_where_it_holds():
    m = necessary._re_flags(regex.M)
    assert necessary._line_shape(r"^[A-Z0-9]+$", m) is not None
    assert necessary._line_shape(r"^[A-Z0-9 ]+$", m) is None  # a line of spaces matches
    assert necessary.for_pattern(r"^(?:[A-Z]+[ \t]+){2,}[A-Z]+$", regex.M).widened is not None
    assert necessary._line_shape(r"^[ \t]*$", m) is None  # a blank line matches
    assert necessary._line_shape(r"^[A-Z ]*$", m) is None
    assert necessary._line_shape(r"^[A-Za-z ]+$", m) is None  # lower case is read
    assert necessary._line_shape(r"^[A-Z]+", m) is None  # not a whole line
    assert necessary._line_shape(r"[A-Z]+$", m) is None
    test = necessary.for_pattern(r"^(?:[A-Z]+[ \t]+){2,}[A-Z]+$", regex.M)
    assert test.admits("text\nNATO REJECTS DEMANDS\n") and test.admits("NATO REJECTS DEMANDS")
    assert not test.admits("Text.\n\nNato rejects demands\n \t\n")


def test_line_shape_is_searched_in_linear_time():
    """A long line of capitals or digits that fails at its end is read once, not once per
    character (`re` has no timeout)."""
    import time

    test = necessary.for_pattern(r"^(?:[A-Z0-9]+[ \t]+){2,}[A-Z0-9]+$", regex.M)
    text = ("x\n" + "1" * 20_000 + "a\n") * 2
    t0 = time.perf_counter()
    assert not test.admits(text)
    assert time.perf_counter() - t0 < 0.5  # quadratic: seconds
