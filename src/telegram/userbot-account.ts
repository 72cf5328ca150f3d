import { Api, type TelegramClient } from 'telegram';
import { NewMessage, type NewMessageEvent } from 'telegram/events';
import { BadInputError } from '../domain';
import { AccountLease } from './lease';
import { connectClient, createTelegramClient, telegramCredentials, type AccountDeps, type OpenAccount } from './connect';
import { GramjsTelegram } from './gramjs-adapter';
import { mapTelegramError } from './map-error';
import { PeerCache } from './peer-cache';
import { telegramServer } from './server';

/** A message that reached the account, in domain terms (no gramjs objects, ids as decimal strings). */
export interface IncomingTelegramMessage {
  id: number;
  /** The private chat it is in: the other user's id, or the account's own id for Saved Messages. */
  chatUserId?: string;
  /** Who sent it: for an outgoing message, the account itself. */
  senderId: string;
  senderUsername?: string;
  /** Sent by this account (from any of its sessions: the owner's phone, desktop…). */
  out: boolean;
  text: string;
  /** When it is a forward from a group or channel: that chat, in Bot API form (`-100…`, `-…`). */
  forwardedFrom?: string;
}

/** A live account whose own session also listens for new messages (the userbot). */
export interface UserbotAccount extends OpenAccount {
  /** The account's own user id (its Saved Messages chat). */
  selfId: string;
  /** Calls `handler` for each new message; returns a function that stops listening. */
  onMessage(handler: (message: IncomingTelegramMessage) => void): () => void;
}

const str = (v: unknown): string => String(v);

function forwardedChat(fwd: Api.MessageFwdHeader | null | undefined): string | undefined {
  const from = fwd?.fromId;
  if (from instanceof Api.PeerChannel) return `-100${str(from.channelId)}`;
  if (from instanceof Api.PeerChat) return `-${str(from.chatId)}`;
  return undefined;
}

/** Maps a gramjs message to the domain shape; service messages and messages outside private chats give undefined. */
export function toIncoming(message: Api.Message, selfId: string): IncomingTelegramMessage | undefined {
  if (!(message instanceof Api.Message)) return undefined;
  const peer = message.peerId;
  const out = message.out === true;
  const senderPeer = message.fromId;
  const senderId = out ? selfId : senderPeer instanceof Api.PeerUser ? str(senderPeer.userId) : peer instanceof Api.PeerUser ? str(peer.userId) : '';
  const sender = (message as { sender?: unknown }).sender;
  const username = sender instanceof Api.User && typeof sender.username === 'string' ? sender.username : undefined;
  const forwarded = forwardedChat(message.fwdFrom);
  return {
    id: message.id,
    ...(peer instanceof Api.PeerUser ? { chatUserId: str(peer.userId) } : {}),
    senderId,
    ...(username ? { senderUsername: username } : {}),
    out,
    text: typeof message.message === 'string' ? message.message : '',
    ...(forwarded ? { forwardedFrom: forwarded } : {}),
  };
}

/**
 * Opens an account as {@link openTelegramAccount} does (lease, limiter, the same port) and also listens on its
 * session for new messages. Messages this session sends itself (the userbot's replies) never reach the handler:
 * Telegram pushes them to the account's other sessions only, so the userbot cannot answer itself.
 */
export async function openUserbotAccount(deps: AccountDeps): Promise<UserbotAccount> {
  const creds = telegramCredentials(deps.config);
  const server = telegramServer(deps.config);
  const session = await deps.sessions.read(deps.account);
  if (session === undefined) {
    throw new BadInputError(`Account "${deps.account}" is not logged in (no ${deps.sessions.pathOf(deps.account)})`, `Log in with \`tgpulse login --session ${deps.account}\``);
  }
  const lease = await AccountLease.acquire(deps.redis, deps.keys, deps.account, deps.lease);
  const client: TelegramClient = createTelegramClient(creds, session, server);
  const close = async () => {
    try {
      await client.destroy();
    } finally {
      await lease.release();
    }
  };
  let selfId: string;
  try {
    await deps.guard.safeCall(deps.account, 'api', 'connect', () => connectClient(client, server), { mapError: (err) => mapTelegramError(err, { account: deps.account, method: 'connect' }) });
    // Asking for something also tells the server this session wants updates.
    const me = await deps.guard.safeCall(deps.account, 'api', 'users.GetUsers', () => client.getMe(), { mapError: (err) => mapTelegramError(err, { account: deps.account, method: 'users.GetUsers' }) });
    selfId = str(me.id);
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  const telegram = new GramjsTelegram({
    client,
    guard: deps.guard,
    account: deps.account,
    peers: new PeerCache(deps.redis, deps.keys, deps.account),
    requestTimeoutMs: (deps.config.TELEGRAM_REQUEST_TIMEOUT_SECONDS ?? 60) * 1000,
    reconnect: () => connectClient(client, server, { destroyOnFailure: false }),
  });
  return {
    telegram,
    lease,
    selfId,
    close,
    onMessage(handler) {
      const builder = new NewMessage({});
      const listener = (event: NewMessageEvent) => {
        const incoming = toIncoming(event.message, selfId);
        if (incoming) handler(incoming);
      };
      client.addEventHandler(listener, builder);
      return () => client.removeEventHandler(listener, builder);
    },
  };
}
