"""The on-disk cache: private folder, authenticated entries, validated packs only."""
import json
import os
import pickle
import stat
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import cache
from cleaner.cli import main
from cleaner.packs import PackError, load_pack, load_rules

ROOT = Path(__file__).resolve().parent.parent

GOOD = """pack: house
description: a test pack
rules:
  - id: house/kyiv
    kind: pattern
    category: other
    level: fix
    message: House style is Kyiv
    pattern: '\\bKiev\\b'
    replace: Kyiv
    examples:
      - {text: "troops near Kiev", result: "troops near Kyiv"}
    keep:
      - "Kievan Rus"
"""


class _Planted:
    """A pickle that, if ever loaded, leaves a file behind: what an attacker would plant."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (Path.write_text, (Path(self.marker), "ran"))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(folder))
    cache.reset()
    yield folder
    cache.reset()


def _entries(folder, namespace):
    return [p for p in (folder / namespace).glob("*/*") if not p.name.startswith(".")]


def test_folder_is_private_and_key_user_only(cache_dir):
    store = cache.store()
    assert store is not None
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(cache_dir / "key").st_mode) == 0o600
    assert store.save("packs", "abc123", {"x": 1})
    assert store.load("packs", "abc123") == {"x": 1}
    assert stat.S_IMODE(os.stat(cache_dir / "packs").st_mode) == 0o700


def test_a_tampered_entry_is_never_unpickled(cache_dir, tmp_path):
    store = cache.store()
    store.save("results", "feed01", "honest")
    entry = _entries(cache_dir, "results")[0]
    data = entry.read_bytes()
    head = len(cache.MAGIC) + 32
    marker = tmp_path / "ran.txt"
    # the honest entry's MAC with a planted payload
    entry.write_bytes(data[:head] + pickle.dumps(_Planted(marker)))
    assert store.load("results", "feed01") is None
    assert not marker.exists() and not entry.exists()  # refused and deleted
    # a planted entry whose MAC was made with a guessed key
    import hashlib
    import hmac

    payload = pickle.dumps(_Planted(marker))
    forged = hmac.new(b"0" * 32, b"results/feed01\0" + payload, hashlib.sha256).digest()
    entry.write_bytes(cache.MAGIC + forged + payload)
    assert store.load("results", "feed01") is None
    assert not marker.exists()
    # an honest entry moved to another name does not verify either
    store.save("results", "feed02", "other")
    moved = _entries(cache_dir, "results")[0]
    os.makedirs(entry.parent, exist_ok=True)
    entry.write_bytes(moved.read_bytes())
    assert store.load("results", "feed01") is None


def test_a_tampered_pack_entry_is_rebuilt_not_run(cache_dir, tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text(GOOD, encoding="utf-8")
    load_pack(pack)
    (entry,) = _entries(cache_dir, "packs")
    marker = tmp_path / "ran.txt"
    data = entry.read_bytes()
    entry.write_bytes(data[: len(cache.MAGIC) + 32] + pickle.dumps(("rules", _Planted(marker))))
    rules = load_pack(pack)
    assert [r.id for r in rules] == ["house/kyiv"] and not marker.exists()


def test_a_folder_others_can_write_is_not_used(cache_dir, tmp_path):
    cache_dir.mkdir()
    os.chmod(cache_dir, 0o777)
    with pytest.warns(cache.CacheWarning, match="can be changed by other users"):
        assert cache.store() is None
    pack = tmp_path / "house.yaml"
    pack.write_text(GOOD, encoding="utf-8")
    assert [r.id for r in load_pack(pack)] == ["house/kyiv"]  # works, uncached
    assert not (cache_dir / "packs").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a folder away")
def test_a_folder_of_another_user_is_not_used(cache_dir):
    cache_dir.mkdir(mode=0o700)
    os.chown(cache_dir, 65534, 65534)
    with pytest.warns(cache.CacheWarning, match="belongs to user id 65534"):
        assert cache.store() is None


def test_a_readable_folder_of_ours_is_made_private(cache_dir):
    cache_dir.mkdir(mode=0o755)
    os.chmod(cache_dir, 0o755)
    assert cache.store() is not None
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700


def test_a_key_others_can_read_is_refused(cache_dir):
    cache.store()
    os.chmod(cache_dir / "key", 0o644)
    cache.reset()
    with pytest.warns(cache.CacheWarning, match="key"):
        assert cache.store() is None


def test_a_pack_that_failed_rules_test_is_never_cached_nor_run(cache_dir, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("result: \"troops near Kyiv\"", "result: \"troops near Kiev\""), encoding="utf-8")
    runner = CliRunner()
    tested = runner.invoke(main, ["rules", "test", str(bad)])
    assert tested.exit_code == 1 and "FAIL" in tested.output
    assert not (cache_dir / "packs").exists() or not _entries(cache_dir, "packs")
    article = tmp_path / "a.txt"
    article.write_text("Troops near Kiev.\n", encoding="utf-8")
    checked = runner.invoke(main, ["check", "--rules", str(bad), str(article)])
    assert checked.exit_code == 2 and "rule pack error" in checked.output
    with pytest.raises(PackError):
        load_pack(bad)


def test_prune_removes_the_least_recently_used(cache_dir):
    store = cache.store()
    for i in range(10):
        store.put("results", f"{i:02d}aa", b"x" * 1000)
        path = cache_dir / "results" / f"{i:02d}" / f"{i:02d}aa"
        os.utime(path, (1000 + i, 1000 + i))
    removed = store.prune("results", limit=5000)
    left = sorted(p.name for p in _entries(cache_dir, "results"))
    assert removed == 7 and left == ["07aa", "08aa", "09aa"]  # under 80 % of the limit
    assert store.prune("results", limit=5000) == 0


def test_rules_from_the_cache_clean_exactly_as_freshly_built_ones(tmp_path):
    """Unpickled packs (compiled patterns, no __init__ run) against packs built afresh, each
    in a new process: same findings and cleaned text on the seeds and the test corpus."""
    env = dict(os.environ, CLEANER_CACHE_DIR=str(tmp_path / "cache"))
    cmd = [sys.executable, "-m", "cleaner", "check", "--format", "json", "--no-cache", "-j", "1",
           str(ROOT / "seeds"), str(ROOT / "tests" / "corpus")]
    subprocess.run(cmd, env=env, capture_output=True)  # fills the pack cache
    cached = subprocess.run(cmd, env=env, capture_output=True)
    fresh = subprocess.run(cmd, env=dict(env, CLEANER_NO_CACHE="1"), capture_output=True)
    assert cached.stdout == fresh.stdout and json.loads(fresh.stdout)["files"]
    assert list((tmp_path / "cache" / "packs").glob("*/*"))


def test_every_shipped_pack_is_cached_compiled(cache_dir):
    """A matcher that does not pickle would fall back to rebuilding every run: slow start."""
    load_rules()
    for entry in _entries(cache_dir, "packs"):
        kind = pickle.loads(entry.read_bytes()[len(cache.MAGIC) + 32:])[0]
        assert kind == "rules", entry
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cache.store() is not None


def test_tables_are_built_once_then_read_back(cache_dir):
    calls = []

    def build():
        calls.append(1)
        return frozenset({"alpha", "beta"})

    assert cache.table("test-words", build) == {"alpha", "beta"}
    assert cache.table("test-words", build) == {"alpha", "beta"}
    assert len(calls) == 1
    for entry in _entries(cache_dir, "tables"):  # a damaged entry: built again, not trusted
        entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")
    assert cache.table("test-words", build) == {"alpha", "beta"} and len(calls) == 2


def test_the_command_line_says_in_one_line_why_the_cache_is_not_used(cache_dir, tmp_path):
    cache_dir.mkdir()
    os.chmod(cache_dir, 0o777)
    article = tmp_path / "a.txt"
    article.write_text("Lithuania , Latvia\n", encoding="utf-8")
    env = dict(os.environ, CLEANER_CACHE_DIR=str(cache_dir))
    proc = subprocess.run([sys.executable, "-m", "cleaner", "check", str(article)], env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "punctuation/space-before-comma" in proc.stdout
    assert proc.stderr.startswith(f"warning: cleaner: not using the cache folder {cache_dir}: it can be changed")
    assert proc.stderr.count("\n") == 1


_CHECK_SAYS_RULES_LOADED = (
    "import sys\n"
    "from cleaner import packs\n"
    "from cleaner.cli import main\n"
    "loads = []\n"
    "real = packs.load_pack\n"
    "packs.load_pack = lambda *a, **k: loads.append(a) or real(*a, **k)\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write(f'packs loaded: {len(loads)}\\n')\n"
)


def _check(env, *args):
    proc = subprocess.run([sys.executable, "-c", _CHECK_SAYS_RULES_LOADED, "check", *args],
                          env=env, capture_output=True, text=True)
    loaded = int(proc.stderr.strip().splitlines()[-1].split(": ")[1])
    return proc.stdout, loaded


def test_a_rerun_over_unchanged_files_loads_no_rule_and_a_changed_pack_is_seen(tmp_path):
    # A hook's second run over files it already checked answers from the result cache
    # without loading a rule (its fingerprint is remembered); editing a pack must be seen.
    env = dict(os.environ, CLEANER_CACHE_DIR=str(tmp_path / "cache"))
    rules = tmp_path / "house"
    rules.mkdir()
    (rules / "house.yaml").write_text(GOOD, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("We met in Kiev on Monday.\n", encoding="utf-8")
    first, loaded_first = _check(env, "--rules", str(rules), str(article))
    again, loaded_again = _check(env, "--rules", str(rules), str(article))
    assert loaded_first > 0 and loaded_again == 0
    assert again == first and "house/kyiv" in first
    (rules / "house.yaml").write_text(GOOD.replace("level: fix", "level: flag").replace(
        "    replace: Kyiv\n", "").replace('result: "troops near Kyiv"', 'flagged: "Kiev"'), encoding="utf-8")
    changed, loaded_changed = _check(env, "--rules", str(rules), str(article))
    assert loaded_changed > 0 and "[flag]" in changed and "[fix]" not in changed
