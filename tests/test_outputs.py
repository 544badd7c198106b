"""Reports other tools read: SARIF (validated against the 2.1.0 schema), JUnit XML, JSON
Lines, -o FILE, the JSON fields end_line/end_column/url, and `cleaner rules explain`."""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

from conftest import ROOT

DIRTY = "Senior diplomats americans Y russians met.\n\nLithuania , Latvia and Estonia.\n\nIt was cold. global warming was not discussed.\n"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def articles(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "b.md").write_text("# Title\n\nAll is well.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"ok\x00\x00\x00bad")
    return tmp_path


def test_sarif_validates_against_the_schema(articles):
    jsonschema = pytest.importorskip("jsonschema")
    code, out = run("check", "--format", "sarif", ".")
    assert code == 2  # bad.txt could not be read
    log = json.loads(out)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    (sarif_run,) = log["runs"]
    results = sarif_run["results"]
    demonym = next(r for r in results if r["ruleId"] == "capitalisation/demonym")
    region = demonym["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (1, 18, 27)
    assert demonym["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "Americans"
    flag = next(r for r in results if r["ruleId"] == "punctuation/lowercase-after-stop")
    assert flag["level"] == "note" and "fixes" not in flag
    rules = sarif_run["tool"]["driver"]["rules"]
    assert rules[demonym["ruleIndex"]]["id"] == "capitalisation/demonym"
    assert rules[demonym["ruleIndex"]]["helpUri"].endswith("rules.md#capitalisation-demonym")
    (note,) = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error" and note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.txt"


def test_a_broken_sarif_log_fails_validation():
    """The schema check can fail: a result without a message is refused."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "cleaner"}}, "results": [{"ruleId": "x"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validators.validator_for(schema)(schema).validate(bad)


def test_junit(articles):
    code, out = run("check", "--format", "junit", "a.txt", "b.md", "bad.txt")
    root = ET.fromstring(out)
    assert root.tag == "testsuites" and int(root.get("errors")) == 1
    suites = {s.get("name"): s for s in root}
    a = suites["a.txt"]
    assert int(a.get("failures")) == int(a.get("tests")) >= 3
    assert any(c.find("failure").get("type") == "flag" for c in a)
    b = suites["b.md"]
    assert b.get("failures") == "0" and b[0].get("name") == "no findings"
    assert suites["bad.txt"][0].find("error") is not None


def test_jsonl_one_finding_a_line(articles):
    code, out = run("check", "--format", "jsonl", "a.txt", "bad.txt")
    records = [json.loads(line) for line in out.splitlines()]
    assert all(r["path"] in ("a.txt", "bad.txt") for r in records)
    assert records[-1]["path"] == "bad.txt" and "error" in records[-1]
    assert records[0]["rule"] == "capitalisation/demonym"


def test_json_findings_carry_end_positions_and_a_url(articles):
    (articles / "m.txt").write_text("Line one.\nIt was cold. global\r\nwarming , here.\n", encoding="utf-8")
    _, out = run("check", "--format", "json", "a.txt", "m.txt")
    files = json.loads(out)["files"]
    first = files[0]["findings"][0]
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (1, 18, 1, 27)
    assert first["url"].endswith("docs/rules.md#capitalisation-demonym")
    for f in files[1]["findings"]:
        text = (articles / "m.txt").read_bytes().decode("utf-8")
        lines = text.splitlines(keepends=True)
        offset = sum(len(x) for x in lines[: f["end_line"] - 1]) + f["end_column"] - 1
        assert offset == f["end"]


def test_output_file_is_written_atomically_for_any_format(articles):
    for fmt in ("text", "json", "jsonl", "github", "sarif", "junit"):
        target = articles / f"report.{fmt}"
        code, out = run("check", "--format", fmt, "-o", str(target), "a.txt")
        assert code == 1 and out == ""
        assert target.read_text(encoding="utf-8")
    assert not [p for p in os.listdir(articles) if p.endswith(".cleaner-tmp")]
    code, out = run("check", "-o", str(articles / "no" / "such" / "dir.txt"), "a.txt")
    assert code == 2 and "could not write the report" in out


def test_rules_explain(articles):
    code, out = run("rules", "explain", "capitalisation/demonym")
    assert code == 0
    assert out.startswith("# capitalisation/demonym\n")
    assert "Fix is safe" in out and "## Examples" in out and "## Keeps" in out
    assert "docs/rules.md#capitalisation-demonym" in out
    _, out = run("rules", "explain", "punctuation/lowercase-after-stop")
    assert "No fix: reported for a person" in out
    assert run("rules", "explain", "no/such-rule")[0] == 2


def test_the_rule_reference_is_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_rule_docs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_a_project_rule_has_no_shipped_documentation_url(articles):
    pack = ("pack: house\ndescription: House spellings\nrules:\n"
            "  - id: house/kyiv\n    kind: pattern\n    category: other\n    level: fix\n"
            "    message: House style is Kyiv\n    pattern: '\\bKiev\\b'\n    replace: Kyiv\n"
            "    examples:\n      - {text: \"troops near Kiev\", result: \"troops near Kyiv\"}\n"
            "    keep:\n      - \"Kievan Rus\"\n")
    (articles / "house.yaml").write_text(pack, encoding="utf-8")
    (articles / "k.txt").write_text("Troops near Kiev.\n", encoding="utf-8")
    _, out = run("check", "--rules", "house.yaml", "--format", "json", "k.txt")
    (finding,) = json.loads(out)["files"][0]["findings"]
    assert finding["rule"] == "house/kyiv" and finding["url"] is None
    _, out = run("check", "--rules", "house.yaml", "--format", "sarif", "k.txt")
    (rule,) = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert "helpUri" not in rule
