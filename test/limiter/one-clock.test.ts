import type Redis from 'ioredis';
import { createLimiter, nextUtcMidnight, redisTimeMs, utcDay } from '../../src/limiter';
import { clockLua } from '../../src/limiter/scripts';
import { testStack, uniqueName } from '../support/stack';
import { FakeTelegram } from './support/fake-telegram';
import { runLimiterProcess } from './support/spawn';
import { redisPool } from './support/test-limiter';

const pool = redisPool();
afterAll(() => pool.closeAll());

/** Runs the limiter's own clock Lua on Redis: the UTC day and the next midnight of a moment, as the scripts see them. */
async function luaDay(redis: Redis, ms: number): Promise<[string, number]> {
  const [day, midnight] = (await redis.eval(`${clockLua()}\nlocal ms = tonumber(ARGV[2])\nreturn {utc_day(ms), next_utc_midnight(ms)}`, 0, 0, ms)) as [string, number];
  return [day, Number(midnight)];
}

describe('the UTC day, from the moment Redis gives', () => {
  const cases: [string, string, string][] = [
    ['2031-03-14T23:59:59.999Z', '2031-03-14', '2031-03-15T00:00:00.000Z'],
    ['2031-03-15T00:00:00.000Z', '2031-03-15', '2031-03-16T00:00:00.000Z'],
    ['2031-03-15T00:00:00.001Z', '2031-03-15', '2031-03-16T00:00:00.000Z'],
    ['2028-02-28T23:59:59.999Z', '2028-02-28', '2028-02-29T00:00:00.000Z'],
    ['2028-02-29T00:00:00.000Z', '2028-02-29', '2028-03-01T00:00:00.000Z'],
    ['2030-12-31T23:59:59.999Z', '2030-12-31', '2031-01-01T00:00:00.000Z'],
    ['2031-01-01T00:00:00.000Z', '2031-01-01', '2031-01-02T00:00:00.000Z'],
    ['2100-03-01T00:00:00.000Z', '2100-03-01', '2100-03-02T00:00:00.000Z'],
    ['1970-01-01T00:00:00.000Z', '1970-01-01', '1970-01-02T00:00:00.000Z'],
  ];

  it.each(cases)('%s is on %s in the Lua scripts and in TypeScript, and resets at %s', async (moment, day, reset) => {
    const ms = Date.parse(moment);
    const [lua, midnight] = await luaDay(pool.client(), ms);
    expect(lua).toBe(day);
    expect(new Date(midnight).toISOString()).toBe(reset);
    expect(utcDay(ms)).toBe(day);
    expect(new Date(nextUtcMidnight(ms)).toISOString()).toBe(reset);
  });

  it('agrees with TypeScript on every day of four years, midnight and the millisecond before it', async () => {
    const redis = pool.client();
    const start = Date.parse('2027-01-01T00:00:00.000Z');
    const days = 4 * 366;
    const moments = Array.from({ length: days }, (_, i) => [start + i * 86_400_000, start + i * 86_400_000 - 1]).flat();
    const script = `${clockLua()}\nlocal out = {}\nfor i = 2, #ARGV do out[#out + 1] = utc_day(tonumber(ARGV[i])) end\nreturn out`;
    const lua = (await redis.eval(script, 0, 0, ...moments)) as string[];
    expect(lua).toEqual(moments.map(utcDay));
  });

  it('reads epoch ms from a TIME reply', () => {
    expect(redisTimeMs(['1931903999', '999999'])).toBe(1_931_903_999_999);
    expect(utcDay(redisTimeMs(['1931903999', '999999']))).toBe('2031-03-21');
    expect(utcDay(redisTimeMs(['1931904000', '0']))).toBe('2031-03-22');
  });
});

describe('one clock for every host', () => {
  const base = { redisUrl: testStack().redisUrl, ratePerSecond: 100, burst: 5 };

  it('a host 2 s ahead or behind waits out a flood pause to the same moment as the host that set it', async () => {
    const job = { ...base, prefix: `${uniqueName('clock')}:`, account: 'alice' };
    const set = await runLimiterProcess<{ pausedUntil: string }>({ ...job, mode: 'flood', floodSeconds: 30 });
    type Probe = { waitMs: number; redisBefore: number; pausedUntil: string; ownSkewMs: number };
    for (const skew of [2000, -2000]) {
      const probe = await runLimiterProcess<Probe>({ ...job, mode: 'probe', clockSkewMs: skew });
      // The skew was real: that process's own wall clock was off by it.
      expect(Math.abs(probe.ownSkewMs - skew)).toBeLessThan(200);
      expect(probe.pausedUntil).toBe(set.pausedUntil);
      // It is told to wait until the pause's end by Redis's clock (a skewed clock would be 2,000 ms off).
      const remaining = Date.parse(set.pausedUntil) - probe.redisBefore;
      expect(Math.abs(probe.waitMs - remaining)).toBeLessThan(500);
    }
  });

  it('two hosts 24 h apart share one daily DM quota: 20, not 40', async () => {
    const job = { ...base, prefix: `${uniqueName('clock')}:`, account: 'alice', mode: 'dm', dms: 15, maxDmPerDay: 20 };
    // 24 h apart: whatever the real time, one of them is on one side of a midnight and the other on the other.
    const [early, late] = await Promise.all([
      runLimiterProcess<{ sent: number; refused: number }>({ ...job, clockSkewMs: -12 * 3_600_000 }),
      runLimiterProcess<{ sent: number; refused: number }>({ ...job, clockSkewMs: 12 * 3_600_000 }),
    ]);
    expect(early.sent + late.sent).toBe(20);
    expect(early.refused + late.refused).toBe(10);
  });

  it("counts a DM on Redis's UTC day and resets at Redis's next midnight", async () => {
    const redis = pool.client();
    const prefix = `${uniqueName('clock')}:`;
    const limiter = createLimiter({ redis, prefix, ratePerSecond: 100, burst: 5, pauseDmSeconds: 0 });
    const before = redisTimeMs(await redis.time());
    await limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => new FakeTelegram('alice').call('messages.SendMessage', 1));
    const stats = await limiter.getStats('alice');
    const after = redisTimeMs(await redis.time());
    // Run across a real midnight, either side is right; otherwise both are the same day.
    expect([utcDay(before), utcDay(after)]).toContain(stats.day);
    expect(stats.quotas[0]).toEqual({ quota: 'MAX_DM_PER_DAY', used: 1, limit: 20, resetsAt: new Date(nextUtcMidnight(Date.parse(`${stats.day}T00:00:00Z`))).toISOString() });
    const ttl = await redis.pttl(`${prefix}limiter:{alice}:quota:dm:${stats.day}`);
    expect(ttl).toBeGreaterThan(nextUtcMidnight(after) - after);
  });
});
