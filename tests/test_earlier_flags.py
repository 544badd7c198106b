"""Flags of an earlier pass survive when the last pass no longer sees them only because
an edit next to them changed their context."""
from pathlib import Path

import yaml

from cleaner.engine import clean_text
from cleaner.packs import load_pack

RULES = [
    {   # a flag that needs its neighbour: a teaser line is one followed by a link label
        "id": "t/teaser", "kind": "pattern", "category": "boilerplate", "level": "flag", "message": "teaser",
        "pattern": r"^[A-Z][^\n]{10,80}(?=\n\nRead on\n)", "flags": ["multiline"],
        "examples": [{"text": "Body.\n\nMayor opens the new harbour bridge\n\nRead on\n", "flagged": "Mayor opens the new harbour bridge"}],
        "keep": ["Mayor opens the new harbour bridge\n\nBody.\n"],
    },
    {   # a fix that deletes the label
        "id": "t/label", "kind": "pattern", "category": "boilerplate", "level": "fix", "message": "label",
        "pattern": r"\n\nRead on(?=\n)", "replace": "",
        "examples": [{"text": "Body.\n\nRead on\n", "result": "Body.\n"}],
        "keep": ["Read on, said the teacher.\n"],
    },
    {   # a flag whose own text a fix changes: it must not outlive the fix
        "id": "t/spaced", "kind": "pattern", "category": "spacing", "level": "flag", "message": "spaced",
        "pattern": r"\bharbour  bridge\b",
        "examples": [{"text": "the harbour  bridge", "flagged": "harbour  bridge"}],
        "keep": ["the harbour bridge"],
    },
    {
        "id": "t/double-space", "kind": "pattern", "category": "spacing", "level": "fix", "message": "double space",
        "pattern": r"(?<=\w)  (?=\w)", "replace": " ",
        "examples": [{"text": "a  b", "result": "a b"}],
        "keep": ["a b"],
    },
]


def _rules(tmp_path: Path):
    pack = tmp_path / "t.yaml"
    pack.write_text(yaml.safe_dump({"pack": "t", "description": "test", "rules": RULES}), encoding="utf-8")
    return load_pack(pack)


def test_a_flag_whose_neighbour_was_deleted_is_kept(tmp_path):
    text = "The council met on Monday.\n\nMayor opens the new harbour bridge\n\nRead on\n"
    result = clean_text(text, _rules(tmp_path))
    assert result.cleaned == "The council met on Monday.\n\nMayor opens the new harbour bridge\n"
    flags = [c for c in result.changes if c.finding.rule == "t/teaser"]
    assert len(flags) == 1 and not flags[0].applied
    assert text[flags[0].start:flags[0].end] == "Mayor opens the new harbour bridge"
    assert flags[0].line == 3


def test_a_flag_whose_text_was_rewritten_is_dropped(tmp_path):
    text = "They crossed the harbour  bridge at noon.\n"
    result = clean_text(text, _rules(tmp_path))
    assert result.cleaned == "They crossed the harbour bridge at noon.\n"
    assert [c.finding.rule for c in result.changes] == ["t/double-space"]


def test_a_flag_after_an_earlier_edit_maps_to_original_offsets(tmp_path):
    text = "The  council met.\n\nMayor opens the new harbour bridge\n\nRead on\n"
    result = clean_text(text, _rules(tmp_path))
    (flag,) = [c for c in result.changes if c.finding.rule == "t/teaser"]
    assert text[flag.start:flag.end] == "Mayor opens the new harbour bridge"
