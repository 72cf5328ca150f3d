import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Api } from 'telegram';
import { freePort } from '../../src/devstack';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { exited } from '../support/child-worker';
import { runCli } from '../support/cli';
import { piltoverGroup, piltoverUser, receivedFrom, resolveUser, type PiltoverUser } from '../support/piltover-users';
import { testStack } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { piltoverConfig, piltoverEnv } from '../telegram-pipeline/support/piltover-pipeline';
import { newBot } from './support/bot-stack';
import { opsEndpoint } from './support/ops-endpoint';
import { documentName, waitFor } from './support/userbot-stack';

/**
 * `npm run userbot -- --bot` killed with SIGKILL while a job the owner asked the bot for runs, and started again:
 * the job (a child workflow) goes on and its result reaches the owner from the bot once; what the owner, an
 * allowlisted friend and a stranger sent the bot while it was down is answered once each, the stranger's never.
 */

jest.setTimeout(420_000);

const ROOT = resolve(__dirname, '../..');
const ACCOUNT = 'botlazarus';
const TITLE = 'Bot kill cohort';

let dir: string;
let owner: PiltoverUser;
let friend: PiltoverUser;
let stranger: PiltoverUser;
let group: string;
let token: string;
let tw: TestWorker;
let env: Record<string, string>;
let child: ChildProcess | undefined;
let opsPort: number;
const botFor = new Map<PiltoverUser, Api.User>();

/** The real entry point in bot mode, in its own process (the account reads one request every 2 s: the job is still running when it dies). */
let logFile: string;
function spawnBot(): ChildProcess {
  logFile = join(testStack().logDir, `userbot-bot-${ACCOUNT}-${Date.now()}.log`);
  const log = openSync(logFile, 'a');
  return spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), join(ROOT, 'src/starters/userbot/main.ts'), '--account', ACCOUNT, '--bot'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-bot-kill-'));
  [owner, friend, stranger] = await Promise.all([piltoverUser('Kora'), piltoverUser('Fenn'), piltoverUser('Sven')]);
  group = (await piltoverGroup(owner, TITLE, [friend])).username;
  for (const [i, line] of ['Standup at ten', 'Who reviews the schema?', 'Me, after lunch', 'Blocked: the VPN is down', 'VPN is back'].entries()) {
    await (i % 2 === 0 ? owner : friend).client.sendMessage(`@${group}`, { message: line });
  }
  token = await newBot(owner, `pulse${owner.id}_bot`);
  const config = piltoverConfig(dir, ACCOUNT);
  const login = await runCli(['login', '--session', ACCOUNT, '--phone', owner.phone, '--code', '22222'], piltoverEnv(config));
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  // The general worker and the bot's process share the artifact store, as on one host.
  opsPort = await freePort();
  tw = await startTestWorker({ store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
  env = {
    ...piltoverEnv(config),
    TEMPORAL_TASK_QUEUE: tw.taskQueue,
    DATA_DIR: join(dir, 'data'),
    OUTPUT_DIR: join(dir, 'out'),
    USERBOT_BOT_TOKEN: token,
    USERBOT_OWNER_ID: String(owner.id),
    USERBOT_ALLOWLIST: `@${friend.username}`,
    RATE_RPS: '0.5',
    RATE_BURST: '1',
    ACCOUNT_METRICS_PORT: String(opsPort),
    METRICS_HOST: '127.0.0.1',
    METRICS_PORT: '0',
  };
});

afterAll(async () => {
  if (child) {
    child.kill('SIGTERM');
    await exited(child);
  }
  await tw?.stop();
  await Promise.all([owner, friend, stranger].map((u) => u?.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * A first start takes the bot's update stream from where it stands: talk to it once it says it listens. The bot's
 * username, from that line.
 */
async function listening(): Promise<string> {
  const line = await waitFor('the bot to listen', async () => readFileSync(logFile, 'utf8').split('\n').find((l) => /^tgpulse bot @\S+ listening \(/.test(l)), 150_000);
  return /^tgpulse bot @(\S+)/.exec(line)![1]!;
}

const ops = opsEndpoint(() => opsPort);

const send = (user: PiltoverUser, text: string) => user.client.sendMessage(botFor.get(user)!, { message: text });
/** What `user` got from the bot after their message `afterId`, oldest first. */
const answers = async (user: PiltoverUser, afterId: number) => (await receivedFrom(user.client, botFor.get(user)!)).filter((m) => m.id > afterId);
const isHelp = (m: Api.Message) => m.message.includes('/summarize <chat>');
const isStatus = (m: Api.Message) => /^(Nothing is running\.|Run 1: \S+ — running)$/.test(m.message);
const isDone = (m: Api.Message) => /^Run 1 done/.test(m.message);

test('the bot killed mid-job and started again: the job delivers once to the owner, messages sent to the bot meanwhile are answered once, a stranger\'s never', async () => {
  child = spawnBot();
  const username = await listening();
  for (const u of [owner, friend, stranger]) botFor.set(u, await resolveUser(u.client, username));
  const start = await send(owner, `/summarize https://t.me/${group} who is blocked`);
  // Any first reply (the status message): the job has started; it may or may not be done by now.
  await waitFor('the bot\'s first reply to /summarize', async () => (await answers(owner, start.id))[0], 120_000);
  child.kill('SIGKILL');
  await exited(child);
  child = undefined;

  const help = await send(friend, '/help');
  const status = await send(owner, '/status');
  const ignored = await send(stranger, '/help');
  child = spawnBot();
  await listening();

  await waitFor('the friend\'s /help answer after the restart', async () => (await answers(friend, help.id)).find(isHelp), 150_000);
  await waitFor('the owner\'s /status answer after the restart', async () => (await answers(owner, status.id)).find(isStatus), 150_000);
  const files = await waitFor('the job\'s two files', async () => {
    const docs = (await answers(owner, start.id)).filter((m) => documentName(m));
    return docs.length >= 2 ? docs : undefined;
  }, 150_000);

  // Barriers: once /runs and the friend's /status are answered, anything handed on twice would be answered too.
  const runs = await send(owner, '/runs');
  const listed = await waitFor('/runs', async () => (await answers(owner, runs.id)).find((m) => m.message.startsWith('Run 1:')), 90_000);
  expect(listed.message).toMatch(/— done, \d+ messages$/);
  const again = await send(friend, '/status');
  await waitFor('the friend\'s barrier /status', async () => (await answers(friend, again.id)).find(isStatus), 90_000);

  const job = (await answers(owner, start.id)).filter((m) => m.id < runs.id);
  expect(files.map((m) => documentName(m)!.replace(/^.*\./, '')).sort()).toEqual(['json', 'md']);
  expect(job.filter((m) => documentName(m))).toHaveLength(2);
  expect(job.filter(isDone).map((m) => m.message)).toEqual([expect.stringMatching(new RegExp(`^Run 1 done: \\d+ messages read from "${TITLE}"\\. The summary is below\\.`))]);
  // The result text, once: the status, the /status answer and the files aside, one message naming the chat.
  const results = job.filter((m) => !documentName(m) && !isDone(m) && !isStatus(m));
  expect(results.filter((m) => m.message.includes(TITLE))).toHaveLength(1);
  expect(job.filter(isStatus)).toHaveLength(1);
  expect((await answers(friend, help.id)).filter(isHelp)).toHaveLength(1);
  // The stranger's message was found after the restart (counted once, by the new process) and left unanswered.
  expect(await ops.metric('userbot_ignored_messages_total{reason="stranger"}')).toBe(1);
  expect(await answers(stranger, ignored.id - 1)).toEqual([]);
  const botId = token.split(':')[0];
  for (const user of [owner, friend]) for (const m of await receivedFrom(user.client, botFor.get(user)!)) expect(m.senderId?.toString()).toBe(botId);
});
