// Models: the aliases and their chains; the live free-model catalog with its refresh time and last error.
import { getJson } from '../api.js';
import { el, replace } from '../dom.js';
import { count, dateTime } from '../format.js';

export async function render(root) {
  const [aliases, catalog] = await Promise.all([getJson('/admin/models'), getJson('/admin/catalog/free')]);
  replace(root,
    el('h1', { text: 'Models' }),
    el('section', { id: 'aliases' },
      el('h2', { text: 'Aliases' }),
      ...aliases.map((alias) => el('article', { class: 'alias panel', 'data-alias': alias.id },
        el('h3', null, alias.id, ' ', el('span', { class: 'badge', text: alias.strategy }),
          alias.embeddings ? el('span', { class: 'badge', text: 'embeddings' }) : null),
        el('ol', { class: 'chain' }, ...alias.route.map((route) => el('li', { class: 'route', text: route })))))),
    catalogSection(catalog));
}

function catalogSection(catalog) {
  const section = el('section', { id: 'catalog' }, el('h2', { text: 'Free-model catalog' }));
  if (catalog.catalogs.length === 0) {
    section.append(el('p', { class: 'muted', text: 'No live catalog: no provider here publishes its free models.' }));
    return section;
  }
  for (const c of catalog.catalogs) {
    section.append(el('div', { class: 'panel catalog-source', 'data-source': c.source },
      el('h3', { text: c.source }),
      el('p', { class: 'small' },
        `${count(c.free_count)} free of ${count(c.model_count)} models · refreshed `,
        el('time', { datetime: c.refreshed_at ?? '', text: c.refreshed_at ? dateTime(c.refreshed_at) : 'never' })),
      c.last_error ? el('p', { class: 'reason error small', text: `Last error at ${dateTime(c.last_error.at)}: ${c.last_error.reason ?? 'unknown'}` }) : null));
  }
  if (catalog.models.length === 0) {
    section.append(el('p', { class: 'muted', text: 'No free model is listed by these catalogs right now.' }));
    return section;
  }
  section.append(el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
    el('thead', null, el('tr', null, ...['Route', 'Name', 'Context', 'Tools', 'Vision', 'JSON'].map((n) => el('th', { scope: 'col', text: n })))),
    el('tbody', null, ...catalog.models.map((m) => el('tr', null,
      el('td', { class: 'route', text: m.route }), el('td', { text: m.name ?? m.id }),
      el('td', { class: 'num', text: count(m.context_length) }),
      el('td', { text: yes(m.capabilities.tools) }), el('td', { text: yes(m.capabilities.vision) }), el('td', { text: yes(m.capabilities.json) })))))));
  return section;
}

function yes(value) {
  return value === true ? 'yes' : value === false ? 'no' : '?';
}
