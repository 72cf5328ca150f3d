import { createLimiter } from '../../src/limiter';
import { testStack, uniqueName } from '../support/stack';
import { runLimiterProcess, startLimiterProcess } from './support/spawn';
import { maxInWindow, redisPool } from './support/test-limiter';

const pool = redisPool();
afterAll(() => pool.closeAll());

describe('one account shared by several OS processes', () => {
  it('stays within the rate together', async () => {
    const rate = 10;
    const burst = 2;
    const durationMs = 2000;
    const prefix = `${uniqueName('mp')}:`;
    const job = { mode: 'grants', redisUrl: testStack().redisUrl, prefix, account: 'shared', ratePerSecond: rate, burst, callers: 2, durationMs };
    const procs = [1, 2, 3, 4].map(() => startLimiterProcess<{ grants: number[] }>(job));
    // All begin at the same moment, once every one is up.
    await Promise.all(procs.map((p) => p.ready));
    const startAt = Date.now() + 200;
    procs.forEach((p) => p.go(startAt));
    const results = await Promise.all(procs.map((p) => p.result));
    const grants = results.flatMap((r) => r.grants);

    expect(maxInWindow(grants, 1000)).toBeLessThanOrEqual(rate + burst);
    expect(grants.length).toBeLessThanOrEqual(burst + Math.ceil((rate * durationMs) / 1000));
    // Not a speed claim (that is the benchmark): the shared bucket still lets work through.
    expect(grants.length).toBeGreaterThan(burst);
  });

  it('honours a flood-wait pause set by another process', async () => {
    const prefix = `${uniqueName('mp')}:`;
    const seen = await runLimiterProcess<{ error: string; pausedUntil?: string }>({
      mode: 'flood',
      redisUrl: testStack().redisUrl,
      prefix,
      account: 'shared',
      ratePerSecond: 100,
      burst: 5,
      // Long enough that the child's exit and this acquire surely fall inside the pause on a busy machine.
      floodSeconds: 6,
    });
    expect(seen.error).toBe('FloodWaitError');
    expect(seen.pausedUntil).toBeDefined();
    const pausedUntil = Date.parse(seen.pausedUntil!);

    const limiter = createLimiter({ redis: pool.client(), prefix, ratePerSecond: 100, burst: 5 });
    const waits: string[] = [];
    const got = await limiter.acquire('shared', 'api', { onWait: (w) => waits.push(w.reason) });
    expect(got.grantedAt).toBeGreaterThanOrEqual(pausedUntil);
    expect(waits).toContain('flood');
    expect((await limiter.getStats('shared')).floodWaits).toBe(1);
  });
});
