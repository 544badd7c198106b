"""The command line's contract: exit codes, stdin mode, atomic in-place writes, encodings."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

from conftest import SEEDS

DIRTY = "Senior diplomats americans Y russians held talks.\n\nLithuania , Latvia and Estonia.\n"
FIXED = "Senior diplomats Americans and Russians held talks.\n\nLithuania, Latvia and Estonia.\n"
CLEAN = "Senior American and Russian diplomats held talks.\n"


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def articles(tmp_path):
    (tmp_path / "dirty.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")  # not an article: not walked
    return tmp_path


def test_check_exit_codes(articles):
    assert run("check", str(articles / "clean.txt")).exit_code == 0
    result = run("check", str(articles))
    assert result.exit_code == 1
    assert "dirty.txt:1:18: capitalisation/demonym" in result.output
    assert "notes.json" not in result.output
    assert (articles / "dirty.txt").read_text(encoding="utf-8") == DIRTY  # check writes nothing


def test_usage_errors_exit_2(articles):
    assert run("check").exit_code == 2
    assert run("check", "--format", "xml", str(articles)).exit_code == 2
    assert run("check", "--select", "no-such-rule", str(articles)).exit_code == 2


def test_select_and_ignore(articles):
    out = run("check", "--select", "spacing", str(articles / "dirty.txt")).output
    assert "space-before-comma" in out and "demonym" not in out
    out = run("check", "--ignore", "capitalisation,untranslated_word", str(articles / "dirty.txt")).output
    assert "space-before-comma" in out and "demonym" not in out and "leftover-words" not in out


def test_diff(articles):
    result = run("check", "--diff", str(articles / "dirty.txt"))
    assert result.exit_code == 1
    assert "-Senior diplomats americans Y russians held talks." in result.output
    assert "+Senior diplomats Americans and Russians held talks." in result.output


def test_json_schema(articles):
    result = run("check", "--format", "json", str(articles / "dirty.txt"))
    data = json.loads(result.output)
    assert data["version"] == 1
    (entry,) = data["files"]
    assert entry["path"].endswith("dirty.txt")
    first = entry["findings"][0]
    assert set(first) >= {"rule", "category", "level", "applied", "start", "end", "line", "column", "before", "after", "message"}
    assert DIRTY[first["start"]:first["end"]] == first["before"] == "americans"
    assert first["after"] == "Americans"


def test_github_annotations(articles):
    out = run("check", "--format", "github", str(articles / "dirty.txt")).output
    assert out.startswith("::warning file=")
    assert ",line=1,col=18,title=capitalisation/demonym::" in out


def test_fix_rewrites_in_place_and_leaves_clean_files_untouched(articles):
    clean = articles / "clean.txt"
    before = clean.stat().st_mtime_ns
    os.chmod(articles / "dirty.txt", 0o640)
    result = run("fix", str(articles))
    assert result.exit_code == 0, result.output
    assert (articles / "dirty.txt").read_text(encoding="utf-8") == FIXED
    assert oct((articles / "dirty.txt").stat().st_mode & 0o777) == "0o640"
    assert clean.stat().st_mtime_ns == before
    assert not [p for p in articles.iterdir() if "cleaner-tmp" in p.name]
    assert run("check", str(articles)).exit_code == 0  # fixed means clean


def test_fix_exits_1_when_flags_remain(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("He wanted to get the ball rolling. a diplomatic process.\n", encoding="utf-8")
    result = run("fix", str(p))
    assert result.exit_code == 1
    assert "lowercase-after-stop [flag]" in result.output


def test_fix_stdin_writes_stdout_and_reports_to_stderr():
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "fix", "-"], input=DIRTY.encode(), capture_output=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.decode() == FIXED
    assert "-:1:18: capitalisation/demonym [fixed]" in proc.stderr.decode()


def test_fix_stdin_passes_undecodable_input_through_unchanged():
    data = "caf\xe9 au lait\n".encode("latin-1")
    proc = subprocess.run([sys.executable, "-m", "cleaner", "fix", "-"], input=data, capture_output=True)
    assert proc.returncode == 2
    assert proc.stdout == data
    assert "-: error: not valid UTF-8" in proc.stderr.decode()


def test_check_stdin_json_path_is_dash():
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "check", "--format", "json", "-"], input=DIRTY.encode(), capture_output=True
    )
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["files"][0]["path"] == "-"


def test_crlf_and_bom_are_preserved(tmp_path):
    p = tmp_path / "crlf.txt"
    data = b"\xef\xbb\xbf" + DIRTY.replace("\n", "\r\n").encode()
    p.write_bytes(data)
    assert run("fix", str(p)).exit_code == 0
    assert p.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()


def test_crlf_boilerplate_deletion_keeps_crlf(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes("Body text.\r\n\r\nComments are closed.\r\n\r\nMore text.\r\n".encode())
    run("fix", str(p))
    assert p.read_bytes() == b"Body text.\r\n\r\nMore text.\r\n"


def test_bad_input_is_reported_and_the_batch_goes_on(tmp_path):
    (tmp_path / "a_binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (tmp_path / "b_latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "c_dirty.txt").write_text(DIRTY, encoding="utf-8")
    result = run("fix", str(tmp_path))
    assert result.exit_code == 2
    assert "a_binary.txt: error: binary file" in result.output
    assert "b_latin1.txt: error: not valid UTF-8: byte 0xe9 at offset 3 (line 1)" in result.output
    assert (tmp_path / "c_dirty.txt").read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "b_latin1.txt").read_bytes() == "caf\xe9 au lait".encode("latin-1")


def test_missing_file_is_an_input_error(tmp_path):
    result = run("check", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "nope.txt: error:" in result.output


def test_invalid_rule_pack_is_refused_with_file_line_and_rule(tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text(
        "pack: house\ndescription: x\nrules:\n"
        "  - id: house/bad\n    kind: pattern\n    category: spacing\n    level: fix\n"
        "    message: m\n    pattern: '(unclosed'\n    replace: ''\n"
        "    examples: [{text: a, result: a}]\n    keep: [b]\n",
        encoding="utf-8",
    )
    result = run("check", "--rules", str(pack), str(tmp_path))
    assert result.exit_code == 2
    assert f"{pack}:4: house/bad: pattern: bad regex" in result.output


def test_extra_rule_pack_is_used(tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text(
        "pack: house\ndescription: house style\nrules:\n"
        "  - id: house/kyiv\n    kind: pattern\n    category: other\n    level: fix\n"
        "    message: House style is Kyiv\n    pattern: '\\bKiev\\b'\n    replace: Kyiv\n"
        "    examples: [{text: in Kiev, result: in Kyiv}]\n    keep: [Kievan Rus]\n",
        encoding="utf-8",
    )
    art = tmp_path / "a.txt"
    art.write_text("Troops near Kiev.\n", encoding="utf-8")
    assert run("fix", "--rules", str(pack), str(art)).exit_code == 0
    assert art.read_text(encoding="utf-8") == "Troops near Kyiv.\n"


def test_rules_commands():
    out = run("rules", "list").output
    assert "boilerplate/footer" in out
    shown = run("rules", "show", "punctuation/space-before-comma")
    assert shown.exit_code == 0 and "Lithuania , Latvia" in shown.output
    assert run("rules", "show", "nope/nope").exit_code == 2
    tested = run("rules", "test")
    assert tested.exit_code == 0 and "0 problems" in tested.output


def test_rules_test_reports_a_failing_example(tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text(
        "pack: house\ndescription: x\nrules:\n"
        "  - id: house/kyiv\n    kind: pattern\n    category: other\n    level: fix\n"
        "    message: m\n    pattern: '\\bKiev\\b'\n    replace: Kyiv\n"
        "    examples:\n      - {text: in Kiev, result: in Kiev}\n    keep: [Kievan Rus, the Kiev metro]\n",
        encoding="utf-8",
    )
    result = run("rules", "test", str(pack))
    assert result.exit_code == 1
    assert "expected 'in Kiev'" in result.output
    assert "keep 'the Kiev metro' was touched" in result.output


def test_eval_on_seeds_exits_0_with_no_wrong_rewrites():
    result = run("eval", str(SEEDS / "gold.yaml"))
    assert result.exit_code == 0, result.output
    assert "wrong rewrites: 0" in result.output and "unexplained changes: 0" in result.output


def test_python_dash_m_and_version():
    proc = subprocess.run([sys.executable, "-m", "cleaner", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "cleaner, version" in proc.stdout


def test_installed_package_finds_its_rule_packs(tmp_path):
    """Run from outside the checkout, so the installed package (wheel or editable) is used."""
    code = "from cleaner.packs import builtin_rules_dir as d; import sys; print(sorted(p.name for p in d().glob('*.yaml')))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "boilerplate.yaml" in proc.stdout and "punctuation.yaml" in proc.stdout
