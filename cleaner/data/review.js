/* cleaner review page.
 *
 * Reads the report from <script type="application/json" id="review-data"> and builds the
 * page with createElement/textContent only: article text is never parsed as HTML.
 * Files are shown a page at a time (PAGE_SIZE), so a batch of hundreds of articles
 * renders no more DOM than a handful. Decisions are kept in memory and in localStorage
 * and exported as decisions.json for `cleaner apply`: per change, accepted or rejected
 * (a fix is applied unless rejected, a suggestion only once accepted); per flag, kept as
 * it is or replaced by the editor's words. Every decision can be undone.
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
  var changeById = new Map(); // key -> change or flag
  var decisions = new Map(); // key -> true (accepted) / false (rejected): explicit decisions only
  var flagRes = new Map(); // key -> {resolution: 'keep' | 'replace', after: text}
  var undoStack = []; // each entry: what a set of keys looked like before one action
  FILES.forEach(function (f, fi) {
    f.index = fi;
    function key(id) { return fi + '/' + id; }
    var starts = f.paragraphs.map(function (p) { return p.start; });
    f.changes.forEach(function (c) {
      c.file = fi;
      c.key = key(c.id);
      c.para = paragraphAt(starts, c.hunk !== undefined ? f.hunks[c.hunk].start : c.start);
      changeById.set(c.key, c);
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
  function paragraphAt(starts, pos) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (starts[mid] <= pos) lo = mid; else hi = mid - 1; }
    return lo;
  }
  function rawIds(keys) { return keys.map(function (k) { return changeById.get(k).id; }).join(' '); }
  loadDecisions();

  // What happens to each change or flag. A fix is applied unless rejected; a suggestion
  // is only proposed until accepted; a flag is open until kept or replaced.
  function isChange(key) { var c = changeById.get(key); return !!c && c.kind === 'change'; }
  function applies(key) {
    if (decisions.has(key)) return decisions.get(key);
    return changeById.get(key).level !== 'suggest';
  }
  function reviewed(key) { return decisions.has(key) || flagRes.has(key); }
  function statusOf(key) {
    var c = changeById.get(key);
    if (c.kind === 'flag') {
      var r = flagRes.get(key);
      return r ? (r.resolution === 'replace' ? 'replaced' : 'kept') : 'open';
    }
    if (decisions.has(key)) return decisions.get(key) ? 'accepted' : 'rejected';
    return c.level === 'suggest' ? 'proposed' : 'pending';
  }
  var STATUS_LABELS = {
    accepted: 'accepted', rejected: 'rejected', pending: 'not reviewed: will be applied',
    proposed: 'proposed: not applied unless accepted', open: 'not reviewed', kept: 'kept as it is',
    replaced: 'replaced'
  };

  // Below this width the cards sit under the paragraph they belong to, not in a side column.
  var NARROW = window.matchMedia ? window.matchMedia('(max-width: 1000px)') : { matches: false };
  var state = {
    filter: { type: 'all', value: null },
    page: 0,
    current: null, // key of the focused change or flag
    expanded: new Set(), // "file:paragraph" runs unfolded, or "file:*" for a whole file
    editing: null, // {key, value}: a flag whose replacement is being typed
    fileQuery: '',
    fileSort: 'order'
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
  function plural(n, word, many) { return n + ' ' + (n === 1 ? word : many || word + 's'); }

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
      if (!saved) return;
      if (Array.isArray(saved.rejected)) { // the first format: rejections only
        saved.rejected.forEach(function (k) { if (isChange(k)) decisions.set(k, false); });
      }
      (saved.changes || []).forEach(function (d) { if (isChange(d[0])) decisions.set(d[0], !!d[1]); });
      (saved.flags || []).forEach(function (d) {
        var c = changeById.get(d[0]);
        if (c && c.kind === 'flag' && (d[1] === 'keep' || (d[1] === 'replace' && typeof d[2] === 'string'))) {
          flagRes.set(d[0], { resolution: d[1], after: d[1] === 'replace' ? d[2] : null });
        }
      });
    } catch (e) { /* storage unavailable (some file:// setups): decisions live in memory */ }
  }
  function saveDecisions() {
    try {
      var changes = [], flags = [];
      decisions.forEach(function (ok, k) { changes.push([k, ok]); });
      flagRes.forEach(function (r, k) { flags.push([k, r.resolution, r.after]); });
      window.localStorage.setItem(STORE_KEY, JSON.stringify({ version: 2, changes: changes, flags: flags }));
    } catch (e) { /* see loadDecisions */ }
  }

  // Every action records what its keys looked like before, so `undo` can put them back.
  function remember(keys) {
    undoStack.push(keys.map(function (k) {
      return [k, decisions.has(k) ? decisions.get(k) : null, flagRes.has(k) ? flagRes.get(k) : null];
    }));
    if (undoStack.length > 1000) undoStack.shift();
  }
  function undo() {
    var before = undoStack.pop();
    if (!before) return;
    var keys = before.map(function (b) {
      if (b[1] === null) decisions.delete(b[0]); else decisions.set(b[0], b[1]);
      if (b[2] === null) flagRes.delete(b[0]); else flagRes.set(b[0], b[2]);
      return b[0];
    });
    state.editing = null;
    saveDecisions();
    refreshDecisions(keys);
    focusItem(keys[0], 'text');
    flash('Undone: ' + plural(keys.length, 'decision'));
  }
  function decide(ids, accepted) {
    var keys = ids.filter(isChange).filter(function (k) { return decisions.get(k) !== accepted; });
    if (!keys.length) return;
    remember(keys);
    keys.forEach(function (k) { decisions.set(k, accepted); });
    saveDecisions();
    refreshDecisions(keys);
  }
  function resolveFlag(key, resolution, after) {
    remember([key]);
    if (resolution === null) flagRes.delete(key);
    else flagRes.set(key, { resolution: resolution, after: resolution === 'replace' ? after : null });
    if (state.editing && state.editing.key === key) state.editing = null;
    saveDecisions();
    refreshDecisions([key]);
  }
  // After a decision on one item, move on to the next one nobody has decided yet (looked
  // up before the decision, since under the "Not reviewed" filter the item then vanishes).
  function nextUnreviewed(key) {
    var list = navList();
    var i = list.findIndex(function (x) { return x.id === key; });
    for (var n = 1; n <= list.length; n++) {
      var x = list[(i + n + list.length) % list.length];
      if (x.id !== key && !reviewed(x.id)) return x.id;
    }
    return null;
  }
  function moveOn(key, next) {
    if (next && !reviewed(next)) { focusItem(next, 'text'); return; }
    state.current = key;
    markCurrent();
    if (totals().reviewed === totals().items) flash('All reviewed: export the decisions.');
  }
  function decideAndAdvance(key, accepted) {
    var next = nextUnreviewed(key);
    decide([key], accepted);
    moveOn(key, next);
  }
  function resolveAndAdvance(key, resolution, after) {
    var next = nextUnreviewed(key);
    resolveFlag(key, resolution, after);
    moveOn(key, next);
  }
  function decisionsDocument() {
    return {
      format: 'cleaner-decisions',
      version: 2,
      report: DATA.report,
      cleaner: DATA.cleaner,
      created: new Date().toISOString(),
      files: FILES.filter(function (f) { return !f.error; }).map(function (f) {
        var accepted = [], rejected = [], proposed = [], flags = [];
        f.changes.forEach(function (c) {
          if (c.kind === 'flag') {
            var r = flagRes.get(c.key);
            if (!r) return;
            var entry = { id: c.id, start: c.start, end: c.end, before: c.before, resolution: r.resolution };
            if (r.resolution === 'replace') entry.after = r.after;
            flags.push(entry);
            return;
          }
          if (applies(c.key)) accepted.push(c.id);
          else if (decisions.has(c.key)) rejected.push(c.id);
          else proposed.push(c.id);
        });
        return { path: f.path, sha256: f.sha256, accepted: accepted, rejected: rejected, proposed: proposed, flags: flags };
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
    if (f.type === 'rejected') return c.kind === 'change' && decisions.get(c.key) === false;
    if (f.type === 'unreviewed') return !reviewed(c.key);
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
    var t = { changes: 0, fixes: 0, suggestions: 0, flags: 0, rejected: 0, applied: 0, proposed: 0, items: 0,
      reviewed: 0, files: FILES.length, changedFiles: 0, errors: 0 };
    FILES.forEach(function (f) {
      if (f.error) t.errors++;
      if (f.changes.length) t.changedFiles++;
      f.changes.forEach(function (c) {
        t.items++;
        if (reviewed(c.key)) t.reviewed++;
        if (c.kind === 'flag') { t.flags++; return; }
        t.changes++;
        if (c.level === 'suggest') t.suggestions++; else t.fixes++;
        var st = statusOf(c.key);
        if (st === 'rejected') t.rejected++;
        else if (st === 'proposed') t.proposed++;
        else t.applied++;
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
    tools.appendChild(button('\u2191', 'ghost nav', function () { step(-1); }, 'Previous change (k or p)'));
    tools.appendChild(button('\u2193', 'ghost nav', function () { step(1); }, 'Next change (j or n)'));
    var und = button('\u21b6 Undo', 'ghost', undo, 'Undo the last decision (u or Ctrl+Z)');
    und.id = 'undo';
    counters.undo = und;
    tools.appendChild(und);
    var all = button('Accept the rest\u2026', 'ghost', askAcceptRest, 'Accept every fix not reviewed yet (asks first; rejections stay)');
    all.id = 'accept-all';
    tools.appendChild(all);
    var exp = button('Export decisions', 'primary', exportDecisions, 'Download decisions.json for `cleaner apply --decisions`');
    exp.id = 'export';
    tools.appendChild(exp);
    bar.appendChild(tools);
    counters.confirm = el('div', 'confirm');
    counters.confirm.hidden = true;
    bar.appendChild(counters.confirm);
    counters.flash = el('div', 'flash');
    counters.flash.setAttribute('role', 'status');
    bar.appendChild(counters.flash);
    updateStatus();
  }

  var flashTimer = null;
  function flash(text) {
    counters.flash.textContent = text;
    counters.flash.classList.add('on');
    clearTimeout(flashTimer);
    flashTimer = setTimeout(function () { counters.flash.classList.remove('on'); }, 2500);
  }

  // "Accept the rest" never touches a decision already made, and asks first: it accepts
  // the fixes nobody has reviewed. Suggestions stay proposed (each needs a person).
  function askAcceptRest() {
    var rest = [], suggestions = 0;
    changeById.forEach(function (c, k) {
      if (c.kind !== 'change' || decisions.has(k)) return;
      if (c.level === 'suggest') suggestions++; else rest.push(k);
    });
    var t = totals();
    var box = counters.confirm;
    box.textContent = '';
    box.hidden = false;
    if (!rest.length) {
      box.appendChild(el('span', null, 'Every fix has been reviewed.'));
      box.appendChild(button('OK', 'small', function () { box.hidden = true; }));
      return;
    }
    box.appendChild(el('span', null, 'Accept the ' + plural(rest.length, 'fix', 'fixes') + ' not reviewed yet? ' +
      (t.rejected === 1 ? 'Your rejection stays. ' : t.rejected ? 'Your ' + t.rejected + ' rejections stay. ' : '') +
      (suggestions === 1 ? 'The suggestion stays proposed (accept it on its own).' :
        suggestions ? 'The ' + suggestions + ' suggestions stay proposed (accept them one by one).' : '')));
    var yes = button('Accept ' + plural(rest.length, 'fix', 'fixes'), 'small primary', function () {
      box.hidden = true;
      decide(rest, true);
      flash('Accepted ' + plural(rest.length, 'fix', 'fixes') + ' (Undo puts them back)');
    });
    yes.id = 'accept-all-confirm';
    box.appendChild(yes);
    box.appendChild(button('Cancel', 'small', function () { box.hidden = true; }));
    yes.focus();
  }

  function updateStatus() {
    var t = totals();
    counters.status.textContent = '';
    var prog = el('span', 'progress');
    prog.id = 'progress';
    prog.appendChild(el('strong', null, t.reviewed + ' of ' + t.items));
    prog.appendChild(document.createTextNode(' reviewed'));
    var meter = el('span', 'meter');
    var fill = el('span', 'fill');
    fill.style.width = (t.items ? Math.round(100 * t.reviewed / t.items) : 100) + '%';
    meter.appendChild(fill);
    prog.appendChild(meter);
    counters.status.appendChild(prog);
    var acc = el('span', t.rejected ? 'pill warn' : 'pill ok', t.applied + ' to apply, ' + t.rejected + ' rejected');
    acc.id = 'decision-count';
    acc.title = (t.proposed ? plural(t.proposed, 'suggestion') + ' proposed, not applied unless accepted; ' : '') +
      plural(t.flags, 'flag');
    counters.status.appendChild(acc);
    counters.undo.disabled = !undoStack.length;
  }

  var summaryEls = { chips: [], ruleRows: new Map() };

  function renderSummary() {
    var t = totals();
    var sec = el('section', 'summary');
    sec.id = 'summary';
    var h = el('h1', null, 'Review of ' + plural(t.files, 'file'));
    sec.appendChild(h);
    var lead = el('p', 'lead');
    lead.textContent = plural(t.changes, 'change') + ' (' + plural(t.fixes, 'fix', 'fixes') + ', ' + plural(t.suggestions, 'suggestion') +
      ') and ' + plural(t.flags, 'flag') + ' in ' + t.changedFiles + ' of ' + plural(t.files, 'file') +
      (t.errors ? '; ' + plural(t.errors, 'file') + ' could not be read' : '') + '. ' +
      'Fixes are applied unless you reject them; suggestions only if you accept them; a flag can be kept ' +
      'as it is or its words replaced. When you are done, export the decisions.';
    sec.appendChild(lead);

    // Filter chips: everything, not reviewed, flags, suggestions, rejected, then one per category.
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
    chip('Not reviewed', null, 'unreviewed', null);
    chip('Flags', t.flags, 'flags', null);
    if (t.suggestions) chip('Suggestions', t.suggestions, 'suggest', null);
    chip('Rejected', null, 'rejected', null);
    Array.from(cats.keys()).sort().forEach(function (cat) { chip(CATEGORY_LABELS[cat] || cat, cats.get(cat), 'category', cat); });
    sec.appendChild(chips);

    var grid = el('div', 'summary-grid');
    grid.appendChild(renderRuleTable());
    grid.appendChild(renderFileTable());
    sec.appendChild(grid);
    sec.appendChild(el('p', 'keys', 'Keys: j / n next \u00b7 k / p previous \u00b7 a accept \u00b7 r reject (then on to the next one not reviewed) ' +
      '\u00b7 e replace a flag\u2019s words \u00b7 x keep a flag as it is \u00b7 u undo \u00b7 Enter show it in the text'));
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
    // Folded on narrow screens, where thirty rules would push the articles far down.
    var box = el('details', 'box rule-box');
    box.open = !NARROW.matches;
    var sum = el('summary');
    sum.appendChild(el('h2', null, 'By rule (' + rules.size + ')'));
    box.appendChild(sum);
    var wrap = el('div', 'table-wrap');
    var table = el('table', 'rules');
    var head = el('tr');
    ['Rule', 'Applied', 'Flags', ''].forEach(function (x) { head.appendChild(el('th', null, x)); });
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
        var accept = button('Accept', 'small', function () {
          decide(r.ids.filter(function (k) { return decisions.get(k) !== false; }), true);
        }, 'Accept every change of ' + r.rule + ' not already rejected');
        accept.dataset.acceptRule = r.rule;
        act.appendChild(accept);
        var rej = button('Reject', 'small danger', function () { decide(r.ids, false); }, 'Reject every change of ' + r.rule);
        rej.dataset.rejectRule = r.rule;
        act.appendChild(rej);
      }
      tr.appendChild(act);
      table.appendChild(tr);
      summaryEls.ruleRows.set(r.rule, { count: count, ids: r.ids });
    });
    wrap.appendChild(table);
    box.appendChild(wrap);
    updateRuleCounts();
    return box;
  }

  function updateRuleCounts() {
    summaryEls.ruleRows.forEach(function (row) {
      if (!row.ids.length) { row.count.textContent = ''; return; }
      var ok = row.ids.filter(applies).length;
      row.count.textContent = ok === row.ids.length ? String(ok) : ok + ' / ' + row.ids.length;
      row.count.classList.toggle('partial', ok !== row.ids.length);
      row.count.classList.toggle('rejected', row.ids.some(function (k) { return decisions.get(k) === false; }));
      row.count.title = ok + ' of ' + row.ids.length + ' will be applied';
    });
  }

  // The file list: searchable and sortable, so a report of thousands of files stays usable;
  // it lists at most FILE_ROWS rows at a time.
  var FILE_ROWS = 200;
  function fileCounts(f) {
    var n = { changes: 0, flags: 0, reviewed: 0, items: f.changes.length };
    f.changes.forEach(function (c) {
      if (c.kind === 'flag') n.flags++; else n.changes++;
      if (reviewed(c.key)) n.reviewed++;
    });
    return n;
  }
  var FILE_SORTS = {
    order: ['report order', null],
    path: ['name', function (a, b) { return a.f.path < b.f.path ? -1 : a.f.path > b.f.path ? 1 : 0; }],
    todo: ['most left to review', function (a, b) { return (b.n.items - b.n.reviewed) - (a.n.items - a.n.reviewed); }],
    changes: ['most changes', function (a, b) { return b.n.changes - a.n.changes; }],
    flags: ['most flags', function (a, b) { return b.n.flags - a.n.flags; }]
  };

  function renderFileTable() {
    var box = el('div', 'box');
    box.appendChild(el('h2', null, 'Files'));
    var tools = el('div', 'file-tools');
    var search = el('input', 'search');
    search.type = 'search';
    search.id = 'file-search';
    search.placeholder = 'Search ' + plural(FILES.length, 'file') + '\u2026';
    search.setAttribute('aria-label', 'Search files by name');
    search.value = state.fileQuery;
    search.addEventListener('input', function () { state.fileQuery = search.value; renderFileRows(); });
    tools.appendChild(search);
    var sort = el('select');
    sort.id = 'file-sort';
    sort.setAttribute('aria-label', 'Sort files');
    Object.keys(FILE_SORTS).forEach(function (k) {
      var o = el('option', null, 'Sort: ' + FILE_SORTS[k][0]);
      o.value = k;
      sort.appendChild(o);
    });
    sort.value = state.fileSort;
    sort.addEventListener('change', function () { state.fileSort = sort.value; renderFileRows(); });
    tools.appendChild(sort);
    box.appendChild(tools);
    var wrap = el('div', 'file-list');
    summaryEls.fileTable = el('table', 'files');
    summaryEls.fileNote = el('p', 'muted file-note');
    wrap.appendChild(summaryEls.fileTable);
    box.appendChild(wrap);
    box.appendChild(summaryEls.fileNote);
    renderFileRows();
    return box;
  }

  function renderFileRows() {
    var table = summaryEls.fileTable;
    if (!table) return;
    table.textContent = '';
    var head = el('tr');
    ['File', 'Changes', 'Flags', 'Reviewed'].forEach(function (x) { head.appendChild(el('th', null, x)); });
    table.appendChild(head);
    var q = state.fileQuery.trim().toLowerCase();
    var rows = [];
    FILES.forEach(function (f) {
      if (q && f.path.toLowerCase().indexOf(q) < 0) return;
      rows.push({ f: f, n: fileCounts(f) });
    });
    var cmp = FILE_SORTS[state.fileSort][1];
    if (cmp) rows.sort(function (a, b) { return cmp(a, b) || a.f.index - b.f.index; });
    rows.slice(0, FILE_ROWS).forEach(function (row) {
      var f = row.f, n = row.n;
      var tr = el('tr');
      tr.dataset.file = f.index;
      var td = el('td', 'path');
      var a = el('a', null, f.path);
      a.href = '#file-' + f.index;
      td.appendChild(a);
      if (f.error) td.appendChild(el('span', 'badge error', 'error'));
      tr.appendChild(td);
      tr.appendChild(el('td', 'num', n.changes || ''));
      tr.appendChild(el('td', 'num', n.flags || ''));
      var done = el('td', 'num' + (n.items && n.reviewed === n.items ? ' done' : ''),
        !n.items ? '' : n.reviewed === n.items ? '\u2713' : n.reviewed + ' / ' + n.items);
      tr.appendChild(done);
      table.appendChild(tr);
    });
    var note = summaryEls.fileNote;
    if (!rows.length) note.textContent = 'No file name contains \u201c' + state.fileQuery + '\u201d.';
    else if (rows.length > FILE_ROWS) note.textContent = 'Showing ' + FILE_ROWS + ' of ' + plural(rows.length, 'file') + ': search to narrow the list.';
    else note.textContent = q ? plural(rows.length, 'file') + ' match.' : '';
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
    var n = fileCounts(f);
    var counts = el('span', 'muted counts', plural(n.changes, 'change') + ' \u00b7 ' + plural(n.flags, 'flag') +
      (n.items ? ' \u00b7 ' + n.reviewed + ' of ' + n.items + ' reviewed' : ''));
    head.appendChild(counts);
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
    var list = f.changes.filter(matches);
    var narrow = NARROW.matches;
    var cols = el('div', narrow ? 'cols inline' : 'cols');
    var article = el('article', 'text');
    var placed = renderParagraphs(f, article, narrow ? list : null);
    cols.appendChild(article);
    var empty = f.changes.length ? 'No change here matches the filter.' : 'Nothing to change in this file.';
    if (!narrow) {
      var side = el('aside', 'side');
      if (!list.length) side.appendChild(el('p', 'muted', empty));
      list.forEach(function (c) { side.appendChild(renderCard(c)); });
      cols.appendChild(side);
    } else {
      // Narrow screens: each card sits under its paragraph; any left over (none, unless
      // the data is odd) at the end, so nothing is lost.
      var rest = list.filter(function (c) { return !placed.has(c.key); });
      if (rest.length) article.appendChild(cardGroup(rest));
      if (!list.length) article.appendChild(el('p', 'muted', empty));
    }
    sec.appendChild(cols);
    return sec;
  }

  function cardGroup(cards) {
    var box = el('div', 'inline-cards');
    cards.forEach(function (c) { box.appendChild(renderCard(c)); });
    return box;
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

  // The paragraphs of a file, unchanged runs folded. With `cards` (narrow screens), each
  // paragraph is followed by the cards of the changes in it; returns the keys so placed.
  function renderParagraphs(f, article, cards) {
    var all = state.expanded.has(f.index + ':*');
    var byPara = new Map(), placed = new Set();
    (cards || []).forEach(function (c) {
      if (!byPara.has(c.para)) byPara.set(c.para, []);
      byPara.get(c.para).push(c);
    });
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
      var mine = byPara.get(i);
      if (mine) {
        article.appendChild(cardGroup(mine));
        mine.forEach(function (c) { placed.add(c.key); });
      }
    });
    flushRun();
    return placed;
  }

  // A paragraph: plain text, flag highlights and hunks. A flag the editor replaced shows
  // its words struck and theirs inserted, like a change.
  function renderParagraph(f, p, i, interesting) {
    var para = el('p', interesting ? 'para' : 'para plain');
    para.dataset.offset = p.start;
    var pos = p.start;
    var replacedOpen = [];
    function closeReplacements() {
      // After text that ends a replaced flag, show the editor's words.
      replacedOpen = replacedOpen.filter(function (k) {
        var c = changeById.get(k);
        if (c.end > pos) return true;
        var ins = el('ins', 'editor', null);
        appendVisible(ins, flagRes.get(k).after, false);
        if (!flagRes.get(k).after) ins.appendChild(el('em', null, '(deleted)'));
        ins.dataset.keys = k;
        ins.title = 'Your words for: ' + tooltip(k);
        wireMark(ins, [k]);
        para.appendChild(ins);
        return false;
      });
    }
    p.segs.forEach(function (s) {
      if (Array.isArray(s)) {
        var shown = s[1].filter(function (id) { return matches(changeById.get(id)); });
        var replaced = s[1].filter(function (id) { var r = flagRes.get(id); return r && r.resolution === 'replace'; });
        replaced.forEach(function (k) { if (replacedOpen.indexOf(k) < 0) replacedOpen.push(k); });
        pos += s[0].length;
        if (!shown.length && !replaced.length) { para.appendChild(document.createTextNode(s[0])); closeReplacements(); return; }
        var cls = 'flag' + (replaced.length ? ' replaced' : shown.every(function (k) { return flagRes.has(k); }) ? ' resolved' : '');
        var mark = el(replaced.length ? 'del' : 'mark', cls, s[0]);
        var keys = shown.length ? shown : replaced;
        mark.dataset.keys = keys.join(' ');
        mark.dataset.changes = rawIds(keys);
        mark.title = keys.map(tooltip).join('\n');
        wireMark(mark, keys);
        para.appendChild(mark);
        closeReplacements();
      } else if (s.f) {
        var r = flagRes.get(s.f);
        if (r && r.resolution === 'replace') { replacedOpen.push(s.f); closeReplacements(); return; }
        if (!matches(changeById.get(s.f))) return;
        var pin = el('mark', 'flag point' + (r ? ' resolved' : ''), '\u2038');
        pin.dataset.keys = s.f;
        pin.dataset.changes = rawIds([s.f]);
        pin.title = tooltip(s.f);
        wireMark(pin, [s.f]);
        para.appendChild(pin);
      } else {
        var h = f.hunks[s.h];
        para.appendChild(renderHunk(f, h));
        pos += h.end - h.start;
        closeReplacements();
      }
    });
    pos = Infinity;
    closeReplacements();
    return para;
  }

  function tooltip(id) {
    var c = changeById.get(id);
    var head = c.rule + ' [' + (c.kind === 'flag' ? 'flag' : c.level) + ']';
    return head + ': ' + c.message + (c.note ? ' (' + c.note + ')' : '') + ' \u2014 ' + STATUS_LABELS[statusOf(id)];
  }

  // accepted: every change applies; rejected: none does and one was rejected; proposed:
  // none does, only suggestions waiting for a decision; mixed: some do.
  function hunkState(h) {
    var ok = h.changes.filter(applies).length;
    if (ok === h.changes.length) return 'accepted';
    if (ok) return 'mixed';
    return h.changes.some(function (k) { return decisions.get(k) === false; }) ? 'rejected' : 'proposed';
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
      wrap.appendChild(document.createTextNode(st === 'rejected' || st === 'proposed' ? h.del : st === 'accepted' ? h.ins : keptText(h)));
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
      var gone = h.parts.some(function (p) { return applies(p[2]) && p[0] <= i && i < p[1]; });
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
      var gone = h.parts.some(function (p) { return applies(p[2]) && p[0] <= a && b <= p[1]; });
      var node = el(gone ? 'del' : 'span');
      node.textContent = h.del.slice(a, b);
      wrap.appendChild(node);
    }
  }

  function renderRemoval(wrap, h, st) {
    var lines = h.del.split(/\r\n|\r|\n/).filter(function (l) { return l.trim(); });
    var rules = [];
    h.changes.forEach(function (id) { var r = changeById.get(id).rule; if (rules.indexOf(r) < 0) rules.push(r); });
    var label = st === 'rejected' ? 'Kept (removal rejected): ' : st === 'proposed' ? 'Proposed removal: ' : st === 'mixed' ? 'Partly removed: ' : 'Removed: ';
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
      else body.appendChild(el(st === 'rejected' || st === 'proposed' ? 'span' : 'del', null, h.del.replace(/^(\r\n|\r|\n)+/, '')));
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

  // ---- cards -------------------------------------------------------------------------
  function renderCard(c) {
    var st = statusOf(c.key);
    var card = el('div', 'card ' + c.kind + ' ' + c.level + ' ' + st + (reviewed(c.key) ? ' reviewed' : ''));
    card.dataset.changeId = c.id;
    card.dataset.key = c.key;
    card.dataset.rule = c.rule;
    card.dataset.status = st;
    var meta = el('div', 'meta');
    meta.appendChild(el('span', 'badge ' + (c.kind === 'flag' ? 'flag' : c.level), c.kind === 'flag' ? 'flag' : c.level));
    meta.appendChild(el('code', 'rule', c.rule));
    var loc = button('line ' + c.line, 'link loc', function () { focusItem(c.key, 'text'); }, 'Show in the text');
    meta.appendChild(loc);
    card.appendChild(meta);
    card.appendChild(el('div', 'msg', c.message + (c.note ? ' (' + c.note + ')' : '')));
    var mini = el('div', 'mini');
    var r = flagRes.get(c.key);
    var after = c.kind === 'flag' ? (r && r.resolution === 'replace' ? r.after : null) : c.after;
    var before = el(c.kind === 'flag' && after === null ? 'span' : 'del', c.kind === 'flag' && after === null ? 'flagged-text' : null);
    appendVisible(before, clip(c.before), true);
    mini.appendChild(before);
    if (after !== null && after !== undefined) {
      mini.appendChild(el('span', 'arrow', ' \u2192 '));
      var ins = el('ins', c.kind === 'flag' ? 'editor' : null);
      if (after === '') ins.appendChild(el('em', 'muted', 'nothing'));
      else appendVisible(ins, clip(after), false);
      mini.appendChild(ins);
    }
    card.appendChild(mini);
    card.appendChild(el('div', 'state', STATUS_LABELS[st]));
    if (c.kind === 'change') card.appendChild(changeActions(c));
    else card.appendChild(flagActions(c));
    card.addEventListener('click', function (ev) {
      var tag = ev.target.tagName;
      if (tag === 'BUTTON' || tag === 'INPUT' || tag === 'TEXTAREA') return;
      focusItem(c.key, 'text');
    });
    return card;
  }

  function changeActions(c) {
    var acts = el('div', 'actions');
    var ok = decisions.get(c.key);
    var acc = button('\u2713 Accept', 'small accept', function () { decideAndAdvance(c.key, true); }, 'Accept (a), then go to the next one not reviewed');
    var rej = button('\u2717 Reject', 'small reject', function () { decideAndAdvance(c.key, false); }, 'Reject (r), then go to the next one not reviewed');
    acc.dataset.action = 'accept';
    rej.dataset.action = 'reject';
    acc.setAttribute('aria-pressed', String(ok === true));
    rej.setAttribute('aria-pressed', String(ok === false));
    acts.appendChild(acc);
    acts.appendChild(rej);
    acts.appendChild(button('Reject all of this rule', 'small ghost', function () {
      decide(ruleIds(c.rule), false);
    }, 'Reject every change made by ' + c.rule + ' in every file'));
    return acts;
  }

  // A flag's actions: put a proposed wording in its place, type one, or keep the text.
  // Proposals open the editor filled in, so the words are seen in place before saving.
  function flagActions(c) {
    var acts = el('div', 'actions');
    var r = flagRes.get(c.key);
    if (state.editing && state.editing.key === c.key) {
      acts.appendChild(flagEditor(c));
      return acts;
    }
    if (r) {
      var edit = button(r.resolution === 'replace' ? 'Edit words' : 'Replace\u2026', 'small', function () { openEditor(c, r.after !== null ? r.after : c.before); });
      edit.dataset.action = 'edit';
      acts.appendChild(edit);
      var reopen = button('Reopen', 'small ghost', function () { resolveFlag(c.key, null); }, 'Undecide this flag');
      reopen.dataset.action = 'reopen';
      acts.appendChild(reopen);
      return acts;
    }
    (c.proposals || []).forEach(function (p) {
      var use = button('Use \u201c' + p + '\u201d', 'small propose', function () { openEditor(c, p); }, 'Put \u201c' + p + '\u201d in place of \u201c' + c.before + '\u201d');
      use.dataset.action = 'propose';
      acts.appendChild(use);
    });
    var typ = button('Replace\u2026', 'small', function () { openEditor(c, c.before); }, 'Type the words to put in place of the flagged text (e)');
    typ.dataset.action = 'edit';
    acts.appendChild(typ);
    var keep = button('Keep as is', 'small keep', function () { resolveAndAdvance(c.key, 'keep'); }, 'The text is right: mark this flag resolved (x)');
    keep.dataset.action = 'keep';
    acts.appendChild(keep);
    var hunk = overlappingHunk(c);
    if (hunk) acts.appendChild(el('p', 'hint', 'Inside a change: your words are written only if that change is rejected.'));
    return acts;
  }

  function overlappingHunk(c) {
    var f = FILES[c.file];
    return f.hunks.find(function (h) { return (h.flags || []).indexOf(c.key) >= 0; }) || null;
  }

  function openEditor(c, value) {
    state.editing = { key: c.key, value: value };
    state.current = c.key;
    rerenderFile(FILES[c.file]);
    var field = document.querySelector('.card[data-key="' + c.key + '"] .replace-field');
    if (field) { field.focus(); field.select(); }
  }

  function flagEditor(c) {
    var form = el('div', 'editor-box');
    var multi = c.before.indexOf('\n') >= 0 || state.editing.value.indexOf('\n') >= 0;
    var field = el(multi ? 'textarea' : 'input', 'replace-field');
    if (!multi) field.type = 'text';
    field.value = state.editing.value;
    field.setAttribute('aria-label', 'Words to put in place of \u201c' + c.before + '\u201d');
    field.spellcheck = true;
    field.addEventListener('input', function () { state.editing.value = field.value; });
    function save() {
      var value = field.value;
      if (value === c.before) resolveAndAdvance(c.key, 'keep'); else resolveAndAdvance(c.key, 'replace', value);
    }
    function cancel() { state.editing = null; rerenderFile(FILES[c.file]); focusItem(c.key, 'card'); }
    field.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && (!multi || ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); save(); }
      else if (ev.key === 'Escape') { ev.preventDefault(); cancel(); }
    });
    form.appendChild(field);
    var ok = button('Save', 'small primary', save, 'Write these words in place of the flagged text (Enter)');
    ok.dataset.action = 'save';
    form.appendChild(ok);
    form.appendChild(button('Cancel', 'small ghost', cancel, 'Escape'));
    return form;
  }

  function clip(text) {
    return text.length > 240 ? text.slice(0, 160) + ' \u2026 ' + text.slice(-60) : text;
  }

  function ruleIds(rule) {
    var ids = [];
    changeById.forEach(function (c, id) { if (c.rule === rule && c.kind === 'change') ids.push(id); });
    return ids;
  }

  function refreshDecisions(ids) {
    updateStatus();
    updateRuleCounts();
    renderFileRows();
    var files = new Set();
    ids.forEach(function (id) { var c = changeById.get(id); if (c) files.add(c.file); });
    if (state.filter.type === 'rejected' || state.filter.type === 'unreviewed') { renderPage(); return; }
    files.forEach(function (fi) {
      if (document.getElementById('file-' + fi)) rerenderFile(FILES[fi]);
    });
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
    var sel = '[data-keys~="' + id + '"]';
    return document.querySelector('.hunk' + sel + ', mark' + sel + ', del.flag' + sel + ', ins.editor' + sel);
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
    var tag = (ev.target && ev.target.tagName) || '';
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    var k = ev.key;
    if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && !ev.shiftKey && (k === 'z' || k === 'Z')) { undo(); ev.preventDefault(); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var cur = state.current ? changeById.get(state.current) : null;
    if (k === 'j' || k === 'n') { step(1); ev.preventDefault(); }
    else if (k === 'k' || k === 'p') { step(-1); ev.preventDefault(); }
    else if (k === 'u') { undo(); ev.preventDefault(); }
    else if ((k === 'a' || k === 'r') && cur && cur.kind === 'change') {
      decideAndAdvance(cur.key, k === 'a');
      ev.preventDefault();
    } else if (k === 'x' && cur && cur.kind === 'flag') {
      resolveAndAdvance(cur.key, 'keep');
      ev.preventDefault();
    } else if (k === 'e' && cur && cur.kind === 'flag') {
      var r = flagRes.get(cur.key);
      openEditor(cur, r && r.resolution === 'replace' ? r.after : (cur.proposals && cur.proposals[0]) || cur.before);
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
  // Crossing the narrow breakpoint moves the cards between the side column and the text.
  if (NARROW.addEventListener) NARROW.addEventListener('change', function () { renderPage(); });
  // A hook for tests and tools; the page itself never sends anything anywhere.
  window.cleanerReview = { decisions: decisionsDocument, decide: decide, resolve: resolveFlag, undo: undo, focus: focusItem };
  document.documentElement.dataset.ready = 'true';
})();
