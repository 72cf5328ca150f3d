import { FloodWaitError, RemoteRefusedError } from '../../src/domain';
import { AccountPausedError, createLimiter, type WaitInfo } from '../../src/limiter';
import { metricsRegistry } from '../../src/observability';
import { uniqueName } from '../support/stack';
import { FakeTelegram } from './support/fake-telegram';
import { redisPool } from './support/test-limiter';

const pool = redisPool();
afterAll(() => pool.closeAll());

const quick = { ratePerSecond: 1000, burst: 50, pauseDmSeconds: 0, pauseJoinSeconds: 0 };

function limiterFor(settings: object) {
  return createLimiter({ redis: pool.client(), prefix: `${uniqueName('pause')}:`, ...quick, ...settings });
}

describe('flood-wait pause', () => {
  it('pauses the whole account: no Telegram call until it ends, long waits handed to the workflow', async () => {
    const limiter = limiterFor({ floodTimerThresholdSeconds: 60 });
    const telegram = new FakeTelegram('alice').floodNext(3600);
    const first = await limiter.safeCall('alice', 'api', 'messages.GetHistory', () => telegram.call('messages.GetHistory', 1)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(FloodWaitError);
    expect(first).toMatchObject({ seconds: 3600, account: 'alice' });

    // Every kind of call of the account now fails at once, without calling Telegram.
    for (const op of ['api', 'dm', 'members'] as const) {
      const err = await limiter.safeCall('alice', op, 'messages.GetHistory', () => telegram.call('messages.GetHistory', 1)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AccountPausedError);
      expect((err as AccountPausedError).seconds).toBeGreaterThan(3590);
      expect((err as Error).message).toMatch(/account alice is paused after a Telegram flood wait until .*: no Telegram call was made/);
    }
    expect(telegram.calls).toHaveLength(1);
    const stats = await limiter.getStats('alice');
    expect(stats.floodWaits).toBe(1);
    expect(Date.parse(stats.pausedUntil!) - Date.now()).toBeGreaterThan(3590_000);
    // Another account is not held back.
    await expect(limiter.safeCall('bob', 'api', 'messages.GetHistory', () => telegram.call('messages.GetHistory', 2))).resolves.toBe(2);
  });

  it('waits out a short flood wait in place, then calls', async () => {
    const limiter = limiterFor({});
    const telegram = new FakeTelegram('alice').floodNext(1);
    await expect(limiter.safeCall('alice', 'api', 'users.GetUsers', () => telegram.call('users.GetUsers', 1))).rejects.toThrow(FloodWaitError);
    const pausedUntil = Date.parse((await limiter.getStats('alice')).pausedUntil!);
    const waits: WaitInfo[] = [];
    await expect(limiter.safeCall('alice', 'api', 'users.GetUsers', () => telegram.call('users.GetUsers', 2), { onWait: (w) => waits.push(w) })).resolves.toBe(2);
    expect(telegram.calls[1]!.at).toBeGreaterThanOrEqual(pausedUntil);
    expect(waits[0]).toMatchObject({ reason: 'flood' });
  });

  it("applies the adapter's error mapper: a gramjs-like flood error pauses the account", async () => {
    const limiter = limiterFor({});
    const gramjsLike = Object.assign(new Error('A wait of 120 seconds is required'), { seconds: 120, errorMessage: 'FLOOD' });
    const mapError = (err: unknown) =>
      err instanceof Error && 'seconds' in err ? new FloodWaitError(err.seconds as number, 'messages.GetHistory', 'alice', 'FLOOD_WAIT', { cause: err }) : err;
    await expect(limiter.safeCall('alice', 'api', 'messages.GetHistory', () => Promise.reject(gramjsLike), { mapError })).rejects.toMatchObject({ seconds: 120 });
    expect((await limiter.getStats('alice')).pausedUntil).toBeDefined();

    const refused = new RemoteRefusedError('chat not found', 'CHANNEL_INVALID', 'channels.GetFullChannel');
    const other = limiterFor({});
    await expect(other.safeCall('alice', 'api', 'channels.GetFullChannel', () => Promise.reject(new Error('raw')), { mapError: () => refused })).rejects.toBe(refused);
    expect((await other.getStats('alice')).pausedUntil).toBeUndefined();
  });
});

describe('smart pauses', () => {
  it('pauses member fetching after every N members, other calls go on', async () => {
    const limiter = limiterFor({ pauseMembersEvery: 100, pauseMembersSeconds: 120, floodTimerThresholdSeconds: 10 });
    const telegram = new FakeTelegram('alice');
    const page = Array.from({ length: 60 }, (_, i) => ({ id: i }));
    await limiter.safeCall('alice', 'members', 'channels.GetParticipants', () => telegram.call('channels.GetParticipants', page));
    await limiter.safeCall('alice', 'members', 'channels.GetParticipants', () => telegram.call('channels.GetParticipants', page));
    const err = await limiter.safeCall('alice', 'members', 'channels.GetParticipants', () => telegram.call('channels.GetParticipants', page)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccountPausedError);
    expect(err).toMatchObject({ code: 'SMART_PAUSE', seconds: 120 });
    await expect(limiter.safeCall('alice', 'api', 'messages.GetHistory', () => telegram.call('messages.GetHistory', 'ok'))).resolves.toBe('ok');
    expect((await limiter.getStats('alice')).groupPauses.map((p) => p.group)).toEqual(['members']);
  });

  it('pauses direct messages after every N of them', async () => {
    const limiter = limiterFor({ pauseDmEvery: 2, pauseDmSeconds: 600, floodTimerThresholdSeconds: 10 });
    const telegram = new FakeTelegram('alice');
    const dm = () => limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', 'sent'));
    await dm();
    await dm();
    await expect(dm()).rejects.toMatchObject({ code: 'SMART_PAUSE' });
    expect(telegram.calls).toHaveLength(2);
  });

  it('spaces joins and leaves, before and after each', async () => {
    const limiter = limiterFor({ pauseJoinSeconds: 0.3 });
    const telegram = new FakeTelegram('alice');
    const slowJoin = () =>
      limiter.safeCall('alice', 'join', 'channels.JoinChannel', async () => {
        const result = await telegram.call('channels.JoinChannel', 'joined');
        await new Promise((r) => setTimeout(r, 100));
        return result;
      });
    const leave = () => limiter.safeCall('alice', 'leave', 'channels.LeaveChannel', () => telegram.call('channels.LeaveChannel', 'left'));
    await Promise.all([slowJoin(), slowJoin()]);
    await leave();
    const [a, b, c] = telegram.calls.map((x) => x.at);
    // The second join waits for the first to end (about 100 ms) plus the pause; so does the leave.
    expect(b! - a!).toBeGreaterThanOrEqual(390);
    expect(c! - b!).toBeGreaterThanOrEqual(390);
  });
});

describe('metrics', () => {
  it('counts requests, waits, flood waits and latency by account and operation', async () => {
    const account = uniqueName('metrics');
    // Slow enough that the second call always waits for its token, however loaded the machine.
    const limiter = limiterFor({ ratePerSecond: 2, burst: 1 });
    const telegram = new FakeTelegram(account).floodNext(0);
    await limiter.safeCall(account, 'api', 'm', () => telegram.call('m', 1)).catch((e: unknown) => e);
    await limiter.safeCall(account, 'api', 'm', () => telegram.call('m', 1));
    const text = await metricsRegistry.metrics();
    const line = (name: string) => text.split('\n').find((l) => l.startsWith(name) && l.includes(`account="${account}"`));
    expect(line('rate_limit_requests_total')).toMatch(/ 2$/);
    expect(line('rate_limit_throttled_total')).toMatch(/reason="rate".* 1$/);
    expect(line('flood_wait_events_total')).toMatch(/operation="api".* 1$/);
    expect(text).toContain(`tele_call_latency_seconds_count{account="${account}",operation="api",outcome="ok"} 1`);
    const stats = await limiter.getStats(account);
    expect(stats).toMatchObject({ calls: 2, throttled: 1, floodWaits: 1 });
  });
});
