"""Finding the files to clean, and writing results back without ever losing one."""
from __future__ import annotations

import fnmatch
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}


def format_of(path: str) -> str:
    return SUFFIXES.get(Path(path).suffix.lower(), "text")


def iter_files(
    paths: Iterable[str], exclude: Iterable[str] = (), ignored: Callable[[str, bool], bool] | None = None
) -> Iterator[str]:
    """Files named on the command line as given; folders walked for .txt, .md/.markdown and
    .html/.htm, skipping what ``ignored(path, is_dir)`` says (e.g. what git ignores)."""
    exclude = list(exclude)

    def excluded(p: str) -> bool:
        return any(fnmatch.fnmatch(p, pat) or fnmatch.fnmatch(os.path.basename(p), pat) for pat in exclude)

    for path in paths:
        if path == "-" or not os.path.isdir(path):
            if not excluded(path):
                yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(
                d for d in dirs if d not in _SKIP_DIRS and not excluded(os.path.join(root, d))
                and not (ignored and ignored(os.path.join(root, d), True))
            )
            for name in sorted(files):
                full = os.path.join(root, name)
                if Path(name).suffix.lower() in SUFFIXES and not excluded(full) and not (ignored and ignored(full, False)):
                    yield full


def atomic_write(path: str, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: all or nothing.

    The file's permission bits are kept; a crash leaves either the old or the new file.
    """
    directory = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else None
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".cleaner-tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
