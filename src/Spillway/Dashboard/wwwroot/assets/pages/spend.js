// Spend: the last 30 days of paid cost and free-tier savings, stacked by provider; totals by route and by client;
// calls with no known price.
import { getJson } from '../api.js';
import { el, replace } from '../dom.js';
import { count, providerOf, usd } from '../format.js';
import { stackedBars } from '../chart.js';

const DAYS = 30;

export async function render(root) {
  const usage = await getJson(`/admin/usage?days=${DAYS}`);

  const days = lastDays(DAYS);
  const byDay = new Map(usage.days.map((day) => [day.day, day]));
  const providers = [...new Set(usage.days.flatMap((day) => day.routes.map((r) => providerOf(r.route))))].sort();
  const series = providers.map((name, index) => ({ name, cls: 'series-' + (index % 8) }));
  // The two bars of a day: solid for what was paid, pale for what the free tiers saved; colour is the provider.
  const groups = [{ name: 'paid cost (solid)', cls: 'cost', field: 'cost_usd' }, { name: 'free-tier saving (pale)', cls: 'saved', field: 'saved_usd' }];

  let cost = 0, saved = 0;
  for (const day of usage.days) { cost += day.cost_usd; saved += day.saved_usd; }

  const chart = stackedBars({
    id: 'spend-chart',
    title: `Paid cost and free-tier savings per day, last ${DAYS} days, stacked by provider`,
    categories: days,
    groups,
    series,
    format: usd,
    value: (day, group, layer) => (byDay.get(day)?.routes ?? [])
      .filter((r) => providerOf(r.route) === layer.name)
      .reduce((sum, r) => sum + r[group.field], 0),
  });

  replace(root,
    el('h1', { text: 'Spend' }),
    el('div', { class: 'totals' },
      total('Paid cost', 'spend-cost-total', usd(cost)),
      total('Saved on free tiers', 'spend-saved-total', usd(saved)),
      total('Requests', 'spend-requests-total', count(usage.total.requests))),
    el('p', { class: 'muted small', text: `Since ${usage.since} (UTC days).` }),
    el('div', { class: 'chart-wrap' }, chart),
    legend(series, groups),
    unpriced(usage),
    el('div', { class: 'columns' },
      el('section', null, el('h2', { text: 'By route' }), routesTable(usage)),
      el('section', null, el('h2', { text: 'By client' }), clientsTable(usage.clients))));
}

function lastDays(n) {
  const days = [];
  const today = new Date();
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i));
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

function total(label, id, value) {
  return el('div', { class: 'total' }, el('span', { class: 'muted', text: label }), el('output', { id, text: value }));
}

function legend(series, groups) {
  return el('ul', { class: 'legend' },
    ...groups.map((g) => el('li', null, el('span', { class: 'swatch group ' + g.cls }), g.name)),
    ...series.map((s) => el('li', null, el('span', { class: 'swatch ' + s.cls + ' cost' }), s.name)));
}

function unpriced(usage) {
  const calls = usage.total.unpriced_requests;
  const box = el('section', { id: 'unpriced', class: calls > 0 ? 'panel warn' : 'panel' },
    el('h2', { text: 'Unpriced calls' }),
    el('p', null, el('output', { id: 'spend-unpriced-total', text: count(calls) }),
      ' paid calls in these days had no known price, so their cost is not in the totals.'));
  if (usage.unpriced_since_start.length > 0) {
    box.append(el('ul', null, ...usage.unpriced_since_start.map((u) => el('li', null, el('span', { class: 'route', text: u.route }), ` · ${count(u.calls)} calls since start`))));
  }
  if (calls > 0 || usage.unpriced_since_start.length > 0) {
    box.append(el('p', { class: 'small', text: 'To price them, give the model its prices under the provider\u2019s pricing in the config (per million input and output tokens), then restart.' }));
  }
  return box;
}

function routesTable(usage) {
  const sums = new Map();
  for (const day of usage.days) {
    for (const r of day.routes) {
      const s = sums.get(r.route) ?? { requests: 0, cost: 0, saved: 0, unpriced: 0 };
      s.requests += r.requests; s.cost += r.cost_usd; s.saved += r.saved_usd; s.unpriced += r.unpriced_requests;
      sums.set(r.route, s);
    }
  }
  const rows = [...sums.entries()].sort((a, b) => b[1].cost - a[1].cost || b[1].requests - a[1].requests);
  return el('div', { class: 'table-wrap' }, el('table', { id: 'spend-routes', class: 'data' },
    el('thead', null, el('tr', null, ...['Route', 'Requests', 'Cost', 'Saved', 'Unpriced'].map((n) => el('th', { scope: 'col', text: n })))),
    el('tbody', null, ...rows.map(([route, s]) => el('tr', { 'data-route': route },
      el('td', { class: 'route', text: route }), el('td', { class: 'num', text: count(s.requests) }),
      el('td', { class: 'num', text: usd(s.cost) }), el('td', { class: 'num', text: usd(s.saved) }),
      el('td', { class: 'num', text: count(s.unpriced) }))))));
}

// The same days as the chart, per client (the ledger's totals); anonymous loopback callers are "local".
function clientsTable(clients) {
  if (clients.length === 0) return el('p', { class: 'muted', text: 'No request served in these days.' });
  return el('div', { class: 'table-wrap' }, el('table', { id: 'spend-clients', class: 'data' },
    el('thead', null, el('tr', null, ...['Client', 'Requests', 'Cost', 'Saved'].map((n) => el('th', { scope: 'col', text: n })))),
    el('tbody', null, ...clients.map((c) => el('tr', { 'data-client-id': c.client_id ?? 'local' },
      el('td', { text: c.client_id ?? 'local' }), el('td', { class: 'num', text: count(c.requests) }),
      el('td', { class: 'num', text: usd(c.cost_usd) }), el('td', { class: 'num', text: usd(c.saved_usd) }))))));
}
