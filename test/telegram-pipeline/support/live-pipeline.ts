import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import type Redis from 'ioredis';
import { createLimiterRedis } from '../../../src/limiter';
import { LocalArtifactStore } from '../../../src/store';
import type { TelegramPort } from '../../../src/telegram';
import { openJobSource, type RunningAccountWorker } from '../../../src/workers';
import { testStack, uniqueName } from '../../support/stack';
import { startTestWorker, type TestWorker } from '../../support/worker';
import { startFakeAccountWorker } from './fake-account';

/** A general worker and an account worker over a fake Telegram, on the real dev server and Redis. */
export interface LivePipeline<T extends TelegramPort> {
  dir: string;
  store: LocalArtifactStore;
  redis: Redis;
  telegram: T;
  tw: TestWorker;
  account: RunningAccountWorker;
  stop(): Promise<void>;
}

/**
 * Starts the live pipeline as production runs it: the general worker on the base queue, the real account worker
 * (lease, Telegram activities) on the account's queue. `telegram` builds the fake port; it gets the Redis and key
 * prefix in case it should call through a real limiter.
 */
export async function startLivePipeline<T extends TelegramPort>(opts: {
  name: string;
  account: string;
  telegram: (redis: Redis, prefix: string) => T;
}): Promise<LivePipeline<T>> {
  const dir = mkdtempSync(join(tmpdir(), `tgpulse-${opts.name}-`));
  const store = new LocalArtifactStore(join(dir, 'data'));
  const redis = createLimiterRedis(testStack().redisUrl);
  const prefix = `${uniqueName(opts.name)}:`;
  const telegram = opts.telegram(redis, prefix);
  const tw = await startTestWorker({ store, outputDir: dir, openSource: openJobSource, llm: null });
  const connection = await NativeConnection.connect({ address: testStack().temporalAddress });
  const account = await startFakeAccountWorker({ connection, taskQueue: tw.taskQueue, account: opts.account, telegram, store, outputDir: dir, redis, prefix });
  return {
    dir,
    store,
    redis,
    telegram,
    tw,
    account,
    async stop() {
      await account.stop();
      await tw.stop();
      await connection.close();
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
