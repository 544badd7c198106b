"""The review page data, decisions and `cleaner apply`, without a browser."""
from __future__ import annotations

import hashlib
import json
import re

import pytest
from click.testing import CliRunner

from cleaner import api
from cleaner.cli import main
from cleaner.decisions import DecisionsError, parse
from cleaner.review import build_report, json_for_script, page_data, review_inputs
from cleaner.termdiff import word_diff
from cleaner.worddiff import visible, word_ops

ARTICLE = (
    "WorldTalks open in Geneva\n\nTalks open in Geneva\n\n"
    "Senior diplomats americans Y russians met on Monday. the talks were long.\n\n"
    "Officials met in the city, and nobody spoke to reporters.\n\n"
    "Please enter your comment!\nPlease enter your name here\n"
)


def _data(tmp_path, rules, text=ARTICLE, name="a.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, page_data(review_inputs([str(path)], rules))


def _decisions(data, reject=()):
    files = []
    for f in data["files"]:
        ids = [c["id"] for c in f["changes"] if c["kind"] == "change"]
        files.append({"path": f["path"], "sha256": f["sha256"],
                      "accepted": [i for i in ids if i not in reject], "rejected": [i for i in ids if i in reject]})
    return {"format": "cleaner-decisions", "version": 1, "report": data["report"], "files": files}


def test_word_ops_show_words_not_lines():
    assert word_ops("– “Severe costs” –", "“Severe costs”") == [("-", "– "), ("=", "“Severe costs”"), ("-", " –")]
    assert word_ops("americans Y russians", "Americans and Russians") == [("-", "americans Y russians"), ("+", "Americans and Russians")]
    assert word_ops("the cold war", "the Cold War") == [("=", "the "), ("-", "cold war"), ("+", "Cold War")]
    assert word_ops("abc", "") == [("-", "abc")]


def test_visible_marks_deleted_double_and_hard_spaces():
    assert visible(" ") == "·"
    assert visible(" ).") == "·)."
    assert visible("a  b") == "a··b"
    assert visible("a b") == "a b"
    assert visible("x\u00a0y") == "x⍽y"


def test_page_data_covers_text_and_changes(tmp_path, rules):
    path, data = _data(tmp_path, rules)
    f = data["files"][0]
    assert f["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    # The paragraphs, read back with each hunk's old text, are the original, in order.
    original = path.read_text(encoding="utf-8")
    for p in f["paragraphs"]:
        text = "".join(s[0] if isinstance(s, list) else f["hunks"][s["h"]]["del"] if "h" in s else "" for s in p["segs"])
        assert original[p["start"]:p["start"] + len(text)] == text
    # Every applied change sits in exactly one hunk, and every hunk is shown exactly once.
    changes = [c for c in f["changes"] if c["kind"] == "change"]
    assert changes and all(sum(c["id"] in h["changes"] for h in f["hunks"]) == 1 for c in changes)
    shown = [s["h"] for p in f["paragraphs"] for s in p["segs"] if isinstance(s, dict) and "h" in s]
    assert sorted(shown) == list(range(len(f["hunks"])))
    flags = [c for c in f["changes"] if c["kind"] == "flag"]
    assert flags, "the lower-case word after a full stop is flagged"
    flagged = {i for p in f["paragraphs"] for s in p["segs"] if isinstance(s, list) for i in s[1]}
    assert {c["id"] for c in flags} <= flagged | {i for h in f["hunks"] for i in h.get("flags", [])}


def test_ids_match_the_json_report(tmp_path, rules):
    path, data = _data(tmp_path, rules)
    result = api.clean_path(str(path), rules, api.Options(unsafe_fixes=True)).result
    assert [c["id"] for c in data["files"][0]["changes"]] == [c.id for c in result.changes]
    assert len({c.id for c in result.changes}) == len(result.changes)


def test_page_is_self_contained_and_escaped(tmp_path, rules):
    text = ARTICLE + "\n</script><script>alert(1)</script> <!-- & \u2028\n"
    path, data = _data(tmp_path, rules, text)
    html = build_report(review_inputs([str(path)], rules))
    assert "<script>alert" not in html and "<!-- &" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    payload = json_for_script({"t": "</script><!--&"})
    assert "<" not in payload and json.loads(payload) == {"t": "</script><!--&"}


def test_report_and_apply_cli(tmp_path, rules, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    made = runner.invoke(main, ["report", "a.txt", "-o", "review.html"])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "review.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    data = page_data(review_inputs(["a.txt"], rules))
    changes = [c for c in data["files"][0]["changes"] if c["kind"] == "change"]
    y = next(c for c in changes if c["before"] == "Y")
    (tmp_path / "d.json").write_text(json.dumps(_decisions(data, reject={y["id"]})), encoding="utf-8")
    done = runner.invoke(main, ["apply", "--decisions", "d.json", "a.txt"])
    assert done.exit_code == 0, done.output
    result = (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert "Americans Y Russians" in result and "Please enter" not in result
    fixed = api.clean_text(ARTICLE, rules).cleaned
    assert result == fixed.replace("Americans and Russians", "Americans Y Russians")


def test_apply_refuses_changed_or_unknown_files_and_writes_nothing(tmp_path, rules, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    data = page_data(review_inputs(["a.txt", "b.txt"], rules))
    (tmp_path / "d.json").write_text(json.dumps(_decisions(data)), encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE + "\nA late edit.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(main, ["apply", "--decisions", "d.json", "a.txt", "b.txt", "c.txt"])
    assert refused.exit_code == 2
    assert "b.txt: changed since the report was made" in refused.output
    assert "c.txt: not in the reviewed report" in refused.output
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == ARTICLE  # nothing written, a.txt included


def test_accepting_nothing_changes_nothing(tmp_path, rules):
    _, data = _data(tmp_path, rules)
    decisions = _decisions(data, reject={c["id"] for c in data["files"][0]["changes"]})
    from cleaner import decisions as dec

    plan = dec.plan(parse(json.dumps(decisions)), [str(tmp_path / "a.txt")], rules)
    assert not plan[0].result.modified and plan[0].missing == []


@pytest.mark.parametrize("text", ["{}", "[1]", '{"format": "cleaner-decisions", "version": 9}', "nope"])
def test_bad_decisions_files_are_refused(text):
    with pytest.raises(DecisionsError):
        parse(text)


def test_terminal_word_diff(tmp_path, rules):
    result = api.clean_text(ARTICLE, rules, path="a.txt")
    plain = word_diff(result, color=False)
    assert "[-americans-]{+Americans+} [-Y-]{+and+} [-russians-]{+Russians+}" in plain
    assert "\x1b[" not in plain
    coloured = word_diff(result, color=True)
    assert "\x1b[31;9mamericans\x1b[0m\x1b[32;1mAmericans\x1b[0m" in coloured


def test_check_diff_is_unified_when_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = CliRunner().invoke(main, ["check", "--diff", "a.txt"]).output
    assert out.startswith("--- a/a.txt\n+++ b/a.txt\n")
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = CliRunner().invoke(main, ["check", "--diff", "a.txt"]).output
    assert "\x1b[32;1mAmericans" in out


def test_unreadable_and_empty_files_are_listed(tmp_path, rules, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "crlf.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode())
    data = page_data(review_inputs(["bin.txt", "empty.txt", "crlf.txt"], rules))
    binary, empty, crlf = data["files"]
    assert "binary" in binary["error"] and binary["changes"] == []
    assert empty["paragraphs"] == [{"start": 0, "segs": []}]
    assert any(c["kind"] == "change" for c in crlf["changes"])
    result = CliRunner().invoke(main, ["report", "bin.txt", "empty.txt", "-o", "r.html"])
    assert result.exit_code == 2 and "bin.txt: error" in result.output
    assert (tmp_path / "r.html").exists()
    assert CliRunner().invoke(main, ["report", "-", "-o", "r.html"]).exit_code == 2


SUGGEST_PACK = """pack: reviewtest
rules:
  - id: reviewtest/meeting
    kind: pattern
    category: garbled_phrase
    level: suggest
    message: "Calque: say “meeting”"
    pattern: '\\breunion\\b'
    replace: 'meeting'
    examples:
      - text: "the reunion ended"
        result: "the meeting ended"
    keep:
      - "the reunions were long"
"""


def test_suggestions_are_changes_to_accept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack.yaml").write_text(SUGGEST_PACK, encoding="utf-8")
    (tmp_path / "a.txt").write_text("The reunion ended late. The reunion was long.\n", encoding="utf-8")
    from cleaner.packs import load_rules

    rules = load_rules([str(tmp_path / "pack.yaml")])
    data = page_data(review_inputs(["a.txt"], rules))
    changes = [c for c in data["files"][0]["changes"] if c["rule"] == "reviewtest/meeting"]
    assert [c["kind"] for c in changes] == ["change", "change"] and changes[0]["level"] == "suggest"
    (tmp_path / "d.json").write_text(json.dumps(_decisions(data, reject={changes[1]["id"]})), encoding="utf-8")
    done = CliRunner().invoke(main, ["apply", "--rules", "pack.yaml", "--decisions", "d.json", "a.txt"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "The meeting ended late. The reunion was long.\n"


def test_report_proposes_suggestions_without_accepting_them(tmp_path, monkeypatch):
    """A decisions file that leaves a suggestion undecided does not apply it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack.yaml").write_text(SUGGEST_PACK, encoding="utf-8")
    (tmp_path / "a.txt").write_text("The reunion ended late.\n", encoding="utf-8")
    from cleaner.packs import load_rules

    data = page_data(review_inputs(["a.txt"], load_rules([str(tmp_path / "pack.yaml")])))
    (change,) = [c for c in data["files"][0]["changes"] if c["rule"] == "reviewtest/meeting"]
    doc = _decisions(data)
    doc["files"][0].update(accepted=[], rejected=[], proposed=[change["id"]])
    (tmp_path / "d.json").write_text(json.dumps(doc), encoding="utf-8")
    done = CliRunner().invoke(main, ["apply", "--rules", "pack.yaml", "--decisions", "d.json", "a.txt"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "The reunion ended late.\n"


# -- flags: what the editor did with them, written by `cleaner apply` --------------------

TALKS = (
    "Ministers meet in Lisbon\n\n"
    "Deputy minister Sergei Riabkov told reporters that the americans Y russians would meet again, "
    "and Sergey Ryabkov assured that nothing had been decided.\n\n"
    "The delegation arrived in Lisbon on Tuesday. the talks went on late into the night.\n"
)


def _flag_entry(c, resolution, after=None):
    entry = {"id": c["id"], "start": c["start"], "end": c["end"], "before": c["before"], "resolution": resolution}
    if after is not None:
        entry["after"] = after
    return entry


def _v2(data, flags=()):
    """A version-2 decisions document: the fixes accepted, the suggestions left proposed."""
    doc = _decisions(data)
    doc["version"] = 2
    for f in doc["files"]:
        by_id = {c["id"]: c for c in next(x for x in data["files"] if x["path"] == f["path"])["changes"]}
        f["proposed"] = [i for i in f["accepted"] if by_id[i]["level"] == "suggest"]
        f["accepted"] = [i for i in f["accepted"] if by_id[i]["level"] == "fix"]
        f["flags"] = list(flags)
    return doc


def test_false_friend_flags_carry_drop_in_proposals(tmp_path, rules):
    from cleaner.kinds._language_phrases import drop_in_wordings

    assert drop_in_wordings("said that", "", " that") == ("said",)
    assert drop_in_wordings("he insisted, he stressed", "", "") == ("he insisted", "he stressed")
    assert drop_in_wordings("intend(s) to", "", " to invade") == ()
    assert drop_in_wordings("a possible …", "", "") == ()
    assert drop_in_wordings("scare quotes around the word meant, or nothing", "", "") == ()
    _, data = _data(tmp_path, rules, TALKS)
    assured = next(c for c in data["files"][0]["changes"] if c["before"] == "assured")
    assert assured["kind"] == "flag" and assured["proposals"] == ["said"]
    stop = next(c for c in data["files"][0]["changes"] if c["rule"] == "punctuation/lowercase-after-stop")
    assert "proposals" not in stop
    report = api.clean_text(TALKS, rules, api.Options(unsafe_fixes=True), path="a.txt")
    assert next(c for c in report.changes if c.finding.before == "assured").to_dict()["proposals"] == ["said"]


def test_apply_writes_the_editors_words_for_a_flag(tmp_path, rules, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TALKS, encoding="utf-8")
    data = page_data(review_inputs(["a.txt"], rules))
    changes = data["files"][0]["changes"]
    assured = next(c for c in changes if c["before"] == "assured")
    stop = next(c for c in changes if c["rule"] == "punctuation/lowercase-after-stop")
    doc = _v2(data, flags=[_flag_entry(assured, "replace", "insisted"), _flag_entry(stop, "keep")])
    (tmp_path / "d.json").write_text(json.dumps(doc), encoding="utf-8")
    done = CliRunner().invoke(main, ["apply", "--decisions", "d.json", "a.txt"])
    assert done.exit_code == 0, done.output
    assert "1 flag replaced" in done.output
    text = (tmp_path / "a.txt").read_text(encoding="utf-8")
    # The editor's word and the fixes are in; the suggestions (never accepted) are not.
    assert "and Sergey Ryabkov insisted that nothing" in text
    assert "the Americans and Russians would" in text
    assert "Tuesday. the talks" in text


def test_a_flag_replacement_inside_an_accepted_change_is_not_written(tmp_path, rules, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TALKS, encoding="utf-8")
    data = page_data(review_inputs(["a.txt"], rules))
    y = next(c for c in data["files"][0]["changes"] if c["before"] == "Y")
    # A made-up flag over the fixed "Y": the accepted fix wins and the editor is told.
    fake = {"id": "c000000000000", "start": y["start"], "end": y["end"], "before": "Y", "resolution": "replace", "after": "or"}
    (tmp_path / "d.json").write_text(json.dumps(_v2(data, flags=[fake])), encoding="utf-8")
    done = CliRunner().invoke(main, ["apply", "--decisions", "d.json", "a.txt"])
    assert done.exit_code == 1
    assert "flag c000000000000 was not written: it overlaps an accepted change" in done.output
    assert "Americans and Russians" in (tmp_path / "a.txt").read_text(encoding="utf-8")
    # Rejecting the fix lets the editor's word in.
    (tmp_path / "a.txt").write_text(TALKS, encoding="utf-8")
    doc = _v2(data, flags=[fake])
    doc["files"][0]["accepted"].remove(y["id"])
    doc["files"][0]["rejected"] = [y["id"]]
    (tmp_path / "d.json").write_text(json.dumps(doc), encoding="utf-8")
    done = CliRunner().invoke(main, ["apply", "--decisions", "d.json", "a.txt"])
    assert done.exit_code == 0, done.output
    assert "Americans or Russians" in (tmp_path / "a.txt").read_text(encoding="utf-8")


def test_a_flag_replacement_on_other_text_is_refused(tmp_path, rules, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TALKS, encoding="utf-8")
    data = page_data(review_inputs(["a.txt"], rules))
    assured = next(c for c in data["files"][0]["changes"] if c["before"] == "assured")
    wrong = dict(_flag_entry(assured, "replace", "said"), start=assured["start"] + 1, end=assured["end"] + 1)
    (tmp_path / "d.json").write_text(json.dumps(_v2(data, flags=[wrong])), encoding="utf-8")
    done = CliRunner().invoke(main, ["apply", "--decisions", "d.json", "a.txt"])
    assert done.exit_code == 2 and "nothing written" in done.output and "but the file has" in done.output
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == TALKS


GOOD_FLAG = {"id": "c0123456789ab", "start": 3, "end": 5, "before": "ab", "resolution": "replace", "after": "x"}


@pytest.mark.parametrize("change, problem", [
    ({"id": "x1"}, "change id"),
    ({"start": -1}, "offsets"),
    ({"end": 2}, "offsets"),
    ({"start": True}, "offsets"),
    ({"before": "abc"}, "flagged text"),
    ({"resolution": "delete"}, "resolution"),
    ({"after": None}, "needs \"after\""),
    ({"resolution": "keep"}, "no \"after\""),
])
def test_bad_flag_decisions_are_refused(change, problem):
    entry = {k: v for k, v in dict(GOOD_FLAG, **change).items() if v is not None}
    doc = {"format": "cleaner-decisions", "version": 2,
           "files": [{"path": "a.txt", "sha256": "0" * 64, "accepted": [], "flags": [entry]}]}
    with pytest.raises(DecisionsError, match=problem):
        parse(json.dumps(doc))


def test_flag_decisions_parse_and_overlaps_are_refused():
    doc = {"format": "cleaner-decisions", "version": 2,
           "files": [{"path": "a.txt", "sha256": "0" * 64, "accepted": [], "flags": [GOOD_FLAG]}]}
    (entry,) = parse(json.dumps(doc)).files
    assert entry.replacements[0].after == "x"
    assert parse(json.dumps(dict(doc, version=1))).files[0].flags == entry.flags  # version 1 reads too
    other = dict(GOOD_FLAG, id="c0123456789ac", start=4, end=6, before="bc")
    doc["files"][0]["flags"] = [GOOD_FLAG, other]
    with pytest.raises(DecisionsError, match="overlap"):
        parse(json.dumps(doc))
    doc["files"][0]["flags"] = [GOOD_FLAG, GOOD_FLAG]
    with pytest.raises(DecisionsError, match="decided twice"):
        parse(json.dumps(doc))
    doc["files"][0]["flags"] = {"not": "a list"}
    with pytest.raises(DecisionsError, match="must be a list"):
        parse(json.dumps(doc))
