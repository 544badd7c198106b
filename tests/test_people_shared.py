"""The people analyses shared by the pronoun rules, and their shortcuts, against the slow
path they replace: the cast of people, the person nouns, the memos across rules (issue 12).

Each shortcut (a word settled once per process, a scan skipped, a noun looked for by its
spelling instead of scanning every word) must give what the unfiltered path gives, on the
corpora and on texts made to defeat it.
"""
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import people
from cleaner.document import Document
from cleaner.kinds import pronoun
from cleaner.packs import builtin_rules_dir, load_pack
from cleaner.people import Cast

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rules():
    return {r.id: r for r in load_pack(builtin_rules_dir() / "pronouns.yaml")}


def corpus_texts() -> list[str]:
    paths = sorted(ROOT.glob("seeds/*.txt")) + sorted((ROOT / "tests" / "corpus").rglob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def summary(cast: Cast) -> list:
    return [(m.start, m.end, tuple((p.name, p.known, p.gender, p.level, p.why) for p in m.people)) for m in cast.mentions]


def slow_cast(doc: Document, config, monkeypatch) -> list:
    """The cast with every shortcut off: no word settled in advance, every scan run."""
    with monkeypatch.context() as m:
        m.setattr(people, "_MEMOS", {})
        m.setattr(Cast, "_never_a_mention", lambda self, word, listed: False)
        m.setattr(people._Memo, "__init__", _forgetful_memo)
        return summary(Cast(doc, config, None))


class _Forgets(dict):
    """A memo table that remembers nothing."""

    def __setitem__(self, key, value):
        pass


def _forgetful_memo(self, config):
    self.config, self.cuts, self.ignored, self.full_names = config, _Forgets(), _Forgets(), _Forgets()


# Names, titles, honorifics, places, nouns and glue that the shortcuts key on.
_PIECES = [
    "Wendy Sherman", "Sherman", "Ms", "Mr.", "Mrs", "said", "the", "The", "and her", "and his", "he", "she",
    "his", "her", "Moscow", "Washington", "the West", "Kanye West", "US Deputy Secretary of State", "Russia’s",
    "Sergei Riabkov", "Riabkov", "Pope Francis", "a soldier", "Soldier", "the Joker", "the Officer", "mother-in-law",
    "\u212aing", "soldier²", "Anna²", "Zaluzhny", "I’ve", "NATO", "Maria", "Jose\u0301", ",", ".", "\n\n", "“", "”",
    "woman", "actress", "in", "Geneva", "Group", "of", "von", "Cold War", "Tristan", "revealed that",
]


@st.composite
def texts(draw):
    words = draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40))
    glue = draw(st.lists(st.sampled_from([" ", " ", " ", "", "\u00a0", "-", "’"]), min_size=len(words), max_size=len(words)))
    return "".join(w + g for w, g in zip(words, glue))


def test_cast_shortcuts_change_nothing_on_the_corpora(rules, monkeypatch):
    config = rules["pronouns/gender"].matcher.config
    for text in corpus_texts():
        assert summary(Cast(Document(text), config, None)) == slow_cast(Document(text), config, monkeypatch)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts())
def test_cast_shortcuts_change_nothing_on_made_up_texts(rules, monkeypatch, text):
    config = rules["pronouns/gender"].matcher.config
    doc_settings = {"people": {"Anna Kovalenko": "she", "Bob West": "he"}}
    assert summary(Cast(Document(text), config, None)) == slow_cast(Document(text), config, monkeypatch)
    fast = summary(Cast(Document(text, settings=doc_settings), config, None))
    assert fast == slow_cast(Document(text, settings=doc_settings), config, monkeypatch)


def reference_nouns(kind, doc: Document) -> list:
    """Person nouns as every word of a paragraph is looked at, paragraph by paragraph."""
    out = []
    for ps, pe in doc.paragraphs:
        out += [(n.start(), n.end(), n.group().lower()) for n in pronoun._NOUN_WORD.finditer(doc.text, ps, pe)
                if kind._person_noun(doc.text, n)]
    return out


def test_person_nouns_found_by_spelling_are_those_of_a_word_scan(rules):
    kind = rules["pronouns/gender"].matcher
    made = [
        "The Soldier met a soldier.\n\nA \u212aing and a king; the Joker and the Officer, the Doctor.",
        "A soldier² saw the mother-in-law and a whistle-blower; SOLDIER, soldiers, soldier-like.",
        "the Employer, the employer, bathe Joker, the Mayor’s aide, an ex-soldier, the soldier's",
    ]
    for text in corpus_texts() + made:
        doc = Document(text)
        assert kind._find_nouns(doc) == reference_nouns(kind, doc)


@settings(max_examples=200, deadline=None)
@given(text=texts())
def test_person_nouns_on_made_up_texts(rules, text):
    kind = rules["pronouns/gender"].matcher
    doc = Document(text)
    assert kind._find_nouns(doc) == reference_nouns(kind, doc)


def test_only_the_kelvin_sign_lowers_to_an_ascii_letter():
    """What `pronoun._spellings` relies on to find every spelling of a noun."""
    found = {chr(i) for i in range(0x80, 0x110000) if len(chr(i).lower()) == 1 and chr(i).lower().isascii() and chr(i).lower().isalpha()}
    assert found == {"\u212a"}
    assert pronoun._spellings("king") == ("king", "King", "\u212aing")


def test_rules_sharing_a_document_find_what_each_finds_alone(rules):
    """The three pronoun rules share one cast, one pronoun scan and one noun scan per
    document: each must find on a shared document what it finds on a document of its own."""
    ids = ["pronouns/gender", "pronouns/gender-check", "pronouns/gender-check-fr"]
    for text in corpus_texts():
        alone = {i: [(f.start, f.end, f.after, f.message) for f in rules[i].find(Document(text))] for i in ids}
        shared = Document(text)
        together = {i: [(f.start, f.end, f.after, f.message) for f in rules[i].find(shared)] for i in ids}
        assert together == alone
