import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig, loadDotenv, type Config } from '../config';
import { isListening, startTemporal, type TemporalDevServer } from '../devstack';
import { describeError } from '../domain';
import { llmSettingsFromConfig } from '../llm';
import { LocalArtifactStore } from '../store';
import { connectClient, connectWorker, dataConverterFromConfig, runUrl } from '../temporal';
import { createGeneralWorker, openJobSource } from '../workers';
import { DemoStop, explainFailure, serverLost, splitAddress } from './demo-server-loss';
import { startSummarize } from './jobs';
import { printResult, watchRun } from './cli/run-output';

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');

const USAGE = `usage: npm run demo -- [--keep] [--temporal <host:port>]
  --keep                 leave the Temporal dev server and its Web UI up after the run, until Ctrl-C
  --temporal <host:port> use this Temporal server instead of starting a dev server of the demo's own
`;

const log = (line: string) => process.stderr.write(`[demo] ${line}\n`);

interface DemoOptions {
  keep: boolean;
  /** A server the user named; without it the demo starts its own. */
  temporal?: string;
}

function parseArgs(argv: string[]): DemoOptions {
  const opts: DemoOptions = { keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--keep') opts.keep = true;
    else if (arg === '--temporal' && argv[i + 1]) opts.temporal = argv[++i]!;
    else if (arg.startsWith('--temporal=')) opts.temporal = arg.slice('--temporal='.length);
    else if (arg === '--help' || arg === '-h') throw new DemoStop(USAGE.trimEnd(), 0);
    else throw new DemoStop(`unknown argument ${JSON.stringify(arg)}\n${USAGE.trimEnd()}`, 2);
  }
  return opts;
}

/** One `summarizeChat` run over the sample, on a worker of the demo's own task queue. */
async function runSample(config: Config): Promise<void> {
  const workerConnection = await connectWorker(config);
  let client: Client | undefined;
  try {
    client = await connectClient(config, { connectTimeoutMs: 30_000 });
    const worker = await createGeneralWorker({
      connection: workerConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      dataConverter: dataConverterFromConfig(config),
      deps: { store: new LocalArtifactStore(config.DATA_DIR), outputDir: config.OUTPUT_DIR, openSource: openJobSource, llm: llmSettingsFromConfig(config) },
    });
    await worker.runUntil(async () => {
      const handle = await startSummarize(client!, config, { source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files' } }, 'sample-cohort');
      const url = runUrl(config, handle.workflowId, handle.firstExecutionRunId);
      log(`run ${handle.workflowId} started; watch it at ${url}`);
      const result = await watchRun(handle);
      printResult(result);
      process.stdout.write(`\nResult: ${result.files.find((f) => f.endsWith('.md'))}\nRun in the Temporal Web UI: ${url}\n`);
    });
  } finally {
    await client?.connection.close();
    await workerConnection.close();
  }
}

/**
 * `npm run demo`: starts a Temporal dev server of its own (free ports, in-memory, its Web UI), a worker on a task
 * queue no other process uses, and one `summarizeChat` run over the sample export with the no-model digest; prints
 * the summary, its files and the run's Web UI page; then stops what it started. It never attaches to a server that
 * happens to listen on the default ports (two demos at once each run their own); `--temporal host:port` names one
 * to use instead. It stops everything it started on exit, on Ctrl-C and when its server dies (then within seconds,
 * with the reason), and writes nothing in the repository but the result in the output folder (`out/`, ignored by git).
 */
async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  loadDotenv();
  // The worker's lifecycle chatter would bury the summary; warnings and errors still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // Logs and the artifact store of this demo alone: two demos never share them, and nothing lands in the repository.
  const workDir = mkdtempSync(join(tmpdir(), 'tgpulse-demo-'));
  let own: TemporalDevServer | null = null;
  let starting: Promise<TemporalDevServer> | null = null;
  let stopping = false;
  let failed = false;

  const interrupted = new Promise<never>((_, reject) => {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      process.once(signal, () => reject(new DemoStop(`${signal}: stopping what the demo started`, code)));
    }
  });
  interrupted.catch(() => undefined);

  try {
    let address = opts.temporal;
    let uiUrl = process.env.TEMPORAL_UI_URL;
    if (address) {
      const [host, port] = splitAddress(address);
      if (!(await isListening(port, host))) throw new DemoStop(`no Temporal server answers at ${address} (--temporal); leave --temporal out and the demo starts its own`, 3);
      log(`using the Temporal server at ${address}`);
    } else {
      log('starting a Temporal dev server of its own (first start takes a few seconds)…');
      starting = startTemporal({ logDir: workDir }).catch((err: unknown) => {
        throw new DemoStop(err instanceof Error ? err.message : String(err), 1);
      });
      own = await Promise.race([starting, interrupted]);
      address = own.address;
      uiUrl = own.uiUrl;
      log(`started the Temporal dev server (pid ${own.pid}) on ${own.address}, Web UI ${own.uiUrl}`);
    }
    const taskQueue = `tgpulse-demo-${randomUUID().slice(0, 8)}`;
    log(`task queue ${taskQueue}`);
    const config = loadConfig({
      ...process.env,
      TEMPORAL_ADDRESS: address,
      ...(uiUrl ? { TEMPORAL_UI_URL: uiUrl } : {}),
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATA_DIR: join(workDir, 'data'),
    });
    const lost = serverLost({ own, address }, () => stopping);
    lost.catch(() => undefined);

    await Promise.race([runSample(config).catch((err: unknown) => explainFailure(err, lost, config.TEMPORAL_ADDRESS)), lost, interrupted]);

    if (opts.keep && own) {
      log('--keep: the dev server and its Web UI stay up; press Ctrl-C to stop them');
      await Promise.race([lost, interrupted]).catch((err: unknown) => {
        // Ctrl-C is how --keep ends: not a failure.
        if (!(err instanceof DemoStop && err.exitCode >= 128)) throw err;
      });
    } else if (own) {
      log('stopping the dev server the demo started (run `npm run demo -- --keep` to keep the Web UI up)');
    }
    return 0;
  } catch (err) {
    failed = !(err instanceof DemoStop && err.exitCode >= 128);
    throw err;
  } finally {
    stopping = true;
    // Interrupted while the server was still starting: it is ours all the same.
    own ??= await starting?.catch(() => null) ?? null;
    await own?.stop();
    // The logs stay when something failed: the messages point at them.
    if (!failed) rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  // Exit now: a worker or connection still waiting on a server that is gone must not keep the process alive.
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof DemoStop) {
      process.stderr.write(err.exitCode === 0 ? `${err.message}\n` : `[demo] ${err.exitCode >= 128 ? '' : 'error: '}${err.message}\n`);
      process.exit(err.exitCode);
    }
    const { message, exitCode } = describeError(err);
    process.stderr.write(`${message}\n`);
    process.exit(exitCode);
  },
);
