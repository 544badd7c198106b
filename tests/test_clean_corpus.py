"""Fluent English must come out byte-identical and raise nothing (precision before recall)."""
from pathlib import Path

import pytest

from cleaner.api import clean_path

from conftest import CORPUS

FILES = sorted((CORPUS / "clean").glob("*.*"))


def test_corpus_is_big_enough():
    paragraphs = sum(len([p for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]) for f in FILES)
    assert paragraphs >= 30


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_clean_text_is_left_alone(path: Path, rules):
    outcome = clean_path(str(path), rules)
    result = outcome.result
    assert result.error is None
    assert [(c.line, c.finding.rule, c.finding.before) for c in result.changes] == []
    assert result.cleaned == result.original
