/**
 * An account worker as its own OS process, over a FakeTelegram seeded the same way every time, so a test can
 * SIGKILL it mid-extraction and start a fresh one. Built exactly as `account-main.ts` builds the real one
 * (`startAccountWorker`, the real limiter and lease on the test Redis), only the port is the fake.
 *
 * Env: TEMPORAL_ADDRESS, REDIS_URL, TASK_QUEUE, DATA_DIR, KEY_PREFIX, ACCOUNT, MESSAGES, RATE_RPS.
 * Prints `ready` once polling; on SIGTERM stops and prints `{"historyCalls": n}`.
 */
import { NativeConnection } from '@temporalio/worker';
import { createLimiter, createLimiterRedis } from '../../../src/limiter';
import { LocalArtifactStore } from '../../../src/store';
import { FakeTelegram } from '../../fakes/fake-telegram';
import { seededChat } from './chat';
import { startFakeAccountWorker } from './fake-account';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const redis = createLimiterRedis(env('REDIS_URL'));
  const prefix = env('KEY_PREFIX');
  const account = env('ACCOUNT');
  const limiter = createLimiter({ redis, prefix, ratePerSecond: Number(env('RATE_RPS')), burst: 4 });
  const telegram = new FakeTelegram({ messages: seededChat(Number(env('MESSAGES'))), account, guard: limiter });
  const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  // A short lease, so the replacement of a killed worker waits seconds, not the production 30 s.
  const running = await startFakeAccountWorker({ connection, taskQueue: env('TASK_QUEUE'), account, telegram, store: new LocalArtifactStore(env('DATA_DIR')), redis, prefix, lease: { ttlMs: 2000, waitMs: 15_000 } });
  process.stdout.write('ready\n');
  await running.done;
  await connection.close();
  redis.disconnect();
  process.stdout.write(`${JSON.stringify({ historyCalls: telegram.callTimes('messages.GetHistory').length })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
