import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotenv } from '../config';
import { describeError } from '../domain';
import { createLimiter, createLimiterRedis, limiterOptionsFromConfig } from '../limiter';
import { collectProcessMetrics, diskCheck, redisCheck, startOpsServer, workerCheck, type OpsServer } from '../observability';
import { openArtifactStore } from '../store';
import { accountDepsFromConfig, openTelegramAccount, telegramCredentials } from '../telegram';
import { connectWorker, dataConverterFromConfig } from '../temporal';
import { startAccountWorker } from './account-worker';
import { installRuntimeMetrics } from './runtime-metrics';

/** The account name from `--account <name>`, else SESSION_NAME. */
function accountFromArgs(argv: string[], fallback: string): string {
  const { values } = parseArgs({ args: argv, options: { account: { type: 'string' } }, strict: true });
  const account = values.account?.trim() || fallback;
  if (!/^[A-Za-z0-9_-]+$/.test(account)) throw new ConfigError([`--account (${JSON.stringify(account)}): may hold only letters, digits, _ and -`]);
  return account;
}

// A restarted worker waits this long for the lease of the process it replaces (a crashed one's runs out in 30 s).
const LEASE_WAIT_MS = 35_000;

/** `npm run worker:account [-- --account <name>]`: serves one Telegram account's task queue until SIGINT or SIGTERM. */
async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  // Before anything else: a wrong bucket or folder is one line now, not a failed job later.
  const store = await openArtifactStore(config);
  const account = accountFromArgs(process.argv.slice(2), config.SESSION_NAME);
  // Missing credentials are a configuration problem: say so before connecting to anything.
  telegramCredentials(config);
  // Before the first connection, which would create the SDK runtime without its metrics exporter.
  if (config.ACCOUNT_METRICS_PORT !== 0) await installRuntimeMetrics();
  const redis = createLimiterRedis(config.REDIS_URL);
  try {
    const guard = createLimiter({ redis, ...limiterOptionsFromConfig(config) });
    const deps = { ...accountDepsFromConfig(config, { redis, guard, account }), lease: { waitMs: LEASE_WAIT_MS } };
    const connection = await connectWorker(config);
    try {
      const running = await startAccountWorker({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        account,
        open: () => openTelegramAccount(deps),
        store,
        outputDir: config.OUTPUT_DIR,
        floodTimerThresholdSeconds: config.FLOOD_WAIT_TIMER_THRESHOLD_SECONDS,
        dataConverter: dataConverterFromConfig(config, { warn: (m: string) => process.stderr.write(`${m}\n`) }),
      });
      let ops: OpsServer | undefined;
      if (config.ACCOUNT_METRICS_PORT !== 0) {
        collectProcessMetrics();
        // The worker stops when the account's lease is lost, so its state covers the Telegram side too.
        const checks = [workerCheck(running.worker), redisCheck(redis), diskCheck(config.DATA_DIR)];
        ops = await startOpsServer({ port: config.ACCOUNT_METRICS_PORT, host: config.METRICS_HOST, checks }).catch(async (err: unknown) => {
          await running.stop();
          throw err;
        });
      }
      try {
        const endpoint = ops ? `; /metrics and /healthz on ${config.METRICS_HOST}:${ops.port}` : '';
        process.stdout.write(`tgpulse account worker for "${account}" polling ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE}, task queue ${running.taskQueue})${endpoint}\n`);
        await running.done;
      } finally {
        await ops?.close();
      }
    } finally {
      await connection.close();
    }
  } finally {
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  const { message, exitCode } = describeError(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
});
