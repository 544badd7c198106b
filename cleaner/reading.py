"""Turn bytes into text and back without losing anything.

Remembers the byte-order mark and the newline style so that a fixed file is written
back byte-identical outside the changed spans, and refuses input that is not text with
an error that says what is wrong.
"""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass


class InputError(Exception):
    """Input that cannot be read as text: binary, undecodable, unreadable."""


@dataclass(frozen=True)
class Source:
    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    sha256: str = ""  # of the bytes read: a file is rewritten only if it still has them


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def detect_newline(text: str) -> str:
    """The newline a text mostly uses; new line breaks are written in the same style."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf > lf and crlf >= cr:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"


def decode(data: bytes) -> Source:
    """Decode UTF-8 (or UTF-16/32 with a BOM); refuse binary data clearly."""
    digest = hashlib.sha256(data).hexdigest()
    encoding, bom = "utf-8", False
    for mark, name in _BOMS:
        if data.startswith(mark):
            encoding, bom, data = name, True, data[len(mark):]
            break
    if not bom and b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid {encoding.upper()}: byte 0x{data[exc.start]:02x} at offset {exc.start} (line {line})"
        ) from None
    if "\x00" in text:  # with or without a byte-order mark: text has no NUL
        raise InputError("binary file (contains NUL characters), not text")
    return Source(text=text, encoding=encoding, bom=bom, newline=detect_newline(text), sha256=digest)


def encode(text: str, source: Source) -> bytes:
    """Encode text the way its source was encoded, BOM included."""
    data = text.encode(source.encoding)
    if source.bom:
        mark = next(m for m, name in _BOMS if name == source.encoding)
        data = mark + data
    return data


def read_bytes(path: str) -> bytes:
    """A file's bytes; an unreadable file is an InputError saying why."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None


def read_path(path: str) -> Source:
    return decode(read_bytes(path))
