"""Every command that README.md and docs/ show runs as shown (issue 14).

Commands are taken from the documents themselves: ``$ cleaner ...`` lines in fenced blocks
(their output lines, but for ``...``, must be lines the command prints), ``cleaner ...``
in inline code with concrete arguments, and the README's first block. They run in a
sandbox repository ("/news" in the documents) built from the documents' own examples:
the ``pyproject.toml`` of docs/repositories.md and the rule pack of README.md.
The README's synopsis of the commands is checked against each command's ``--help``.
"""
import re
import shlex
import shutil

import pytest
from click.testing import CliRunner

from cleaner.cli import main

from conftest import ROOT, SEEDS

DOCS = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "rules.md")]
SUBCOMMANDS = ("check", "fix", "report", "apply", "config", "eval", "rules")
_SPAN = re.compile(r"`((?:\.venv/bin/|python -m )?cleaner (?:%s)\b[^`]*)`" % "|".join(SUBCOMMANDS))
# Words that stand for something the reader supplies: such a span is a synopsis, not a command.
_PLACEHOLDER = re.compile(r"\b(?:PATH|FILE|ID|GOLD|DIR|PACK|GLOB|NAME)\b|\.\.\.|\|")


def _fenced(text: str):
    """(line number, command, shown output lines) of every ``$ `` line in a fenced block,
    and of ``.venv/bin/cleaner`` in one (the README's first block)."""
    out, fence, current = [], False, None
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            fence = not fence
            current = None
            continue
        if not fence:
            continue
        if line.startswith("$ "):
            current = (n, line[2:].strip(), [])
            out.append(current)
        elif ".venv/bin/cleaner " in line:
            cmd = "cleaner " + line.split(".venv/bin/cleaner ", 1)[1].split("&&")[0].strip()
            out.append((n, cmd, []))
            current = None
        elif current is not None and line.strip():
            current[2].append(line)
    return out


def commands():
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for n, cmd, shown in _fenced(text):
            found.append((doc.name, n, cmd, shown))
        fence = False
        for n, line in enumerate(text.splitlines(), 1):
            if line.startswith("```"):
                fence = not fence
                continue
            if fence:
                continue
            for m in _SPAN.finditer(line):
                cmd = m.group(1).replace(".venv/bin/", "").replace("python -m ", "")
                if len(cmd.split()) < 3 and not cmd.startswith("cleaner rules"):
                    continue  # a bare command name in prose ("`cleaner check`"), not a command
                if _PLACEHOLDER.search(cmd):
                    continue
                found.append((doc.name, n, cmd, []))
    return found


COMMANDS = commands()


def _block(doc: str, start: str) -> str:
    text = (ROOT / doc).read_text(encoding="utf-8")
    m = re.search(r"```\w*\n(%s.*?)```" % re.escape(start), text, re.S)
    assert m, f"{doc}: no block starting {start!r}"
    return m.group(1)


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    """The repository the documents' examples describe."""
    root = tmp_path_factory.mktemp("news")
    (root / ".git").mkdir()
    shutil.copytree(SEEDS, root / "seeds")
    (root / "seeds" / ".cleaner.yaml").write_text("", encoding="utf-8")  # the seeds as shipped: default settings
    pack = _block("README.md", "pack: house")
    (root / "your-pack.yaml").write_text(pack, encoding="utf-8")
    (root / "house-rules").mkdir()
    (root / "house-rules" / "house.yaml").write_text(pack, encoding="utf-8")
    (root / "pyproject.toml").write_text(_block("docs/repositories.md", "[tool.cleaner]"), encoding="utf-8")
    (root / "archive" / "1990s").mkdir(parents=True)
    (root / "archive" / "1990s" / "a.md").write_text(
        "# Talks in Geneva\n\nSenior diplomats americans Y russians met near Kiev.\n\nLithuania , Latvia and Estonia.\n",
        encoding="utf-8")
    (root / "archive" / "b.txt").write_text("The talks ended without a deal.\n", encoding="utf-8")
    return root


def test_the_documents_show_commands():
    assert len(COMMANDS) >= 10
    assert any(cmd.startswith("cleaner config archive/1990s/a.md") for _, _, cmd, _ in COMMANDS)


@pytest.mark.parametrize("doc, line, cmd, shown", COMMANDS, ids=[f"{d}:{n}" for d, n, _, _ in COMMANDS])
def test_command_runs_as_shown(news, monkeypatch, doc, line, cmd, shown):
    if "../shared/" in cmd:  # the real corpora beside the checkout (as in CI)
        shared = ROOT.parent / "shared"
        if not shared.is_dir():
            pytest.skip("../shared/ is not beside this checkout")
        cmd = cmd.replace("../shared/", f"{shared}/")
    monkeypatch.chdir(news)
    args = shlex.split(cmd)[1:]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (cmd, result.exception)
    assert result.exit_code in (0, 1), f"{doc}:{line}: `{cmd}` exited {result.exit_code}:\n{result.output}"
    printed = result.output.replace(str(news), "/news").splitlines()
    for expected in shown:
        if expected.strip() in ("...", "…"):
            continue
        assert expected in printed, f"{doc}:{line}: `{cmd}` does not print\n{expected}\nit prints:\n" + "\n".join(printed)


def test_readme_pack_passes_its_own_tests(news, monkeypatch):
    monkeypatch.chdir(news)
    result = CliRunner().invoke(main, ["rules", "test", "your-pack.yaml"])
    assert result.exit_code == 0, result.output


def test_the_readme_synopsis_matches_each_command_help():
    synopsis = _block("README.md", "cleaner check PATH")
    command = None
    for line in synopsis.splitlines():
        words = line.split()
        if words and words[0] == "cleaner":
            command = words[1]
        if command is None or command == "rules":
            continue
        help_text = CliRunner().invoke(main, [command, "--help"]).output
        for option in re.findall(r"(?<![\w`-])(-o|--[a-z][a-z-]+)\b", line):
            assert option in help_text, f"README shows `{command} {option}`, which `cleaner {command} --help` lacks"
    rules_help = CliRunner().invoke(main, ["rules", "--help"]).output
    for sub in ("list", "show", "explain", "test"):
        assert re.search(rf"^\s+{sub}\b", rules_help, re.M), sub
