"""The Dask path on a real `distributed.LocalCluster` of 2 worker processes: partitioned
output and findings equal to the single-process `cleaner fix -o` run."""
import json
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402

from cleaner import Cleaner  # noqa: E402
from cleaner.dask import clean, client, partitions  # noqa: E402

from test_datasets import _read, _rows, _write, run  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    c = client(n_workers=2)
    assert len(c.scheduler_info()["workers"]) == 2
    yield c
    cluster = c.cluster
    c.close()
    cluster.close()


def _findings(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _parts(folder: Path, suffix: str) -> list[Path]:
    return sorted(folder.glob(f"part-*{suffix}"))


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_dask_equals_single_process(tmp_path, cluster, suffix):
    rows = _rows(surrogate=suffix == ".jsonl")
    source = tmp_path / f"data{suffix}"
    _write(rows, source)  # Parquet: row groups of 7 rows, so several partitions
    single = tmp_path / f"single{suffix}"
    code, _ = run("fix", source, "--text-column", "text", "--id-column", "id", "-o", single, "-j", "1", "-q")

    out = tmp_path / "dask-out"
    result = clean(str(source), str(out), text_column="text", id_column="id", cleaner=Cleaner(),
                   dask_client=cluster, partition_bytes=20_000)
    parts = _parts(out, suffix)
    assert result.partitions == len(parts) > 1
    got = [row for part in parts for row in _read(part)]
    assert got == _read(single)
    assert result.rows == len(rows) and result.exit_code == code
    found = [f for part in sorted((out / "_findings").glob("*.jsonl")) for f in _findings(part)]
    assert found == _findings(tmp_path / "single.findings.jsonl")
    if suffix == ".parquet":
        assert pq.read_schema(parts[0]) == pq.read_schema(source)
        assert pq.read_table(out).num_rows == len(rows)  # the folder reads back as one dataset


def test_csv_partitions_cut_between_rows_not_inside_quotes(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('id,text\n1,"one\nline ""two""\n"\n2,plain\n3,"x"\n', newline="")
    parts = partitions(str(path), partition_bytes=1)
    data = path.read_bytes()
    assert [data[p.start:p.end] for p in parts] == [b'1,"one\nline ""two""\n"\n', b"2,plain\n", b'3,"x"\n']
    assert [p.first_row for p in parts] == [0, 1, 2]


def test_folder_on_the_cluster(tmp_path, cluster):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("He said ” no “ to them.\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "b.txt").write_text("A fine sentence.\n")
    out = tmp_path / "out"
    result = clean(str(folder), str(out), dask_client=cluster)
    assert (out / "a.txt").read_text() == "He said “no” to them.\n"
    assert (out / "sub" / "b.txt").read_text() == "A fine sentence.\n"
    assert (folder / "a.txt").read_text() == "He said ” no “ to them.\n"  # the input is left alone
    assert result.rows == 2 and result.modified == 1 and result.exit_code == 0
    found = [f for p in (out / "_findings").glob("*.jsonl") for f in _findings(p)]
    assert {f["file"] for f in found} == {"a.txt"}


def test_cli_scheduler_address(tmp_path, cluster):
    """`cleaner fix --scheduler ADDRESS`: the run goes to a running cluster (as a user's)."""
    source = tmp_path / "d.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "He said ” no “ to them."}) + "\n"
                      + json.dumps({"id": 2, "text": None}) + "\n")
    out = tmp_path / "out"
    code, output = run("fix", source, "--text-column", "text", "--id-column", "id", "-o", out,
                       "--scheduler", cluster.scheduler.address)
    assert code == 0, output
    assert "2 rows in 1 partitions" in output
    assert [r["text"] for r in _read(out / "part-00000.jsonl")] == ["He said “no” to them.", None]
    assert {f["row"] for f in _findings(out / "_findings" / "part-00000.jsonl")} == {1, 2}
