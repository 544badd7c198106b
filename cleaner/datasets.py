"""Datasets: a JSONL, CSV or Parquet file whose rows are documents, one text column each.

Each row is cleaned as `cleaner fix` cleans a file holding its text (same `Cleaner`, same
engine): the text is encoded as UTF-8 and goes through the batch engine
(`batch.clean_all`, worker processes and all), so a row and a file never disagree.

- Rows stream: Parquet in record batches (``ParquetFile.iter_batches``), JSONL line by
  line, CSV record by record (stdlib ``csv``, so the light install reads it); memory
  holds a batch, never the dataset.
- The output keeps every other column, its type and the row order; a JSONL row with
  nothing changed is copied byte for byte. It is written to a temporary file beside the
  target and renamed over it at the end: all or nothing.
- A row without text (null, missing, an empty CSV cell) is a notice and is passed
  through; a row whose text is not a string, or not valid Unicode (a lone surrogate, a
  CSV cell of bytes that are not UTF-8), or that a file would refuse (NUL characters),
  is an error for that row (exit 2, as an unreadable file) and is passed through too.
- Findings are reported as ``DATASET:ROW_ID:line:column`` and written as JSON lines
  (``row``, rule, span, before, after, message...).

pyarrow is needed for Parquet only (``pip install 'cleaner[parquet]'``).
"""
from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from .core import Cleaner
from .model import FileResult

SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
#: Rows per Parquet record batch read and written.
BATCH_ROWS = 1024


class DatasetError(Exception):
    """A dataset that cannot be read as asked (no such column, not a dataset, no pyarrow)."""


def dataset_format(path: str) -> str | None:
    """jsonl, csv or parquet by the file's suffix; None for anything else."""
    return SUFFIXES.get(os.path.splitext(path)[1].lower())


@dataclass
class Row:
    """One row: its place, its id, its text, and what the writer needs to write it back."""

    index: int
    id: Any
    text: str | None
    record: Any = None  # the format's own row (a JSON line, a CSV record, a batch position)
    notice: str | None = None  # no text: passed through
    error: str | None = None  # a text that cannot be cleaned: passed through
    data: bytes | None = None

    def __post_init__(self):
        if self.text is not None and self.error is None and self.notice is None:
            self.data, self.error = encode_text(self.text)

    @property
    def cleanable(self) -> bool:
        return self.data is not None


def encode_text(text: Any) -> tuple[bytes | None, str | None]:
    """A row's text as the bytes of the file it would be, or why it cannot be one."""
    if not isinstance(text, str):
        return None, f"text is a {type(text).__name__}, not a string"
    try:
        return text.encode("utf-8"), None
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, carried as a surrogate
            return None, f"text is not valid UTF-8: byte 0x{code - 0xDC00:02x} at character {exc.start}"
        return None, f"text is not valid Unicode: {exc.reason} (U+{ord(text[exc.start]):04X}) at character {exc.start}"


@dataclass
class RowDone:
    """A row and what became of it; ``result.path`` is ``DATASET:ROW_ID``."""

    row: Row
    result: FileResult
    outcome: Any = None  # api.FileOutcome, when the row was cleaned

    @property
    def cleaned(self) -> Any:
        """The row's new text: cleaned, or the row's own value when it was not cleaned."""
        if self.outcome is None or self.result.error:
            return self.row.text
        from .api import output_bytes

        return output_bytes(self.outcome).decode("utf-8")


def finding_records(done: RowDone) -> Iterator[dict]:
    """The findings file's lines for one row: its id, then the change as the JSON report has it."""
    r = done.result
    if r.error:
        yield {"row": done.row.id, "error": r.error}
    for notice in r.notices:
        yield {"row": done.row.id, "notice": notice}
    for c in r.changes:
        yield {"row": done.row.id, **c.to_dict()}


# -- cleaning rows ------------------------------------------------------------------

def clean_rows(rows: Iterable[Row], cleaner: Cleaner, label: str, *, workers: int | None = 1) -> Iterator[RowDone]:
    """Clean every row in order, on ``workers`` processes (the batch engine's pool: rules
    loaded once per worker); rows without a cleanable text come back untouched, in place."""
    from .batch import clean_all

    pending: deque[Row] = deque()

    def feed():
        for row in rows:
            pending.append(row)
            if row.cleanable:
                # the engine's path has no suffix, so the row is cleaned as plain text
                yield (str(row.index), cleaner, row.data)

    def passed(row: Row) -> RowDone:
        result = FileResult(path=f"{label}:{row.id}", original="", cleaned="", error=row.error)
        if row.notice:
            result.notices.append(row.notice)
        return RowDone(row, result)

    for outcome in clean_all(feed(), workers=workers, use_cache=False, cleaners=[cleaner]):
        while True:
            row = pending.popleft()
            if row.cleanable:
                break
            yield passed(row)
        outcome.result.path = f"{label}:{row.id}"
        yield RowDone(row, outcome.result, outcome)
    while pending:
        yield passed(pending.popleft())


def clean_values(texts: Iterable[Any], cleaner: Cleaner, *, label: str = "row", ids: Iterable[Any] | None = None,
                 workers: int | None = 1) -> Iterator[RowDone]:
    """Clean a column of values (None and non-strings pass through, see `Row`)."""
    ids = iter(ids) if ids is not None else None
    rows = (_row(i, next(ids) if ids is not None else i, t) for i, t in enumerate(texts))
    return clean_rows(rows, cleaner, label, workers=workers)


def _row(index: int, row_id: Any, text: Any, record: Any = None, *, missing: bool = False) -> Row:
    if missing:
        return Row(index, row_id, None, record, notice="no text column in this row")
    if text is None:
        return Row(index, row_id, None, record, notice="text is null")
    if not isinstance(text, str):
        return Row(index, row_id, None, record, error=encode_text(text)[1])
    return Row(index, row_id, text, record)


# -- reading and writing each format ---------------------------------------------------

class _Format:
    """Reads a dataset's rows and writes them back, cleaned, to a temporary file."""

    def __init__(self, path: str, text_column: str, id_column: str | None):
        self.path, self.text_column, self.id_column = path, text_column, id_column
        self.part: tuple[int, int, int, bytes] | None = None  # a partition: start, end, first row, header

    def part_of(self, start: int, end: int, first_row: int, header: bytes = b"") -> "_Format":
        """Read only bytes [start, end) (whole rows), whose first row is ``first_row``;
        ``header`` is put before them (a CSV's header line)."""
        self.part = (start, end, first_row, header)
        return self

    def _binary(self):
        if self.part is None:
            return open(self.path, "rb")
        import io

        start, end, _, header = self.part
        with open(self.path, "rb") as handle:
            handle.seek(start)
            return io.BytesIO(header + handle.read(end - start))

    @property
    def first_row(self) -> int:
        return self.part[2] if self.part else 0

    def total(self) -> int | None:
        return None

    def rows(self) -> Iterator[Row]:  # pragma: no cover - abstract
        raise NotImplementedError

    def open(self, handle) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self, done: RowDone) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _missing(self, column: str, columns: Iterable[str]) -> DatasetError:
        return DatasetError(f"{self.path}: no column {column!r} (columns: {', '.join(map(str, columns))})")


class _Jsonl(_Format):
    def total(self) -> int | None:
        return _count_lines(self.path)

    def rows(self) -> Iterator[Row]:
        with self._binary() as handle:
            index = self.first_row
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    yield Row(index, f"line{number}", None, (line, None), notice="blank line")
                    index += 1
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    raise DatasetError(f"{self.path}: line {number}: not JSON: {exc}") from None
                if not isinstance(obj, dict):
                    raise DatasetError(f"{self.path}: line {number}: a JSON {type(obj).__name__}, not an object")
                if index == self.first_row and self.text_column not in obj:  # a mistyped column, not a missing text
                    raise self._missing(self.text_column, obj)
                row_id = obj.get(self.id_column) if self.id_column else index
                yield _row(index, row_id, obj.get(self.text_column), (line, obj), missing=self.text_column not in obj)
                index += 1

    def open(self, handle) -> None:
        self.out = handle

    def write(self, done: RowDone) -> None:
        line, obj = done.row.record
        cleaned = done.cleaned
        if obj is None or cleaned == done.row.text:
            self.out.write(line)  # unchanged: byte for byte
            return
        obj[self.text_column] = cleaned
        ending = b"\r\n" if line.endswith(b"\r\n") else b"\n" if line.endswith(b"\n") else b""
        self.out.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + ending)


class _Csv(_Format):
    """The stdlib reader: every cell is text, so every other cell comes back as it was."""

    header: list[str] | None = None

    def _open(self):
        # bytes that are not UTF-8 survive the round trip as surrogates (and make the row an error)
        import io

        return io.TextIOWrapper(self._binary(), newline="", encoding="utf-8", errors="surrogateescape")

    def rows(self) -> Iterator[Row]:
        csv.field_size_limit(sys.maxsize)
        with self._open() as handle:
            first = handle.readline()
            self.newline = "\r\n" if first.endswith("\r\n") else "\n"
            handle.seek(0)
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                return
            self.header = header
            if self.text_column not in header:
                raise self._missing(self.text_column, header)
            if self.id_column and self.id_column not in header:
                raise self._missing(self.id_column, header)
            t = header.index(self.text_column)
            k = header.index(self.id_column) if self.id_column else None
            for index, record in enumerate(reader, self.first_row):
                row_id = (record[k] if k < len(record) else None) if k is not None else index
                if t >= len(record):
                    yield _row(index, row_id, None, record, missing=True)
                elif record[t] == "":
                    yield Row(index, row_id, None, record, notice="text is empty")
                else:
                    yield _row(index, row_id, record[t], record)
            self.t = t

    def open(self, handle) -> None:
        import io

        self.text = io.TextIOWrapper(handle, encoding="utf-8", errors="surrogateescape", newline="")
        self.writer = csv.writer(self.text, lineterminator=getattr(self, "newline", "\r\n"))
        if self.header is not None:
            self.writer.writerow(self.header)
            self.t = self.header.index(self.text_column)

    def write(self, done: RowDone) -> None:
        record = list(done.row.record)
        if done.row.text is not None:
            record[self.t] = done.cleaned
        self.writer.writerow(record)

    def close(self) -> None:
        self.text.flush()
        self.text.detach()


class _Parquet(_Format):
    """Record batches in, record batches out: the schema (types, metadata) is the input's."""

    def __init__(self, *args):
        super().__init__(*args)
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise DatasetError("reading Parquet needs pyarrow: pip install 'cleaner[parquet]'") from None
        try:
            self.file = pq.ParquetFile(self.path)
        except Exception as exc:
            raise DatasetError(f"{self.path}: not a Parquet file: {exc}") from None
        self.schema = self.file.schema_arrow
        names = self.schema.names
        if self.text_column not in names:
            raise self._missing(self.text_column, names)
        if self.id_column and self.id_column not in names:
            raise self._missing(self.id_column, names)
        self.t = names.index(self.text_column)

    groups: list[int] | None = None

    def part_groups(self, groups: list[int], first_row: int) -> "_Parquet":
        """Read only these row groups, whose first row is ``first_row`` (a partition)."""
        self.groups, self.part = list(groups), (0, 0, first_row, b"")
        return self

    def total(self) -> int | None:
        return self.file.metadata.num_rows

    def rows(self) -> Iterator[Row]:
        index = self.first_row
        for batch in self.file.iter_batches(batch_size=BATCH_ROWS, row_groups=self.groups):
            texts = batch.column(self.t).to_pylist()
            ids = batch.column(self.id_column).to_pylist() if self.id_column else range(index, index + len(texts))
            for i, (row_id, text) in enumerate(zip(ids, texts)):
                yield _row(index, row_id, text, (batch, i))
                index += 1

    def open(self, handle) -> None:
        import pyarrow.parquet as pq

        meta = self.file.metadata
        compression = meta.row_group(0).column(0).compression.lower() if meta.num_row_groups else "snappy"
        self.writer = pq.ParquetWriter(handle, self.schema, compression=compression)
        self.batch, self.texts = None, []

    def write(self, done: RowDone) -> None:
        batch, i = done.row.record
        if batch is not self.batch:
            self._flush()
            self.batch = batch
        self.texts.append(done.cleaned)

    def _flush(self) -> None:
        import pyarrow as pa

        if self.batch is None:
            return
        column = self.batch.column(self.t)
        arrays = list(self.batch.columns)
        try:
            arrays[self.t] = pa.array(self.texts, type=column.type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):  # e.g. dictionary-encoded
            arrays[self.t] = pa.array(self.texts).cast(column.type)
        self.writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=self.batch.schema))
        self.batch, self.texts = None, []

    def close(self) -> None:
        self._flush()
        self.writer.close()


FORMATS: dict[str, type[_Format]] = {"jsonl": _Jsonl, "csv": _Csv, "parquet": _Parquet}


def _count_lines(path: str) -> int | None:
    """Rows of a JSONL file, for the progress bar (a quick pass over its bytes)."""
    try:
        with open(path, "rb") as handle:
            n, last = 0, b"\n"
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                n += chunk.count(b"\n")
                last = chunk[-1:]
            return n + (last != b"\n")
    except OSError:
        return None


def open_dataset(path: str, text_column: str, id_column: str | None = None) -> _Format:
    """The reader/writer of a dataset by its suffix."""
    fmt = dataset_format(path)
    if fmt is None:
        raise DatasetError(f"{path}: not a dataset (.jsonl, .csv or .parquet)")
    if not os.path.isfile(path):
        raise DatasetError(f"{path}: no such file")
    return FORMATS[fmt](path, text_column, id_column)


# -- a whole dataset -----------------------------------------------------------------

@dataclass
class DatasetRun:
    """What `clean_dataset` did: rows seen, changed, with notices and errors."""

    rows: int = 0
    modified: int = 0
    notices: int = 0
    errors: int = 0
    findings: int = 0
    output: str | None = None
    findings_file: str | None = None
    extra: dict = field(default_factory=dict)


def default_findings_path(output: str) -> str:
    base, _ = os.path.splitext(output)
    return base + ".findings.jsonl"


def clean_dataset(
    path: str,
    cleaner: Cleaner,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    output: str | None = None,
    findings: str | None = None,
    workers: int | None = 1,
    on_row: Callable[[RowDone], None] | None = None,
    in_place: bool = False,
) -> DatasetRun:
    """Clean every row of ``path``; write the cleaned dataset to ``output`` (same format;
    ``path`` itself only with ``in_place``) and the findings to ``findings`` (JSON lines), each
    atomically, when given. ``on_row`` sees each row as it is done (a report, a progress bar)."""
    reader = open_dataset(path, text_column, id_column)
    if output is not None and dataset_format(output) != dataset_format(path):
        raise DatasetError(f"{output}: the output must have the input's format ({dataset_format(path)})")
    if output is not None and not in_place and os.path.exists(output) and os.path.samefile(output, path):
        raise DatasetError(f"{output}: is the input; to replace it, ask for that (--in-place)")
    return clean_reader(reader, cleaner, output=output, findings=findings, workers=workers, on_row=on_row)


def clean_reader(reader: _Format, cleaner: Cleaner, *, output: str | None = None, findings: str | None = None,
                 workers: int | None = 1, on_row: Callable[[RowDone], None] | None = None,
                 label: str | None = None) -> DatasetRun:
    """`clean_dataset` on an opened dataset (or a partition of one)."""
    path = label or reader.path
    run = DatasetRun(output=output, findings_file=findings)
    with _Atomic(output) as out, _Atomic(findings) as found:
        rows = clean_rows(reader.rows(), cleaner, path, workers=workers)
        opened = False
        for done in rows:
            if out is not None and not opened:
                reader.open(out)
                opened = True
            run.rows += 1
            run.notices += bool(done.result.notices)
            run.errors += bool(done.result.error)
            run.findings += len(done.result.changes)
            if done.outcome is not None and done.result.modified and not done.result.error:
                run.modified += 1
            if out is not None:
                reader.write(done)
            if found is not None:
                for record in finding_records(done):
                    found.write(json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n")
            if on_row is not None:
                on_row(done)
        if out is not None:
            if not opened:  # no rows: the header (CSV) or schema (Parquet) still
                reader.open(out)
            reader.close()
    return run


class _Atomic:
    """A binary file written beside its target and renamed over it only when all went well."""

    def __init__(self, target: str | None):
        self.target, self.handle, self.tmp = target, None, None

    def __enter__(self):
        if self.target is None:
            return None
        directory = os.path.dirname(os.path.abspath(self.target))
        fd, self.tmp = tempfile.mkstemp(prefix=f".{os.path.basename(self.target)}.", suffix=".cleaner-tmp",
                                        dir=directory)
        self.handle = os.fdopen(fd, "wb")
        return self.handle

    def __exit__(self, kind, exc, tb):
        if self.handle is None:
            return
        try:
            if not self.handle.closed:
                self.handle.flush()
                os.fsync(self.handle.fileno())
                self.handle.close()
            if kind is None:
                if os.path.exists(self.target):
                    os.chmod(self.tmp, os.stat(self.target).st_mode & 0o7777)
                os.replace(self.tmp, self.target)
                return
        except BaseException:
            kind = kind or True
            raise
        finally:
            if kind is not None and os.path.exists(self.tmp):
                os.unlink(self.tmp)


# -- from Python: pandas, Arrow, Hugging Face datasets --------------------------------

def clean_series(series, cleaner: Cleaner | None = None, *, workers: int | None = 1):
    """A pandas Series of texts, cleaned (same index and name; None/NaN and non-strings kept)."""
    import pandas as pd

    cleaner = cleaner or Cleaner()
    values = [None if _is_na(v) else v for v in series.tolist()]
    cleaned = [d.cleaned for d in clean_values(values, cleaner, workers=workers)]
    out = [orig if (c is None and not isinstance(orig, str)) else c for orig, c in zip(series.tolist(), cleaned)]
    return pd.Series(out, index=series.index, name=series.name, dtype=series.dtype)


def _is_na(value) -> bool:
    try:
        return value is None or (value != value)  # NaN, pd.NA
    except (TypeError, ValueError):
        return False


def clean_table(table, text_column: str = "text", cleaner: Cleaner | None = None, *, id_column: str | None = None,
                workers: int | None = 1):
    """An Arrow table with its text column cleaned (every other column as it was), and the
    findings as a list of dicts keyed by ``row`` (the id column's value, or the row index)."""
    import pyarrow as pa

    cleaner = cleaner or Cleaner()
    texts = table.column(text_column).to_pylist()
    ids = table.column(id_column).to_pylist() if id_column else None
    cleaned, found = [], []
    for done in clean_values(texts, cleaner, label=text_column, ids=ids, workers=workers):
        cleaned.append(done.cleaned)
        found.extend(finding_records(done))
    i = table.schema.get_field_index(text_column)
    column = pa.chunked_array([pa.array(cleaned, type=table.schema.field(i).type)])
    return table.set_column(i, table.schema.field(i), column), found


class BatchCleaner:
    """A picklable function for ``datasets.Dataset.map(batched=True, num_proc=N)``: takes
    a batch (a dict of columns) and returns the text column cleaned, plus, when
    ``findings_column`` is set, each row's findings as a JSON string.

        ds = ds.map(BatchCleaner(Cleaner(), "text"), batched=True, num_proc=4)
    """

    def __init__(self, cleaner: Cleaner | None = None, text_column: str = "text", *,
                 findings_column: str | None = None):
        self.cleaner = cleaner or Cleaner()
        self.text_column, self.findings_column = text_column, findings_column

    def __call__(self, batch: dict) -> dict:
        done = list(clean_values(batch[self.text_column], self.cleaner))
        out = {self.text_column: [d.cleaned for d in done]}
        if self.findings_column:
            out[self.findings_column] = [
                json.dumps([{k: v for k, v in r.items() if k != "row"} for r in finding_records(d)], ensure_ascii=False)
                for d in done
            ]
        return out
