import type Redis from 'ioredis';
import { Api, Logger, TelegramClient } from 'telegram';
import { LogLevel } from 'telegram/extensions/Logger';
import { StringSession } from 'telegram/sessions';
import { ConfigError, type Config } from '../config';
import { BadInputError } from '../domain';
import type { CallGuard } from '../limiter';
import { GramjsTelegram } from './gramjs-adapter';
import { telegramKeys, type TelegramKeys } from './keys';
import { AccountLease, type LeaseOptions } from './lease';
import { mapTelegramError } from './map-error';
import { PeerCache } from './peer-cache';
import type { AccountInfo, TelegramPort } from './port';
import { SessionStore } from './session-store';
import { SessionRevokedError } from './telegram-errors';

/** The app credentials from my.telegram.org. */
export interface TelegramCredentials {
  apiId: number;
  apiHash: string;
}

/**
 * TG_API_ID and TG_API_HASH, required as soon as tgpulse talks to Telegram (offline use needs neither, so the
 * config schema leaves them optional). Throws {@link ConfigError} naming what is missing.
 */
export function telegramCredentials(config: Pick<Config, 'TG_API_ID' | 'TG_API_HASH'>): TelegramCredentials {
  const problems: string[] = [];
  if (config.TG_API_ID === undefined) problems.push('TG_API_ID (unset): required to use a Telegram account; create an app at https://my.telegram.org → API development tools');
  if (config.TG_API_HASH === undefined) problems.push('TG_API_HASH (unset): required to use a Telegram account; it is shown next to TG_API_ID at https://my.telegram.org');
  if (problems.length > 0 || config.TG_API_ID === undefined || config.TG_API_HASH === undefined) throw new ConfigError(problems);
  return { apiId: config.TG_API_ID, apiHash: config.TG_API_HASH };
}

/**
 * A gramjs client that never sleeps through a flood wait by itself (`floodSleepThreshold: 0`: the limiter and the
 * workflow own waiting) and gives up on a dead network after a few tries instead of hanging.
 */
export function createTelegramClient(creds: TelegramCredentials, session: string): TelegramClient {
  return new TelegramClient(new StringSession(session), creds.apiId, creds.apiHash, {
    floodSleepThreshold: 0,
    connectionRetries: 3,
    requestRetries: 2,
    retryDelay: 1000,
    autoReconnect: true,
    // gramjs logs every connection step to stdout; ours are the errors we map.
    baseLogger: new Logger(LogLevel.ERROR),
  });
}

/** What opening an account needs. */
export interface AccountDeps {
  config: Pick<Config, 'TG_API_ID' | 'TG_API_HASH'>;
  redis: Redis;
  keys: TelegramKeys;
  guard: CallGuard;
  sessions: SessionStore;
  account: string;
  lease?: LeaseOptions;
}

/**
 * The dependencies of an account from the config: session files in SESSION_DIR, keys under REDIS_KEY_PREFIX.
 * `guard` is the limiter (`createLimiter`), `redis` the client the lease and the peer cache use.
 */
export function accountDepsFromConfig(
  config: Pick<Config, 'TG_API_ID' | 'TG_API_HASH' | 'SESSION_DIR' | 'REDIS_KEY_PREFIX' | 'SESSION_NAME'>,
  deps: { redis: Redis; guard: CallGuard; account?: string },
): AccountDeps {
  return {
    config,
    redis: deps.redis,
    guard: deps.guard,
    keys: telegramKeys(config.REDIS_KEY_PREFIX),
    sessions: new SessionStore(config.SESSION_DIR),
    account: deps.account ?? config.SESSION_NAME,
  };
}

/** A live account: the port, the lease that makes this process its only connection, and how to close both. */
export interface OpenAccount {
  telegram: TelegramPort;
  lease: AccountLease;
  /** Disconnects (gramjs `destroy()`, which also stops its update loop) and gives the lease back. */
  close(): Promise<void>;
}

/**
 * Connects an account from its session file: takes the lease first (a second process is refused with
 * {@link SessionInUseError}), then connects. A missing session asks the user to log in.
 */
export async function openTelegramAccount(deps: AccountDeps): Promise<OpenAccount> {
  const creds = telegramCredentials(deps.config);
  const session = await deps.sessions.read(deps.account);
  if (session === undefined) {
    throw new BadInputError(`Account "${deps.account}" is not logged in (no ${deps.sessions.pathOf(deps.account)})`, `Log in with \`tgpulse login --session ${deps.account}\``);
  }
  const lease = await AccountLease.acquire(deps.redis, deps.keys, deps.account, deps.lease);
  const client = createTelegramClient(creds, session);
  try {
    await deps.guard.safeCall(deps.account, 'api', 'connect', () => client.connect(), { mapError: (err) => mapTelegramError(err, { account: deps.account, method: 'connect' }) });
  } catch (err) {
    await closeQuietly(client, lease);
    throw err;
  }
  const telegram = new GramjsTelegram({ client, guard: deps.guard, account: deps.account, peers: new PeerCache(deps.redis, deps.keys, deps.account) });
  return { telegram, lease, close: () => closeQuietly(client, lease) };
}

async function closeQuietly(client: TelegramClient, lease: AccountLease): Promise<void> {
  try {
    await client.destroy();
  } finally {
    await lease.release();
  }
}

/** Answers the login asks for: from flags, the environment, or a prompt. */
export interface LoginPrompts {
  phone(): Promise<string>;
  code(): Promise<string>;
  /** Asked only when the account has two-step verification. */
  password(hint?: string): Promise<string>;
}

/**
 * Logs an account in (phone, code, 2FA password when the account has one) and stores the session file. Runs under
 * the account's lease and through the limiter, like every other Telegram call.
 */
export async function loginTelegramAccount(deps: AccountDeps & { prompts: LoginPrompts }): Promise<{ account: AccountInfo; sessionFile: string }> {
  const creds = telegramCredentials(deps.config);
  const lease = await AccountLease.acquire(deps.redis, deps.keys, deps.account, deps.lease);
  const client = createTelegramClient(creds, '');
  const mapError = (err: unknown) => mapTelegramError(err, { account: deps.account, method: 'auth.SignIn' });
  try {
    let failure: unknown;
    await deps.guard.safeCall(
      deps.account,
      'api',
      'auth.SignIn',
      async () => {
        await client.start({
          phoneNumber: () => deps.prompts.phone(),
          phoneCode: () => deps.prompts.code(),
          password: (hint) => deps.prompts.password(hint),
          // Stop at the first error: a scripted login cannot type the code again.
          onError: async (err) => {
            failure = err;
            return true;
          },
        });
      },
      { mapError: (err) => mapError(failure ?? err) },
    );
    const telegram = new GramjsTelegram({ client, guard: deps.guard, account: deps.account, peers: new PeerCache(deps.redis, deps.keys, deps.account) });
    const account = await telegram.whoami();
    const sessionFile = await deps.sessions.write(deps.account, (client.session as StringSession).save());
    return { account, sessionFile };
  } finally {
    await closeQuietly(client, lease);
  }
}

/**
 * Logs the account out at Telegram and deletes its session file. A session Telegram already dropped is deleted too.
 */
export async function logoutTelegramAccount(deps: AccountDeps): Promise<{ removed: boolean }> {
  const creds = telegramCredentials(deps.config);
  const session = await deps.sessions.read(deps.account);
  if (session === undefined) return { removed: false };
  const lease = await AccountLease.acquire(deps.redis, deps.keys, deps.account, deps.lease);
  const client = createTelegramClient(creds, session);
  try {
    const mapError = (err: unknown) => mapTelegramError(err, { account: deps.account, method: 'auth.LogOut' });
    await deps.guard.safeCall(deps.account, 'api', 'auth.LogOut', async () => {
      await client.connect();
      await client.invoke(new Api.auth.LogOut());
    }, { mapError });
  } catch (err) {
    // A session Telegram already dropped is as logged out as it gets: delete the file all the same.
    if (!(err instanceof SessionRevokedError)) throw err;
  } finally {
    await closeQuietly(client, lease);
  }
  return { removed: await deps.sessions.remove(deps.account) };
}
