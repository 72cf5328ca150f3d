import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig, loadDotenv } from '../config';
import { freePort, isListening, startRedis, startTemporal, type RunningService } from '../devstack';
import { describeError } from '../domain';
import { llmSettingsFromConfig } from '../llm';
import { LocalArtifactStore } from '../store';
import { runUrl } from '../temporal';
import { createGeneralWorker, openJobSource } from '../workers';
import { startSummarize } from './jobs';
import { printResult, watchRun } from './cli/run-output';

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');
const STATE_DIR = resolve(__dirname, '../../.tgpulse');

const log = (line: string) => process.stderr.write(`[demo] ${line}\n`);

/**
 * `npm run demo`: starts what is missing (Temporal dev server with its Web UI, Redis), a worker, and one
 * `summarizeChat` run over the sample export with the no-model digest; prints the summary, its files and the
 * run's Web UI page; then stops what it started. `--keep` leaves the dev server up to browse the Web UI.
 */
async function main(): Promise<void> {
  loadDotenv();
  // The worker's lifecycle chatter would bury the summary; warnings and errors still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const keep = process.argv.includes('--keep');
  const started: RunningService[] = [];
  mkdirSync(STATE_DIR, { recursive: true });
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    const redisPort = Number(new URL(env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379);
    if (!(await isListening(redisPort))) {
      const redis = await startRedis({ logDir: STATE_DIR, port: redisPort });
      started.push(redis);
      log(`started redis-server on port ${redis.port}`);
    }
    const [host, portText] = (env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233').split(':');
    const temporalPort = Number(portText ?? 7233);
    if (!(await isListening(temporalPort, host))) {
      const uiPort = (await isListening(8233)) ? await freePort() : 8233;
      log('starting the Temporal dev server (first start takes a few seconds)…');
      const temporal = await startTemporal({ logDir: STATE_DIR, dbFile: resolve(STATE_DIR, 'temporal.db'), port: temporalPort, uiPort });
      started.push(temporal);
      env.TEMPORAL_ADDRESS = temporal.address;
      env.TEMPORAL_UI_URL = temporal.uiUrl;
      log(`started Temporal on ${temporal.address}, Web UI ${temporal.uiUrl}`);
    }
    const config = loadConfig({ ...env, DATA_DIR: env.DATA_DIR ?? resolve(STATE_DIR, 'data'), TEMPORAL_TASK_QUEUE: 'tgpulse-demo' });

    const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    const worker = await createGeneralWorker({
      connection: workerConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      deps: { store: new LocalArtifactStore(config.DATA_DIR), openSource: openJobSource, llm: llmSettingsFromConfig(config) },
    });
    const client = new Client({ connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS }), namespace: config.TEMPORAL_NAMESPACE });
    try {
      await worker.runUntil(async () => {
        const handle = await startSummarize(
          client,
          config,
          { source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: resolve(config.OUTPUT_DIR) } },
          'sample-cohort',
        );
        const url = runUrl(config, handle.workflowId, handle.firstExecutionRunId);
        log(`run ${handle.workflowId} started; watch it at ${url}`);
        const result = await watchRun(handle);
        printResult(result);
        process.stdout.write(`\nResult: ${result.files.find((f) => f.endsWith('.md'))}\nRun in the Temporal Web UI: ${url}\n`);
      });
    } finally {
      await client.connection.close();
      await workerConnection.close();
    }
    if (keep && started.length > 0) {
      log('--keep: the dev server and its Web UI stay up; press Ctrl-C to stop them');
      // A signal listener alone does not keep Node running (the servers are unref'd children): hold a timer.
      const hold = setInterval(() => undefined, 1 << 30);
      await new Promise<void>((r) => ['SIGINT', 'SIGTERM'].forEach((sig) => process.once(sig, () => r())));
      clearInterval(hold);
    } else if (started.some((s) => s.name === 'temporal')) {
      log('stopping the servers the demo started (run `npm run demo -- --keep` to keep the Web UI up)');
    }
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }
}

main().catch((err: unknown) => {
  const { message, exitCode } = describeError(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
});
