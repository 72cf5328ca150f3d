import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Api, helpers } from 'telegram';
import { CustomFile } from 'telegram/client/uploads';
import { BadInputError, RemoteRefusedError, TransportError, type ChatInfo, type ChatMessage, type Participant } from '../domain';
import type { CallGuard, TelegramOp } from '../limiter';
import { parseChatInput } from './chat-ref';
import { chatInfoOf, isChatEntity, refOf, type ChatEntity } from './map-chat';
import { mapTelegramError } from './map-error';
import { mapMessage } from './map-message';
import { indexEntities, mapParticipant, toNumber, usernameOf } from './map-user';
import type { KnownPeer, PeerCache } from './peer-cache';
import { TakeoutSession, type GuardedInvoke } from './takeout';
import {
  HISTORY_PAGE_LIMIT,
  MAX_MESSAGE_CHARS,
  type AccountInfo,
  type ChatRef,
  type HistoryPage,
  type HistoryRequest,
  type MembersQuery,
  type SendFileOptions,
  type SendOptions,
  type TelegramPort,
} from './port';

/**
 * The part of gramjs's `TelegramClient` the adapter uses. A connected `TelegramClient` is one; tests hand in a fake
 * that answers with gramjs's own `Api` objects.
 */
export interface GramjsClient {
  invoke<R extends Api.AnyRequest>(request: R): Promise<R['__response']>;
  uploadFile(params: { file: CustomFile; workers: number }): Promise<Api.TypeInputFile>;
}

export interface GramjsTelegramOptions {
  client: GramjsClient;
  /** Every request passes it: token, quotas, pauses, error mapping. */
  guard: CallGuard;
  /** The session name; the limiter counts and pauses per account. */
  account: string;
  peers: PeerCache;
  /**
   * Longest wait for one answer, in ms (default 60 s). gramjs waits forever for a request whose connection died and
   * could not be rebuilt; past this the call fails with a {@link TransportError}, so the activity is retried.
   */
  requestTimeoutMs?: number;
  /**
   * Replaces a connection that is lost or stuck with a new client (the old one torn down), resolving to it or
   * failing with a {@link TransportError} within a bounded time. Called before a request when the client says it is
   * not connected, and after a request missed its deadline: gramjs gives up reconnecting after a few tries, and a
   * server killed during its own reconnect can leave the client connected in name with requests never answered.
   */
  reconnect?: () => Promise<GramjsClient>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** Telegram hands out at most this many members per request. */
const MEMBERS_PAGE_LIMIT = 200;
/** Dialog pages read when an id is not cached, before giving up: enough for accounts in 1,000 chats. */
const MAX_DIALOG_PAGES = 10;

const MIME: Record<string, string> = {
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.csv': 'text/csv',
  '.png': 'image/png',
  '.pdf': 'application/pdf',
  '.html': 'text/html',
};

type HistoryResponse = Api.messages.TypeMessages;

function sentMessageId(updates: Api.TypeUpdates, method: string): number {
  if (updates instanceof Api.UpdateShortSentMessage) return updates.id;
  if (updates instanceof Api.Updates || updates instanceof Api.UpdatesCombined) {
    for (const update of updates.updates) {
      if (update instanceof Api.UpdateMessageID) return update.id;
      if ((update instanceof Api.UpdateNewMessage || update instanceof Api.UpdateNewChannelMessage) && 'id' in update.message) return update.message.id;
    }
  }
  throw new RemoteRefusedError(`Telegram accepted ${method} but did not say which message it created`, 'NO_MESSAGE_ID', method);
}

function checkText(text: string, what: string): void {
  if (text.trim() === '') throw new BadInputError(`The ${what} is empty`, 'Give some text to send');
  if (text.length > MAX_MESSAGE_CHARS) {
    throw new BadInputError(`The ${what} has ${text.length} characters, more than the ${MAX_MESSAGE_CHARS} Telegram allows`, 'Split it into several messages');
  }
}

/**
 * {@link TelegramPort} on a live account through gramjs. Every request goes through `guard.safeCall` with gramjs's
 * errors mapped to domain errors; no gramjs object or big integer leaves this class. A history request with
 * `takeout` reads inside a {@link TakeoutSession}, finished with success when the paging completes and without
 * when it fails or is abandoned.
 *
 * @example
 * const telegram = new GramjsTelegram({ client, guard, account: 'default', peers: new PeerCache(redis, keys, 'default') });
 */
export class GramjsTelegram implements TelegramPort {
  private client: GramjsClient;
  private readonly guard: CallGuard;
  private readonly account: string;
  private readonly peers: PeerCache;
  private readonly requestTimeoutMs: number;
  private readonly reconnect?: () => Promise<GramjsClient>;
  /** Set when a request missed its deadline: the connection is not trusted until it is rebuilt. */
  private stale = false;
  /** The rebuild under way, shared by every request that needs one (one account, one connection). */
  private rebuilding?: Promise<GramjsClient>;
  /**
   * The dialogs read (or the read under way), shared: a second request that misses the cache while the first read
   * is still going waits for it, instead of finding the cache still empty.
   */
  private dialogsLoaded?: Promise<void>;
  /** How a takeout session sends its requests: as every other request, through the guard. */
  private readonly guarded: GuardedInvoke = (request, opts) => this.call('api', request, opts.signal, undefined, opts.method);

  constructor(opts: GramjsTelegramOptions) {
    this.client = opts.client;
    this.guard = opts.guard;
    this.account = opts.account;
    this.peers = opts.peers;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.reconnect = opts.reconnect;
  }

  /**
   * One request with a deadline, on a connection rebuilt first if gramjs lost it or a request missed its deadline.
   * The rebuild counts against the same deadline, so nothing here waits longer than `requestTimeoutMs`.
   */
  private async invoke<R extends Api.AnyRequest>(request: R, method: string): Promise<R['__response']> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TransportError(`Telegram did not answer ${method} within ${this.requestTimeoutMs / 1000} s: it will be retried`)), this.requestTimeoutMs);
    });
    try {
      return await Promise.race([this.connectedClient().then((client) => client.invoke(request)), deadline]);
    } catch (err) {
      if (err instanceof TransportError && this.reconnect) {
        // Not trusted until rebuilt; a rebuild that outlived the deadline is abandoned (the next one tears its client down).
        this.stale = true;
        this.rebuilding = undefined;
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The client to send with: the current one, or a new one when the current one is lost or stale. */
  private connectedClient(): Promise<GramjsClient> {
    const reconnect = this.reconnect;
    if (!reconnect) return Promise.resolve(this.client);
    if (!this.rebuilding && !this.stale && (this.client as { connected?: unknown }).connected !== false) return Promise.resolve(this.client);
    if (this.rebuilding) return this.rebuilding;
    const rebuild: Promise<GramjsClient> = reconnect().then(
      (client) => {
        if (this.rebuilding === rebuild) {
          this.client = client;
          this.stale = false;
          this.rebuilding = undefined;
        }
        return client;
      },
      (err: unknown) => {
        if (this.rebuilding === rebuild) this.rebuilding = undefined;
        throw err;
      },
    );
    this.rebuilding = rebuild;
    return rebuild;
  }

  /**
   * One guarded request. Entities in the answer are remembered, so later calls can address them by id. `name`
   * names a wrapped request by what it wraps (a takeout's `messages.GetHistory`), for the limiter and errors.
   */
  private async call<R extends Api.AnyRequest>(op: TelegramOp, request: R, signal?: AbortSignal, itemsOf?: (r: R['__response']) => number, name?: string): Promise<R['__response']> {
    const method = name ?? request.className;
    const result = await this.guard.safeCall(this.account, op, method, () => this.invoke(request, method), {
      signal,
      itemsOf,
      mapError: (err) => mapTelegramError(err, { account: this.account, method }),
    });
    const carrier = result as { users?: unknown; chats?: unknown };
    const entities = [...(Array.isArray(carrier.users) ? carrier.users : []), ...(Array.isArray(carrier.chats) ? carrier.chats : [])];
    if (entities.length > 0) await this.peers.remember(entities as (Api.TypeUser | Api.TypeChat)[]);
    return result;
  }

  // ---- resolution ----

  async resolveChat(input: string, opts: { signal?: AbortSignal } = {}): Promise<ChatRef> {
    const parsed = parseChatInput(input);
    if (parsed.kind === 'username') return this.resolveUsername(parsed.username, opts.signal);
    if (parsed.kind === 'invite') {
      const invite = await this.call('api', new Api.messages.CheckChatInvite({ hash: parsed.hash }), opts.signal);
      if (invite instanceof Api.ChatInviteAlready || invite instanceof Api.ChatInvitePeek) {
        if (isChatEntity(invite.chat)) return refOf(invite.chat);
      }
      const title = invite instanceof Api.ChatInvite ? `"${invite.title}"` : 'this chat';
      throw new RemoteRefusedError(`This account is not a member of ${title} yet: join it with the invite link first`, 'NOT_A_MEMBER', 'messages.CheckChatInvite');
    }
    // A basic group needs no access hash, but an id that names none of this account's chats is refused here, not
    // at the first request that uses it.
    const known = parsed.peer ? [await this.checkedPeer({ id: parsed.id, kind: parsed.peer }, opts.signal)] : await this.knownWithId(parsed.id, opts.signal);
    const [only, other] = known;
    if (only && !other) return { id: only.id, kind: only.kind };
    if (only && other) {
      throw new BadInputError(`Id ${parsed.id} belongs to both a ${only.kind} and a ${other.kind}`, `Use -100${parsed.id} for the group or channel, or the @username`);
    }
    throw new BadInputError(`Chat ${parsed.id} is not among this account's chats`, 'Use its link or @username, or join it first');
  }

  private async resolveUsername(username: string, signal?: AbortSignal): Promise<ChatRef> {
    const cached = await this.peers.byUsername(username);
    if (cached) return { id: cached.id, kind: cached.kind };
    const resolved = await this.call('api', new Api.contacts.ResolveUsername({ username }), signal);
    const peer = resolved.peer;
    if (peer instanceof Api.PeerChannel) return { id: toNumber(peer.channelId), kind: 'channel' };
    if (peer instanceof Api.PeerChat) return { id: toNumber(peer.chatId), kind: 'group' };
    return { id: toNumber((peer as Api.PeerUser).userId), kind: 'user' };
  }

  /** The cached peer of a ref; on a miss, reads the account's dialogs once, which fills the cache in bulk. */
  private async known(ref: ChatRef, signal?: AbortSignal): Promise<KnownPeer> {
    if (ref.kind === 'group') return { ...ref, accessHash: '0' };
    return this.checkedPeer(ref, signal);
  }

  /** Like {@link known}, for a basic group too: the cache, else the dialogs, else a {@link BadInputError}. */
  private async checkedPeer(ref: ChatRef, signal?: AbortSignal): Promise<KnownPeer> {
    const cached = await this.peers.get(ref);
    if (cached) return cached;
    await this.loadDialogs(signal);
    const after = await this.peers.get(ref);
    if (after) return after;
    throw new BadInputError(`${ref.kind === 'user' ? 'User' : 'Chat'} ${ref.id} is not among this account's chats`, 'Use its link or @username, or join it first');
  }

  private async knownWithId(id: number, signal?: AbortSignal): Promise<KnownPeer[]> {
    const cached = await this.peers.withId(id);
    if (cached.length > 0) return cached;
    await this.loadDialogs(signal);
    return this.peers.withId(id);
  }

  private loadDialogs(signal?: AbortSignal): Promise<void> {
    // A read that failed is not remembered: the next miss tries again.
    this.dialogsLoaded ??= this.readDialogs(signal).catch((err: unknown) => {
      this.dialogsLoaded = undefined;
      throw err;
    });
    return this.dialogsLoaded;
  }

  private async readDialogs(signal?: AbortSignal): Promise<void> {
    let offsetDate = 0;
    let offsetId = 0;
    let offsetPeer: Api.TypeInputPeer = new Api.InputPeerEmpty();
    for (let page = 0; page < MAX_DIALOG_PAGES; page++) {
      const res = await this.call('api', new Api.messages.GetDialogs({ offsetDate, offsetId, offsetPeer, limit: 100, hash: helpers.returnBigInt(0) }), signal);
      if (res instanceof Api.messages.DialogsNotModified || res.dialogs.length === 0) return;
      if (res instanceof Api.messages.Dialogs || res.dialogs.length < 100) return;
      const last = res.dialogs[res.dialogs.length - 1] as Api.Dialog;
      const top = res.messages.find((m) => m.id === last.topMessage && !(m instanceof Api.MessageEmpty)) as Api.Message | undefined;
      const entities = indexEntities(res.users, res.chats);
      const key = last.peer instanceof Api.PeerUser ? `user${toNumber(last.peer.userId)}` : last.peer instanceof Api.PeerChannel ? `channel${toNumber(last.peer.channelId)}` : `chat${toNumber((last.peer as Api.PeerChat).chatId)}`;
      const entity = entities.get(key);
      if (!top || !isChatEntity(entity)) return;
      offsetDate = top.date;
      offsetId = top.id;
      offsetPeer = this.inputPeerOf({ ...refOf(entity), accessHash: 'accessHash' in entity && entity.accessHash ? entity.accessHash.toString() : '0' });
    }
  }

  private inputPeerOf(peer: KnownPeer): Api.TypeInputPeer {
    const id = helpers.returnBigInt(peer.id);
    const accessHash = helpers.returnBigInt(peer.accessHash);
    if (peer.kind === 'channel') return new Api.InputPeerChannel({ channelId: id, accessHash });
    if (peer.kind === 'user') return new Api.InputPeerUser({ userId: id, accessHash });
    return new Api.InputPeerChat({ chatId: id });
  }

  private async inputPeer(ref: ChatRef, signal?: AbortSignal): Promise<Api.TypeInputPeer> {
    return this.inputPeerOf(await this.known(ref, signal));
  }

  private async inputChannel(ref: ChatRef, signal?: AbortSignal): Promise<Api.InputChannel> {
    const peer = await this.known(ref, signal);
    return new Api.InputChannel({ channelId: helpers.returnBigInt(peer.id), accessHash: helpers.returnBigInt(peer.accessHash) });
  }

  // ---- chats ----

  async chatInfo(chat: ChatRef, opts: { signal?: AbortSignal } = {}): Promise<ChatInfo> {
    if (chat.kind === 'channel') {
      const full = await this.call('api', new Api.channels.GetFullChannel({ channel: await this.inputChannel(chat, opts.signal) }), opts.signal);
      const entity = full.chats.find((c) => isChatEntity(c) && refOf(c).id === chat.id && refOf(c).kind === 'channel') as ChatEntity | undefined;
      if (!entity) throw new RemoteRefusedError(`Telegram described channel ${chat.id} without the channel itself`, 'CHANNEL_MISSING', 'channels.GetFullChannel');
      const count = full.fullChat instanceof Api.ChannelFull ? full.fullChat.participantsCount : undefined;
      return chatInfoOf(entity, count);
    }
    if (chat.kind === 'group') {
      const full = await this.call('api', new Api.messages.GetFullChat({ chatId: helpers.returnBigInt(chat.id) }), opts.signal);
      const entity = full.chats.find((c) => isChatEntity(c) && refOf(c).id === chat.id) as ChatEntity | undefined;
      if (!entity) throw new RemoteRefusedError(`Telegram described group ${chat.id} without the group itself`, 'CHAT_MISSING', 'messages.GetFullChat');
      const participants = full.fullChat instanceof Api.ChatFull && full.fullChat.participants instanceof Api.ChatParticipants ? full.fullChat.participants.participants.length : undefined;
      return chatInfoOf(entity, participants);
    }
    const peer = await this.known(chat, opts.signal);
    const users = await this.call('api', new Api.users.GetUsers({ id: [new Api.InputUser({ userId: helpers.returnBigInt(peer.id), accessHash: helpers.returnBigInt(peer.accessHash) })] }), opts.signal);
    const user = users[0];
    if (!(user instanceof Api.User)) throw new BadInputError(`User ${chat.id} no longer exists`);
    return chatInfoOf(user);
  }

  async creationDate(chat: ChatRef, opts: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    for await (const page of this.history({ chat, order: 'oldest', limit: 1, signal: opts.signal })) return page.messages[0]?.date;
    return undefined;
  }

  // ---- members ----

  async *members(chat: ChatRef, query: MembersQuery = {}): AsyncIterable<Participant> {
    const { limit = Infinity, search, filter = 'all', includePhone = false, signal } = query;
    if (chat.kind === 'user') throw new BadInputError('A personal chat has no member list', 'Give a group or channel');
    const needle = search?.trim().toLowerCase();
    const matches = (p: Participant) =>
      !needle || [p.username, p.firstName, p.lastName, [p.firstName, p.lastName].filter(Boolean).join(' ')].some((s) => s?.toLowerCase().includes(needle));
    let yielded = 0;
    if (chat.kind === 'group') {
      const full = await this.call('members', new Api.messages.GetFullChat({ chatId: helpers.returnBigInt(chat.id) }), signal);
      const participants = full.fullChat instanceof Api.ChatFull && full.fullChat.participants instanceof Api.ChatParticipants ? full.fullChat.participants.participants : [];
      const users = indexEntities(full.users);
      for (const p of participants) {
        const user = users.get(`user${toNumber(p.userId)}`);
        if (!(user instanceof Api.User)) continue;
        const member = mapParticipant(user, { admin: p instanceof Api.ChatParticipantAdmin || p instanceof Api.ChatParticipantCreator, includePhone });
        if ((filter === 'admins' && !member.admin) || (filter === 'bots' && !member.bot) || !matches(member)) continue;
        yield member;
        if (++yielded >= limit) return;
      }
      return;
    }
    const channel = await this.inputChannel(chat, signal);
    // Telegram's filters do not combine: with admins or bots, the search is applied here.
    const serverFilter =
      filter === 'admins'
        ? new Api.ChannelParticipantsAdmins()
        : filter === 'bots'
          ? new Api.ChannelParticipantsBots()
          : needle
            ? new Api.ChannelParticipantsSearch({ q: search?.trim() ?? '' })
            : new Api.ChannelParticipantsRecent();
    let offset = 0;
    for (;;) {
      const want = Math.min(MEMBERS_PAGE_LIMIT, limit - yielded);
      const res = await this.call(
        'members',
        new Api.channels.GetParticipants({ channel, filter: serverFilter, offset, limit: want, hash: helpers.returnBigInt(0) }),
        signal,
        (r) => (r instanceof Api.channels.ChannelParticipants ? r.participants.length : 0),
      );
      if (!(res instanceof Api.channels.ChannelParticipants) || res.participants.length === 0) return;
      const users = indexEntities(res.users);
      for (const p of res.participants) {
        if (!('userId' in p)) continue;
        const user = users.get(`user${toNumber(p.userId)}`);
        if (!(user instanceof Api.User)) continue;
        const member = mapParticipant(user, { admin: p instanceof Api.ChannelParticipantAdmin || p instanceof Api.ChannelParticipantCreator, includePhone });
        if (filter !== 'all' && !matches(member)) continue;
        yield member;
        if (++yielded >= limit) return;
      }
      offset += res.participants.length;
      if (offset >= res.count) return;
    }
  }

  // ---- history ----

  async *history(request: HistoryRequest): AsyncIterable<HistoryPage> {
    if (!request.takeout) {
      yield* this.historyPages(request, (r) => this.call('api', r, request.signal));
      return;
    }
    // Opened with the first page request, so an empty range or an unknown chat never starts an export.
    let takeout: TakeoutSession | undefined;
    let complete = false;
    try {
      yield* this.historyPages(request, async (r) => {
        takeout ??= await TakeoutSession.open(this.guarded, request.chat.kind, request.signal);
        return takeout.invoke(r, { signal: request.signal });
      });
      complete = true;
    } finally {
      if (takeout && complete) await takeout.finish(true);
      else if (takeout) {
        // The error that stopped the export is what the user needs to see; a session left open only expires on
        // Telegram's side, so a failed finish is not worth hiding that error for.
        await takeout.finish(false).catch(() => undefined);
      }
    }
  }

  /** The paging of {@link history}: `get` sends each `messages.GetHistory`, plainly or inside a takeout session. */
  private async *historyPages(request: HistoryRequest, get: (r: Api.messages.GetHistory) => Promise<HistoryResponse>): AsyncIterable<HistoryPage> {
    const { chat, order = 'oldest', signal } = request;
    // Exclusive bounds, as Telegram's min_id/max_id are.
    const lower = Math.max(request.afterId ?? 0, (request.minId ?? 1) - 1, 0);
    const upper = Math.min(request.beforeId ?? Infinity, request.maxId !== undefined ? request.maxId + 1 : Infinity);
    const since = request.since ? Math.floor(request.since.getTime() / 1000) : undefined;
    const until = request.until ? Math.ceil(request.until.getTime() / 1000) : undefined;
    let remaining = request.limit ?? Infinity;
    if (upper <= lower + 1 || remaining <= 0) return;
    const peer = await this.inputPeer(chat, signal);
    // Messages carry whole seconds; the bounds keep their milliseconds (a message at 10:00:00 is before 10:00:00.500).
    const sinceMs = request.since?.getTime();
    const untilMs = request.until?.getTime();
    const inRange = (m: ChatMessage, date: number) =>
      m.id > lower && m.id < upper && (sinceMs === undefined || date * 1000 >= sinceMs) && (untilMs === undefined || date * 1000 < untilMs);
    let cursor = order === 'oldest' ? lower : upper;
    let first = true;
    while (remaining > 0) {
      signal?.throwIfAborted();
      const limit = Math.min(HISTORY_PAGE_LIMIT, remaining);
      const maxId = Number.isFinite(upper) ? upper : 0;
      let params: ConstructorParameters<typeof Api.messages.GetHistory>[0];
      if (order === 'oldest') {
        // add_offset = -limit turns Telegram's newest-first paging around: the `limit` messages at or after offset_id/offset_date.
        params = first && cursor === 0 && since !== undefined ? { offsetDate: since, offsetId: 0, addOffset: -limit } : { offsetId: cursor + 1, addOffset: -limit, minId: cursor };
      } else {
        params = first && !Number.isFinite(cursor) && until !== undefined ? { offsetDate: until, offsetId: 0, addOffset: 0 } : { offsetId: Number.isFinite(cursor) ? cursor : 0, addOffset: 0 };
        params.minId = lower;
      }
      first = false;
      const res = await get(new Api.messages.GetHistory({ peer, limit, maxId: order === 'oldest' ? maxId : 0, hash: helpers.returnBigInt(0), ...params }));
      if (res instanceof Api.messages.MessagesNotModified) return;
      const raw = res.messages.filter((m) => !(m instanceof Api.MessageEmpty)) as (Api.Message | Api.MessageService)[];
      if (raw.length === 0) return;
      const index = indexEntities(res.users, res.chats);
      const page: ChatMessage[] = [];
      for (const m of raw) {
        const mapped = mapMessage(m, chat.id, index);
        if (mapped && inRange(mapped, m.date)) page.push(mapped);
      }
      page.sort((a, b) => (order === 'oldest' ? a.id - b.id : b.id - a.id));
      const ids = raw.map((m) => m.id);
      const dates = raw.map((m) => m.date);
      cursor = order === 'oldest' ? Math.max(cursor, ...ids) : Math.min(...ids);
      const out = page.slice(0, remaining);
      if (out.length > 0) {
        remaining -= out.length;
        yield { messages: out, lastId: out[out.length - 1]!.id };
      }
      const pastEnd = order === 'oldest' ? (until !== undefined && Math.max(...dates) >= until) || cursor >= upper - 1 : (since !== undefined && Math.min(...dates) < since) || cursor <= lower + 1;
      if (raw.length < limit || pastEnd) return;
    }
  }

  // ---- delivery ----

  async send(chat: ChatRef, text: string, opts: SendOptions = {}): Promise<number> {
    checkText(text, 'message');
    return this.sendText('api', chat, text, opts);
  }

  private async sendText(op: TelegramOp, chat: ChatRef, text: string, opts: SendOptions): Promise<number> {
    const peer = await this.inputPeer(chat, opts.signal);
    const updates = await this.call(
      op,
      new Api.messages.SendMessage({
        peer,
        message: text,
        randomId: helpers.generateRandomBigInt(),
        silent: opts.silent,
        replyTo: opts.replyToId !== undefined ? new Api.InputReplyToMessage({ replyToMsgId: opts.replyToId }) : undefined,
      }),
      opts.signal,
    );
    return sentMessageId(updates, 'messages.SendMessage');
  }

  async edit(chat: ChatRef, messageId: number, text: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    checkText(text, 'message');
    const peer = await this.inputPeer(chat, opts.signal);
    try {
      await this.call('api', new Api.messages.EditMessage({ peer, id: messageId, message: text }), opts.signal);
    } catch (err) {
      // Editing a status message to the text it already shows is not a failure the user could notice.
      if (err instanceof RemoteRefusedError && err.code === 'MESSAGE_NOT_MODIFIED') return;
      throw err;
    }
  }

  async sendFile(chat: ChatRef, opts: SendFileOptions): Promise<number> {
    const size = await stat(opts.path).then(
      (s) => s.size,
      (err: unknown) => {
        throw new BadInputError(`Cannot read the file to send: ${opts.path}`, 'Check that it exists', { cause: err });
      },
    );
    if (opts.caption !== undefined && opts.caption.length > 1024) throw new BadInputError(`The caption has ${opts.caption.length} characters, more than the 1024 Telegram allows`, 'Send the text as a message instead');
    const fileName = opts.fileName ?? basename(opts.path);
    const peer = await this.inputPeer(chat, opts.signal);
    const file = new CustomFile(fileName, size, opts.path);
    // The upload is many SaveFilePart requests inside gramjs; it passes the limiter as one call.
    const uploaded = await this.guard.safeCall(this.account, 'api', 'upload.SaveFilePart', async () => (await this.connectedClient()).uploadFile({ file, workers: 1 }), {
      signal: opts.signal,
      mapError: (err) => mapTelegramError(err, { account: this.account, method: 'upload.SaveFilePart' }),
    });
    const updates = await this.call(
      'api',
      new Api.messages.SendMedia({
        peer,
        media: new Api.InputMediaUploadedDocument({
          file: uploaded,
          mimeType: MIME[extname(fileName).toLowerCase()] ?? 'application/octet-stream',
          attributes: [new Api.DocumentAttributeFilename({ fileName })],
          forceFile: true,
        }),
        message: opts.caption ?? '',
        randomId: helpers.generateRandomBigInt(),
        silent: opts.silent,
        replyTo: opts.replyToId !== undefined ? new Api.InputReplyToMessage({ replyToMsgId: opts.replyToId }) : undefined,
      }),
      opts.signal,
    );
    return sentMessageId(updates, 'messages.SendMedia');
  }

  // ---- membership ----

  async join(input: string, opts: { signal?: AbortSignal } = {}): Promise<ChatRef> {
    const parsed = parseChatInput(input);
    if (parsed.kind === 'invite') {
      try {
        const updates = await this.call('join', new Api.messages.ImportChatInvite({ hash: parsed.hash }), opts.signal);
        const chat = 'chats' in updates ? (updates.chats.find((c) => isChatEntity(c)) as ChatEntity | undefined) : undefined;
        if (chat) return refOf(chat);
        return await this.resolveChat(input, opts);
      } catch (err) {
        if (err instanceof RemoteRefusedError && err.code === 'USER_ALREADY_PARTICIPANT') return this.resolveChat(input, opts);
        throw err;
      }
    }
    const chat = await this.resolveChat(input, opts);
    if (chat.kind === 'user') throw new BadInputError(`"${input}" is a user, not a group or channel`);
    if (chat.kind === 'group') throw new BadInputError(`"${input}" is a basic group, which can only be joined by invite link`, 'Ask a member for an invite link');
    await this.call('join', new Api.channels.JoinChannel({ channel: await this.inputChannel(chat, opts.signal) }), opts.signal);
    return chat;
  }

  async leave(chat: ChatRef, opts: { signal?: AbortSignal } = {}): Promise<void> {
    if (chat.kind === 'user') throw new BadInputError('A personal chat cannot be left', 'Give a group or channel');
    if (chat.kind === 'group') {
      await this.call('leave', new Api.messages.DeleteChatUser({ chatId: helpers.returnBigInt(chat.id), userId: new Api.InputUserSelf() }), opts.signal);
      return;
    }
    await this.call('leave', new Api.channels.LeaveChannel({ channel: await this.inputChannel(chat, opts.signal) }), opts.signal);
  }

  async sendDirect(user: string, text: string, opts: SendOptions = {}): Promise<number> {
    checkText(text, 'direct message');
    const target = await this.resolveChat(user, opts);
    if (target.kind !== 'user') throw new BadInputError(`"${user}" is a ${target.kind === 'channel' ? 'channel or supergroup' : 'group'}, not a user`, 'Give the @username of a person');
    return this.sendText('dm', target, text, opts);
  }

  async whoami(opts: { signal?: AbortSignal } = {}): Promise<AccountInfo> {
    const [me] = await this.call('api', new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }), opts.signal);
    if (!(me instanceof Api.User)) throw new RemoteRefusedError('Telegram did not describe the logged-in account', 'NO_SELF', 'users.GetUsers');
    return {
      id: `user${toNumber(me.id)}`,
      firstName: me.firstName || undefined,
      lastName: me.lastName || undefined,
      username: usernameOf(me),
      phone: me.phone ? `+${me.phone.replace(/^\+/, '')}` : undefined,
      premium: me.premium === true,
    };
  }
}
