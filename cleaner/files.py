"""Finding the files to clean, and writing results back without ever losing one."""
from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import os
import signal
import stat
import sys
import tempfile
import threading
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


class WriteRefused(Exception):
    """A file cleaner will not overwrite: changed since it was read, read-only, a symbolic
    link when links are not followed. The message says which and what to do."""


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends: a write (and the note that it was
    made) is finished before an interrupt lands, so no file is half-written, no temporary
    file is left behind and no written file goes unreported. The held signal is delivered
    as the block ends."""
    held = (signal.SIGINT, signal.SIGTERM)
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; raised where the program was, like KeyboardInterrupt."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


@contextlib.contextmanager
def interruptible(*, then_ignore: bool = False) -> Iterator[Callable[[], None]]:
    """SIGINT and SIGTERM raise `Interrupted` inside the block (SIGTERM would otherwise end
    the process on the spot, with nothing reported); once one has arrived, further ones
    are ignored so that what was done can still be reported. ``then_ignore``: after the
    block too (the work is done; what is left is to report it).

    A signal that lands while a ``__del__`` method runs (a library tidying up) raises
    there, and Python swallows exceptions of ``__del__``: the block gets a function to
    call between units of work, which raises the swallowed interrupt after all."""
    held = (signal.SIGINT, signal.SIGTERM)
    arrived: list[int] = []

    def check() -> None:
        if arrived:
            raise Interrupted(arrived[0])

    if threading.current_thread() is not threading.main_thread():
        yield check
        return

    def stop(signum, frame):
        for s in held:
            signal.signal(s, signal.SIG_IGN)
        arrived.append(signum)
        raise Interrupted(signum)

    hook = sys.unraisablehook

    def unraisable(info) -> None:  # an interrupt swallowed by a __del__: raised by check()
        if not isinstance(info.exc_value, Interrupted):
            hook(info)

    previous = {s: signal.signal(s, stop) for s in held}
    sys.unraisablehook = unraisable
    try:
        yield check
    except KeyboardInterrupt:
        for s in held:
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signal.SIGINT) from None
    finally:
        sys.unraisablehook = hook
        for s, handler in previous.items():
            if then_ignore:
                signal.signal(s, signal.SIG_IGN)
            elif signal.getsignal(s) is stop:
                signal.signal(s, handler)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: str, data: bytes) -> None:
    """Write an output file (a report, a baseline) all or nothing: to a temporary file
    beside ``path``, renamed over it once complete. A full disk or an interrupt leaves the
    old file as it was and no temporary file behind. The permission bits of a file
    replaced are kept."""
    target = os.path.realpath(path)  # a link to the output file stays a link
    with signals_deferred():
        _replace(target, data, os.stat(target) if os.path.exists(target) else None)


def write_in_place(path: str, data: bytes, *, expected_sha256: str | None, follow_symlinks: bool = True,
                   write_read_only: bool = False) -> None:
    """Rewrite a file that cleaner read, without losing anything of it or of anyone else's.

    * refused if its content is no longer what was read (``expected_sha256``): an editor
      saved it meanwhile, and overwriting would lose that work;
    * refused if it is read-only, unless ``write_read_only``;
    * a symbolic link is followed and its target rewritten (the link stays a link), or
      refused when ``follow_symlinks`` is false;
    * the file keeps its inode when it has other hard links or an owner or group that a
      new file would not get: the new content is first written to a temporary file (which
      proves the space is there), then copied over the old; otherwise the temporary file
      is renamed over it, with the old permission bits;
    * an interrupt waits until the file is written.
    Raises `WriteRefused`, or OSError when the disk refuses (the file is then unchanged).
    """
    target = path
    if os.path.islink(path):
        if not follow_symlinks:
            raise WriteRefused("a symbolic link: not written (links are not followed with --no-follow-symlinks)")
        target = os.path.realpath(path)
    with signals_deferred():
        st = os.stat(target)
        if not stat.S_ISREG(st.st_mode):
            raise WriteRefused("not a regular file: not written")
        if not write_read_only and (not st.st_mode & 0o222 or not os.access(target, os.W_OK)):
            raise WriteRefused("read-only file: not written (--write-read-only rewrites it)")
        with open(target, "rb") as handle:
            current = handle.read()
        if expected_sha256 is not None and sha256_of(current) != expected_sha256:
            raise WriteRefused("changed since it was read (content hash differs): not overwritten; run again")
        _replace(target, data, st, original=current)


def _replace(path: str, data: bytes, st: os.stat_result | None, original: bytes | None = None) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".cleaner-tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if st is not None:
                os.chmod(tmp, stat.S_IMODE(st.st_mode))
                _same_owner(handle.fileno(), st)
            else:  # a new file gets the usual permissions, not the temporary file's 0600
                os.chmod(tmp, 0o666 & ~_umask())
            tmp_st = os.fstat(handle.fileno())
        if st is not None and original is not None and (
            st.st_nlink > 1 or (tmp_st.st_uid, tmp_st.st_gid) != (st.st_uid, st.st_gid)
        ):
            os.unlink(tmp)  # the space is there; the file keeps its inode, links and owner
            _overwrite(path, data, original)
            return
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _same_owner(fd: int, st: os.stat_result) -> None:
    """Give the temporary file the owner and group of the file it replaces, when allowed."""
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
        try:
            os.fchown(fd, st.st_uid, st.st_gid)
        except OSError:
            pass  # not allowed: the caller then writes in place


def _overwrite(path: str, data: bytes, original: bytes) -> None:
    """Write ``data`` into the existing file (same inode); if the disk fails half-way, put
    the original bytes back."""
    with open(path, "r+b") as handle:
        try:
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        except OSError:
            handle.seek(0)
            handle.write(original)
            handle.truncate()
            handle.flush()
            raise
