import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { floodWaitEvents } from '../../src/observability';
import { injectFlood, startPiltover, stopPiltover, type PiltoverInfo } from '../support/piltover';
import { piltoverGroup, piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { chatMessages, documentName, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/**
 * A flood wait on the status edits, on a piltover of its own (its control port makes every caller of a method wait,
 * so it must not be the server other suites share).
 */

jest.setTimeout(180_000);

let dir: string;
let info: PiltoverInfo;
let owner: PiltoverUser;
let group: string;
let stack: UserbotStack;

const flood = (method: string, count: number, seconds: number) => injectFlood(info, method, count, seconds);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-userbot-flood-'));
  info = await startPiltover({ stateDir: join(dir, 'server') });
  owner = await piltoverUser('Maya', { info });
  const g = await piltoverGroup(owner, 'Flood chat');
  group = g.username;
  for (let i = 0; i < 12; i++) await owner.client.sendMessage(`@${group}`, { message: `line ${i}` });
  stack = await startUserbotStack({ owner, account: 'flood', allow: '', info, floodTimerThresholdSeconds: 1, watchdogMs: 2000 });
});

afterAll(async () => {
  await stack?.stop();
  await owner?.close();
  if (info) await stopPiltover(info);
  rmSync(dir, { recursive: true, force: true });
});

test('a flood wait on the status edits: the status catches up later and the result arrives once', async () => {
  // Every status edit is refused twice with FLOOD_WAIT_3 (a wait longer than the 1 s the account worker retries
  // itself: the workflow sleeps through it). Set before the job starts: on a fast machine a 13-message job is done
  // before a test could see its first status.
  const floods = async () => (await floodWaitEvents.get()).values.reduce((n, v) => n + v.value, 0);
  const before = await floods();
  await flood('messages.editMessage', 2, 3);
  const start = await owner.client.sendMessage('me', { message: `/summarize https://t.me/${group} anything` });
  const done = await waitFor('the final status', async () => (await chatMessages(owner, 'me')).find((m) => m.id > start.id && m.message.startsWith('Run 1 done:')), 90_000);
  // The edits did hit the wait (the limiter counted it), and went through after it.
  expect(await floods()).toBeGreaterThan(before);
  expect(done.message).toBe('Run 1 done: 13 messages read from "Flood chat". The summary is below. No model is set up (OPENAI_BASE_URL), so your prompt was not used: this is the no-model digest.');
  // The files follow the final status.
  await waitFor('both files', async () => ((await chatMessages(owner, 'me')).filter((m) => m.id > start.id && documentName(m)).length >= 2 ? true : undefined));
  const after = (await chatMessages(owner, 'me')).filter((m) => m.id > start.id);
  expect(after.filter((m) => m.message.startsWith('Flood chat: digest'))).toHaveLength(1);
  expect(after.filter((m) => documentName(m)).map((m) => documentName(m)!.replace(/^.*\./, '')).sort()).toEqual(['json', 'md']);
  expect(after.filter((m) => m.message.startsWith('Run 1'))).toHaveLength(1);
});
