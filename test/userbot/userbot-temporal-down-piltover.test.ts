import { Client, Connection } from '@temporalio/client';
import type { Api } from 'telegram';
import { HandOnFailed } from '../../src/starters/userbot';
import { piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { testStack } from '../support/stack';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { chatMessages, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/**
 * Temporal out of the listener's reach (a proxy between them is cut) while the owner writes, on a real MTProto
 * server: nothing the owner sent is lost. The catch-ups made meanwhile fail without moving their cursor, and the
 * first one after Temporal is back hands every message on; each is answered once, in order.
 */

jest.setTimeout(300_000);

let owner: PiltoverUser;
let stack: UserbotStack;
let proxy: TcpProxy;
let connection: Connection;
const notHandedOn: number[] = [];

beforeAll(async () => {
  owner = await piltoverUser('Tara');
  proxy = await startTcpProxy(testStack().temporalAddress);
  connection = await Connection.connect({ address: proxy.address });
  stack = await startUserbotStack({
    owner,
    account: 'tdown',
    allow: '',
    client: new Client({ connection, namespace: 'default' }),
    // The test drives the catch-ups itself.
    watchdogMs: 3_600_000,
    onError: (_err, message) => {
      if (message) notHandedOn.push(message.id);
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await connection?.close();
  await proxy?.close();
  await owner?.close();
});

const savedAfter = async (afterId: number): Promise<Api.Message[]> => (await chatMessages(owner, 'me', 60)).filter((m) => m.id > afterId);

test('messages sent while Temporal is unreachable are answered once, in order, when it is back', async () => {
  const hello = await owner.client.sendMessage('me', { message: '/status' });
  await waitFor('the first answer', async () => (await savedAfter(hello.id)).find((m) => m.message === 'Nothing is running.'));

  proxy.cut();
  const runs = await owner.client.sendMessage('me', { message: '/runs' });
  const help = await owner.client.sendMessage('me', { message: '/help' });
  // The first fails to reach Temporal; the second waits behind it (handed on first, it would be answered first).
  await waitFor('the first message to fail to reach Temporal', async () => (notHandedOn.includes(runs.id) ? true : undefined), 180_000);
  // A catch-up while Temporal is still away fails and keeps its cursor.
  await expect(stack.userbot.catchUp()).rejects.toEqual(new HandOnFailed(2));
  expect(await savedAfter(help.id)).toEqual([]);

  proxy.restore();
  await waitFor('a catch-up that hands everything on', () => stack.userbot.catchUp().then(() => true, () => undefined), 180_000);
  const answers = await waitFor('both answers', async () => {
    const seen = (await savedAfter(help.id)).map((m) => m.message);
    return seen.length >= 2 ? seen : undefined;
  }, 60_000);
  // Another catch-up finds nothing new: nothing is answered twice.
  await stack.userbot.catchUp();
  const after = (await savedAfter(help.id)).map((m) => m.message);
  expect(after).toEqual(answers);
  expect(answers).toHaveLength(2);
  expect(answers[0]).toBe('No runs yet.');
  expect(answers[1]).toContain('/summarize <chat> [what to look for]');
});
