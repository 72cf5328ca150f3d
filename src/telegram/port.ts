import type { ChatInfo, ChatMessage, Participant } from '../domain';

/** What kind of peer a chat is: a user (direct messages), a basic group, or a channel (supergroups included). */
export type ChatKind = 'user' | 'group' | 'channel';

/**
 * A chat the port has resolved. `id` is the bare positive id (the one Telegram Desktop exports and `t.me/c/<id>`
 * links use); with `kind` it names the peer. The access hash Telegram also needs stays inside `src/telegram/`.
 */
export interface ChatRef {
  readonly id: number;
  readonly kind: ChatKind;
}

/** Which members to list. `admins` and `bots` are filters Telegram applies; `search` matches names and usernames. */
export type MemberFilter = 'all' | 'admins' | 'bots';

export interface MembersQuery {
  /** At most this many members. Unset: all that Telegram gives (it caps the list of large groups). */
  limit?: number;
  search?: string;
  filter?: MemberFilter;
  /** Phone numbers are returned only when this is set (and Telegram shows them to this account). */
  includePhone?: boolean;
  signal?: AbortSignal;
}

export type HistoryOrder = 'oldest' | 'newest';

/**
 * A slice of a chat's history. All bounds combine; ids are exclusive in the `after/before` form (a checkpoint)
 * and inclusive in the `min/max` form (a range the user typed).
 */
export interface HistoryRequest {
  chat: ChatRef;
  /** Only messages with a greater id: the checkpoint of an interrupted extraction. */
  afterId?: number;
  /** Only messages with a smaller id. */
  beforeId?: number;
  minId?: number;
  maxId?: number;
  /** Only messages sent at or after this instant. */
  since?: Date;
  /** Only messages sent before this instant. */
  until?: Date;
  /** `oldest` (the default) pages from the start of the range forward. */
  order?: HistoryOrder;
  /** At most this many messages in all. */
  limit?: number;
  /**
   * Read inside a data-export (takeout) session: higher limits for large backfills. Starting one may be held
   * back for the user's approval (`TakeoutDelayError`, with the seconds to wait).
   */
  takeout?: boolean;
  signal?: AbortSignal;
}

/** One page of history: at most {@link HISTORY_PAGE_LIMIT} messages in the requested order. */
export interface HistoryPage {
  messages: ChatMessage[];
  /** Id of the last message of the page: pass it as `afterId` (oldest first) or `beforeId` to continue. */
  lastId: number;
}

/** Telegram answers at most this many messages per history request. */
export const HISTORY_PAGE_LIMIT = 100;

/** Telegram refuses longer text messages; delivery splits before calling {@link TelegramPort.send}. */
export const MAX_MESSAGE_CHARS = 4096;

export interface SendOptions {
  replyToId?: number;
  /** Post without a notification sound. */
  silent?: boolean;
  signal?: AbortSignal;
}

export interface SendFileOptions extends SendOptions {
  /** Local path of the file to upload. */
  path: string;
  caption?: string;
  /** Name shown in Telegram; the base name of `path` when unset. */
  fileName?: string;
}

/** The logged-in account. */
export interface AccountInfo {
  id: string;
  firstName?: string;
  lastName?: string;
  username?: string;
  /** Only for `whoami` of one's own account, never logged. */
  phone?: string;
  premium: boolean;
}

/**
 * Everything tgpulse asks of Telegram, in domain shapes. The gramjs adapter implements it on a live account (each
 * call passes the account's limiter); `test/fakes/fake-telegram.ts` implements it in memory for tests.
 *
 * @example
 * const chat = await telegram.resolveChat('https://t.me/nodejs_ru');
 * for await (const page of telegram.history({ chat, afterId: checkpoint })) await store(page.messages);
 */
export interface TelegramPort {
  /** The chat a user typed (link, @username, id, invite link). Throws BadInputError on malformed input. */
  resolveChat(input: string, opts?: { signal?: AbortSignal }): Promise<ChatRef>;
  chatInfo(chat: ChatRef, opts?: { signal?: AbortSignal }): Promise<ChatInfo>;
  /** Date of the chat's first message still in its history (ISO 8601), the best creation date there is. */
  creationDate(chat: ChatRef, opts?: { signal?: AbortSignal }): Promise<string | undefined>;
  members(chat: ChatRef, query?: MembersQuery): AsyncIterable<Participant>;
  history(request: HistoryRequest): AsyncIterable<HistoryPage>;
  /** Posts a text message and returns its id. */
  send(chat: ChatRef, text: string, opts?: SendOptions): Promise<number>;
  edit(chat: ChatRef, messageId: number, text: string, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Uploads a file as a document and returns the message id. */
  sendFile(chat: ChatRef, opts: SendFileOptions): Promise<number>;
  /** Joins by public link, @username or invite link; returns the chat joined. */
  join(input: string, opts?: { signal?: AbortSignal }): Promise<ChatRef>;
  leave(chat: ChatRef, opts?: { signal?: AbortSignal }): Promise<void>;
  /** A direct message to a user (`@username` or a known user id); returns the message id. */
  sendDirect(user: string, text: string, opts?: SendOptions): Promise<number>;
  whoami(opts?: { signal?: AbortSignal }): Promise<AccountInfo>;
}
