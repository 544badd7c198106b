"""Prove a speed change changes no output: compare every cleaned text and finding with a commit's.

    python benchmarks/identical.py                 # compare the work tree with HEAD
    python benchmarks/identical.py --against REV   # ... with another commit
    python benchmarks/identical.py --dump OUT.json # only write this tree's snapshot

The snapshot holds, for every ``.txt``/``.md``/``.html`` file under ``seeds/``,
``tests/corpus/`` and ``../shared/corpus/`` (all folders, when present) plus a few dozen
generated distinct articles (benchmarks/articles.py), and for the default options and
``--unsafe-fixes``: the cleaned text, every change (rule, span, line, column, before,
after, level, applied, note, message), notices and the inferred source language. The
commit compared with is exported with ``git archive`` to a temporary folder and run
there in a subprocess, so both sides use their own code and their own packs.
Exits 1 and names the first differences when anything differs.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".txt", ".md", ".html"}


def inputs(root: Path) -> list[tuple[str, str]]:
    """(name, text) of every input, in a stable order; names are relative to ``root``."""
    out = []
    for folder in (root / "seeds", root / "tests" / "corpus", root.parent / "shared" / "corpus"):
        if not folder.is_dir():
            continue
        for p in sorted(folder.rglob("*")):
            if p.suffix in SUFFIXES and p.is_file():
                out.append((os.path.relpath(p, root), p.read_text(encoding="utf-8")))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from articles import distinct_articles

    for i, text in enumerate(distinct_articles(root, 40)):
        out.append((f"<generated {i}>", text))
    return out


def snapshot(code_root: Path, data_root: Path) -> dict:
    """Clean every input with the cleaner found under ``code_root``."""
    sys.path.insert(0, str(code_root))
    from cleaner import api
    from cleaner.engine import ConvergenceError, Options
    from cleaner.files import format_of

    rules = api.load_rules()
    out = {}
    for name, text in inputs(data_root):
        for unsafe in (False, True):
            key = f"{name} unsafe={unsafe}"
            try:
                r = api.clean_text(text, rules, Options(unsafe_fixes=unsafe), path=name, fmt=format_of(name))
            except ConvergenceError as exc:
                out[key] = {"error": str(exc)}
                continue
            out[key] = {
                "cleaned": r.cleaned,
                "changes": [c.to_dict() for c in r.changes],
                "notices": r.notices,
                "source": r.source_language.to_dict() if r.source_language else None,
                "skipped": r.skipped,
            }
    return out


def compare(old: dict, new: dict) -> list[str]:
    problems = []
    for key in sorted(set(old) | set(new)):
        if key not in old or key not in new:
            problems.append(f"{key}: only in {'new' if key in new else 'old'}")
        elif old[key] != new[key]:
            a, b = old[key], new[key]
            what = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
            problems.append(f"{key}: differs in {', '.join(what)}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="the commit to compare with (default HEAD)")
    parser.add_argument("--dump", help="write this tree's snapshot to a file and stop")
    parser.add_argument("--code", help=argparse.SUPPRESS)  # internal: snapshot the code under this folder
    args = parser.parse_args()
    if args.code:
        json.dump(snapshot(Path(args.code), ROOT), sys.stdout)
        return 0
    if args.dump:
        Path(args.dump).write_text(json.dumps(snapshot(ROOT, ROOT)), encoding="utf-8")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = dict(os.environ, CLEANER_CACHE_DIR=os.path.join(tmp, ".cache"))
        old = json.loads(subprocess.run(
            [sys.executable, __file__, "--code", tmp], check=True, capture_output=True, env=env
        ).stdout)
    new = snapshot(ROOT, ROOT)
    problems = compare(old, new)
    files = len({k.rsplit(' ', 1)[0] for k in new})
    changes = sum(len(v.get("changes", [])) for v in new.values())
    if problems:
        print(f"DIFFERENT from {args.against} in {len(problems)} of {len(new)} runs:")
        for p in problems[:30]:
            print("  " + p)
        return 1
    print(f"identical to {args.against}: {files} inputs x 2 option sets, {changes} changes, cleaned texts and findings equal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
