import { loadConfig, loadDotenv } from '../config';
import { describeError } from '../domain';
import { createLimiterRedis } from '../limiter';
import { llmSettingsFromConfig } from '../llm';
import { collectProcessMetrics, diskCheck, redisCheck, startOpsServer, workerCheck, type HealthCheck, type OpsServer } from '../observability';
import { LocalArtifactStore } from '../store';
import { connectWorker } from '../temporal';
import { createGeneralWorker } from './general-worker';
import { openJobSource } from './sources';
import { exitOnStartupFailure, requireRedis } from './startup';

/**
 * `npm run worker`: runs the general worker until SIGINT or SIGTERM, with `/metrics` and `/healthz`. What it needs
 * is checked first, cheapest first, so a worker that cannot run says why in one line and exits at once: the
 * metrics port, Redis, then Temporal.
 */
async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  const redis = createLimiterRedis(config.REDIS_URL);
  let ops: OpsServer | undefined;
  try {
    // The worker's own check joins once it exists; /healthz reads the list on each request.
    const checks: HealthCheck[] = [redisCheck(redis), diskCheck(config.DATA_DIR)];
    if (config.METRICS_PORT !== 0) {
      collectProcessMetrics();
      ops = await startOpsServer({ port: config.METRICS_PORT, host: config.METRICS_HOST, checks });
    }
    await requireRedis(redis);
    const connection = await connectWorker(config);
    try {
      const worker = await createGeneralWorker({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        deps: {
          store: new LocalArtifactStore(config.DATA_DIR),
          openSource: openJobSource,
          llm: llmSettingsFromConfig(config),
          floodTimerThresholdSeconds: config.FLOOD_WAIT_TIMER_THRESHOLD_SECONDS,
        },
      });
      checks.unshift(workerCheck(worker));
      const endpoint = ops ? `; /metrics and /healthz on ${config.METRICS_HOST}:${ops.port}` : '';
      process.stdout.write(`tgpulse worker polling ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE})${endpoint}\n`);
      started = true;
      await worker.run();
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
  if (!started) exitOnStartupFailure('the worker', err);
  const { message, exitCode } = describeError(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
});
