import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelegramClient } from 'telegram';
import { freeServerPort, killPiltover, startPiltover, stopPiltover, type PiltoverInfo } from '../support/piltover';
import { piltoverClient, piltoverUser, receivedFrom, resolveUser, type PiltoverUser } from '../support/piltover-users';
import { startBotStack, type BotStack } from './support/bot-stack';
import { waitFor } from './support/userbot-stack';

/**
 * The server dies under a running bot: piltover (file database, fixed port) is killed with SIGKILL, the bot's
 * watchdog catches up every 2 s and fails while it is down (a request to a dead server is never answered: each
 * catch-up is given up after 10 s), then piltover starts again on the same port and
 * database. The failed catch-ups do not stop the bot: its connection comes back, and what the friend sends after the
 * restart is answered by the bot, once each.
 */

jest.setTimeout(300_000);

let dir: string;
let server: { stateDir: string; db: string; port: number };
let info: PiltoverInfo;
let owner: PiltoverUser;
let friend: PiltoverUser;
let friendClient: TelegramClient | undefined;
let stack: BotStack;
let username: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-bot-restart-'));
  server = { stateDir: join(dir, 'server'), db: `sqlite:///${join(dir, 'piltover.db')}`, port: await freeServerPort() };
  info = await startPiltover(server);
  [owner, friend] = await Promise.all([piltoverUser('Owner', { info }), piltoverUser('Friend', { info })]);
  stack = await startBotStack({ owner, account: 'botphoenix', allow: `@${friend.username}`, info, watchdogMs: 2_000, catchUpTimeoutMs: 10_000 });
  username = stack.bot.botUsername!;
});

afterAll(async () => {
  await stack?.stop();
  await friendClient?.destroy();
  await Promise.all([owner, friend].map((u) => u?.close().catch(() => undefined)));
  if (info) await stopPiltover(info);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const botAs = (client: TelegramClient) => resolveUser(client, username);

const answersIn = async (client: TelegramClient) => receivedFrom(client, await botAs(client));

test('piltover killed under the bot: its catch-ups fail meanwhile, and once the server is back the bot answers, once each', async () => {
  await friend.client.sendMessage(await botAs(friend.client), { message: '/status' });
  await waitFor('the answer before the restart', async () => (await answersIn(friend.client)).find((m) => m.message.startsWith('Nothing is running')), 60_000);
  await Promise.all([owner.close(), friend.close()]);
  await killPiltover(info);
  const failedBefore = stack.errors.length;
  // The watchdog ticks while the server is down: its catch-ups fail (reported), the bot goes on.
  await waitFor('a failed catch-up', async () => (stack.errors.length > failedBefore ? true : undefined), 120_000);
  expect(stack.errors.slice(failedBefore).join('\n')).toMatch(/catch-up|connect|Telegram/i);
  info = await startPiltover(server);
  expect(info.port).toBe(server.port);

  friendClient = await piltoverClient(friend.session, info);
  const client = friendClient;
  const to = await botAs(client);
  const help = await client.sendMessage(to, { message: '/help' });
  await client.sendMessage(to, { message: '/runs' });
  await waitFor('both answers after the restart', async () => {
    const after = (await answersIn(client)).filter((m) => m.id > help.id);
    return after.some((m) => m.message.includes('/summarize <chat>')) && after.some((m) => m.message === 'No runs yet.') ? after : undefined;
  }, 150_000);
  // More watchdog ticks, then a barrier: anything handed on twice would be answered by then.
  await stack.bot.catchUp();
  const barrier = await client.sendMessage(to, { message: '/status' });
  await waitFor('the barrier', async () => (await answersIn(client)).find((m) => m.id > barrier.id && m.message.startsWith('Nothing is running')), 60_000);
  const after = (await answersIn(client)).filter((m) => m.id > help.id);
  expect(after.filter((m) => m.message.includes('/summarize <chat>'))).toHaveLength(1);
  expect(after.filter((m) => m.message === 'No runs yet.')).toHaveLength(1);
  for (const m of after) expect(m.senderId?.toString()).toBe(stack.token.split(':')[0]);
});
