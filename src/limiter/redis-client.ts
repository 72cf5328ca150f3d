import Redis from 'ioredis';
import { limiterRedisErrors } from '../observability';

/**
 * A Redis client tuned to fail closed: a command meets a down Redis with an error within a couple of seconds
 * instead of queueing forever, and the client keeps reconnecting in the background so work resumes by itself
 * when Redis is back.
 */
export function createLimiterRedis(url: string, opts: { timeoutMs?: number; onError?: (err: Error) => void } = {}): Redis {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const redis = new Redis(url, {
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // One reconnect attempt per command, then it fails; the default (20) would hold a command for a minute or more.
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(100 * times, 1000),
  });
  // Without a listener ioredis prints every reconnect failure; commands report them to their callers anyway.
  redis.on('error', opts.onError ?? (() => limiterRedisErrors.inc({ stage: 'connection' })));
  return redis;
}

/** `host:port` of a client, for error messages (never the password). */
export function redisWhere(redis: Redis): string {
  const { host, port, path } = redis.options;
  return path ?? `${host ?? '127.0.0.1'}:${port ?? 6379}`;
}
