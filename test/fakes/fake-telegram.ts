import { stat } from 'node:fs/promises';
import { Api, errors } from 'telegram';
import { BadInputError, RemoteRefusedError, type ChatInfo, type ChatMessage, type Participant } from '../../src/domain';
import type { CallGuard, TelegramOp } from '../../src/limiter';
import {
  HISTORY_PAGE_LIMIT,
  MAX_MESSAGE_CHARS,
  mapTelegramError,
  parseChatInput,
  type AccountInfo,
  type ChatRef,
  type HistoryPage,
  type HistoryRequest,
  type MembersQuery,
  type SendFileOptions,
  type SendOptions,
  type TelegramPort,
} from '../../src/telegram';

/** The group a fake Telegram serves. Shared by {@link FakeTelegram} and the fake gramjs client. */
export interface FakeTelegramScenario {
  chat?: Partial<ChatInfo>;
  /** The chat's history; `fakeMessages(n)` makes a plain one. Kept sorted by id. */
  messages?: ChatMessage[];
  /** Members; `admin: true` marks admins. */
  members?: Participant[];
  /** Hash of an invite link (`t.me/+<hash>`) that leads to the chat. */
  inviteHash?: string;
  /** Whether the account is already in the chat (default true). */
  joined?: boolean;
  /** The logged-in account. */
  self?: AccountInfo;
  /** Account name used in flood-wait errors (default `fake`). */
  account?: string;
  /** A limiter to pass every call through, as the real adapter does (default: none). */
  guard?: CallGuard;
}

export const DEFAULT_CHAT: ChatInfo = { id: 1_700_000_001, title: 'Fake builders', type: 'public_supergroup', username: 'fake_builders', memberCount: 0 };
export const DEFAULT_SELF: AccountInfo = { id: 'user900', firstName: 'Test', lastName: 'Account', username: 'test_account', phone: '+15550000900', premium: false };

/** A message the fake posted: for delivery assertions. */
export interface SentMessage {
  chatId: number;
  id: number;
  text: string;
  replyToId?: number;
  file?: string;
  direct?: string;
}

/** One call the fake answered (or refused), with its time. */
export interface FakeCall {
  method: string;
  op: TelegramOp;
  at: number;
  failed: boolean;
  /** Set on history requests made inside a data-export (takeout) session. */
  takeout?: boolean;
  /** `account.FinishTakeoutSession`: whether it reported success. */
  success?: boolean;
}

/**
 * `n` plain messages from a few members, ids 1..n, one minute apart from `start`. Members `user1`..`user3`.
 *
 * @example new FakeTelegram({ messages: fakeMessages(1000) })
 */
export function fakeMessages(n: number, opts: { start?: Date; chatId?: number; firstId?: number } = {}): ChatMessage[] {
  const start = (opts.start ?? new Date('2025-01-06T09:00:00Z')).getTime();
  const chatId = opts.chatId ?? DEFAULT_CHAT.id;
  const firstId = opts.firstId ?? 1;
  return Array.from({ length: n }, (_, i) => {
    const author = (i % 3) + 1;
    return {
      id: firstId + i,
      chatId,
      date: new Date(start + i * 60_000).toISOString(),
      sender: { id: `user${author}`, name: `Member ${author}`, username: `member_${author}` },
      text: `message ${firstId + i}`,
      reactions: [],
    };
  });
}

/** Members `user1`..`user<n>`, the first an admin, the last a bot. */
export function fakeMembers(n: number): Participant[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `user${i + 1}`,
    username: `member_${i + 1}`,
    firstName: 'Member',
    lastName: `${i + 1}`,
    bot: i === n - 1 && n > 1,
    premium: false,
    verified: false,
    admin: i === 0,
    phone: `+1555000${String(i + 1).padStart(4, '0')}`,
  }));
}

/** The kind of peer a chat type is. */
export function refKind(type: ChatInfo['type']): ChatRef['kind'] {
  if (type === 'private_group') return 'group';
  if (type.endsWith('supergroup') || type.endsWith('channel')) return 'channel';
  return 'user';
}

/** gramjs's own FLOOD_WAIT error, as gramjs throws it for a real answer. */
export function floodWait(seconds: number, method = 'messages.GetHistory'): Error {
  return new errors.FloodWaitError({ request: { className: method } as Api.AnyRequest, capture: seconds }) as Error;
}

/** gramjs's error for any refusal Telegram sends (`CHANNEL_PRIVATE`, `AUTH_KEY_UNREGISTERED`…). */
export function rpcError(message: string, code = 400, method = 'messages.GetHistory'): Error {
  return errors.RPCMessageToError(new Api.RpcError({ errorCode: code, errorMessage: message }), { className: method } as Api.AnyRequest) as Error;
}

/**
 * An in-memory Telegram group implementing {@link TelegramPort}: history, members, delivery, joins. Calls are
 * recorded with their time; it can be told to throw gramjs's own errors on the next calls, which it maps as the
 * real adapter does (a FLOOD_WAIT becomes the domain's FloodWaitError).
 *
 * @example
 * const telegram = new FakeTelegram({ messages: fakeMessages(250), members: fakeMembers(5) });
 * telegram.failNext(1, floodWait(3600));
 */
export class FakeTelegram implements TelegramPort {
  readonly chat: ChatInfo;
  readonly ref: ChatRef;
  readonly messages: ChatMessage[];
  readonly memberList: Participant[];
  readonly sent: SentMessage[] = [];
  readonly calls: FakeCall[] = [];
  readonly account: string;
  joined: boolean;
  private readonly self: AccountInfo;
  private readonly inviteHash?: string;
  private readonly guard?: CallGuard;
  private failures: { after: number; error: () => unknown; method?: string }[] = [];
  private nextId: number;

  constructor(scenario: FakeTelegramScenario = {}) {
    this.chat = { ...DEFAULT_CHAT, ...scenario.chat };
    this.memberList = scenario.members ?? [];
    if (scenario.chat?.memberCount === undefined) this.chat.memberCount = this.memberList.length;
    this.ref = { id: this.chat.id, kind: refKind(this.chat.type) };
    this.messages = [...(scenario.messages ?? [])].sort((a, b) => a.id - b.id);
    this.joined = scenario.joined ?? true;
    this.self = scenario.self ?? DEFAULT_SELF;
    this.inviteHash = scenario.inviteHash;
    this.account = scenario.account ?? 'fake';
    this.guard = scenario.guard;
    this.nextId = (this.messages.at(-1)?.id ?? 0) + 1;
  }

  // ---- test controls ----

  /**
   * The next `count` calls (of `method`, or any) throw `error` (a gramjs error, mapped as the adapter maps it),
   * after `after` more calls succeed.
   */
  failNext(count: number, error: Error | (() => Error), opts: { after?: number; method?: string } = {}): this {
    const make = typeof error === 'function' ? error : () => error;
    for (let i = 0; i < count; i++) this.failures.push({ after: opts.after ?? 0, error: make, method: opts.method });
    return this;
  }

  /** New messages arrive (incremental sync). */
  addMessages(...messages: ChatMessage[]): void {
    this.messages.push(...messages);
    this.messages.sort((a, b) => a.id - b.id);
    this.nextId = Math.max(this.nextId, (this.messages.at(-1)?.id ?? 0) + 1);
  }

  /** Someone edits a message (the trailing window of an incremental sync should catch it). */
  editMessage(id: number, text: string, at = new Date()): void {
    const message = this.messages.find((m) => m.id === id);
    if (!message) throw new Error(`no message ${id}`);
    message.text = text;
    message.edited = at.toISOString();
  }

  /** Times of the calls of a method (or all), `Date.now()` values. */
  callTimes(method?: string): number[] {
    return this.calls.filter((c) => method === undefined || c.method === method).map((c) => c.at);
  }

  // ---- the port ----

  private async call<T>(op: TelegramOp, method: string, fn: () => T | Promise<T>, signal?: AbortSignal, extra: Pick<FakeCall, 'takeout' | 'success'> = {}): Promise<T> {
    const run = async () => {
      signal?.throwIfAborted();
      const record: FakeCall = { method, op, at: Date.now(), failed: false, ...extra };
      this.calls.push(record);
      const index = this.failures.findIndex((f) => f.method === undefined || f.method === method);
      const failure = index >= 0 ? this.failures[index] : undefined;
      if (failure) {
        if (failure.after > 0) {
          for (const f of this.failures) if (f.method === failure.method) f.after--;
        } else {
          this.failures.splice(index, 1);
          record.failed = true;
          throw failure.error();
        }
      }
      return fn();
    };
    const mapError = (err: unknown) => mapTelegramError(err, { account: this.account, method });
    if (this.guard) return this.guard.safeCall(this.account, op, method, run, { signal, mapError });
    try {
      return await run();
    } catch (err) {
      throw mapError(err);
    }
  }

  private unknownUsername(): Error {
    return rpcError('USERNAME_NOT_OCCUPIED', 400, 'contacts.ResolveUsername');
  }

  async resolveChat(input: string, opts: { signal?: AbortSignal } = {}): Promise<ChatRef> {
    const parsed = parseChatInput(input);
    if (parsed.kind === 'username') {
      return this.call('api', 'contacts.ResolveUsername', () => {
        const name = parsed.username.toLowerCase();
        if (this.chat.username?.toLowerCase() === name) return this.ref;
        const member = this.memberList.find((m) => m.username?.toLowerCase() === name);
        if (member) return { id: Number(member.id.replace(/^user/, '')), kind: 'user' as const };
        throw this.unknownUsername();
      }, opts.signal);
    }
    if (parsed.kind === 'invite') {
      return this.call('api', 'messages.CheckChatInvite', () => {
        if (parsed.hash !== this.inviteHash) throw rpcError('INVITE_HASH_EXPIRED', 400, 'messages.CheckChatInvite');
        if (!this.joined) throw new RemoteRefusedError(`This account is not a member of "${this.chat.title}" yet: join it with the invite link first`, 'NOT_A_MEMBER', 'messages.CheckChatInvite');
        return this.ref;
      }, opts.signal);
    }
    if (parsed.peer === 'group') return { id: parsed.id, kind: 'group' };
    if (parsed.id === this.chat.id && this.joined) return this.ref;
    const member = this.memberList.find((m) => m.id === `user${parsed.id}`);
    if (member && parsed.peer === undefined) return { id: parsed.id, kind: 'user' };
    throw new BadInputError(`Chat ${parsed.id} is not among this account's chats`, 'Use its link or @username, or join it first');
  }

  private checkChat(chat: ChatRef, method: string): void {
    if (chat.id !== this.chat.id || chat.kind !== this.ref.kind) throw rpcError('CHANNEL_INVALID', 400, method);
    if (!this.joined && this.chat.type.startsWith('private')) throw rpcError('CHANNEL_PRIVATE', 400, method);
  }

  async chatInfo(chat: ChatRef, opts: { signal?: AbortSignal } = {}): Promise<ChatInfo> {
    return this.call('api', 'channels.GetFullChannel', () => {
      this.checkChat(chat, 'channels.GetFullChannel');
      return { ...this.chat };
    }, opts.signal);
  }

  async creationDate(chat: ChatRef, opts: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    for await (const page of this.history({ chat, order: 'oldest', limit: 1, signal: opts.signal })) return page.messages[0]?.date;
    return undefined;
  }

  async *members(chat: ChatRef, query: MembersQuery = {}): AsyncIterable<Participant> {
    if (chat.kind === 'user') throw new BadInputError('A personal chat has no member list', 'Give a group or channel');
    const { limit = Infinity, search, filter = 'all', includePhone = false, signal } = query;
    const needle = search?.trim().toLowerCase();
    const matching = this.memberList.filter(
      (p) =>
        (filter !== 'admins' || p.admin === true) &&
        (filter !== 'bots' || p.bot) &&
        (!needle || [p.username, p.firstName, p.lastName, [p.firstName, p.lastName].filter(Boolean).join(' ')].some((s) => s?.toLowerCase().includes(needle))),
    );
    let yielded = 0;
    for (let offset = 0; offset < matching.length && yielded < limit; offset += 200) {
      const page = await this.call('members', 'channels.GetParticipants', () => {
        this.checkChat(chat, 'channels.GetParticipants');
        return matching.slice(offset, offset + Math.min(200, limit - yielded));
      }, signal);
      for (const p of page) {
        yield { ...p, admin: p.admin ?? false, phone: includePhone ? p.phone : undefined };
        if (++yielded >= limit) return;
      }
    }
  }

  /**
   * With `takeout`, the pages are read inside a simulated takeout session as the adapter reads them: the session
   * opens with the first page request (`account.InitTakeoutSession`, where `failNext` can put Telegram's
   * `TAKEOUT_INIT_DELAY_X`), every page call is recorded with `takeout: true`, and `account.FinishTakeoutSession`
   * is recorded with `success` when the paging completes (true) or fails or is abandoned (false).
   */
  async *history(request: HistoryRequest): AsyncIterable<HistoryPage> {
    if (!request.takeout) {
      yield* this.historyPages(request, false);
      return;
    }
    let complete = false;
    const opened = { value: false };
    try {
      yield* this.historyPages(request, opened);
      complete = true;
    } finally {
      if (opened.value) {
        const finish = this.call('api', 'account.FinishTakeoutSession', () => undefined, undefined, { success: complete });
        // As the adapter: the error that stopped the paging is the one to see.
        await (complete ? finish : finish.catch(() => undefined));
      }
    }
  }

  private async *historyPages(request: HistoryRequest, takeout: false | { value: boolean }): AsyncIterable<HistoryPage> {
    const { chat, order = 'oldest', signal } = request;
    const lower = Math.max(request.afterId ?? 0, (request.minId ?? 1) - 1, 0);
    const upper = Math.min(request.beforeId ?? Infinity, request.maxId !== undefined ? request.maxId + 1 : Infinity);
    const since = request.since?.getTime();
    const until = request.until?.getTime();
    let remaining = request.limit ?? Infinity;
    if (upper <= lower + 1 || remaining <= 0) return;
    let cursor = order === 'oldest' ? lower : upper;
    for (;;) {
      const size = Math.min(HISTORY_PAGE_LIMIT, remaining);
      const from = cursor;
      if (takeout && !takeout.value) {
        await this.call('api', 'account.InitTakeoutSession', () => undefined, signal);
        takeout.value = true;
      }
      const page = await this.call('api', 'messages.GetHistory', () => {
        this.checkChat(chat, 'messages.GetHistory');
        const inRange = this.messages.filter((m) => {
          const t = Date.parse(m.date);
          return m.id > lower && m.id < upper && (since === undefined || t >= since) && (until === undefined || t < until);
        });
        const next = order === 'oldest' ? inRange.filter((m) => m.id > from) : inRange.filter((m) => m.id < from).reverse();
        return next.slice(0, size).map((m) => structuredClone(m));
      }, signal, takeout ? { takeout: true } : {});
      if (page.length === 0) return;
      remaining -= page.length;
      cursor = page[page.length - 1]!.id;
      yield { messages: page, lastId: cursor };
      if (page.length < size || remaining <= 0) return;
    }
  }

  private post(chat: ChatRef, text: string, extra: Partial<SentMessage> = {}): number {
    const id = this.nextId++;
    this.sent.push({ chatId: chat.id, id, text, ...extra });
    if (chat.id === this.chat.id && chat.kind === this.ref.kind) {
      this.messages.push({ id, chatId: chat.id, date: new Date().toISOString(), sender: { id: this.self.id, name: [this.self.firstName, this.self.lastName].filter(Boolean).join(' ') }, text, replyToId: extra.replyToId, reactions: [] });
    }
    return id;
  }

  private checkText(text: string, what: string): void {
    if (text.trim() === '') throw new BadInputError(`The ${what} is empty`, 'Give some text to send');
    if (text.length > MAX_MESSAGE_CHARS) throw new BadInputError(`The ${what} has ${text.length} characters, more than the ${MAX_MESSAGE_CHARS} Telegram allows`, 'Split it into several messages');
  }

  async send(chat: ChatRef, text: string, opts: SendOptions = {}): Promise<number> {
    this.checkText(text, 'message');
    return this.call('api', 'messages.SendMessage', () => {
      this.checkChat(chat, 'messages.SendMessage');
      return this.post(chat, text, { replyToId: opts.replyToId });
    }, opts.signal);
  }

  async edit(chat: ChatRef, messageId: number, text: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    this.checkText(text, 'message');
    await this.call('api', 'messages.EditMessage', () => {
      this.checkChat(chat, 'messages.EditMessage');
      const sent = this.sent.find((s) => s.id === messageId && s.chatId === chat.id);
      if (!sent) throw rpcError('MESSAGE_ID_INVALID', 400, 'messages.EditMessage');
      sent.text = text;
      const message = this.messages.find((m) => m.id === messageId);
      if (message) message.text = text;
    }, opts.signal);
  }

  async sendFile(chat: ChatRef, opts: SendFileOptions): Promise<number> {
    await stat(opts.path).catch((err: unknown) => {
      throw new BadInputError(`Cannot read the file to send: ${opts.path}`, 'Check that it exists', { cause: err });
    });
    return this.call('api', 'messages.SendMedia', () => {
      this.checkChat(chat, 'messages.SendMedia');
      return this.post(chat, opts.caption ?? '', { file: opts.fileName ?? opts.path.split('/').pop(), replyToId: opts.replyToId });
    }, opts.signal);
  }

  async join(input: string, opts: { signal?: AbortSignal } = {}): Promise<ChatRef> {
    const parsed = parseChatInput(input);
    if (parsed.kind === 'invite') {
      return this.call('join', 'messages.ImportChatInvite', () => {
        if (parsed.hash !== this.inviteHash) throw rpcError('INVITE_HASH_EXPIRED', 400, 'messages.ImportChatInvite');
        this.joined = true;
        return this.ref;
      }, opts.signal);
    }
    const chat = await this.resolveChat(input, opts);
    if (chat.kind === 'user') throw new BadInputError(`"${input}" is a user, not a group or channel`);
    return this.call('join', 'channels.JoinChannel', () => {
      this.joined = true;
      return chat;
    }, opts.signal);
  }

  async leave(chat: ChatRef, opts: { signal?: AbortSignal } = {}): Promise<void> {
    if (chat.kind === 'user') throw new BadInputError('A personal chat cannot be left', 'Give a group or channel');
    await this.call('leave', 'channels.LeaveChannel', () => {
      this.checkChat(chat, 'channels.LeaveChannel');
      this.joined = false;
    }, opts.signal);
  }

  async sendDirect(user: string, text: string, opts: SendOptions = {}): Promise<number> {
    this.checkText(text, 'direct message');
    const target = await this.resolveChat(user, opts);
    if (target.kind !== 'user') throw new BadInputError(`"${user}" is a ${target.kind === 'channel' ? 'channel or supergroup' : 'group'}, not a user`, 'Give the @username of a person');
    return this.call('dm', 'messages.SendMessage', () => this.post(target, text, { direct: user }), opts.signal);
  }

  async whoami(opts: { signal?: AbortSignal } = {}): Promise<AccountInfo> {
    return this.call('api', 'users.GetUsers', () => ({ ...this.self }), opts.signal);
  }
}
