"""Inferring the source language: cues, families of candidates, rule-level evidence."""
from pathlib import Path

import pytest
import yaml

from cleaner.document import Document
from cleaner.engine import clean_text
from cleaner.model import Finding, Level
from cleaner.packs import PackError, load_pack
from cleaner.rule import Rule
from cleaner.source_language import cues, infer

from conftest import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"


def _finding(start: int, end: int, evidence) -> Finding:
    return Finding(rule="x/y", category="other", level=Level.FLAG, start=start, end=end, before="w",
                   after=None, message="m", evidence=evidence)


def _rule(when) -> Rule:
    return Rule(id="x/y", kind="pattern", category="other", level=Level.FLAG, message="m", examples=[], keep=[],
                options={}, when=when)


def test_a_shared_calque_makes_a_family_not_a_language():
    doc = Document("A deep illusion for all corners of the region, she said today.")
    shared = (("es", 2 / 3), ("it", 2 / 3), ("pt", 2 / 3))
    src = infer(doc, [_finding(7, 15, shared)])
    assert src.code == "unknown" and src.candidates == ("es", "it", "pt")
    assert src.languages == ("es", "it", "pt")
    # too little evidence for even a family
    weak = infer(doc, [_finding(7, 15, (("es", 0.5), ("it", 0.5)))])
    assert weak.candidates == () and weak.languages == ("unknown",)


def test_family_scoping_keeps_source_and_source_not_complementary():
    family = ("es", "it", "pt")
    assert _rule({"source": ["es", "it", "pt"]}).applies_to(family)
    assert _rule({"source": ["es", "fr", "it", "pt"]}).applies_to(family)
    assert not _rule({"source": "es"}).applies_to(family)
    assert not _rule({"source_not": ["es", "it", "pt"]}).applies_to(family)
    assert _rule({"source_not": ["es", "it", "pt"]}).applies_to(("es", "fr"))
    assert not _rule({"source": ["es", "it", "pt"]}).applies_to(("es", "fr"))
    assert _rule({"source_not": ["es"]}).applies_to("unknown") and not _rule({"source": ["es"]}).applies_to("unknown")


@pytest.mark.parametrize("text, code", [
    # written for this test, each in the manner of a translated wire story
    ("The President of the Government spoke this morning at the palace about the budget.", "es"),
    ("The Ministry of Health of the Nation said cases fell, and the hospitals are calmer.", "es"),
    ("The centre (CNP, for its acronym in Spanish) opened on Tuesday to the press.", "es"),
    ("“Our country – she explains – is ready for the summit,” and the talks went on.", None),
    ("“The harbour – he assures – will reopen soon,” the mayor of the port told the premier Mario Rossi.", "it"),
    ("Exports grew 2,5 % last year, and the debt reached 1,3 million euros, said the minister.", "es|fr|it|pt|de|ru"),
    ("The interview ended.\n\n>> Find the morning show in podcast and replay here", "fr"),
    ("“We are ready, ”said the head of the White House after the call.", "ru"),
    ("The port reopens.\n\nWe recommend you read:\n\nThe ferry will sail on Monday, said the mayor.", None),
    ("The port reopens.\n\nWe recommend you read:\n\n“The ferry will sail on Monday, ”he said.", "es"),
])
def test_cues_point_to_the_source_language(text, code):
    src = infer(Document(text), [])
    if code is None:  # one weak cue is not enough
        assert src.code == "unknown" and not src.candidates, src.scores
    elif "|" in code:  # a family, no one language
        assert src.code == "unknown" and set(src.candidates) == set(code.split("|")), src.scores
    else:
        assert src.code == code, src.scores


@pytest.mark.parametrize("text", [
    # fluent English that shares words with the cues
    "The president of the government's audit board resigned, and the community of nations responded.",
    "The head of the committee will be announced this Thursday by the board.",
    "He called the premier on Friday. Today, we launch the product in Madrid.",
    "The acronym stands for nothing in English; it is a brand.",
    "“We are ready,” said the spokesman for the department, “to talk.”",
    "The deal was signed on Tuesday in the presence of the Nation’s leaders.",
    "The popular vote went against him, and the popular mood soured.",
    "We recommend you read the whole report before the vote.",
    "Prices rose 2.5% in May; sales of 1,250 million units and 3,000 dollars were reported.",
])
def test_fluent_english_gives_no_source_language(text):
    src = infer(Document(text), [])
    assert src.code == "unknown" and not src.candidates, src.evidence


def test_cue_literals_cover_their_patterns():
    """Each cue's literals prefilter must let through every text its pattern matches."""
    for cue in cues():
        assert cue.pattern.literals is None or all(lit == lit.lower() for lit in cue.pattern.literals), cue.name
        total = sum(w for _, w in cue.shares)
        assert abs(total - cue.weight) < 1e-9, cue.name


def test_a_rule_can_give_its_findings_evidence(tmp_path: Path):
    pack = tmp_path / "p.yaml"
    pack.write_text(yaml.safe_dump({"pack": "p", "description": "test pack", "rules": [{
        "id": "p/word", "kind": "pattern", "category": "untranslated_word", "level": "flag", "message": "left",
        "pattern": r"\bquesto\b", "evidence": {"it": 2},
        "examples": [{"text": "in questo case", "flagged": "questo"}], "keep": ["in this case"],
    }]}), encoding="utf-8")
    rules = load_pack(pack)
    result = clean_text("He said questo twice, and questo again.", rules)
    assert result.source_language.code == "it"
    assert any("p/word" in e for e in result.source_language.evidence)
    bad = tmp_path / "bad.yaml"
    bad.write_text(pack.read_text(encoding="utf-8").replace("it: 2", "it: nothing"), encoding="utf-8")
    with pytest.raises(PackError, match="evidence"):
        load_pack(bad)


@pytest.mark.skipif(not (CORPUS / "english-news").is_dir(), reason="shared corpus absent")
def test_no_english_original_article_gets_a_source_language(rules):
    folders = [CORPUS / "english-news", CORPUS / "clean-pages", ROOT / "tests" / "corpus" / "clean"]
    wrong = []
    for path in sorted(p for f in folders if f.is_dir() for p in f.glob("*.txt")):
        src = clean_text(path.read_text(encoding="utf-8"), rules).source_language
        if src.code != "unknown" or src.candidates:
            wrong.append((path.name, src.scores))
    assert not wrong


def test_the_text_report_names_a_family_of_candidates():
    from cleaner import formatters
    from cleaner.model import FileResult, SourceLanguage

    src = SourceLanguage("unknown", ("es+0.67/it+0.67/pt+0.67: a calque",), (("es", 0.67),), ("es", "it", "pt"))
    assert formatters.source_line("a.txt", src).startswith("a.txt: translated from es, it or pt (evidence: es+0.67")
    unknown = formatters.text_report([FileResult(path="b.txt", original="x", cleaned="x", source_language=SourceLanguage())])
    assert "translated from" not in unknown
