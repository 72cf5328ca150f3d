import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createTelegramActivities, readSyncCursor, type ExtractOutput } from '../../src/activities';
import type { ChatMessage } from '../../src/domain';
import { LocalArtifactStore, readHistory } from '../../src/store';
import { fakeMessages, FakeTelegram } from '../fakes/fake-telegram';

const HOUR = 3_600_000;
let dir: string;
let store: LocalArtifactStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-sync-'));
  store = new LocalArtifactStore(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stored(out: ExtractOutput): Promise<ChatMessage[]> {
  const all: ChatMessage[] = [];
  for await (const m of readHistory(store, out.history)) all.push(m);
  return all;
}

test('incremental sync: the next run reads only newer messages plus the last 48 h, and sees edits there', async () => {
  const telegram = new FakeTelegram({ messages: fakeMessages(200), account: 'alice' });
  const lastDate = Date.parse(telegram.messages.at(-1)!.date);
  let now = lastDate + 47 * HOUR;
  const acts = createTelegramActivities({ account: 'alice', telegram, store, outputDir: tmpdir(), now: () => now });
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  const source = { kind: 'telegram' as const, account: 'alice', chat: '@fake_builders', sync: true };
  const extract = (jobId: string) => env.run(acts.extractHistory, { jobId, source }) as Promise<ExtractOutput>;

  // First sync: everything; the cursor lands on the newest message.
  const first = await extract('sync-1');
  expect(first.history.messages).toBe(200);
  expect(await readSyncCursor(store, 'alice', first.chat.id)).toMatchObject({ lastId: 200, lastDate: telegram.messages.at(-1)!.date });

  // New messages arrive and an old one inside the window is edited.
  telegram.addMessages(...fakeMessages(5, { firstId: 201, start: new Date(lastDate + 60_000) }));
  telegram.editMessage(180, 'message 180, corrected');
  const second = await stored(await extract('sync-2'));
  const windowStart = now - 48 * HOUR;
  const expected = telegram.messages.filter((m) => m.id > 200 || Date.parse(m.date) >= windowStart).map((m) => m.id);
  expect(second.map((m) => m.id)).toEqual(expected);
  expect(expected.length).toBeLessThan(100);
  expect(second.find((m) => m.id === 180)?.text).toBe('message 180, corrected');
  expect((await readSyncCursor(store, 'alice', first.chat.id))?.lastId).toBe(205);

  // Days later the cursor is older than the window: only what is past it.
  now += 72 * HOUR;
  telegram.addMessages(...fakeMessages(3, { firstId: 206, start: new Date(lastDate + 3 * HOUR) }));
  expect((await stored(await extract('sync-3'))).map((m) => m.id)).toEqual([206, 207, 208]);
  // Nothing new: an empty run keeps the cursor where it was.
  now += HOUR;
  expect((await extract('sync-4')).history.messages).toBe(0);
  expect((await readSyncCursor(store, 'alice', first.chat.id))?.lastId).toBe(208);
});

test('without sync, the cursor is neither read nor moved', async () => {
  const telegram = new FakeTelegram({ messages: fakeMessages(50), account: 'bob' });
  const acts = createTelegramActivities({ account: 'bob', telegram, store, outputDir: tmpdir() });
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  const out = (await env.run(acts.extractHistory, { jobId: 'plain-1', source: { kind: 'telegram' as const, account: 'bob', chat: '@fake_builders' } })) as ExtractOutput;
  expect(out.history.messages).toBe(50);
  expect(await readSyncCursor(store, 'bob', out.chat.id)).toBeNull();
});

test('a job for another account is refused, not run on the wrong session', async () => {
  const acts = createTelegramActivities({ account: 'alice', telegram: new FakeTelegram({ account: 'alice' }), store, outputDir: tmpdir() });
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  await expect(env.run(acts.extractHistory, { jobId: 'wrong', source: { kind: 'telegram' as const, account: 'bob', chat: '@fake_builders' } })).rejects.toMatchObject({
    type: 'BadInput',
    message: expect.stringContaining('This worker holds account "alice", not "bob"'),
  });
});
