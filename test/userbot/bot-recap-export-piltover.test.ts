import { Api } from 'telegram';
import { lastCompletedWeek } from '../../src/recap';
import { piltoverGroup, piltoverUser, receivedFrom, resolveUser, type PiltoverUser } from '../support/piltover-users';
import { startBotStack, type BotStack } from './support/bot-stack';
import { chatMessages, documentName, waitFor } from './support/userbot-stack';

/**
 * `/recap` and `/export` in bot mode on a real MTProto server: the reading account reads the group, the recap and
 * the files reach the friend's and the owner's chats with the bot, sent by the bot; the reading account says nothing.
 */

jest.setTimeout(300_000);

const TITLE = 'Bot recap cohort';
let owner: PiltoverUser;
let friend: PiltoverUser;
let group: string;
const ids: number[] = [];
let stack: BotStack;
let botId: string;
const botFor = new Map<PiltoverUser, Api.User>();
let savedBefore: number;

beforeAll(async () => {
  [owner, friend] = await Promise.all([piltoverUser('Bea'), piltoverUser('Cid')]);
  group = (await piltoverGroup(owner, TITLE, [friend])).username;
  for (const [i, line] of ['Who has the slides?', 'I do, sending now', '#demo my app is live: https://example.com/app'].entries()) {
    ids.push((await (i % 2 === 0 ? owner : friend).client.sendMessage(`@${group}`, { message: line })).id);
  }
  savedBefore = (await chatMessages(owner, 'me', 5)).at(-1)?.id ?? 0;
  stack = await startBotStack({ owner, account: 'recapreader', allow: `@${friend.username}` });
  botId = stack.token.split(':')[0]!;
  for (const u of [owner, friend]) botFor.set(u, await resolveUser(u.client, stack.bot.botUsername!));
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([owner, friend].map((u) => u?.close()));
});

const send = (user: PiltoverUser, text: string) => user.client.sendMessage(botFor.get(user)!, { message: text });
const after = async (user: PiltoverUser, id: number) => (await receivedFrom(user.client, botFor.get(user)!)).filter((m) => m.id > id);
const download = async (user: PiltoverUser, m: Api.Message) => ((await user.client.downloadMedia(m, {})) as Buffer).toString('utf8');

/** Nothing reached either user from the reading account: not the friend's chat with the owner, not the owner's Saved Messages. */
async function readerSaidNothing(): Promise<void> {
  expect(await receivedFrom(friend.client, await resolveUser(friend.client, owner.username), 20)).toEqual([]);
  expect((await chatMessages(owner, 'me', 20)).filter((m) => m.id > savedBefore)).toEqual([]);
}

test('/recap <chat> last from the friend: the status and the recap (the infographic with its caption) reach the friend\'s chat with the bot, from the bot', async () => {
  const before = lastCompletedWeek(new Date(), 'UTC');
  const sent = await send(friend, `/recap @${group} last`);
  const status = await waitFor('the final status', async () => (await after(friend, sent.id)).find((m) => m.message.startsWith('Run 1 done')), 120_000);
  const week = /recap of (\d{4}-W\d\d) \(UTC\)/.exec(status.message)?.[1];
  // The week comes from the clock at the run's start: either side of a week boundary is right.
  expect([before, lastCompletedWeek(new Date(), 'UTC')]).toContain(week);
  expect(status.message).toMatch(new RegExp(`^Run 1 done: recap of ${week} \\(UTC\\) for "${TITLE}"`));
  const posted = await waitFor('the recap posts', async () => {
    const list = (await after(friend, sent.id)).filter((m) => !m.message.startsWith('Run '));
    return list.some((m) => m.media) ? list : undefined;
  });
  expect(posted.map((m) => m.message).join('\n')).toContain(TITLE);
  for (const m of await after(friend, sent.id)) expect(m.senderId?.toString()).toBe(botId);
  await readerSaidNothing();
});

test('/export members from the friend: a CSV of the group\'s members, from the bot', async () => {
  const sent = await send(friend, `/export members @${group}`);
  const file = await waitFor('the CSV', async () => (await after(friend, sent.id)).find((m) => documentName(m)?.endsWith('.csv')), 120_000);
  const status = (await after(friend, sent.id)).find((m) => m.message.startsWith('Run 2 done'));
  expect(status?.message).toBe(`Run 2 done: 2 members of "${TITLE}" as CSV, in the file below.`);
  const csv = await download(friend, file);
  expect(csv.split('\n')[0]).toMatch(/^id,username,first_name/);
  expect(csv).toContain(owner.username);
  expect(csv).toContain(friend.username);
  for (const m of await after(friend, sent.id)) expect(m.senderId?.toString()).toBe(botId);
  await readerSaidNothing();
});

test('/export messages from the owner: a JSONL whose ids and texts are the group\'s, in the owner\'s chat with the bot', async () => {
  const sent = await send(owner, `/export messages @${group}`);
  const file = await waitFor('the JSONL', async () => (await after(owner, sent.id)).find((m) => documentName(m)?.endsWith('.jsonl')), 120_000);
  expect(file.senderId?.toString()).toBe(botId);
  const lines = (await download(owner, file)).trim().split('\n').map((l) => JSON.parse(l) as { id: number; text: string });
  for (const id of ids) expect(lines.map((l) => l.id)).toContain(id);
  expect(lines.find((l) => l.id === ids[1])?.text).toBe('I do, sending now');
  await readerSaidNothing();
});

test('an export of a chat that does not exist fails with one line from the bot; no file is sent', async () => {
  const sent = await send(friend, '/export members @no_such_group_zz9');
  const failed = await waitFor('the failure', async () => (await after(friend, sent.id)).find((m) => / failed: /.test(m.message)), 120_000);
  expect(failed.message).toMatch(/^Run 3 \(@no_such_group_zz9\) failed: .+/);
  expect(failed.message).not.toContain('\n');
  expect(failed.senderId?.toString()).toBe(botId);
  expect((await after(friend, sent.id)).filter((m) => documentName(m))).toEqual([]);
});
