import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Api, type TelegramClient } from 'telegram';
import { freePort } from '../../src/devstack';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { exited } from '../support/child-worker';
import { runCli } from '../support/cli';
import { freeServerPort, startPiltover, stopPiltover, type PiltoverInfo } from '../support/piltover';
import { piltoverClient, piltoverUser, receivedFrom, resolveUser, type PiltoverUser } from '../support/piltover-users';
import { testStack } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { piltoverConfig, piltoverEnv } from '../telegram-pipeline/support/piltover-pipeline';
import { waitFor } from './support/userbot-stack';
import { opsEndpoint } from './support/ops-endpoint';

/**
 * `npm run userbot` watched as an operator would: its `/metrics` and `/healthz` on ACCOUNT_METRICS_PORT. A stranger is
 * counted and not answered, the owner's message is counted as handed on, a message sent while it was down is counted
 * as recovered by the catch-up at start. With the Telegram server stopped, `/healthz` turns 503 naming the updates
 * check within a few watchdog periods (2 s here), and 200 again once it is back. A busy port stops the start in one
 * line naming ACCOUNT_METRICS_PORT.
 */

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const ACCOUNT = 'argus';

let dir: string;
let server: { stateDir: string; db: string; port: number };
let info: PiltoverInfo;
let owner: PiltoverUser;
let stranger: PiltoverUser;
let tw: TestWorker;
let env: Record<string, string>;
let opsPort: number;
let child: ChildProcess | undefined;
let logFile: string;

/** The real userbot entry point in its own process, its output in a log file of the test run. */
function spawnUserbot(extra: Record<string, string> = {}): ChildProcess {
  logFile = join(testStack().logDir, `userbot-${ACCOUNT}-${Date.now()}.log`);
  const log = openSync(logFile, 'a');
  return spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), join(ROOT, 'src/starters/userbot/main.ts'), '--account', ACCOUNT], { cwd: dir, env: { ...process.env, ...env, ...extra }, stdio: ['ignore', log, log] });
}

const listening = () => waitFor('the userbot to listen', async () => (readFileSync(logFile, 'utf8').includes(' listening (owner ') ? true : undefined), 120_000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-userbot-ops-'));
  // Its own server, stopped and started again by the test: a file database and a fixed port (sessions store it).
  server = { stateDir: join(dir, 'server'), db: `sqlite:///${join(dir, 'piltover.db')}`, port: await freeServerPort() };
  info = await startPiltover(server);
  [owner, stranger] = await Promise.all([piltoverUser('Argus', { info }), piltoverUser('Stranger', { info })]);
  const config = piltoverConfig(dir, ACCOUNT, info);
  const login = await runCli(['login', '--session', ACCOUNT, '--phone', owner.phone, '--code', info.login_code], piltoverEnv(config));
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  tw = await startTestWorker({ store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
  opsPort = await freePort();
  env = {
    ...piltoverEnv(config),
    TEMPORAL_TASK_QUEUE: tw.taskQueue,
    DATA_DIR: join(dir, 'data'),
    OUTPUT_DIR: join(dir, 'out'),
    ACCOUNT_METRICS_PORT: String(opsPort),
    METRICS_HOST: '127.0.0.1',
    METRICS_PORT: '0',
    USERBOT_WATCHDOG_SECONDS: '2',
  };
});

afterAll(async () => {
  if (child) {
    child.kill('SIGTERM');
    await exited(child);
  }
  await tw?.stop();
  await Promise.all([owner, stranger].map((u) => u?.close().catch(() => undefined)));
  if (info) await stopPiltover(info);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const { get, metric } = opsEndpoint(() => opsPort);

const ownerAs = (client: TelegramClient) => resolveUser(client, owner.username);

/** What `client` received from the owner's account in their direct chat. */
const repliesIn = async (client: TelegramClient) => receivedFrom(client, await ownerAs(client));

/** The userbot's answer to `sent` in the owner's Saved Messages, as `client` (the owner's phone) sees them. */
async function answerTo(sent: Api.Message, text: string, client = owner.client): Promise<Api.Message> {
  return waitFor(`the answer to ${sent.message}`, async () => {
    const list = await client.getMessages('me', { limit: 30 });
    return [...list].find((m): m is Api.Message => m instanceof Api.Message && m.id > sent.id && m.message.includes(text));
  }, 120_000);
}

test('a stranger is counted and not answered, the owner is counted as handed on, /healthz is 200', async () => {
  child = spawnUserbot();
  await listening();
  expect(readFileSync(logFile, 'utf8')).toContain(`/metrics and /healthz on 127.0.0.1:${opsPort}`);
  const strangers = await metric('userbot_ignored_messages_total{reason="stranger"}');
  const owners = await metric('userbot_messages_handed_on_total{who="owner"}');

  await stranger.client.sendMessage(await ownerAs(stranger.client), { message: '/help' });
  await waitFor('the stranger counted', async () => ((await metric('userbot_ignored_messages_total{reason="stranger"}')) > strangers ? true : undefined), 60_000);
  const help = await owner.client.sendMessage('me', { message: '/help' });
  await answerTo(help, '/summarize <chat>');

  expect(await metric('userbot_messages_handed_on_total{who="owner"}')).toBeGreaterThan(owners);
  expect(await metric('userbot_ignored_messages_total{reason="stranger"}')).toBe(strangers + 1);
  // The owner's answer came after the stranger's message was dropped: nothing went to the stranger.
  expect(await repliesIn(stranger.client)).toEqual([]);
  expect(await metric('userbot_catch_ups_total{outcome="ok"}')).toBeGreaterThan(0);
  // A busy machine may stretch one catch-up past the limit: healthy is "answers 200", not "200 at this instant".
  const health = await waitFor('/healthz 200', async () => {
    const r = await get('/healthz');
    return r.status === 200 ? r : undefined;
  }, 60_000);
  expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', checks: { redis: 'ok', temporal: 'ok', updates: 'ok' } });
});

test('a second userbot on the same port stops at once, in one line naming ACCOUNT_METRICS_PORT', async () => {
  // The port is held by a plain server of the test: the refusal cannot depend on the first test's process.
  const busy: Server = createServer();
  const port = await new Promise<number>((r) => busy.listen(0, '127.0.0.1', () => r((busy.address() as { port: number }).port)));
  try {
    const second = spawnUserbot({ ACCOUNT_METRICS_PORT: String(port) });
    await exited(second);
    expect(second.exitCode).toBe(2);
    expect(readFileSync(logFile, 'utf8')).toBe(`error: the userbot cannot start: ACCOUNT_METRICS_PORT ${port} is in use on 127.0.0.1. Give each worker on this host its own port (0 turns the endpoint off)\n`);
  } finally {
    await new Promise((r) => busy.close(r));
  }
});

test('a message sent while the userbot was down is answered when it is back, and counted as recovered', async () => {
  child!.kill('SIGTERM');
  await exited(child!);
  child = undefined;
  const status = await owner.client.sendMessage('me', { message: '/runs' });
  child = spawnUserbot();
  await listening();
  await answerTo(status, 'No runs yet.');
  expect(await metric('userbot_catch_up_recovered_messages_total')).toBeGreaterThanOrEqual(1);
  expect(await metric('userbot_messages_handed_on_total{who="owner"}')).toBeGreaterThanOrEqual(1);
});

test('the Telegram server stopped: /healthz is 503 naming the updates check, and 200 again once it is back', async () => {
  // Only the userbot is connected while the server is down; the test's users come back on their sessions afterwards.
  await Promise.all([owner.close(), stranger.close()]);
  await stopPiltover(info);
  const down = await waitFor('/healthz to fail', async () => {
    const r = await get('/healthz');
    return r.status === 503 ? (JSON.parse(r.body) as { checks: Record<string, string> }) : undefined;
  }, 90_000);
  expect(down.checks.updates).toMatch(/^error: no successful catch-up for \d+ s \(Telegram unreachable\?\)$/);
  expect(down.checks.redis).toBe('ok');
  expect(await metric('userbot_seconds_since_last_catch_up')).toBeGreaterThan(6);

  info = await startPiltover(server);
  await waitFor('/healthz to pass again', async () => ((await get('/healthz')).status === 200 ? true : undefined), 150_000);
  expect(await metric('userbot_seconds_since_last_catch_up')).toBeLessThan(60);
  // And it still answers: the owner, on the session it had, asks again.
  const client = await piltoverClient(owner.session, info);
  try {
    const help = await client.sendMessage('me', { message: '/help' });
    await answerTo(help, '/summarize <chat>', client);
  } finally {
    await client.destroy();
  }
});
