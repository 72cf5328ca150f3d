import { QuotaExceededError, TransportError } from '../../src/domain';
import { createLimiter, type Limiter } from '../../src/limiter';
import { GramjsTelegram, PeerCache, telegramKeys } from '../../src/telegram';
import { fakeMembers } from '../fakes/fake-telegram';
import { FakeGramClient } from '../fakes/fake-telegram-client';
import { uniqueName } from '../support/stack';
import { FakeTelegram } from './support/fake-telegram';
import { redisPool } from './support/test-limiter';

const pool = redisPool();
afterAll(() => pool.closeAll());

const quick = { ratePerSecond: 1000, burst: 50, pauseDmSeconds: 0, pauseJoinSeconds: 0 };

/** A socket error as Node raises it (what gramjs surfaces when it cannot connect). */
function socketError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ${code} 149.154.167.50:443`), { code });
}

async function dmUsed(limiter: Limiter): Promise<number> {
  return (await limiter.getStats('alice')).quotas.find((q) => q.quota === 'MAX_DM_PER_DAY')!.used;
}

describe('a DM or join that never went out uses no quota', () => {
  it('gives the DM back when the real adapter could not reach Telegram (connection refused)', async () => {
    const redis = pool.client();
    const limiter = createLimiter({ redis, prefix: `${uniqueName('refund')}:`, ...quick, maxDmPerDay: 1 });
    const client = new FakeGramClient({ members: fakeMembers(3) });
    const port = new GramjsTelegram({ client, guard: limiter, account: 'alice', peers: new PeerCache(redis, telegramKeys(`${uniqueName('peers')}:`), 'alice') });
    await port.resolveChat('@member_2');

    client.failNext(1, socketError('ECONNREFUSED'));
    await expect(port.sendDirect('@member_2', 'hello')).rejects.toBeInstanceOf(TransportError);
    expect(client.count('messages.SendMessage')).toBe(1);
    expect(await dmUsed(limiter)).toBe(0);
    // The day's one DM is still there to send.
    await expect(port.sendDirect('@member_2', 'hello')).resolves.toEqual(expect.any(Number));
    expect(await dmUsed(limiter)).toBe(1);
    await expect(port.sendDirect('@member_2', 'again')).rejects.toBeInstanceOf(QuotaExceededError);
  });

  it('keeps the DM counted when the connection broke after the request left (it may have been delivered)', async () => {
    const redis = pool.client();
    const limiter = createLimiter({ redis, prefix: `${uniqueName('refund')}:`, ...quick, maxDmPerDay: 5 });
    const client = new FakeGramClient({ members: fakeMembers(3) });
    const port = new GramjsTelegram({ client, guard: limiter, account: 'alice', peers: new PeerCache(redis, telegramKeys(`${uniqueName('peers')}:`), 'alice') });
    await port.resolveChat('@member_2');
    client.failNext(1, socketError('ECONNRESET'));
    await expect(port.sendDirect('@member_2', 'hello')).rejects.toBeInstanceOf(TransportError);
    expect(await dmUsed(limiter)).toBe(1);
  });

  it('gives the join back when gramjs refused to send on a lost connection, both quotas', async () => {
    const limiter = createLimiter({ redis: pool.client(), prefix: `${uniqueName('refund')}:`, ...quick, maxJoinsPerDay: 3 });
    await limiter.setGroupCount('alice', 7);
    const notConnected = new TransportError('The connection to Telegram failed during channels.JoinChannel: it will be retried', { cause: new Error('Cannot send requests while disconnected') });
    await expect(limiter.safeCall('alice', 'join', 'channels.JoinChannel', () => Promise.reject(notConnected))).rejects.toBe(notConnected);
    const quotas = (await limiter.getStats('alice')).quotas;
    expect(quotas.find((q) => q.quota === 'MAX_JOINS_PER_DAY')!.used).toBe(0);
    expect(quotas.find((q) => q.quota === 'MAX_GROUPS')!.used).toBe(7);
  });

  it('gives the DM back when Redis counted it but its reply came too late, and makes no Telegram call', async () => {
    const redis = pool.client();
    const limiter = createLimiter({ redis, prefix: `${uniqueName('refund')}:`, ...quick, maxDmPerDay: 1, redisTimeoutMs: 1000 });
    const commands = redis as unknown as { tgpulseConsumeQuotas: (...args: unknown[]) => Promise<unknown> };
    // Counting itself must exist before it can be slowed: the limiter registers its scripts in its constructor.
    const consume = commands.tgpulseConsumeQuotas.bind(redis);
    let slow = true;
    commands.tgpulseConsumeQuotas = async (...args) => {
      const reply = await consume(...args);
      if (slow) await new Promise((r) => setTimeout(r, 3000));
      return reply;
    };
    const telegram = new FakeTelegram('alice');
    const dm = () => limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', 'sent'));
    const err = await dm().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/no Telegram call was made/);
    expect(telegram.calls).toHaveLength(0);
    expect(await dmUsed(limiter)).toBe(0);
    slow = false;
    await expect(dm()).resolves.toBe('sent');
    await expect(dm()).rejects.toBeInstanceOf(QuotaExceededError);
  });

  it('gives back later what it could not give back at once (Redis failed just then)', async () => {
    const redis = pool.client();
    const limiter = createLimiter({ redis, prefix: `${uniqueName('refund')}:`, ...quick, maxDmPerDay: 5 });
    const commands = redis as unknown as { tgpulseReleaseClaim: (...args: unknown[]) => Promise<unknown> };
    const release = commands.tgpulseReleaseClaim.bind(redis);
    commands.tgpulseReleaseClaim = () => Promise.reject(new Error('Connection is closed.'));
    const refused = new TransportError('The connection to Telegram failed', { cause: socketError('ECONNREFUSED') });
    await expect(limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => Promise.reject(refused))).rejects.toBe(refused);
    expect(await dmUsed(limiter)).toBe(1);
    commands.tgpulseReleaseClaim = release;
    // The next DM first gives the lost one back: one DM sent, one counted.
    await limiter.safeCall('alice', 'dm', 'messages.SendMessage', async () => 'sent');
    expect(await dmUsed(limiter)).toBe(1);
  });

  it('never gives one call back twice', async () => {
    const limiter = createLimiter({ redis: pool.client(), prefix: `${uniqueName('refund')}:`, ...quick, maxDmPerDay: 5 });
    const telegram = new FakeTelegram('alice');
    await limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', 'sent'));
    await limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', 'sent'));
    // A flood wait gives its own DM back (and only that one): the two sent before stay counted.
    telegram.floodNext(1);
    await expect(limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', 'sent'))).rejects.toThrow(/wait 1 s/);
    expect(await dmUsed(limiter)).toBe(2);
  });
});
