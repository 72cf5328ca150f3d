import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import type Redis from 'ioredis';
import { Api } from 'telegram';
import { createJobSlots, createLimiter, createLimiterRedis, type JobSlotLimits } from '../../../src/limiter';
import type { LlmSettings } from '../../../src/llm';
import { parseAllowlist, startUserbot, type RunningUserbot, type UserbotOptions } from '../../../src/starters/userbot';
import { LocalArtifactStore } from '../../../src/store';
import { accountDepsFromConfig } from '../../../src/telegram';
import { openJobSource } from '../../../src/workers';
import { runCli } from '../../support/cli';
import type { PiltoverInfo } from '../../support/piltover';
import type { PiltoverUser } from '../../support/piltover-users';
import { testStack } from '../../support/stack';
import { startTestWorker, type TestWorker } from '../../support/worker';
import { piltoverConfig, piltoverEnv, type PiltoverConfig } from '../../telegram-pipeline/support/piltover-pipeline';

/** A userbot on piltover as `npm run userbot` runs it, with a general worker for the conversations. */
export interface UserbotStack {
  dir: string;
  config: PiltoverConfig;
  store: LocalArtifactStore;
  redis: Redis;
  tw: TestWorker;
  userbot: RunningUserbot;
  /** Stops the userbot (the worker drains, the lease is given back) and leaves it down until {@link startAgain}. */
  stopUserbot(): Promise<void>;
  startAgain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Logs `owner` in a second time with `tgpulse login` (the userbot's own session; the test keeps the first as "the
 * owner's phone") and starts the userbot on it, `allow` on its allowlist.
 */
export async function startUserbotStack(opts: {
  owner: PiltoverUser;
  account: string;
  allow: string;
  watchdogMs?: number;
  ratePerSecond?: number;
  info?: PiltoverInfo;
  floodTimerThresholdSeconds?: number;
  llm?: LlmSettings;
  jobLimits?: Partial<JobSlotLimits>;
  onError?: UserbotOptions['onError'];
  /** The listener's Temporal client (default: the test worker's), e.g. one behind a proxy the test cuts. */
  client?: UserbotOptions['client'];
  /** Another Temporal server than the run's (a suite's own, started with its own dynamic config). */
  temporalAddress?: string;
}): Promise<UserbotStack> {
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-userbot-'));
  const config = piltoverConfig(dir, opts.account, opts.info);
  const login = await runCli(['login', '--session', opts.account, '--phone', opts.owner.phone, '--code', '22222'], piltoverEnv(config));
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  const store = new LocalArtifactStore(join(dir, 'data'));
  const redis = createLimiterRedis(testStack().redisUrl);
  const limiter = createLimiter({ redis, prefix: config.REDIS_KEY_PREFIX, ratePerSecond: opts.ratePerSecond ?? 50, burst: opts.ratePerSecond ? 1 : 8 });
  const temporalAddress = opts.temporalAddress ?? testStack().temporalAddress;
  const tw = await startTestWorker({ store, outputDir: join(dir, 'out'), openSource: openJobSource, llm: opts.llm ?? null }, { temporalAddress });
  const connection = await NativeConnection.connect({ address: temporalAddress });
  const start = () => startUserbot({
    connection,
    client: opts.client ?? tw.client,
    namespace: 'default',
    taskQueue: tw.taskQueue,
    account: opts.account,
    deps: accountDepsFromConfig(config, { redis, guard: limiter, account: opts.account }),
    store,
    outputDir: join(dir, 'out'),
    allowlist: parseAllowlist(opts.allow),
    limiterStats: (name) => limiter.getStats(name),
    jobSlots: createJobSlots({ redis, prefix: config.REDIS_KEY_PREFIX, limits: { perHour: 100, atOnce: 1, globalAtOnce: 100, ...opts.jobLimits } }),
    heartbeatEveryMs: 200,
    ...(opts.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: opts.floodTimerThresholdSeconds } : {}),
    watchdogMs: opts.watchdogMs ?? 60_000,
    ...(opts.onError ? { onError: opts.onError } : {}),
  });
  let up: RunningUserbot | undefined = await start();
  return {
    dir,
    config,
    store,
    redis,
    tw,
    get userbot() {
      if (!up) throw new Error('the userbot is down');
      return up;
    },
    async stopUserbot() {
      await up?.stop();
      up = undefined;
    },
    async startAgain() {
      up = await start();
    },
    async stop() {
      await up?.stop();
      await tw.stop();
      await connection.close();
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns something, or fails after `ms` with `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The messages of a chat as `user` sees them, oldest first. */
export async function chatMessages(user: PiltoverUser, chat: string, limit = 50): Promise<Api.Message[]> {
  const list = await user.client.getMessages(chat, { limit });
  return [...list].filter((m): m is Api.Message => m instanceof Api.Message).reverse();
}

/** The file name of a document message. */
export function documentName(m: Api.Message): string | undefined {
  const media = m.media;
  if (!(media instanceof Api.MessageMediaDocument) || !(media.document instanceof Api.Document)) return undefined;
  const attr = media.document.attributes.find((a): a is Api.DocumentAttributeFilename => a instanceof Api.DocumentAttributeFilename);
  return attr?.fileName;
}
