/**
 * Every Redis key of the Telegram adapter, from one place. An account's keys share the hash tag `{account}` so
 * they stay on one Redis Cluster slot, as the limiter's do.
 */
export interface TelegramKeys {
  /** String: the holder of the account's live connection (see `AccountLease`). */
  lease(account: string): string;
  /** Hash `kind:id` → access hash: the peers the account has met (access hashes are per account). */
  peers(account: string): string;
  /** String `kind:id` for a lower-cased username, with a TTL since usernames change hands. */
  username(account: string, username: string): string;
}

/** Builds the key set under `prefix` (config `REDIS_KEY_PREFIX`, a random one per test). */
export function telegramKeys(prefix: string): TelegramKeys {
  const base = `${prefix}telegram:`;
  const tag = (account: string) => `{${encodeURIComponent(account)}}`;
  return {
    lease: (account) => `${base}${tag(account)}:lease`,
    peers: (account) => `${base}${tag(account)}:peers`,
    username: (account, username) => `${base}${tag(account)}:username:${username.toLowerCase()}`,
  };
}
