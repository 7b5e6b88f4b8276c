// The dashboard shell: the hash router (#/requests, #/keys, #/spend, #/models, #/clients), the demo banner and the
// "Log out" button (shown only when an admin token guards the page; without one there is no session to end).
import { getJson } from './api.js';
import { el, replace } from './dom.js';

const pages = {
  requests: () => import('./pages/requests.js'),
  keys: () => import('./pages/keys.js'),
  spend: () => import('./pages/spend.js'),
  models: () => import('./pages/models.js'),
  clients: () => import('./pages/clients.js'),
};

const main = document.getElementById('page');
const errorBanner = document.getElementById('page-error');
let dispose = null;
let generation = 0;

export function showError(message) {
  errorBanner.textContent = message;
  errorBanner.hidden = !message;
}

async function route() {
  const name = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  if (!(name in pages)) {
    location.replace('#/requests');
    return;
  }
  const current = ++generation;
  dispose?.();
  dispose = null;
  showError('');
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.getAttribute('href') === '#/' + name);
    if (link.getAttribute('href') === '#/' + name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  replace(main, el('p', { class: 'muted', text: 'Loading…' }));
  try {
    const page = await pages[name]();
    if (current !== generation) return;
    const section = el('div', { class: 'page page-' + name });
    replace(main, section);
    const cleanup = await page.render(section, { isCurrent: () => current === generation });
    if (current === generation) dispose = cleanup ?? null;
    else cleanup?.();
  } catch (error) {
    if (current === generation) showError(error.message);
  }
}

async function banner() {
  try {
    const health = await getJson('/healthz');
    document.getElementById('demo-banner').hidden = health.demo !== true;
  } catch {
    // The banner is a hint; the pages say what failed.
  }
}

async function logout() {
  try {
    const session = await getJson('/ui/session');
    document.getElementById('logout').hidden = session.token_required !== true;
  } catch {
    // Without an answer the button stays hidden; the pages say what failed.
  }
}

window.addEventListener('hashchange', route);
banner();
logout();
route();
