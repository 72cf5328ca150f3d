import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../src/devstack';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { exited } from '../support/child-worker';
import { runCli } from '../support/cli';
import { piltoverUser, receivedFrom, type PiltoverUser } from '../support/piltover-users';
import { testStack } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { piltoverConfig, piltoverEnv } from '../telegram-pipeline/support/piltover-pipeline';
import { newBot } from './support/bot-stack';
import { waitFor } from './support/userbot-stack';
import { opsEndpoint } from './support/ops-endpoint';

/**
 * `npm run userbot -- --bot` serves the same `/metrics` and `/healthz` on ACCOUNT_METRICS_PORT: a stranger's message
 * to the bot is counted and not answered, the owner's is counted as handed on, and `/healthz` checks both workers
 * (the reading account's and the bot's).
 */

jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../..');
const ACCOUNT = 'lookout';

let dir: string;
let owner: PiltoverUser;
let stranger: PiltoverUser;
let botUsername: string;
let tw: TestWorker;
let opsPort: number;
let child: ChildProcess | undefined;
let logFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-bot-ops-'));
  [owner, stranger] = await Promise.all([piltoverUser('Lena'), piltoverUser('Stranger')]);
  botUsername = `ops${owner.id}_bot`;
  const token = await newBot(owner, botUsername);
  const config = piltoverConfig(dir, ACCOUNT);
  const login = await runCli(['login', '--session', ACCOUNT, '--phone', owner.phone, '--code', '22222'], piltoverEnv(config));
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  tw = await startTestWorker({ store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
  opsPort = await freePort();
  const env = {
    ...piltoverEnv(config),
    TEMPORAL_TASK_QUEUE: tw.taskQueue,
    DATA_DIR: join(dir, 'data'),
    OUTPUT_DIR: join(dir, 'out'),
    ACCOUNT_METRICS_PORT: String(opsPort),
    METRICS_HOST: '127.0.0.1',
    METRICS_PORT: '0',
    USERBOT_BOT_TOKEN: token,
    USERBOT_OWNER_ID: String(owner.id),
  };
  logFile = join(testStack().logDir, `userbot-bot-${ACCOUNT}-${Date.now()}.log`);
  const log = openSync(logFile, 'a');
  child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), join(ROOT, 'src/starters/userbot/main.ts'), '--account', ACCOUNT, '--bot'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  await waitFor('the bot to listen', async () => (readFileSync(logFile, 'utf8').includes(` listening (direct messages from owner ${owner.id}`) ? true : undefined), 120_000);
});

afterAll(async () => {
  if (child) {
    child.kill('SIGTERM');
    await exited(child);
  }
  await tw?.stop();
  await Promise.all([owner, stranger].map((u) => u?.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const { get, metric } = opsEndpoint(() => opsPort);

/** What `user` got from the bot in their direct chat with it. */
const fromBot = (user: PiltoverUser) => receivedFrom(user.client, `@${botUsername}`);

test('bot mode: the stranger counted and not answered, the owner counted as handed on, both workers in /healthz', async () => {
  expect(readFileSync(logFile, 'utf8')).toContain(`/metrics and /healthz on 127.0.0.1:${opsPort}`);
  await stranger.client.sendMessage(`@${botUsername}`, { message: '/help' });
  await waitFor('the stranger counted', async () => ((await metric('userbot_ignored_messages_total{reason="stranger"}')) === 1 ? true : undefined), 60_000);
  await owner.client.sendMessage(`@${botUsername}`, { message: '/runs' });
  await waitFor('the owner answered', async () => (await fromBot(owner)).find((m) => m.message.startsWith('No runs yet')), 90_000);

  expect(await metric('userbot_messages_handed_on_total{who="owner"}')).toBe(1);
  expect(await fromBot(stranger)).toEqual([]);
  const health = await get('/healthz');
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body)).toEqual({ status: 'ok', checks: { temporal: 'ok', 'temporal-bot': 'ok', updates: 'ok', redis: 'ok', disk: 'ok' } });
});
