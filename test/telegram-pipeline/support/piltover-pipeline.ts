import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import type Redis from 'ioredis';
import { createLimiter, createLimiterRedis, type Limiter } from '../../../src/limiter';
import { LocalArtifactStore, readHistoryPage } from '../../../src/store';
import type { ChatMessage } from '../../../src/domain';
import { accountDepsFromConfig, openTelegramAccount } from '../../../src/telegram';
import { openJobSource, startAccountWorker, type RunningAccountWorker } from '../../../src/workers';
import { piltoverSettings, type PiltoverInfo } from '../../support/piltover';
import { PILTOVER_API } from '../../support/piltover-users';
import { testStack, uniqueName } from '../../support/stack';
import { startTestWorker, type TestWorker } from '../../support/worker';

/** The settings of a tgpulse pointed at piltover, with its own sessions folder and Redis keys. */
export interface PiltoverConfig {
  TG_API_ID: number;
  TG_API_HASH: string;
  TELEGRAM_SERVER: string;
  TELEGRAM_SERVER_KEY_FILE: string;
  TELEGRAM_CONNECT_TIMEOUT_SECONDS: number;
  SESSION_DIR: string;
  SESSION_NAME: string;
  REDIS_KEY_PREFIX: string;
  TELEGRAM_REQUEST_TIMEOUT_SECONDS?: number;
}

export function piltoverConfig(dir: string, account: string, info?: PiltoverInfo): PiltoverConfig {
  return { ...PILTOVER_API, ...piltoverSettings(info), SESSION_DIR: join(dir, 'sessions'), SESSION_NAME: account, REDIS_KEY_PREFIX: `${uniqueName('real')}:` };
}

/** The same settings as environment variables, for the CLI. */
export function piltoverEnv(config: PiltoverConfig): Record<string, string> {
  return { ...Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)])), REDIS_URL: testStack().redisUrl, TEMPORAL_ADDRESS: testStack().temporalAddress };
}

/** A general worker and the real account worker on piltover: session file, lease, limiter, gramjs, Temporal. */
export interface PiltoverPipeline {
  dir: string;
  store: LocalArtifactStore;
  redis: Redis;
  limiter: Limiter;
  tw: TestWorker;
  account: RunningAccountWorker;
  stop(): Promise<void>;
}

/**
 * Starts the live pipeline exactly as production runs it (`account-main.ts`): `openTelegramAccount` from the
 * session file in `config.SESSION_DIR`, the real limiter at `ratePerSecond` (bucket of `burst`), the real account worker.
 */
export async function startPiltoverPipeline(opts: { config: PiltoverConfig; account: string; dir?: string; ratePerSecond?: number; burst?: number; floodTimerThresholdSeconds?: number }): Promise<PiltoverPipeline> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'tgpulse-piltover-'));
  const store = new LocalArtifactStore(join(dir, 'data'));
  const redis = createLimiterRedis(testStack().redisUrl);
  const limiter = createLimiter({ redis, prefix: opts.config.REDIS_KEY_PREFIX, ratePerSecond: opts.ratePerSecond ?? 50, burst: opts.burst ?? 4 });
  const deps = accountDepsFromConfig(opts.config, { redis, guard: limiter, account: opts.account });
  const tw = await startTestWorker({ store, outputDir: dir, openSource: openJobSource, llm: null });
  const connection = await NativeConnection.connect({ address: testStack().temporalAddress });
  const account = await startAccountWorker({
    connection,
    namespace: 'default',
    taskQueue: tw.taskQueue,
    account: opts.account,
    store,
    outputDir: dir,
    open: () => openTelegramAccount(deps),
    heartbeatEveryMs: 200,
    ...(opts.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: opts.floodTimerThresholdSeconds } : {}),
  });
  return {
    dir,
    store,
    redis,
    limiter,
    tw,
    account,
    async stop() {
      await account.stop();
      await tw.stop();
      await connection.close();
      redis.disconnect();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every message a job stored, page after page, until the first page that is not there. */
export async function storedHistory(store: LocalArtifactStore, jobId: string): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  for (let page = 0; ; page++) {
    try {
      out.push(...(await readHistoryPage(store, `jobs/${jobId}/history`, page)));
    } catch {
      return out;
    }
  }
}
