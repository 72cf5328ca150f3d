import { BadInputError, TransportError } from '../../src/domain';
import { createJobSlots, createLimiterRedis, limiterKeys, type JobSlotLimits, type JobSlotOptions } from '../../src/limiter';
import { freeServerPort } from '../support/piltover';
import { uniqueName } from '../support/stack';
import { redisPool } from './support/test-limiter';

const pool = redisPool();
afterAll(() => pool.closeAll());

const HOUR = 3_600_000;
const T0 = Date.parse('2031-03-14T14:05:00.000Z');

/** Job slots under a fresh prefix, on a clock the test moves. */
function slotsAt(limits: Partial<JobSlotLimits>, extra: Partial<JobSlotOptions> = {}) {
  const clock = { now: T0 };
  const prefix = `${uniqueName('slots')}:`;
  const slots = createJobSlots({ redis: pool.client(), prefix, limits: { perHour: 100, atOnce: 100, globalAtOnce: 100, ...limits }, clock: () => clock.now, ...extra });
  return { slots, clock, prefix };
}

describe('job slots', () => {
  it('lets a user start so many jobs an hour, says when the next one may start, and lets it start then', async () => {
    const { slots, clock } = slotsAt({ perHour: 2 });
    await expect(slots.claim('u1', 'run-a')).resolves.toEqual({ ok: true });
    clock.now = T0 + 10 * 60_000;
    await expect(slots.claim('u1', 'run-b')).resolves.toEqual({ ok: true });
    await slots.release('u1', 'run-a');
    await slots.release('u1', 'run-b');
    clock.now = T0 + 20 * 60_000;
    // Both finished, but both started this hour: the third waits for the first start to leave the window.
    await expect(slots.claim('u1', 'run-c')).resolves.toEqual({ ok: false, reason: 'hourly', retryAt: '2031-03-14T15:05:00.000Z' });
    // Another user is not held back.
    await expect(slots.claim('u2', 'run-x')).resolves.toEqual({ ok: true });
    clock.now = T0 + HOUR;
    await expect(slots.claim('u1', 'run-c')).resolves.toEqual({ ok: true });
    await expect(slots.claim('u1', 'run-d')).resolves.toEqual({ ok: false, reason: 'hourly', retryAt: '2031-03-14T15:15:00.000Z' });
  });

  it('holds jobs at once per user; a release frees the slot, twice is harmless, a retried claim is granted once', async () => {
    const { slots } = slotsAt({ atOnce: 1, perHour: 2 }, { slotTtlMs: 2 * HOUR });
    await expect(slots.claim('u1', 'run-a')).resolves.toEqual({ ok: true });
    // The same run claiming again (an activity retried after a lost reply) keeps its one slot and one start.
    await expect(slots.claim('u1', 'run-a')).resolves.toEqual({ ok: true });
    await expect(slots.claim('u1', 'run-b')).resolves.toEqual({ ok: false, reason: 'running', retryAt: '2031-03-14T16:05:00.000Z' });
    await expect(slots.release('u1', 'run-a')).resolves.toBe(true);
    await expect(slots.release('u1', 'run-a')).resolves.toBe(false);
    await expect(slots.claim('u1', 'run-b')).resolves.toEqual({ ok: true });
  });

  it('holds jobs at once across users, and frees a slot whose job never gave it back', async () => {
    const { slots, clock } = slotsAt({ globalAtOnce: 2 }, { slotTtlMs: 30 * 60_000 });
    await expect(slots.claim('u1', 'run-a')).resolves.toEqual({ ok: true });
    clock.now = T0 + 60_000;
    await expect(slots.claim('u2', 'run-b')).resolves.toEqual({ ok: true });
    await expect(slots.claim('u3', 'run-c')).resolves.toEqual({ ok: false, reason: 'global', retryAt: '2031-03-14T14:35:00.000Z' });
    // u1's job died without releasing: past its slot's life the slot is free again.
    clock.now = T0 + 30 * 60_000;
    await expect(slots.claim('u3', 'run-c')).resolves.toEqual({ ok: true });
    await expect(slots.release('u1', 'run-a')).resolves.toBe(false);
  });

  it('never lets concurrent claims on separate connections pass the global limit together', async () => {
    const prefix = `${uniqueName('slots')}:`;
    const claims = await Promise.all(
      Array.from({ length: 24 }, (_, i) => createJobSlots({ redis: pool.client(), prefix, limits: { perHour: 10, atOnce: 1, globalAtOnce: 3 } }).claim(`user-${i}`, `run-${i}`)),
    );
    expect(claims.filter((c) => c.ok)).toHaveLength(3);
    expect(new Set(claims.filter((c) => !c.ok).map((c) => (c.ok ? '' : c.reason)))).toEqual(new Set(['global']));
  });

  it("counts on Redis's clock when none is passed in", async () => {
    const redis = pool.client();
    const prefix = `${uniqueName('slots')}:`;
    const slots = createJobSlots({ redis, prefix, limits: { perHour: 1, atOnce: 1, globalAtOnce: 10 } });
    const [before] = await redis.time();
    await expect(slots.claim('u1', 'run-a')).resolves.toEqual({ ok: true });
    const [after] = await redis.time();
    const started = Number(await redis.zscore(limiterKeys(prefix).jobStarts('u1'), 'run-a'));
    expect(started).toBeGreaterThanOrEqual(Number(before) * 1000);
    expect(started).toBeLessThanOrEqual((Number(after) + 1) * 1000);
    await slots.release('u1', 'run-a');
    const refused = await slots.claim('u1', 'run-b');
    expect(refused).toEqual({ ok: false, reason: 'hourly', retryAt: new Date(started + HOUR).toISOString() });
  });

  it('refuses limits below 1, and fails with a clear error when Redis does not answer', async () => {
    expect(() => createJobSlots({ redis: pool.client(), prefix: 'x:', limits: { perHour: 0, atOnce: 1, globalAtOnce: 1 } })).toThrow(BadInputError);
    const port = await freeServerPort();
    const dead = createLimiterRedis(`redis://127.0.0.1:${port}`, { timeoutMs: 300 });
    try {
      const slots = createJobSlots({ redis: dead, prefix: 'x:', limits: { perHour: 1, atOnce: 1, globalAtOnce: 1 }, redisTimeoutMs: 1000 });
      const err = await slots.claim('u1', 'run-a').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as Error).message).toBe(`Redis at 127.0.0.1:${port} is unreachable: no job slot was claimed or released`);
    } finally {
      dead.disconnect();
    }
  });
});
