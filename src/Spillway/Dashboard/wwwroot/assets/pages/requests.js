// Requests: the ledger, newest first, live (Server-Sent Events from /admin/requests/live), filters, older pages and
// one request's detail.
import { getResponse } from '../api.js';
import { el, replace } from '../dom.js';
import { count, ms, time, usd } from '../format.js';
import { chip, trail } from '../outcomes.js';
import { showError } from '../app.js';

const PAGE = 50;

/** The most rows the live table keeps; older ones stay a click away ("Older requests"). */
const MAX_ROWS = 1000;

export async function render(root) {
  const entries = new Map();          // id → entry, everything loaded (live window + older pages)
  let nextBefore = null;

  const filters = {
    alias: el('input', { type: 'search', id: 'filter-alias', placeholder: 'alias', list: 'aliases-seen' }),
    route: el('input', { type: 'search', id: 'filter-route', placeholder: 'route', list: 'routes-seen' }),
    client: el('input', { type: 'search', id: 'filter-client', placeholder: 'client', list: 'clients-seen' }),
    outcome: el('select', { id: 'filter-outcome' }, el('option', { value: '', text: 'any outcome' })),
    paid: el('select', { id: 'filter-paid' },
      el('option', { value: '', text: 'paid or free' }),
      el('option', { value: 'paid', text: 'paid' }),
      el('option', { value: 'free', text: 'free' })),
  };
  const lists = { alias: el('datalist', { id: 'aliases-seen' }), route: el('datalist', { id: 'routes-seen' }), client: el('datalist', { id: 'clients-seen' }) };
  const seen = { alias: new Set(), route: new Set(), client: new Set(), outcome: new Set() };

  const body = el('tbody');
  const table = el('table', { id: 'requests', class: 'data' },
    el('thead', null, el('tr', null, ...['Time', 'Client', 'Format', 'Alias', 'Route', 'Attempts', 'Tokens', 'Cost', 'Saved', 'Latency', 'TTFT']
      .map((name) => el('th', { scope: 'col', text: name })))),
    body);
  const older = el('button', { type: 'button', id: 'requests-older', text: 'Older requests', hidden: true });
  const status = el('p', { class: 'muted', id: 'requests-status' });
  const detail = el('section', { id: 'request-detail', class: 'panel', hidden: true });

  for (const input of Object.values(filters)) input.addEventListener('input', applyFilters);
  replace(root,
    el('h1', { text: 'Requests' }),
    el('form', { class: 'filters', on: { submit: (e) => e.preventDefault() } },
      ...Object.entries(filters).map(([name, input]) => el('label', null, el('span', { text: name }), input)),
      ...Object.values(lists)),
    el('div', { class: 'layout-split' },
      el('div', { class: 'table-wrap' }, table, older, status),
      detail));

  function matches(entry) {
    const contains = (value, filter) => !filter || (value ?? '').toLowerCase().includes(filter.toLowerCase());
    if (!contains(entry.model, filters.alias.value)) return false;
    if (!contains(entry.route, filters.route.value)) return false;
    if (!contains(entry.client_id ?? 'local', filters.client.value)) return false;
    if (filters.outcome.value && !entry.attempts.some((a) => a.outcome === filters.outcome.value)) return false;
    if (filters.paid.value === 'paid' && !(entry.cost_usd > 0)) return false;
    if (filters.paid.value === 'free' && entry.cost_usd > 0) return false;
    return true;
  }

  function applyFilters() {
    for (const row of body.rows) row.hidden = !matches(entries.get(row.dataset.requestId));
  }

  function remember(entry) {
    const add = (kind, value) => {
      if (!value || seen[kind].has(value)) return;
      seen[kind].add(value);
      if (kind === 'outcome') filters.outcome.append(el('option', { value, text: value }));
      else lists[kind].append(el('option', { value }));
    };
    add('alias', entry.model);
    add('route', entry.route);
    add('client', entry.client_id ?? 'local');
    for (const attempt of entry.attempts) add('outcome', attempt.outcome);
  }

  function row(entry) {
    entries.set(entry.id, entry);
    remember(entry);
    const tokens = entry.usage ? `${count(entry.usage.input_tokens)} → ${count(entry.usage.output_tokens)}` : '—';
    const tr = el('tr', { 'data-request-id': entry.id, tabindex: 0, class: entry.status >= 400 ? 'failed' : null },
      el('td', { title: entry.time, text: time(entry.time) }),
      el('td', { text: entry.client_id ?? 'local' }),
      el('td', { text: entry.client_format + (entry.stream ? ' · stream' : '') }),
      el('td', { text: entry.model }),
      el('td', { class: 'route', text: entry.route ?? `— (${entry.status})` }),
      el('td', null, trail(entry.attempts)),
      el('td', { class: 'num', text: tokens }),
      el('td', { class: 'num', text: entry.cost_usd === null ? 'unpriced' : usd(entry.cost_usd) }),
      el('td', { class: 'num', text: usd(entry.saved_usd) }),
      el('td', { class: 'num', text: ms(entry.latency_ms) }),
      el('td', { class: 'num', text: ms(entry.ttft_ms) }));
    tr.hidden = !matches(entry);
    const open = () => showDetail(entry);
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    return tr;
  }

  function showDetail(entry) {
    for (const tr of body.rows) tr.classList.toggle('selected', tr.dataset.requestId === entry.id);
    replace(detail,
      el('header', { class: 'panel-head' },
        el('h2', { text: 'Request' }),
        el('button', { type: 'button', class: 'close', 'aria-label': 'Close', text: '×', on: { click: () => { detail.hidden = true; } } })),
      el('dl', { class: 'facts' },
        ...fact('Id', entry.id), ...fact('Time', entry.time), ...fact('Client', entry.client_id ?? 'local'),
        ...fact('Format', entry.client_format + (entry.stream ? ' (stream)' : '')), ...fact('Alias', entry.model),
        ...fact('Route', entry.route ?? '—'), ...fact('Status', String(entry.status)),
        ...fact('Cost', entry.cost_usd === null ? 'unpriced' : usd(entry.cost_usd)), ...fact('Saved', usd(entry.saved_usd)),
        ...fact('Latency', ms(entry.latency_ms)), ...fact('TTFT', ms(entry.ttft_ms)),
        ...(entry.error ? fact('Error', entry.error) : [])),
      el('h3', { text: `Attempts (${entry.attempts.length})` }),
      el('ol', { class: 'attempts' }, ...entry.attempts.map(attempt)));
    detail.hidden = false;
  }

  function attempt(a) {
    // A translated call's note: "translated openai→anthropic; dropped: cache_control, …".
    const hints = [];
    const note = /^translated (\S+)(?:; dropped: (.+))?$/.exec(a.detail ?? '');
    if (note) {
      hints.push('translated ' + note[1]);
      if (note[2]) hints.push('dropped: ' + note[2]);
    }
    return el('li', { class: 'attempt' },
      el('div', { class: 'attempt-head' }, chip(a.outcome), el('span', { class: 'route', text: a.route })),
      el('dl', { class: 'facts' },
        ...fact('Key', a.key_id ?? '—'), ...fact('Status', a.status === null ? 'no call' : String(a.status)),
        ...fact('Latency', ms(a.latency_ms))),
      ...hints.map((hint) => el('span', { class: 'hint', text: hint })),
      el('p', { class: 'reason', text: a.detail ?? '' }));
  }

  async function loadPage() {
    const path = `/admin/requests?limit=${PAGE}` + (nextBefore ? `&before=${encodeURIComponent(nextBefore)}` : '');
    const response = await getResponse(path);
    const page = await response.json();
    for (const entry of page) if (!entries.has(entry.id)) body.append(row(entry));
    nextBefore = response.headers.get('x-spillway-next-before');
    older.hidden = !nextBefore;
    status.textContent = body.rows.length === 0 ? 'No requests yet. They appear here as they finish.' : '';
  }

  older.addEventListener('click', () => loadPage().catch((e) => showError(e.message)));

  function prepend(entry) {
    if (entries.has(entry.id)) return;
    body.prepend(row(entry));
    status.textContent = '';
    trim();
  }

  // A page left open for days keeps at most MAX_ROWS rows: the oldest go, and "Older requests" reads on from the
  // oldest row still shown, so nothing is out of reach.
  function trim() {
    while (body.rows.length > MAX_ROWS) {
      const last = body.rows[body.rows.length - 1];
      entries.delete(last.dataset.requestId);
      last.remove();
      nextBefore = body.rows[body.rows.length - 1].dataset.requestId;
      older.hidden = false;
    }
  }

  // Live: every finished request, prepended; the first page is loaded after subscribing so none falls in between.
  // table[data-live] says whether the stream is open; after the stream comes back, the newest page fills the gap.
  const live = new EventSource('/admin/requests/live');
  let opened = false;
  live.addEventListener('open', () => {
    table.dataset.live = 'open';
    if (opened) {
      getResponse(`/admin/requests?limit=${PAGE}`).then((r) => r.json())
        .then((page) => { for (const entry of page.reverse()) prepend(entry); })
        .catch((e) => showError(e.message));
    }
    opened = true;
  });
  live.addEventListener('error', () => { table.dataset.live = 'reconnecting'; });
  live.addEventListener('request', (event) => prepend(JSON.parse(event.data)));
  await loadPage();
  return () => live.close();
}

function fact(name, value) {
  return [el('dt', { text: name }), el('dd', { text: value })];
}
