import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BadInputError, ChatMessage, type HistoryQuery } from '../../src/domain';
import { ExportFormatError, exportDate, listExportChats, openExport, TopicThreads } from '../../src/export';

const FIXTURES = resolve(__dirname, '../fixtures/export');
const fixture = (name: string) => join(FIXTURES, name);

async function readAll(path: string, opts: { chat?: string } = {}, query: HistoryQuery = {}): Promise<ChatMessage[]> {
  const source = await openExport(path, opts);
  const out: ChatMessage[] = [];
  for await (const m of source.messages(query)) out.push(m);
  return out;
}

const byId = (messages: ChatMessage[], id: number) => messages.find((m) => m.id === id);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tgpulse-export-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a chat export of today’s format', () => {
  let messages: ChatMessage[];
  beforeAll(async () => {
    messages = await readAll(fixture('chat.json'));
  });

  test('gives the chat and every supported message, oldest first, each a valid ChatMessage', async () => {
    const source = await openExport(fixture('chat.json'));
    expect(await source.info()).toEqual({ id: 1876543210, title: 'Cohort 5 — Data', type: 'private_supergroup' });
    expect(source.chat.messages).toBe(18);
    expect(messages.map((m) => m.id)).toEqual([-999999998, -999999997, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16]);
    for (const m of messages) expect(ChatMessage.parse(m)).toEqual(m);
  });

  test('skips and counts unsupported entries', async () => {
    const source = await openExport(fixture('chat.json'));
    for await (const _ of source.messages()) void _;
    expect(source.lastRead).toEqual({ messages: 17, unsupported: 1 });
  });

  test('keeps migrated basic-group ids as they are, first', () => {
    expect(messages[0]).toMatchObject({ id: -999999998, text: 'hello from the old basic group', date: '2024-05-01T08:00:00.000Z' });
    expect(messages[1]!.service).toEqual({ action: 'migrate_from_group', title: 'Cohort 5' });
  });

  test('flattens formatted text, collects links and maps every kind of reaction', () => {
    expect(byId(messages, 3)).toEqual({
      id: 3,
      chatId: 1876543210,
      date: '2024-06-01T09:02:00.000Z',
      sender: { id: 'user222', name: 'Boris Kim' },
      text: 'Thanks @anna! Slides: https://example.com/slides and the notes #week1 important 🔥',
      links: ['https://example.com/slides', 'https://notes.example.com/w1'],
      replyToId: 2,
      reactions: [
        { emoji: '👍', count: 3 },
        { emoji: 'custom:5368324170671202286', count: 2 },
        { emoji: '⭐', count: 5 },
      ],
    });
  });

  test('keeps escapes and non-ASCII text intact', () => {
    expect(byId(messages, 2)!.text).toBe('Welcome everyone! Привет 👋');
    expect(byId(messages, 16)!.text).toBe('demo ✅ "quoted" back\\slash\nnew line');
  });

  test('names a deleted account instead of dropping its messages', () => {
    expect(byId(messages, 5)!.sender).toEqual({ id: 'user444', name: 'Deleted Account' });
  });

  test('maps media kinds, edits and forwards', () => {
    expect(messages.filter((m) => m.media).map((m) => [m.id, m.media])).toEqual([
      [6, 'photo'],
      [7, 'sticker'],
      [8, 'voice'],
      [9, 'document'],
      [13, 'poll'],
      [16, 'video'],
    ]);
    expect(byId(messages, 6)!.edited).toBe('2024-06-01T09:07:00.000Z');
    expect(byId(messages, 9)).toMatchObject({ forwardedFrom: 'Data Weekly', sender: { id: 'channel555', name: 'Data Weekly' } });
  });

  test('drops a reply into another chat: its id would link to the wrong message', () => {
    expect(byId(messages, 10)!.replyToId).toBeUndefined();
  });

  test('describes service messages: joins, invites, pins and custom actions', () => {
    expect(byId(messages, 4)).toMatchObject({ sender: { id: 'user333', name: 'Chen Wu' }, service: { action: 'join_group_by_link', members: [{ id: 'user333', name: 'Chen Wu' }] } });
    expect(byId(messages, 1)!.service).toEqual({
      action: 'create_group',
      title: 'Cohort 5 — Data',
      members: [
        { id: 'user111', name: 'Anna Petrova' },
        { id: 'name:Boris Kim', name: 'Boris Kim' },
      ],
    });
    expect(byId(messages, 11)!.service).toEqual({ action: 'pin_message', messageId: 3 });
    expect(byId(messages, 14)!.service!.members).toEqual([
      { id: 'name:Dmitri Volkov', name: 'Dmitri Volkov' },
      { id: 'name:Deleted Account', name: 'Deleted Account' },
    ]);
    expect(byId(messages, 15)).toMatchObject({ text: 'Anna Petrova changed the group settings', service: { action: 'custom' } });
  });
});

describe('Telegram Desktop quirks', () => {
  test('reads the `\\xHH` escapes the app writes for control characters, and leaves `\\\\x` alone', async () => {
    const path = join(tmp, 'hex.json');
    const text = readFileSync(fixture('chat.json'), 'utf8').replace('"text": "I deleted my account later"', '"text": "tab\\x0Bhere C:\\\\x64"');
    writeFileSync(path, text);
    expect(byId(await readAll(path), 5)!.text).toBe('tab\u000bhere C:\\x64');
  });
});

describe('an export from before mid-2022', () => {
  test('reads `date` without an offset as UTC, bare numeric sender ids as users, and text arrays without text_entities', async () => {
    const messages = await readAll(fixture('chat-legacy.json'));
    expect(messages.map((m) => m.date)).toEqual(['2019-03-04T10:00:00.000Z', '2019-03-04T10:01:30.000Z', '2019-03-04T10:02:00.000Z', '2019-03-05T23:59:59.000Z']);
    expect(messages[2]).toMatchObject({
      sender: { id: 'user1002', name: 'Farid' },
      text: 'see http://old.example.org and this',
      links: ['http://old.example.org'],
      replyToId: 2,
      edited: '2019-03-04T10:05:00.000Z',
    });
    expect(messages[0]).toMatchObject({ sender: { id: 'user1001', name: 'Elena' }, service: { action: 'create_group', members: [{ id: 'name:Farid', name: 'Farid' }] } });
  });
});

describe('a forum', () => {
  test('puts each message in the topic it replies into, following reply chains; General messages have none', async () => {
    const messages = await readAll(fixture('forum.json'));
    expect(messages.map((m) => [m.id, m.threadId])).toEqual([
      [1, undefined],
      [2, 2],
      [3, 3],
      [4, 2],
      [5, 3],
      [6, 2],
      [7, undefined],
      [8, 2],
      [9, 3],
      [10, undefined],
      [11, undefined],
    ]);
    expect(messages[9]!.service).toEqual({ action: 'topic_edit', title: 'Demo day' });
  });

  test('resolves topics even when a filter leaves out the messages that lead to them', async () => {
    const messages = await readAll(fixture('forum.json'), {}, { afterId: 7 });
    expect(messages.map((m) => [m.id, m.threadId])).toEqual([
      [8, 2],
      [9, 3],
      [10, undefined],
      [11, undefined],
    ]);
  });

  test('remembers a bounded number of topic messages, but every topic', () => {
    const threads = new TopicThreads(2);
    expect(threads.resolve(10, undefined, true)).toBe(10);
    expect(threads.resolve(11, 10, false)).toBe(10);
    expect(threads.resolve(12, 11, false)).toBe(10);
    expect(threads.resolve(13, 12, false)).toBe(10);
    // 11 was forgotten to keep the memory bound; the topic itself never is.
    expect(threads.resolve(14, 11, false)).toBeUndefined();
    expect(threads.resolve(15, 10, false)).toBe(10);
  });
});

describe('filters', () => {
  test('since is inclusive, until exclusive, afterId keeps greater ids only', async () => {
    const since = new Date('2024-06-01T09:02:00Z');
    const until = new Date('2024-06-01T09:06:00Z');
    expect((await readAll(fixture('chat.json'), {}, { since, until })).map((m) => m.id)).toEqual([3, 4, 5, 6]);
    expect((await readAll(fixture('chat.json'), {}, { afterId: 13 })).map((m) => m.id)).toEqual([14, 15, 16]);
    expect((await readAll(fixture('chat.json'), {}, { afterId: -999999998, until: new Date('2024-06-01T09:01:00Z') })).map((m) => m.id)).toEqual([-999999997, 1]);
  });

  test('an empty date range is refused', async () => {
    const at = new Date('2024-06-01T00:00:00Z');
    await expect(readAll(fixture('chat.json'), {}, { since: at, until: at })).rejects.toThrow(/the date range is empty/);
  });

  test('an aborted read stops with the abort reason', async () => {
    const source = await openExport(fixture('chat.json'));
    const controller = new AbortController();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const m of source.messages({ signal: controller.signal })) {
          seen.push(m.id);
          if (seen.length === 3) controller.abort(new Error('stop now'));
        }
      })(),
    ).rejects.toThrow('stop now');
    expect(seen).toHaveLength(3);
  });

  test('stopping early and reading again gives the same messages', async () => {
    const source = await openExport(fixture('chat.json'));
    for await (const m of source.messages()) if (m.id === 2) break;
    const again: number[] = [];
    for await (const m of source.messages({ afterId: 14 })) again.push(m.id);
    expect(again).toEqual([15, 16]);
  });
});

describe('a full account export', () => {
  const account = fixture('account.json');

  test('lists every chat, left ones marked, with message counts', async () => {
    expect(await listExportChats(account)).toEqual([
      { id: 7777, title: 'Saved Messages', type: 'saved_messages', messages: 1, left: false },
      { id: 1500000001, title: 'Study Group', type: 'private_supergroup', messages: 2, left: false },
      { id: 1876543210, title: 'Cohort 5', type: 'private_supergroup', messages: 3, left: false },
      { id: 4400001, title: 'study group', type: 'private_group', messages: 1, left: false },
      { id: 111, title: 'Anna', type: 'personal_chat', messages: 1, left: false },
      { id: 1300000002, title: 'Old Cohort', type: 'private_supergroup', messages: 1, left: true },
    ]);
  });

  test('reads only the chosen chat, named in any case', async () => {
    const messages = await readAll(account, { chat: 'COHORT 5' });
    expect(messages.map((m) => [m.id, m.chatId, m.text])).toEqual([
      [100, 1876543210, 'cohort message one'],
      [102, 1876543210, 'see https://c5.example.com'],
    ]);
    expect(messages[1]!.links).toEqual(['https://c5.example.com']);
  });

  test('chooses by id, also in the Bot API -100 form, and reads left chats', async () => {
    expect((await readAll(account, { chat: '4400001' })).map((m) => m.text)).toEqual(['group B here']);
    expect((await readAll(account, { chat: '-1001500000001' })).map((m) => m.text)).toEqual(['group A says hi', 'hi A']);
    expect((await readAll(account, { chat: 'old cohort' })).map((m) => m.text)).toEqual(['bye']);
    const source = await openExport(account, { chat: '7777' });
    expect(await source.info()).toEqual({ id: 7777, title: 'Saved Messages', type: 'saved_messages' });
  });

  test('asks which chat when none is named, listing them', async () => {
    const err = await openExport(account).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/full account export with 6 chats: say which one to read/);
    expect((err as Error).message).toContain('"Cohort 5" (id 1876543210, private_supergroup, 3 entries)');
    expect((err as Error).message).toContain('"Old Cohort" (id 1300000002, private_supergroup, 1 entry, left)');
  });

  test('refuses an ambiguous name, listing the candidates with their ids', async () => {
    const err = await openExport(account, { chat: 'study group' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/^2 chats in .* are named "study group"\. Name it by id instead: "Study Group" \(id 1500000001.*"study group" \(id 4400001/);
  });

  test('refuses an unknown chat, listing what there is', async () => {
    const err = await openExport(account, { chat: 'Cohort 6' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/no chat in .* is named "Cohort 6" or has that id\. Choose one of: .*"Cohort 5"/);
  });

  test('a chat export named with another chat is refused, not read silently', async () => {
    await expect(openExport(fixture('chat.json'), { chat: 'Other group' })).rejects.toThrow(/is the export of "Cohort 5 — Data" \(id 1876543210.*not of "Other group"/);
    expect(await readAll(fixture('chat.json'), { chat: 'cohort 5 — data' })).toHaveLength(17);
  });
});

describe('what the user points at', () => {
  test('the folder Telegram Desktop wrote is enough', async () => {
    const dir = join(tmp, 'ChatExport_2024-06-02');
    mkdirSync(dir);
    copyFileSync(fixture('chat.json'), join(dir, 'result.json'));
    expect(await readAll(dir)).toHaveLength(17);
  });

  test('opening reports its progress through the file, up to its size', async () => {
    const seen: Array<[number, number]> = [];
    await openExport(fixture('chat.json'), { onProgress: (read, total) => seen.push([read, total]) });
    const size = readFileSync(fixture('chat.json')).length;
    expect(seen.at(-1)).toEqual([size, size]);
  });

  test('a missing file says which path and what to pass', async () => {
    const missing = join(tmp, 'nope', 'result.json');
    const err = await openExport(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toContain(`no export at ${missing}`);
    expect((err as Error).message).toContain('Machine-readable JSON');
  });

  test('a folder without result.json says so', async () => {
    await expect(openExport(tmp)).rejects.toThrow(`the folder ${tmp} has no result.json`);
  });

  test('an HTML export is recognised', async () => {
    await expect(openExport(fixture('export.html'))).rejects.toThrow(/is an HTML export .*Machine-readable JSON/);
  });

  test('other JSON is told apart from an export', async () => {
    const err = await openExport(fixture('not-an-export.json')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/is JSON but not a Telegram Desktop export: it has neither `messages` \(a chat export\) nor `chats.list`/);
    const array = join(tmp, 'array.json');
    writeFileSync(array, '[{"id": 1}]');
    await expect(openExport(array)).rejects.toThrow(/is not a Telegram Desktop export: it does not start with `{`/);
  });

  test('an empty file is refused as empty', async () => {
    const empty = join(tmp, 'empty.json');
    writeFileSync(empty, '');
    await expect(openExport(empty)).rejects.toThrow(ExportFormatError);
    await expect(openExport(empty)).rejects.toThrow(/is truncated at byte 0: expected a Telegram Desktop export \(the file is empty\)/);
  });

  test('a byte-order mark written by an editor is accepted, and offsets still count from the file start', async () => {
    const withBom = join(tmp, 'bom.json');
    writeFileSync(withBom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(fixture('chat.json'))]));
    expect(await readAll(withBom)).toHaveLength(17);
    const brokenBom = join(tmp, 'bom-broken.json');
    writeFileSync(brokenBom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"messages": [}')]));
    await expect(openExport(brokenBom)).rejects.toMatchObject({ byteOffset: 17 });
  });
});

describe('dates', () => {
  test('the fast ISO formatting gives what Date does, across days, leap years and centuries', () => {
    let s = 946684799; // 1999-12-31T23:59:59Z
    const wrong: string[] = [];
    for (let k = 0; k < 20000; k++) {
      s += 1 + ((k * 7919) % 400000);
      const want = new Date(s * 1000).toISOString();
      if (exportDate(String(s), undefined) !== want) wrong.push(want);
    }
    expect(new Date(s * 1000).getUTCFullYear()).toBeGreaterThan(2100);
    expect(wrong).toEqual([]);
    expect(exportDate(undefined, '2024-02-29T23:59:59')).toBe('2024-02-29T23:59:59.000Z');
    expect(exportDate(undefined, '2024-02-29T23:59:59+02:00')).toBe('2024-02-29T21:59:59.000Z');
    expect(exportDate('', 'not a date')).toBeUndefined();
  });
});
