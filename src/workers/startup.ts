import type Redis from 'ioredis';
import { describeError, TransportError } from '../domain';
import { redisWhere } from '../limiter';

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
