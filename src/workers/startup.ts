import type Redis from 'ioredis';
import { describeError, TransportError } from '../domain';
import { redisWhere } from '../limiter';
import { collectProcessMetrics, startOpsServer, type HealthCheck, type OpsServer } from '../observability';
import { installRuntimeMetrics } from './runtime-metrics';

/**
 * Fails at start when Redis does not answer: a worker without it would start, then fail every limited call and
 * every quota. One ping, with the client's own short timeouts.
 */
export async function requireRedis(redis: Redis): Promise<void> {
  try {
    await redis.ping();
  } catch (err) {
    throw new TransportError(`Redis at ${redisWhere(redis)} does not answer. Start it (\`redis-server\`) or set REDIS_URL`, { cause: err });
  }
}

/**
 * Ends a worker that could not start: one line saying why (the first line of the error, no stack: a startup
 * failure is about the machine, not the code), then exits at once with the error's code — a half-created worker or
 * an open connection must not keep the process waiting for a second signal.
 */
export function exitOnStartupFailure(what: string, err: unknown): never {
  const { exitCode } = describeError(err);
  const line = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
  process.stderr.write(`error: ${what} cannot start: ${line}\n`);
  process.exit(exitCode === 0 ? 1 : exitCode);
}

/**
 * The operations endpoint of a worker process (`/metrics` with the SDK runtime's metrics merged in, `/healthz` over
 * `checks`), or none when `port` is 0. The first startup check: a busy port is a one-line error naming `portSetting`.
 * Call it before the first connection to Temporal, which would create the SDK runtime without its exporter.
 * `checks` is read on each request: push a worker's check once it exists.
 */
export async function startWorkerOps(opts: { port: number; host: string; portSetting: string; checks: HealthCheck[] }): Promise<OpsServer | undefined> {
  if (opts.port === 0) return undefined;
  await installRuntimeMetrics();
  collectProcessMetrics();
  return startOpsServer(opts);
}
