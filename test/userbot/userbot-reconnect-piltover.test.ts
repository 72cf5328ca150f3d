import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelegramClient } from 'telegram';
import { freeServerPort, killPiltover, startPiltover, stopPiltover, type PiltoverInfo } from '../support/piltover';
import { piltoverClient, piltoverUser, receivedFrom, resolveUser, type PiltoverUser } from '../support/piltover-users';
import { startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/**
 * The server dies under a running userbot: piltover (file database, fixed port) is killed with SIGKILL and started
 * again on the same port and database. The userbot's connection comes back by itself and it catches up at once:
 * messages an allowlisted friend sends after the restart are answered, each once, long before the 30 s watchdog
 * (set to ten minutes here) would have found them.
 */

jest.setTimeout(300_000);

const ACCOUNT = 'phoenix';

let dir: string;
let server: { stateDir: string; db: string; port: number };
let info: PiltoverInfo;
let owner: PiltoverUser;
let friend: PiltoverUser;
let friendClient: TelegramClient | undefined;
let stack: UserbotStack;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-userbot-restart-'));
  // The session files store the server's address: the restarted server must come back on the same port.
  server = { stateDir: join(dir, 'server'), db: `sqlite:///${join(dir, 'piltover.db')}`, port: await freeServerPort() };
  info = await startPiltover(server);
  [owner, friend] = await Promise.all([piltoverUser('Owner', { info }), piltoverUser('Friend', { info })]);
  stack = await startUserbotStack({ owner, account: ACCOUNT, allow: `@${friend.username}`, info, watchdogMs: 600_000, onError: (err) => process.stderr.write(`[userbot] ${new Date().toISOString()} ${String(err)}\n`) });
});

afterAll(async () => {
  await stack?.stop();
  await friendClient?.destroy();
  await Promise.all([owner, friend].map((u) => u?.close().catch(() => undefined)));
  if (info) await stopPiltover(info);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ownerAs = (client: TelegramClient) => resolveUser(client, owner.username);

const repliesIn = async (client: TelegramClient) => receivedFrom(client, await ownerAs(client));

test('piltover killed and restarted under the userbot: messages sent after the restart are answered, once each', async () => {
  await friend.client.sendMessage(await ownerAs(friend.client), { message: '/status' });
  await waitFor('the answer before the restart', async () => (await repliesIn(friend.client)).find((m) => m.message.startsWith('Nothing is running')), 60_000);
  // Only the userbot is connected when the server dies; the friend comes back on its session afterwards.
  await Promise.all([owner.close(), friend.close()]);
  const fingerprint = info.fingerprint_signed;
  await killPiltover(info);
  info = await startPiltover(server);
  expect({ port: info.port, fingerprint: info.fingerprint_signed }).toEqual({ port: server.port, fingerprint });

  friendClient = await piltoverClient(friend.session, info);
  const to = await ownerAs(friendClient);
  const help = await friendClient.sendMessage(to, { message: '/help' });
  const runs = await friendClient.sendMessage(to, { message: '/runs' });
  const client = friendClient;
  await waitFor('both answers after the restart', async () => {
    const after = (await repliesIn(client)).filter((m) => m.id > help.id);
    return after.some((m) => m.message.includes('/summarize <chat>')) && after.some((m) => m.message === 'No runs yet.') ? after : undefined;
  }, 120_000);
  // A watchdog tick afterwards (getDifference again) hands nothing on twice.
  await stack.userbot.catchUp();
  const barrier = await friendClient.sendMessage(to, { message: '/status' });
  await waitFor('the barrier', async () => (await repliesIn(client)).find((m) => m.id > barrier.id && m.message.startsWith('Nothing is running')), 60_000);
  const after = (await repliesIn(friendClient)).filter((m) => m.id > help.id);
  expect(after.filter((m) => m.message.includes('/summarize <chat>'))).toHaveLength(1);
  expect(after.filter((m) => m.message === 'No runs yet.')).toHaveLength(1);
  expect(runs.id).toBeGreaterThan(help.id);
});
