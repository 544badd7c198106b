"""Every rule's own examples and keeps, one test per rule (the sqlfluff way)."""
import pytest

from cleaner.examples import check_rule
from cleaner.packs import builtin_rules_dir, load_pack, pack_files

RULES = [rule for path in pack_files([builtin_rules_dir()]) for rule in load_pack(path, validate=False)]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_examples_and_keeps(rule):
    assert rule.examples and rule.keep
    assert check_rule(rule) == []


def test_rule_ids_are_unique():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
