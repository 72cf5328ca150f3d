import type { Client } from '@temporalio/client';
import { loadConfig, loadDotenv, type Config } from '../../config';
import type { AccountDeps } from '../../telegram';
import { connectClient } from '../../temporal';
import { limiter, telegram } from './lazy-modules';

/** Reads `.env` and the environment once per command. */
export function cliConfig(): Config {
  loadDotenv();
  return loadConfig();
}

/** Runs `fn` with a connected Temporal client and closes the connection after. */
export async function withClient<T>(config: Config, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(config);
  try {
    return await fn(client);
  } finally {
    await client.connection.close();
  }
}

/**
 * Runs `fn` with what a Telegram account needs in this process (its session store, the limiter that guards every
 * call, the Redis the lease and peer cache live in) and closes Redis after.
 */
export async function withAccountDeps<T>(config: Config, session: string | undefined, fn: (deps: AccountDeps) => Promise<T>): Promise<T> {
  const { createLimiter, createLimiterRedis, limiterOptionsFromConfig } = limiter();
  const redis = createLimiterRedis(config.REDIS_URL);
  try {
    const guard = createLimiter({ redis, ...limiterOptionsFromConfig(config) });
    return await fn(telegram().accountDepsFromConfig(config, { redis, guard, account: session }));
  } finally {
    redis.disconnect();
  }
}
