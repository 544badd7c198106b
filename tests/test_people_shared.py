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


def fluent_texts() -> list[str]:
    """English as written, where a document of "he" alone is common: the clean corpora
    (with the shared ones when they are there) and a few made to be dismissed or not."""
    shared = ROOT.parent / "shared" / "corpus"
    paths = sorted((ROOT / "tests" / "corpus").rglob("*.txt")) + (sorted(shared.rglob("*.txt")) if shared.is_dir() else [])
    return [p.read_text(encoding="utf-8") for p in paths] + [
        "The minister said he would go in May.\n\nHe left for Geneva on Monday.",
        "Mr Smith met the president. He said his plans were clear.",
        "Wendy Sherman met Sergei Riabkov.\n\nHe said the talks were useful.",
        "The queen met the president. He said he was pleased.",
        "Meloni said he would go.",  # a listed woman, by surname alone
        "Ms Quillfeather said he would go.",
        "Sherman and her aide arrived. Sherman said he would go.",
        "Sherman, the actress, said he would go.",
        "Revealed that Wendy said he would go.",
        "Revealed that María said he would go.",
        "They wrote of Washington’s threat of the answer that he would give.",
    ]


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


_remembering_memo = people._Memo.__init__


def _forgetful_memo(self, config):
    _remembering_memo(self, config)
    for name, value in list(vars(self).items()):
        if isinstance(value, dict):
            setattr(self, name, _Forgets())


# Names, titles, honorifics, places, nouns and glue that the shortcuts key on.
_PIECES = [
    "Wendy Sherman", "Sherman", "Ms", "Mr.", "Mrs", "said", "the", "The", "and her", "and his", "he", "she",
    "his", "her", "Moscow", "Washington", "the West", "Kanye West", "US Deputy Secretary of State", "Russia’s",
    "Sergei Riabkov", "Riabkov", "Pope Francis", "a soldier", "Soldier", "the Joker", "the Officer", "mother-in-law",
    "\u212aing", "soldier²", "Anna²", "Zaluzhny", "I’ve", "NATO", "Maria", "Jose\u0301", ",", ".", "\n\n", "“", "”",
    "woman", "actress", "in", "Geneva", "Group", "of", "von", "Cold War", "Tristan", "revealed that",
    "Wendy", "May", "Grace", "Georgia", "María", "Mari\u0301a", "Hillary Clinton", "Clinton", "Meloni", "Miss",
    "Washington’s", "the Kremlin", "himself", "him", "He", "His", "Woman", "the Actress", "queen", "Anna’s",
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


def dismissal_admits_every_finding(rule, text, **doc_settings):
    """A document the pronoun kind dismisses before building its cast (`_may_find`) is
    one where the full analysis finds nothing."""
    kind = rule.matcher
    doc = Document(text, settings=doc_settings)
    found = kind._find_pronouns(doc)
    genders = {kind.pronouns[m.group().lower()][0] for m in found}
    if len(genders) != 1 or kind._may_find(doc, found, genders.pop()):
        return True
    full = Document(text, settings=doc_settings)
    kind.__dict__["_may_find"] = lambda *a: True
    try:
        assert list(rule.find(full)) == [], text
    finally:
        del kind.__dict__["_may_find"]
    return False


def test_documents_dismissed_by_gender_have_no_findings_in_the_corpora(rules):
    dismissed = 0
    for text in corpus_texts() + fluent_texts():
        for rid in ("pronouns/gender", "pronouns/gender-check", "pronouns/gender-check-fr"):
            dismissed += not dismissal_admits_every_finding(rules[rid], text)
    assert dismissed >= 2  # the test looks at some


@settings(max_examples=300, deadline=None)
@given(text=texts())
def test_documents_dismissed_by_gender_have_no_findings(rules, text):
    for rid in ("pronouns/gender", "pronouns/gender-check", "pronouns/gender-check-fr"):
        dismissal_admits_every_finding(rules[rid], text)
        dismissal_admits_every_finding(rules[rid], text, people={"Georgia May": "she"})


def test_a_woman_in_reach_keeps_a_document_of_he():
    (rule,) = [r for r in load_pack(builtin_rules_dir() / "pronouns.yaml") if r.id == "pronouns/gender-check"]
    for text in ("Wendy Sherman said he would go.", "Ms Sherman said he would go.", "Sherman and her aide said he would go.",
                 "The actress said he would go.", "They wrote of Washington’s threat of the answer that he would give."):
        doc = Document(text)
        found = rule.matcher._find_pronouns(doc)
        assert rule.matcher._may_find(doc, found, "he"), text
    doc = Document("The minister said he would go on Monday with Grace.")
    assert not rule.matcher._may_find(doc, rule.matcher._find_pronouns(doc), "he")


def test_rules_sharing_a_document_find_what_each_finds_alone(rules):
    """The three pronoun rules share one cast, one pronoun scan and one noun scan per
    document: each must find on a shared document what it finds on a document of its own."""
    ids = ["pronouns/gender", "pronouns/gender-check", "pronouns/gender-check-fr"]
    for text in corpus_texts():
        alone = {i: [(f.start, f.end, f.after, f.message) for f in rules[i].find(Document(text))] for i in ids}
        shared = Document(text)
        together = {i: [(f.start, f.end, f.after, f.message) for f in rules[i].find(shared)] for i in ids}
        assert together == alone


_QUOTE_PIECES = ["He", "said", "‘", "’", "“", "”", '"', "it’s", "\n\n", "\n", ".", ","]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(_QUOTE_PIECES), min_size=1, max_size=30))
def test_quoted_shortcut_agrees_with_the_backward_search(pieces):
    """`_Scan.quoted` skips the search for a ‘ in a paragraph that has none: the answer at
    every position of every paragraph (and past its end) must be `_quoted`'s."""
    doc = Document(" ".join(pieces))
    scan = pronoun._Scan(doc, None, [], lambda: [])
    for k, (ps, pe) in enumerate(doc.paragraphs):
        for pos in range(ps, min(len(doc.text), pe + 3) + 1):
            quotes = [(q.start(), q.group()) for q in pronoun._DOUBLE_QUOTES.finditer(doc.text, ps, pe)]
            assert scan.quoted(k, pos) == pronoun._quoted(doc.text, ps, pos, quotes)
