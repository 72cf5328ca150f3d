import type { Client } from '@temporalio/client';
import { loadConfig, loadDotenv, type Config } from '../../config';
import { connectClient } from '../../temporal';

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
