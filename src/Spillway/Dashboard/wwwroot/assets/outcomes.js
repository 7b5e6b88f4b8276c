// Attempt outcomes shown as coloured chips: <span class="chip outcome-rate_limited" data-outcome="rate_limited">.
import { el } from './dom.js';

export function chip(outcome) {
  return el('span', { class: 'chip outcome-' + outcome.replace(/[^a-z0-9_-]/gi, '_') + ' ' + kindOf(outcome), 'data-outcome': outcome, text: outcome });
}

/** The trail of one request's attempts: rate_limited → skipped_cooldown → ok. */
export function trail(attempts) {
  const span = el('span', { class: 'trail' });
  attempts.forEach((attempt, index) => {
    if (index > 0) span.append(el('span', { class: 'arrow', 'aria-hidden': 'true', text: '→' }));
    span.append(chip(attempt.outcome));
  });
  return span;
}

function kindOf(outcome) {
  if (outcome === 'ok') return 'good';
  if (outcome.startsWith('skipped')) return 'skipped';
  if (/rate_limited|quota|cooldown|overloaded|budget/.test(outcome)) return 'warn';
  return 'bad';
}
