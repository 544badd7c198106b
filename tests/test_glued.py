"""The glued-words kind: a name run into the verb after it is offered split; English
words, names the lists know and brand names are left alone."""
from cleaner import api
from cleaner.model import Level

RULES = [r for r in api.load_rules() if r.pack == "glued"]


def _findings(text):
    return [c.finding for c in api.clean_text(text, RULES).changes]


def test_one_split_is_a_suggestion():
    (f,) = _findings("Prime Minister Sanchezsaid the plan was ready.")
    assert f.level == Level.SUGGEST and f.after == "Sanchez said"


def test_known_words_names_and_brands_are_left_alone():
    text = "Brexit, Kuwait, Washington, YouTube and the PlayStation were discussed."
    assert _findings(text) == []


def test_conjunction_glued_after_a_name_is_not_ours():
    # English writers drop this space too; it is not an artifact of translation
    assert _findings("a storm hit New Yorkand Boston") == []


def test_short_tail_needs_a_common_head():
    assert _findings("Landsbergis spoke.") == []
    assert [f.after for f in _findings("the Middle Eastit must be said")] == ["East it"]
