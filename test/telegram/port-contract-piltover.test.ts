import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Api } from 'telegram';
import { BadInputError, RemoteRefusedError, TransportError, type ChatMessage } from '../../src/domain';
import { createLimiter } from '../../src/limiter';
import {
  accountDepsFromConfig,
  GramjsTelegram,
  loginTelegramAccount,
  logoutTelegramAccount,
  openTelegramAccount,
  PeerCache,
  telegramKeys,
  type ChatRef,
  type HistoryRequest,
  type TelegramPort,
} from '../../src/telegram';
import { CountingGuard } from '../fakes/fake-telegram-guard';
import { piltoverSettings, testPiltover } from '../support/piltover';
import { expectedMessage, nextSecond, peerOf, postMany } from '../support/piltover-chat';
import { PILTOVER_API, piltoverGroup, piltoverUser, uniquePhone, type PiltoverUser } from '../support/piltover-users';
import { testStack, uniqueName } from '../support/stack';
import { collectHistory, ids, rejection } from './support/port-probes';

/**
 * The TelegramPort contract on a real MTProto server (piltover): what two users post through gramjs comes back
 * through GramjsTelegram field by field. What piltover cannot do stays on the fake (port-contract.test.ts): takeout
 * (piltover answers 500 NOT_IMPLEMENTED, checked below) and forum topics.
 */

jest.setTimeout(120_000);

let redis: Redis;
let alice: PiltoverUser; // the account under test
let bob: PiltoverUser; // another member
let groupName: string;
let groupId: number;
let port: TelegramPort;
let chat: ChatRef;
let created: ChatMessage; // the group's own "created" service message
const posted: ChatMessage[] = []; // every message posted, as it must come back, oldest first
let batches: ChatMessage[][]; // three batches posted in different seconds

function portOf(user: PiltoverUser, account: string): TelegramPort {
  return new GramjsTelegram({ client: user.client, guard: new CountingGuard(), account, peers: new PeerCache(redis, telegramKeys(`${uniqueName('real')}:`), account) });
}

const collect = (request: HistoryRequest, on: TelegramPort = port) => collectHistory(on, request);
const all = () => [created, ...posted];

beforeAll(async () => {
  redis = new Redis(testStack().redisUrl);
  [alice, bob] = await Promise.all([piltoverUser('Alice', { lastName: 'Liddell' }), piltoverUser('Bob', { lastName: '' })]);
  const group = await piltoverGroup(alice, 'Real builders', [bob]);
  groupName = `@${group.username}`;
  groupId = group.id;
  port = portOf(alice, 'alice');
  chat = await port.resolveChat(groupName);

  // Three batches, each in its own seconds, so date bounds have something to cut.
  const first = await postMany(bob, groupName, Array.from({ length: 120 }, (_, i) => `first batch ${i}`));
  await nextSecond();
  const second = [...(await postMany(alice, groupName, Array.from({ length: 30 }, (_, i) => `second batch A${i}`))), ...(await postMany(bob, groupName, Array.from({ length: 30 }, (_, i) => `second batch B${i}`)))];
  await nextSecond();
  const third = await postMany(bob, groupName, Array.from({ length: 50 }, (_, i) => `third batch ${i}`));
  const as = (sent: Api.Message) => expectedMessage(sent, groupId, Number(sent.fromId && 'userId' in sent.fromId ? sent.fromId.userId.toString() : 0) === alice.id ? alice : bob);
  batches = [first.map(as), second.sort((a, b) => a.id - b.id).map(as), third.map(as)];
  posted.push(...batches.flat());

  // Replies, an edit, a reaction, a forward and a document: the fields a digest reads.
  const question = await bob.client.sendMessage(groupName, { message: 'Who has a demo link? https://demo.example/app' });
  const answer = await alice.client.sendMessage(groupName, { message: 'Mine, soon', replyTo: question.id });
  const edited = await alice.client.editMessage(groupName, { message: answer.id, text: 'Mine: https://alice.example' });
  await bob.client.invoke(new Api.messages.SendReaction({ peer: groupName, msgId: answer.id, reaction: [new Api.ReactionEmoji({ emoticon: '🔥' })] }));
  // gramjs answers a forward with one list per target chat.
  const [forward] = ((await bob.client.forwardMessages(groupName, { messages: [question.id], fromPeer: groupName })) as unknown as Api.Message[][]).flat();
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-real-'));
  writeFileSync(join(dir, 'notes.md'), '# Notes\n');
  const doc = await bob.client.sendFile(groupName, { file: join(dir, 'notes.md'), caption: 'notes', forceDocument: true });
  posted.push(
    expectedMessage(question, groupId, bob, { links: ['https://demo.example/app'] }),
    expectedMessage(edited, groupId, alice, { text: 'Mine: https://alice.example', links: ['https://alice.example'], replyToId: question.id, reactions: [{ emoji: '🔥', count: 1 }], edited: new Date(edited.editDate! * 1000).toISOString() }),
    expectedMessage(forward!, groupId, bob, { links: ['https://demo.example/app'], forwardedFrom: 'Bob' }),
    expectedMessage(doc, groupId, bob, { media: 'document' }),
  );
  const { messages } = await collect({ chat, limit: 1 });
  created = messages[0]!;
});

afterAll(async () => {
  await Promise.all([alice?.close(), bob?.close()]);
  await redis?.quit();
});

describe('TelegramPort contract on a real MTProto server (piltover)', () => {
  test('every message comes back as it was posted: text, date, sender, reply, edit, links, reaction, forward, document, service', async () => {
    expect(created).toEqual({ id: expect.any(Number), chatId: groupId, date: expect.any(String), sender: peerOf(alice), text: '', reactions: [], service: { action: 'create_channel', title: 'Real builders' } });
    const { messages } = await collect({ chat });
    expect(messages).toEqual(all());
    // Nothing a schema would reject: no null anywhere.
    expect(JSON.stringify(messages)).not.toContain('null');
  });

  test('pages the whole history oldest first, 100 at a time, every message once', async () => {
    const { pages } = await collect({ chat });
    expect(pages).toEqual([100, 100, all().length - 200]);
  });

  test('resumes after a checkpoint and honours every id bound', async () => {
    const every = ids(all());
    const at = (i: number) => every[i]!;
    expect(ids((await collect({ chat, afterId: at(180) })).messages)).toEqual(every.slice(181));
    expect(ids((await collect({ chat, minId: at(50), maxId: at(60) })).messages)).toEqual(every.slice(50, 61));
    expect(ids((await collect({ chat, beforeId: at(5) })).messages)).toEqual(every.slice(0, 5));
    expect(ids((await collect({ chat, afterId: every.at(-1) })).messages)).toEqual([]);
  });

  test('pages newest first with a limit and a lower bound', async () => {
    const every = ids(all());
    const { pages, messages } = await collect({ chat, order: 'newest', limit: 150 });
    expect(pages).toEqual([100, 50]);
    expect(ids(messages)).toEqual(every.slice(-150).reverse());
    expect(ids((await collect({ chat, order: 'newest', afterId: every.at(-11) })).messages)).toEqual(every.slice(-10).reverse());
  });

  test('honours date bounds in both orders, to the millisecond', async () => {
    const [first, second, third] = batches as [ChatMessage[], ChatMessage[], ChatMessage[]];
    const since = new Date(second[0]!.date);
    const until = new Date(third[0]!.date);
    const between = all().filter((m) => m.date >= since.toISOString() && m.date < until.toISOString());
    expect(between.length).toBeGreaterThanOrEqual(second.length);
    expect(between.some((m) => first.includes(m) || third.includes(m))).toBe(false);
    expect(ids((await collect({ chat, since, until })).messages)).toEqual(ids(between));
    expect(ids((await collect({ chat, since, until, order: 'newest' })).messages)).toEqual(ids(between).reverse());
    // Messages carry whole seconds: half a second after one, it is before `since`.
    const halfPast = new Date(since.getTime() + 500);
    const fromHalfPast = all().filter((m) => new Date(m.date).getTime() >= halfPast.getTime());
    expect(ids((await collect({ chat, since: halfPast })).messages)).toEqual(ids(fromHalfPast));
    expect(fromHalfPast).not.toContainEqual(second[0]);
  });

  test('describes the chat', async () => {
    expect(await port.chatInfo(chat)).toEqual({ id: groupId, title: 'Real builders', type: 'public_supergroup', username: groupName.slice(1), memberCount: 2 });
    expect(await port.creationDate(chat)).toBe(created.date);
  });

  test('lists members with filters, search and limit; phones only when asked', async () => {
    const list = async (query: Parameters<TelegramPort['members']>[1] = {}) => {
      const out = [];
      for await (const m of port.members(chat, query)) out.push(m);
      return out;
    };
    const members = await list();
    expect(members.map((m) => m.id).sort()).toEqual([`user${alice.id}`, `user${bob.id}`].sort());
    expect(members.find((m) => m.id === `user${bob.id}`)).toEqual({ id: `user${bob.id}`, username: bob.username, firstName: 'Bob', bot: false, premium: expect.any(Boolean), verified: false, admin: false });
    expect(members.every((m) => m.phone === undefined)).toBe(true);
    expect(await list({ filter: 'admins' })).toMatchObject([{ id: `user${alice.id}`, admin: true }]);
    expect(await list({ filter: 'bots' })).toEqual([]);
    expect((await list({ search: 'Bob' })).map((m) => m.id)).toEqual([`user${bob.id}`]);
    expect(await list({ limit: 1 })).toHaveLength(1);
    const withPhones = await list({ includePhone: true });
    expect(withPhones.find((m) => m.id === `user${bob.id}`)?.phone).toBe(bob.phone);
  });

  test('resolves every input form to the same chat, and refuses what names none', async () => {
    expect(chat).toEqual({ id: groupId, kind: 'channel' });
    const invite = (await alice.client.invoke(new Api.messages.ExportChatInvite({ peer: groupName }))) as Api.ChatInviteExported;
    const name = groupName.slice(1);
    for (const input of [name, `https://t.me/${name}`, `https://t.me/${name}/12`, invite.link, String(-(1e12 + groupId)), `https://t.me/c/${groupId}/5`, String(groupId)]) {
      expect(await portOf(alice, 'alice').resolveChat(input)).toEqual(chat);
    }
    expect(await port.resolveChat(`@${bob.username}`)).toEqual({ id: bob.id, kind: 'user' });
    expect(await port.resolveChat(String(bob.id))).toEqual({ id: bob.id, kind: 'user' });
    expect(await rejection(port.resolveChat('@nobody_here_zz'))).toMatchObject({ code: 'USERNAME_NOT_OCCUPIED', message: expect.stringMatching(/check the spelling/) });
    expect(await rejection(port.resolveChat('https://t.me/+Expired123456'))).toMatchObject({ code: 'INVITE_HASH_INVALID', message: expect.stringMatching(/copied whole/) });
    expect(await rejection(port.resolveChat('not a chat'))).toBeInstanceOf(BadInputError);
    // Ids that name no chat of this account: a supergroup, a basic group, a user.
    for (const unknown of ['-1004242424242', '-4242', '4242424242']) {
      const err = await rejection(portOf(alice, 'alice').resolveChat(unknown));
      expect(err).toBeInstanceOf(BadInputError);
      expect(err.message).toMatch(/not among this account's chats/);
    }
  });

  test('sends, replies, edits and sends files; refuses what Telegram would', async () => {
    const target = posted[0]!.id;
    const id = await port.send(chat, 'Weekly recap', { replyToId: target });
    await port.edit(chat, id, 'Weekly recap (final)');
    await port.edit(chat, id, 'Weekly recap (final)'); // the same text again is no error
    const [newest] = (await collect({ chat, order: 'newest', limit: 1 })).messages;
    expect(newest).toEqual({ id, chatId: groupId, date: expect.any(String), sender: peerOf(alice), text: 'Weekly recap (final)', replyToId: target, reactions: [], edited: expect.any(String) });
    await expect(port.send(chat, 'x'.repeat(4097))).rejects.toThrow(/4097 characters, more than the 4096.*Split it/);
    await expect(port.send(chat, '  ')).rejects.toBeInstanceOf(BadInputError);
    await expect(port.edit(chat, posted[0]!.id, 'not mine')).rejects.toBeInstanceOf(RemoteRefusedError);

    const dir = mkdtempSync(join(tmpdir(), 'tgpulse-send-'));
    writeFileSync(join(dir, 'summary.md'), '# Summary\n');
    const fileId = await port.sendFile(chat, { path: join(dir, 'summary.md'), caption: 'Summary', replyToId: id });
    expect(fileId).toBeGreaterThan(id);
    const [file] = (await collect({ chat, order: 'newest', limit: 1 })).messages;
    expect(file).toEqual({ id: fileId, chatId: groupId, date: expect.any(String), sender: peerOf(alice), text: 'Summary', replyToId: id, media: 'document', reactions: [] });
    const [raw] = (await bob.client.getMessages(groupName, { ids: [fileId] })) as Api.Message[];
    expect(Buffer.from((await bob.client.downloadMedia(raw!)) as Buffer).toString()).toBe('# Summary\n');
    await expect(port.sendFile(chat, { path: join(dir, 'missing.md') })).rejects.toThrow(/Cannot read the file to send/);
  });

  test('direct messages reach the user, and go to users only', async () => {
    expect(await port.sendDirect(`@${bob.username}`, 'hello Bob')).toEqual(expect.any(Number));
    // Private chats number messages per user, as on Telegram: Bob's copy has an id of its own.
    const [dm] = (await bob.client.getMessages(alice.username, { limit: 1 })) as Api.Message[];
    expect(dm).toMatchObject({ message: 'hello Bob', out: false });
    expect(dm?.senderId?.toString()).toBe(String(alice.id));
    await expect(port.sendDirect(groupName, 'hello')).rejects.toThrow(/not a user/);
  });

  test('who am I', async () => {
    expect(await port.whoami()).toEqual({ id: `user${alice.id}`, firstName: 'Alice', lastName: 'Liddell', username: alice.username, phone: alice.phone, premium: expect.any(Boolean) });
  });

  test('joins by invite link and by @username, then the chat resolves; leaves', async () => {
    const carol = await piltoverUser('Carol');
    try {
      const invite = (await alice.client.invoke(new Api.messages.ExportChatInvite({ peer: groupName }))) as Api.ChatInviteExported;
      const outsider = portOf(carol, 'carol');
      const notMember = await rejection(outsider.resolveChat(invite.link));
      expect(notMember).toBeInstanceOf(RemoteRefusedError);
      expect(notMember.message).toMatch(/not a member of "Real builders" yet: join it with the invite link first/);
      expect(await outsider.join(invite.link)).toEqual(chat);
      expect(await outsider.resolveChat(invite.link)).toEqual(chat);
      const members = async () => {
        const out = [];
        for await (const m of port.members(chat)) out.push(m.id);
        return out;
      };
      const count = async () => (await port.chatInfo(chat)).memberCount;
      expect(await members()).toContain(`user${carol.id}`);
      expect(await count()).toBe(3);
      await outsider.leave(chat);
      // piltover keeps a member who left in the member list (Telegram drops them); the count is right on both.
      expect(await count()).toBe(2);
      expect(await outsider.join(groupName)).toEqual(chat);
      expect(await count()).toBe(3);
      await expect(outsider.join('https://t.me/+Expired123456')).rejects.toMatchObject({ code: 'INVITE_HASH_INVALID' });
    } finally {
      await carol.close();
    }
  });

  test('a method the server does not implement (takeout) fails once with what it is, not retried', async () => {
    const guard = new CountingGuard();
    const takeoutPort = new GramjsTelegram({ client: alice.client, guard, account: 'alice', peers: new PeerCache(redis, telegramKeys(`${uniqueName('real')}:`), 'alice') });
    const target = await takeoutPort.resolveChat(groupName);
    const err = await rejection(collect({ chat: target, takeout: true }, takeoutPort));
    expect(err).toBeInstanceOf(RemoteRefusedError);
    expect(err).not.toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/does not implement account\.InitTakeoutSession \(NOT_IMPLEMENTED\)/);
    expect(guard.calls.filter((c) => c.method === 'account.InitTakeoutSession')).toHaveLength(1);
  });
});

describe('quotas count what happened on a real MTProto server', () => {
  test('a join the server refused uses no daily quota and no group slot; one that happened does, and leaving frees the slot', async () => {
    const dave = await piltoverUser('Dave');
    try {
      const limiter = createLimiter({ redis, prefix: `${uniqueName('quota')}:`, ratePerSecond: 50, burst: 10, pauseJoinSeconds: 0 });
      const davePort = new GramjsTelegram({ client: dave.client, guard: limiter, account: 'dave', peers: new PeerCache(redis, telegramKeys(`${uniqueName('quota')}:`), 'dave') });
      const used = async () => Object.fromEntries((await limiter.getStats('dave')).quotas.map((q) => [q.quota, q.used]));
      await expect(davePort.join('https://t.me/+Invalid12345678')).rejects.toMatchObject({ code: 'INVITE_HASH_INVALID' });
      expect(await used()).toMatchObject({ MAX_JOINS_PER_DAY: 0, MAX_GROUPS: 0 });
      const joined = await davePort.join(groupName);
      expect(await used()).toMatchObject({ MAX_JOINS_PER_DAY: 1, MAX_GROUPS: 1 });
      await davePort.leave(joined);
      expect(await used()).toMatchObject({ MAX_JOINS_PER_DAY: 1, MAX_GROUPS: 0 });
    } finally {
      await dave.close();
    }
  });
});

describe('accounts on a real MTProto server', () => {
  test('login (phone, code) → session file → whoami → logout; the dead session is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgpulse-sessions-'));
    const config = { ...PILTOVER_API, ...piltoverSettings(), SESSION_DIR: dir, SESSION_NAME: 'work', REDIS_KEY_PREFIX: `${uniqueName('login')}:` };
    const deps = accountDepsFromConfig(config, { redis, guard: new CountingGuard() });
    // A number piltover has not seen signs up: the user is asked for a name; an existing one signs in.
    const existing = await piltoverUser('Dora', { lastName: 'Explorer' });
    await existing.close();
    const { account, sessionFile } = await loginTelegramAccount({ ...deps, prompts: { phone: async () => existing.phone, code: async () => testPiltover().login_code, password: async () => 'unused' } });
    expect(account).toMatchObject({ id: `user${existing.id}`, firstName: 'Dora', lastName: 'Explorer', phone: existing.phone });
    expect(sessionFile).toBe(join(dir, 'work.session'));

    const open = await openTelegramAccount(deps);
    try {
      expect(await open.telegram.whoami()).toEqual(account);
    } finally {
      await open.close();
    }
    expect(await logoutTelegramAccount(deps)).toEqual({ removed: true });
    await expect(openTelegramAccount(deps)).rejects.toThrow(/not logged in.*tgpulse login --account work/);
  });

  test('a wrong login code is refused with what to do, and no session file is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgpulse-sessions-'));
    const deps = accountDepsFromConfig({ ...PILTOVER_API, ...piltoverSettings(), SESSION_DIR: dir, SESSION_NAME: 'work', REDIS_KEY_PREFIX: `${uniqueName('login')}:` }, { redis, guard: new CountingGuard() });
    const err = await rejection(loginTelegramAccount({ ...deps, prompts: { phone: async () => uniquePhone(), code: async () => '11111', password: async () => 'unused' } }));
    expect(err).toMatchObject({ code: 'PHONE_CODE_INVALID', message: expect.stringMatching(/login code is wrong/) });
    expect(await deps.sessions.read('work')).toBeUndefined();
  });

  test('an unreachable server is one clear error within seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgpulse-sessions-'));
    const config = { ...PILTOVER_API, ...piltoverSettings(), TELEGRAM_SERVER: '127.0.0.1:9', TELEGRAM_CONNECT_TIMEOUT_SECONDS: 2, SESSION_DIR: dir, SESSION_NAME: 'work', REDIS_KEY_PREFIX: `${uniqueName('down')}:` };
    const deps = accountDepsFromConfig(config, { redis, guard: new CountingGuard() });
    const started = Date.now();
    const err = await rejection(loginTelegramAccount({ ...deps, prompts: { phone: async () => uniquePhone(), code: async () => '22222', password: async () => 'unused' } }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/^Cannot connect to the Telegram server at 127\.0\.0\.1:9 after 2 attempts \(.*ECONNREFUSED.*\): check TELEGRAM_SERVER/);
    expect(err.message).not.toContain('\n');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
