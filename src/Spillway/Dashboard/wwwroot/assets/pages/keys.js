// Keys: every key (id and last four only, never a secret), its windows, cooldowns with a live countdown, and the
// route breakers with their measured latency.
import { getJson } from '../api.js';
import { el, replace } from '../dom.js';
import { count, countdown, dateTime, ms, resetPhrase } from '../format.js';
import { chip } from '../outcomes.js';
import { showError } from '../app.js';

const MEASURES = ['rpm', 'rpd', 'tpm', 'tpd'];

export async function render(root) {
  const keysBody = el('tbody');
  const routesBody = el('tbody');
  replace(root,
    el('h1', { text: 'Keys' }),
    el('div', { class: 'table-wrap' }, el('table', { id: 'keys', class: 'data' },
      el('thead', null, el('tr', null, ...['Key', 'Provider', 'Tier', 'State', 'Windows (used of limit)', 'Cooldown']
        .map((name) => el('th', { scope: 'col', text: name })))),
      keysBody)),
    el('h2', { text: 'Routes' }),
    el('div', { class: 'table-wrap' }, el('table', { id: 'routes', class: 'data' },
      el('thead', null, el('tr', null, ...['Route', 'Breaker', 'Failures', 'Open until', 'Latency', 'TTFT', 'Samples']
        .map((name) => el('th', { scope: 'col', text: name })))),
      routesBody)));

  async function refresh() {
    const [keys, routes] = await Promise.all([getJson('/admin/keys'), getJson('/admin/routes')]);
    replace(keysBody, ...keys.map(keyRow));
    replace(routesBody, ...routes.map(routeRow));
    tick();
  }

  function tick() {
    const now = Date.now();
    for (const span of root.querySelectorAll('.countdown')) span.textContent = countdown(span.dataset.until, now);
  }

  await refresh();
  const ticker = setInterval(tick, 1000);
  const poller = setInterval(() => refresh().catch((e) => showError(e.message)), 5000);
  return () => { clearInterval(ticker); clearInterval(poller); };
}

function keyRow(key) {
  return el('tr', { 'data-key-id': key.id, class: 'state-' + key.state },
    el('td', null, el('strong', { text: key.id }), ' ', el('span', { class: 'muted', text: key.secret_hint })),
    el('td', { text: key.provider + (key.simulated ? ' (simulated)' : '') }),
    el('td', { text: key.tier }),
    el('td', null, el('span', { class: 'badge state-' + key.state, text: key.state })),
    el('td', null, windows(key)),
    el('td', null, ...cooldowns(key)));
}

function windows(key) {
  const blocks = [];
  const scopes = [{ name: null, figures: key }, ...key.models.map((m) => ({ name: m.model, figures: m }))];
  for (const { name, figures } of scopes) {
    const rows = MEASURES.map((measure) => windowRow(measure, figures)).filter(Boolean);
    if (rows.length === 0) continue;
    blocks.push(el('div', { class: 'windows' }, name ? el('div', { class: 'muted small', text: name }) : null, ...rows));
  }
  return blocks.length ? el('div', null, ...blocks) : el('span', { class: 'muted', text: 'no known limits' });
}

function windowRow(measure, figures) {
  const limit = figures.limits[measure];
  const remaining = figures.remaining[measure];
  if (limit === null && remaining === null) return null;
  const inferred = figures.limits_inferred.includes(measure) ? ' (inferred)' : '';
  const parts = [el('span', { class: 'measure', text: measure })];
  if (limit !== null && remaining !== null) {
    const used = Math.max(0, limit - remaining);
    parts.push(el('meter', { min: 0, max: limit, value: used, low: limit * 0.7, high: limit * 0.9, optimum: 0 }));
    parts.push(el('span', { class: 'small', text: `${count(used)} / ${count(limit)}${inferred}` }));
  } else if (limit !== null) {
    parts.push(el('span', { class: 'small', text: `limit ${count(limit)}${inferred}` }));
  } else {
    parts.push(el('span', { class: 'small', text: `${count(remaining)} left (from headers)` }));
  }
  const reset = figures.resets[measure];
  if (reset) parts.push(el('span', { class: 'muted small', title: reset, text: 'resets ' + dateTime(reset) }));
  return el('div', { class: 'window' }, ...parts);
}

function cooldowns(key) {
  if (key.cooldowns.length === 0) return [el('span', { class: 'muted', text: '—' })];
  return key.cooldowns.map((c) => el('div', { class: 'cooldown' },
    el('span', { class: 'countdown', 'data-until': c.until, text: countdown(c.until) }),
    ' ',
    el('time', { datetime: c.until, class: 'small', text: 'back at ' + dateTime(c.until) }),
    c.model ? el('span', { class: 'muted small', text: ' · ' + c.model }) : null,
    el('div', { class: 'reason small' }, chip(c.outcome), ' ', el('span', { text: c.reason + resetPhrase(c.until) }))));
}

function routeRow(route) {
  const breaker = route.breaker;
  return el('tr', { 'data-route': route.route },
    el('td', { class: 'route', text: route.route }),
    el('td', null, el('span', { class: 'badge breaker-' + breaker.state, text: breaker.state }),
      breaker.last_failure ? el('div', { class: 'reason small' }, chip(breaker.last_failure.outcome), ' ',
        el('span', { text: breaker.last_failure.reason + ' (' + dateTime(breaker.last_failure.at) + ')' })) : null),
    el('td', { class: 'num', text: count(breaker.failures) }),
    el('td', { text: breaker.open_until ? dateTime(breaker.open_until) : '—' }),
    el('td', { class: 'num', text: ms(route.latency_ms) }),
    el('td', { class: 'num', text: ms(route.ttft_ms) }),
    el('td', { class: 'num', text: count(route.samples) }));
}
