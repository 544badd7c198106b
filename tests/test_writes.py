"""Writes that never lose work (issue 15, items 4-6): a file is rewritten only if it still
holds what was read; links, owner and mode survive; read-only files are refused unless
asked; an output file is replaced whole or not at all; an interrupt leaves every file
either as it was or completely cleaned and reported, and no temporary file behind."""
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import api, files
from cleaner.cli import main

from conftest import ROOT, SEEDS

DIRTY = "Their talks with the americans came late.\n"
FIXED = "Their talks with the Americans came late.\n"


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.endswith(".cleaner-tmp")]


@pytest.fixture
def disk_full(monkeypatch):
    """Every temporary file cleaner writes lands on /dev/full: ENOSPC, as on a full disk."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    real = tempfile.mkstemp

    def full(*args, **kwargs):
        fd, name = real(*args, **kwargs)
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), name

    monkeypatch.setattr(files.tempfile, "mkstemp", full)


# -- content re-checked before writing -----------------------------------------------

def test_a_file_changed_after_it_was_read_is_not_overwritten(tmp_path, rules):
    path = tmp_path / "a.txt"
    path.write_text(DIRTY)
    outcome = api.clean_path(str(path), rules)
    with path.open("a") as handle:  # an editor saves a new line meanwhile
        handle.write("A line added by an editor.\n")
    with pytest.raises(files.WriteRefused, match="changed since it was read"):
        api.write_back(outcome)
    assert path.read_text() == DIRTY + "A line added by an editor.\n"


def test_fix_writes_each_file_before_cleaning_the_next(tmp_path, monkeypatch):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(DIRTY)
    seen = {}
    from cleaner import batch

    real = batch.read_bytes

    def spy(path, *args, **kwargs):
        seen[os.path.basename(path)] = (tmp_path / "a.txt").read_text()
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch, "read_bytes", spy)  # where the batch engine reads each file
    run("fix", "--jobs", "1", "--no-cache", str(tmp_path))
    assert seen == {"a.txt": DIRTY, "b.txt": FIXED}  # a.txt written before b.txt was read


# -- links, mode, owner, read-only ---------------------------------------------------

def test_a_symlinked_file_has_its_target_fixed_and_stays_a_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text(DIRTY)
    link = tmp_path / "sub" / "link.txt"
    link.parent.mkdir()
    link.symlink_to(target)
    assert run("fix", str(link)).exit_code == 0
    assert link.is_symlink() and target.read_text() == FIXED
    assert leftovers(tmp_path) == []


def test_symlinks_can_be_refused(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text(DIRTY)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    result = run("fix", "--no-follow-symlinks", str(link))
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert target.read_text() == DIRTY and link.is_symlink()


def test_hard_links_stay_one_file(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(DIRTY)
    b = tmp_path / "b.txt"
    os.link(a, b)
    assert run("fix", str(a)).exit_code == 0
    assert b.read_text() == FIXED and os.stat(a).st_ino == os.stat(b).st_ino
    assert leftovers(tmp_path) == []


def test_mode_is_kept(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(DIRTY)
    path.chmod(0o640)
    run("fix", str(path))
    assert path.read_text() == FIXED and stat.S_IMODE(path.stat().st_mode) == 0o640


def test_read_only_files_are_refused_unless_asked(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(DIRTY)
    path.chmod(0o444)
    result = run("fix", str(path))
    assert result.exit_code == 2 and "read-only" in result.output
    assert path.read_text() == DIRTY
    assert run("fix", "--write-read-only", str(path)).exit_code == 0
    assert path.read_text() == FIXED and stat.S_IMODE(path.stat().st_mode) == 0o444


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file to another user")
def test_owner_and_group_are_kept(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(DIRTY)
    os.chown(path, 4321, 4322)
    run("fix", str(path))
    st = path.stat()
    assert path.read_text() == FIXED and (st.st_uid, st.st_gid) == (4321, 4322)


def test_owner_kept_in_place_when_it_cannot_be_given(tmp_path, monkeypatch):
    """Where the new file could not get the old owner (not root), the old inode is rewritten."""
    path = tmp_path / "a.txt"
    path.write_text(DIRTY)
    inode = path.stat().st_ino
    st = path.stat()
    monkeypatch.setattr(files.os, "fstat", lambda fd: os.stat_result(
        (st.st_mode, 0, 0, 1, st.st_uid + 1, st.st_gid, 0, 0, 0, 0)))
    outcome = api.clean_path(str(path), api.load_rules())
    assert api.write_back(outcome)
    monkeypatch.undo()
    assert path.read_text() == FIXED and path.stat().st_ino == inode
    assert leftovers(tmp_path) == []


# -- output files: whole or not at all -----------------------------------------------

def test_a_full_disk_leaves_the_file_being_fixed_intact(tmp_path, disk_full):
    path = tmp_path / "a.txt"
    path.write_text(DIRTY)
    result = run("fix", str(path))
    assert result.exit_code == 2 and "No space left" in result.output
    assert path.read_text() == DIRTY and leftovers(tmp_path) == []


def test_report_on_a_full_disk_keeps_the_old_page(tmp_path, disk_full):
    (tmp_path / "a.txt").write_text(DIRTY)
    page = tmp_path / "review.html"
    page.write_text("the old review page")
    result = run("report", str(tmp_path / "a.txt"), "-o", str(page))
    assert result.exit_code == 2 and "could not write" in result.output
    assert page.read_text() == "the old review page" and leftovers(tmp_path) == []


def test_baseline_on_a_full_disk_keeps_the_old_baseline(tmp_path, disk_full):
    (tmp_path / "a.txt").write_text(DIRTY)
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"version": 1, "findings": []}\n')
    result = run("check", str(tmp_path / "a.txt"), "--write-baseline", str(baseline))
    assert result.exit_code == 2 and "could not write" in result.output
    assert "Traceback" not in result.output
    assert baseline.read_text() == '{"version": 1, "findings": []}\n' and leftovers(tmp_path) == []


def test_a_new_output_file_gets_the_usual_permissions(tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY)
    baseline = tmp_path / "baseline.json"
    old = os.umask(0o022)
    try:
        run("check", str(tmp_path / "a.txt"), "--write-baseline", str(baseline))
    finally:
        os.umask(old)
    assert stat.S_IMODE(baseline.stat().st_mode) == 0o644


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_fix_stdin_to_a_full_disk_exits_2():
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "cleaner", "fix", "-"], input=DIRTY.encode(),
                              stdout=full, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.returncode == 2
    assert b"could not write" in proc.stderr and b"Traceback" not in proc.stderr


def test_a_bom_file_with_a_nul_is_refused_like_one_without(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"Their responnse\x00 came.\n")
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfTheir responnse\x00 came.\n")
    result = run("fix", str(plain), str(bom))
    assert result.exit_code == 2
    assert f"{bom}: error: binary file" in result.output and f"{plain}: error: binary file" in result.output
    assert bom.read_bytes() == b"\xef\xbb\xbfTheir responnse\x00 came.\n"


# -- interrupts, with real signals ---------------------------------------------------

def _expected(folder: Path) -> dict[str, tuple[bytes, bytes]]:
    rules = api.load_rules()
    out = {}
    for p in sorted(folder.iterdir()):
        outcome = api.clean_path(str(p), rules)
        out[p.name] = (p.read_bytes(), api.output_bytes(outcome))
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_an_interrupt_at_any_moment_leaves_every_file_original_or_cleaned_and_reported(tmp_path):
    pristine = tmp_path / "pristine"
    pristine.mkdir()
    seeds = sorted(SEEDS.glob("0*.txt"))
    for i in range(30):
        shutil.copy(seeds[i % len(seeds)], pristine / f"{i:03d}.txt")
    expected = _expected(pristine)
    assert all(before != after for before, after in expected.values())
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cut_midway = 0
    for n, delay in enumerate((0.0, 0.1, 0.5, 2.5)):
        folder = tmp_path / f"run{n}"
        shutil.copytree(pristine, folder)
        proc = subprocess.Popen([sys.executable, "-m", "cleaner", "fix", str(folder)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Wait for the first file written (the machine may be slow to start), then a while.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and all(
            (folder / name).stat().st_mtime_ns == (pristine / name).stat().st_mtime_ns or
            (folder / name).read_bytes() == before for name, (before, _) in expected.items()
        ):
            time.sleep(0.005)
        time.sleep(delay)
        sig = (signal.SIGINT, signal.SIGTERM)[n % 2]
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)
        report = out.decode()
        assert proc.returncode in (0, 1, 128 + sig), err.decode()
        assert b"Traceback" not in err, err.decode()
        written = 0
        for name, (before, after) in expected.items():
            now = (folder / name).read_bytes()
            assert now in (before, after), f"{name} is half-cleaned after signal {sig} at {delay} s"
            if now == after:
                written += 1
                assert f"{folder / name}:" in report, f"{name} was rewritten but not reported"
        assert leftovers(folder) == []
        if 0 < written < len(expected):
            cut_midway += 1
    assert cut_midway, "no signal arrived while files were being written: lengthen the batch"


def test_an_interrupt_swallowed_by_a_del_method_is_raised_by_the_next_check(capsys):
    # A signal handled while a library's __del__ runs raises there, and Python only prints
    # exceptions of __del__: the interrupt must not be lost, nor a traceback printed.
    import gc
    import signal as sig

    from cleaner.files import Interrupted, interruptible

    class Tidy:
        def __del__(self):
            os.kill(os.getpid(), sig.SIGINT)
            for _ in range(1000):  # the handler runs at a bytecode boundary in here
                pass

    with pytest.raises(Interrupted):
        with interruptible() as check:
            Tidy()  # collected at once: its __del__ swallows the Interrupted
            gc.collect()
            check()
    assert "Traceback" not in capsys.readouterr().err
