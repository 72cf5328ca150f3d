import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotenv } from '../config';
import { describeError } from '../domain';
import { createLimiter, createLimiterRedis, limiterOptionsFromConfig } from '../limiter';
import { diskCheck, redisCheck, workerCheck, type HealthCheck, type OpsServer } from '../observability';
import { openArtifactStore } from '../store';
import { accountDepsFromConfig, openTelegramAccount, telegramCredentials } from '../telegram';
import { connectWorker, dataConverterFromConfig } from '../temporal';
import { startAccountWorker } from './account-worker';
import { exitOnStartupFailure, requireRedis, startWorkerOps } from './startup';

/** The account name from `--account <name>`, else SESSION_NAME. */
function accountFromArgs(argv: string[], fallback: string): string {
  const { values } = parseArgs({ args: argv, options: { account: { type: 'string' } }, strict: true });
  const account = values.account?.trim() || fallback;
  if (!/^[A-Za-z0-9_-]+$/.test(account)) throw new ConfigError([`--account (${JSON.stringify(account)}): may hold only letters, digits, _ and -`]);
  return account;
}

// A restarted worker waits this long for the lease of the process it replaces (a crashed one's runs out in 30 s).
const LEASE_WAIT_MS = 35_000;

/**
 * `npm run worker:account [-- --account <name>]`: serves one Telegram account's task queue until SIGINT or SIGTERM.
 * What it needs is checked first (credentials, the metrics port, Redis, the artifact store, Temporal), so a worker
 * that cannot run says why in one line and exits at once.
 */
async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  const account = accountFromArgs(process.argv.slice(2), config.SESSION_NAME);
  // Missing credentials are a configuration problem: say so before connecting to anything.
  telegramCredentials(config);
  const redis = createLimiterRedis(config.REDIS_URL);
  let ops: OpsServer | undefined;
  try {
    // The worker's own check joins once it exists; /healthz reads the list on each request.
    const checks: HealthCheck[] = [redisCheck(redis), diskCheck(config.DATA_DIR)];
    ops = await startWorkerOps({ port: config.ACCOUNT_METRICS_PORT, portSetting: 'ACCOUNT_METRICS_PORT', host: config.METRICS_HOST, checks });
    await requireRedis(redis);
    // A wrong bucket or folder is one line now, not a failed job later.
    const store = await openArtifactStore(config);
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
      // The worker stops when the account's lease is lost, so its state covers the Telegram side too.
      checks.unshift(workerCheck(running.worker));
      const endpoint = ops ? `; /metrics and /healthz on ${config.METRICS_HOST}:${ops.port}` : '';
      process.stdout.write(`tgpulse account worker for "${account}" polling ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE}, task queue ${running.taskQueue})${endpoint}\n`);
      started = true;
      await running.done;
    } finally {
      await connection.close();
    }
  } finally {
    await ops?.close();
    redis.disconnect();
  }
}

/** Set once the worker polls: a failure after that is a crash, not a start that failed. */
let started = false;

main().catch((err: unknown) => {
  if (!started) exitOnStartupFailure(`the account worker`, err);
  const { message, exitCode } = describeError(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
});
