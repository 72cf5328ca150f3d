import { Client, Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';
import { TransportError } from '../domain';
import { dataConverterFromConfig } from './data-converter';

type TemporalSettings = Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS'>;

function unreachable(config: TemporalSettings, cause: unknown): TransportError {
  return new TransportError(
    `Temporal at ${config.TEMPORAL_ADDRESS} is unreachable. Start it (\`npm run demo\` starts a dev server; or \`temporal server start-dev\`) or set TEMPORAL_ADDRESS`,
    { cause },
  );
}

const connectionOptions = (config: TemporalSettings) => ({
  address: config.TEMPORAL_ADDRESS,
  ...(config.TEMPORAL_TLS || config.TEMPORAL_API_KEY ? { tls: true } : {}),
  ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}),
});

/**
 * A Temporal client for starters (CLI, userbot). Fails fast with a clear error when the server is down; a starter
 * that has just started the server itself (the demo) gives it longer, as a fresh dev server on a busy machine can
 * listen seconds before it answers.
 */
export async function connectClient(config: TemporalSettings & Pick<Config, 'TEMPORAL_CODEC_KEYS'>, opts: { connectTimeoutMs?: number } = {}): Promise<Client> {
  try {
    const connection = await Connection.connect({
      ...connectionOptions(config),
      connectTimeout: opts.connectTimeoutMs ?? 5000,
      // gRPC waits up to 2 min between reconnects by default: a CLI waiting out a Temporal restart would lag that long.
      channelArgs: { 'grpc.max_reconnect_backoff_ms': 3000 },
    });
    // The same codec as the workers: inputs go out encrypted, results come back readable.
    const dataConverter = dataConverterFromConfig(config);
    return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...(dataConverter ? { dataConverter } : {}) });
  } catch (err) {
    throw unreachable(config, err);
  }
}

/** The native connection a worker polls on. */
export async function connectWorker(config: TemporalSettings): Promise<NativeConnection> {
  // Loaded here, not at the top: the worker package (the native core and the workflow bundler) takes longer to load
  // than the rest of the CLI, which imports this file for `connectClient` and never runs a worker.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NativeConnection } = require('@temporalio/worker') as typeof import('@temporalio/worker');
  try {
    return await NativeConnection.connect(connectionOptions(config));
  } catch (err) {
    throw unreachable(config, err);
  }
}

/**
 * The Web UI page of one run. The UI (2.x) routes a run as `workflows/<id>/<run id>/history`: without the run id
 * its next segment would be read as one (a 400 page), so a link without it opens the runs list filtered to the id.
 */
export function runUrl(config: Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>, workflowId: string, runId?: string): string {
  const base = config.TEMPORAL_UI_URL.replace(/\/+$/, '');
  const ns = encodeURIComponent(config.TEMPORAL_NAMESPACE);
  if (!runId) return `${base}/namespaces/${ns}/workflows?query=${encodeURIComponent(`WorkflowId="${workflowId}"`)}`;
  return `${base}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}
