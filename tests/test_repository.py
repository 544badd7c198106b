"""Project configuration, baselines and the check/fix/config commands on a small repository."""
import json
import os

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from cleaner.config import ConfigError, clear_cache, load_config, settings_for
from cleaner.model import Level

DIRTY = "Senior diplomats americans Y russians met.\n\nLithuania , Latvia and Estonia.\n"
FLAGGED = "It was cold. global warming was not discussed.\n"  # a flag (lowercase-after-stop), no fix
CLEAN = "The talks ended without a deal.\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "articles" / "old").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'news'\n\n[tool.cleaner]\n"
        "fail-on = \"fix\"\n"
        "exclude = [\"drafts/*\"]\n"
        "people = { \"Wendy Sherman\" = \"she\" }\n\n"
        "[[tool.cleaner.overrides]]\npaths = [\"articles/old/*\"]\nignore = [\"capitalisation\"]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_settings_come_from_the_nearest_config_with_overrides(repo):
    (repo / "articles" / "old" / "a.txt").write_text(DIRTY, encoding="utf-8")
    s = settings_for("articles/old/a.txt")
    assert s.fail_on is Level.FIX and s.ignore == ("capitalisation",)
    assert s.people_map == {"Wendy Sherman": "she"}
    assert s.source("ignore").endswith("pyproject.toml:11 (override for articles/old/*)")
    assert s.source("fail-on").endswith("pyproject.toml:5")
    (repo / "articles" / ".cleaner.yaml").write_text("select: [punctuation]\n", encoding="utf-8")
    clear_cache()
    s = settings_for("articles/old/a.txt")
    assert s.select == ("punctuation",) and s.fail_on is Level.FLAG  # nearest file wins whole


def test_discovery_stops_at_the_repository_root(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.cleaner]\nfail-on = 'fix'\n", encoding="utf-8")
    inner = tmp_path / "repo"
    (inner / ".git").mkdir(parents=True)
    assert settings_for(str(inner / "a.txt")).config_file is None


def test_command_line_overrides_config(repo):
    s = settings_for("a.txt", {"fail-on": "flag", "select": ["punctuation"], "exclude": ["x/*"]})
    assert s.fail_on is Level.FLAG and s.source("fail-on") == "command line"
    assert s.exclude == ("drafts/*", "x/*")


@pytest.mark.parametrize(
    "text, where",
    [
        ("[tool.cleaner]\nfail-on = 'sometimes'\n", "cfg.toml:2: fail-on"),
        ("[tool.cleaner]\nselect = ['x']\ncolour = true\n", "cfg.toml:3: colour"),
        ("[tool.cleaner]\npeople = { 'Ann Lee' = 'her' }\n", "cfg.toml:2: people"),
        ("[tool.cleaner]\n[[tool.cleaner.overrides]]\nignore = ['x']\n", "cfg.toml:2: overrides"),
        ("[tool.cleaner\n", "cfg.toml: not valid TOML"),
    ],
)
def test_bad_config_names_file_line_and_key(tmp_path, text, where):
    path = tmp_path / "cfg.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    assert where in str(exc.value)


def test_bad_yaml_config_exits_2_naming_file_line_and_key(repo):
    (repo / ".cleaner.yaml").write_text("fail-on: fix\nunsafe-fixes: maybe\n", encoding="utf-8")
    (repo / "a.txt").write_text(CLEAN, encoding="utf-8")
    code, out = run("check", "a.txt")
    assert code == 2 and ".cleaner.yaml:2: unsafe-fixes" in out


def test_unknown_selector_in_config_is_an_error(repo):
    (repo / ".cleaner.yaml").write_text("ignore: [no-such-rule]\n", encoding="utf-8")
    (repo / "a.txt").write_text(CLEAN, encoding="utf-8")
    code, out = run("check", "a.txt")
    assert code == 2 and ".cleaner.yaml:1" in out and "no-such-rule" in out


def test_fail_on_decides_the_exit_code(repo):
    (repo / "flag.txt").write_text(FLAGGED, encoding="utf-8")
    assert run("check", "flag.txt")[0] == 0  # fail-on = fix: a flag alone passes
    assert run("check", "--fail-on", "flag", "flag.txt")[0] == 1
    (repo / "dirty.txt").write_text(DIRTY, encoding="utf-8")
    assert run("check", "dirty.txt")[0] == 1


def test_exclude_applies_to_files_named_on_the_command_line(repo):
    (repo / "drafts").mkdir()
    (repo / "drafts" / "d.txt").write_text(DIRTY, encoding="utf-8")
    code, out = run("check", "drafts/d.txt")
    assert code == 0 and "0 files" in out


def test_config_command_prints_values_and_sources(repo):
    code, out = run("config", "articles/old/x.md")
    assert code == 0
    assert 'ignore = ["capitalisation"]  #' in out and "override for articles/old/*" in out
    assert 'select = []  # default' in out


def test_baseline_hides_old_findings_and_catches_new_ones(repo):
    art = repo / "a.txt"
    art.write_text(DIRTY, encoding="utf-8")
    code, out = run("check", "--write-baseline", "baseline.json", "a.txt")
    assert code == 0 and "recorded 4 findings" in out
    assert run("check", "--baseline", "baseline.json", "a.txt")[0] == 0
    # Moving the old text down does not bring it back; a new artifact is caught.
    art.write_text("A new first paragraph.\n\n" + DIRTY + "\nEstonia , Latvia and Lithuania.\n", encoding="utf-8")
    code, out = run("check", "--baseline", "baseline.json", "a.txt")
    assert code == 1
    assert "a.txt:7:" in out and "a.txt:3:" not in out and "a.txt:5:" not in out
    data = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert {e["file"] for e in data["findings"]} == {"a.txt"}


def test_add_suppressions_then_check_passes_and_none_is_unused(repo):
    (repo / "a.txt").write_text(DIRTY, encoding="utf-8")
    (repo / "b.md").write_text("# Title\n\n" + DIRTY, encoding="utf-8")
    code, out = run("check", "--add-suppressions", "a.txt", "b.md")
    assert code == 0 and "added suppressions to 1 file" in out
    assert (repo / "b.md").read_text(encoding="utf-8").startswith("# Title\n\n<!-- cleaner: disable=")
    # plain text gets no visible directive line in its body: its findings are for a baseline
    assert (repo / "a.txt").read_text(encoding="utf-8") == DIRTY
    assert "1 plain-text file left as they are" in out and "--write-baseline" in out
    assert run("check", "--show-unused-suppressions", "b.md")[0] == 0


def test_show_unused_suppressions_fails_on_a_stale_directive(repo):
    (repo / "a.txt").write_text("cleaner: disable=punctuation\nAll fine here.\n", encoding="utf-8")
    assert run("check", "a.txt")[0] == 0
    code, out = run("check", "--show-unused-suppressions", "a.txt")
    assert code == 1 and "a.txt:1:1: cleaner/unused-suppression" in out


def test_people_reach_the_rules(repo, monkeypatch):
    from cleaner import project

    seen = {}
    real = project.options_for

    def spy(settings):
        options = real(settings)
        seen.update(options.settings)
        return options

    monkeypatch.setattr(project, "options_for", spy)
    (repo / "a.txt").write_text(CLEAN, encoding="utf-8")
    run("check", "a.txt")
    assert seen["people"] == {"Wendy Sherman": "she"}


def test_fix_rewrites_and_exit_codes_are_unchanged(repo):
    (repo / "a.txt").write_text(DIRTY, encoding="utf-8")
    code, _ = run("fix", "--fail-on", "flag", "a.txt")
    assert code == 0
    assert (repo / "a.txt").read_text(encoding="utf-8") == (
        "Senior diplomats Americans and Russians met.\n\nLithuania, Latvia and Estonia.\n"
    )
    assert run("check", "a.txt")[0] == 0
    assert run("check", "missing.txt")[0] == 2
    os.remove(repo / "pyproject.toml")
    (repo / "flag.txt").write_text(FLAGGED, encoding="utf-8")
    assert run("check", "flag.txt")[0] == 1  # default fail-on is flag, as before


HOUSE_PACK = """pack: house
description: House style of a test newsroom.
rules:
  - id: house/kyiv
    kind: pattern
    category: other
    level: fix
    message: "House style spells the capital Kyiv"
    pattern: '\\bKiev\\b'
    replace: 'Kyiv'
    examples:
      - text: "Talks in Kiev ended."
        result: "Talks in Kyiv ended."
    keep:
      - "Talks in Kyiv ended."
"""


def test_extra_rule_folders_are_relative_to_the_config_file(repo):
    (repo / "house").mkdir()
    (repo / "house" / "house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    (repo / "articles" / ".cleaner.yaml").write_text("rules: [../house]\nselect: [house]\n", encoding="utf-8")
    (repo / "articles" / "a.txt").write_text("Talks in Kiev ended , late.\n", encoding="utf-8")
    code, out = run("check", "articles")
    assert code == 1 and "house/kyiv" in out and "space-before-comma" not in out


def test_yaml_config_overrides_and_their_lines(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".cleaner.yaml").write_text(
        "fail-on: suggest\nexclude: ['vendor/**']\noverrides:\n  - paths: ['archive/**/*.md']\n    fail_on: fix\n"
        "    people:\n      Ann Lee: she\n",
        encoding="utf-8",
    )
    s = settings_for(str(tmp_path / "archive" / "1999" / "a.md"))
    assert s.fail_on is Level.FIX and s.people_map == {"Ann Lee": "she"}
    assert s.source("fail-on").endswith(".cleaner.yaml:5 (override for archive/**/*.md)")
    assert settings_for(str(tmp_path / "b.md")).fail_on is Level.SUGGEST
    from cleaner.config import is_excluded

    assert is_excluded(str(tmp_path / "vendor" / "x" / "y.md"), s)
    assert not is_excluded(str(tmp_path / "archive" / "a.md"), s)


def test_add_suppressions_never_writes_into_front_matter(repo):
    text = "---\ntitle: americans Y russians\n---\n\nLithuania , Latvia\n"
    (repo / "a.md").write_text(text, encoding="utf-8")
    code, out = run("check", "--add-suppressions", "a.md")
    assert "3 findings could not be suppressed inline" in out
    result = (repo / "a.md").read_text(encoding="utf-8")
    assert result.startswith("---\ntitle: americans Y russians\n---\n\n<!-- cleaner: disable=punctuation/space-before-comma -->\n")
