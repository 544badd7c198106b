"""The seed articles: scores against gold.yaml, and idempotence of every cleaning."""
import pytest

from cleaner.api import clean_path
from cleaner.engine import clean_text
from cleaner.evaluate import evaluate

from conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("0*.txt"))


@pytest.fixture(scope="module")
def evaluation(rules):
    results = {p.name: clean_path(str(p), rules).result for p in SEED_FILES}
    return evaluate(SEEDS / "gold.yaml", results)


def test_no_wrong_rewrites_and_no_unexplained_changes(evaluation):
    total = evaluation.total
    assert evaluation.errors == []
    assert total.wrong == 0, [e.id for e in evaluation.entries if e.status in ("wrong", "rewritten")]
    assert total.unexplained == 0, evaluation.unexplained


@pytest.mark.parametrize(
    "category", ["boilerplate", "spacing", "capitalisation", "untranslated_word", "stray_punctuation"]
)
def test_every_fix_entry_of_the_core_categories_is_made(evaluation, category):
    tally = evaluation.tallies[category]
    missed = [e.id for e in evaluation.entries if e.category == category and e.action == "fix" and e.status != "exact"]
    assert tally.exact == tally.fix_total, missed


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_cleaning_is_idempotent(path, rules):
    once = clean_path(str(path), rules).result
    assert once.modified
    twice = clean_text(once.cleaned, rules)
    assert twice.cleaned == once.cleaned
    assert not [c for c in twice.changes if c.applied]


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_reported_changes_rebuild_the_output(path, rules):
    """Nothing changes silently: the net edits, in original offsets, give the output."""
    from cleaner.edits import apply

    r = clean_path(str(path), rules).result
    assert apply(r.original, [(e.start, e.end, e.text) for e in r.edits]) == r.cleaned
    for e in r.edits:
        assert any(c.applied and c.start <= e.end and e.start <= c.end for c in r.changes)
