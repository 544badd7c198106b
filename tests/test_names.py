"""Names, terms and typos: what the packs' own examples cannot show (project settings,
the word tables, clusters of mentions)."""
import random

import pytest

from cleaner.engine import Options, clean_text
from cleaner.kinds.spelling import edits1, undoubled
from cleaner.packs import select_rules
from cleaner.wordtables import KnownWords, common_frequencies, common_words, known_words


@pytest.fixture(scope="module")
def names(rules):
    return select_rules(rules, ["names"])


@pytest.fixture(scope="module")
def spelling(rules):
    return select_rules(rules, ["spelling"])


def _changes(text, rules, **settings):
    result = clean_text(text, rules, Options(settings=settings))
    return result.cleaned, [(c.finding.before, c.finding.after) for c in result.changes]


# -- consistency -------------------------------------------------------------------

def test_first_full_mention_wins(names):
    text = "Shelling hit Kiev. Sergey Riabkov spoke.\n\nLater Sergei Riabkov and officials in Kyiv disagreed."
    cleaned, _ = _changes(text, names)
    assert cleaned == "Shelling hit Kiev. Sergey Riabkov spoke.\n\nLater Sergey Riabkov and officials in Kiev disagreed."


def test_house_style_wins_over_first_mention(names):
    text = "Shelling hit Kiev. Officials in Kyiv said so. Mr Zelensky met envoys. Volodymyr Zelenskyy left."
    cleaned, changes = _changes(text, names, house_style=["Kyiv", "Zelenskyy"])
    assert cleaned == "Shelling hit Kyiv. Officials in Kyiv said so. Mr Zelenskyy met envoys. Volodymyr Zelenskyy left."
    assert ("Kiev", "Kyiv") in changes


def test_two_spellings_in_one_sentence_are_only_suggested(names):
    text = "Riabkov appears as Ryabkov in the agency's copy."
    result = clean_text(text, names)
    assert result.cleaned == text
    assert [(c.finding.before, c.finding.level.value, c.applied) for c in result.changes] == [("Ryabkov", "suggest", False)]


def test_house_style_as_mapping_and_absent_form(names):
    text = "Mr Zelensky spoke. Volodymyr Zelenskiy replied."
    cleaned, _ = _changes(text, names, house_style={"names": ["Zelenskyy"]})
    assert cleaned == "Mr Zelenskyy spoke. Volodymyr Zelenskyy replied."


def test_one_spelling_is_never_changed_even_against_house_style(names):
    text = "Shelling hit Kiev. Residents of Kiev sheltered."
    assert _changes(text, names, house_style=["Kyiv"]) == (text, [])


@pytest.mark.parametrize("text", [
    "Sergey Lavrov met Sergei Shoigu.",                     # one given name, two people
    "Dmitry Peskov said Dmitri Medvedev was wrong.",
    "Yuri Riabkov is not Sergei Ryabkov, said Ryabkov.",    # variant surnames, two people
    "“Kiev will fall,” he said in 2014. Kyiv did not.",     # a quoted source keeps its spelling
    "The Kyiv Post reported that Kiev was quiet.",          # a name inside a longer name
    "Grey and Gray streets meet here.",                     # ordinary words are no names
])
def test_not_merged(names, text):
    assert _changes(text, names) == (text, [])


def test_report_names_both_spellings_and_the_reason(names):
    result = clean_text("Sergei Riabkov arrived. Sergey Riabkov left.", names)
    (change,) = result.changes
    assert "“Sergei” and “Sergey”" in change.finding.message
    assert "first full mention (line 1)" in change.finding.message


# -- spelling ----------------------------------------------------------------------

def test_known_words_search_agrees_with_a_set():
    words = sorted({"alpha", "bravo", "delta", "gamma", "omega", "sigma", "zulu", "echo", "a"})
    runs = {}
    for w in words:
        runs.setdefault(len(w), []).append(w)
    table = KnownWords({n: "".join(sorted(ws)) for n, ws in runs.items()})
    rng = random.Random(1)
    probes = words + ["".join(rng.choice("abcdegilmoprsuz") for _ in range(rng.randint(1, 6))) for _ in range(500)]
    for p in probes:
        assert (p in table) == (p in words), p


def test_tables_know_english_and_not_typos():
    known = known_words()
    for w in ("response", "redound", "organisation", "neighbour", "the", "avoid"):
        assert w in known
    for w in ("responnse", "presiddent", "qqqq"):
        assert w not in known
    assert common_words().zipf("response") >= 4.5
    assert common_words().zipf("responnse") == 0.0
    assert common_frequencies()["response"] == common_words().zipf("response")
    assert len(common_frequencies()) > 20000


def test_edits():
    assert "response" in edits1("responnse") and "response" in undoubled("responnse")
    assert undoubled("cat") == set()
    assert "tense" in edits1("tesne")


def test_doubled_letter_is_fixed_other_typos_only_offered(spelling):
    cleaned, changes = _changes("No responnse came. Only a recnet note did.", spelling, source_language="fr")
    assert cleaned == "No response came. Only a recnet note did."
    assert ("recnet", "recent") in changes


def test_a_typo_in_english_original_copy_is_left_to_the_writer(spelling):
    """A writer's slip is not a translation artifact: no rewrite, not even offered."""
    text = "No responnse came. Only a recnet note did."
    assert _changes(text, spelling) == (text, [])


@pytest.mark.parametrize("text", [
    "The Responnse Group is a company.",                    # capitalised: a name
    "They sang “la canción de los responnse niños”.",       # a foreign title in quotes
    "He wrote *responnse* in italics.",                     # emphasis
    "He wrote <i>la responnse</i> in italics.",
    "foo barrz quuxx responnse",                            # a foreign or garbled phrase
])
def test_spelling_leaves_alone(spelling, text):
    assert _changes(text, spelling) == (text, [])


# -- phrases (terminology lists) ------------------------------------------------------

def _phrases_rule(options, level="fix"):
    from pathlib import Path

    from cleaner.packs import build_rule

    raw = {"id": "t/x", "kind": "phrases", "category": "other", "level": level, "message": "m",
           "examples": [{"text": "a", "result": "a"}], "keep": ["a"], **options}
    return build_rule(Path("t.yaml"), "t", raw)


def test_phrases_match_whole_phrases_only():
    rule = _phrases_rule({"phrases": {"Open Sky Treaty": "Open Skies Treaty"}})
    assert clean_text("the Open Sky Treaty.", [rule]).cleaned == "the Open Skies Treaty."
    for text in ("the Open Sky Treaty-based order", "the Open Sky Treatyx", "reOpen Sky Treaty"):
        assert clean_text(text, [rule]).changes == [], text


def test_phrases_options_are_checked():
    from cleaner.packs import PackError

    for options, level in (({"phrases": {}}, "fix"), ({"phrases": {"a b": "a b"}}, "fix"),
                           ({"phrases": {"a b": "c"}}, "flag"), ({"phrases": {"a b": 3}}, "fix")):
        with pytest.raises(PackError):
            _phrases_rule(options, level)


def _phrase_rules(rules):
    return [r for r in rules if r.kind == "phrases"]


def test_every_listed_phrase_is_rewritten_and_its_right_form_kept(rules):
    """Each entry of a terminology list is its own example (wrong -> right in a sentence)
    and its own keep (the right form raises nothing from any terminology rule)."""
    terminology = select_rules(rules, ["terminology"])
    checked = 0
    for rule in _phrase_rules(rules):
        for wrong, right in rule.matcher.phrases.items():
            text = f"Officials said on Monday that the {wrong} was discussed."
            assert clean_text(text, [rule]).cleaned == text.replace(wrong, right), (rule.id, wrong)
            kept = f"Officials said on Monday that the {right} was discussed."
            assert clean_text(kept, terminology).changes == [], (rule.id, right)
            checked += 1
    assert checked > 40


def test_house_style_from_project_config_wins(tmp_path):
    from click.testing import CliRunner

    from cleaner.cli import main

    (tmp_path / ".cleaner.yaml").write_text("house-style: [Sergey Lavrov]\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Sergei Lavrov met Blinken. Later, Sergey Lavrov left.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fix", str(article)])
    assert result.exit_code == 0, result.output
    assert article.read_text(encoding="utf-8") == "Sergey Lavrov met Blinken. Later, Sergey Lavrov left.\n"
