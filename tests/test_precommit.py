"""The real pre-commit, on a temporary article repository that uses this project's hooks.

The project's working tree is copied into a throw-away git repository and committed, so
the hooks under test are the ones in this tree, installed by pre-commit as any user's
repository would install them (``repo:`` / ``rev:`` / ``hooks:``).
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("pre_commit")
if shutil.which("git") is None:  # pragma: no cover
    pytest.skip("git is needed", allow_module_level=True)

DIRTY_MD = """---
title: Senior diplomats americans Y russians meet
tags: [americans-Y-russians, cold war]
---

# Talks since the cold war

The message was meant for the western allies , officials said.

- They were under Soviet rule: Lithuania , Latvia and Estonia.
- See [the talks with the western allies](https://example.com/western_allies,x) today.
"""
DIRTY_HTML = """<!DOCTYPE html>
<html><head><title>Talks in Geneva</title><style>p , a { margin: 0 }</style></head>
<body>
<h1 class="western , allies">Senior diplomats americans Y russians meet</h1>
<p>Relations have never been so tense since the cold war.</p>
<pre>Lithuania , Latvia</pre>
</body></html>
"""
DIRTY_TXT = "Senior diplomats americans Y russians met in Geneva.\n\nLithuania , Latvia and Estonia.\n"
CLEAN_MD = "# Talks end\n\nThe talks ended without a deal, officials said.\n\n- Americans and Russians met.\n"
CLEAN_TXT = "The talks in Geneva ended on Monday without a deal.\n"
CODE_MD = """# How the cleaner sees code

Nothing in the blocks below is prose, so nothing in them is changed.

```text
Senior diplomats americans Y russians met.
Lithuania , Latvia and Estonia. since the cold war
a gun pointed at Ukraine’s head.” .
```

    indented americans Y russians , too

Inline `americans Y russians , x` code and <https://example.com/americans_Y_russians> stay.
"""


def _git(cwd, *args, check=True, env=None):
    return subprocess.run(["git", *args], cwd=cwd, check=check, capture_output=True, text=True, env=env)


def _snapshot(dest: Path) -> str:
    """This working tree (tracked and new files, not ignored ones) as a one-commit repository."""
    files = _git(ROOT, "ls-files", "-co", "--exclude-standard", "-z").stdout.split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot")
    return _git(dest, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    base = tmp_path_factory.mktemp("precommit")
    project = base / "cleaner-src"
    project.mkdir()
    rev = _snapshot(project)
    repo = base / "news"
    (repo / "articles").mkdir(parents=True)
    files = {
        "articles/dirty.md": DIRTY_MD, "articles/dirty.html": DIRTY_HTML, "articles/dirty.txt": DIRTY_TXT,
        "articles/clean.md": CLEAN_MD, "articles/clean.txt": CLEAN_TXT, "articles/code.md": CODE_MD,
        "pyproject.toml": '[tool.cleaner]\nfail-on = "fix"\npeople = { "Wendy Sherman" = "she" }\n',
        ".pre-commit-config.yaml": (
            f"repos:\n  - repo: {project}\n    rev: {rev}\n    hooks:\n      - id: cleaner-fix\n      - id: cleaner-check\n"
        ),
    }
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "config", "user.name", "Test")
    _git(repo, "config", "user.email", "test@example.com")
    _git(repo, "config", "commit.gpgsign", "false")
    env = dict(os.environ, PRE_COMMIT_HOME=str(base / "pre-commit-home"), CLEANER_CACHE_DIR=str(base / "cache"))
    env.pop("VIRTUAL_ENV", None)
    return repo, env


def _pre_commit(repo, env, *args):
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=900
    )


def test_pre_commit_hooks_check_fix_and_commit(news):
    repo, env = news
    _git(repo, "add", "-A")
    clean = ["articles/clean.md", "articles/clean.txt", "articles/code.md"]
    r = _pre_commit(repo, env, "run", "cleaner-check", "--files", *clean)
    assert r.returncode == 0, r.stdout + r.stderr
    for dirty in ("articles/dirty.md", "articles/dirty.html", "articles/dirty.txt"):
        r = _pre_commit(repo, env, "run", "cleaner-check", "--files", dirty)
        assert r.returncode == 1, r.stdout + r.stderr
        assert f"{dirty}:" in r.stdout
    before = {p: (repo / p).read_text(encoding="utf-8") for p in clean + ["pyproject.toml"]}

    # A commit with dirty articles fails: cleaner-fix rewrites them.
    assert _pre_commit(repo, env, "install").returncode == 0
    first = _git(repo, "commit", "-m", "articles", check=False, env=env)
    assert first.returncode != 0, first.stdout
    assert "files were modified by this hook" in first.stdout + first.stderr
    md = (repo / "articles/dirty.md").read_text(encoding="utf-8")
    assert "title: Senior diplomats Americans and Russians meet\ntags: [americans-Y-russians, cold war]\n" in md
    assert "# Talks since the Cold War\n" in md
    assert "the Western allies, officials said." in md
    assert "- They were under Soviet rule: Lithuania, Latvia and Estonia." in md
    assert "[the talks with the Western allies](https://example.com/western_allies,x)" in md
    html = (repo / "articles/dirty.html").read_text(encoding="utf-8")
    assert html == DIRTY_HTML.replace(">Senior diplomats americans Y russians", ">Senior diplomats Americans and Russians").replace(
        "the cold war.", "the Cold War."
    )
    assert (repo / "articles/dirty.txt").read_text(encoding="utf-8") == (
        "Senior diplomats Americans and Russians met in Geneva.\n\nLithuania, Latvia and Estonia.\n"
    )
    for p, text in before.items():  # clean articles and the code sample are byte-identical
        assert (repo / p).read_text(encoding="utf-8") == text

    _git(repo, "add", "-A")
    second = _git(repo, "commit", "-m", "articles", check=False, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    r = _pre_commit(repo, env, "run", "--all-files")
    assert r.returncode == 0, r.stdout
