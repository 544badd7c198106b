"""The review page driven in a real headless Chromium (Debian's `chromium`, via Playwright).

Without Chromium or Playwright these tests are skipped, unless CI is set: then they fail,
so a CI machine that lost its browser does not pass silently. The seeds' test leaves a
screenshot at artifacts/review-seeds.png for a person to look at.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import api
from cleaner.edits import apply as apply_edits

from conftest import ROOT, SEEDS

CHROMIUM = os.environ.get("CLEANER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOT = ROOT / "artifacts" / "review-seeds.png"


def _missing(why: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests need {why} (CI is set, so this is a failure, not a skip)")
    pytest.skip(f"browser tests need {why}")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package (pip install playwright)")
    if not os.path.exists(CHROMIUM):
        _missing(f"Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def cleaner(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=cwd, capture_output=True, text=True, env=env)


def open_page(browser, html: Path, requests: list | None = None, errors: list | None = None):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    if errors is not None:
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.goto(html.as_uri())
    page.wait_for_selector("html[data-ready=true]", timeout=10_000)
    return page


def single_change_hunks(result) -> dict[str, tuple[int, int, str]]:
    """Applied changes that are a whole net edit on their own, non-empty: safe to revert alone."""
    out = {}
    for c in result.applied:
        edits = [e for e in result.edits if e.start <= c.start and c.end <= e.end]
        if len(edits) == 1 and (edits[0].start, edits[0].end, edits[0].text) == (c.start, c.end, c.finding.after) and c.finding.after:
            inside = [d for d in result.applied if edits[0].start <= d.start and d.end <= edits[0].end]
            if len(inside) == 1:
                out[c.id] = (c.start, c.end, c.finding.after)
    return out


def test_seeds_review_round_trip(browser, tmp_path, rules):
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in sorted(SEEDS.glob("0*.txt")):
        shutil.copy(seed, articles / seed.name)
    fixed = tmp_path / "fixed"
    shutil.copytree(articles, fixed)

    made = cleaner("report", "articles", "-o", "review.html", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    checked = cleaner("check", "--unsafe-fixes", "--format", "json", "articles", cwd=tmp_path)
    report = json.loads(checked.stdout)
    ids = [f["id"] for entry in report["files"] for f in entry["findings"]]
    assert len(ids) > 10 and len(set(ids)) == len(ids)

    errors: list = []
    page = open_page(browser, tmp_path / "review.html", errors=errors)
    # Every change and flag of the JSON report has a card in the side list and a place in the text.
    cards = page.eval_on_selector_all(".card[data-change-id]", "els => els.map(e => e.dataset.changeId)")
    assert sorted(cards) == sorted(ids)
    marked = set(page.eval_on_selector_all("[data-changes]", "els => els.flatMap(e => e.dataset.changes.split(' '))"))
    assert set(ids) <= marked
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # Reject two changes that can be reverted on their own, in two different files if possible.
    candidates = []
    for path in sorted(articles.iterdir()):
        result = api.clean_path(str(path), rules, api.Options(unsafe_fixes=True)).result
        for change_id in single_change_hunks(result):
            candidates.append((path.name, change_id))
    first = candidates[0]
    second = next((c for c in candidates if c[0] != first[0]), candidates[1])
    rejected = {first[1], second[1]}
    for change_id in rejected:
        page.click(f'.card[data-change-id="{change_id}"] [data-action=reject]')
        assert "rejected" in page.get_attribute(f'.hunk[data-changes~="{change_id}"]', "class")
    assert page.inner_text("#decision-count").endswith("2 rejected")

    with page.expect_download() as download:
        page.click("#export")
    decisions = tmp_path / "decisions.json"
    download.value.save_as(decisions)
    doc = json.loads(decisions.read_text(encoding="utf-8"))
    assert {i for f in doc["files"] for i in f["rejected"]} == rejected
    assert errors == []
    page.close()

    applied = cleaner("apply", "--decisions", "decisions.json", "articles", cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert cleaner("fix", "--unsafe-fixes", "fixed", cwd=tmp_path).returncode in (0, 1)

    for path in sorted(articles.iterdir()):
        original = (SEEDS / path.name).read_text(encoding="utf-8")
        result = api.clean_text(original, rules, api.Options(unsafe_fixes=True), path=path.name)
        fix_output = (fixed / path.name).read_text(encoding="utf-8")
        assert apply_edits(original, [(e.start, e.end, e.text) for e in result.edits]) == fix_output
        revert = {single_change_hunks(result)[i][:2] for i in rejected if i in single_change_hunks(result)}
        expected = apply_edits(original, [(e.start, e.end, e.text) for e in result.edits if (e.start, e.end) not in revert])
        assert path.read_text(encoding="utf-8") == expected, path.name
        assert (expected == fix_output) == (not revert)


HOSTILE = """WorldHostile headline <script>window.__pwned = 1</script>

Senior diplomats americans Y russians met <script>window.__pwned = 2</script> and said "><img src=x onerror="window.__pwned=3"> nothing.

A link: <a href="javascript:window.__pwned=4">click me</a> and [markdown](javascript:window.__pwned=5) </textarea></style></script><script>window.__pwned=6</script> <!-- {{SCRIPT}} {{DATA}}

The cold war ended. <iframe src="https://example.com/"></iframe><img src="https://example.com/pixel.png">

Please enter your comment!
Please enter your name here <svg onload="window.__pwned=7">
"""


def test_hostile_article_runs_nothing(browser, tmp_path):
    name = 'bad"><img src=x onerror=window.__pwned=8>.txt'
    (tmp_path / name).write_text(HOSTILE, encoding="utf-8")
    # Quote repairs would split the snippets checked below into struck and inserted parts.
    made = cleaner("report", "--ignore", "quotes", name, "-o", "review.html", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    html = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert "<script>window" not in html and "<img" not in html
    assert "default-src 'none'" in html

    requests: list = []
    errors: list = []
    page = open_page(browser, tmp_path / "review.html", requests, errors)
    page.click(".file-head button:has-text('Show full text')")
    for button in page.query_selector_all(".removal-head button"):
        button.click()
    page.hover(".hunk")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.wait_for_timeout(200)

    assert page.evaluate("typeof window.__pwned") == "undefined"
    text = page.inner_text(".file")
    for snippet in ("<script>window.__pwned = 2</script>", '"><img src=x onerror="window.__pwned=3">',
                    'href="javascript:window.__pwned=4"', "</textarea></style></script>", "{{SCRIPT}}"):
        assert snippet in text
    assert name in page.inner_text(".file-head")
    assert page.evaluate("document.querySelectorAll('script').length") == 2  # data and the page's own
    assert page.evaluate("document.querySelectorAll('img, iframe, svg, a[href^=javascript]').length") == 0
    assert page.evaluate("[...document.querySelectorAll('*')].some(e => [...e.attributes].some(a => a.name.startsWith('on')))") is False
    assert [u for u in requests if not u.startswith("file:")] == []
    assert errors == []


def test_filters_keys_pages_and_rule_decisions(browser, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    seeds = sorted(SEEDS.glob("0*.txt"))
    for i in range(25):
        shutil.copy(seeds[i % len(seeds)], batch / f"{i:03d}_{seeds[i % len(seeds)].name}")
    assert cleaner("report", "batch", "-o", "review.html", cwd=tmp_path).returncode == 0
    errors: list = []
    page = open_page(browser, tmp_path / "review.html", errors=errors)
    assert page.eval_on_selector_all("section.file", "els => els.length") == 10  # one page at a time

    # Keyboard: the first change, then onwards until the next page of files is shown.
    page.keyboard.press("j")
    first = page.get_attribute(".hunk.current, mark.current", "data-changes")
    assert first
    for _ in range(200):
        page.keyboard.press("j")
        if page.query_selector("#file-10"):
            break
    assert page.query_selector("#file-10") and not page.query_selector("#file-0")
    assert page.get_attribute(".card.current", "data-key").startswith("10/")  # file 10's first change
    page.keyboard.press("r")
    assert page.inner_text("#decision-count").endswith("1 rejected")
    page.keyboard.press("a")
    assert page.inner_text("#decision-count").endswith("0 rejected")
    page.keyboard.press("k")  # back across the page boundary
    assert page.query_selector("#file-9") and page.get_attribute(".card.current", "data-key").startswith("9/")

    # Filter: only flags; every card shown is a flag, and files without flags are gone.
    page.click(".chip[data-filter='flags:']")
    kinds = page.eval_on_selector_all(".card", "els => els.map(e => e.classList.contains('flag'))")
    assert kinds and all(kinds)
    page.click(".chip[data-filter='all:']")

    # "Reject all of this rule" from the rule table, then the rule's hunks read as rejected.
    page.click("[data-reject-rule='capitalisation/demonym']")
    total = page.evaluate("window.cleanerReview.decisions().files.flatMap(f => f.rejected).length")
    assert total > 0
    classes = page.eval_on_selector_all(".card[data-rule='capitalisation/demonym']", "els => els.map(e => e.className)")
    assert classes and all("rejected" in c for c in classes)

    # A file link in the summary jumps to that file's page.
    page.click("table.files a[href='#file-23']")
    page.wait_for_selector("#file-23")
    assert errors == []
