"""Datasets (JSONL, CSV, Parquet): each row cleaned as a file holding its text would be,
every other column kept, findings keyed by the row's id; pandas and Arrow from Python."""
import csv
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import main
from cleaner.datasets import BatchCleaner, clean_values

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))[:12]
CLEAN = sorted((ROOT / "tests" / "corpus" / "clean").glob("*.txt"))[:6]
CONTROL = "A line with an escape \x1b[0m, a form feed \x0c and a bell \x07 in it.\n"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def _rows(surrogate: bool = True) -> list[dict]:
    """Seed articles and clean text, an id and a number each; a null text; odd characters."""
    texts = [p.read_text(encoding="utf-8") for p in SEEDS + CLEAN]
    rows = [{"id": f"doc-{i:03d}", "words": len(t.split()) + 0.5, "text": t} for i, t in enumerate(texts)]
    rows.insert(3, {"id": "no-text", "words": 0.0, "text": None})
    rows.insert(5, {"id": "control", "words": 12.0, "text": CONTROL})
    if surrogate:
        rows.insert(7, {"id": "surrogate", "words": 3.0, "text": "Half a pair \ud83d here."})
    return rows


def _expected(rows: list[dict], tmp_path: Path) -> dict:
    """`cleaner fix` on each row's text as a file."""
    folder = tmp_path / "as-files"
    folder.mkdir()
    names = {}
    for r in rows:
        if isinstance(r["text"], str) and r["id"] not in ("surrogate", "latin1"):
            path = folder / f"{r['id']}.txt"
            path.write_bytes(r["text"].encode("utf-8"))
            names[r["id"]] = path
    code, _ = run("fix", "-q", "--no-cache", "-j", "1", folder)
    assert code in (0, 1)
    return {i: p.read_bytes().decode("utf-8") for i, p in names.items()}


def _write(rows: list[dict], path: Path) -> None:
    if path.suffix == ".jsonl":
        with open(path, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")  # \ud83d escaped: valid JSON, not valid Unicode
    elif path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "words", "text"])
            for r in rows:
                w.writerow([r["id"], r["words"], "" if r["text"] is None else r["text"]])
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({"id": pa.array([r["id"] for r in rows]),
                          "words": pa.array([r["words"] for r in rows], type=pa.float32()),
                          "text": pa.array([r["text"] for r in rows], type=pa.large_string())})
        pq.write_table(table, path, row_group_size=7)


def _read(path: Path) -> list[dict]:
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
            return [{"id": r["id"], "words": float(r["words"]), "text": r["text"] or None} for r in csv.DictReader(f)]
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_dataset_round_trip(tmp_path, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    # Parquet holds valid Unicode only; a CSV row of bytes that are not UTF-8 stands for the bad row
    rows = _rows(surrogate=suffix == ".jsonl")
    if suffix == ".csv":
        rows.insert(7, {"id": "latin1", "words": 2.0, "text": "caf\udce9 au lait"})
    source = tmp_path / f"data{suffix}"
    _write(rows, source)
    before = source.read_bytes()
    expected = _expected(rows, tmp_path)
    bad = {"surrogate", "latin1"}

    code, out = run("check", source, "--text-column", "text", "--id-column", "id", "-j", "1")
    assert code == (2 if bad & {r["id"] for r in rows} else 1)
    assert f"{source}:no-text: notice: text is null" in out or f"{source}:no-text: notice: text is empty" in out
    changed = {i for i, t in expected.items() if t != next(r["text"] for r in rows if r["id"] == i)}
    assert changed, "the seeds have artifacts"
    for i in changed:
        assert f"{source}:{i}:" in out  # DATASET:ROW_ID:line:column
    assert source.read_bytes() == before  # check writes nothing

    output = tmp_path / f"out{suffix}"
    code, out = run("fix", source, "--text-column", "text", "--id-column", "id", "-o", output, "-j", "2")
    assert source.read_bytes() == before  # the input is never rewritten without --in-place
    assert code in (1, 2)
    got = _read(output)
    assert [r["id"] for r in got] == [r["id"] for r in rows]  # row order kept
    for old, new in zip(rows, got):
        assert new["words"] == old["words"]  # other columns as they were
        if old["id"] in expected:
            assert new["text"] == expected[old["id"]], old["id"]
        else:
            assert new["text"] == old["text"]  # null or bad text passed through
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        assert pq.read_schema(output) == pq.read_schema(source)  # types kept (float32, large_string)

    findings = [json.loads(line) for line in (tmp_path / "out.findings.jsonl").read_text().splitlines()]
    by_row = {f["row"] for f in findings if "rule" in f}
    assert by_row == {i for i in expected if i in by_row} and changed <= by_row
    one = next(f for f in findings if "rule" in f)
    assert {"row", "rule", "start", "end", "before", "after", "message", "line", "column"} <= set(one)
    assert any(f.get("notice") for f in findings if f["row"] == "no-text")
    if bad & {r["id"] for r in rows}:
        assert any(f.get("error") for f in findings if f["row"] in bad)

    # fixed once, nothing left to fix: idempotent, and check on the output finds no fixes
    again = tmp_path / f"again{suffix}"
    run("fix", output, "--text-column", "text", "--id-column", "id", "-o", again, "-j", "1", "-q")
    assert _read(again) == got


def test_exit_codes_as_for_files(tmp_path):
    clean = [{"id": f"c{i}", "text": p.read_text(encoding="utf-8")} for i, p in enumerate(CLEAN)]
    clean.append({"id": "nothing", "text": None})  # a row without text does not fail a run
    path = tmp_path / "clean.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in clean))
    assert run("check", path, "--text-column", "text", "--id-column", "id")[0] == 0
    dirty = tmp_path / "dirty.jsonl"
    dirty.write_text(json.dumps({"id": 1, "text": "He said ” no “ to them."}) + "\n")
    assert run("check", dirty, "--text-column", "text")[0] == 1
    out = tmp_path / "fixed.jsonl"
    assert run("fix", dirty, "--text-column", "text", "-o", out)[0] == 0  # everything was fixed
    assert json.loads(out.read_text())["text"] == "He said “no” to them."
    code, output = run("check", path, "--text-column", "body")
    assert code == 2 and "no column 'body'" in output
    assert run("fix", dirty, "--text-column", "text")[0] == 2  # neither -o nor --in-place
    assert run("check", dirty, "--text-column", "text", "--diff")[0] == 2  # a file's option
    assert run("check", tmp_path / "missing.parquet", "--text-column", "text")[0] == 2


def test_in_place_only_when_asked(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "He said ” no “ to them.", "n": 1}) + "\n")
    assert run("fix", path, "--text-column", "text", "--in-place", "-q")[0] == 0
    assert json.loads(path.read_text()) == {"text": "He said “no” to them.", "n": 1}
    assert (tmp_path / "d.findings.jsonl").exists()
    assert [p.name for p in tmp_path.iterdir() if "cleaner-tmp" in p.name] == []


def test_unchanged_jsonl_rows_are_copied_byte_for_byte(tmp_path):
    path = tmp_path / "d.jsonl"
    lines = ['{"text":"A fine sentence.",  "x":1.50}\n', '{"text": "He said ” no “ to them."}\n']
    path.write_text("".join(lines))
    out = tmp_path / "o.jsonl"
    run("fix", path, "--text-column", "text", "-o", out, "-q")
    assert out.read_text().splitlines(True)[0] == lines[0]


def test_pandas_series_and_dataframe_column():
    pd = pytest.importorskip("pandas")
    cleaner = Cleaner()
    s = pd.Series(["He said ” no “ to them.", None, "A fine sentence."], index=[10, 20, 30], name="text")
    out = cleaner_series = __import__("cleaner.datasets", fromlist=["clean_series"]).clean_series(s, cleaner)
    assert list(out.index) == [10, 20, 30] and out.name == "text"
    assert out[10] == cleaner.clean_text(s[10]).cleaned == "He said “no” to them."
    assert out[20] is None or pd.isna(out[20])
    assert out[30] == "A fine sentence."
    df = pd.DataFrame({"text": s, "n": [1, 2, 3]})
    df["text"] = cleaner_series if False else out
    assert df["n"].tolist() == [1, 2, 3]


def test_arrow_table():
    pa = pytest.importorskip("pyarrow")
    from cleaner.datasets import clean_table

    table = pa.table({"id": [7, 8], "text": ["He said ” no “ to them.", None], "n": [1.5, 2.5]})
    out, findings = clean_table(table, "text", Cleaner(), id_column="id")
    assert out.schema == table.schema
    assert out.column("text").to_pylist() == ["He said “no” to them.", None]
    assert out.column("n").to_pylist() == [1.5, 2.5]
    assert {f["row"] for f in findings} == {7, 8}  # a finding on row 7, a notice on row 8


def test_batch_function_for_hugging_face_map():
    """`datasets.Dataset.map(fn, batched=True, num_proc=N)` pickles fn and calls it with a
    dict of columns; this is that call, without the `datasets` library."""
    fn = pickle.loads(pickle.dumps(BatchCleaner(Cleaner(), "text", findings_column="findings")))
    batch = {"text": ["He said ” no “ to them.", None, "A fine sentence."], "id": [1, 2, 3]}
    out = fn(batch)
    assert out["text"] == ["He said “no” to them.", None, "A fine sentence."]
    assert [len(json.loads(f)) for f in out["findings"]] == [2, 1, 0]


def test_values_on_two_workers_equal_one(tmp_path):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS[:6]] + [None, 5]
    one = [(d.cleaned, len(d.result.changes), d.result.error) for d in clean_values(texts, Cleaner(), workers=1)]
    two = [(d.cleaned, len(d.result.changes), d.result.error) for d in clean_values(texts, Cleaner(), workers=2)]
    assert one == two and one[-1][2] == "text is a int, not a string"


def test_cli_import_stays_light():
    code = ("import sys, cleaner.cli, cleaner.datasets; "
            "heavy = [m for m in ('pyarrow', 'pandas', 'dask', 'distributed', 'numpy') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("workers", [1, 2])
def test_rows_stream(workers):
    """A dataset is read a window at a time, never whole: after the first rows come out,
    only a few more have been read."""
    pulled = 0

    def texts():
        nonlocal pulled
        for i in range(100_000):
            pulled += 1
            yield f"Row {i} is a fine sentence."

    done = clean_values(texts(), Cleaner(), workers=workers)
    first = [next(done).cleaned for _ in range(3)]
    assert first == [f"Row {i} is a fine sentence." for i in range(3)]
    from cleaner import batch

    # one window: enough chunks in flight to keep every worker busy, never the dataset
    assert pulled <= 2 * workers * batch.CHUNK_FILES + 2
    done.close()


def test_hugging_face_dataset_map(monkeypatch, tmp_path):
    """The real `datasets.Dataset.map(batched=True, num_proc=2)` on a Dataset built in
    memory (offline: nothing is fetched from the hub)."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    hf = pytest.importorskip("datasets")
    texts = ["He said ” no “ to them.", None, "A fine sentence.", "Senior diplomats americans Y russians met."]
    ds = hf.Dataset.from_dict({"id": [1, 2, 3, 4], "text": texts})
    out = ds.map(BatchCleaner(Cleaner(), "text", findings_column="findings"), batched=True, batch_size=2, num_proc=2)
    cleaner = Cleaner()
    assert list(out["text"]) == [None if t is None else cleaner.clean_text(t).cleaned for t in texts]
    assert list(out["id"]) == [1, 2, 3, 4]
    assert [len(json.loads(f)) for f in out["findings"]] == [2, 1, 0, 3]


def test_output_over_the_input_needs_in_place(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "He said ” no “ to them."}) + "\n")
    before = path.read_bytes()
    code, out = run("fix", path, "--text-column", "text", "-o", path)
    assert code == 2 and "--in-place" in out and path.read_bytes() == before


def test_dictionary_encoded_parquet_text(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path, out = tmp_path / "d.parquet", tmp_path / "o.parquet"
    texts = pa.array(["He said ” no “ to them.", "A fine sentence.", None]).dictionary_encode()
    pq.write_table(pa.table({"text": texts}), path, use_dictionary=True)
    assert run("fix", path, "--text-column", "text", "-o", out, "-q")[0] == 0
    assert pq.read_table(out).column("text").to_pylist() == ["He said “no” to them.", "A fine sentence.", None]


def test_an_interrupted_run_writes_nothing(tmp_path):
    from cleaner.datasets import clean_dataset

    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps({"text": f"He said ” no “ to them, {i}."}) + "\n" for i in range(50)))
    out = tmp_path / "o.jsonl"
    out.write_text("an earlier output\n")
    seen = 0

    def stop(done):
        nonlocal seen
        seen += 1
        if seen == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        clean_dataset(str(path), Cleaner(), output=str(out), findings=str(tmp_path / "f.jsonl"), on_row=stop)
    assert out.read_text() == "an earlier output\n"  # all or nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.jsonl", "o.jsonl"]
