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
    for seed in sorted(SEEDS.glob("0*.txt")) + [SEEDS / "README.md"]:
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
    # The seeds' one suggestion (a name "corrected" in seeds/README.md) is only proposed.
    assert page.eval_on_selector_all(".card.suggest", "els => els.map(e => e.dataset.status)") == ["proposed"]
    marked = set(page.eval_on_selector_all("[data-changes]", "els => els.flatMap(e => e.dataset.changes.split(' '))"))
    assert set(ids) <= marked
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # Reject two changes that can be reverted on their own, in two different files if possible.
    candidates = []
    for path in sorted(articles.iterdir()):
        result = api.clean_path(str(path), rules, api.Options()).result
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
    # Suggestions are only proposed on the page, and nobody accepted one here: the
    # reference is `fix` without --unsafe-fixes.
    assert cleaner("fix", "fixed", cwd=tmp_path).returncode in (0, 1)

    for path in sorted(articles.iterdir()):
        original = (SEEDS / path.name).read_text(encoding="utf-8")
        result = api.clean_bytes((SEEDS / path.name).read_bytes(), rules, api.Options(), path=path.name).result
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

The envoys left. the hall emptied.
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
    # An editor's replacement for a flag is text too, however it reads.
    flag = page.get_attribute(".card.flag", "data-key")
    page.click(f'.card[data-key="{flag}"] [data-action=edit]')
    typed = '<img src=x onerror="window.__pwned=9"></script>'
    page.locator(f'.card[data-key="{flag}"] .replace-field').fill(typed)
    page.locator(f'.card[data-key="{flag}"] .replace-field').press("Enter")
    assert page.inner_text(f'ins.editor[data-keys="{flag}"]') == typed
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
    at = page.get_attribute(".card.current", "data-key")
    page.keyboard.press("r")  # reject, and move on to the next change nobody reviewed
    assert page.inner_text("#decision-count").endswith("1 rejected")
    assert page.get_attribute(".card.current", "data-key") != at
    page.keyboard.press("u")  # undo: the rejection is gone and the change is in focus again
    assert page.inner_text("#decision-count").endswith("0 rejected")
    assert page.get_attribute(".card.current", "data-key") == at
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


# -- an editor's session: progress, undo, flags, suggestions, "Accept the rest" ------------

TALKS = (
    "Ministers meet in Lisbon\n\n"
    "Deputy minister Sergei Riabkov told reporters that the americans Y russians would meet again, "
    "and Sergey Ryabkov assured that nothing had been decided.\n\n"
    "The delegation arrived in Lisbon on Tuesday. the talks went on late into the night.\n"
)


def progress(page) -> str:
    return " ".join(page.text_content("#progress").split())


def card_for(page, before: str) -> str:
    """The key of the card whose old text is ``before``."""
    return page.evaluate(
        "b => [...document.querySelectorAll('.card')].find(c => c.querySelector('.mini').firstChild.textContent === b).dataset.key",
        before)


def test_an_editor_reviews_undoes_rewords_a_flag_and_leaves_a_suggestion(browser, tmp_path):
    article = tmp_path / "talks.txt"
    article.write_text(TALKS, encoding="utf-8")
    assert cleaner("report", "talks.txt", "-o", "review.html", cwd=tmp_path).returncode == 0
    errors: list = []
    page = open_page(browser, tmp_path / "review.html", errors=errors)
    total = page.eval_on_selector_all(".card", "els => els.length")
    assert total == 7 and progress(page) == f"0 of {total} reviewed"
    assert page.inner_text(".summary .lead").startswith("5 changes (3 fixes, 2 suggestions) and 2 flags in 1 of 1 file.")
    assert page.inner_text("h1") == "Review of 1 file"

    # Suggestions are proposed, not accepted: the old words stand in the text.
    statuses = page.eval_on_selector_all(".card.suggest", "els => els.map(e => e.dataset.status)")
    assert statuses == ["proposed", "proposed"]
    assert page.eval_on_selector_all(".hunk.suggest", "els => els.every(e => e.classList.contains('proposed'))")

    # Accept a fix from its card: counted, and the next unreviewed item takes the focus.
    first = page.get_attribute(".card.fix", "data-key")
    page.click(f'.card[data-key="{first}"] [data-action=accept]')
    assert progress(page) == f"1 of {total} reviewed"
    second = page.get_attribute(".card.current", "data-key")
    assert second != first and page.get_attribute(".card.current", "data-status") in ("pending", "proposed", "open")
    page.keyboard.press("r")  # reject the focused one from the keyboard, and on again
    assert progress(page) == f"2 of {total} reviewed"
    assert page.inner_text("#decision-count").endswith("1 rejected")
    assert page.get_attribute(".card.current", "data-key") not in (first, second)
    # Two undos put both back; a third does nothing.
    page.click("#undo")
    page.keyboard.press("u")
    assert progress(page) == f"0 of {total} reviewed"
    assert page.inner_text("#decision-count").endswith("0 rejected")
    assert page.is_disabled("#undo")

    # A flag with a proposed wording: the proposal opens the editor, the editor types her own words.
    assured = card_for(page, "assured")
    page.click(f'.card[data-key="{assured}"] [data-action=propose]')
    field = page.locator(f'.card[data-key="{assured}"] .replace-field')
    assert field.input_value() == "said"
    field.fill("insisted")
    field.press("Enter")
    assert page.get_attribute(f'.card[data-key="{assured}"]', "data-status") == "replaced"
    assert page.inner_text(f'ins.editor[data-keys="{assured}"]') == "insisted"
    # A flag kept as it is.
    stop = page.get_attribute(".card.flag:not(.reviewed)", "data-key")
    page.click(f'.card[data-key="{stop}"] [data-action=keep]')
    assert page.get_attribute(f'.card[data-key="{stop}"]', "data-status") == "kept"
    assert progress(page) == f"2 of {total} reviewed"
    page.click(f'.card[data-key="{stop}"] [data-action=reopen]')  # changed my mind...
    assert page.get_attribute(f'.card[data-key="{stop}"]', "data-status") == "open"
    page.keyboard.press("u")  # ...and back
    assert page.get_attribute(f'.card[data-key="{stop}"]', "data-status") == "kept"

    # Reject "Y", then "Accept the rest": it asks, names what stays, and keeps the rejection.
    y = card_for(page, "Y")
    page.click(f'.card[data-key="{y}"] [data-action=reject]')
    page.click("#accept-all")
    ask = page.inner_text("#bar .confirm")
    assert "Accept the 2 fixes not reviewed yet?" in ask and "Your rejection stays" in ask
    assert "The 2 suggestions stay proposed" in ask
    page.click("#accept-all-confirm")
    assert page.inner_text("#decision-count").endswith("1 rejected")
    assert page.eval_on_selector_all(".card.suggest", "els => els.map(e => e.dataset.status)") == ["proposed", "proposed"]
    assert progress(page) == f"5 of {total} reviewed"
    page.keyboard.press("u")  # one undo takes back the whole "Accept the rest"
    assert progress(page) == f"3 of {total} reviewed"
    page.click("#accept-all")
    page.click("#accept-all-confirm")

    def export(name: str) -> dict:
        with page.expect_download() as download:
            page.click("#export")
        download.value.save_as(tmp_path / name)
        return json.loads((tmp_path / name).read_text(encoding="utf-8"))

    doc = export("decisions.json")
    (entry,) = doc["files"]
    assert doc["version"] == 2 and len(entry["proposed"]) == 2 and len(entry["rejected"]) == 1
    assert {f["resolution"]: f.get("after") for f in entry["flags"]} == {"replace": "insisted", "keep": None}
    done = cleaner("apply", "--decisions", "decisions.json", "talks.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    text = article.read_text(encoding="utf-8")
    assert "the Americans Y Russians would meet again, and Sergey Ryabkov insisted that nothing" in text
    assert "Tuesday. the talks" in text

    # The same review with one suggestion accepted: only then is it written.
    article.write_text(TALKS, encoding="utf-8")
    sergey = card_for(page, "Sergey")
    page.click(f'.card[data-key="{sergey}"] [data-action=accept]')
    export("decisions2.json")
    assert cleaner("apply", "--decisions", "decisions2.json", "talks.txt", cwd=tmp_path).returncode == 0
    assert "and Sergei Ryabkov insisted that" in article.read_text(encoding="utf-8")

    # Decisions survive a reload (local storage), the undo history does not need to.
    page.reload()
    page.wait_for_selector("html[data-ready=true]")
    assert progress(page) == f"6 of {total} reviewed"
    assert errors == []
    page.close()


# -- the page at three widths -------------------------------------------------------------

WIDTHS = (1440, 820, 390)


@pytest.mark.parametrize("width", WIDTHS)
def test_layout_at_each_width(browser, tmp_path, width):
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in sorted(SEEDS.glob("0*.txt")):
        shutil.copy(seed, articles / seed.name)
    (articles / "talks.txt").write_text(TALKS, encoding="utf-8")
    assert cleaner("report", "articles", "-o", "review.html", cwd=tmp_path).returncode == 0
    errors: list = []
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / "review.html").as_uri())
    page.wait_for_selector("html[data-ready=true]", timeout=10_000)

    def no_sideways_scroll():
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth"), \
            page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")

    no_sideways_scroll()
    shots = ROOT / "artifacts"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"review-{width}-summary.png"))
    page.keyboard.press("j")
    page.wait_for_timeout(100)
    no_sideways_scroll()
    page.screenshot(path=str(shots / f"review-{width}.png"))

    # Every card sits next to its change: beside it in a side column on a wide screen,
    # right under its paragraph on a narrow one.
    geometry = page.evaluate("""() => [...document.querySelectorAll('.card')].slice(0, 12).map(card => {
        const key = card.dataset.key;
        const node = [...document.querySelectorAll('[data-keys]')].find(n => n.dataset.keys.split(' ').includes(key));
        const c = card.getBoundingClientRect(), t = node.getBoundingClientRect();
        const para = node.closest('.para');
        const group = card.closest('.inline-cards');
        return {right: c.left >= t.right, below: c.top >= t.bottom,
                underItsParagraph: !!group && group.previousElementSibling === para};
    })""")
    assert len(geometry) == 12
    if width >= 1200:
        assert all(g["right"] for g in geometry)
    else:
        assert all(g["below"] and g["underItsParagraph"] for g in geometry)

    # A flag opened for editing, then the page with the focused change, still fits.
    key = page.get_attribute(".card.flag", "data-key")
    page.click(f'.card[data-key="{key}"] [data-action=edit]')
    page.locator(f'.card[data-key="{key}"] .replace-field').fill("a replacement typed by the editor, rather long to wrap")
    no_sideways_scroll()
    page.screenshot(path=str(shots / f"review-{width}-editing.png"))
    assert errors == []
    page.close()


def test_file_list_of_two_thousand_files_searches_and_sorts(browser, tmp_path, rules):
    from cleaner.review import page_data, render_html, review_inputs

    # The two shortest seeds (one without flags), repeated: a 2,000-file page of about 12 MB.
    seeds = [str(p) for p in sorted(SEEDS.glob("00[14]_*.txt"))]
    base = page_data(review_inputs(seeds, rules))["files"]
    assert len(base) == 2
    files = []
    for i in range(2000):
        entry = json.loads(json.dumps(base[i % len(base)]))
        entry["path"] = f"batch/{i:04d}-{Path(entry['path']).name}"
        files.append(entry)
    data = {"version": 1, "cleaner": "test", "report": "twothousand", "files": files}
    (tmp_path / "big.html").write_text(render_html(data), encoding="utf-8")
    errors: list = []
    page = open_page(browser, tmp_path / "big.html", errors=errors)
    rows = lambda: page.eval_on_selector_all("table.files tr[data-file]", "els => els.map(e => e.querySelector('a').textContent)")
    assert len(rows()) == 200
    assert "Showing 200 of 2000 files" in page.inner_text(".file-note")
    page.fill("#file-search", "1999-")
    assert rows() == ["batch/1999-" + Path(base[1999 % len(base)]["path"]).name]
    page.fill("#file-search", "")
    page.select_option("#file-sort", "flags")
    flags = page.eval_on_selector_all("table.files tr[data-file] td:nth-child(3)", "els => els.map(e => Number(e.textContent || 0))")
    assert flags == sorted(flags, reverse=True) and flags[0] == max(sum(c["kind"] == "flag" for c in f["changes"]) for f in base)
    page.select_option("#file-sort", "path")
    assert rows()[0].startswith("batch/0000-")
    page.fill("#file-search", "1500-")
    page.click("table.files a[href='#file-1500']")
    page.wait_for_selector("#file-1500")
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    assert errors == []
    page.close()
