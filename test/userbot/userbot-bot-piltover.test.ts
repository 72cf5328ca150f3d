import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import type Redis from 'ioredis';
import { Api } from 'telegram';
import { conversationWorkflowId } from '../../src/domain';
import { createJobSlots, createLimiter, createLimiterRedis } from '../../src/limiter';
import { parseAllowlist, startBotUserbot, userbotIgnoredMessages, type RunningBotUserbot } from '../../src/starters/userbot';
import { LocalArtifactStore } from '../../src/store';
import { accountDepsFromConfig, botAccountName } from '../../src/telegram';
import { openJobSource } from '../../src/workers';
import { runCli } from '../support/cli';
import { piltoverGroup, piltoverUser, receivedFrom, type PiltoverUser } from '../support/piltover-users';
import { testStack } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { piltoverConfig, piltoverEnv } from '../telegram-pipeline/support/piltover-pipeline';
import { newBot } from './support/bot-stack';
import { documentName, waitFor } from './support/userbot-stack';

/**
 * Bot mode on a real MTProto server (piltover): the owner makes a bot with @BotFather, the userbot logs in as the
 * bot and reads through the owner's account. What the friend and the stranger see in their own clients is checked:
 * every answer comes from the bot, none from the owner's account.
 */

jest.setTimeout(240_000);

const ACCOUNT = 'reader';
const TITLE = 'Bot cohort';

let owner: PiltoverUser;
let friend: PiltoverUser;
let stranger: PiltoverUser;
let group: string;
let token: string;
let botUser: Api.User;
let dir: string;
let redis: Redis;
let tw: TestWorker;
let connection: NativeConnection;
let bot: RunningBotUserbot;

beforeAll(async () => {
  [owner, friend, stranger] = await Promise.all([piltoverUser('Maya'), piltoverUser('Friend'), piltoverUser('Stranger')]);
  const g = await piltoverGroup(owner, TITLE, [friend]);
  group = g.username;
  const lines = ['Who can review the deploy script?', 'I can, after lunch', 'The demo is on Friday at 15:00', 'Blocked: the staging database is down', 'Fixed staging, it was the disk'];
  for (const [i, line] of lines.entries()) await (i % 2 === 0 ? owner : friend).client.sendMessage(`@${group}`, { message: line });
  token = await newBot(owner, `pulse${owner.id}_bot`);

  // The reading account: the owner logged in a second time, as `npm run userbot` would use it.
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-bot-'));
  const config = piltoverConfig(dir, ACCOUNT);
  const login = await runCli(['login', '--session', ACCOUNT, '--phone', owner.phone, '--code', '22222'], piltoverEnv(config));
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  const store = new LocalArtifactStore(join(dir, 'data'));
  redis = createLimiterRedis(testStack().redisUrl);
  const limiter = createLimiter({ redis, prefix: config.REDIS_KEY_PREFIX, ratePerSecond: 50, burst: 8 });
  tw = await startTestWorker({ store, outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
  connection = await NativeConnection.connect({ address: testStack().temporalAddress });
  bot = await startBotUserbot({
    connection,
    client: tw.client,
    namespace: 'default',
    taskQueue: tw.taskQueue,
    account: ACCOUNT,
    deps: accountDepsFromConfig(config, { redis, guard: limiter, account: ACCOUNT }),
    botDeps: accountDepsFromConfig(config, { redis, guard: limiter, account: botAccountName(token) }),
    token,
    ownerId: String(owner.id),
    store,
    outputDir: join(dir, 'out'),
    allowlist: parseAllowlist(`@${friend.username}`),
    jobSlots: createJobSlots({ redis, prefix: config.REDIS_KEY_PREFIX, limits: { perHour: 100, atOnce: 1, globalAtOnce: 100 } }),
    heartbeatEveryMs: 200,
  });
  const resolved = await friend.client.invoke(new Api.contacts.ResolveUsername({ username: bot.botUsername! }));
  botUser = resolved.users.find((u): u is Api.User => u instanceof Api.User)!;
});

afterAll(async () => {
  await bot?.stop();
  await tw?.stop();
  await connection?.close();
  redis?.disconnect();
  await Promise.all([owner, friend, stranger].map((u) => u?.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What `user` got from the bot in their direct chat with it, oldest first. */
const fromBot = (user: PiltoverUser) => receivedFrom(user.client, `@${bot.botUsername!}`);

/** What `user` got from the owner's account in a direct chat: the bot answers, the account must not. */
async function fromOwner(user: PiltoverUser): Promise<Api.Message[]> {
  const list = await user.client.getMessages(owner.id, { limit: 50 }).catch(() => []);
  return [...list].filter((m): m is Api.Message => m instanceof Api.Message && !m.out);
}

describe('the userbot in bot mode on a real MTProto server', () => {
  test('the bot is the one @BotFather made, and its worker is its own', () => {
    expect(botUser.bot).toBe(true);
    expect(bot.botId).toBe(token.split(':')[0]);
    expect(bot.botWorker.taskQueue).not.toBe(bot.worker.taskQueue);
  });

  test('an allowlisted friend: /summarize <link> → the question → /go → one status message, the digest and both files, all from the bot', async () => {
    await friend.client.sendMessage(`@${bot.botUsername!}`, { message: `/summarize https://t.me/${group}` });
    const asked = await waitFor('the question', async () => (await fromBot(friend)).find((m) => m.message.startsWith('What should I look for')));
    expect(asked.message).toBe(`What should I look for in https://t.me/${group}? Send it as a message, or /go for the default digest.`);
    await friend.client.sendMessage(`@${bot.botUsername!}`, { message: '/go' });
    const files = await waitFor('both files', async () => {
      const docs = (await fromBot(friend)).filter((m) => documentName(m));
      return docs.length >= 2 ? docs : undefined;
    }, 90_000);
    const all = await fromBot(friend);
    const status = all.filter((m) => /^(Run 1|Summariz|Summary of)/.test(m.message));
    expect(status).toHaveLength(1);
    expect(status[0]!.message).toBe(`Run 1 done: 6 messages read from "${TITLE}". The summary is below.`);
    expect(all.filter((m) => !documentName(m) && m !== status[0]).map((m) => m.message).join('\n')).toContain(TITLE);
    expect(files.map((m) => documentName(m)!.replace(/^.*\./, '')).sort()).toEqual(['json', 'md']);
    const md = (await friend.client.downloadMedia(files.find((m) => documentName(m)!.endsWith('.md'))!, {})) as Buffer;
    expect(md.toString('utf8')).toContain(TITLE);
    for (const m of all) expect(m.senderId?.toString()).toBe(bot.botId);

    // /ask answers from the bot too (no model here: the best-matching messages).
    await friend.client.sendMessage(`@${bot.botUsername!}`, { message: `/ask https://t.me/${group} staging database` });
    const run2 = await waitFor('run 2 done', async () => (await fromBot(friend)).find((m) => m.message.startsWith('Run 2 done:')), 90_000);
    // The answer follows run 2's status message (posted first, then edited in place).
    const answer = (await fromBot(friend)).filter((m) => m.id > run2.id);
    expect(answer.map((m) => m.message).join('\n')).toContain('staging database is down');
    for (const m of await fromBot(friend)) expect(m.senderId?.toString()).toBe(bot.botId);
    // The owner's account read the group but said nothing to the friend.
    expect(await fromOwner(friend)).toEqual([]);
  });

  test('the owner, by id, is obeyed in a direct message to the bot', async () => {
    await owner.client.sendMessage(`@${bot.botUsername!}`, { message: '/runs' });
    const runs = await waitFor('/runs', async () => (await fromBot(owner)).find((m) => m.message.startsWith('No runs yet')));
    expect(runs.senderId?.toString()).toBe(bot.botId);
  });

  test("a stranger's direct messages start nothing and get no reply; they are counted", async () => {
    const counted = async () => (await userbotIgnoredMessages.get()).values.find((v) => v.labels.reason === 'stranger')?.value ?? 0;
    const before = await counted();
    await stranger.client.sendMessage(`@${bot.botUsername!}`, { message: `/summarize https://t.me/${group}` });
    await stranger.client.sendMessage(`@${bot.botUsername!}`, { message: '/help' });
    await waitFor('the stranger counted twice', async () => ((await counted()) >= before + 2 ? true : undefined));
    // A friend's message after them is answered: the bot was listening, and still said nothing to the stranger.
    await friend.client.sendMessage(`@${bot.botUsername!}`, { message: '/status' });
    await waitFor('the friend answered', async () => (await fromBot(friend)).find((m) => m.message.startsWith('Nothing is running')));
    expect(await fromBot(stranger)).toEqual([]);
    await expect(tw.client.workflow.getHandle(conversationWorkflowId(botAccountName(token), String(stranger.id))).describe()).rejects.toThrow(/not found/i);
  });

  test('the token is in no workflow input', async () => {
    const handle = tw.client.workflow.getHandle(conversationWorkflowId(botAccountName(token), String(friend.id)));
    const started = (await handle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    const input = Buffer.from(started.input!.payloads![0]!.data!).toString('utf8');
    expect(JSON.parse(input)).toEqual({ account: ACCOUNT, userId: String(friend.id), replyTo: String(friend.id), replyAccount: botAccountName(token) });
    expect(input).not.toContain(token.split(':')[1]!);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });
});
