"""Cleaning a dataset or a folder on a Dask cluster (``pip install 'cleaner[dask]'``).

The input is cut into partitions the workers read themselves (Parquet row groups; byte
ranges of whole rows in JSONL and CSV; groups of files in a folder), so the client never
holds the data. A Dask bag maps one task per partition; each task cleans its rows exactly
as `cleaner fix` does (`datasets.clean_reader`, the same Cleaner) and writes, atomically,

    OUT/part-00000.<suffix>            the partition, cleaned (same format, columns, order)
    OUT/_findings/part-00000.jsonl     its findings as JSON lines keyed by row id

(pyarrow and Dask read ``OUT`` back as one dataset: names starting ``_`` are skipped).
For a folder, the cleaned files go to ``OUT/<relative path>``.

The Cleaner travels as its configuration (a few hundred bytes); each worker process loads
the rules once, from the pack cache, and keeps them for every later task.

    from cleaner import Cleaner
    from cleaner.dask import clean
    clean("news.parquet", "clean/", text_column="text", id_column="id")            # a local cluster
    clean("news.parquet", "clean/", text_column="text", scheduler="tcp://head:8786")  # yours
"""
from __future__ import annotations

import json
import os
from types import SimpleNamespace
from dataclasses import dataclass, field

from .core import Cleaner
from .datasets import _Atomic, clean_reader, dataset_format, finding_records, open_dataset, DatasetError

#: Bytes of JSONL/CSV (about) per partition.
PARTITION_BYTES = 16 << 20


@dataclass
class Part:
    """One partition: which rows (byte range or row groups, or files) and where it goes."""

    number: int
    start: int = 0
    end: int = 0
    first_row: int = 0
    groups: list[int] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


@dataclass
class DaskRun:
    """What the cluster did, summed over the partitions."""

    partitions: int = 0
    rows: int = 0
    modified: int = 0
    findings: int = 0
    failing: int = 0  # findings at or above fail-on left after the run
    notices: int = 0
    errors: int = 0
    output: str = ""

    @property
    def exit_code(self) -> int:
        """As `cleaner fix` exits: 2 a row or file could not be cleaned, 1 findings remain, else 0."""
        return 2 if self.errors else 1 if self.failing else 0


# -- partitions ----------------------------------------------------------------------

def partitions(path: str, *, partition_bytes: int = PARTITION_BYTES, row_groups: int = 1) -> list[Part]:
    """Cut a dataset into partitions of whole rows, reading only what a cut needs (a
    Parquet footer; one pass over a JSONL/CSV file counting line ends)."""
    fmt = dataset_format(path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(path).metadata
        parts, first = [], 0
        for start in range(0, meta.num_row_groups, row_groups):
            groups = list(range(start, min(start + row_groups, meta.num_row_groups)))
            parts.append(Part(len(parts), groups=groups, first_row=first))
            first += sum(meta.row_group(g).num_rows for g in groups)
        return parts
    if fmt is None:
        raise DatasetError(f"{path}: not a dataset (.jsonl, .csv or .parquet)")
    return _byte_parts(path, partition_bytes, csv=fmt == "csv")


def _byte_parts(path: str, size: int, *, csv: bool) -> list[Part]:
    """Byte ranges ending at row ends. In CSV a line end inside quotes is not a row end:
    quote characters are counted (a doubled quote counts twice, so the parity holds)."""
    parts: list[Part] = []
    start = offset = rows = first = 0
    quoted = False
    header_end = None
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            pieces = chunk.split(b"\n")
            for i, piece in enumerate(pieces):
                if csv and piece.count(b'"') % 2:
                    quoted = not quoted
                offset += len(piece)
                if i == len(pieces) - 1:
                    break  # no line end after the chunk's last piece
                offset += 1
                if quoted:
                    continue
                if csv and header_end is None:
                    header_end = start = offset
                    continue
                rows += 1
                if offset - start >= size:
                    parts.append(Part(len(parts), start, offset, first))
                    start, first = offset, rows
    if offset > start:
        parts.append(Part(len(parts), start, offset, first))
    return parts


def csv_header(path: str) -> bytes:
    """A CSV's header line, bytes and line end, put before each partition's rows."""
    with open(path, "rb") as handle:
        return handle.readline()


# -- the task ------------------------------------------------------------------------

def clean_part(part: Part, path: str, out: str, cleaner: Cleaner, text_column: str, id_column: str | None,
               fail_rank: int, header: bytes = b"") -> dict:
    """Clean one partition and write it and its findings; runs on a worker."""
    fmt = dataset_format(path)
    suffix = os.path.splitext(path)[1]
    reader = open_dataset(path, text_column, id_column)
    if fmt == "parquet":
        reader.part_groups(part.groups, part.first_row)
    else:
        reader.part_of(part.start, part.end, part.first_row, header)
    name = f"part-{part.number:05d}"
    failing = 0

    def on_row(done):
        nonlocal failing
        failing += sum(1 for c in done.result.remaining if c.finding.level.rank >= fail_rank)

    run = clean_reader(reader, cleaner, output=os.path.join(out, name + suffix),
                       findings=os.path.join(out, "_findings", name + ".jsonl"), workers=1, on_row=on_row,
                       label=path)
    return {"rows": run.rows, "modified": run.modified, "findings": run.findings, "failing": failing,
            "notices": run.notices, "errors": run.errors}


def clean_files(part: Part, root: str, out: str, cleaner: Cleaner, fail_rank: int) -> dict:
    """Clean one group of a folder's files: each written (if changed or not) under ``out``."""
    from .api import output_bytes

    stats = {"rows": 0, "modified": 0, "findings": 0, "failing": 0, "notices": 0, "errors": 0}
    with _Atomic(os.path.join(out, "_findings", f"part-{part.number:05d}.jsonl")) as found:
        for path in part.files:
            outcome = cleaner.clean_file(path)
            r = outcome.result
            rel = os.path.relpath(path, root)
            target = os.path.join(out, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            data = output_bytes(outcome) if outcome.source is not None else _read(path)
            with _Atomic(target) as handle:
                handle.write(data)
            stats["rows"] += 1
            stats["modified"] += bool(r.modified and not r.error)
            stats["findings"] += len(r.changes)
            stats["failing"] += sum(1 for c in r.remaining if c.finding.level.rank >= fail_rank)
            stats["errors"] += bool(r.error)
            done = SimpleNamespace(row=SimpleNamespace(id=rel), result=r)
            for record in finding_records(done):
                record = {"file": record.pop("row"), **record}
                found.write(json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n")
    return stats


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


# -- the client ----------------------------------------------------------------------

def client(scheduler: str | None = None, *, n_workers: int = 2):
    """A Dask client: of the scheduler at ``scheduler``, or of a new local cluster of
    ``n_workers`` single-threaded processes (the cleaner is pure Python: threads would
    share one GIL)."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster)


def clean(
    path: str,
    out: str,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    cleaner: Cleaner | None = None,
    scheduler: str | None = None,
    dask_client=None,
    n_workers: int = 2,
    partition_bytes: int = PARTITION_BYTES,
    row_groups: int = 1,
    fail_on: str = "flag",
) -> DaskRun:
    """Clean a dataset (or a folder of .txt/.md/.html files) on a Dask cluster into the
    folder ``out``; see the module docstring. ``dask_client`` reuses a client (else one
    is made for this run and closed after: ``scheduler`` or a local cluster)."""
    import dask.bag as db

    from .files import iter_files
    from .model import Level

    cleaner = cleaner or Cleaner()
    cleaner.rules  # a broken pack or selector fails here, before any task
    fail_rank = Level(fail_on).rank
    os.makedirs(os.path.join(out, "_findings"), exist_ok=True)
    if os.path.isdir(path):
        files = [os.path.abspath(p) for p in iter_files([path])]
        size = max(1, len(files) // (4 * n_workers) or 1)
        parts = [Part(i, files=files[s:s + size]) for i, s in enumerate(range(0, len(files), size))]
        task, args = clean_files, (os.path.abspath(path), out, cleaner, fail_rank)
    else:
        open_dataset(path, text_column, id_column)  # a missing file or column fails here
        parts = partitions(path, partition_bytes=partition_bytes, row_groups=row_groups)
        header = csv_header(path) if dataset_format(path) == "csv" else b""
        task = clean_part
        args = (os.path.abspath(path), os.path.abspath(out), cleaner, text_column, id_column, fail_rank, header)
    own = dask_client is None
    dask_client = dask_client or client(scheduler, n_workers=n_workers)
    try:
        bag = db.from_sequence(parts, npartitions=max(1, len(parts)))
        results = bag.map(task, *args).compute(scheduler=dask_client) if parts else []
    finally:
        if own:
            cluster = getattr(dask_client, "cluster", None)
            dask_client.close()
            if cluster is not None:
                cluster.close()
    _remove_stale(out, len(parts))
    run = DaskRun(partitions=len(parts), output=out)
    for stats in results:
        for key, value in stats.items():
            setattr(run, key, getattr(run, key) + value)
    return run


def _remove_stale(out: str, count: int) -> None:
    """Partitions left in ``out`` by an earlier run with more of them (ours by their name)."""
    import re

    for folder in (out, os.path.join(out, "_findings")):
        for name in os.listdir(folder):
            m = re.fullmatch(r"part-(\d{5,})\.(jsonl|csv|parquet)", name)
            if m and int(m.group(1)) >= count and os.path.isfile(os.path.join(folder, name)):
                os.unlink(os.path.join(folder, name))


def main(argv: list[str] | None = None) -> int:
    """``python -m cleaner.dask DATASET OUT --text-column text [--id-column id] [--scheduler ADDRESS]``"""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m cleaner.dask", description=main.__doc__)
    parser.add_argument("input", help="a .jsonl, .csv or .parquet dataset, or a folder of articles")
    parser.add_argument("output", help="the folder to write partitions and _findings/ to")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--id-column")
    parser.add_argument("--scheduler", help="a Dask scheduler's address (default: a local cluster)")
    parser.add_argument("--workers", type=int, default=2, help="local cluster's worker processes")
    parser.add_argument("--select", action="append", default=[])
    parser.add_argument("--ignore", action="append", default=[])
    parser.add_argument("--unsafe-fixes", action="store_true")
    args = parser.parse_args(argv)
    split = lambda values: [v for value in values for v in value.split(",") if v]  # noqa: E731
    cleaner = Cleaner(select=split(args.select), ignore=split(args.ignore), unsafe_fixes=args.unsafe_fixes)
    try:
        run = clean(args.input, args.output, text_column=args.text_column, id_column=args.id_column,
                    cleaner=cleaner, scheduler=args.scheduler, n_workers=args.workers)
    except (DatasetError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    print(f"{args.input}: {run.rows} rows in {run.partitions} partitions, {run.modified} changed, "
          f"{run.findings} findings, {run.notices} without text, {run.errors} not cleaned -> {args.output}")
    return run.exit_code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
