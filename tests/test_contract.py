"""One contract for every command (issue 14): configuration everywhere, stdin that knows
its format, suppressions that make files pass, clean machine output, clear errors."""
import json
import shutil

import pytest
from click.testing import CliRunner

from cleaner.cli import main

from conftest import SEEDS

DIRTY = "Senior diplomats americans Y russians met.\n\nLithuania , Latvia and Estonia.\n"
CLEAN = "The talks ended without a deal.\n"
PRONOUN = ("US Deputy Secretary of State Wendy Sherman arrived in Geneva on Monday. "
           "Sherman said that he would meet the delegation.\n")


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository whose configuration excludes drafts/ and ignores the demonym rule."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        "[tool.cleaner]\nexclude = [\"drafts/*\"]\nignore = [\"capitalisation/demonym\"]\n", encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "drafts").mkdir()
    for i in range(3):
        (tmp_path / "articles" / f"a{i}.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "drafts" / "d.txt").write_text(DIRTY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# 1. every command takes the same discovery and --config --------------------------------

def test_report_covers_the_files_check_covers_without_ignored_rules(repo):
    code, out = run("check", ".")
    assert "3 files" in out and "capitalisation/demonym" not in out
    code, _ = run("report", ".", "-o", "review.html")
    assert code == 0
    page = (repo / "review.html").read_text(encoding="utf-8")
    assert "articles/a0.txt" in page and "drafts/d.txt" not in page
    assert "capitalisation/demonym" not in page


def test_apply_writes_only_what_the_configuration_allows(repo):
    from cleaner.engine import Options
    from cleaner.packs import load_rules
    from cleaner.review import review_inputs

    items = review_inputs(["articles/a0.txt"], load_rules(), Options(unsafe_fixes=True))
    accepted = [c.id for c in items[0].result.changes if c.applied]  # including the ignored rule's
    decisions = {"format": "cleaner-decisions", "version": 1, "files": [{"path": "articles/a0.txt", "sha256": items[0].sha256, "accepted": accepted}]}
    (repo / "decisions.json").write_text(json.dumps(decisions), encoding="utf-8")
    code, out = run("apply", "--decisions", "decisions.json", "articles/a0.txt")
    assert code == 1 and "could not be applied" in out  # the ignored rule's change is refused
    text = (repo / "articles" / "a0.txt").read_text(encoding="utf-8")
    assert "americans" in text  # the ignored rule's change was not written
    assert "Lithuania, Latvia" in text


def test_rules_list_and_eval_honour_the_configuration(repo):
    _, out = run("rules", "list")
    assert "capitalisation/demonym" not in out and "punctuation/space-before-comma" in out
    other = repo / "other.toml"
    other.write_text("[tool.cleaner]\nignore = [\"punctuation\"]\n", encoding="utf-8")
    _, out = run("rules", "list", "--config", str(other))
    assert "capitalisation/demonym" in out and "punctuation/space-before-comma" not in out
    gold = repo / "articles" / "gold.yaml"
    gold.write_text("- {id: g1, file: a0.txt, category: capitalisation, before: americans, after: Americans, action: fix}\n",
                    encoding="utf-8")
    code, out = run("eval", str(gold))
    assert "0/1" in out or "missed" in out  # the configuration ignores the rule that would make it
    code, out = run("eval", "--config", str(other), str(gold))
    assert "1/1" in out


# 2. stdin knows its format -------------------------------------------------------------

def test_stdin_filename_picks_the_format(repo):
    md = "# Notes\n\n```\namericans Y russians\n```\n\nLithuania , Latvia\n"
    result = CliRunner().invoke(main, ["fix", "-", "--stdin-filename", "articles/n.md"], input=md)
    assert result.stdout.startswith("# Notes\n\n```\namericans Y russians\n```\n")  # code untouched
    assert "Lithuania, Latvia" in result.stdout
    assert "articles/n.md:7:10" in result.stderr  # reported under the name given
    result = CliRunner().invoke(main, ["fix", "-"], input=md)
    assert "americans Y russians" not in result.stdout  # without the name, plain text: the "code" is cleaned


# 3. --add-suppressions makes files pass -------------------------------------------------

def test_add_suppressions_makes_markdown_pass_a_second_check(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for seed in sorted(SEEDS.glob("00*.txt")):
        shutil.copy(seed, tmp_path / (seed.stem + ".md"))
    code, out = run("check", "--add-suppressions", ".")
    assert code == 0 and "added suppressions to 5 files" in out
    code, out = run("check", "--show-unused-suppressions", ".")
    assert code == 0, out
    assert out.endswith("5 files: 0 fixable in 0 files, 0 suggestions (--unsafe-fixes), 0 flags\n")


# 4. --diff never spoils a machine-readable report --------------------------------------

def test_diff_with_json_is_refused_or_goes_beside_the_report(repo):
    code, out = run("check", "--diff", "--format", "json", "articles/a0.txt")
    assert code == 2 and "-o FILE" in out
    code, out = run("check", "--diff", "--format", "json", "-o", "report.json", "articles/a0.txt")
    assert code == 1 and out.startswith("--- a/articles/a0.txt")
    data = json.loads((repo / "report.json").read_text(encoding="utf-8"))
    assert data["files"][0]["findings"]


# 5. eval on a file that is not a gold file ----------------------------------------------

def test_eval_on_a_bad_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["eval", str(SEEDS / "README.md")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.output.startswith(f"Error: {SEEDS / 'README.md'}:")
    mapping = tmp_path / "gold.yaml"
    mapping.write_text("title: not a list\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(mapping)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "not a gold file: expected a list of entries" in result.output
    mapping.write_text("- {id: x, file: a.txt}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(mapping)])
    assert result.exit_code == 2 and "entry 1: not a gold entry (missing category, before, action)" in result.output


# 6. the summary after a baseline --------------------------------------------------------

def test_baseline_summary_counts_only_what_is_shown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for i in range(6):
        (tmp_path / f"a{i}.txt").write_text(DIRTY, encoding="utf-8")
    run("check", "--write-baseline", "base.json", ".")
    (tmp_path / "a0.txt").write_text(DIRTY + "\nEstonia , Latvia and Lithuania.\n", encoding="utf-8")
    code, out = run("check", "--baseline", "base.json", ".")
    assert code == 1
    assert out.splitlines()[-1] == "6 files: 1 fixable in 1 file, 0 suggestions (--unsafe-fixes), 0 flags"
    assert out.count("translated from") == 1  # only for the file with something to show


# 8. the source language can be set ------------------------------------------------------

def test_source_language_setting_and_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.txt").write_text(PRONOUN, encoding="utf-8")
    _, out = run("check", "p.txt")
    assert "pronouns/gender-check [flag]" in out
    _, out = run("check", "--source-language", "es", "p.txt")
    assert "pronouns/gender [fix]" in out and "translated from es" in out
    (tmp_path / ".cleaner.yaml").write_text("source-language: es\n", encoding="utf-8")
    _, out = run("check", "p.txt")
    assert "pronouns/gender [fix]" in out
    (tmp_path / ".cleaner.yaml").write_text("source-language: spanish\n", encoding="utf-8")
    code, out = run("check", "p.txt")
    assert code == 2 and ".cleaner.yaml:1: source-language: must be a language code" in out
    assert run("check", "--source-language", "Spanish!", "p.txt")[0] == 2


# 9. configuration ergonomics ------------------------------------------------------------

def test_extend_refines_the_root_configuration(repo):
    (repo / "articles" / ".cleaner.yaml").write_text("extend: ../pyproject.toml\nfail-on: fix\n", encoding="utf-8")
    from cleaner.config import clear_cache, settings_for

    clear_cache()
    s = settings_for("articles/a0.txt")
    assert s.ignore == ("capitalisation/demonym",) and s.fail_on.value == "fix"
    _, out = run("config", "articles/a0.txt")
    assert "extend = \"../pyproject.toml\"" in out and "pyproject.toml:3" in out
    (repo / "articles" / ".cleaner.yaml").write_text("extend: .cleaner.yaml\n", encoding="utf-8")
    code, out = run("check", "articles")
    assert code == 2 and "cycle" in out


def test_an_override_ignore_adds_to_the_file_ignore(repo):
    (repo / "pyproject.toml").write_text(
        "[tool.cleaner]\nignore = [\"capitalisation/demonym\"]\n\n"
        "[[tool.cleaner.overrides]]\npaths = [\"articles/*\"]\nignore = [\"punctuation\"]\n", encoding="utf-8")
    from cleaner.config import clear_cache, settings_for

    clear_cache()
    assert settings_for("articles/a0.txt").ignore == ("capitalisation/demonym", "punctuation")


def test_gitignored_files_are_not_walked(repo):
    (repo / ".gitignore").write_text("build/\n*.gen.txt\n", encoding="utf-8")
    (repo / "articles" / "build").mkdir()
    (repo / "articles" / "build" / "b.txt").write_text(DIRTY, encoding="utf-8")
    (repo / "articles" / "x.gen.txt").write_text(DIRTY, encoding="utf-8")
    _, out = run("check", "articles")
    assert "build/b.txt" not in out and "x.gen.txt" not in out and "3 files" in out
    _, out = run("check", "articles/x.gen.txt")  # named files are always cleaned
    assert "x.gen.txt:" in out
    _, out = run("check", "articles/build")  # and so are the files of a folder named on purpose
    assert "build/b.txt:" in out
    with open(repo / "pyproject.toml", "a", encoding="utf-8") as handle:
        handle.write("respect-gitignore = false\n")
    _, out = run("check", "articles")
    assert "build/b.txt" in out and "5 files" in out


def test_a_folder_with_no_article_is_reported(repo):
    (repo / "empty").mkdir()
    (repo / "empty" / "notes.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "empty"])
    assert result.exit_code == 2
    assert "empty: no article to clean" in result.stderr
    result = CliRunner().invoke(main, ["check", "drafts", "articles"])
    assert "drafts: no article to clean (.txt, .md, .markdown, .html, .htm); 1 excluded by the configuration" in result.stderr
    assert result.exit_code == 1  # the other folder was checked


def test_select_that_turns_fixes_into_flags_says_why(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.txt").write_text(PRONOUN, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--select", "pronouns", "p.txt"])
    assert "leaves out the language rules that infer each article's source language" in result.stderr
    assert "pronouns/gender" in result.stderr
    result = CliRunner().invoke(main, ["check", "--select", "pronouns", "--source-language", "it", "p.txt"])
    assert "leaves out" not in result.stderr


def test_exit_zero_and_fix_only(repo):
    assert run("check", "articles")[0] == 1
    assert run("check", "--exit-zero", "articles")[0] == 0
    flagged = "It was cold. global warming was not discussed.\n\nLithuania , Latvia\n"
    (repo / "articles" / "f.txt").write_text(flagged, encoding="utf-8")
    code, out = run("fix", "--fix-only", "articles/f.txt")
    assert code == 0
    assert "[fixed]" in out and "[flag]" not in out
    assert "Lithuania, Latvia" in (repo / "articles" / "f.txt").read_text(encoding="utf-8")
    assert run("check", "--exit-zero", "missing.txt")[0] == 2  # an error is still an error


# 7. HTML articles: page furniture and text across inline tags ---------------------------

HTML_PAGE = (
    "<html><body>\n"
    "<p>Senior diplomats met in Geneva on Monday.</p>\n"
    "<p>LOOK: Are the talks on the brink of collapse?</p>\n"
    "<p>Second paragraph of the story.</p>\n"
    "<p>Also read: Envoys in a strong position</p>\n"
    "<ul>\n"
    "<li><a href=\"/a\">Envoy arrives in the capital</a></li>\n"
    "<li><a href=\"/b\">Minister told the president</a></li>\n"
    "</ul>\n"
    "<p>Third paragraph.</p>\n"
    "<p>Please enter your comment!</p>\n"
    "<p>Please enter your name here</p>\n"
    "<p><a href=\"https://example.org/a\">Source link</a></p>\n"
    "</body></html>\n"
)


def test_html_page_furniture_is_removed_whole(rules):
    from cleaner.engine import clean_text
    from cleaner.formats.html import balanced

    r = clean_text(HTML_PAGE, rules, fmt="html")
    assert r.cleaned.startswith("<html><body>\n<p>Senior diplomats met in Geneva on Monday.</p>\n"
                                "<p>Second paragraph of the story.</p>\n<p>Third paragraph.</p>\n")
    for gone in ("LOOK:", "Also read", "<ul>", "</ul>", "Envoy", "Please enter", "Source link"):
        assert gone not in r.cleaned
    assert r.cleaned.rstrip().endswith("</body></html>") and balanced(r.cleaned)
    rules_hit = {c.finding.rule for c in r.changes}
    assert {"boilerplate/teaser-link", "boilerplate/related-links", "boilerplate/comment-widget",
            "boilerplate/footer"} <= rules_hit
    assert clean_text(r.cleaned, rules, fmt="html").cleaned == r.cleaned  # idempotent


def test_rules_read_through_inline_tags(rules):
    from cleaner.engine import clean_text

    text = "<p>Senior diplomats <b>americans</b> Y russians met.</p>\n"
    r = clean_text(text, rules, fmt="html")
    assert r.cleaned == "<p>Senior diplomats <b>Americans</b> and Russians met.</p>\n"
    y = next(c for c in r.changes if c.finding.rule == "lang-es/leftover-words")
    assert text[y.start:y.end] == "Y" and (y.line, y.column) == (1, 38)
    # a list of plain items (not links) is the article's own, and stays
    kept = "<p>Talks went on.</p>\n<ul>\n<li>Route 14 to the hospital</li>\n<li>Route 22 to the university</li>\n</ul>\n"
    assert clean_text(kept, rules, fmt="html").cleaned == kept


def test_fix_diff_with_a_machine_format_needs_an_output_file(repo):
    code, out = run("fix", "--diff", "--format", "sarif", "articles/a0.txt")
    assert code == 2 and "-o FILE" in out
    assert (repo / "articles" / "a0.txt").read_text(encoding="utf-8") == DIRTY  # refused before writing


def test_rules_commands_see_the_configured_packs(repo):
    pack = ("pack: house\ndescription: House spellings\nrules:\n"
            "  - id: house/kyiv\n    kind: pattern\n    category: other\n    level: fix\n"
            "    message: House style is Kyiv\n    pattern: '\\bKiev\\b'\n    replace: Kyiv\n"
            "    examples:\n      - {text: \"troops near Kiev\", result: \"troops near Kyiv\"}\n"
            "    keep:\n      - \"Kievan Rus\"\n")
    (repo / "house.yaml").write_text(pack, encoding="utf-8")
    with open(repo / "pyproject.toml", "a", encoding="utf-8") as handle:
        handle.write("rules = [\"house.yaml\"]\n")
    assert "house/kyiv" in run("rules", "list")[1]
    code, out = run("rules", "explain", "house/kyiv")
    assert code == 0 and "troops near Kiev" in out and "Fix is safe" in out
    code, out = run("rules", "test")
    assert code == 0 and "ok   house/kyiv" in out


def test_add_suppressions_with_a_baseline_makes_plain_text_pass_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "b.md").write_text("# Title\n\n" + DIRTY, encoding="utf-8")
    code, out = run("check", "--add-suppressions", "--write-baseline", "base.json", ".")
    assert code == 0 and "added suppressions to 1 file" in out and "base.json: recorded 4 findings" in out
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == DIRTY
    assert run("check", "--baseline", "base.json", "--show-unused-suppressions", ".")[0] == 0


def test_config_says_when_a_nested_file_hides_the_root_one(repo):
    (repo / "articles" / ".cleaner.yaml").write_text("fail-on: fix\n", encoding="utf-8")
    _, out = run("config", "articles/a0.txt")
    assert f"# not used: {repo / 'pyproject.toml'} (the nearest configuration wins whole" in out
    assert '`extend = "../pyproject.toml"` builds on it' in out
    (repo / "articles" / ".cleaner.yaml").write_text("extend: ../pyproject.toml\n", encoding="utf-8")
    _, out = run("config", "articles/a0.txt")
    assert "not used" not in out


def test_add_suppressions_never_drops_the_author_s_own_directive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "# Title\n\n<!-- cleaner: disable=quotes -->\nAll fine here.\n\n" + DIRTY
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    code, out = run("check", "--add-suppressions", "a.md")
    result = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "<!-- cleaner: disable=quotes -->\nAll fine here." in result
    assert run("check", "a.md")[0] == 0
