"""The batch engine: workers, streaming in input order, the result cache, the Cleaner object."""
import io
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import Cleaner, api, batch, cache, formatters
from cleaner.cli import main
from cleaner.reporting import Progress, Report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CORPUS = sorted(p for p in (ROOT / "tests" / "corpus").rglob("*") if p.suffix in (".txt", ".md", ".html"))


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    cache.reset()
    yield tmp_path / "cache"
    cache.reset()


def _articles(folder: Path, copies: int = 1) -> list[Path]:
    """The seeds and the test corpus, in one folder (names kept distinct)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(copies):
        for i, src in enumerate(SEEDS + CORPUS):
            dst = folder / f"{n:02d}-{i:03d}-{src.name}"
            shutil.copyfile(src, dst)
            out.append(dst)
    return out


# -- the Cleaner object ---------------------------------------------------------------

def test_cleaner_pickles_its_configuration_not_its_rules():
    c = Cleaner(select=["lang-es", "punctuation"], people={"Wendy Sherman": "she"})
    text = "Senior diplomats americans Y russians met in Vienna , Austria.\n"
    expected = c.clean_text(text)
    data = pickle.dumps(c)
    assert len(data) < 1000 and b"matcher" not in data
    copy = pickle.loads(data)
    assert copy == c and copy._rules is None
    assert copy.clean_text(text).cleaned == expected.cleaned == (
        "Senior diplomats americans and russians met in Vienna, Austria.\n")
    assert copy.fingerprint == c.fingerprint
    assert Cleaner(select=["lang-es"]).fingerprint != c.fingerprint


def _clean_in_worker(cleaner, text):
    return cleaner.clean_text(text).cleaned


def test_a_cleaner_is_shipped_to_worker_processes():
    c = Cleaner(select=["lang-es"])
    with ProcessPoolExecutor(1) as pool:
        assert pool.submit(_clean_in_worker, c, "americans Y russians met").result() == "americans and russians met"


def test_cleaner_refuses_unknown_selectors():
    with pytest.raises(ValueError, match="no rule, pack or category named nonsense"):
        Cleaner(select=["nonsense"]).rules


def test_cleaner_clean_file_and_bytes(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("\ufeffLithuania , Latvia\r\n".encode("utf-8"))
    c = Cleaner()
    outcome = c.clean_file(str(p))
    assert outcome.result.cleaned == "Lithuania, Latvia\r\n"
    assert api.output_bytes(c.clean_bytes(p.read_bytes())) == "\ufeffLithuania, Latvia\r\n".encode("utf-8")


# -- identical output for every job count, with and without the cache -----------------

def test_output_is_identical_for_every_job_count_and_cache_state(tmp_path, fresh_cache):
    folder = tmp_path / "in"
    _articles(folder)
    outputs = {}
    for label, args in {
        "jobs1-nocache": ["-j", "1", "--no-cache"],
        "jobs2-cold": ["-j", "2"],
        "jobs2-warm": ["-j", "2"],
        "jobs1-warm": ["-j", "1"],
    }.items():
        for fmt in ("json", "text", "github"):
            outputs[label, fmt] = run("check", "--format", fmt, *args, str(folder))
    for fmt in ("json", "text", "github"):
        reference = outputs["jobs1-nocache", fmt]
        for label in ("jobs2-cold", "jobs2-warm", "jobs1-warm"):
            assert outputs[label, fmt] == reference, (label, fmt)
    data = json.loads(outputs["jobs1-nocache", "json"][1])
    assert [f["path"] for f in data["files"]] == sorted(f["path"] for f in data["files"])  # input order
    assert sum(len(f["findings"]) for f in data["files"]) > 50


def test_fix_writes_the_same_files_for_every_job_count(tmp_path, fresh_cache):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder in (a, b, c):
        _articles(folder)
    originals = {p.name: p.read_bytes() for p in a.iterdir()}
    out_a = run("fix", "-j", "1", "--no-cache", str(a))
    run("check", "-j", "2", str(b))  # fills the result cache: the fix below reads it
    out_b = run("fix", "-j", "2", str(b))
    out_c = run("fix", "-j", "2", "--no-cache", str(c))
    assert out_a[0] == out_b[0] == out_c[0]
    assert out_a[1].replace(str(a), "X") == out_b[1].replace(str(b), "X") == out_c[1].replace(str(c), "X")
    for p in sorted(a.iterdir()):
        assert (b / p.name).read_bytes() == p.read_bytes() == (c / p.name).read_bytes(), p.name
    assert sum(p.read_bytes() != originals[p.name] for p in a.iterdir()) >= 4


def test_streamed_json_is_the_whole_run_json(tmp_path):
    c = Cleaner()
    results = [c.clean_file(str(p)).result for p in SEEDS[:3]]
    results.append(api.clean_path(str(tmp_path / "missing.txt"), c.rules).result)
    for batch_of in (results, results[:1], []):
        out = io.StringIO()
        report = Report("json", "check", out)
        for r in batch_of:
            report.add(r)
        report.close()
        assert out.getvalue() == formatters.json_report(batch_of)
        json.loads(out.getvalue())


def test_streamed_text_is_the_whole_run_text():
    c = Cleaner()
    results = [c.clean_file(str(p)).result for p in SEEDS]
    for mode in ("check", "fix"):
        out = io.StringIO()
        report = Report("text", mode, out)
        for r in results:
            report.add(r)
        report.close()
        assert out.getvalue() == formatters.text_report(results, mode=mode)


# -- the result cache -----------------------------------------------------------------

def test_an_unchanged_file_is_not_cleaned_again(tmp_path, fresh_cache, monkeypatch):
    files = _articles(tmp_path / "in")[:4]
    cleaner = Cleaner()
    first = [o.result for o in batch.clean_all([(str(p), cleaner) for p in files], workers=1)]

    def refuse(*args, **kwargs):
        raise RuntimeError("cleaned again")

    monkeypatch.setattr(Cleaner, "clean_bytes", refuse)
    again = [o.result for o in batch.clean_all([(str(p), Cleaner()) for p in files], workers=1)]
    assert [(r.path, r.original, r.cleaned, r.changes, r.error) for r in again] == [
        (r.path, r.original, r.cleaned, r.changes, None) for r in first]
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    (changed,) = batch.clean_all([(str(files[0]), Cleaner())], workers=1)
    assert "cleaned again" in changed.result.error  # a changed file is cleaned (and a crash is its error)
    (other,) = batch.clean_all([(str(files[1]), Cleaner(unsafe_fixes=True))], workers=1)
    assert "cleaned again" in other.result.error  # other settings: another entry


def test_no_cache_reads_and_writes_nothing(tmp_path, fresh_cache):
    files = _articles(tmp_path / "in")[:2]
    list(batch.clean_all([(str(p), Cleaner()) for p in files], workers=1, use_cache=False))
    assert not (fresh_cache / "results").exists()


_MAIN = os.getpid()


class _Dying(Cleaner):
    """A cleaner whose worker dies on one file, as when the kernel kills it for memory."""

    def clean_bytes(self, data, *, path="-"):
        if path.endswith("die.txt") and os.getpid() != _MAIN:
            os._exit(9)
        return super().clean_bytes(data, path=path)


def test_a_dead_worker_costs_its_file_not_the_batch(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["a.txt", "b.txt", "die.txt", "c.txt", "d.txt", "e.txt"] + [f"f{i}.txt" for i in range(20)]
    for name in names:
        (folder / name).write_text("Lithuania , Latvia\n", encoding="utf-8")
    cleaner = _Dying(select=["punctuation"])
    outcomes = list(batch.clean_all([(str(folder / n), cleaner) for n in names], workers=2, use_cache=False))
    assert [Path(o.result.path).name for o in outcomes] == names
    for name, o in zip(names, outcomes):
        if name == "die.txt":
            assert "worker process" in o.result.error
        else:
            assert o.result.cleaned == "Lithuania, Latvia\n", name


def test_unreadable_files_are_errors_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Lithuania , Latvia\n", encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02")
    code, out = run("check", "-j", "2", str(tmp_path / "missing.txt"), str(binary), str(good), str(good), str(good))
    assert code == 2
    assert "missing.txt: error:" in out and "bin.txt: error: binary file" in out
    assert out.count("punctuation/space-before-comma") == 3


# -- reporting options ----------------------------------------------------------------

def test_statistics_count_findings_per_rule(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Lithuania , Latvia , Estonia.\n\nPoland , Germany.\n", encoding="utf-8")
    code, out = run("check", "--statistics", str(a))
    lines = out.splitlines()
    assert code == 1
    assert lines[0].split() == ["3", "punctuation/space-before-comma", "[fix]", "spacing"]
    assert lines[-1].startswith("1 file: 3 fixable")
    code, quiet = run("check", "--statistics", "--quiet", str(a))
    assert quiet.splitlines() == lines[:-1]


def test_quiet_drops_the_summary_line(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Lithuania , Latvia\n", encoding="utf-8")
    loud, quiet = run("check", str(a))[1], run("check", "-q", str(a))[1]
    assert loud.splitlines()[:-1] == quiet.splitlines() and "1 file" in loud.splitlines()[-1]


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert Progress(10, stream=io.StringIO()).bar is None  # a pipe or a file
    assert Progress(1, stream=_Terminal()).bar is None  # one file: nothing to show
    assert Progress(10, stream=_Terminal(), enabled=False).bar is None  # --quiet
    tty = _Terminal()
    bar = Progress(10, stream=tty)
    assert bar.bar is not None
    bar.close()
    monkeypatch.setenv("CI", "true")
    assert Progress(10, stream=_Terminal()).bar is None


# -- interrupting fix -----------------------------------------------------------------

def test_an_interrupted_fix_keeps_every_finished_file_and_no_temporary_one(tmp_path):
    """A real SIGINT in the middle of `cleaner fix -j 2`: each file is either untouched
    or completely cleaned (as a clean run cleans it), and no temporary file is left."""
    folder = tmp_path / "in"
    files = _articles(folder, copies=6)
    expected_folder = tmp_path / "expected"
    shutil.copytree(folder, expected_folder)
    env = dict(os.environ, CLEANER_CACHE_DIR=str(tmp_path / "cache"))
    subprocess.run([sys.executable, "-m", "cleaner", "fix", "-q", "-j", "1", "--no-cache", str(expected_folder)],
                   env=env, capture_output=True)
    originals = {p.name: p.read_bytes() for p in files}
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "fix", "-j", "2", "--no-cache", str(folder)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.read_bytes() != originals[p.name] for p in files):
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    written = 0
    for p in files:
        now = p.read_bytes()
        assert now in (originals[p.name], (expected_folder / p.name).read_bytes()), p.name
        written += now != originals[p.name]
    assert written >= 1
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]
    if b"interrupted after" not in err:  # the signal came after the last file: all done
        assert all(p.read_bytes() == (expected_folder / p.name).read_bytes() for p in files)


def test_an_interrupted_json_report_is_still_valid_json(tmp_path, monkeypatch):
    files = _articles(tmp_path / "in")[:4]
    real = batch.clean_all

    def two_then_interrupt(items, **kwargs):
        outcomes = real(items, **kwargs)
        yield next(outcomes)
        yield next(outcomes)
        outcomes.close()
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "clean_all", two_then_interrupt)
    result = CliRunner().invoke(main, ["check", "--format", "json", "-j", "1", *map(str, files)])
    assert result.exit_code != 0
    data = json.loads(result.stdout)
    assert [Path(f["path"]).name for f in data["files"]] == [files[0].name, files[1].name]
    assert "interrupted after 2 of 4 files" in result.stderr
