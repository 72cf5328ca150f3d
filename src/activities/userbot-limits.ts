import type { LimiterStats } from '../limiter';

/** Reads an account's limiter state (the limiter's `getStats`, what `tgpulse limits` prints). */
export type LimiterStatsReader = (account: string) => Promise<LimiterStats>;

const QUOTA_NAMES: Record<string, string> = { MAX_DM_PER_DAY: 'Direct messages', MAX_JOINS_PER_DAY: 'Joins', MAX_GROUPS: 'Groups joined' };

/** "in 3 h 5 min" from now to `iso`. */
function inTime(iso: string, nowMs: number): string {
  const minutes = Math.max(0, Math.ceil((Date.parse(iso) - nowMs) / 60_000));
  const h = Math.floor(minutes / 60);
  return h > 0 ? `in ${h} h ${minutes % 60} min` : `in ${minutes} min`;
}

const hhmm = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/**
 * The answer to `/limits`: per quota what is left today and when it resets (00:00 UTC; the groups ceiling frees
 * on a leave instead), then any pause in force. `nowMs` is passed in, so the "in …" is testable.
 */
export function formatLimits(stats: LimiterStats, nowMs: number): string {
  const lines = [`Telegram limits of account "${stats.account}", today (${stats.day} UTC):`];
  for (const q of stats.quotas) {
    const left = Math.max(0, q.limit - q.used);
    const name = QUOTA_NAMES[q.quota] ?? q.quota;
    const reset = q.resetsAt ? `resets at 00:00 UTC (${inTime(q.resetsAt, nowMs)})` : 'a leave frees a place';
    lines.push(`• ${name}: ${left} of ${q.limit} left (${q.used} used; ${q.quota}); ${reset}`);
  }
  lines.push(stats.pausedUntil ? `• PAUSED until ${hhmm(stats.pausedUntil)} (${inTime(stats.pausedUntil, nowMs)}): Telegram asked us to wait (a flood wait); nothing goes out before then.` : '• No account pause in force.');
  for (const p of stats.groupPauses) lines.push(`• ${p.group} calls paused until ${hhmm(p.until)} (${inTime(p.until, nowMs)})`);
  lines.push(`Calls today: ${stats.calls} (${stats.throttled} had to wait), flood waits: ${stats.floodWaits}.`);
  return lines.join('\n');
}

/** `/limits` on the account worker, over the limiter it was given. */
export function createUserbotLimitActivities(stats: LimiterStatsReader | undefined, now: () => number = Date.now) {
  /** The account's limits as text; says so when this worker was started without its limiter's statistics. */
  async function limitsText(input: { account: string }): Promise<{ text: string }> {
    if (!stats) return { text: `This worker cannot read the limits of account "${input.account}": run tgpulse limits --account ${input.account} on the machine.` };
    return { text: formatLimits(await stats(input.account), now()) };
  }
  return { limitsText };
}
