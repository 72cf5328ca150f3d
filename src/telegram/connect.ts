import type Redis from 'ioredis';
import { Api, Logger, TelegramClient } from 'telegram';
import * as RSA from 'telegram/crypto/RSA';
import { LogLevel } from 'telegram/extensions/Logger';
import { ConnectionTCPFull } from 'telegram/network';
import { StringSession } from 'telegram/sessions';
import { ConfigError, type Config } from '../config';
import { BadInputError, TransportError } from '../domain';
import type { CallGuard } from '../limiter';
import { GramjsTelegram } from './gramjs-adapter';
import { telegramKeys, type TelegramKeys } from './keys';
import { AccountLease, type LeaseOptions } from './lease';
import { mapTelegramError } from './map-error';
import { PeerCache } from './peer-cache';
import type { AccountInfo, TelegramPort } from './port';
import { telegramServer, type ServerSettings, type TelegramServer } from './server';
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

/** Connection attempts before giving up with one error; each takes at most TELEGRAM_CONNECT_TIMEOUT_SECONDS. */
const CONNECT_ATTEMPTS = 2;

type ConnectionOptions = ConstructorParameters<typeof ConnectionTCPFull>[0];

/**
 * Points gramjs at `server`. gramjs trusts only Telegram's RSA keys and dials port 443 or 80 whatever the session
 * says, so the server's key replaces Telegram's (the key table is per process: one process talks to one server) and
 * a connection class forces the address.
 */
function serverConnection(server: TelegramServer): typeof ConnectionTCPFull | undefined {
  if (server.host === undefined || server.port === undefined || server.key === undefined) return undefined;
  RSA._serverKeys.clear();
  RSA._serverKeys.set(server.key.fingerprint, { n: server.key.n, e: server.key.e });
  const { host, port } = server;
  return class ServerConnection extends ConnectionTCPFull {
    constructor(opts: ConnectionOptions) {
      super({ ...opts, ip: host, port });
    }
  };
}

/**
 * A gramjs client that never sleeps through a flood wait by itself (`floodSleepThreshold: 0`: the limiter and the
 * workflow own waiting) and gives up on a dead network after a few tries instead of hanging. `server` (from
 * {@link telegramServer}) points it at another MTProto server; by default it talks to Telegram.
 */
export function createTelegramClient(creds: TelegramCredentials, session: string, server: TelegramServer = telegramServer({})): TelegramClient {
  const connection = serverConnection(server);
  const client = new TelegramClient(new StringSession(session), creds.apiId, creds.apiHash, {
    floodSleepThreshold: 0,
    connectionRetries: CONNECT_ATTEMPTS,
    timeout: server.connectTimeoutSeconds,
    requestRetries: 2,
    retryDelay: 1000,
    autoReconnect: true,
    // gramjs logs every connection step, and each failed attempt with a stack trace; ours are the errors we map.
    baseLogger: new Logger(LogLevel.NONE),
    ...(connection ? { connection, useWSS: false } : {}),
  });
  if (server.host !== undefined && server.port !== undefined) client.session.setDC(server.dcId, server.host, server.port);
  return client;
}

/**
 * Connects, or throws one {@link TransportError} naming the server and why. gramjs's `connect()` reports a server it
 * could not reach by returning false and then waits for it forever; this turns that into an error within
 * CONNECT_ATTEMPTS × (timeout + 1 s).
 */
export async function connectClient(client: TelegramClient, server: TelegramServer, opts: { destroyOnFailure?: boolean } = {}): Promise<void> {
  let last: unknown;
  client.onError = async (err) => {
    last = err;
  };
  const connected = await client.connect();
  if (connected || client.connected === true) return;
  if (opts.destroyOnFailure !== false) await client.destroy().catch(() => undefined);
  // Not `instanceof Error`: socket errors may come from another realm (a test runner's sandbox).
  const message = (last as { message?: unknown } | undefined)?.message;
  const why = typeof message === 'string' && message !== '' ? message : 'no answer';
  const hint = server.host === undefined ? 'check the network' : 'check TELEGRAM_SERVER, TELEGRAM_SERVER_KEY_FILE and that the server is running';
  throw new TransportError(`Cannot connect to the Telegram server at ${server.label} after ${CONNECT_ATTEMPTS} attempts (${why}): ${hint}`, { cause: last });
}

/** What opening an account needs. */
export interface AccountDeps {
  config: Pick<Config, 'TG_API_ID' | 'TG_API_HASH'> & ServerSettings;
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
  config: Pick<Config, 'TG_API_ID' | 'TG_API_HASH' | 'SESSION_DIR' | 'REDIS_KEY_PREFIX' | 'SESSION_NAME'> & ServerSettings,
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

/** What {@link connectAccount} opened: a connected client under the account's lease, and what made it. */
export interface ConnectedAccount {
  creds: TelegramCredentials;
  server: TelegramServer;
  /** The session string read from the session file. */
  session: string;
  lease: AccountLease;
  client: TelegramClient;
}

/**
 * The first steps of opening an account, shared by {@link openTelegramAccount} and the userbot's opener: reads the
 * session (a missing one gets `loginHint`), takes the lease, connects through the limiter. On failure it closes what
 * it opened and gives the lease back.
 */
export async function connectAccount(deps: AccountDeps, loginHint: string): Promise<ConnectedAccount> {
  const creds = telegramCredentials(deps.config);
  const server = telegramServer(deps.config);
  const session = await deps.sessions.read(deps.account);
  if (session === undefined) {
    throw new BadInputError(`Account "${deps.account}" is not logged in (no ${deps.sessions.pathOf(deps.account)})`, `Log in with \`${loginHint}\``);
  }
  const lease = await AccountLease.acquire(deps.redis, deps.keys, deps.account, deps.lease);
  const client = createTelegramClient(creds, session, server);
  try {
    await deps.guard.safeCall(deps.account, 'api', 'connect', () => connectClient(client, server), { mapError: (err) => mapTelegramError(err, { account: deps.account, method: 'connect' }) });
  } catch (err) {
    await closeQuietly(client, lease);
    throw err;
  }
  return { creds, server, session, lease, client };
}

/**
 * Connects an account from its session file: takes the lease first (a second process is refused with
 * {@link SessionInUseError}), then connects. A missing session asks the user to log in.
 */
export async function openTelegramAccount(deps: AccountDeps): Promise<OpenAccount> {
  const { creds, server, session, lease, client: first } = await connectAccount(deps, `tgpulse login --account ${deps.account}`);
  let client = first;
  const rebuild = async (): Promise<TelegramClient> => {
    const old = client;
    const saved = (old.session as StringSession).save() || session;
    await tearDown(old);
    const next = createTelegramClient(creds, saved, server);
    client = next;
    const budgetMs = connectBudgetMs(server);
    await withinMs(connectClient(next, server), budgetMs).catch(async (err: unknown) => {
      await tearDown(next);
      if (err instanceof TransportError) throw err;
      throw new TransportError(`Cannot reconnect to the Telegram server at ${server.label} within ${budgetMs / 1000} s: it will be retried`, { cause: err });
    });
    return next;
  };
  const telegram = new GramjsTelegram({
    client,
    guard: deps.guard,
    account: deps.account,
    peers: new PeerCache(deps.redis, deps.keys, deps.account),
    requestTimeoutMs: (deps.config.TELEGRAM_REQUEST_TIMEOUT_SECONDS ?? 60) * 1000,
    reconnect: rebuild,
  });
  // `client` is read at close time: the one in use then, after any rebuilds.
  return { telegram, lease, close: () => closeQuietly(client, lease) };
}

/** How long tearing a client down may take; a socket that does not close is left to the garbage collector. */
const DESTROY_TIMEOUT_MS = 5_000;

/** The part of gramjs's MTProtoSender (private in 2.26) that a destroy during its own reconnect needs. */
interface GramjsSender {
  _autoReconnectCallback?: () => Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Destroys a client for good, within DESTROY_TIMEOUT_MS. A destroy that lands while gramjs runs its own reconnect
 * (`MTProtoSender._reconnect`) does not stop it: its `connect()` clears the "disconnected by the user" flag and, if
 * the server is back, revives the connection, leaving a second live connection nobody uses. The reconnect ends by
 * calling `_autoReconnectCallback`: pointed at `disconnect()`, it closes what the reconnect opened.
 */
async function tearDown(client: TelegramClient): Promise<void> {
  const sender = (client as unknown as { _sender?: GramjsSender })._sender;
  if (sender) sender._autoReconnectCallback = () => sender.disconnect();
  await withinMs(client.destroy(), DESTROY_TIMEOUT_MS).catch(() => undefined);
}

/** The longest a connect may take: CONNECT_ATTEMPTS × (timeout + gramjs's 1 s retry delay), plus the first request. */
function connectBudgetMs(server: TelegramServer): number {
  return (CONNECT_ATTEMPTS * (server.connectTimeoutSeconds + 1) + server.connectTimeoutSeconds) * 1000;
}

/** `work`, or a rejection once `ms` have passed (the work itself is not stopped: the caller tears it down). */
function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Tears the client down (see {@link tearDown}) and gives the lease back, whatever happens to the first. */
export async function closeQuietly(client: TelegramClient, lease: AccountLease): Promise<void> {
  try {
    await tearDown(client);
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
  const server = telegramServer(deps.config);
  const lease = await AccountLease.acquire(deps.redis, deps.keys, deps.account, deps.lease);
  const client = createTelegramClient(creds, '', server);
  const mapError = (err: unknown) => mapTelegramError(err, { account: deps.account, method: 'auth.SignIn' });
  try {
    let failure: unknown;
    await deps.guard.safeCall(
      deps.account,
      'api',
      'auth.SignIn',
      async () => {
        await connectClient(client, server);
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
  const server = telegramServer(deps.config);
  const session = await deps.sessions.read(deps.account);
  if (session === undefined) return { removed: false };
  const lease = await AccountLease.acquire(deps.redis, deps.keys, deps.account, deps.lease);
  const client = createTelegramClient(creds, session, server);
  try {
    const mapError = (err: unknown) => mapTelegramError(err, { account: deps.account, method: 'auth.LogOut' });
    await deps.guard.safeCall(deps.account, 'api', 'auth.LogOut', async () => {
      await connectClient(client, server);
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
