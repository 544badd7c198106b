"""The batch engine: many files on every core, results streamed in input order, and a
per-file result cache.

`clean_all` takes (path, Cleaner) pairs and yields one `api.FileOutcome` per pair, in
the order given, as soon as it and every earlier one are done, so a caller can write a
fixed file and print its findings at once (an interrupt keeps every finished file) and
never holds more than a few results: memory grows with the largest file, not with the
number of files.

- The main process reads each file and looks its result up in the cache, keyed by the
  file's content, its format and `Cleaner.fingerprint` (rules, code, settings): an
  unchanged folder, or the rest of an interrupted batch, is not cleaned again.
- What the cache does not hold is cleaned in worker processes (``workers`` > 1) that
  load the rules once each (the pool initializer receives the pickled Cleaners, which
  read their packs from the validated-pack cache), or in this process (``workers=1``, or
  a batch too small to repay starting workers). Workers store what they clean.
- A file that cannot be read, or whose worker died, becomes an error outcome; the batch
  goes on.
"""
from __future__ import annotations

import hashlib
import os
import sys
from collections import deque
from dataclasses import replace
from typing import Iterable, Iterator

from .api import FileOutcome
from .core import Cleaner
from .files import format_of
from .model import FileResult
from .reading import InputError, decode, read_bytes

#: Below this many files, starting workers costs more than it saves.
MIN_FILES_FOR_WORKERS = 4
#: Files go to a worker in chunks (one round trip for several small articles)...
CHUNK_FILES, CHUNK_BYTES = 8, 256 << 10
#: ...and no more input than this is held in flight (unless one file is larger).
WINDOW_BYTES = 64 << 20
RESULTS = "results"


def default_workers() -> int:
    """Every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# -- the result cache ---------------------------------------------------------------

def result_name(cleaner: Cleaner, path: str, data: bytes) -> str:
    """A file's entry in the result cache: its content, format and the Cleaner's fingerprint
    (the path itself is not part of it: a moved file is still known)."""
    h = hashlib.sha256(f"{cleaner.fingerprint}\0{format_of(path)}\0".encode())
    h.update(data)
    return h.hexdigest()[:40]


def _slim(result: FileResult, *, keep_path: bool = False) -> FileResult:
    """What the cache keeps: the findings, and the cleaned text only when it differs (the
    original is the file itself)."""
    return replace(result, path=result.path if keep_path else "", original="",
                   cleaned=result.cleaned if result.modified else None)


def _cacheable(result: FileResult) -> bool:
    # notices say a rule was skipped (a regex timed out on a busy machine): try again next time
    return not result.error and not result.notices


def _from_cache(store, name: str, path: str, data: bytes) -> FileOutcome | None:
    entry = store.load(RESULTS, name, touch=True)
    if not isinstance(entry, FileResult):
        return None
    try:
        source = decode(data)
    except InputError:  # pragma: no cover - a cached result came from decodable bytes
        return None
    cleaned = source.text if entry.cleaned is None else entry.cleaned
    return FileOutcome(replace(entry, path=path, original=source.text, cleaned=cleaned), source, data)


def _clean(cleaner: Cleaner, path: str, data: bytes, name: str | None) -> FileOutcome:
    """Clean one input (in a worker or here) and remember the result."""
    try:
        outcome = cleaner.clean_bytes(data, path=path)
    except Exception as exc:  # a bug must not stop the batch: the file gets an error
        outcome = FileOutcome(FileResult(path=path, original="", cleaned="",
                                         error=f"internal error: {type(exc).__name__}: {exc}"), raw=data)
    if name is not None and _cacheable(outcome.result):
        from .cache import store

        s = store()
        if s is not None:
            s.save(RESULTS, name, _slim(outcome.result))
    return outcome


# -- worker processes ---------------------------------------------------------------

_WORKER_CLEANERS: list[Cleaner] = []


def _init_worker(cleaners: list[Cleaner]) -> None:
    """Load each Cleaner's rules once (from the pack cache). Interrupts are the main
    process's to handle: it stops the workers itself."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's handler, inherited by fork
    _WORKER_CLEANERS[:] = cleaners
    for cleaner in cleaners:
        try:
            cleaner.rules
        except Exception:  # reported by the main process, which loaded them first
            pass


def _work(tasks: list[tuple[int, str, bytes, str | None]]) -> list[FileResult]:
    """Clean a chunk of files; send back only what the main process cannot rebuild from the
    bytes it already has (the findings, and the cleaned text when it differs)."""
    out = []
    for i, path, data, name in tasks:
        result = _clean(_WORKER_CLEANERS[i], path, data, name).result
        out.append(result if result.error else _slim(result, keep_path=True))
    return out


def _rebuild(result: FileResult, data: bytes) -> FileOutcome:
    """A worker's slim result as a full outcome, from the input's bytes."""
    if result.error:  # as sent (an input that did not decode has no source)
        return FileOutcome(result, decode(data) if result.original else None, data)
    source = decode(data)
    cleaned = source.text if result.cleaned is None else result.cleaned
    return FileOutcome(replace(result, original=source.text, cleaned=cleaned), source, data)


class _Pool:
    """A process pool that can be stopped at once (an interrupt) or replaced (a worker
    killed, say by the kernel for lack of memory)."""

    def __init__(self, cleaners: list[Cleaner], workers: int):
        self.cleaners, self.workers = cleaners, workers
        self.executor = None

    def submit(self, tasks):
        from concurrent.futures import ProcessPoolExecutor

        if self.executor is None:
            self.executor = ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=(self.cleaners,))
        return self.executor.submit(_work, tasks)

    def replace(self) -> None:
        self.stop()

    def stop(self, *, wait: bool = False) -> None:
        executor, self.executor = self.executor, None
        if executor is None:
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        if not wait:
            for process in processes:  # an interrupt: do not wait for files being cleaned
                try:
                    process.terminate()
                except Exception:  # pragma: no cover - already gone
                    pass
        for process in processes:
            process.join(5)


def _broken(exc: BaseException) -> bool:
    """Whether a worker died and took the pool with it (concurrent.futures is imported only
    once workers are used: it is slow to import)."""
    process = sys.modules.get("concurrent.futures.process")
    return process is not None and isinstance(exc, process.BrokenProcessPool)


class _Pending:
    """One input in flight: its bytes, and its outcome or the future of its chunk."""

    __slots__ = ("path", "data", "cleaner", "name", "future", "slot", "outcome")

    def __init__(self, path, data, cleaner, name):
        self.path, self.data, self.cleaner, self.name = path, data, cleaner, name
        self.future = self.outcome = None
        self.slot = 0

    @property
    def ready(self) -> bool:
        return self.outcome is not None or (self.future is not None and self.future.done())


def clean_all(
    items: Iterable[tuple[str, Cleaner]],
    *,
    workers: int | None = None,
    use_cache: bool = True,
    stdin: bytes | None = None,
    stdin_name: str | None = None,
    cleaners: list[Cleaner] | None = None,
) -> Iterator[FileOutcome]:
    """Clean every (path, cleaner) pair; yield the outcomes in the order given.

    ``workers``: processes to clean in (default: every core; 1 cleans here). ``"-"``
    stands for ``stdin``. Stopping early (an interrupt, or closing the generator) stops
    the workers; nothing is written here, so nothing is left half done. ``stdin_name``
    (``--stdin-filename``) names stdin in reports and picks its format.

    An item may also be (path, cleaner, bytes): an input already in memory (a dataset's
    row), not read from ``path``. Given every Cleaner the items use as ``cleaners``, the
    items are read lazily, one window at a time (a dataset of millions of rows)."""
    from .cache import store as cache_store

    workers = default_workers() if workers is None else max(1, workers)
    if cleaners is None:
        items = list(items)
        cleaners = list(dict.fromkeys(item[1] for item in items))
        many = len(items) >= MIN_FILES_FOR_WORKERS
    else:
        many = True
    store = cache_store() if use_cache else None
    index = {c: i for i, c in enumerate(cleaners)}
    pool = _Pool(cleaners, workers) if workers > 1 and many else None
    window: deque[_Pending] = deque()
    in_flight = 0  # bytes held by the window
    chunk: list[_Pending] = []  # files waiting to be sent to a worker together
    warm = False  # the first file is cleaned here: forked workers inherit what it loaded

    def submit() -> None:
        if chunk:
            future = pool.submit([(index[p.cleaner], p.path, p.data, p.name) for p in chunk])
            for slot, p in enumerate(chunk):
                p.future, p.slot = future, slot
            chunk.clear()

    def start(p: _Pending) -> None:
        nonlocal warm
        if pool is None or not warm:
            p.outcome = _clean(p.cleaner, p.path, p.data, p.name)
            warm = True
            return
        chunk.append(p)
        if len(chunk) >= CHUNK_FILES or sum(len(q.data) for q in chunk) >= CHUNK_BYTES:
            submit()

    def take(p: _Pending) -> None:
        p.outcome = _rebuild(p.future.result()[p.slot], p.data)

    def recover(suspects: list[_Pending]) -> None:
        """A worker died (killed for memory, say) and took the pool with it: clean what
        was in flight again, one file at a time, so that a second death names its file."""
        pool.replace()
        for q in suspects:
            if q.future is not None and q.future.done() and q.future.exception() is None:
                take(q)
                continue
            chunk.append(q)
            submit()
            try:
                take(q)
            except Exception as exc:
                if not _broken(exc):
                    raise
                pool.replace()
                q.outcome = FileOutcome(FileResult(
                    path=q.path, original="", cleaned="",
                    error="the worker process cleaning this file stopped (out of memory?)"), raw=q.data)

    def finish(p: _Pending) -> FileOutcome:
        nonlocal in_flight
        in_flight -= len(p.data)
        if p.outcome is None:
            submit()  # before waiting: a part-filled chunk keeps the other worker busy
            try:
                take(p)
            except Exception as exc:
                if not _broken(exc):
                    raise
                chunk.clear()
                recover([p] + [q for q in window if q.outcome is None])
        return p.outcome  # type: ignore[return-value]

    def full() -> bool:
        # enough in flight to keep every worker busy; never more than WINDOW_BYTES unless
        # a single file is larger (memory follows the largest file)
        return len(window) >= workers * CHUNK_FILES * 2 or (in_flight >= WINDOW_BYTES and len(window) > workers)

    completed = False
    misses = 0
    try:
        for item in items:
            path, cleaner = item[0], item[1]
            try:
                if len(item) > 2:
                    data = item[2]
                elif path == "-":
                    data, path = stdin or b"", stdin_name or "-"
                else:
                    data = read_bytes(path)
            except InputError as exc:
                p = _Pending(path, b"", cleaner, None)
                p.outcome = FileOutcome(FileResult(path=path, original="", cleaned="", error=str(exc)))
            else:
                name = result_name(cleaner, path, data) if store is not None else None
                p = _Pending(path, data, cleaner, name)
                if name is not None:
                    p.outcome = _from_cache(store, name, path, data)
                if p.outcome is None:
                    misses += 1
                    start(p)
            window.append(p)
            in_flight += len(p.data)
            while window and (full() or window[0].ready):
                yield finish(window.popleft())
        while window:
            yield finish(window.popleft())
        completed = True
    finally:
        if pool is not None:
            pool.stop(wait=completed)
        if store is not None and completed and misses:
            store.prune(RESULTS, every=600)
