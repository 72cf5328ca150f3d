import { Api, type TelegramClient } from 'telegram';
import { NewMessage, Raw, type NewMessageEvent } from 'telegram/events';
import { UpdateConnectionState } from 'telegram/network';
import { closeQuietly, connectAccount, connectClient, type AccountDeps, type OpenAccount } from './connect';
import { GramjsTelegram } from './gramjs-adapter';
import { mapTelegramError } from './map-error';
import { PeerCache } from './peer-cache';

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

/** Where the account's update stream stood (Telegram's `updates.State`): catch-up starts from here. */
export interface UpdatesCursor {
  pts: number;
  qts: number;
  date: number;
}

/** A live account whose own session also listens for new messages (the userbot). */
export interface UserbotAccount extends OpenAccount {
  /** The account's own user id (its Saved Messages chat). */
  selfId: string;
  /** Calls `handler` for each new message; returns a function that stops listening. */
  onMessage(handler: (message: IncomingTelegramMessage) => void): () => void;
  /** Where the update stream stands now. */
  updatesCursor(): Promise<UpdatesCursor>;
  /**
   * Every new message since `cursor`, oldest first, and the cursor to continue from (`updates.getDifference`, all
   * slices). gramjs has no catch-up of its own: this is how messages sent while the userbot was down, or updates the
   * connection silently lost, are found.
   */
  messagesSince(cursor: UpdatesCursor): Promise<{ messages: IncomingTelegramMessage[]; cursor: UpdatesCursor }>;
  /**
   * Calls `handler` each time the connection is up again after it dropped (gramjs reconnects by itself, and so does
   * {@link reconnect}): updates sent while it was down are not pushed again, so this is when to catch up.
   */
  onReconnect(handler: () => void): () => void;
  /** Connects the client again in place (its handlers stay on it); a no-op while it is connected. */
  reconnect(): Promise<void>;
}

const str = (v: unknown): string => String(v);

/** How often a connection gramjs gave up on is tried again, ms. */
const RECONNECT_EVERY_MS = 5_000;

/** How many ids of messages it sent the userbot remembers (a catch-up covers far fewer). */
const SENT_KEPT = 5000;

/** Ids of the messages a request created (sendMessage, sendMedia, forwards), from its result. */
function sentMessageIds(result: unknown): number[] {
  if (result instanceof Api.UpdateShortSentMessage) return [result.id];
  if (!(result instanceof Api.Updates || result instanceof Api.UpdatesCombined)) return [];
  const ids: number[] = [];
  for (const u of result.updates) {
    if (u instanceof Api.UpdateMessageID) ids.push(u.id);
    else if (u instanceof Api.UpdateNewMessage && u.message instanceof Api.Message) ids.push(u.message.id);
  }
  return ids;
}

function forwardedChat(fwd: Api.MessageFwdHeader | null | undefined): string | undefined {
  // A channel post names its channel in fromId; a group member's message names the member there, and its group
  // only in savedFromPeer (set when it was forwarded to Saved Messages).
  for (const from of [fwd?.fromId, fwd?.savedFromPeer]) {
    if (from instanceof Api.PeerChannel) return `-100${str(from.channelId)}`;
    if (from instanceof Api.PeerChat) return `-${str(from.chatId)}`;
  }
  return undefined;
}

/** Maps a gramjs message to the domain shape; service messages and messages outside private chats give undefined. */
export function toIncoming(message: Api.TypeMessage, selfId: string, usernames?: ReadonlyMap<string, string>): IncomingTelegramMessage | undefined {
  if (!(message instanceof Api.Message)) return undefined;
  const peer = message.peerId;
  const out = message.out === true;
  const senderPeer = message.fromId;
  const senderId = out ? selfId : senderPeer instanceof Api.PeerUser ? str(senderPeer.userId) : peer instanceof Api.PeerUser ? str(peer.userId) : '';
  const sender = (message as { sender?: unknown }).sender;
  const username = sender instanceof Api.User && typeof sender.username === 'string' ? sender.username : usernames?.get(senderId);
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

/** One Telegram request through the account's limiter, its errors mapped (`CallGuard.safeCall`). */
export type GuardedCall = <T>(method: string, fn: () => Promise<T>) => Promise<T>;

/**
 * While `client`'s connection is down and gramjs is not on it, calls `reconnect` every RECONNECT_EVERY_MS; returns
 * a function that stops. gramjs reconnects a dropped connection by itself, but gives up for good when the server is
 * not back within its few attempts (its sender then ignores every later reconnect): a listener must outlive a
 * server restart of any length.
 */
export function keepConnected(client: TelegramClient, reconnect: () => Promise<void>): () => void {
  const sender = () => (client as unknown as { _sender?: { isReconnecting?: boolean } })._sender;
  let reconnecting: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (client.connected === true || sender()?.isReconnecting === true || reconnecting) return;
    reconnecting = reconnect()
      .catch(() => undefined)
      .finally(() => {
        reconnecting = undefined;
      });
  }, RECONNECT_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Calls `handler` each time `client`'s connection is up again after it dropped; returns a function that stops.
 * Updates sent while it was down are not pushed again, so this is when to catch up.
 */
export function onReconnectOf(client: TelegramClient, handler: () => void): () => void {
  const builder = new Raw({ types: [UpdateConnectionState] });
  let down = false;
  const listener = (event: UpdateConnectionState) => {
    if (event.state !== UpdateConnectionState.connected) down = true;
    else if (down) {
      down = false;
      handler();
    }
  };
  client.addEventHandler(listener, builder);
  return () => client.removeEventHandler(listener, builder);
}

const cursorOf = (state: Api.updates.State): UpdatesCursor => ({ pts: state.pts, qts: state.qts, date: state.date });

/**
 * The catch-up of an account's update stream (`updates.getState` / `updates.getDifference`), for a user's session
 * and a bot's alike: bots may call both in MTProto, and their pts is the account's, so a cursor stored by one
 * session (a bot logs in anew at every start) is good for the next. `keep` leaves messages out (the userbot's own
 * replies); `seen` hears the users each difference names, with the access hashes this account sees.
 */
export function updatesCatchUp(
  client: TelegramClient,
  call: GuardedCall,
  opts: { selfId: string; keep: (message: IncomingTelegramMessage) => boolean; seen?: (users: Api.User[]) => Promise<void> },
): Pick<UserbotAccount, 'updatesCursor' | 'messagesSince'> {
  const state = async () => cursorOf(await call('updates.GetState', () => client.invoke(new Api.updates.GetState())));
  return {
    updatesCursor: state,
    async messagesSince(from) {
      const messages: IncomingTelegramMessage[] = [];
      let cursor = from;
      // A slice says there is more: go on from its intermediate state until the difference is complete.
      for (;;) {
        const diff = await call('updates.GetDifference', () => client.invoke(new Api.updates.GetDifference({ pts: cursor.pts, qts: cursor.qts, date: cursor.date })));
        if (diff instanceof Api.updates.DifferenceEmpty) return { messages, cursor: { ...cursor, date: diff.date } };
        // Too long a gap to replay: start again from where the stream stands (the dialogs' newest messages are left).
        if (diff instanceof Api.updates.DifferenceTooLong) return { messages, cursor: await state() };
        const users = diff.users.filter((u): u is Api.User => u instanceof Api.User);
        await opts.seen?.(users);
        const usernames = new Map<string, string>();
        for (const u of users) if (typeof u.username === 'string') usernames.set(str(u.id), u.username);
        for (const m of diff.newMessages) {
          const incoming = toIncoming(m, opts.selfId, usernames);
          if (incoming && opts.keep(incoming)) messages.push(incoming);
        }
        if (diff instanceof Api.updates.Difference) return { messages, cursor: cursorOf(diff.state) };
        cursor = cursorOf(diff.intermediateState);
      }
    },
  };
}

/**
 * Opens an account as {@link openTelegramAccount} does (`connectAccount`: session, lease, a connection through the
 * limiter; the same port) and also listens on its
 * session for new messages. Messages this session sends itself (the userbot's replies) never reach the handler:
 * Telegram pushes them to the account's other sessions only, so the userbot cannot answer itself.
 */
export async function openUserbotAccount(deps: AccountDeps): Promise<UserbotAccount> {
  const { server, lease, client } = await connectAccount(deps, `tgpulse login --session ${deps.account}`);
  const reconnect = () => connectClient(client, server, { destroyOnFailure: false });
  const stopKeeping = keepConnected(client, reconnect);
  const close = () => {
    stopKeeping();
    return closeQuietly(client, lease);
  };
  let selfId: string;
  try {
    // Asking for something also tells the server this session wants updates.
    const me = await deps.guard.safeCall(deps.account, 'api', 'users.GetUsers', () => client.getMe(), { mapError: (err) => mapTelegramError(err, { account: deps.account, method: 'users.GetUsers' }) });
    selfId = str(me.id);
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  // getDifference returns every new message of the account, this session's own replies included (live updates
  // never carry them). Remember what this session sent, in Redis so a restarted userbot knows too, and leave those
  // out of a catch-up: otherwise a reply in Saved Messages would come back as the owner's next command.
  // Beside the account's other keys (same prefix, same cluster slot); keys.ts is left as it is.
  const sentKey = deps.keys.lease(deps.account).replace(/:lease$/, ':userbot-sent');
  const sent = new Set<number>((await deps.redis.lrange(sentKey, 0, SENT_KEPT - 1)).map(Number));
  const invoke = client.invoke.bind(client);
  client.invoke = (async (request: Parameters<typeof invoke>[0], ...rest: unknown[]) => {
    const result: unknown = await (invoke as (...a: unknown[]) => Promise<unknown>)(request, ...rest);
    const ids = sentMessageIds(result);
    if (ids.length > 0) {
      for (const id of ids) sent.add(id);
      await deps.redis.multi().lpush(sentKey, ...ids.map(String)).ltrim(sentKey, 0, SENT_KEPT - 1).exec();
    }
    return result;
  }) as typeof client.invoke;
  const telegram = new GramjsTelegram({
    client,
    guard: deps.guard,
    account: deps.account,
    peers: new PeerCache(deps.redis, deps.keys, deps.account),
    requestTimeoutMs: (deps.config.TELEGRAM_REQUEST_TIMEOUT_SECONDS ?? 60) * 1000,
    // The userbot reconnects its one client in place: its update handlers and the sent-ids hook live on it.
    reconnect: async () => {
      await reconnect();
      return client;
    },
  });
  const call: GuardedCall = (method, fn) => deps.guard.safeCall(deps.account, 'api', method, fn, { mapError: (err) => mapTelegramError(err, { account: deps.account, method }) });
  return {
    telegram,
    lease,
    selfId,
    close,
    ...updatesCatchUp(client, call, { selfId, keep: (incoming) => !(incoming.out && sent.has(incoming.id)) }),
    onMessage(handler) {
      const builder = new NewMessage({});
      const listener = (event: NewMessageEvent) => {
        const incoming = toIncoming(event.message, selfId);
        if (incoming) handler(incoming);
      };
      client.addEventHandler(listener, builder);
      return () => client.removeEventHandler(listener, builder);
    },
    onReconnect: (handler) => onReconnectOf(client, handler),
    reconnect,
  };
}
