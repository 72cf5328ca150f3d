import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Api } from 'telegram';
import { startSummarize } from '../../src/starters/jobs';
import { accountDepsFromConfig, loginTelegramAccount } from '../../src/telegram';
import { CountingGuard } from '../fakes/fake-telegram-guard';
import { freeServerPort, killPiltover, startPiltover, stopPiltover, type PiltoverInfo } from '../support/piltover';
import { postMany } from '../support/piltover-chat';
import { piltoverGroup, piltoverUser } from '../support/piltover-users';
import { testStack } from '../support/stack';
import { piltoverConfig, storedHistory, startPiltoverPipeline, type PiltoverPipeline } from './support/piltover-pipeline';

/**
 * The server dies mid-extraction: piltover (file database, fixed port) is killed with SIGKILL once the extraction
 * has made a few requests, and started again on the same port and database. The long-lived account worker
 * must get through on its own — its requests fail with a retryable transport error instead of hanging, its
 * connection is rebuilt from the session — and the run must finish with every message exactly once.
 */

jest.setTimeout(300_000);

const ACCOUNT = 'rita';
/**
 * Seven history requests of 100. A stored checkpoint page (HISTORY_PAGE_SIZE, 5,000 messages) is out of reach:
 * piltover with a file database takes minutes to accept that many posts; resuming from a stored checkpoint is
 * covered on the fake (crash.test.ts), what this proves is the connection.
 */
const POSTS = 600;
/** One request a second, no burst: the extraction takes ~10 s and the kill lands after its fourth request. */
const RATE_RPS = 1;
const CALLS_BEFORE_KILL = 4;

let dir: string;
let server: { stateDir: string; db: string; port: number };
let info: PiltoverInfo;
let group: string;
let posts: Api.Message[];
let pipeline: PiltoverPipeline;

/** Polls `check` until it holds; fails with `what` after `ms` (a bound, not a sleep the result depends on). */
async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `promise`, or a clear failure after `ms`: a hung run fails the test instead of the test runner. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}


beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-restart-'));
  // The session file stores the server's address: the restarted server must come back on the same port.
  server = { stateDir: join(dir, 'server'), db: `sqlite:///${join(dir, 'piltover.db')}`, port: await freeServerPort() };
  info = await startPiltover(server);
  const [rita, sam] = await Promise.all([piltoverUser('Rita', { info }), piltoverUser('Sam', { info })]);
  try {
    const g = await piltoverGroup(rita, 'Restart', [sam]);
    group = `@${g.username}`;
    posts = await postMany(sam, group, Array.from({ length: POSTS }, (_, i) => `message ${i}`));
  } finally {
    // Only the account worker is connected when the server dies.
    await Promise.all([rita.close(), sam.close()]);
  }
  const config = { ...piltoverConfig(dir, ACCOUNT, info), TELEGRAM_REQUEST_TIMEOUT_SECONDS: 10 };
  const redis = new Redis(testStack().redisUrl);
  try {
    await loginTelegramAccount({ ...accountDepsFromConfig(config, { redis, guard: new CountingGuard() }), prompts: { phone: async () => rita.phone, code: async () => info.login_code, password: async () => 'unused' } });
  } finally {
    await redis.quit();
  }
  pipeline = await startPiltoverPipeline({ config, account: ACCOUNT, dir: join(dir, 'pipeline'), ratePerSecond: RATE_RPS, burst: 1 });
});

afterAll(async () => {
  await pipeline?.stop();
  if (info) await stopPiltover(info);
});

test('the server killed mid-extraction and restarted on its database: the run resumes by itself, every message once', async () => {
  const callsBefore = (await pipeline.limiter.getStats(ACCOUNT)).calls;
  const handle = await startSummarize(pipeline.tw.client, { TEMPORAL_TASK_QUEUE: pipeline.tw.taskQueue }, { source: { kind: 'telegram', account: ACCOUNT, chat: group }, delivery: { kind: 'files', dir: join(dir, 'out') } }, 'restart');
  const prefix = `jobs/${handle.workflowId}/history`;
  await waitFor(async () => (await pipeline.limiter.getStats(ACCOUNT)).calls - callsBefore >= CALLS_BEFORE_KILL, 60_000, `The run made no ${CALLS_BEFORE_KILL} Telegram requests`);
  const fingerprint = info.fingerprint_signed;
  await killPiltover(info);
  // Mid-extraction: the run is still going and its history is not complete.
  expect((await handle.describe()).status.name).toBe('RUNNING');
  expect((await pipeline.store.exists(`${prefix}/checkpoint.json`)) ? JSON.parse((await pipeline.store.get(`${prefix}/checkpoint.json`)).toString('utf8')) : { done: false }).toMatchObject({ done: false });

  info = await startPiltover(server);
  expect({ port: info.port, fingerprint: info.fingerprint_signed }).toEqual({ port: server.port, fingerprint });

  const result = await within(handle.result(), 150_000, 'The run did not finish after the server came back');
  const ids = (await storedHistory(pipeline.store, result.jobId)).map((m) => m.id);
  expect(ids.length - new Set(ids).size).toBe(0);
  // Every post, and the group's "created" service message.
  expect(ids.length).toBe(POSTS + 1);
  const stored = new Set(ids);
  expect(posts.filter((p) => !stored.has(p.id)).map((p) => p.id)).toEqual([]);
});
