"""Hostile or odd inputs get a short, clear error and exit 2, never a traceback, a silent
default or a misleading report (issue 15, items 3, 8, 10, 11 and 12)."""
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cleaner.cli import main

DIRTY = "Their talks with the americans came late.\n"

# 9 levels of 9 aliases: 9^9 (387 million) strings from a few hundred bytes.
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
)


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text(DIRTY)
    return tmp_path


# -- 3: YAML alias bombs ------------------------------------------------------------

def test_an_alias_bomb_in_the_configuration_is_refused_quickly(repo):
    (repo / ".cleaner.yaml").write_text(BOMB + "select: *i\n")
    result = run("check", str(repo / "a.txt"))
    assert result.exit_code == 2
    assert "alias" in result.output and len(result.output) < 300


def test_an_alias_bomb_in_a_rule_pack_is_refused_quickly(repo):
    pack = repo / "bomb.yaml"
    pack.write_text("pack: bomb\ndescription: x\n" + BOMB + "rules: *i\n")
    result = run("check", "--rules", str(pack), str(repo / "a.txt"))
    assert result.exit_code == 2
    assert "alias" in result.output and len(result.output) < 300


def test_deeply_nested_yaml_is_refused(repo):
    (repo / ".cleaner.yaml").write_text("select: " + "[" * 5000 + "]" * 5000 + "\n")
    result = run("check", str(repo / "a.txt"))
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_the_shipped_packs_use_aliases_within_the_limit():
    from cleaner.packs import load_rules

    assert load_rules()  # pronouns.yaml and quotes.yaml share lists through aliases


# -- 8: every valid TOML form of [tool.cleaner]; an unreadable one is an error -------

@pytest.mark.parametrize("toml", [
    '[tool."cleaner"]\nexclude = ["a.txt"]\n',
    "[tool]\ncleaner.exclude = ['a.txt']\n",
    'tool = {cleaner = {exclude = ["a.txt"]}}\n',
    '[tool.cleaner]\nexclude = ["a.txt"]\n',
    "[ tool . cleaner ]\nexclude = ['a.txt']\n",
])
def test_every_toml_form_of_the_table_is_read(repo, toml):
    (repo / "pyproject.toml").write_text(toml)
    result = run("fix", str(repo / "a.txt"))
    assert result.exit_code == 0
    assert (repo / "a.txt").read_text() == DIRTY  # excluded: not rewritten
    assert "pyproject.toml" in run("config", str(repo / "a.txt")).output


def test_a_pyproject_that_is_not_utf8_is_an_error_not_none_found(repo):
    (repo / "pyproject.toml").write_bytes(b"# caf\xe9\n[tool.cleaner]\nexclude = ['a.txt']\n")
    result = run("fix", str(repo / "a.txt"))
    assert result.exit_code == 2 and "not UTF-8" in result.output
    assert (repo / "a.txt").read_text() == DIRTY
    result = run("config", str(repo / "a.txt"))
    assert result.exit_code == 2 and "none found" not in result.output


def test_invalid_toml_that_may_hold_the_table_is_an_error(repo):
    (repo / "pyproject.toml").write_text("[tool.cleaner]\nexclude = [\n")
    result = run("check", str(repo / "a.txt"))
    assert result.exit_code == 2 and "not valid TOML" in result.output


def test_a_pyproject_without_the_table_is_passed_over(repo):
    (repo / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    assert "none found" in run("config", str(repo / "a.txt")).output


# -- 10: a skipped rule is never a silent pass ---------------------------------------

@pytest.fixture
def slow_pack(tmp_path, monkeypatch):
    import cleaner.kinds.pattern as pattern

    monkeypatch.setattr(pattern, "TIMEOUT", 0.02)
    pack = tmp_path / "slow.yaml"
    pack.write_text("""pack: slow
description: a rule whose regex backtracks without end on a long run of a
rules:
  - id: slow/run
    kind: pattern
    category: other
    level: flag
    message: slow
    pattern: '(a|aa)+$'
    examples: [{text: "aa", flagged: "aa"}]
    keep: ["b"]
""")
    (tmp_path / "a.txt").write_text("Fine text here.\n\n" + "a" * 60 + "!\n")
    return tmp_path


def test_a_skipped_rule_is_said_in_the_summary(slow_pack):
    result = run("check", "--select", "slow", "--rules", str(slow_pack / "slow.yaml"), str(slow_pack / "a.txt"))
    assert "1 rule skipped" in result.output.splitlines()[-1]
    assert result.exit_code == 0  # by default a skip fails nothing, but it is said


def test_fail_on_skipped_makes_it_an_error(slow_pack):
    result = run("check", "--select", "slow", "--fail-on", "flag,skipped", "--rules", str(slow_pack / "slow.yaml"),
                 str(slow_pack / "a.txt"))
    assert result.exit_code == 2
    result = run("check", "--select", "slow", "--fail-on", "skipped", "--rules", str(slow_pack / "slow.yaml"),
                 str(slow_pack / "a.txt"))
    assert result.exit_code == 2


def test_fail_on_rejects_nonsense(repo):
    result = run("check", "--fail-on", "fix,flag", str(repo / "a.txt"))
    assert result.exit_code == 2 and "--fail-on" in result.output
    (repo / ".cleaner.yaml").write_text("fail-on: sometimes\n")
    assert run("check", str(repo / "a.txt")).exit_code == 2


def test_fail_on_skipped_in_the_configuration(repo):
    (repo / ".cleaner.yaml").write_text("fail-on: fix,skipped\n")
    out = run("config", str(repo / "a.txt")).output
    assert 'fail-on = "fix,skipped"' in out


# -- 11: file names that are not UTF-8 or hold a newline ------------------------------

@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in a name")
def test_odd_file_names_keep_json_valid_and_text_lines_whole(tmp_path):
    folder = os.fsencode(tmp_path)
    for name in (b"bad\xff.txt", b"two\nlines.txt"):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(DIRTY.encode())
    proc = subprocess.run([sys.executable, "-m", "cleaner", "check", "--format", "json", str(tmp_path)],
                          capture_output=True)
    report = json.loads(proc.stdout.decode("utf-8"))  # valid UTF-8, valid JSON
    paths = sorted(os.fsencode(f["path"]) for f in report["files"])
    assert paths == sorted(os.path.join(folder, n) for n in (b"bad\xff.txt", b"two\nlines.txt"))
    proc = subprocess.run([sys.executable, "-m", "cleaner", "check", str(tmp_path)], capture_output=True)
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 3  # two findings and the summary
    assert any(line.endswith("bad\\xff.txt:1:22: capitalisation/demonym [fix] Nationality word in lower case; "
                             "English capitalises it: “americans” → “Americans”") for line in lines)
    assert any("two\\nlines.txt:1:22:" in line for line in lines)


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in a name")
def test_a_review_page_takes_a_name_that_is_not_utf8(tmp_path):
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xff.txt"), "wb") as handle:
        handle.write(DIRTY.encode())
    page = tmp_path / "review.html"
    proc = subprocess.run([sys.executable, "-m", "cleaner", "report", str(tmp_path), "-o", str(page)],
                          capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "bad\\udcff.txt" in page.read_text(encoding="utf-8")


# -- 12: decisions files ---------------------------------------------------------------

def _decisions(path, files):
    return json.dumps({"format": "cleaner-decisions", "version": 1, "files": files})


@pytest.mark.parametrize("content, message", [
    (b'{"format": "cleaner-decisions", "version": 1, "files": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
     "nested too deep"),
    (b'{"format": "cleaner-decisions", "version": 1, "files": [], "report": "caf\xe9"}', "not UTF-8"),
    ('{"format": "cleaner-decisions", "version": 1, "files": []}'.encode("utf-16"), "UTF-16"),
])
def test_unreadable_decisions_are_clear_errors(repo, content, message):
    decisions = repo / "decisions.json"
    decisions.write_bytes(content)
    result = run("apply", "--decisions", str(decisions), str(repo / "a.txt"))
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_accepted_must_be_a_list_not_a_string(repo):
    decisions = repo / "decisions.json"
    decisions.write_text(_decisions(decisions, [{"path": str(repo / "a.txt"), "sha256": "0" * 64, "accepted": "c0123"}]))
    result = run("apply", "--decisions", str(decisions), str(repo / "a.txt"))
    assert result.exit_code == 2 and "\"accepted\" must be a list" in result.output


def test_a_file_listed_twice_is_an_error(repo):
    import hashlib

    digest = hashlib.sha256(DIRTY.encode()).hexdigest()
    decisions = repo / "decisions.json"
    decisions.write_text(_decisions(decisions, [
        {"path": str(repo / "a.txt"), "sha256": digest, "accepted": []},
        {"path": str(repo / "." / "a.txt"), "sha256": digest, "accepted": ["c1"]},
    ]))
    result = run("apply", "--decisions", str(decisions), str(repo / "a.txt"))
    assert result.exit_code == 2 and "listed twice" in result.output
    assert (repo / "a.txt").read_text() == DIRTY
