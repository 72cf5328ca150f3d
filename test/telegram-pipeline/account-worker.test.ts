import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import type Redis from 'ioredis';
import { createTelegramActivities } from '../../src/activities';
import { createLimiterRedis } from '../../src/limiter';
import { LocalArtifactStore } from '../../src/store';
import { SessionInUseError, telegramKeys } from '../../src/telegram';
import { FakeTelegram, rpcError } from '../fakes/fake-telegram';
import { testStack, uniqueName } from '../support/stack';
import { startFakeAccountWorker } from './support/fake-account';

let dir: string;
let store: LocalArtifactStore;
let redis: Redis;
let connection: NativeConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-acct-'));
  store = new LocalArtifactStore(dir);
  redis = createLimiterRedis(testStack().redisUrl);
  connection = await NativeConnection.connect({ address: testStack().temporalAddress });
});

afterAll(async () => {
  await connection?.close();
  redis?.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

/** Expected failures would otherwise fill the output with the SDK's warnings. */
const quietActivityEnvironment = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

describe('the account worker and its lease', () => {
  test('a second worker for the same account is denied the lease, naming the process that holds it', async () => {
    const prefix = `${uniqueName('lease')}:`;
    const taskQueue = uniqueName('tq');
    const telegram = new FakeTelegram({ account: 'alice' });
    const first = await startFakeAccountWorker({ connection, taskQueue, account: 'alice', telegram, store, redis, prefix, lease: { holder: 'worker-one' } });
    try {
      const second = startFakeAccountWorker({ connection, taskQueue, account: 'alice', telegram, store, redis, prefix, lease: { holder: 'worker-two' } });
      await expect(second).rejects.toBeInstanceOf(SessionInUseError);
      await expect(second).rejects.toThrow(/Account "alice" is connected to Telegram by worker-one since .*Stop that process first/);
      // Another account is not held back.
      const bob = await startFakeAccountWorker({ connection, taskQueue, account: 'bob', telegram, store, redis, prefix });
      await bob.stop();
    } finally {
      await first.stop();
    }
    // Stopping gave the lease back: the next worker gets it at once.
    const third = await startFakeAccountWorker({ connection, taskQueue, account: 'alice', telegram, store, redis, prefix });
    await third.stop();
    expect(await redis.exists(telegramKeys(prefix).lease('alice'))).toBe(0);
  });

  test('a worker whose lease is taken over stops polling and says why', async () => {
    const prefix = `${uniqueName('lost')}:`;
    const running = await startFakeAccountWorker({ connection, taskQueue: uniqueName('tq'), account: 'alice', telegram: new FakeTelegram({ account: 'alice' }), store, redis, prefix, lease: { ttlMs: 600 } });
    // Another process took the session (the lease expired during a stall, say).
    await redis.set(telegramKeys(prefix).lease('alice'), JSON.stringify({ holder: 'intruder', since: new Date().toISOString(), token: 'x' }));
    await expect(running.done).rejects.toThrow(/Lost the connection lease of account "alice": the lease expired and was taken by another process/);
    expect(running.worker.getState()).toBe('STOPPED');
  });
});

describe('postToChat', () => {
  test('retried after a failure between parts, it posts each part once, in order', async () => {
    const telegram = new FakeTelegram({ account: 'alice' });
    const acts = createTelegramActivities({ account: 'alice', telegram, store, outputDir: tmpdir() });
    const long = Array.from({ length: 300 }, (_, i) => `line ${i} of the long recap, with some words to fill it up`).join('\n');
    await store.put('recaps/chart.png', 'png bytes');
    const input = { chat: '@fake_builders', parts: ['Week 12 recap', long], files: [{ key: 'recaps/chart.png', caption: 'Activity' }], deliveryKey: uniqueName('recap:week-12') };
    // The third message fails as a lost connection would (Telegram's 500): retryable.
    telegram.failNext(1, rpcError('INTERNAL', 500, 'messages.SendMessage'), { after: 2, method: 'messages.SendMessage' });

    const env = quietActivityEnvironment();
    const failure = await env.run(acts.postToChat, input).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(false);
    expect(telegram.sent).toHaveLength(2);

    const { messageIds } = (await env.run(acts.postToChat, input)) as { messageIds: number[] };
    const texts = telegram.sent.filter((s) => !s.file).map((s) => s.text);
    expect(texts[0]).toBe('Week 12 recap');
    expect(texts.length).toBeGreaterThanOrEqual(3);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
    expect(texts.slice(1).join('\n')).toBe(long);
    expect(telegram.sent.filter((s) => s.file)).toEqual([expect.objectContaining({ file: 'chart.png', text: 'Activity' })]);
    expect(messageIds).toEqual(telegram.sent.map((s) => s.id));

    // A third run (the workflow retried after the activity had finished) posts nothing.
    expect(await env.run(acts.postToChat, input)).toEqual({ messageIds });
    expect(telegram.sent).toHaveLength(messageIds.length);
  });

  test('nothing to post, or a chat that is not a chat, fails without a retry', async () => {
    const acts = createTelegramActivities({ account: 'alice', telegram: new FakeTelegram({ account: 'alice' }), store, outputDir: tmpdir() });
    const env = quietActivityEnvironment();
    await expect(env.run(acts.postToChat, { chat: '@fake_builders', parts: ['  '], deliveryKey: 'empty' })).rejects.toMatchObject({ type: 'BadInput', nonRetryable: true, message: expect.stringContaining('Nothing to post') });
    await expect(env.run(acts.postToChat, { chat: 't.me/', parts: ['hi'], deliveryKey: 'bad-chat' })).rejects.toMatchObject({ type: 'BadInput', nonRetryable: true });
  });
});
