import { ConfigError } from '../../src/config';
import { FloodWaitError, type ChatMessage } from '../../src/domain';
import { TelegramHistorySource, telegramCredentials } from '../../src/telegram';
import { createTelegramClient } from '../../src/telegram/connect';
import { FakeTelegram, fakeMessages, floodWait } from '../fakes/fake-telegram';

describe('TelegramHistorySource', () => {
  test('gives the chat oldest first in requests of 100, resuming after the checkpoint', async () => {
    const telegram = new FakeTelegram({ messages: fakeMessages(230) });
    const source = new TelegramHistorySource(telegram, telegram.ref);
    expect(await source.info()).toMatchObject({ id: telegram.chat.id, title: 'Fake builders' });
    const all: number[] = [];
    for await (const m of source.messages({})) all.push(m.id);
    expect(all).toEqual(Array.from({ length: 230 }, (_, i) => i + 1));
    expect(telegram.calls.filter((c) => c.method === 'messages.GetHistory')).toHaveLength(3);
    const rest: number[] = [];
    for await (const m of source.messages({ afterId: 200 })) rest.push(m.id);
    expect(rest).toEqual(Array.from({ length: 30 }, (_, i) => i + 201));
  });

  test('a long flood wait stops the extraction with its seconds; resuming from the last id duplicates nothing', async () => {
    const telegram = new FakeTelegram({ messages: fakeMessages(300) });
    telegram.failNext(1, floodWait(3600), { after: 1 });
    const source = new TelegramHistorySource(telegram, telegram.ref);
    const stored: ChatMessage[] = [];
    let checkpoint: number | undefined;
    const err = await (async () => {
      for await (const m of source.messages({})) {
        stored.push(m);
        checkpoint = m.id;
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FloodWaitError);
    expect(err).toMatchObject({ seconds: 3600 });
    for await (const m of source.messages({ afterId: checkpoint })) stored.push(m);
    const ids = stored.map((m) => m.id);
    expect(new Set(ids).size).toBe(300);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  test('an aborted activity stops paging', async () => {
    const telegram = new FakeTelegram({ messages: fakeMessages(300) });
    const controller = new AbortController();
    const source = new TelegramHistorySource(telegram, telegram.ref);
    let seen = 0;
    const err = await (async () => {
      for await (const _ of source.messages({ signal: controller.signal })) if (++seen === 100) controller.abort();
    })().catch((e: unknown) => e);
    expect(err).toBeDefined();
    expect(seen).toBe(100);
    expect(telegram.calls).toHaveLength(1);
  });
});

describe('connecting', () => {
  test('TG_API_ID and TG_API_HASH are required, with where to get them', () => {
    expect(() => telegramCredentials({ TG_API_ID: undefined, TG_API_HASH: undefined })).toThrow(ConfigError);
    expect(() => telegramCredentials({ TG_API_ID: 12345, TG_API_HASH: undefined })).toThrow(/TG_API_HASH \(unset\).*my\.telegram\.org/);
    expect(telegramCredentials({ TG_API_ID: 12345, TG_API_HASH: '0123456789abcdef0123456789abcdef' })).toEqual({ apiId: 12345, apiHash: '0123456789abcdef0123456789abcdef' });
  });

  test('gramjs never sleeps through a flood wait by itself and retries a finite number of times', () => {
    const client = createTelegramClient({ apiId: 12345, apiHash: '0123456789abcdef0123456789abcdef' }, '');
    expect(client.floodSleepThreshold).toBe(0);
    expect(client._requestRetries).toBe(2);
    expect(client._connectionRetries).toBe(2);
  });
});
