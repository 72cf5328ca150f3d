const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "1 reply", "3 replies", "1 person", "2 people": pass the plural when adding "s" is wrong. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A wait or a span as people say it: "12 minutes", "5 hours", "3 days", "6 weeks". */
export function duration(ms: number): string {
  if (ms < HOUR) return plural(Math.max(1, Math.round(ms / 60_000)), 'minute');
  if (ms < 2 * DAY) return plural(Math.round(ms / HOUR), 'hour');
  if (ms < 21 * DAY) return plural(Math.round(ms / DAY), 'day');
  return plural(Math.round(ms / (7 * DAY)), 'week');
}

/**
 * When the messages were written, and how busy that was: "on 2022-09-16, over 5 hours", "between 2022-09-16 and
 * 2022-09-17", "between 2026-11-02 and 2026-11-15 (about 29 a day)". A rate per day means nothing for a day or two.
 */
export function rangeText(firstIso: string, lastIso: string, messages: number): string {
  const first = firstIso.slice(0, 10);
  const last = lastIso.slice(0, 10);
  const span = Math.max(0, Date.parse(lastIso) - Date.parse(firstIso));
  if (first === last) return span >= HOUR ? `on ${first}, over ${duration(span)}` : `on ${first}`;
  if (span < 2 * DAY) return `between ${first} and ${last}`;
  const days = Math.ceil(span / DAY);
  const perDay = messages / days;
  const rate = perDay >= 1 ? `about ${Math.round(perDay)} a day` : `about ${Math.max(1, Math.round(perDay * 7))} a week`;
  return `between ${first} and ${last} (${rate})`;
}
