"""A private, authenticated on-disk cache: validated rule packs, per-file results and
word tables.

Entries are pickles (compiled `regex` patterns unpickle without recompiling, which is
what makes start-up fast), and unpickling can run code. So whoever can write an entry
must not be able to run code as the user:

- the folder (``CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleaner``, else
  ``~/.cache/cleaner``) is created 0700, and used only when it belongs to the user and
  nobody else may write to it; otherwise the cache is bypassed with a warning;
- every entry carries an HMAC-SHA256 of its name and content, keyed by 32 random bytes
  kept in ``key`` (0600, owned by the user) beside the entry folders; an entry that does
  not verify is deleted, never unpickled.

``CLEANER_NO_CACHE=1`` turns the cache off. Every namespace is pruned, oldest entries
first, so the folder does not grow without bound.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat
import sys
import warnings
from functools import lru_cache
from pathlib import Path

MAGIC = b"cleaner-cache-1\n"
_MAC_SIZE = 32
_KEY_NAME = "key"
#: Upper bounds per namespace (bytes); pruning removes the least recently used entries.
LIMITS = {"packs": 64 << 20, "results": 512 << 20, "tables": 64 << 20}


class CacheWarning(UserWarning):
    """The cache folder cannot be used safely; cleaner runs without it."""


def base_dir() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    if os.environ.get("CLEANER_NO_CACHE"):
        return None
    base = os.environ.get("CLEANER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "cleaner"
    )
    return Path(base)


def _mode_problem(st: os.stat_result, what: str, *, private_mode: int) -> str | None:
    uid = os.getuid() if hasattr(os, "getuid") else None
    if uid is not None and st.st_uid != uid:
        return f"{what} belongs to user id {st.st_uid}, not to you ({uid})"
    if st.st_mode & private_mode:
        verb = "changed" if private_mode == 0o022 else "read or changed"
        return f"{what} can be {verb} by other users (mode {stat.S_IMODE(st.st_mode):o})"
    return None


def _private_folder(path: Path) -> str | None:
    """Create ``path`` 0700 if needed; the reason it cannot be trusted, or None."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(path)
    except OSError as exc:
        return f"cannot create it: {exc.strerror or exc}"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    problem = _mode_problem(st, "it", private_mode=0o022)
    if problem:
        return problem
    if stat.S_IMODE(st.st_mode) & 0o077:  # ours and only we can write: also keep others from reading
        try:
            os.chmod(path, 0o700)
        except OSError:
            pass
    return None


def _read_key(path: Path) -> bytes | str:
    """The HMAC key, or why it cannot be trusted; created (0600) when missing."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(2):
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            _create_key(path)
            continue
        except OSError as exc:
            return f"cannot read its key {path}: {exc.strerror or exc}"
        try:
            st = os.fstat(fd)
            problem = _mode_problem(st, f"its key {path}", private_mode=0o077)
            if problem:
                return problem
            key = os.read(fd, 64)
        finally:
            os.close(fd)
        if len(key) != _MAC_SIZE:
            return f"its key {path} is damaged (delete it to start afresh)"
        return key
    return f"cannot create its key {path}"


def _create_key(path: Path) -> None:
    """Write a new random key atomically: a rival process's key, if first, wins."""
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key.")  # mkstemp makes it 0600
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(_MAC_SIZE))
        os.link(tmp, path)
    except OSError:
        pass
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


class Store:
    """One usable cache folder and its key."""

    def __init__(self, root: Path, key: bytes):
        self.root, self._key = root, key

    def _path(self, namespace: str, name: str) -> Path:
        return self.root / namespace / name[:2] / name

    def _mac(self, namespace: str, name: str, payload: bytes) -> bytes:
        return hmac.new(self._key, f"{namespace}/{name}\0".encode() + payload, hashlib.sha256).digest()

    def get(self, namespace: str, name: str, *, touch: bool = False) -> bytes | None:
        """The entry's payload if it exists and is authentic; a forged or damaged entry is
        deleted (its content is never interpreted)."""
        path = self._path(namespace, name)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        head = len(MAGIC)
        mac, payload = data[head:head + _MAC_SIZE], data[head + _MAC_SIZE:]
        if not data.startswith(MAGIC) or not hmac.compare_digest(mac, self._mac(namespace, name, payload)):
            try:
                path.unlink()
            except OSError:
                pass
            return None
        if touch:  # pruning removes the least recently used entries
            try:
                os.utime(path)
            except OSError:
                pass
        return payload

    def put(self, namespace: str, name: str, payload: bytes) -> bool:
        """Write an entry atomically (a reader sees the old entry, the new one, or none)."""
        import tempfile

        path = self._path(namespace, name)
        try:
            path.parent.parent.mkdir(mode=0o700, exist_ok=True)
            path.parent.mkdir(mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp.")
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + self._mac(namespace, name, payload) + payload)
            os.replace(tmp, path)
            return True
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return False

    def load(self, namespace: str, name: str, *, touch: bool = False):
        """The unpickled entry, or None. Only authenticated bytes are unpickled."""
        payload = self.get(namespace, name, touch=touch)
        if payload is None:
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # written by another version of a library: rebuilt
            return None

    def save(self, namespace: str, name: str, value) -> bool:
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # something unpicklable: not cached, never an error
            return False
        return self.put(namespace, name, payload)

    def prune(self, namespace: str, limit: int | None = None, *, every: float = 0) -> int:
        """Delete the least recently used entries until the namespace is under 80 % of its
        limit, and temporary files older than an hour; returns how many files went.
        ``every``: do nothing if the namespace was pruned less than that many seconds ago
        (a run that cleaned one file should not list a large folder)."""
        import time

        now = time.time()
        if every:
            stamp = self.root / namespace / ".pruned"
            try:
                if now - stamp.stat().st_mtime < every:
                    return 0
            except OSError:
                pass
            try:
                stamp.parent.mkdir(mode=0o700, exist_ok=True)
                stamp.touch()
            except OSError:
                pass
        limit = LIMITS.get(namespace, 64 << 20) if limit is None else limit
        entries = []
        total = removed = 0
        try:
            shards = list(os.scandir(self.root / namespace))
        except OSError:
            return 0
        for shard in shards:
            if not shard.is_dir(follow_symlinks=False):
                continue
            try:
                files = list(os.scandir(shard.path))
            except OSError:
                continue
            for entry in files:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if entry.name.startswith(".tmp."):
                    if now - st.st_mtime > 3600:
                        removed += _unlink(entry.path)
                    continue
                entries.append((st.st_mtime, st.st_size, entry.path))
                total += st.st_size
        if total <= limit:
            return removed
        entries.sort()
        for _, size, path in entries:
            if total <= limit * 0.8:
                break
            removed += _unlink(path)
            total -= size
        return removed


def _unlink(path: str) -> int:
    try:
        os.unlink(path)
        return 1
    except OSError:
        return 0


@lru_cache(maxsize=8)
def _open(root: str) -> Store | None:
    path = Path(root)
    problem = _private_folder(path)
    key = None if problem else _read_key(path / _KEY_NAME)
    if isinstance(key, str):
        problem = key
    if problem:
        warnings.warn(f"cleaner: not using the cache folder {path}: {problem}", CacheWarning, stacklevel=3)
        return None
    return Store(path, key)  # type: ignore[arg-type]


def store() -> Store | None:
    """The cache, or None when it is off or its folder is not private."""
    base = base_dir()
    return None if base is None else _open(str(base))


def reset() -> None:
    """Forget which folders were checked (tests change ``CLEANER_CACHE_DIR``)."""
    _open.cache_clear()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes whenever cleaner's code or data, Python or `regex` changes, so an entry is
    never read by code that did not write it."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    h.update(f"{sys.version}\0{sys.implementation.cache_tag}\0".encode())
    try:
        import regex

        h.update(f"regex {regex.__version__}\0".encode())
    except ImportError:  # pragma: no cover - a dependency
        pass
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".txt", ".yaml", ".html", ".css", ".js") and "__pycache__" not in p.parts:
            st = p.stat()
            h.update(f"{p.relative_to(root)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:24]


def table(name: str, build):
    """A table built from shipped data (word lists, people, cues), kept in the cache in
    load-fast form: unpickling a set of 75,000 words takes half the time of building it,
    and a parsed YAML file spares importing PyYAML at all. Keyed by ``name`` and
    `code_version` (which covers the data files)."""
    s = store()
    if s is None:
        return build()
    key = hashlib.sha256(f"{name}\0{code_version()}".encode()).hexdigest()[:32]
    value = s.load("tables", key)
    if value is None:
        value = build()
        if s.save("tables", key, value):
            s.prune("tables")
    return value
