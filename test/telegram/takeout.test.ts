import { ApplicationFailure } from '@temporalio/common';
import Redis from 'ioredis';
import { Api } from 'telegram';
import { toApplicationFailure } from '../../src/activities/failures';
import { FloodWaitError, RemoteRefusedError, type ChatMessage } from '../../src/domain';
import { GramjsTelegram, mapTelegramError, PeerCache, TakeoutDelayError, telegramKeys, type ChatRef, type HistoryRequest } from '../../src/telegram';
import { fakeMessages, rpcError } from '../fakes/fake-telegram';
import { FakeGramClient } from '../fakes/fake-telegram-client';
import { CountingGuard } from '../fakes/fake-telegram-guard';
import { testStack, uniqueName } from '../support/stack';

const CHAT: ChatRef = { id: 1_700_000_001, kind: 'channel' };

let redis: Redis;
beforeAll(() => {
  redis = new Redis(testStack().redisUrl);
});
afterAll(async () => {
  await redis.quit();
});

function subject(messages = 250) {
  const client = new FakeGramClient({ messages: fakeMessages(messages) });
  const guard = new CountingGuard();
  const port = new GramjsTelegram({ client, guard, account: 'work', peers: new PeerCache(redis, telegramKeys(`${uniqueName('takeout')}:`), 'work') });
  return { client, guard, port };
}

async function read(port: GramjsTelegram, request: HistoryRequest, onPage?: (page: number) => void): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  let page = 0;
  for await (const p of port.history(request)) {
    out.push(...p.messages);
    onPage?.(page++);
  }
  return out;
}

/** The request inside a takeout wrapper, and the wrapper's session id. */
function unwrap(r: Api.AnyRequest): { inner: Api.AnyRequest; takeoutId?: string } {
  return r instanceof Api.InvokeWithTakeout ? { inner: r.query as Api.AnyRequest, takeoutId: r.takeoutId.toString() } : { inner: r };
}

describe('GramjsTelegram history with takeout', () => {
  test('reads every page inside one takeout session, finishes it with success, every request through the guard', async () => {
    const { client, guard, port } = subject();
    const messages = await read(port, { chat: CHAT, takeout: true });

    expect(messages.map((m) => m.id)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(client.takeouts).toHaveLength(1);
    const [session] = client.takeouts;
    // Supergroup and channel messages, no files.
    expect(session).toMatchObject({ megagroups: true, channels: true, chats: false, files: false, success: true });

    const sent = client.requests.map(unwrap);
    const init = sent.findIndex((s) => s.inner instanceof Api.account.InitTakeoutSession);
    const histories = sent.filter((s) => s.inner instanceof Api.messages.GetHistory);
    expect(histories).toHaveLength(3);
    // No history request outside the session, each with the id InitTakeoutSession gave.
    expect(histories.every((s) => s.takeoutId === String(session!.id))).toBe(true);
    expect(sent.findIndex((s) => s.inner instanceof Api.messages.GetHistory)).toBeGreaterThan(init);
    const finish = sent.at(-1)!;
    expect(finish.inner).toBeInstanceOf(Api.account.FinishTakeoutSession);
    expect((finish.inner as Api.account.FinishTakeoutSession).success).toBe(true);
    expect(finish.takeoutId).toBe(String(session!.id));

    // Every request the client saw went through the limiter, named by what it does.
    expect(guard.calls).toHaveLength(client.requests.length);
    expect(guard.calls.every((c) => c.account === 'work' && c.op === 'api')).toBe(true);
    expect(guard.count('account.InitTakeoutSession')).toBe(1);
    expect(guard.count('messages.GetHistory')).toBe(3);
    expect(guard.count('account.FinishTakeoutSession')).toBe(1);
  });

  test('without takeout no session is opened', async () => {
    const { client, port } = subject();
    expect(await read(port, { chat: CHAT })).toHaveLength(250);
    expect(client.takeouts).toHaveLength(0);
    expect(client.requests.some((r) => r instanceof Api.InvokeWithTakeout || r instanceof Api.account.InitTakeoutSession)).toBe(false);
  });

  test('a range with nothing to read starts no export', async () => {
    const { client, port } = subject();
    expect(await read(port, { chat: CHAT, takeout: true, beforeId: 1 })).toHaveLength(0);
    expect(client.takeouts).toHaveLength(0);
  });

  test('a refusal mid-paging finishes the session without success and surfaces the refusal', async () => {
    const { client, port } = subject();
    const reading = read(port, { chat: CHAT, takeout: true }, (page) => {
      if (page === 0) client.failNext(1, rpcError('CHANNEL_PRIVATE'));
    });
    await expect(reading).rejects.toMatchObject({ code: 'CHANNEL_PRIVATE', message: expect.stringMatching(/private/) });
    expect(client.takeouts).toHaveLength(1);
    expect(client.takeouts[0]!.success).toBe(false);
    expect(unwrap(client.requests.at(-1)!).inner).toBeInstanceOf(Api.account.FinishTakeoutSession);
  });

  test('a consumer that stops early finishes the session without success', async () => {
    const { client, port } = subject();
    for await (const page of port.history({ chat: CHAT, takeout: true })) {
      expect(page.messages).toHaveLength(100);
      break;
    }
    expect(client.takeouts[0]!.success).toBe(false);
  });

  test('a session cancelled in another app ends the read with TAKEOUT_INVALID and what to do', async () => {
    const { client, port } = subject();
    const reading = read(port, { chat: CHAT, takeout: true }, (page) => {
      // The user ended the export from another device; Telegram refuses the session from then on.
      if (page === 0) client.takeouts[0]!.success = false;
    });
    const err = await reading.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteRefusedError);
    expect(err).toMatchObject({ code: 'TAKEOUT_INVALID', method: 'messages.GetHistory' });
    expect((err as Error).message).toMatch(/no longer valid.*run the command again.*without --takeout/);
  });
});

describe('TAKEOUT_INIT_DELAY: the export waits for the user', () => {
  test('a held-back export is a TakeoutDelayError with its seconds, and no history request goes out', async () => {
    const { client, guard, port } = subject();
    client.holdTakeouts(86_400);
    const before = Date.now();
    const err = await read(port, { chat: CHAT, takeout: true }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(TakeoutDelayError);
    expect(err).toBeInstanceOf(RemoteRefusedError);
    // Not a flood wait: the account itself may go on calling, so the limiter must not pause it.
    expect(err).not.toBeInstanceOf(FloodWaitError);
    const delay = err as TakeoutDelayError;
    expect(delay).toMatchObject({ seconds: 86_400, account: 'work', method: 'account.InitTakeoutSession', code: 'TAKEOUT_INIT_DELAY_86400', retryAfterSeconds: 86_400 });
    const resumeAt = Date.parse(delay.resumeAt);
    expect(resumeAt).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(resumeAt).toBeLessThanOrEqual(Date.now() + 86_400_000);
    expect(delay.message).toMatch(/86400 s/);
    expect(delay.message).toMatch(/other Telegram apps/);
    expect(delay.message).toMatch(/Settings → Privacy/);
    expect(delay.message).toMatch(/without --takeout/);

    expect(client.count('messages.GetHistory')).toBe(0);
    expect(guard.count('messages.GetHistory')).toBe(0);
    expect(client.takeouts).toHaveLength(0);

    // Once approved, the same read goes through.
    client.approveTakeouts();
    expect(await read(port, { chat: CHAT, takeout: true })).toHaveLength(250);
    expect(client.takeouts[0]!.success).toBe(true);
  });

  test.each([
    ['TAKEOUT_INIT_DELAY_3600', 3600],
    ['TAKEOUT_INIT_DELAY_5', 5],
  ])('%s as gramjs raises it maps to a TakeoutDelayError of %i s', (message, seconds) => {
    const mapped = mapTelegramError(rpcError(message, 420, 'account.InitTakeoutSession'), { account: 'work', method: 'account.InitTakeoutSession' });
    expect(mapped).toBeInstanceOf(TakeoutDelayError);
    expect(mapped).toMatchObject({ seconds });
  });

  test.each([
    ['TAKEOUT_REQUIRED', /inside a data-export \(takeout\) session: run the command with --takeout/],
    ['TAKEOUT_INVALID', /no longer valid/],
  ])('%s maps to a refusal that says what to do', (code, message) => {
    const mapped = mapTelegramError(rpcError(code, 400), { account: 'work', method: 'messages.GetHistory' });
    expect(mapped).toBeInstanceOf(RemoteRefusedError);
    expect(mapped).not.toBeInstanceOf(TakeoutDelayError);
    expect(mapped).toMatchObject({ code });
    expect((mapped as Error).message).toMatch(message);
  });

  test('the activity failure is a non-retryable TakeoutDelay carrying the seconds and when to resume', () => {
    const err = new TakeoutDelayError(86_400, 'work', 'account.InitTakeoutSession', { now: Date.parse('2026-03-02T10:00:00Z') });
    const failure = toApplicationFailure(err) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'TakeoutDelay', nonRetryable: true });
    expect(failure.details?.[0]).toEqual({ seconds: 86_400, account: 'work', resumeAt: '2026-03-03T10:00:00.000Z', method: 'account.InitTakeoutSession' });
    // Short delays too: a retry before the user approves would only be refused again.
    expect(toApplicationFailure(new TakeoutDelayError(5, 'work', 'account.InitTakeoutSession'))).toMatchObject({ type: 'TakeoutDelay', nonRetryable: true });
  });
});
