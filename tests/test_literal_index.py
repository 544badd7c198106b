"""The shared literal index (cleaner.literal_index) and the clauses it tests
(cleaner.prefilter.clauses): a document may only be dismissed for a pattern that cannot
match it. Each check compares the indexed path with the unfiltered one."""
import pickle

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Document
from cleaner.kinds._language_phrases import ALL
from cleaner.literal_index import LiteralIndex
from cleaner.prefilter import LazyPattern, case_sensitive, clauses, finditer_from, leading_chars
from cleaner.source_language import _cue_hits, _scan_cues, cues

from conftest import CORPUS, ROOT, SEEDS


@pytest.mark.parametrize(
    "pattern, expected",
    [
        ("(?P<w>assured) that", [{"assured"}, {"that"}, {"assured that"}]),
        ("[Tt]he (?:site|website|daily)", [{"site", "daily"}, {"the"}, {"the site", "the website", "the daily"}]),
        ("(?:[Tt]he )?(?P<w>[Ll]and)(?= (?:Bavaria|Berlin)\\b)", [{"bavaria", "berlin"}, {"land"}]),
        ("(?<=\\bbudget )(?P<w>maneuver)|(?<=fiscal )(?P<w>manoeuvre)", [{"maneuver", "manoeuvre"}]),
        ("owner(?! of the house)", [{"owner"}]),  # a negative lookahead proves nothing
        ("(?:he|she|they) said", [{"said"}, {"he said", "they said"}]),  # "she said" holds "he said"
        ("colou?r", [{"colo"}]),
        ("[ab]out|[Oo]ut", [{"out"}]),  # only a class of one letter joins a run  # an optional letter ends the run
        ("(?:very )?big", [{"big"}]),
        ("(?:very )+big", [{"very"}, {"big"}]),
        ("\\p{Lu}\\p{Ll}+ \\p{Lu}\\p{Ll}+", []),
        ("conflictive|\\d+", []),  # an alternative without a literal
        ("(?x) spaced out", []),  # verbose: not read at all
        ("(?-i:the (?P<w>populars?))", [{"popular"}, {"the"}, {"the popular"}]),
        # phrases: what a stretch of the pattern spells, whichever way
        ("(?:[Tt]he|[Aa]|[Hh]is) (?P<w>also) \\p{Ll}+", [{"also"}, {"the also", "a also", "his also"}]),
        ("(?P<w>count(?:s|ed)?) with", [{"count"}, {"with"}, {"count with", "counts with", "counted with"}]),
        ("the (?:new )?law", [{"the"}, {"law"}, {"the law", "the new law"}]),
        ("of the (?:\\p{Lu}\\p{L}+ ){0,2}Party", [{"party"}, {"the"}, {"of the"}]),  # a counted repeat spells nothing
        ("(?:state|the) rent|rent age", [{"rent"}, {"state rent", "the rent", "rent age"}]),
    ],
)
def test_the_clauses_of_a_pattern(pattern, expected):
    assert sorted(map(set, clauses(pattern)), key=sorted) == sorted(expected, key=sorted)


def test_a_pattern_that_ignores_case_is_not_read_by_its_letters():
    assert case_sensitive("owner", 0)
    assert not case_sensitive("owner", regex.I)
    assert not case_sensitive("(?i)owner", 0)
    assert not case_sensitive("the (?i:owner)", 0)
    # "ſettled" matches "settled" ignoring case, but its lower case holds no "settled"
    lazy = LazyPattern("settled", regex.I)
    assert lazy.pattern.search("ſettled") and lazy.clauses() == (frozenset({"settled"}),)
    assert LazyPattern("(?:he|she) settled", regex.I, literals=()).clauses() == ()


# -- the index: which literals a document has --------------------------------------------

LITERALS = ["the", "owner", "ousehold", "land", "versi", "le monde", "«", "württemberg", "k", "ss", "ownerships",
            "σας", "ασ", "i\u0307st", "stanbul", "– he", "–", "²do", "libération", "país"]
PIECES = ["The", "OWNER", "– He", "–he", "²DO", "ΑΣ'", "ΣΑΣ ", "LIBÉRATION", "País", "landowners", "Household", "İstanbul", "Kelvin", "ſ", "«", "Le Monde", "le  monde",
          "Württemberg", "WÜRTTEMBERG", "version", "_the", "the2", "x-the", "ΣΑΣ", "\n", " ", ".", "'"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=12))
def test_the_index_says_which_literals_are_substrings_of_the_lower_cased_text(pieces):
    text = "".join(pieces)
    index = LiteralIndex()
    index.add(LITERALS)
    low = text.lower()
    present = index.present(Document(text))
    assert {lit for lit in LITERALS if present.has(lit)} == {lit for lit in LITERALS if lit in low}
    words = {lit for lit in LITERALS if len(lit) > 2 and lit.isalpha() and not set(lit) & set("σς")}
    assert present.words & set(LITERALS) == {lit for lit in words if lit in low}


SHARING = ["did not never", "had not never", "not never", "the door open", "leave the door open", "keep the door",
           "keep the door open", "ed this monday", "ed this sunday", "x y z", "y z w"]
SHARING_PIECES = ["did not never", "had not", " not never", "keep the door", " open", "ed this ", "x y", " z", "y z w",
                  "did", "had", "not", "never", "Not Never", "the", "door", "open", "keep", "leave", "ed", "this",
                  "Monday", "sunday", "x", "y", "z", "w", " ", "  ", "\n", "-"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(SHARING_PIECES), max_size=16))
def test_literals_that_share_words_at_an_end_are_found_as_substrings(pieces):
    """"not never" is looked for before "did not never": still exactly a substring test."""
    text = "".join(pieces)
    index = LiteralIndex()
    index.add(SHARING)
    assert index._cores["did not never"] == "not never" and index._cores["x y z"] == "y z"
    present = index.present(Document(text))
    low = text.lower()
    assert {lit for lit in SHARING if present.has(lit)} == {lit for lit in SHARING if lit in low}


def test_a_literal_added_later_is_looked_for_again():
    index = LiteralIndex()
    index.add(["owner"])
    doc = Document("The landowners met the household.")
    literals = ["owner", "household", "met the", "the landowner", "met", "the household!", "le monde"]

    def found():
        present = index.present(doc)
        return {lit for lit in literals if present.has(lit)}

    right = {"owner", "household", "met the", "the landowner", "met"}
    assert found() == right  # registered or not, a literal is answered rightly
    assert index.present(doc).words == {"owner"}
    index.add(["household", "met the", "the landowner", "le monde"])
    assert found() == right
    assert index.present(doc).words == {"owner", "household", "met", "the", "landowner"}  # and the runs of others
    index.add(["met"])
    assert found() == right


def _texts(rules) -> list[str]:
    """Seeds, the test corpora and every example of every rule, as written and with each
    word capitalised (a pattern with "[Tt]he" must still be admitted)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*")) if p.suffix in (".txt", ".md", ".html")]
    for r in rules:
        texts += [e.text for e in r.examples + r.keep]
    return texts + [t.title() for t in texts if len(t) < 2000]


@pytest.fixture(scope="module")
def phrase_rules(rules):
    found = [r for r in rules if r.kind == "language" and r.matcher.check == "phrases"]
    assert len(found) > 20
    return found


@pytest.fixture(scope="module")
def texts(rules):
    return _texts(rules)


def test_every_phrase_that_matches_a_text_is_admitted(phrase_rules, texts):
    """A full scan of each phrase's pattern, no literal consulted, against the index."""
    for text in texts:
        doc = Document(text)
        for r in phrase_rules:
            slot = r.matcher.impl.join()
            admitted = set(ALL.admitted(doc).get(slot, []))
            for i, phrase in enumerate(r.matcher.impl.phrases):
                if phrase.find.pattern.search(text):
                    assert i in admitted, (r.id, phrase.key, text[:200])


def _spans(findings):
    return [(f.start, f.end, f.message, f.proposals) for f in findings]


def test_the_indexed_path_finds_what_the_unfiltered_one_finds(phrase_rules, texts):
    found = 0
    for text in texts:
        for r in phrase_rules:
            impl = r.matcher.impl
            indexed = _spans(impl.find(Document(text)))
            unfiltered = _spans(impl._find(Document(text), list(range(len(impl.phrases)))))
            assert indexed == unfiltered, (r.id, text[:200])
            found += len(indexed)
    assert found > 100  # the texts do hold false friends


def _plain_cue_hits(doc, cue):
    """A cue's matches by a plain search of the whole text (what `_cue_hits` gives)."""
    from cleaner.source_language import _is_common_word

    hits = []
    for m in cue.pattern.pattern.finditer(doc.text):
        if cue.common_word and not _is_common_word(m.group(cue.common_word)):
            continue
        hits.append(m.span())
        if len(hits) >= cue.max:
            break
    return hits


def test_every_cue_that_matches_a_text_is_searched(texts):
    cue_texts = texts + ["Il a dit « non », ¿qué? „Ja“ — he said, “Ready now” and she, “Plan B” – he said – so, ”"]
    for text in cue_texts:
        doc = Document(text)
        indexed = [[m.span() for m in hits] for hits in _scan_cues(doc)]
        assert indexed == [_plain_cue_hits(doc, cue) for cue in cues()], text[:200]


@pytest.mark.parametrize(
    "pattern, lead",
    [("“(?P<w>\\p{Lu})", "“"), ("(?<=\\p{Ll},? )(?<!said )“x”", "“"), ("[–—] he", "–—"), ("\\b«", "«"),
     ("«|»", None), ("“?x", None), ("[a-z]x", None), ("x“", None), ("[^“]", None), (" — ", None)],
)
def test_the_characters_every_match_starts_with(pattern, lead):
    assert leading_chars(pattern) == lead


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet="ab “”–—,. \n", max_size=40))
def test_a_search_tried_only_at_leading_characters_finds_the_same(text):
    for pattern in ("(?<=[ab],? )“[ab]+”?", "[–—] a", "“(?:a|ab)(?!b)", "(?<!b)“", "“[a“]+"):
        compiled = regex.compile(pattern)
        lead = leading_chars(pattern)
        assert [m.span() for m in finditer_from(compiled, text, lead)] == [m.span() for m in compiled.finditer(text)]


def test_a_false_friends_check_pickles_without_its_place(phrase_rules):
    impl = phrase_rules[0].matcher.impl
    impl.join()
    state = pickle.dumps(impl)
    assert b"_slot" not in state
    again = pickle.loads(state)
    doc = Document(phrase_rules[0].examples[0].text)
    assert _spans(again.find(doc)) == _spans(impl.find(Document(doc.text))) != []
    assert again.join() == impl.join()  # the same phrases: the same place


def test_a_check_built_late_is_admitted_with_the_others(phrase_rules):
    from cleaner.kinds._language_phrases import FalseFriends

    doc = Document("He hammered, she said. The ministry exchanged its gargleblaster views.")
    before = ALL.admitted(doc)
    late = FalseFriends(phrase_rules[0], {"phrases": [{"find": "gargleblaster", "say": "x"}], "language": "fr"})
    assert len(list(late.find(Document(doc.text)))) == 1  # not a map made before it joined
    assert ALL.admitted(Document(doc.text)).get(late.join()) == [0]
    assert {k: v for k, v in ALL.admitted(Document(doc.text)).items() if k != late.join()} == before


# -- foreign sentences: only sentences with a listed word are looked at ------------------

def _needing(impl, doc):
    """The unfiltered pre-test: every sentence of the document."""
    return [(s, e) for s, e in doc.sentences if impl.needs_identification(doc.text[s:e])]


@pytest.fixture(scope="module")
def sentence_check(rules):
    return next(r for r in rules if r.id == "language/foreign-sentence").matcher.impl


def test_every_sentence_the_pre_test_wants_is_a_candidate(sentence_check, texts):
    from language_corpus import embed, english_sentences, foreign_sentences

    more = [embed(s) for group in foreign_sentences().values() for s in group] + english_sentences()
    wanted = 0
    for text in texts + more:
        doc = Document(text)
        needing = _needing(sentence_check, doc)
        assert set(needing) <= set(sentence_check._candidates(doc)), text[:200]
        wanted += len(needing)
    assert wanted > 50  # foreign sentences are there to be found


FILLER = ["gobierno", "dijo", "según", "été", "Plaza", "Mayo", "talks", "held", "the", "Reuters", "2024", "-", "’"]
LISTED_WORDS = ["de", "y", "que", "und", "die", "come", "do", "per", "el", "los", "De", "Die", "Y"]
ATTACHED = ["", "", "5", "_", "²", "'", "’", "x", "-"]  # glued before the listed word


@st.composite
def sentence_with_one_listed_word(draw):
    words = draw(st.lists(st.sampled_from(FILLER), min_size=4, max_size=9))
    listed = draw(st.sampled_from(ATTACHED)) + draw(st.sampled_from(LISTED_WORDS)) + draw(st.sampled_from(ATTACHED[:2] + ["s", "'", "5"]))
    words.insert(draw(st.integers(0, len(words))), listed)
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(sentence_with_one_listed_word(), min_size=1, max_size=4).map(" ".join))
def test_generated_sentences_the_pre_test_wants_are_candidates(sentence_check, text):
    doc = Document(text)
    assert set(_needing(sentence_check, doc)) <= set(sentence_check._candidates(doc))


# -- leftover words: the listed words of a vocabulary, remembered per process -----------

@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(LISTED_WORDS + FILLER + ["DE", "Que", "QUE", "İ", "ΣΑΣ", "Und"]), max_size=12))
def test_the_listed_words_of_a_vocabulary_are_its_lower_cased_words_met_with_the_lists(rules, words):
    from cleaner.kinds._language_words import _LISTED_SET, _listed_in_vocabulary

    doc = Document(" ".join(words))
    assert _listed_in_vocabulary(doc) == _LISTED_SET & {w.lower() for w in doc.vocabulary}


# -- the phrases kind: a document without any phrase's first word is dismissed at once --

def test_a_phrases_rule_dismisses_only_documents_it_finds_nothing_in(rules, texts):
    checked = [r for r in rules if r.kind == "phrases"]
    assert checked
    found = 0
    for text in texts + [f"The {w} of it" for r in checked for w in r.matcher.phrases]:
        for r in checked:
            fast = [(f.start, f.end, f.after) for f in r.matcher.find(Document(text))]
            assert fast == [(f.start, f.end, f.after) for f in r.matcher._find(Document(text))], (r.id, text[:100])
            found += len(fast)
    assert found


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(sentence_with_one_listed_word(), min_size=1, max_size=4).map(" ".join))
def test_one_search_per_word_picks_every_sentence_the_set_s_search_picks(sentence_check, text):
    from cleaner.kinds._language_sentences import _source_word_pattern

    doc = Document(text)
    counted = sentence_check._counted(doc)
    picked = sentence_check._picked(doc, counted)
    if not counted or len(counted) > 6:
        return  # no search: every sentence or none is picked
    starts = [s for s, _ in doc.sentences]
    for m in _source_word_pattern(counted).finditer(text):
        i = max(i for i, s in enumerate(starts) if s <= m.start()) if starts[0] <= m.start() else -1
        if i >= 0 and m.start() < doc.sentences[i][1]:
            assert i in picked, (m, text)
