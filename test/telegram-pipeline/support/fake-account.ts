import { tmpdir } from 'node:os';
import type { NativeConnection } from '@temporalio/worker';
import type Redis from 'ioredis';
import type { ArtifactStore } from '../../../src/store';
import { AccountLease, telegramKeys, type LeaseOptions, type OpenAccount, type TelegramPort } from '../../../src/telegram';
import { startAccountWorker, type RunningAccountWorker } from '../../../src/workers';

/**
 * Opens an account over a fake port the way `openTelegramAccount` opens a live one: the real Redis lease first,
 * then the port; closing gives the lease back.
 */
export function fakeOpener(opts: { redis: Redis; prefix: string; account: string; telegram: TelegramPort; lease?: LeaseOptions }): () => Promise<OpenAccount> {
  return async () => {
    const lease = await AccountLease.acquire(opts.redis, telegramKeys(opts.prefix), opts.account, opts.lease);
    return { telegram: opts.telegram, lease, close: () => lease.release() };
  };
}

/** The real account worker (`startAccountWorker`, `createTelegramActivities`) over a fake port. */
export function startFakeAccountWorker(opts: {
  connection: NativeConnection;
  taskQueue: string;
  account: string;
  telegram: TelegramPort;
  store: ArtifactStore;
  /** Where exports go; the system's temporary folder by default (tests write their files in folders under it). */
  outputDir?: string;
  redis: Redis;
  prefix: string;
  lease?: LeaseOptions;
  floodTimerThresholdSeconds?: number;
  now?: () => number;
}): Promise<RunningAccountWorker> {
  return startAccountWorker({
    connection: opts.connection,
    namespace: 'default',
    taskQueue: opts.taskQueue,
    account: opts.account,
    store: opts.store,
    outputDir: opts.outputDir ?? tmpdir(),
    open: fakeOpener(opts),
    heartbeatEveryMs: 200,
    ...(opts.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: opts.floodTimerThresholdSeconds } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
}
