import { loadConfig, loadDotenv } from '../config';
import { llmSettingsFromConfig } from '../llm';
import { LocalArtifactStore } from '../store';
import { connectWorker } from '../temporal';
import { createGeneralWorker } from './general-worker';
import { openJobSource } from './sources';
import { describeError } from '../domain';

/** `npm run worker`: runs the general worker until SIGINT or SIGTERM. */
async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
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
    process.stdout.write(`tgpulse worker polling ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE})\n`);
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  const { message, exitCode } = describeError(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
});
