/* cleaner review page.
 *
 * Reads the report from <script type="application/json" id="review-data"> and builds the
 * page with createElement/textContent only: article text is never parsed as HTML.
 * Files are shown a page at a time (PAGE_SIZE), so a batch of hundreds of articles
 * renders no more DOM than a handful. Decisions (accept/reject per change id) are kept
 * in memory and in localStorage, and exported as decisions.json for `cleaner apply`.
 */
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('review-data').textContent);
  var FILES = DATA.files;
  var PAGE_SIZE = 10;
  var STORE_KEY = 'cleaner-review:' + DATA.report;

  var QUOTES = {
    '\u201c': 'left double quote U+201C', '\u201d': 'right double quote U+201D',
    '"': 'straight double quote U+0022', '\u2018': 'left single quote U+2018',
    '\u2019': 'right single quote / apostrophe U+2019', "'": 'straight single quote U+0027',
    '\u00ab': 'left guillemet U+00AB', '\u00bb': 'right guillemet U+00BB',
    '\u201e': 'low double quote U+201E', '\u201a': 'low single quote U+201A',
    '`': 'backtick U+0060', '\u00b4': 'acute accent U+00B4'
  };
  var SPACES = {
    ' ': ['\u00b7', 'space'], '\u00a0': ['\u237d', 'non-breaking space U+00A0'],
    '\u202f': ['\u237d', 'narrow non-breaking space U+202F'], '\u2009': ['\u00b7', 'thin space U+2009'],
    '\t': ['\u2192', 'tab'], '\u200b': ['\u2423', 'zero-width space U+200B'],
    '\ufeff': ['\u2423', 'byte-order mark U+FEFF'], '\u00ad': ['-', 'soft hyphen U+00AD']
  };
  var CATEGORY_LABELS = {
    encoding: 'encoding', untranslated_word: 'untranslated words', quote_misplaced: 'quotes',
    quote_capitalisation: 'quote capitals', pronoun_gender: 'pronouns', stray_punctuation: 'punctuation',
    spacing: 'spacing', misspelling: 'misspellings', garbled_phrase: 'garbled phrases',
    transliteration_variant: 'name spellings', boilerplate: 'boilerplate', capitalisation: 'capitalisation',
    other: 'other'
  };

  // ---- index -------------------------------------------------------------------------
  // Change ids are stable per text, so two copies of one article share them: inside the
  // page every change is known by its key, "<file index>/<id>".
  var changeById = new Map(); // key -> change
  var decisions = new Map(); // key -> true (accepted) / false (rejected)
  FILES.forEach(function (f, fi) {
    f.index = fi;
    function key(id) { return fi + '/' + id; }
    f.changes.forEach(function (c) {
      c.file = fi;
      c.key = key(c.id);
      changeById.set(c.key, c);
      if (c.kind === 'change') decisions.set(c.key, true);
    });
    f.hunks.forEach(function (h) {
      h.changes = h.changes.map(key);
      if (h.flags) h.flags = h.flags.map(key);
      if (h.parts) h.parts.forEach(function (p) { p[2] = key(p[2]); });
    });
    f.paragraphs.forEach(function (p) {
      p.segs.forEach(function (seg) {
        if (Array.isArray(seg)) seg[1] = seg[1].map(key);
        else if (seg.f) seg.f = key(seg.f);
      });
    });
  });
  function rawIds(keys) { return keys.map(function (k) { return changeById.get(k).id; }).join(' '); }
  loadDecisions();

  var state = {
    filter: { type: 'all', value: null },
    page: 0,
    current: null, // id of the focused change or flag
    expanded: new Set() // "file:paragraph" runs unfolded, or "file:*" for a whole file
  };

  // ---- small DOM helpers -------------------------------------------------------------
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function button(label, cls, onClick, title) {
    var b = el('button', cls, label);
    b.type = 'button';
    if (title) b.title = title;
    b.addEventListener('click', onClick);
    return b;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  // Changed text with look-alike and invisible characters made visible: every quote mark
  // gets a box and its name on hover; a space shows as a dot when it is the whole change,
  // at either end of a changed run (a deleted or added space) or doubled; line breaks show
  // as an arrow (and still break the line in new text).
  function appendVisible(parent, text, removed) {
    var buf = '';
    function flush() { if (buf) { parent.appendChild(document.createTextNode(buf)); buf = ''; } }
    var last = text.length - 1;
    var short = text.length <= 60; // in a whole deleted line, boxed quotes are only noise
    for (var i = 0; i <= last; i++) {
      var ch = text[i];
      if (QUOTES[ch] && short) {
        flush();
        var q = el('span', 'glyph quote', ch);
        q.title = QUOTES[ch];
        parent.appendChild(q);
      } else if (ch === '\n' || ch === '\r') {
        flush();
        if (ch === '\r' && text[i + 1] === '\n') continue;
        var nl = el('span', 'glyph nl', '\u21b5');
        nl.title = 'line break';
        parent.appendChild(nl);
        // New text breaks at every line break; removed text once per run of them, so a
        // deleted line still reads as its own line without a column of arrows.
        var next = text[i + 1];
        if (!removed || (next !== '\n' && next !== '\r')) parent.appendChild(document.createTextNode('\n'));
      } else if (SPACES[ch] && (ch !== ' ' || i === 0 || i === last || text[i - 1] === ' ' || text[i + 1] === ' ')) {
        flush();
        var s = el('span', 'glyph space', SPACES[ch][0]);
        s.title = SPACES[ch][1];
        parent.appendChild(s);
      } else {
        buf += ch;
      }
    }
    flush();
  }

  // ---- decisions ---------------------------------------------------------------------
  function loadDecisions() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE_KEY) || 'null');
      if (saved && Array.isArray(saved.rejected)) {
        saved.rejected.forEach(function (id) { if (decisions.has(id)) decisions.set(id, false); });
      }
    } catch (e) { /* storage unavailable (some file:// setups): decisions live in memory */ }
  }
  function saveDecisions() {
    try {
      var rejected = [];
      decisions.forEach(function (ok, id) { if (!ok) rejected.push(id); });
      window.localStorage.setItem(STORE_KEY, JSON.stringify({ rejected: rejected }));
    } catch (e) { /* see loadDecisions */ }
  }
  function decide(ids, accepted) {
    ids.forEach(function (id) { if (decisions.has(id)) decisions.set(id, accepted); });
    saveDecisions();
    refreshDecisions(ids);
  }
  function decisionsDocument() {
    return {
      format: 'cleaner-decisions',
      version: 1,
      report: DATA.report,
      cleaner: DATA.cleaner,
      created: new Date().toISOString(),
      files: FILES.filter(function (f) { return !f.error; }).map(function (f) {
        var accepted = [], rejected = [];
        f.changes.forEach(function (c) {
          if (c.kind !== 'change') return;
          (decisions.get(c.key) ? accepted : rejected).push(c.id);
        });
        return { path: f.path, sha256: f.sha256, accepted: accepted, rejected: rejected };
      })
    };
  }
  function exportDecisions() {
    var text = JSON.stringify(decisionsDocument(), null, 2) + '\n';
    var blob = new Blob([text], { type: 'application/json' });
    var a = el('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'decisions.json';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
  }

  // ---- filters -----------------------------------------------------------------------
  function matches(c) {
    var f = state.filter;
    if (f.type === 'all') return true;
    if (f.type === 'category') return c.category === f.value;
    if (f.type === 'rule') return c.rule === f.value;
    if (f.type === 'flags') return c.kind === 'flag';
    if (f.type === 'suggest') return c.kind === 'change' && c.level === 'suggest';
    if (f.type === 'rejected') return c.kind === 'change' && !decisions.get(c.key);
    return true;
  }
  function visibleFiles() {
    if (state.filter.type === 'all') return FILES;
    return FILES.filter(function (f) { return f.changes.some(matches); });
  }
  function setFilter(type, value) {
    state.filter = { type: type, value: value };
    state.page = 0;
    state.current = null;
    renderSummaryState();
    renderPage();
  }

  // ---- header bar and summary --------------------------------------------------------
  var bar = document.getElementById('bar');
  var app = document.getElementById('app');
  var counters = {};

  function totals() {
    var t = { changes: 0, fixes: 0, suggestions: 0, flags: 0, rejected: 0, files: FILES.length, changedFiles: 0, errors: 0 };
    FILES.forEach(function (f) {
      if (f.error) t.errors++;
      if (f.changes.length) t.changedFiles++;
      f.changes.forEach(function (c) {
        if (c.kind === 'flag') { t.flags++; return; }
        t.changes++;
        if (c.level === 'suggest') t.suggestions++; else t.fixes++;
        if (!decisions.get(c.key)) t.rejected++;
      });
    });
    return t;
  }

  function renderBar() {
    bar.textContent = '';
    var brand = el('div', 'brand');
    brand.appendChild(el('strong', null, 'cleaner'));
    brand.appendChild(el('span', 'muted', ' review'));
    bar.appendChild(brand);
    counters.status = el('div', 'status');
    bar.appendChild(counters.status);
    var tools = el('div', 'tools');
    tools.appendChild(button('\u2191 prev', 'ghost', function () { step(-1); }, 'Previous change (k or p)'));
    tools.appendChild(button('next \u2193', 'ghost', function () { step(1); }, 'Next change (j or n)'));
    tools.appendChild(button('Accept all', 'ghost', function () { decide(Array.from(decisions.keys()), true); }, 'Accept every change again'));
    var exp = button('Export decisions', 'primary', exportDecisions, 'Download decisions.json for `cleaner apply --decisions`');
    exp.id = 'export';
    tools.appendChild(exp);
    bar.appendChild(tools);
    updateStatus();
  }

  function updateStatus() {
    var t = totals();
    var parts = [plural(t.files, 'file'), plural(t.changes, 'change'), plural(t.flags, 'flag')];
    counters.status.textContent = parts.join(' \u00b7 ');
    var acc = el('span', t.rejected ? 'pill warn' : 'pill ok', (t.changes - t.rejected) + ' accepted, ' + t.rejected + ' rejected');
    acc.id = 'decision-count';
    counters.status.appendChild(document.createTextNode(' '));
    counters.status.appendChild(acc);
  }

  var summaryEls = { chips: [], ruleRows: new Map() };

  function renderSummary() {
    var t = totals();
    var sec = el('section', 'summary');
    sec.id = 'summary';
    var h = el('h1', null, 'Review of ' + plural(t.files, 'file'));
    sec.appendChild(h);
    var lead = el('p', 'lead');
    lead.textContent = t.changes + ' changes (' + t.fixes + ' fixes, ' + t.suggestions + ' suggestions) and ' +
      t.flags + ' flags in ' + t.changedFiles + ' of ' + plural(t.files, 'file') + (t.errors ? '; ' + plural(t.errors, 'file') + ' could not be read' : '') +
      '. Every change starts accepted: reject the ones you disagree with, then export the decisions.';
    sec.appendChild(lead);

    // Filter chips: everything, flags, suggestions, rejected, then one per category.
    var cats = new Map();
    FILES.forEach(function (f) { f.changes.forEach(function (c) { cats.set(c.category, (cats.get(c.category) || 0) + 1); }); });
    var chips = el('div', 'chips');
    chips.setAttribute('role', 'toolbar');
    chips.setAttribute('aria-label', 'Show only');
    function chip(label, n, type, value) {
      var b = button(label + (n === null ? '' : ' ' + n), 'chip', function () { setFilter(type, value); });
      b.dataset.filter = type + ':' + (value || '');
      summaryEls.chips.push(b);
      chips.appendChild(b);
    }
    chip('All', t.changes + t.flags, 'all', null);
    chip('Flags', t.flags, 'flags', null);
    if (t.suggestions) chip('Suggestions', t.suggestions, 'suggest', null);
    chip('Rejected', null, 'rejected', null);
    Array.from(cats.keys()).sort().forEach(function (cat) { chip(CATEGORY_LABELS[cat] || cat, cats.get(cat), 'category', cat); });
    sec.appendChild(chips);

    var grid = el('div', 'summary-grid');
    grid.appendChild(renderRuleTable());
    grid.appendChild(renderFileTable());
    sec.appendChild(grid);
    sec.appendChild(el('p', 'keys', 'Keys: j / n next change \u00b7 k / p previous \u00b7 a accept \u00b7 r reject \u00b7 Enter show the change in the text'));
    return sec;
  }

  function renderRuleTable() {
    var rules = new Map();
    FILES.forEach(function (f) {
      f.changes.forEach(function (c) {
        var r = rules.get(c.rule);
        if (!r) { r = { rule: c.rule, category: c.category, level: c.level, message: c.message, ids: [], flags: 0 }; rules.set(c.rule, r); }
        if (c.kind === 'flag') r.flags++; else r.ids.push(c.key);
      });
    });
    var box = el('div', 'box');
    box.appendChild(el('h2', null, 'By rule'));
    var table = el('table', 'rules');
    var head = el('tr');
    ['Rule', 'Changes', 'Flags', ''].forEach(function (x) { head.appendChild(el('th', null, x)); });
    table.appendChild(head);
    Array.from(rules.values()).sort(function (a, b) { return a.rule < b.rule ? -1 : 1; }).forEach(function (r) {
      var tr = el('tr');
      var name = el('td', 'rule-name');
      var link = button(r.rule, 'link', function () { setFilter('rule', r.rule); }, r.message);
      name.appendChild(link);
      name.appendChild(el('span', 'badge ' + r.level, r.level));
      tr.appendChild(name);
      var count = el('td', 'num');
      tr.appendChild(count);
      tr.appendChild(el('td', 'num', r.flags || ''));
      var act = el('td', 'actions');
      if (r.ids.length) {
        act.appendChild(button('Accept all', 'small', function () { decide(r.ids, true); }, 'Accept every change of ' + r.rule));
        var rej = button('Reject all', 'small danger', function () { decide(r.ids, false); }, 'Reject every change of ' + r.rule);
        rej.dataset.rejectRule = r.rule;
        act.appendChild(rej);
      }
      tr.appendChild(act);
      table.appendChild(tr);
      summaryEls.ruleRows.set(r.rule, { count: count, ids: r.ids });
    });
    box.appendChild(table);
    updateRuleCounts();
    return box;
  }

  function updateRuleCounts() {
    summaryEls.ruleRows.forEach(function (row) {
      if (!row.ids.length) { row.count.textContent = ''; return; }
      var ok = row.ids.filter(function (id) { return decisions.get(id); }).length;
      row.count.textContent = ok === row.ids.length ? String(ok) : ok + ' / ' + row.ids.length;
      row.count.classList.toggle('partial', ok !== row.ids.length);
    });
  }

  function renderFileTable() {
    var box = el('div', 'box');
    box.appendChild(el('h2', null, 'Files'));
    var wrap = el('div', 'file-list');
    var table = el('table', 'files');
    var head = el('tr');
    ['File', 'Changes', 'Flags'].forEach(function (x) { head.appendChild(el('th', null, x)); });
    table.appendChild(head);
    FILES.forEach(function (f) {
      var tr = el('tr');
      var td = el('td', 'path');
      var a = el('a', null, f.path);
      a.href = '#file-' + f.index;
      td.appendChild(a);
      if (f.error) td.appendChild(el('span', 'badge error', 'error'));
      tr.appendChild(td);
      var n = f.changes.filter(function (c) { return c.kind === 'change'; }).length;
      tr.appendChild(el('td', 'num', n || ''));
      tr.appendChild(el('td', 'num', (f.changes.length - n) || ''));
      table.appendChild(tr);
    });
    wrap.appendChild(table);
    box.appendChild(wrap);
    return box;
  }

  function renderSummaryState() {
    var key = state.filter.type + ':' + (state.filter.value || '');
    summaryEls.chips.forEach(function (b) { b.classList.toggle('on', b.dataset.filter === key); b.setAttribute('aria-pressed', b.dataset.filter === key); });
  }

  // ---- files -------------------------------------------------------------------------
  var pageEl = el('div', 'page');
  var pagerTop = el('nav', 'pager');
  var pagerBottom = el('nav', 'pager');

  function renderPager(nav, shown) {
    nav.textContent = '';
    var pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    if (pages === 1) {
      nav.appendChild(el('span', 'muted', shown.length ? plural(shown.length, 'file') + ' shown' : 'Nothing matches this filter.'));
      return;
    }
    var from = state.page * PAGE_SIZE + 1, to = Math.min(shown.length, (state.page + 1) * PAGE_SIZE);
    var prev = button('\u2039 Previous', 'ghost', function () { gotoPage(state.page - 1, true); });
    prev.disabled = state.page === 0;
    var next = button('Next \u203a', 'ghost', function () { gotoPage(state.page + 1, true); });
    next.disabled = state.page >= pages - 1;
    nav.appendChild(prev);
    nav.appendChild(el('span', 'muted', 'Files ' + from + '\u2013' + to + ' of ' + shown.length + ' (page ' + (state.page + 1) + ' of ' + pages + ')'));
    nav.appendChild(next);
  }

  function gotoPage(n, scroll) {
    state.page = n;
    renderPage();
    if (scroll) pagerTop.scrollIntoView({ block: 'start' });
  }

  function renderPage() {
    var shown = visibleFiles();
    var pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    if (state.page >= pages) state.page = pages - 1;
    renderPager(pagerTop, shown);
    renderPager(pagerBottom, shown);
    pageEl.textContent = '';
    shown.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE).forEach(function (f) {
      pageEl.appendChild(renderFile(f));
    });
    markCurrent();
  }

  function renderFile(f) {
    var sec = el('section', 'file');
    sec.id = 'file-' + f.index;
    sec.dataset.path = f.path;
    var head = el('header', 'file-head');
    var h = el('h2');
    var a = el('a', null, f.path);
    a.href = '#file-' + f.index;
    h.appendChild(a);
    head.appendChild(h);
    var nChanges = f.changes.filter(function (c) { return c.kind === 'change'; }).length;
    head.appendChild(el('span', 'muted', plural(nChanges, 'change') + ' \u00b7 ' + plural(f.changes.length - nChanges, 'flag')));
    if (!f.error) {
      var all = state.expanded.has(f.index + ':*');
      head.appendChild(button(all ? 'Fold unchanged' : 'Show full text', 'small', function () {
        if (all) state.expanded.delete(f.index + ':*'); else state.expanded.add(f.index + ':*');
        rerenderFile(f);
      }));
    }
    head.appendChild(button('\u2191 summary', 'small ghost', function () { document.getElementById('summary').scrollIntoView(); }));
    sec.appendChild(head);
    if (f.error) {
      sec.appendChild(el('p', 'file-error', 'Not cleaned: ' + f.error));
      return sec;
    }
    (f.notices || []).forEach(function (n) { sec.appendChild(el('p', 'notice', n)); });
    var cols = el('div', 'cols');
    var article = el('article', 'text');
    renderParagraphs(f, article);
    cols.appendChild(article);
    var side = el('aside', 'side');
    var list = f.changes.filter(matches);
    if (!list.length) side.appendChild(el('p', 'muted', f.changes.length ? 'No change here matches the filter.' : 'Nothing to change in this file.'));
    list.forEach(function (c) { side.appendChild(renderCard(c)); });
    cols.appendChild(side);
    sec.appendChild(cols);
    return sec;
  }

  function rerenderFile(f) {
    var old = document.getElementById('file-' + f.index);
    if (old) old.replaceWith(renderFile(f));
    markCurrent();
  }

  function paragraphIsInteresting(f, p) {
    return p.segs.some(function (s) {
      if (Array.isArray(s)) return s[1].some(function (id) { return matches(changeById.get(id)); });
      if (s.f) return matches(changeById.get(s.f));
      var hunk = f.hunks[s.h];
      return hunk.changes.concat(hunk.flags || []).some(function (id) { return matches(changeById.get(id)); });
    });
  }

  function renderParagraphs(f, article) {
    var all = state.expanded.has(f.index + ':*');
    var run = [];
    function flushRun() {
      if (!run.length) return;
      var first = run[0];
      var key = f.index + ':' + first;
      if (state.expanded.has(key)) {
        run.forEach(function (i) { article.appendChild(renderParagraph(f, f.paragraphs[i], i, false)); });
      } else {
        var ids = run.slice();
        article.appendChild(button('\u22ef ' + plural(ids.length, 'unchanged paragraph'), 'fold', function () {
          state.expanded.add(key);
          rerenderFile(f);
        }, 'Show these paragraphs'));
      }
      run = [];
    }
    f.paragraphs.forEach(function (p, i) {
      if (!all && !paragraphIsInteresting(f, p)) { run.push(i); return; }
      flushRun();
      article.appendChild(renderParagraph(f, p, i, true));
    });
    flushRun();
  }

  function renderParagraph(f, p, i, interesting) {
    var para = el('p', interesting ? 'para' : 'para plain');
    para.dataset.offset = p.start;
    p.segs.forEach(function (s) {
      if (Array.isArray(s)) {
        var shown = s[1].filter(function (id) { return matches(changeById.get(id)); });
        if (!shown.length) { para.appendChild(document.createTextNode(s[0])); return; }
        var mark = el('mark', 'flag', s[0]);
        mark.dataset.keys = shown.join(' ');
        mark.dataset.changes = rawIds(shown);
        mark.title = shown.map(tooltip).join('\n');
        wireMark(mark, shown);
        para.appendChild(mark);
      } else if (s.f) {
        if (!matches(changeById.get(s.f))) return;
        var pin = el('mark', 'flag point', '\u2038');
        pin.dataset.keys = s.f;
        pin.dataset.changes = rawIds([s.f]);
        pin.title = tooltip(s.f);
        wireMark(pin, [s.f]);
        para.appendChild(pin);
      } else {
        para.appendChild(renderHunk(f, f.hunks[s.h]));
      }
    });
    return para;
  }

  function tooltip(id) {
    var c = changeById.get(id);
    var head = c.rule + ' [' + (c.kind === 'flag' ? 'flag' : c.level) + ']';
    var tail = c.kind === 'change' ? (decisions.get(id) ? ' \u2014 accepted' : ' \u2014 rejected') : '';
    return head + ': ' + c.message + (c.note ? ' (' + c.note + ')' : '') + tail;
  }

  function hunkState(h) {
    var ok = h.changes.filter(function (id) { return decisions.get(id); }).length;
    return ok === h.changes.length ? 'accepted' : ok === 0 ? 'rejected' : 'mixed';
  }

  function renderHunk(f, h) {
    var ids = h.changes.concat(h.flags || []);
    var active = ids.some(function (id) { return matches(changeById.get(id)); });
    var st = hunkState(h);
    var wrap = el(h.removal ? 'span' : 'span', 'hunk ' + st + (h.removal ? ' removal' : '') + (active ? '' : ' quiet'));
    wrap.dataset.keys = ids.join(' ');
    wrap.dataset.changes = rawIds(ids);
    wrap.dataset.hunk = h.start;
    if (!active) {
      // Filtered out: show the text as it will read, without markup.
      wrap.appendChild(document.createTextNode(st === 'rejected' ? h.del : st === 'accepted' ? h.ins : keptText(h)));
      return wrap;
    }
    wrap.title = ids.map(tooltip).join('\n');
    if ((h.flags || []).length) wrap.classList.add('flagged');
    if (h.changes.some(function (id) { return changeById.get(id).level === 'suggest'; })) wrap.classList.add('suggest');
    wireMark(wrap, ids);
    if (h.removal) {
      renderRemoval(wrap, h, st);
      return wrap;
    }
    if (st === 'mixed' && h.parts) {
      renderParts(wrap, h);
      return wrap;
    }
    h.ops.forEach(function (op) {
      if (op[0] === '=') { wrap.appendChild(document.createTextNode(op[1])); return; }
      var node = el(op[0] === '-' ? 'del' : 'ins');
      appendVisible(node, op[1], op[0] === '-');
      wrap.appendChild(node);
    });
    return wrap;
  }

  // What a merged removal leaves when some of its changes are rejected.
  function keptText(h) {
    if (!h.parts) return h.del;
    var out = '';
    for (var i = 0; i < h.del.length; i++) {
      var gone = h.parts.some(function (p) { return decisions.get(p[2]) && p[0] <= i && i < p[1]; });
      if (!gone) out += h.del[i];
    }
    return out;
  }

  function renderParts(wrap, h) {
    var cuts = new Set([0, h.del.length]);
    h.parts.forEach(function (p) { cuts.add(p[0]); cuts.add(p[1]); });
    var pts = Array.from(cuts).sort(function (a, b) { return a - b; });
    for (var k = 0; k + 1 < pts.length; k++) {
      var a = pts[k], b = pts[k + 1];
      var gone = h.parts.some(function (p) { return decisions.get(p[2]) && p[0] <= a && b <= p[1]; });
      var node = el(gone ? 'del' : 'span');
      node.textContent = h.del.slice(a, b);
      wrap.appendChild(node);
    }
  }

  function renderRemoval(wrap, h, st) {
    var lines = h.del.split(/\r\n|\r|\n/).filter(function (l) { return l.trim(); });
    var rules = [];
    h.changes.forEach(function (id) { var r = changeById.get(id).rule; if (rules.indexOf(r) < 0) rules.push(r); });
    var label = st === 'rejected' ? 'Kept (removal rejected): ' : st === 'mixed' ? 'Partly removed: ' : 'Removed: ';
    var sum = el('span', 'removal-head');
    var open = state.expanded.has('hunk:' + h.start);
    sum.appendChild(el('span', 'removal-label', label + plural(lines.length, 'line')));
    sum.appendChild(el('span', 'removal-rules', rules.join(', ')));
    var peek = lines[0] || '';
    if (!open) sum.appendChild(el('span', 'removal-peek', peek.length > 90 ? peek.slice(0, 89) + '\u2026' : peek));
    var toggle = button(open ? 'hide' : 'show', 'small ghost', function (ev) {
      ev.stopPropagation();
      if (open) state.expanded.delete('hunk:' + h.start); else state.expanded.add('hunk:' + h.start);
      var f = FILES[changeById.get(h.changes[0]).file];
      rerenderFile(f);
    });
    sum.appendChild(toggle);
    wrap.appendChild(sum);
    if (open) {
      var body = el('span', 'removal-body');
      if (st === 'mixed' && h.parts) renderParts(body, h);
      else body.appendChild(el(st === 'rejected' ? 'span' : 'del', null, h.del.replace(/^(\r\n|\r|\n)+/, '')));
      wrap.appendChild(body);
    }
  }

  function wireMark(node, ids) {
    node.tabIndex = -1;
    node.addEventListener('mouseenter', function () { highlightCards(ids, true); });
    node.addEventListener('mouseleave', function () { highlightCards(ids, false); });
    node.addEventListener('click', function () { focusItem(ids[0], 'card'); });
  }

  function highlightCards(ids, on) {
    ids.forEach(function (id) {
      var card = document.querySelector('.card[data-key="' + id + '"]');
      if (card) card.classList.toggle('hover', on);
    });
  }

  // ---- side list ---------------------------------------------------------------------
  function renderCard(c) {
    var card = el('div', 'card ' + c.kind + ' ' + c.level);
    card.dataset.changeId = c.id;
    card.dataset.key = c.key;
    card.dataset.rule = c.rule;
    var meta = el('div', 'meta');
    meta.appendChild(el('span', 'badge ' + (c.kind === 'flag' ? 'flag' : c.level), c.kind === 'flag' ? 'flag' : c.level));
    meta.appendChild(el('code', 'rule', c.rule));
    var loc = button('line ' + c.line, 'link loc', function () { focusItem(c.key, 'text'); }, 'Show in the text');
    meta.appendChild(loc);
    card.appendChild(meta);
    card.appendChild(el('div', 'msg', c.message + (c.note ? ' (' + c.note + ')' : '')));
    var mini = el('div', 'mini');
    var before = el('del');
    appendVisible(before, clip(c.before), true);
    mini.appendChild(before);
    if (c.after !== null && c.after !== undefined) {
      mini.appendChild(el('span', 'arrow', ' \u2192 '));
      var after = el('ins');
      if (c.after === '') after.appendChild(el('em', 'muted', 'nothing'));
      else appendVisible(after, clip(c.after), false);
      mini.appendChild(after);
    }
    if (c.kind === 'flag') mini.firstChild.className = 'flagged-text';
    card.appendChild(mini);
    if (c.kind === 'change') {
      var acts = el('div', 'actions');
      var acc = button('\u2713 Accept', 'small accept', function () { decide([c.key], true); });
      var rej = button('\u2717 Reject', 'small reject', function () { decide([c.key], false); });
      acc.dataset.action = 'accept';
      rej.dataset.action = 'reject';
      acts.appendChild(acc);
      acts.appendChild(rej);
      acts.appendChild(button('Reject all of this rule', 'small ghost', function () {
        decide(ruleIds(c.rule), false);
      }, 'Reject every change made by ' + c.rule + ' in every file'));
      card.appendChild(acts);
      paintCard(card, c.key);
    }
    card.addEventListener('click', function (ev) {
      if (ev.target.tagName === 'BUTTON') return;
      focusItem(c.key, 'text');
    });
    return card;
  }

  function clip(text) {
    return text.length > 240 ? text.slice(0, 160) + ' \u2026 ' + text.slice(-60) : text;
  }

  function ruleIds(rule) {
    var ids = [];
    changeById.forEach(function (c, id) { if (c.rule === rule && c.kind === 'change') ids.push(id); });
    return ids;
  }

  function paintCard(card, id) {
    var ok = decisions.get(id);
    card.classList.toggle('rejected', !ok);
    card.classList.toggle('accepted', ok);
    var acc = card.querySelector('[data-action="accept"]');
    var rej = card.querySelector('[data-action="reject"]');
    acc.setAttribute('aria-pressed', String(ok));
    rej.setAttribute('aria-pressed', String(!ok));
  }

  function refreshDecisions(ids) {
    updateStatus();
    updateRuleCounts();
    var files = new Set();
    ids.forEach(function (id) { var c = changeById.get(id); if (c) files.add(c.file); });
    files.forEach(function (fi) {
      if (document.getElementById('file-' + fi)) rerenderFile(FILES[fi]);
    });
    if (state.filter.type === 'rejected') renderPage();
  }

  // ---- navigation --------------------------------------------------------------------
  function navList() {
    var out = [];
    visibleFiles().forEach(function (f, n) {
      f.changes.forEach(function (c) { if (matches(c)) out.push({ id: c.key, page: Math.floor(n / PAGE_SIZE) }); });
    });
    return out;
  }

  function step(delta) {
    var list = navList();
    if (!list.length) return;
    var i = list.findIndex(function (x) { return x.id === state.current; });
    if (i < 0) {
      // Nothing focused yet: start at the first change on the page being read.
      i = Math.max(0, list.findIndex(function (x) { return x.page === state.page; }));
    } else {
      i = Math.min(list.length - 1, Math.max(0, i + delta));
    }
    focusItem(list[i].id, 'text');
  }

  function focusItem(id, where) {
    var c = changeById.get(id);
    if (!c) return;
    var shown = visibleFiles();
    var n = shown.indexOf(FILES[c.file]);
    if (n < 0) { setFilter('all', null); n = c.file; }
    var page = Math.floor(n / PAGE_SIZE);
    if (page !== state.page) { state.page = page; renderPage(); }
    state.current = id;
    markCurrent();
    var target = where === 'card' ? document.querySelector('.card[data-key="' + id + '"]') : textNodeFor(id);
    if (target) {
      target.scrollIntoView({ block: 'center' });
      if (target.focus) target.focus({ preventScroll: true });
    }
  }

  function textNodeFor(id) {
    return document.querySelector('.hunk[data-keys~="' + id + '"], mark[data-keys~="' + id + '"]');
  }

  function markCurrent() {
    document.querySelectorAll('.current').forEach(function (n) { n.classList.remove('current'); });
    if (!state.current) return;
    var t = textNodeFor(state.current);
    if (t) t.classList.add('current');
    var card = document.querySelector('.card[data-key="' + state.current + '"]');
    if (card) { card.classList.add('current'); card.scrollIntoView({ block: 'nearest' }); }
  }

  document.addEventListener('keydown', function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var tag = (ev.target && ev.target.tagName) || '';
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    var k = ev.key;
    if (k === 'j' || k === 'n') { step(1); ev.preventDefault(); }
    else if (k === 'k' || k === 'p') { step(-1); ev.preventDefault(); }
    else if ((k === 'a' || k === 'r') && state.current && decisions.has(state.current)) {
      decide([state.current], k === 'a');
      markCurrent();
      ev.preventDefault();
    } else if (k === 'Enter' && state.current && tag !== 'BUTTON') {
      focusItem(state.current, 'text');
    }
  });

  function followHash() {
    var m = /^#file-(\d+)$/.exec(window.location.hash);
    if (!m) return;
    var fi = Number(m[1]);
    if (!FILES[fi]) return;
    var shown = visibleFiles();
    var n = shown.indexOf(FILES[fi]);
    if (n < 0) { state.filter = { type: 'all', value: null }; renderSummaryState(); n = fi; }
    var page = Math.floor(n / PAGE_SIZE);
    if (page !== state.page || !document.getElementById('file-' + fi)) { state.page = page; renderPage(); }
    var sec = document.getElementById('file-' + fi);
    if (sec) sec.scrollIntoView({ block: 'start' });
  }
  window.addEventListener('hashchange', followHash);

  // ---- start -------------------------------------------------------------------------
  renderBar();
  app.appendChild(renderSummary());
  app.appendChild(pagerTop);
  app.appendChild(pageEl);
  app.appendChild(pagerBottom);
  renderSummaryState();
  renderPage();
  followHash();
  // A hook for tests and tools; the page itself never sends anything anywhere.
  window.cleanerReview = { decisions: decisionsDocument, decide: decide, focus: focusItem };
  document.documentElement.dataset.ready = 'true';
})();
