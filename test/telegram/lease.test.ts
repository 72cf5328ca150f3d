import Redis from 'ioredis';
import { TransportError } from '../../src/domain';
import { AccountLease, SessionInUseError, telegramKeys } from '../../src/telegram';
import { testStack, uniqueName } from '../support/stack';

describe('AccountLease: one live connection per account', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testStack().redisUrl);
  });
  afterAll(async () => {
    await redis.quit();
  });

  test('a second process is denied, with the holder named, until the first releases', async () => {
    const keys = telegramKeys(`${uniqueName('lease')}:`);
    const first = await AccountLease.acquire(redis, keys, 'work', { holder: 'worker-a:101' });
    const denied = await AccountLease.acquire(redis, keys, 'work', { holder: 'cli:202' }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(SessionInUseError);
    expect((denied as Error).message).toMatch(/Account "work" is connected to Telegram by worker-a:101 since \d{4}-\d\d-\d\dT/);
    expect((denied as Error).message).toMatch(/Stop that process first/);
    // Another account is independent.
    const other = await AccountLease.acquire(redis, keys, 'home');
    await first.release();
    const second = await AccountLease.acquire(redis, keys, 'work', { holder: 'cli:202' });
    await second.release();
    await other.release();
  });

  test('a crashed holder\'s lease runs out, and a waiting process takes it over', async () => {
    const keys = telegramKeys(`${uniqueName('lease')}:`);
    // A holder that never renews: written as a crashed process would have left it.
    await redis.set(keys.lease('work'), JSON.stringify({ holder: 'crashed:1', since: new Date().toISOString(), token: 'x' }), 'PX', 300);
    const lease = await AccountLease.acquire(redis, keys, 'work', { waitMs: 3000 });
    expect(lease.lost.aborted).toBe(false);
    await lease.release();
  });

  test('renewal keeps the lease past its TTL; a stolen lease is reported as lost and never deleted by the old holder', async () => {
    const keys = telegramKeys(`${uniqueName('lease')}:`);
    // Renewed every third of its TTL: a stall of over a second on a busy machine still leaves it held.
    const lease = await AccountLease.acquire(redis, keys, 'work', { ttlMs: 2000 });
    await new Promise((r) => setTimeout(r, 4500));
    expect(await redis.pttl(keys.lease('work'))).toBeGreaterThan(0);
    expect(await lease.renew()).toBe(true);
    // Someone else holds it now (as after a long stall past the TTL).
    await redis.set(keys.lease('work'), JSON.stringify({ holder: 'thief:9', since: new Date().toISOString(), token: 'y' }), 'PX', 10_000);
    expect(await lease.renew()).toBe(false);
    expect(lease.lost.aborted).toBe(true);
    expect(lease.lost.reason).toBeInstanceOf(TransportError);
    await lease.release();
    expect(await redis.get(keys.lease('work'))).toContain('thief:9');
  });

  test('Redis down: a clear transport error', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const err = await AccountLease.acquire(dead, telegramKeys('x:'), 'work').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/Cannot reach Redis to take the connection lease of account "work"/);
    dead.disconnect();
  });
});
