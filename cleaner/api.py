"""The library API that the command line (and any other program) calls.

    from cleaner import api
    rules = api.load_rules()
    result = api.clean_text("Senior diplomats americans Y russians met.", rules)
    print(result.cleaned)

`Cleaner` bundles rules and settings, loaded once, and pickles as its configuration
(for worker processes); see cleaner.core.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .core import Cleaner
from .engine import ConvergenceError, Options, clean_text
from .files import WriteRefused, format_of, iter_files, write_in_place
from .model import FileResult
from .packs import load_rules, select_rules
from .reading import InputError, Source, decode, encode, read_path
from .rule import Rule

__all__ = [
    "Cleaner", "Options", "clean_text", "clean_bytes", "clean_path", "clean_paths", "write_back",
    "load_rules", "select_rules", "FileOutcome", "output_bytes", "WriteRefused",
]


@dataclass
class FileOutcome:
    result: FileResult
    source: Source | None = None
    raw: bytes | None = None  # the input as given, when it came from a stream


def output_bytes(outcome: FileOutcome) -> bytes:
    """What a filter (``cleaner fix -``) writes: the cleaned text in the input's encoding,
    or the input unchanged when it could not be cleaned: a pipeline never loses text."""
    if outcome.result.error or outcome.source is None:
        return outcome.raw or b""
    return encode(outcome.result.cleaned, outcome.source)


def clean_bytes(data: bytes, rules: list[Rule], options: Options | None = None, *, path: str = "-") -> FileOutcome:
    """Decode, clean and account for one input; an input error becomes ``result.error``."""
    try:
        source = decode(data)
    except InputError as exc:
        return FileOutcome(FileResult(path=path, original="", cleaned="", error=str(exc)), raw=data)
    outcome = _clean_source(source, rules, options, path)
    outcome.raw = data
    return outcome


def clean_path(path: str, rules: list[Rule], options: Options | None = None) -> FileOutcome:
    try:
        source = read_path(path)
    except InputError as exc:
        return FileOutcome(FileResult(path=path, original="", cleaned="", error=str(exc)))
    return _clean_source(source, rules, options, path)


def _clean_source(source: Source, rules, options, path) -> FileOutcome:
    try:
        result = clean_text(source.text, rules, options, path=path, fmt=format_of(path), newline=source.newline)
    except ConvergenceError as exc:
        return FileOutcome(FileResult(path=path, original=source.text, cleaned=source.text, error=str(exc)), source)
    return FileOutcome(result, source)


def clean_paths(paths: Iterable[str], rules: list[Rule], options: Options | None = None, exclude: Iterable[str] = ()):
    """Clean every file under ``paths``; one bad file never stops the batch."""
    for path in iter_files(paths, exclude):
        yield clean_path(path, rules, options)


def write_back(outcome: FileOutcome, *, follow_symlinks: bool = True, write_read_only: bool = False) -> bool:
    """Write a modified file in its own encoding, all or nothing; True if it was written.

    Refused (`files.WriteRefused`) when the file changed since it was read, is read-only
    (unless ``write_read_only``) or is a symbolic link and ``follow_symlinks`` is false;
    links, owner and mode are kept (see `files.write_in_place`)."""
    result, source = outcome.result, outcome.source
    if result.error or source is None or not result.modified:
        return False
    write_in_place(result.path, encode(result.cleaned, source), expected_sha256=source.sha256 or None,
                   follow_symlinks=follow_symlinks, write_read_only=write_read_only)
    return True
