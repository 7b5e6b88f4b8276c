// Number, money and time formatting shared by the pages.

/**
 * US dollars with a leading $, at least 2 and up to 6 decimals: $0.000113, $1.50. Halves round up in decimal, as the
 * server's own figures do ($0.0000135 → $0.000014), not by the float's binary value.
 */
export function usd(value) {
  if (value === null || value === undefined) return '—';
  const number = Number(value);
  const sign = number < 0 ? '-' : '';
  const micros = (BigInt(Math.abs(number).toFixed(12).replace('.', '')) + 500000n) / 1000000n;
  const digits = micros.toString().padStart(7, '0');
  const fraction = digits.slice(-6).replace(/0{1,4}$/, '');
  return sign + '$' + digits.slice(0, -6) + '.' + fraction;
}

export function ms(value) {
  if (value === null || value === undefined) return '—';
  return value >= 1000 ? (value / 1000).toFixed(2) + ' s' : Math.round(value) + ' ms';
}

export function count(value) {
  return value === null || value === undefined ? '—' : Number(value).toLocaleString('en-US');
}

export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return date.toLocaleTimeString('en-GB', { hour12: false });
}

export function dateTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return date.toLocaleString('en-GB', { hour12: false, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * ", resets 00:00 PT" when a moment is a midnight the providers reset their day at (Pacific for Gemini, UTC for
 * others), so a per-day cooldown says which day boundary it waits for; "" for any other moment.
 */
export function resetPhrase(untilIso) {
  const date = new Date(untilIso);
  if (Number.isNaN(date.getTime()) || date.getUTCMilliseconds() !== 0 || date.getUTCSeconds() !== 0) return '';
  for (const [zone, name] of [['America/Los_Angeles', 'PT'], ['UTC', 'UTC']]) {
    const clock = date.toLocaleTimeString('en-GB', { timeZone: zone, hour12: false });
    if (clock === '00:00:00') return `, resets 00:00 ${name}`;
  }
  return '';
}

/** "1h 02m 05s" until a moment; "now" once it has passed. */
export function countdown(untilIso, now = Date.now()) {
  let seconds = Math.ceil((new Date(untilIso).getTime() - now) / 1000);
  if (!(seconds > 0)) return 'now';
  const days = Math.floor(seconds / 86400); seconds -= days * 86400;
  const hours = Math.floor(seconds / 3600); seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60); seconds -= minutes * 60;
  const pad = (n) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${pad(hours)}h ${pad(minutes)}m`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m ${pad(seconds)}s`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

/** The provider of a route "provider/model…". */
export function providerOf(route) {
  const slash = route.indexOf('/');
  return slash < 0 ? route : route.slice(0, slash);
}
