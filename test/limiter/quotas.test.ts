import { QuotaExceededError } from '../../src/domain';
import { createLimiter, redisTimeMs, type Limiter } from '../../src/limiter';

import { uniqueName } from '../support/stack';
import { FakeTelegram } from './support/fake-telegram';
import { redisPool } from './support/test-limiter';

const pool = redisPool();
afterAll(() => pool.closeAll());

// Fast enough that the bucket never holds these tests back; smart pauses off unless a test wants them.
const quick = { ratePerSecond: 1000, burst: 50, pauseDmSeconds: 0, pauseJoinSeconds: 0 };

function failures(results: PromiseSettledResult<unknown>[]): unknown[] {
  return results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
}

describe('daily quotas', () => {
  it('never lets concurrent workflows on separate connections pass the DM quota together', async () => {
    const prefix = `${uniqueName('quota')}:`;
    // Ten "workflows", each with its own Redis connection, as separate workers would have.
    const limiters: Limiter[] = Array.from({ length: 10 }, () => createLimiter({ redis: pool.client(), prefix, ...quick, maxDmPerDay: 20 }));
    const telegram = new FakeTelegram('alice');
    const results = await Promise.allSettled(
      limiters.flatMap((limiter) => [1, 2, 3].map(() => limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', 'sent')))),
    );
    const refused = failures(results);
    expect(telegram.calls).toHaveLength(20);
    expect(refused).toHaveLength(10);
    for (const err of refused) {
      expect(err).toBeInstanceOf(QuotaExceededError);
      expect(err).toMatchObject({ quota: 'MAX_DM_PER_DAY', used: 20, limit: 20 });
    }
    const stats = await limiters[0]!.getStats('alice');
    expect(stats.quotas.find((q) => q.quota === 'MAX_DM_PER_DAY')).toMatchObject({ used: 20, limit: 20 });
  });

  it("resets at 00:00 UTC by Redis's clock and says when it will", async () => {
    const redis = pool.client();
    // Redis's clock cannot be set: the test-only shift moves it to just before a midnight, then just after.
    const redisNow = async () => redisTimeMs(await redis.time());
    let shift = Date.parse('2031-03-14T23:59:59.000Z') - (await redisNow());
    const limiter = createLimiter({ redis, prefix: `${uniqueName('quota')}:`, ...quick, maxDmPerDay: 2, testTimeShiftMs: () => shift });
    const telegram = new FakeTelegram('alice');
    const dm = () => limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', 'sent'));
    await dm();
    await dm();
    const err = await dm().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaExceededError);
    expect((err as Error).message).toBe('MAX_DM_PER_DAY quota used up: 2 of 2; it resets at 2031-03-15T00:00:00.000Z');

    shift = Date.parse('2031-03-15T00:00:00.001Z') - (await redisNow());
    await expect(dm()).resolves.toBe('sent');
    expect(telegram.calls).toHaveLength(3);
    expect((await limiter.getStats('alice')).quotas[0]).toEqual({ quota: 'MAX_DM_PER_DAY', used: 1, limit: 2, resetsAt: '2031-03-16T00:00:00.000Z' });
  });

  it('holds the joins per day and the groups ceiling; a leave frees a group', async () => {
    const limiter = createLimiter({ redis: pool.client(), prefix: `${uniqueName('quota')}:`, ...quick, maxJoinsPerDay: 5, maxGroups: 200 });
    const telegram = new FakeTelegram('alice');
    const join = () => limiter.safeCall('alice', 'join', 'channels.JoinChannel', () => telegram.call('channels.JoinChannel', 'joined'));
    const leave = () => limiter.safeCall('alice', 'leave', 'channels.LeaveChannel', () => telegram.call('channels.LeaveChannel', 'left'));
    await limiter.setGroupCount('alice', 199);

    await join();
    const full = await join().catch((e: unknown) => e);
    expect(full).toBeInstanceOf(QuotaExceededError);
    expect(full).toMatchObject({ quota: 'MAX_GROUPS', used: 200, limit: 200, resetsAt: undefined });

    await leave();
    await join();
    // The account left many groups elsewhere: the adapter syncs the count from its dialogs.
    await limiter.setGroupCount('alice', 10);
    await join();
    await join();
    await join();
    const daily = await join().catch((e: unknown) => e);
    expect(daily).toMatchObject({ quota: 'MAX_JOINS_PER_DAY', used: 5, limit: 5 });
    expect(telegram.calls.filter((c) => c.method === 'channels.JoinChannel')).toHaveLength(5);
  });

  it('gives the quota back when Telegram answers a DM with a flood wait (no message was sent)', async () => {
    const limiter = createLimiter({ redis: pool.client(), prefix: `${uniqueName('quota')}:`, ...quick, maxDmPerDay: 1 });
    const telegram = new FakeTelegram('alice').floodNext(1);
    await expect(limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', 'sent'))).rejects.toThrow(/wait 1 s/);
    expect((await limiter.getStats('alice')).quotas[0]!.used).toBe(0);
  });
});
