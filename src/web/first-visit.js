// Runs in index.html's <head>, before the page is drawn (a classic script,
// neither deferred nor a module; an external file, so the
// Content-Security-Policy needs no inline script).
//
// 1. A returning person (who uses this device is saved, as the app saves it:
//    src/web/platform/settings.rs, `csp.role`, a JSON string) or a link to
//    another page than the home page: the waiting page only, as the app will
//    not ask the first question (the class `returning` on <html>;
//    style/main.css hides the question).
// 2. Otherwise the first question in index.html is answered while the app
//    downloads. "Save and continue" pressed then is held: the form is marked
//    and the app saves it when it starts, with its own checks
//    (`Handed` in src/web/ui/device.rs).
// 3. A returning person on the home page: their plans (a carer) or their
//    caseload (a key worker) are listed in the waiting page before any
//    WebAssembly has arrived, from the list entries the app keeps in
//    IndexedDB beside each plan (src/web/platform/idb.rs, `plans`: the
//    plan's `PlanSummary`, src/plan/summary.rs, as a JSON string). Read here
//    at once, while the page is still being parsed, in the same file (no
//    second request on a slow line); painted as soon as the page is parsed
//    (before the app's deferred loader runs), with
//    the same words, markup and links as the app's home
//    (src/web/ui/home.rs) and caseload (src/web/ui/caseload.rs: its first
//    page, in its first order). A link followed changes the address as the
//    app's own links do (replacing the history entry); the app opens that
//    page when it starts (src/web/start.rs, which also removes this page).
//    The database is the app's: opened read only at its version, never
//    made or upgraded here (an upgrade asked for is aborted). Any failure
//    leaves the waiting page as it was. Stored text is put in with
//    textContent only.
(() => {
  const ROLES = ['carer', 'key-worker'];
  let role = null;
  try {
    role = JSON.parse(localStorage.getItem('csp.role'));
  } catch {
    // Storage refused (or not JSON): the app will ask, so ask here too.
  }
  const home = location.hash === '' || location.hash === '#/';
  if (ROLES.includes(role) || !home) document.documentElement.classList.add('returning');

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form.id !== 'first-form') return;
    event.preventDefault();
    form.dataset.held = 'yes';
    const said = document.getElementById('first-held');
    if (said) said.textContent = 'Thank you. This will be saved as soon as the app is ready.';
  });

  if (ROLES.includes(role) && home) readPlans((plans) => whenParsed(() => paint(role, plans)));

  // As soon as the page is parsed: before its deferred scripts (the app's
  // loader) run, which DOMContentLoaded would wait for.
  function whenParsed(then) {
    if (document.readyState !== 'loading') {
      then();
      return;
    }
    const parsed = () => {
      if (document.readyState === 'loading') return;
      document.removeEventListener('readystatechange', parsed);
      then();
    };
    document.addEventListener('readystatechange', parsed);
  }

  // The stored list entries that read as the app reads them (others passed
  // over, as the app does), or nothing at all on any failure.
  function readPlans(then) {
    try {
      // At the app's version (idb.rs, DB_VERSION): a newer one fails, none
      // yet would be made, so that is aborted.
      const open = indexedDB.open('carer-support-plan', 1);
      open.onupgradeneeded = () => open.transaction.abort();
      // Refused (a newer version, the upgrade aborted): nothing to say.
      open.onerror = (e) => e.preventDefault();
      open.onsuccess = () => {
        const db = open.result;
        // Another tab upgrading: let go at once.
        db.onversionchange = () => db.close();
        try {
          const all = db.transaction('plans', 'readonly').objectStore('plans').getAll();
          all.onsuccess = () => {
            db.close();
            const plans = all.result.map(entry).filter(Boolean);
            // Most recently changed first, as the app lists them.
            plans.sort((a, b) => b.updated_at - a.updated_at);
            if (plans.length) then(plans);
          };
          all.onerror = (e) => {
            e.preventDefault();
            db.close();
          };
        } catch {
          db.close();
        }
      };
    } catch {
      // No IndexedDB, or refused: the waiting page stays.
    }
  }

  const text = (v) => v === undefined || typeof v === 'string';
  const whole = (v) => Number.isSafeInteger(v);
  const nothingOr = (v, ok) => v === undefined || v === null || ok(v);

  // One entry as `PlanSummary`'s serde reads it, or null.
  function entry(json) {
    let s;
    try {
      s = JSON.parse(json);
    } catch {
      return null;
    }
    const ok = s && typeof s === 'object'
      && typeof s.plan_id === 'string' && /^[0-9a-f]{32}$/.test(s.plan_id)
      && typeof s.name === 'string' && text(s.full_name) && text(s.preferred_name)
      && whole(s.updated_at) && (s.status === 'draft' || s.status === 'signed-off')
      && nothingOr(s.last_shared, whole) && nothingOr(s.review_due, (d) => typeof d === 'string')
      && nothingOr(s.highest_impact, (h) => Array.isArray(h) && h.length === 2 && h.every((x) => typeof x === 'string'))
      && nothingOr(s.highest_rank, (r) => whole(r) && r >= 0);
    if (!ok) return null;
    s.full_name = (s.full_name || '').trim();
    s.preferred_name = (s.preferred_name || '').trim();
    s.review_due = isoDate(s.review_due);
    return s;
  }

  // "2027-01-18" as a date (milliseconds at UTC midnight), or null: a
  // stored value that is not a date reads as none (plan/date.rs, parse_iso).
  function isoDate(v) {
    const m = typeof v === 'string' && /^(\d{4})-(\d\d)-(\d\d)$/.exec(v);
    if (!m) return null;
    const t = Date.UTC(+m[1], m[2] - 1, +m[3]);
    const d = new Date(t);
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === m[2] - 1 && d.getUTCDate() === +m[3] ? t : null;
  }

  // plan/summary.rs, PlanSummary::title.
  function title(s) {
    const low = (x) => x.replace(/[A-Z]/g, (c) => c.toLowerCase());
    const full = s.full_name;
    const preferred = s.preferred_name;
    if (full && preferred && low(full) !== low(preferred)) return `${full} (${preferred})`;
    if (full) return full;
    if (preferred) return preferred;
    return s.name.trim() || 'Plan with no name yet';
  }

  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  // plan/date.rs, long_date (of a UTC day, as long_date_of_ms takes it).
  const longDate = (ms) => {
    const d = new Date(ms);
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  };
  const status = (s) => (s.status === 'draft' ? 'Draft' : 'Signed off');
  const href = (s) => `#/plan/${s.plan_id}`;

  // An element: attributes (a value of true is an empty attribute), then
  // children (text as text nodes, never as markup).
  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== false && v !== null) e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== false) e.append(c);
    return e;
  }

  function paint(role, plans) {
    const main = document.getElementById('preload-main');
    const first = document.querySelector('#preload-main > h1.preload-returning');
    if (!main || !first || !document.getElementById('preload')) return;
    const page = role === 'carer' ? carerHome(plans) : caseload(plans);
    page.id = 'preload-home';
    // The waiting page's own words give way to the list; its progress bar
    // stays, below it.
    for (const e of [first, first.nextElementSibling, first.nextElementSibling?.nextElementSibling]) if (e) e.hidden = true;
    if (role !== 'carer') for (const w of document.querySelectorAll('#preload .width')) w.classList.add('width--wide');
    document.documentElement.classList.add('listed');
    main.insertBefore(page, first);
    // Followed as the app's own links are: the address replaced, so the
    // whole app stays one entry in the browser's history.
    page.addEventListener('click', (ev) => {
      const a = ev.target.closest && ev.target.closest('a[href^="#/"]');
      if (!a || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      location.replace(a.getAttribute('href'));
    });
  }

  // src/web/ui/home.rs, CarerHome.
  function carerHome(plans) {
    const start = h('button', { type: 'button', class: 'button', 'data-testid': 'start-plan' }, 'Start a new plan');
    const held = h('p', { class: 'preload-held', role: 'status' });
    // Held, as "Save and continue" is: the app starts the plan when it starts.
    start.addEventListener('click', () => {
      start.dataset.held = 'yes';
      held.textContent = 'Your new plan will be started as soon as the app is ready.';
    });
    return h('div', {},
      h('h1', { tabindex: '-1' }, 'Your carer support plans'),
      h('p', { class: 'lede' }, 'A plan helps you think about how caring affects your life, and what would help. It is kept on this device. Nothing is sent anywhere unless you choose to share it.'),
      start, held,
      h('h2', {}, 'Plans on this device'),
      h('ul', { class: 'plan-list', 'data-testid': 'plan-list' }, plans.map((s) => h('li', { class: 'plan-card' },
        h('a', { href: href(s), class: 'plan-link' }, title(s)),
        h('p', { class: 'plan-meta' }, h('span', { class: 'tag' }, status(s)), ` Last changed ${longDate(s.updated_at)}`)))),
      h('h2', {}, 'Plans shared with you'),
      h('p', {}, 'If your key worker sent you a plan file, add it here.'),
      h('p', {}, h('a', { class: 'button button--secondary', href: '#/import' }, 'Add a copy you were sent')),
      h('p', {}, 'Moving to a new phone? ', h('a', { href: '#/restore' }, 'Restore from a backup')),
      h('p', {}, h('a', { href: '#/settings' }, 'Settings')));
  }

  const PER_PAGE = 20;
  const DAY = 86400000;

  // src/web/ui/caseload.rs, Caseload: its first page, sorted as it first
  // is (review due, soonest first, plans with no date last). Its tools work
  // once the app has started: here they are shown, not yet usable.
  function caseload(plans) {
    const now = new Date();
    const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    const sorted = plans.slice().sort((a, b) => (a.review_due ?? -Infinity) - (b.review_due ?? -Infinity))
      .sort((a, b) => (a.review_due === null) - (b.review_due === null));
    const n = plans.length;
    const pages = Math.ceil(n / PER_PAGE);
    const shown = sorted.slice(0, PER_PAGE);
    const select = (id, label, testid, options) => h('div', { class: `field caseload-${id}` },
      h('label', { class: 'label', for: `caseload-${id}` }, label),
      h('select', { class: 'select', id: `caseload-${id}`, 'data-testid': testid, disabled: true },
        options.map((o, i) => h('option', { selected: i === 0 }, o))));
    const later = (words, attrs) => h('button', { type: 'button', class: 'link-button', disabled: true, ...attrs }, words);
    return h('div', {},
      h('h1', { tabindex: '-1' }, 'Your caseload'),
      h('p', {}, 'The plans carers have shared with you. They are kept on this device only.'),
      h('p', {}, h('a', { class: 'button', href: '#/import', 'data-testid': 'add-copy' }, 'Add a plan you were sent')),
      backupDue(now.getTime()) && h('div', { class: 'inset', 'data-testid': 'backup-reminder' },
        h('p', {}, 'It is a good idea to back up this device now and then, so nothing is lost if it is replaced or the browser clears its data.'),
        h('p', { class: 'reminder-actions' }, h('a', { href: '#/backup' }, 'Back up everything on this device'), ' ',
          later(['Not now', h('span', { class: 'visually-hidden' }, ' (remind me in four weeks)')]))),
      h('div', {},
        h('div', { class: 'caseload-tools' },
          h('div', { class: 'field' },
            h('label', { class: 'label', for: 'caseload-search' }, 'Search by carer\'s name'),
            h('input', { class: 'input input--20', id: 'caseload-search', type: 'search', autocomplete: 'off', disabled: true })),
          select('filter', 'Show', 'caseload-filter', ['All plans', 'Review due in the next 30 days', 'Review overdue', 'Draft', 'Signed off', 'Kept in step']),
          select('sort', 'Sort by', null, ['Review due (soonest first)', 'Carer\'s name (A to Z)', 'Last shared (newest first)', 'Highest impact'])),
        h('p', { role: 'status', class: 'caseload-count', 'data-testid': 'caseload-count' },
          `Showing 1 to ${shown.length} of ${n} ${n === 1 ? 'plan' : 'plans'}`),
        h('table', { class: 'table', 'data-testid': 'caseload' },
          h('caption', { class: 'visually-hidden' }, 'Plans on this device. Each column\'s header button sorts the table.'),
          h('thead', {}, h('tr', {}, ['Carer', 'Last shared', 'Review due', 'Highest impact', 'Status'].map((c) => h('th', { scope: 'col', 'aria-sort': c === 'Review due' && 'ascending' },
            h('button', { type: 'button', class: 'sort-button', disabled: true }, c, h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, c === 'Review due' ? '▲' : '')))))),
          h('tbody', {}, shown.map((s) => row(s, today)))),
        pages > 1 && h('nav', { class: 'pagination', 'aria-label': 'Pages of the caseload' },
          h('p', {}, `Page 1 of ${pages}`), later('Next page'), later('Last page'))),
      h('div', {},
        h('h2', {}, 'Returns'),
        h('p', {}, 'A spreadsheet (CSV) of every plan on this device, one row a plan, for your council\'s returns. It holds carers\' names: keep it as safe as the plans.'),
        h('p', {}, h('button', { type: 'button', class: 'button button--secondary', 'data-testid': 'download-returns', disabled: true }, 'Download returns (CSV)'))),
      h('p', {}, h('a', { href: '#/settings' }, 'Settings')));
  }

  // One row of the caseload's table (caseload.rs, row; the review's tag by
  // plan/review.rs, review_flag, from the person's local date).
  function row(s, today) {
    const due = s.review_due;
    const days = due === null ? null : Math.round((due - today) / DAY);
    const flag = days === null || days > 30 ? null
      : days < 0 ? ['tag tag--overdue', 'Review overdue'] : ['tag tag--progress', 'Review due soon'];
    const impact = s.highest_impact ? `${s.highest_impact[0]}: ${s.highest_impact[1]}` : 'Not rated';
    return h('tr', {},
      h('th', { scope: 'row', 'data-label': 'Carer' }, h('a', { href: href(s) }, title(s))),
      h('td', { 'data-label': 'Last shared' }, s.last_shared == null ? 'Never' : longDate(s.last_shared)),
      h('td', { 'data-label': 'Review due' }, due === null ? 'Not set' : longDate(due),
        flag && [' ', h('span', { class: flag[0], 'data-testid': 'review-flag' }, flag[1])]),
      h('td', { 'data-label': 'Highest impact' }, impact),
      h('td', { 'data-label': 'Status' }, h('span', { class: 'tag' }, status(s))));
  }

  // platform/settings.rs, backup_reminder_due.
  function backupDue(now) {
    const recent = (key) => {
      try {
        const t = JSON.parse(localStorage.getItem(key));
        return whole(t) && now - t <= 28 * DAY;
      } catch {
        return false;
      }
    };
    return !recent('csp.last-backup') && !recent('csp.backup-reminder-snoozed');
  }
})();
