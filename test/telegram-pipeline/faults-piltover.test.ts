import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Api } from 'telegram';
import type { ChatMessage, JobInput, JobResult } from '../../src/domain';
import { startSummarize } from '../../src/starters/jobs';
import { accountDepsFromConfig, loginTelegramAccount } from '../../src/telegram';
import { CountingGuard } from '../fakes/fake-telegram-guard';
import { injectFlood, startPiltover, stopPiltover, type PiltoverInfo } from '../support/piltover';
import { postMany } from '../support/piltover-chat';
import { piltoverGroup, piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { testStack } from '../support/stack';
import { piltoverConfig, storedHistory, startPiltoverPipeline, type PiltoverConfig, type PiltoverPipeline } from './support/piltover-pipeline';

/**
 * Faults on a real MTProto server. This suite runs its own piltover (file database): the FLOOD_WAITs it injects
 * through the kit's control port apply to every caller of the method, so they would hit suites sharing a server.
 */

jest.setTimeout(120_000);

const ACCOUNT = 'ana';
const POSTS = 450;

let dir: string;
let info: PiltoverInfo;
let ana: PiltoverUser;
let ben: PiltoverUser;
let group: string;
let config: PiltoverConfig;

const flood = (method: string, count: number, seconds: number) => injectFlood(info, method, count, seconds);


/** Every id once and nothing missing: the posts and the group's "created" message. */
function expectEachOnce(history: ChatMessage[], posts: Api.Message[]): void {
  const ids = history.map((m) => m.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBe(posts.length + 1);
  for (const p of posts) expect(ids).toContain(p.id);
}

let posts: Api.Message[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-faults-'));
  info = await startPiltover({ stateDir: join(dir, 'server'), db: `sqlite:///${join(dir, 'piltover.db')}` });
  [ana, ben] = await Promise.all([piltoverUser('Ana', { info }), piltoverUser('Ben', { info })]);
  const g = await piltoverGroup(ana, 'Faults', [ben]);
  group = `@${g.username}`;
  posts = await postMany(ben, group, Array.from({ length: POSTS }, (_, i) => `message ${i}`));
  config = piltoverConfig(dir, ACCOUNT, info);
  const redis = new Redis(testStack().redisUrl);
  try {
    await loginTelegramAccount({ ...accountDepsFromConfig(config, { redis, guard: new CountingGuard() }), prompts: { phone: async () => ana.phone, code: async () => info.login_code, password: async () => 'unused' } });
  } finally {
    await redis.quit();
  }
});

afterAll(async () => {
  await Promise.all([ana?.close(), ben?.close()]);
  if (info) await stopPiltover(info);
});

describe('faults on a real MTProto server', () => {
  let pipeline: PiltoverPipeline;
  const run = async (input: JobInput) => (await startSummarize(pipeline.tw.client, { TEMPORAL_TASK_QUEUE: pipeline.tw.taskQueue }, input, 'faults')).result();

  beforeAll(async () => {
    // Waits above 1 s are slept as durable workflow timers.
    pipeline = await startPiltoverPipeline({ config, account: ACCOUNT, dir: join(dir, 'pipeline'), floodTimerThresholdSeconds: 1 });
  });
  afterAll(() => pipeline?.stop());

  test('FLOOD_WAIT on history: a durable wait and an account-wide pause, every message once', async () => {
    const before = await pipeline.limiter.getStats(ACCOUNT);
    await flood('messages.getHistory', 1, 3);
    const started = Date.now();
    const handle = await startSummarize(pipeline.tw.client, { TEMPORAL_TASK_QUEUE: pipeline.tw.taskQueue }, { source: { kind: 'telegram', account: ACCOUNT, chat: group }, delivery: { kind: 'files', dir: join(dir, 'out') } }, 'flood');
    const result = await handle.result();
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expectEachOnce(await storedHistory(pipeline.store, result.jobId), posts);
    const events = (await handle.fetchHistory()).events ?? [];
    const timers = events.flatMap((e) => (e.timerStartedEventAttributes ? [Number(e.timerStartedEventAttributes.startToFireTimeout?.seconds ?? 0)] : []));
    expect(timers.some((s) => s >= 3)).toBe(true);
    const after = await pipeline.limiter.getStats(ACCOUNT);
    expect(after.floodWaits - before.floodWaits).toBe(1);
  });

  test('FLOOD_WAIT on send and edit while posting: nothing lost, nothing posted twice', async () => {
    const last = ((await ben.client.getMessages(group, { limit: 1 })) as Api.Message[])[0]!.id;
    await flood('messages.sendMessage', 1, 2);
    await flood('messages.editMessage', 1, 2);
    const result: JobResult = await run({ source: { kind: 'telegram', account: ACCOUNT, chat: group }, delivery: { kind: 'telegram', account: ACCOUNT, chat: group } });
    const after = ((await ben.client.getMessages(group, { minId: last, limit: 100 })) as Api.Message[]).reverse();
    const texts = after.map((m) => m.message);
    expect(new Set(texts).size).toBe(texts.length);
    const [status, ...parts] = after;
    expect(status!.message).toMatch(new RegExp(`^Summary of "Faults" \\(${POSTS + 1} history entries\\): ${parts.length} message\\(s\\) below\\.$`));
    expect(parts.length).toBeGreaterThanOrEqual(1);
    expect(result.notes).toContain(`Posted ${parts.length} message(s) to ${group} as account "${ACCOUNT}".`);
  });
});
