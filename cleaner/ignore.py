"""What git ignores: ``.gitignore`` files read with pathspec, as black does.

An archive's repository often keeps generated pages, scraped raw copies or a site's
build output beside the articles, listed in ``.gitignore``; walking a folder skips
them, as git does. Each ``.gitignore`` from the repository root (the folder holding
``.git``) down to a file's folder applies, with its patterns relative to its own folder.
Files named on the command line are always cleaned.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=None)
def _spec(directory: str):
    """The compiled ``.gitignore`` of one folder, or None."""
    path = os.path.join(directory, ".gitignore")
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return spec if spec.patterns else None


@lru_cache(maxsize=None)
def _root(directory: str) -> str | None:
    """The repository root above ``directory`` (the folder holding ``.git``), if any."""
    d = Path(directory)
    for candidate in (d, *d.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return None


def is_ignored(path: str, is_dir: bool = False) -> bool:
    """Whether git would ignore ``path`` (by any ``.gitignore`` from the root down)."""
    full = os.path.abspath(path)
    parent = os.path.dirname(full)
    root = _root(parent)
    if root is None:
        return False
    rel_dirs = os.path.relpath(parent, root).split(os.sep)
    directory = root
    chain = [root] + [directory := os.path.join(directory, part) for part in rel_dirs if part != "."]
    for d in chain:
        spec = _spec(d)
        if spec is None:
            continue
        rel = os.path.relpath(full, d).replace(os.sep, "/") + ("/" if is_dir else "")
        if spec.match_file(rel):
            return True
    return False


def clear_cache() -> None:
    _spec.cache_clear()
    _root.cache_clear()
