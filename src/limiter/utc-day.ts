const DAY_MS = 86_400_000;

/** The UTC day of an epoch-ms moment, `YYYY-MM-DD`: daily quotas are counted per such day. */
export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/** The next 00:00 UTC after `nowMs`, in epoch ms: when the daily quotas reset. */
export function nextUtcMidnight(nowMs: number): number {
  return Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS;
}

/** Epoch ms from a Redis `TIME` reply (`[seconds, microseconds]`, as strings). */
export function redisTimeMs(reply: readonly (string | number)[]): number {
  return Number(reply[0]) * 1000 + Math.floor(Number(reply[1]) / 1000);
}
