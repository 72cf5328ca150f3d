import { Api } from 'telegram';
import { userbotIgnoredMessages, botUpdatesCursorKey } from '../../src/starters/userbot';
import { botAccountName } from '../../src/telegram';
import { piltoverUser, receivedFrom, resolveUser, type PiltoverUser } from '../support/piltover-users';
import { startBotStack, type BotStack } from './support/bot-stack';
import { waitFor } from './support/userbot-stack';

/**
 * Bot mode never misses a message: what the owner, an allowlisted friend and a stranger send the bot while it is
 * down is found when it starts again (`updates.getDifference` from the bot's own stored cursor) and answered once
 * each, by the bot; the stranger's never. A stored cursor that cannot be used does not stop the bot.
 */

jest.setTimeout(300_000);

let owner: PiltoverUser;
let friend: PiltoverUser;
let stranger: PiltoverUser;
let stack: BotStack;
let username: string;
const botFor = new Map<PiltoverUser, Api.User>();

beforeAll(async () => {
  [owner, friend, stranger] = await Promise.all([piltoverUser('Olga'), piltoverUser('Fred'), piltoverUser('Stan')]);
  stack = await startBotStack({ owner, account: 'catcher', allow: `@${friend.username}` });
  username = stack.bot.botUsername!;
  for (const u of [owner, friend, stranger]) botFor.set(u, await resolveUser(u.client, username));
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([owner, friend, stranger].map((u) => u?.close()));
});

const send = (user: PiltoverUser, text: string) => user.client.sendMessage(botFor.get(user)!, { message: text });
const received = (user: PiltoverUser) => receivedFrom(user.client, botFor.get(user)!);
const answers = async (user: PiltoverUser, afterId: number, match: (text: string) => boolean) => (await received(user)).filter((m) => m.id > afterId && match(m.message));
const isHelp = (t: string) => t.includes('/summarize <chat>');
const isRuns = (t: string) => t === 'No runs yet.';
const isStatus = (t: string) => t.startsWith('Nothing is running');

/** Sends `/status` as `user` and waits for its answer: everything sent before it has been handed on by then. */
async function barrier(user: PiltoverUser): Promise<void> {
  const sent = await send(user, '/status');
  await waitFor('the barrier /status', async () => ((await answers(user, sent.id, isStatus)).length > 0 ? true : undefined), 90_000);
}

const strangerCount = async () => (await userbotIgnoredMessages.get()).values.find((v) => v.labels.reason === 'stranger')?.value ?? 0;

test('messages sent while the bot was down are answered once each when it is back, by the bot; a stranger\'s never; a second restart answers nothing again', async () => {
  await barrier(friend);
  await stack.stopBot();

  const help = await send(friend, '/help');
  const runs = await send(owner, '/runs');
  await send(stranger, '/help');
  const strangersBefore = await strangerCount();
  await stack.startAgain();

  await waitFor('the friend\'s /help answer', async () => ((await answers(friend, help.id, isHelp)).length > 0 ? true : undefined), 90_000);
  await waitFor('the owner\'s /runs answer', async () => ((await answers(owner, runs.id, isRuns)).length > 0 ? true : undefined), 90_000);
  // The stranger's message was found too (counted), and left unanswered.
  expect(await strangerCount()).toBeGreaterThanOrEqual(strangersBefore + 1);
  // A watchdog tick now, then a barrier: anything handed on twice would be answered by then.
  await stack.bot.catchUp();
  await barrier(friend);
  await barrier(owner);
  expect(await answers(friend, help.id, isHelp)).toHaveLength(1);
  expect(await answers(owner, runs.id, isRuns)).toHaveLength(1);
  expect(await received(stranger)).toEqual([]);
  const botId = stack.token.split(':')[0];
  for (const user of [friend, owner]) for (const m of await received(user)) expect(m.senderId?.toString()).toBe(botId);

  // Started once more with nothing sent meanwhile: nothing is answered again.
  await stack.stopBot();
  await stack.startAgain();
  await barrier(friend);
  await barrier(owner);
  expect(await answers(friend, help.id, isHelp)).toHaveLength(1);
  expect(await answers(owner, runs.id, isRuns)).toHaveLength(1);
  expect(await received(stranger)).toEqual([]);
});

test('a stored cursor that is not JSON: the bot says so, starts from now and answers', async () => {
  await stack.stopBot();
  await stack.store.put(botUpdatesCursorKey(botAccountName(stack.token)), '{"pts": 12, "qts"');
  stack.errors.length = 0;
  await stack.startAgain();
  expect(stack.errors).toEqual([expect.stringMatching(/updates cursor .* is unusable \(not JSON\): catching up from now/)]);
  await barrier(friend);
});

test('a stored cursor ahead of the server\'s stream is replaced: messages sent while the bot is down afterwards are still found', async () => {
  await stack.stopBot();
  // A cursor far ahead would hide every message up to it (the server answers "nothing new").
  await stack.store.put(botUpdatesCursorKey(botAccountName(stack.token)), JSON.stringify({ pts: 1_000_000_000, qts: 0, date: 0 }));
  stack.errors.length = 0;
  await stack.startAgain();
  expect(stack.errors).toEqual([expect.stringMatching(/updates cursor .* is ahead of the server's \(pts 1000000000 > \d+\): catching up from now/)]);
  await stack.stopBot();
  const help = await send(friend, '/help');
  await stack.startAgain();
  await waitFor('the /help sent while down', async () => ((await answers(friend, help.id, isHelp)).length > 0 ? true : undefined), 90_000);
  await barrier(friend);
  expect(await answers(friend, help.id, isHelp)).toHaveLength(1);
});

test('a crash leaves the cursor from before messages it answered: they come again in the catch-up and are not answered twice', async () => {
  const key = botUpdatesCursorKey(botAccountName(stack.token));
  await barrier(friend);
  const old = (await stack.store.tryGet(key))!.toString('utf8');
  const help = await send(friend, '/help');
  const runs = await send(owner, '/runs');
  await waitFor('both answers', async () => ((await answers(friend, help.id, isHelp)).length > 0 && (await answers(owner, runs.id, isRuns)).length > 0 ? true : undefined), 90_000);
  await stack.stopBot();
  // What a process killed before its next tick leaves behind: the cursor from before those two messages.
  await stack.store.put(key, old);
  await stack.startAgain();
  await stack.bot.catchUp();
  await barrier(friend);
  await barrier(owner);
  expect(await answers(friend, help.id, isHelp)).toHaveLength(1);
  expect(await answers(owner, runs.id, isRuns)).toHaveLength(1);
});
