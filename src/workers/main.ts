import { maintenanceDepsFromConfig } from '../activities';
import { loadConfig, loadDotenv } from '../config';
import { describeError } from '../domain';
import { createLimiterRedis } from '../limiter';
import { llmSettingsFromConfig } from '../llm';
import { collectProcessMetrics, diskCheck, redisCheck, startOpsServer, workerCheck, type HealthCheck, type OpsServer } from '../observability';
import { openArtifactStore } from '../store';
import { codecHandlerFromConfig, connectWorker, dataConverterFromConfig } from '../temporal';
import { createGeneralWorker } from './general-worker';
import { installRuntimeMetrics } from './runtime-metrics';
import { openJobSource } from './sources';
import { exitOnStartupFailure, requireRedis } from './startup';

/**
 * `npm run worker`: runs the general worker until SIGINT or SIGTERM, with `/metrics` and `/healthz`. What it needs
 * is checked first, cheapest first, so a worker that cannot run says why in one line and exits at once: the
 * metrics port, Redis, the artifact store, then Temporal.
 */
async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  // Before the first connection, which would create the SDK runtime without its metrics exporter.
  if (config.METRICS_PORT !== 0) await installRuntimeMetrics();
  const redis = createLimiterRedis(config.REDIS_URL);
  let ops: OpsServer | undefined;
  try {
    // The worker's own check joins once it exists; /healthz reads the list on each request.
    const checks: HealthCheck[] = [redisCheck(redis), diskCheck(config.DATA_DIR)];
    if (config.METRICS_PORT !== 0) {
      collectProcessMetrics();
      ops = await startOpsServer({
        port: config.METRICS_PORT,
        host: config.METRICS_HOST,
        checks,
        ...(config.CODEC_AUTH_TOKEN ? { codec: codecHandlerFromConfig(config) } : {}),
      });
    }
    await requireRedis(redis);
    // A wrong bucket or folder is one line now, not a failed job later.
    const store = await openArtifactStore(config);
    const connection = await connectWorker(config);
    try {
      const worker = await createGeneralWorker({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        dataConverter: dataConverterFromConfig(config, { warn: (m: string) => process.stderr.write(`${m}\n`) }),
        deps: {
          store,
          outputDir: config.OUTPUT_DIR,
          ...(config.EXPORTS_DIR ? { exportsDir: config.EXPORTS_DIR } : {}),
          maintenance: maintenanceDepsFromConfig(config, redis, store),
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
