// Clients: each client's allowances, today's and this month's spend against its budget, money held in flight.
import { getJson } from '../api.js';
import { el, replace } from '../dom.js';
import { count, dateTime, usd } from '../format.js';

export async function render(root) {
  const clients = await getJson('/admin/clients');
  replace(root,
    el('h1', { text: 'Clients' }),
    clients.length === 0
      ? el('p', { class: 'muted', text: 'No clients configured: loopback callers use the gateway as the local client, with no budget.' })
      : el('div', { class: 'table-wrap' }, el('table', { id: 'clients', class: 'data' },
        el('thead', null, el('tr', null, ...['Client', 'Allowances', 'Today', 'This month', 'Held in flight'].map((n) => el('th', { scope: 'col', text: n })))),
        el('tbody', null, ...clients.map(row)))));
}

function row(c) {
  const b = c.budget;
  return el('tr', { 'data-client-id': c.id },
    el('td', null, el('strong', { text: c.id })),
    el('td', null,
      el('div', { class: 'small', text: c.allow_paid ? 'paid allowed' : 'free only' }),
      el('div', { class: 'small', text: 'data: ' + c.data_policy }),
      el('div', { class: 'small', text: 'rpm: ' + (c.rpm === null ? 'no limit' : count(c.rpm)) }),
      el('div', { class: 'small', text: 'models: ' + (c.models.length ? c.models.join(', ') : 'any') })),
    el('td', null, budget(b.spent_today_usd, b.usd_per_day, b.day_resets_at)),
    el('td', null, budget(b.spent_this_month_usd, b.usd_per_month, b.month_resets_at)),
    el('td', { class: 'num', text: usd(b.held_usd) }));
}

function budget(spent, limit, resets) {
  return el('div', { class: 'budget' },
    limit === null ? null : el('meter', { min: 0, max: limit, value: Math.min(spent, limit), low: limit * 0.7, high: limit * 0.9, optimum: 0 }),
    el('span', { class: 'small', text: limit === null ? `${usd(spent)} (no budget)` : `${usd(spent)} of ${usd(limit)}` }),
    limit === null ? null : left(spent, limit),
    el('span', { class: 'muted small', title: resets, text: 'resets ' + dateTime(resets) }));
}

// What the budget still allows; once it is spent, paid calls are refused (skipped_budget) until it resets.
function left(spent, limit) {
  return spent >= limit
    ? el('span', { class: 'badge budget-spent', text: 'budget spent: paid calls refused' })
    : el('span', { class: 'small', text: `${usd(limit - spent)} left` });
}
