import { Api } from 'telegram';
import { NewMessage, type NewMessageEvent } from 'telegram/events';
import { ConfigError } from '../config';
import { closeQuietly, connectClient, createTelegramClient, telegramCredentials, type AccountDeps, type OpenAccount } from './connect';
import { GramjsTelegram } from './gramjs-adapter';
import { AccountLease } from './lease';
import { mapTelegramError } from './map-error';
import { PeerCache } from './peer-cache';
import { telegramServer } from './server';
import { keepConnected, onReconnectOf, toIncoming, updatesCatchUp, type GuardedCall, type IncomingTelegramMessage, type UserbotAccount } from './userbot-account';

/**
 * A bot logged in with its token: the port (replies, status edits, files), its incoming direct messages, and the
 * catch-up of its update stream (as a user's: MTProto bots may call `updates.getState` / `updates.getDifference`).
 */
export interface BotAccount extends OpenAccount, Pick<UserbotAccount, 'updatesCursor' | 'messagesSince' | 'onReconnect' | 'reconnect'> {
  /** The bot's own user id (the digits before the token's colon). */
  selfId: string;
  username?: string;
  /** Calls `handler` for each new message to the bot, once its sender is known to the port; returns a function that stops listening. */
  onMessage(handler: (message: IncomingTelegramMessage) => void): () => void;
}

/** The account name a bot's worker serves (`bot-<id>`): from the token's public part, never its secret. */
export function botAccountName(token: string): string {
  const id = /^(\d+):/.exec(token)?.[1];
  if (id === undefined) throw new ConfigError(['USERBOT_BOT_TOKEN (set (hidden)): must be the token @BotFather gave (digits, a colon, then letters)']);
  return `bot-${id}`;
}

/**
 * Logs a bot in with its token (`client.start({ botAuthToken })`) under the lease of `deps.account` (see
 * {@link botAccountName}). The session stays in memory: the token is the credential, and a bot logs in again at
 * every start. A bot cannot list its dialogs, so the peer cache is what lets it answer a user: every message it
 * receives puts its sender (with the access hash the bot sees) in the cache before the handler runs, and so does a
 * catch-up for every user its difference names.
 *
 * gramjs does no catch-up for a bot either: messages sent to it while it was down, or while its updates silently
 * stopped, come only from {@link BotAccount.messagesSince}. Its own replies are left out of that (they are never
 * commands), and the connection is kept up through a server restart of any length, as the userbot's is.
 */
export async function openBotAccount(deps: AccountDeps, token: string): Promise<BotAccount> {
  const creds = telegramCredentials(deps.config);
  const server = telegramServer(deps.config);
  const lease = await AccountLease.acquire(deps.redis, deps.keys, deps.account, deps.lease);
  const client = createTelegramClient(creds, '', server);
  const call: GuardedCall = (method, fn) => deps.guard.safeCall(deps.account, 'api', method, fn, { mapError: (err) => mapTelegramError(err, { account: deps.account, method }) });
  let me: Api.User;
  try {
    await call('auth.ImportBotAuthorization', async () => {
      await connectClient(client, server);
      let failure: unknown;
      await client.start({ botAuthToken: token, onError: async (err) => { failure = err; return true; } });
      if (failure !== undefined) throw failure;
    });
    me = await call('users.GetUsers', () => client.getMe());
  } catch (err) {
    await closeQuietly(client, lease).catch(() => undefined);
    throw err;
  }
  const peers = new PeerCache(deps.redis, deps.keys, deps.account);
  const reconnect = () => connectClient(client, server, { destroyOnFailure: false });
  const stopKeeping = keepConnected(client, reconnect);
  const telegram = new GramjsTelegram({
    client,
    guard: deps.guard,
    account: deps.account,
    peers,
    requestTimeoutMs: (deps.config.TELEGRAM_REQUEST_TIMEOUT_SECONDS ?? 60) * 1000,
    // In place, as the userbot's: the bot's message handlers live on this client.
    reconnect: async () => {
      await reconnect();
      return client;
    },
  });
  const selfId = String(me.id);
  return {
    telegram,
    lease,
    selfId,
    ...(typeof me.username === 'string' ? { username: me.username } : {}),
    close: () => {
      stopKeeping();
      return closeQuietly(client, lease);
    },
    ...updatesCatchUp(client, call, { selfId, keep: (incoming) => !incoming.out, seen: (users) => peers.remember(users) }),
    onReconnect: (handler) => onReconnectOf(client, handler),
    reconnect,
    onMessage(handler) {
      const builder = new NewMessage({ incoming: true });
      const listener = (event: NewMessageEvent) => {
        void (async () => {
          const sender = await event.message.getSender().catch(() => undefined);
          if (sender instanceof Api.User) await peers.remember([sender]);
          const incoming = toIncoming(event.message, selfId, sender instanceof Api.User && sender.username ? new Map([[String(sender.id), sender.username]]) : undefined);
          if (incoming) handler(incoming);
        })().catch(() => undefined);
      };
      client.addEventHandler(listener, builder);
      return () => client.removeEventHandler(listener, builder);
    },
  };
}
