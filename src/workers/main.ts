import { maintenanceDepsFromConfig } from '../activities';
import { loadConfig, loadDotenv } from '../config';
import { describeError } from '../domain';
import { createLimiterRedis } from '../limiter';
import { llmSettingsFromConfig } from '../llm';
import { collectProcessMetrics, diskCheck, redisCheck, startOpsServer, workerCheck, type OpsServer } from '../observability';
import { openArtifactStore } from '../store';
import { codecHandlerFromConfig, connectWorker, dataConverterFromConfig } from '../temporal';
import { createGeneralWorker } from './general-worker';
import { installRuntimeMetrics } from './runtime-metrics';
import { openJobSource } from './sources';

/** `npm run worker`: runs the general worker until SIGINT or SIGTERM, with `/metrics` and `/healthz`. */
async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  // Before the first connection, which would create the SDK runtime without its metrics exporter.
  if (config.METRICS_PORT !== 0) await installRuntimeMetrics();
  // Before anything else: a wrong bucket or folder is one line now, not a failed job later.
  const store = await openArtifactStore(config);
  const connection = await connectWorker(config);
  const redis = createLimiterRedis(config.REDIS_URL);
  let ops: OpsServer | undefined;
  try {
    const worker = await createGeneralWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      dataConverter: dataConverterFromConfig(config, { warn: (m: string) => process.stderr.write(`${m}\n`) }),
      deps: {
        store,
        outputDir: config.OUTPUT_DIR,
        maintenance: maintenanceDepsFromConfig(config, redis, store),
        openSource: openJobSource,
        llm: llmSettingsFromConfig(config),
        floodTimerThresholdSeconds: config.FLOOD_WAIT_TIMER_THRESHOLD_SECONDS,
      },
    });
    if (config.METRICS_PORT !== 0) {
      collectProcessMetrics();
      ops = await startOpsServer({
        port: config.METRICS_PORT,
        host: config.METRICS_HOST,
        checks: [workerCheck(worker), redisCheck(redis), diskCheck(config.DATA_DIR)],
        ...(config.CODEC_AUTH_TOKEN ? { codec: codecHandlerFromConfig(config) } : {}),
      });
    }
    const endpoint = ops ? `; /metrics and /healthz on ${config.METRICS_HOST}:${ops.port}` : '';
    process.stdout.write(`tgpulse worker polling ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE})${endpoint}\n`);
    await worker.run();
  } finally {
    await ops?.close();
    redis.disconnect();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  const { message, exitCode } = describeError(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
});
