import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { exited } from '../support/child-worker';
import { runCli } from '../support/cli';
import { piltoverGroup, piltoverUser, receivedFrom, resolveUser, type PiltoverUser } from '../support/piltover-users';
import { testStack } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { piltoverConfig, piltoverEnv } from '../telegram-pipeline/support/piltover-pipeline';
import { chatMessages, documentName, waitFor } from './support/userbot-stack';

/**
 * `npm run userbot` killed with SIGKILL while a job runs, and started again: the job (a child workflow) goes on, its
 * result reaches the owner once; messages sent while the userbot was down are answered once when it is back.
 */

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const ACCOUNT = 'lazarus';

let dir: string;
let owner: PiltoverUser;
let friend: PiltoverUser;
let group: string;
let tw: TestWorker;
let env: Record<string, string>;
let child: ChildProcess | undefined;

/** The real userbot entry point in its own process (one request every 2 s: the job is still running when it dies). */
let logFile: string;
function spawnUserbot(): ChildProcess {
  logFile = join(testStack().logDir, `userbot-${ACCOUNT}-${Date.now()}.log`);
  const log = openSync(logFile, 'a');
  return spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), join(ROOT, 'src/starters/userbot/main.ts'), '--account', ACCOUNT], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-userbot-kill-'));
  [owner, friend] = await Promise.all([piltoverUser('Kate'), piltoverUser('Finn')]);
  group = (await piltoverGroup(owner, 'Kill cohort', [friend])).username;
  for (const [i, line] of ['Standup at ten', 'Who reviews the schema?', 'Me, after lunch', 'Blocked: the VPN is down', 'VPN is back'].entries()) {
    await (i % 2 === 0 ? owner : friend).client.sendMessage(`@${group}`, { message: line });
  }
  const config = piltoverConfig(dir, ACCOUNT);
  const login = await runCli(['login', '--session', ACCOUNT, '--phone', owner.phone, '--code', '22222'], piltoverEnv(config));
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  // The general worker and the userbot share the artifact store, as on one host.
  tw = await startTestWorker({ store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
  env = { ...piltoverEnv(config), TEMPORAL_TASK_QUEUE: tw.taskQueue, DATA_DIR: join(dir, 'data'), OUTPUT_DIR: join(dir, 'out'), USERBOT_ALLOWLIST: `@${friend.username}`, RATE_RPS: '0.5', RATE_BURST: '1', ACCOUNT_METRICS_PORT: '0', METRICS_PORT: '0' };
});

afterAll(async () => {
  if (child) {
    child.kill('SIGTERM');
    await exited(child);
  }
  await tw?.stop();
  await Promise.all([owner, friend].map((u) => u?.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ownerAs = (user: PiltoverUser) => resolveUser(user.client, owner.username);

const repliesTo = async (user: PiltoverUser) => receivedFrom(user.client, await ownerAs(user));

/** A first start takes the update stream from where it stands: talk to it once it says it listens. */
const listening = () => waitFor('the userbot to listen', async () => (readFileSync(logFile, 'utf8').includes(' listening (owner ') ? true : undefined), 120_000);

test('the userbot killed mid-job and started again: the job delivers once, messages sent meanwhile are answered once', async () => {
  child = spawnUserbot();
  await listening();
  const start = await owner.client.sendMessage('me', { message: `/summarize https://t.me/${group} who is blocked` });
  const saved = async () => (await chatMessages(owner, 'me', 60)).filter((m) => m.id > start.id);
  await waitFor('the job\'s status message', async () => (await saved()).find((m) => /^Run 1/.test(m.message)), 120_000);
  child.kill('SIGKILL');
  await exited(child);
  child = undefined;

  const asked = await friend.client.sendMessage(await ownerAs(friend), { message: '/help' });
  child = spawnUserbot();
  await waitFor('the /help answer after the restart', async () => (await repliesTo(friend)).find((m) => m.id > asked.id && m.message.includes('/summarize <chat>')), 150_000);
  const files = await waitFor('the job\'s two files', async () => {
    const docs = (await saved()).filter((m) => documentName(m));
    return docs.length >= 2 ? docs : undefined;
  }, 150_000);

  // A barrier: once /runs is answered, anything sent twice would be there too.
  const runs = await owner.client.sendMessage('me', { message: '/runs' });
  const listed = await waitFor('/runs', async () => (await chatMessages(owner, 'me', 60)).find((m) => m.id > runs.id && m.message.startsWith('Run 1:')), 60_000);
  expect(listed.message).toMatch(/— done, \d+ messages$/);
  const after = await saved();
  expect(files.map((m) => documentName(m)!.replace(/^.*\./, '')).sort()).toEqual(['json', 'md']);
  expect(after.filter((m) => documentName(m))).toHaveLength(2);
  expect(after.filter((m) => /^Run 1 done/.test(m.message))).toHaveLength(1);
  expect((await repliesTo(friend)).filter((m) => m.id > asked.id && m.message.includes('/summarize <chat>'))).toHaveLength(1);
});
