import { BadInputError } from '../../src/domain';
import type { TelegramOp } from '../../src/limiter';
import { maxInWindow, redisPool, testLimiter } from './support/test-limiter';

const pool = redisPool();
afterAll(() => pool.closeAll());

describe('token bucket', () => {
  it('lets a burst through at once, then holds the account to its rate', async () => {
    const limiter = testLimiter(pool.client(), { ratePerSecond: 20, burst: 3 });
    const started = Date.now();
    const grants: number[] = [];
    for (let i = 0; i < 3; i++) grants.push((await limiter.acquire('alice', 'api')).grantedAt);
    // The burst went through without a wait.
    expect((await limiter.getStats('alice')).throttled).toBe(0);
    for (let i = 0; i < 8; i++) grants.push((await limiter.acquire('alice', 'api')).grantedAt);
    // Then 8 more at 20 per second: at least 400 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(395);
    expect(maxInWindow(grants, 1000)).toBeLessThanOrEqual(20 + 3);
    expect((await limiter.getStats('alice')).calls).toBe(11);
  });

  it('keeps accounts apart', async () => {
    const limiter = testLimiter(pool.client(), { ratePerSecond: 1, burst: 1 });
    await limiter.acquire('alice', 'api');
    const waits: string[] = [];
    await limiter.acquire('bob', 'api', { onWait: (w) => waits.push(w.reason) });
    expect(waits).toEqual([]);
  });

  it('stops waiting when the activity is cancelled', async () => {
    const limiter = testLimiter(pool.client(), { ratePerSecond: 0.1, burst: 1 });
    await limiter.acquire('alice', 'api');
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 50);
    const waits: string[] = [];
    await expect(limiter.acquire('alice', 'api', { signal: controller.signal, onWait: (w) => waits.push(w.reason) })).rejects.toBe(reason);
    expect(waits[0]).toBe('rate');
  });

  it('refuses a bad account or operation with a clear error', async () => {
    const limiter = testLimiter(pool.client());
    await expect(limiter.acquire('', 'api')).rejects.toThrow(BadInputError);
    await expect(limiter.acquire('alice', 'send' as TelegramOp)).rejects.toThrow(/unknown Telegram operation "send".*api, dm, join, leave, members/);
  });

  it('refuses settings that let no call through', () => {
    expect(() => testLimiter(pool.client(), { ratePerSecond: 0 })).toThrow(/RATE_RPS/);
  });
});
